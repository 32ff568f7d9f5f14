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

// Gemm: B is [K, N], or [N, K] when transB.
unsigned GemmOp::getWeightOperandIndex() { return 1; }
int64_t GemmOp::getWeightChannelAxis() { return getTransB() ? 0 : 1; }
SmallVector<unsigned> GemmOp::getActivationOperandIndices() { return {0}; }
int64_t GemmOp::getOutputChannelAxis() { return 1; }

// Conv: W is [M, C/group, k...].
unsigned ConvOp::getWeightOperandIndex() { return 1; }
int64_t ConvOp::getWeightChannelAxis() { return 0; }
SmallVector<unsigned> ConvOp::getActivationOperandIndices() { return {0}; }
int64_t ConvOp::getOutputChannelAxis() { return 1; }

// ConvTranspose: W is [C, M/group, k...].
unsigned ConvTransposeOp::getWeightOperandIndex() { return 1; }
int64_t ConvTransposeOp::getWeightChannelAxis() { return 1; }
SmallVector<unsigned> ConvTransposeOp::getActivationOperandIndices() {
  return {0};
}
int64_t ConvTransposeOp::getOutputChannelAxis() { return 1; }
bool ConvTransposeOp::supportsPrecision(Precision precision) {
  // No weight-only or fp8 kernels for transposed convolution.
  return precision != Precision::w4a16 && precision != Precision::w8a16 &&
         precision != Precision::fp8;
}
