//===- ParallelizeLoops.cpp - qopt-cpu-parallelize-loops ---------*- C++ -*-===//
//
// Marked outermost tile loops (independent tiles) become scf.parallel, which
// the pipeline maps to OpenMP.
//
//===----------------------------------------------------------------------===//

#include "qopt/Target/CPU/Passes.h"
#include "qopt/Target/CPU/Transforms.h"

#include "mlir/IR/IRMapping.h"
#include "mlir/IR/PatternMatch.h"

namespace mlir::qopt {
#define GEN_PASS_DEF_PARALLELIZELOOPSPASS
#include "qopt/Target/CPU/Passes.h.inc"
} // namespace mlir::qopt

using namespace mlir;

namespace {
struct ParallelizeLoopsPass
    : mlir::qopt::impl::ParallelizeLoopsPassBase<ParallelizeLoopsPass> {
  void runOnOperation() override {
    // Outermost first: a marked loop inside another marked (or already
    // parallel) loop stays sequential, so OpenMP regions never nest.
    SmallVector<scf::ForOp> loops;
    getOperation()->walk<WalkOrder::PreOrder>([&](scf::ForOp loop) {
      if (loop->hasAttr(qopt::kParallelLoopAttrName))
        loops.push_back(loop);
    });
    IRRewriter rewriter(&getContext());
    for (scf::ForOp loop : loops) {
      loop->removeAttr(qopt::kParallelLoopAttrName);
      // Only loops that carry nothing (bufferized tile loops) and are not
      // already inside a parallel loop.
      if (loop.getNumRegionIterArgs() != 0 ||
          loop->getParentOfType<scf::ParallelOp>())
        continue;
      bool nested = false;
      for (Operation *parent = loop->getParentOp(); parent;
           parent = parent->getParentOp())
        nested |= parent->hasAttr(qopt::kParallelLoopAttrName);
      if (nested)
        continue;
      rewriter.setInsertionPoint(loop);
      auto parallel = scf::ParallelOp::create(
          rewriter, loop.getLoc(), ValueRange{loop.getLowerBound()},
          ValueRange{loop.getUpperBound()}, ValueRange{loop.getStep()});
      Block *body = parallel.getBody();
      rewriter.setInsertionPointToStart(body);
      IRMapping mapping;
      mapping.map(loop.getInductionVar(), parallel.getInductionVars()[0]);
      for (Operation &op : loop.getBody()->without_terminator())
        rewriter.clone(op, mapping);
      rewriter.eraseOp(loop);
    }
  }
};
} // namespace
