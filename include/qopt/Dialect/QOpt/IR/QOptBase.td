//===- QOptBase.td - qopt dialect definition ----------------*- tablegen -*-===//
//
// The qopt dialect: graph-level ops with ONNX semantics on builtin tensors.
// This file holds the dialect, the op base class, shared traits and type
// constraints. Ops are grouped by category in QOptOps*.td.
//
//===----------------------------------------------------------------------===//

#ifndef QOPT_DIALECT_QOPT_IR_QOPTBASE_TD
#define QOPT_DIALECT_QOPT_IR_QOPTBASE_TD

include "mlir/IR/OpBase.td"
include "mlir/IR/AttrTypeBase.td"
include "mlir/IR/EnumAttr.td"
include "mlir/Interfaces/InferTypeOpInterface.td"

def QOpt_Dialect : Dialect {
  let name = "qopt";
  let cppNamespace = "::mlir::qopt";
  let summary = "Graph-level ops with ONNX semantics for quantizing compilation";
  let description = [{
    The `qopt` dialect is the graph level of the qopt compiler. Each op has the
    semantics of the ONNX operator of the same name (opsets 13-17): operands
    mirror the ONNX inputs in order (optional inputs are optional operands),
    attributes carry the ONNX attribute names, and results mirror the ONNX
    outputs. Tensors are builtin tensors; ONNX element types map to builtin
    types (`float` -> `f32`, `int8` -> `i8`, `uint8` -> `ui8`, `bool` -> `i1`,
    `int64` -> `i64`, ...). Quantized tensors use upstream `!quant.uniform`.

    Ops carry the interfaces the quantization passes need: which operands are
    weights and which axis indexes output channels
    (`QuantizableOpInterface`), and whether an op passes its input's
    quantization scale through unchanged (`ScalePreserving`).
  }];
  let useDefaultAttributePrinterParser = 1;
  let hasConstantMaterializer = 1;
  let dependentDialects = ["::mlir::func::FuncDialect",
                           "::mlir::quant::QuantDialect"];
}

class QOpt_Op<string mnemonic, list<Trait> traits = []>
    : Op<QOpt_Dialect, mnemonic, traits>;

//===----------------------------------------------------------------------===//
// Traits
//===----------------------------------------------------------------------===//

// An op whose result can carry its (first) input's quantization scale and zero
// point unchanged: reshapes, transposes, slices, gathers, max-pooling, relu...
// qopt-propagate-scales passes one scale through such ops instead of
// requantizing.
def QOpt_ScalePreserving : NativeOpTrait<"ScalePreservingTrait"> {
  let cppNamespace = "::mlir::qopt";
}

//===----------------------------------------------------------------------===//
// Type constraints
//===----------------------------------------------------------------------===//

def QOpt_Tensor : AnyTypeOf<[AnyRankedTensor, AnyUnrankedTensor], "tensor">;
def QOpt_FloatTensor : TensorOf<[AnyFloat]>;
def QOpt_BoolTensor : TensorOf<[I1]>;
def QOpt_I64Tensor : TensorOf<[I64]>;
def QOpt_IndexTensor : TensorOf<[I32, I64]>;
def QOpt_Int8Tensor : TensorOf<[I8, UI8]>;
def QOpt_Int32Tensor : TensorOf<[I32]>;

//===----------------------------------------------------------------------===//
// Attributes shared by ops
//===----------------------------------------------------------------------===//

def QOpt_PrecisionKind : I32EnumAttr<"Precision",
    "numeric precision an op is assigned", [
      I32EnumAttrCase<"f32", 0>,
      I32EnumAttrCase<"f16", 1>,
      I32EnumAttrCase<"bf16", 2>,
      I32EnumAttrCase<"fp8", 3>,
      I32EnumAttrCase<"w8a8", 4>,
      I32EnumAttrCase<"w8a16", 5>,
      I32EnumAttrCase<"w4a16", 6>,
      I32EnumAttrCase<"w8a8_dynamic", 7>,
      I32EnumAttrCase<"w4_lut", 8>,
      I32EnumAttrCase<"w8_lut", 9>,
      I32EnumAttrCase<"ternary", 10>
    ]> {
  let genSpecializedAttr = 0;
  let cppNamespace = "::mlir::qopt";
}

def QOpt_PrecisionAttr : EnumAttr<QOpt_Dialect, QOpt_PrecisionKind, "precision"> {
  let summary = "Precision assigned to an op, e.g. `#qopt.precision<w8a8>`";
  let assemblyFormat = "`<` $value `>`";
}

#endif // QOPT_DIALECT_QOPT_IR_QOPTBASE_TD
