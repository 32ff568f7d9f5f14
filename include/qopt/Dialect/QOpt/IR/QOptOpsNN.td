//===- QOptOpsNN.td - normalization, pooling, resize ops -----*- tablegen -*-===//
//
// Normalization layers, pooling and the spatial rearrangement ops of CNNs.
//
//===----------------------------------------------------------------------===//

#ifndef QOPT_DIALECT_QOPT_IR_QOPTOPSNN_TD
#define QOPT_DIALECT_QOPT_IR_QOPTOPSNN_TD

include "qopt/Dialect/QOpt/IR/QOptBase.td"
include "qopt/Dialect/QOpt/IR/QOptOpsLinalg.td"
include "mlir/Interfaces/SideEffectInterfaces.td"

def QOpt_LayerNormalizationOp : QOpt_Op<"layer_normalization", [Pure]> {
  let summary = "ONNX LayerNormalization";
  let description = [{
    Normalizes over the dimensions from `axis` to the last, then applies
    `Scale` and the optional bias `B` (both broadcast over the normalized
    dimensions). A per-channel scale can be folded into `Scale` and `B`,
    which is what SmoothQuant does. The optional `stats` results are ONNX's
    `Mean` and `InvStdDev` outputs, in that order (0, 1 or 2 of them); they
    have X's shape with the normalized dimensions set to 1.

    Example:
    ```mlir
    %y = qopt.layer_normalization %x, %gamma, %beta {epsilon = 1.0e-05 : f32}
        : (tensor<?x128x768xf32>, tensor<768xf32>, tensor<768xf32>) -> tensor<?x128x768xf32>
    ```
  }];
  let arguments = (ins QOpt_FloatTensor:$X, QOpt_FloatTensor:$Scale,
                       Optional<QOpt_FloatTensor>:$B,
                       DefaultValuedAttr<I64Attr, "-1">:$axis,
                       DefaultValuedAttr<F32Attr, "1.0e-5f">:$epsilon,
                       DefaultValuedAttr<I64Attr, "1">:$stash_type);
  let results = (outs QOpt_FloatTensor:$Y, Variadic<QOpt_FloatTensor>:$stats);
  let extraClassDeclaration = [{
    /// ONNX's optional Mean / InvStdDev outputs (null when absent).
    ::mlir::Value getMean() {
      return getStats().empty() ? ::mlir::Value() : getStats()[0];
    }
    ::mlir::Value getInvStdDev() {
      return getStats().size() < 2 ? ::mlir::Value() : getStats()[1];
    }
  }];
  let assemblyFormat = [{
    $X `,` $Scale (`,` $B^)? attr-dict `:` functional-type(operands, results)
  }];
  let hasVerifier = 1;
}

def QOpt_BatchNormalizationOp : QOpt_Op<"batch_normalization", [Pure]> {
  let summary = "ONNX BatchNormalization (inference mode)";
  let arguments = (ins QOpt_FloatTensor:$X, QOpt_FloatTensor:$scale,
                       QOpt_FloatTensor:$B, QOpt_FloatTensor:$input_mean,
                       QOpt_FloatTensor:$input_var,
                       DefaultValuedAttr<F32Attr, "1.0e-5f">:$epsilon,
                       DefaultValuedAttr<F32Attr, "0.9f">:$momentum);
  let results = (outs QOpt_FloatTensor:$Y);
  let assemblyFormat = [{
    $X `,` $scale `,` $B `,` $input_mean `,` $input_var attr-dict `:` functional-type(operands, results)
  }];
  let hasVerifier = 1;
}

def QOpt_InstanceNormalizationOp : QOpt_Op<"instance_normalization", [Pure]> {
  let summary = "ONNX InstanceNormalization";
  let arguments = (ins QOpt_FloatTensor:$input, QOpt_FloatTensor:$scale,
                       QOpt_FloatTensor:$B,
                       DefaultValuedAttr<F32Attr, "1.0e-5f">:$epsilon);
  let results = (outs QOpt_FloatTensor:$output);
  let assemblyFormat = [{
    $input `,` $scale `,` $B attr-dict `:` functional-type(operands, results)
  }];
  let hasVerifier = 1;
}

def QOpt_LpNormalizationOp : QOpt_Op<"lp_normalization", [Pure, SameOperandsAndResultType]> {
  let summary = "ONNX LpNormalization";
  let arguments = (ins QOpt_FloatTensor:$input,
                       DefaultValuedAttr<I64Attr, "-1">:$axis,
                       DefaultValuedAttr<I64Attr, "2">:$p);
  let results = (outs QOpt_FloatTensor:$output);
  let assemblyFormat = "$input attr-dict `:` functional-type(operands, results)";
}

//===----------------------------------------------------------------------===//
// Pooling
//===----------------------------------------------------------------------===//

def QOpt_MaxPoolOp : QOpt_Op<"max_pool", [Pure, QOpt_ScalePreserving]> {
  let summary = "ONNX MaxPool (optional Indices output)";
  let arguments = (ins QOpt_Tensor:$X,
                       DefaultValuedStrAttr<StrAttr, "NOTSET">:$auto_pad,
                       DefaultValuedAttr<I64Attr, "0">:$ceil_mode,
                       OptionalAttr<DenseI64ArrayAttr>:$dilations,
                       DenseI64ArrayAttr:$kernel_shape,
                       OptionalAttr<DenseI64ArrayAttr>:$pads,
                       DefaultValuedAttr<I64Attr, "0">:$storage_order,
                       OptionalAttr<DenseI64ArrayAttr>:$strides);
  let results = (outs QOpt_Tensor:$Y, Optional<QOpt_I64Tensor>:$Indices);
  let assemblyFormat = "$X attr-dict `:` functional-type(operands, results)";
  let hasVerifier = 1;
}

def QOpt_AveragePoolOp : QOpt_Op<"average_pool", [Pure]> {
  let summary = "ONNX AveragePool";
  let arguments = (ins QOpt_Tensor:$X,
                       DefaultValuedStrAttr<StrAttr, "NOTSET">:$auto_pad,
                       DefaultValuedAttr<I64Attr, "0">:$ceil_mode,
                       DefaultValuedAttr<I64Attr, "0">:$count_include_pad,
                       OptionalAttr<DenseI64ArrayAttr>:$dilations,
                       DenseI64ArrayAttr:$kernel_shape,
                       OptionalAttr<DenseI64ArrayAttr>:$pads,
                       OptionalAttr<DenseI64ArrayAttr>:$strides);
  let results = (outs QOpt_Tensor:$Y);
  let assemblyFormat = "$X attr-dict `:` functional-type(operands, results)";
  let hasVerifier = 1;
}

def QOpt_GlobalAveragePoolOp : QOpt_Op<"global_average_pool", [Pure]> {
  let summary = "ONNX GlobalAveragePool";
  let arguments = (ins QOpt_Tensor:$X);
  let results = (outs QOpt_Tensor:$Y);
  let assemblyFormat = "$X attr-dict `:` functional-type(operands, results)";
}

def QOpt_GlobalMaxPoolOp : QOpt_Op<"global_max_pool", [Pure, QOpt_ScalePreserving]> {
  let summary = "ONNX GlobalMaxPool";
  let arguments = (ins QOpt_Tensor:$X);
  let results = (outs QOpt_Tensor:$Y);
  let assemblyFormat = "$X attr-dict `:` functional-type(operands, results)";
}

//===----------------------------------------------------------------------===//
// Spatial rearrangement
//===----------------------------------------------------------------------===//

def QOpt_ResizeOp : QOpt_Op<"resize", [Pure, AttrSizedOperandSegments]> {
  let summary = "ONNX Resize (nearest / linear / cubic)";
  let arguments = (ins QOpt_Tensor:$X, Optional<QOpt_FloatTensor>:$roi,
                       Optional<QOpt_FloatTensor>:$scales,
                       Optional<QOpt_I64Tensor>:$sizes,
                       DefaultValuedStrAttr<StrAttr, "half_pixel">:$coordinate_transformation_mode,
                       DefaultValuedAttr<F32Attr, "-0.75f">:$cubic_coeff_a,
                       DefaultValuedAttr<I64Attr, "0">:$exclude_outside,
                       DefaultValuedAttr<F32Attr, "0.0f">:$extrapolation_value,
                       DefaultValuedStrAttr<StrAttr, "nearest">:$mode,
                       DefaultValuedStrAttr<StrAttr, "round_prefer_floor">:$nearest_mode);
  let results = (outs QOpt_Tensor:$Y);
  let assemblyFormat = [{
    $X (`roi` $roi^)? (`scales` $scales^)? (`sizes` $sizes^)? attr-dict `:` functional-type(operands, results)
  }];
  let hasVerifier = 1;
}

class QOpt_BlockRearrangeOp<string mnemonic, string onnxName>
    : QOpt_Op<mnemonic, [Pure, QOpt_ScalePreserving]> {
  let summary = "ONNX " # onnxName;
  let arguments = (ins QOpt_Tensor:$input, I64Attr:$blocksize);
  let results = (outs QOpt_Tensor:$output);
  let assemblyFormat = "$input attr-dict `:` functional-type(operands, results)";
}
def QOpt_DepthToSpaceOp : QOpt_BlockRearrangeOp<"depth_to_space", "DepthToSpace"> {
  let arguments = (ins QOpt_Tensor:$input, I64Attr:$blocksize,
                       DefaultValuedStrAttr<StrAttr, "DCR">:$mode);
  let hasVerifier = 1;
}
def QOpt_SpaceToDepthOp : QOpt_BlockRearrangeOp<"space_to_depth", "SpaceToDepth">;

#endif // QOPT_DIALECT_QOPT_IR_QOPTOPSNN_TD
