//===- TensorCoreMatmul.h - int8 matmuls on mma.sync ------------*- C++ -*-===//
//
// The tensor-core kernel qopt-cuda-map-to-launches uses for int8 matmuls.
//
//===----------------------------------------------------------------------===//

#ifndef QOPT_LIB_TARGET_CUDA_TENSORCOREMATMUL_H
#define QOPT_LIB_TARGET_CUDA_TENSORCOREMATMUL_H

#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/IR/PatternMatch.h"

namespace mlir::qopt {

/// Replaces `op`, a (batched) matmul of i8 operands (each zero- or
/// sign-extended) accumulated into i32 on memrefs, with a gpu.launch whose
/// warps compute 32x32 output tiles with mma.sync.m16n8k32 (u8/s8 x u8/s8
/// -> s32, the PTX fragment layouts). Fails, changing nothing, when `op` is
/// not such a matmul.
LogicalResult mapInt8MatmulToTensorCores(RewriterBase &rewriter,
                                         linalg::LinalgOp op);

} // namespace mlir::qopt

#endif // QOPT_LIB_TARGET_CUDA_TENSORCOREMATMUL_H
