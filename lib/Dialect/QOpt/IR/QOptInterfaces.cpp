//===- QOptInterfaces.cpp - QuantizableOpInterface impls ---------*- C++ -*-===//
//
// Which operand of each linear-algebra op is the weight, along which axis its
// output channels run, and the channel axis of the result.
//
//===----------------------------------------------------------------------===//

#include "qopt/Dialect/QOpt/IR/QOptDialect.h"

using namespace mlir;
using namespace mlir::qopt;

#include "qopt/Dialect/QOpt/IR/QOptInterfaces.cpp.inc"

/// Returns the last axis of `value`'s type, or -1 when it is unranked.
static int64_t lastAxis(Value value) {
  auto type = dyn_cast<RankedTensorType>(value.getType());
  return type ? type.getRank() - 1 : -1;
}

// MatMul: Y[..., M, N] = A[..., M, K] x B[..., K, N].
unsigned MatMulOp::getWeightOperandIndex() { return 1; }
int64_t MatMulOp::getWeightChannelAxis() { return lastAxis(getB()); }
SmallVector<unsigned> MatMulOp::getActivationOperandIndices() { return {0}; }
int64_t MatMulOp::getOutputChannelAxis() { return lastAxis(getY()); }
int64_t MatMulOp::getReductionChannelAxis(unsigned operandIndex) {
  // K is A's last axis and B's second to last (B's only axis when 1-D).
  if (operandIndex == 0)
    return lastAxis(getA());
  int64_t last = lastAxis(getB());
  return last <= 0 ? last : last - 1;
}

// Gemm: B is [K, N], or [N, K] when transB.
unsigned GemmOp::getWeightOperandIndex() { return 1; }
int64_t GemmOp::getWeightChannelAxis() { return getTransB() ? 0 : 1; }
SmallVector<unsigned> GemmOp::getActivationOperandIndices() { return {0}; }
int64_t GemmOp::getOutputChannelAxis() { return 1; }
int64_t GemmOp::getReductionChannelAxis(unsigned operandIndex) {
  if (operandIndex == 0)
    return getTransA() ? 0 : 1;
  return operandIndex == 1 ? (getTransB() ? 1 : 0) : -1;
}

// Conv: W is [M, C/group, k...].
unsigned ConvOp::getWeightOperandIndex() { return 1; }
int64_t ConvOp::getWeightChannelAxis() { return 0; }
SmallVector<unsigned> ConvOp::getActivationOperandIndices() { return {0}; }
int64_t ConvOp::getOutputChannelAxis() { return 1; }
int64_t ConvOp::getReductionChannelAxis(unsigned operandIndex) {
  // X is [N, C, ...]; W is [M, C/group, k...].
  return operandIndex <= 1 ? 1 : -1;
}

// ConvTranspose: W is [C, M/group, k...].
unsigned ConvTransposeOp::getWeightOperandIndex() { return 1; }
int64_t ConvTransposeOp::getWeightChannelAxis() { return 1; }
SmallVector<unsigned> ConvTransposeOp::getActivationOperandIndices() {
  return {0};
}
int64_t ConvTransposeOp::getOutputChannelAxis() { return 1; }
int64_t ConvTransposeOp::getReductionChannelAxis(unsigned operandIndex) {
  // X is [N, C, ...]; W is [C, M/group, k...].
  return operandIndex == 0 ? 1 : operandIndex == 1 ? 0 : -1;
}
bool ConvTransposeOp::supportsPrecision(Precision precision) {
  // No weight-only or fp8 kernels for transposed convolution.
  return precision != Precision::w4a16 && precision != Precision::w8a16 &&
         precision != Precision::fp8;
}
