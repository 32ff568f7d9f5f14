//===- LowerTargetOps.cpp - qopt-cpu-lower-target-ops -------------*- C++ -*-===//
//
// qopt.x86.* vector ops -> LLVM intrinsic calls, after bufferization.
//
//===----------------------------------------------------------------------===//

#include "qopt/Target/CPU/Passes.h"

#include "qopt/Dialect/QOpt/IR/QOptDialect.h"

#include "mlir/Dialect/Vector/IR/VectorOps.h"
#include "mlir/IR/PatternMatch.h"

namespace mlir::qopt {
#define GEN_PASS_DEF_LOWERTARGETOPSPASS
#include "qopt/Target/CPU/Passes.h.inc"
} // namespace mlir::qopt

using namespace mlir;

namespace {
struct LowerTargetOpsPass
    : mlir::qopt::impl::LowerTargetOpsPassBase<LowerTargetOpsPass> {
  void runOnOperation() override {
    IRRewriter rewriter(&getContext());
    getOperation().walk([&](qopt::X86DotU8S8Op op) {
      rewriter.setInsertionPoint(op);
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
