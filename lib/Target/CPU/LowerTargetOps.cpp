//===- LowerTargetOps.cpp - qopt-cpu-lower-target-ops -------------*- C++ -*-===//
//
// qopt.x86.* vector ops -> LLVM intrinsic calls, after bufferization.
//
//===----------------------------------------------------------------------===//

#include "qopt/Target/CPU/Passes.h"

#include "qopt/Dialect/QOpt/IR/QOptDialect.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"
#include "mlir/IR/PatternMatch.h"

namespace mlir::qopt {
#define GEN_PASS_DEF_LOWERTARGETOPSPASS
#include "qopt/Target/CPU/Passes.h.inc"
} // namespace mlir::qopt

using namespace mlir;

namespace {

/// acc + dot(a, b) on AVX2: per 256-bit half, vpmaddubsw multiplies u8 by
/// s8 and adds byte pairs into i16 (saturating; exact under the op's
/// pairwise_i16 guarantee), vpmaddwd by ones adds i16 pairs into i32.
Value lowerPairwise(RewriterBase &rewriter, qopt::X86DotU8S8Op op) {
  Location loc = op.getLoc();
  auto i8 = rewriter.getIntegerType(8), i16 = rewriter.getIntegerType(16),
       i32 = rewriter.getIntegerType(32);
  auto bytes = VectorType::get({64}, i8);
  auto halfWords = VectorType::get({16}, i16);
  auto halfLanes = VectorType::get({8}, i32);
  Value a = vector::BitCastOp::create(rewriter, loc, bytes, op.getA());
  Value b = vector::BitCastOp::create(rewriter, loc, bytes, op.getB());
  Value ones = arith::ConstantOp::create(
      rewriter, loc, halfWords,
      DenseElementsAttr::get(halfWords, rewriter.getI16IntegerAttr(1)));
  Value sum;
  for (int64_t half = 0; half < 2; ++half) {
    auto slice = [&](Value v) {
      return vector::ExtractStridedSliceOp::create(
          rewriter, loc, v, ArrayRef<int64_t>{32 * half},
          ArrayRef<int64_t>{32}, ArrayRef<int64_t>{1});
    };
    Value words = LLVM::CallIntrinsicOp::create(
                      rewriter, loc, halfWords,
                      rewriter.getStringAttr("llvm.x86.avx2.pmadd.ub.sw"),
                      ValueRange{slice(a), slice(b)})
                      .getResult(0);
    Value lanes = LLVM::CallIntrinsicOp::create(
                      rewriter, loc, halfLanes,
                      rewriter.getStringAttr("llvm.x86.avx2.pmadd.wd"),
                      ValueRange{words, ones})
                      .getResult(0);
    sum = half == 0 ? lanes
                    : vector::ShuffleOp::create(
                          rewriter, loc, sum, lanes,
                          ArrayRef<int64_t>{0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10,
                                            11, 12, 13, 14, 15});
  }
  return arith::AddIOp::create(rewriter, loc, op.getAcc(), sum);
}

struct LowerTargetOpsPass
    : mlir::qopt::impl::LowerTargetOpsPassBase<LowerTargetOpsPass> {
  void runOnOperation() override {
    IRRewriter rewriter(&getContext());
    getOperation().walk([&](qopt::X86DotU8S8Op op) {
      rewriter.setInsertionPoint(op);
      if (op.getPairwiseI16()) {
        rewriter.replaceOp(op, lowerPairwise(rewriter, op));
        return;
      }
      // The intrinsic takes the 64 bytes of a and b as <64 x i8>.
      auto bytes = VectorType::get({64}, rewriter.getIntegerType(8));
      Value a = vector::BitCastOp::create(rewriter, op.getLoc(), bytes,
                                          op.getA());
      Value b = vector::BitCastOp::create(rewriter, op.getLoc(), bytes,
                                          op.getB());
      rewriter.replaceOpWithNewOp<LLVM::CallIntrinsicOp>(
          op, op.getType(),
          rewriter.getStringAttr("llvm.x86.avx512.vpdpbusd.512"),
          ValueRange{op.getAcc(), a, b});
    });
  }
};
} // namespace
