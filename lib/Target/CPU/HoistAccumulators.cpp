//===- HoistAccumulators.cpp - qopt-cpu-hoist-accumulators -------*- C++ -*-===//
//
// Loop-invariant subset hoisting on the reduction loops the tiling marked.
//
//===----------------------------------------------------------------------===//

#include "qopt/Target/CPU/Passes.h"
#include "qopt/Target/CPU/Transforms.h"

#include "mlir/IR/PatternMatch.h"
#include "mlir/Transforms/LoopInvariantCodeMotionUtils.h"

namespace mlir::qopt {
#define GEN_PASS_DEF_HOISTACCUMULATORSPASS
#include "qopt/Target/CPU/Passes.h.inc"
} // namespace mlir::qopt

using namespace mlir;

namespace {
struct HoistAccumulatorsPass
    : mlir::qopt::impl::HoistAccumulatorsPassBase<HoistAccumulatorsPass> {
  void runOnOperation() override {
    // Innermost first, as the upstream pass does.
    SmallVector<scf::ForOp> loops;
    getOperation()->walk([&](scf::ForOp loop) {
      if (loop->hasAttr(qopt::kReductionLoopAttrName))
        loops.push_back(loop);
    });
    IRRewriter rewriter(&getContext());
    for (scf::ForOp loop : loops) {
      loop->removeAttr(qopt::kReductionLoopAttrName);
      (void)hoistLoopInvariantSubsets(rewriter, loop);
    }
  }
};
} // namespace
