//===- MathToIntrinsics.cpp - qopt-cuda-math-to-intrinsics -------*- C++ -*-===//
//
// The math ops NVPTX has instructions for, as LLVM intrinsic calls, so that
// kernels compiled without libdevice call nothing external; see Passes.td.
//
//===----------------------------------------------------------------------===//

#include "qopt/Target/CUDA/Passes.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/IR/PatternMatch.h"
#include "llvm/ADT/TypeSwitch.h"

namespace mlir::qopt {
#define GEN_PASS_DEF_MATHTOINTRINSICSPASS
#include "qopt/Target/CUDA/Passes.h.inc"
} // namespace mlir::qopt

using namespace mlir;

namespace {

/// The intrinsic for `op`, or "" when there is none here.
StringRef getIntrinsic(Operation *op) {
  return llvm::TypeSwitch<Operation *, StringRef>(op)
      .Case([](math::SqrtOp) { return "llvm.sqrt"; })
      .Case([](math::AbsFOp) { return "llvm.fabs"; })
      .Case([](math::FloorOp) { return "llvm.floor"; })
      .Case([](math::CeilOp) { return "llvm.ceil"; })
      .Case([](math::RoundEvenOp) { return "llvm.roundeven"; })
      .Case([](math::RoundOp) { return "llvm.round"; })
      .Case([](math::TruncOp) { return "llvm.trunc"; })
      .Case([](math::CopySignOp) { return "llvm.copysign"; })
      .Case([](math::FmaOp) { return "llvm.fma"; })
      .Case([](arith::MaximumFOp) { return "llvm.maximum"; })
      .Case([](arith::MinimumFOp) { return "llvm.minimum"; })
      .Case([](arith::MaxNumFOp) { return "llvm.maxnum"; })
      .Case([](arith::MinNumFOp) { return "llvm.minnum"; })
      .Default([](Operation *) { return ""; });
}

struct MathToIntrinsicsPass
    : mlir::qopt::impl::MathToIntrinsicsPassBase<MathToIntrinsicsPass> {
  void runOnOperation() override {
    IRRewriter rewriter(&getContext());
    SmallVector<Operation *> ops;
    getOperation().walk([&](Operation *op) {
      if (op->getNumResults() == 1 && !getIntrinsic(op).empty() &&
          (op->getResult(0).getType().isF32() ||
           op->getResult(0).getType().isF64()))
        ops.push_back(op);
    });
    for (Operation *op : ops) {
      rewriter.setInsertionPoint(op);
      rewriter.replaceOp(
          op, LLVM::CallIntrinsicOp::create(
                  rewriter, op->getLoc(), op->getResult(0).getType(),
                  rewriter.getStringAttr(getIntrinsic(op)), op->getOperands())
                  .getResults());
    }
  }
};

} // namespace
