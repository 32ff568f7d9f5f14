//===- QOptInterfaces.td - qopt op interfaces ---------------*- tablegen -*-===//
//
// Interfaces the quantization passes query instead of switching on op kinds.
//
//===----------------------------------------------------------------------===//

#ifndef QOPT_DIALECT_QOPT_IR_QOPTINTERFACES_TD
#define QOPT_DIALECT_QOPT_IR_QOPTINTERFACES_TD

include "mlir/IR/OpBase.td"

def QOpt_QuantizableOpInterface : OpInterface<"QuantizableOpInterface"> {
  let cppNamespace = "::mlir::qopt";
  let description = [{
    An op that can compute at a lower precision than f32: the linear algebra
    ops (MatMul, Gemm, Conv, ConvTranspose). It names its weight operand (the
    one quantized per output channel when it is a constant), the weight's
    output-channel axis, its activation operands (quantized per tensor from
    calibration statistics), and the channel axis of its result.
  }];
  let methods = [
    InterfaceMethod<[{
        Returns the index of the operand that holds the weight.
      }], "unsigned", "getWeightOperandIndex">,
    InterfaceMethod<[{
        Returns the axis of the weight operand that indexes output channels
        (the axis per-channel scales run along).
      }], "int64_t", "getWeightChannelAxis">,
    InterfaceMethod<[{
        Returns the indices of the activation operands.
      }], "::llvm::SmallVector<unsigned>", "getActivationOperandIndices">,
    InterfaceMethod<[{
        Returns the channel axis of the result, or -1 when the result rank is
        unknown.
      }], "int64_t", "getOutputChannelAxis">,
    InterfaceMethod<[{
        Returns the axis of operand `operandIndex` that the op reduces over
        (K of a matmul, input channels of a conv): the axis per-channel
        activation statistics (SmoothQuant) run along; -1 when unknown.
      }], "int64_t", "getReductionChannelAxis", (ins "unsigned":$operandIndex)>,
    InterfaceMethod<[{
        Returns true when the op can be computed at `precision`.
      }], "bool", "supportsPrecision", (ins "::mlir::qopt::Precision":$precision),
      [{}], [{ return true; }]>,
  ];
}

#endif // QOPT_DIALECT_QOPT_IR_QOPTINTERFACES_TD
