//===- FuseElementwise.cpp - qopt-cpu-fuse-elementwise -----------*- C++ -*-===//
//
// Elementwise fusion that never fuses into contractions (see Passes.td).
//
//===----------------------------------------------------------------------===//

#include "qopt/Target/CPU/Passes.h"

#include "mlir/Dialect/Linalg/IR/LinalgInterfaces.h"
#include "mlir/Dialect/Linalg/Transforms/Transforms.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

namespace mlir::qopt {
#define GEN_PASS_DEF_FUSEELEMENTWISEPASS
#include "qopt/Target/CPU/Passes.h.inc"
} // namespace mlir::qopt

using namespace mlir;

namespace {

/// True when fusing the producer of `operand` into its consumer computes
/// each produced element once.
bool readsEachElementOnce(OpOperand *operand) {
  auto consumer = dyn_cast<linalg::LinalgOp>(operand->getOwner());
  if (!consumer)
    return false;
  if (consumer.getNumReductionLoops() == 0)
    return true;
  if (linalg::isaContractionOpInterface(consumer))
    return false;
  return consumer.getMatchingIndexingMap(operand).isPermutation();
}

struct FuseElementwisePass
    : mlir::qopt::impl::FuseElementwisePassBase<FuseElementwisePass> {
  void runOnOperation() override {
    RewritePatternSet patterns(&getContext());
    linalg::populateElementwiseOpsFusionPatterns(patterns,
                                                 readsEachElementOnce);
    linalg::GenericOp::getCanonicalizationPatterns(patterns, &getContext());
    if (failed(applyPatternsGreedily(getOperation(), std::move(patterns))))
      signalPassFailure();
  }
};

} // namespace
