//===- FuseElementwise.cpp - qopt-cpu-fuse-elementwise -----------*- C++ -*-===//
//
// Elementwise fusion that never fuses into contractions (see Passes.td).
//
//===----------------------------------------------------------------------===//

#include "qopt/Target/CPU/Passes.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Linalg/IR/LinalgInterfaces.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
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

/// Whether recomputing a producer's body in every consumer would cost more
/// than materializing it once: transcendental math or a division.
bool isExpensiveToRecompute(linalg::GenericOp producer) {
  return producer.getBody()
      ->walk([](Operation *op) {
        return isa<math::MathDialect>(op->getDialect()) ||
                       isa<arith::DivFOp, arith::DivSIOp, arith::DivUIOp>(op)
                   ? WalkResult::interrupt()
                   : WalkResult::advance();
      })
      .wasInterrupted();
}

/// A producer that gathers (tensor.extract at computed indices: an
/// embedding lookup, a Gather).
bool gathers(linalg::GenericOp producer) {
  return producer.getBody()
      ->walk([](tensor::ExtractOp) { return WalkResult::interrupt(); })
      .wasInterrupted();
}

/// Fusion control: the consumer reads each producer element once, and an
/// expensive producer with several consumers (softmax's exp feeds both the
/// sum and the normalization) is computed once instead of in each. A
/// gathering producer is not fused into a reduction: vectorizing the
/// gather inside the reduction's partial-reduction tiles computed wrong
/// values (an embedding lookup fused into LayerNorm's mean, char-gpt), and
/// LayerNorm would repeat the lookup in each of its reductions anyway.
bool shouldFuse(OpOperand *operand) {
  if (!readsEachElementOnce(operand))
    return false;
  auto producer = operand->get().getDefiningOp<linalg::GenericOp>();
  auto consumer = cast<linalg::LinalgOp>(operand->getOwner());
  if (producer && consumer.getNumReductionLoops() != 0 && gathers(producer))
    return false;
  if (producer && !operand->get().hasOneUse() &&
      isExpensiveToRecompute(producer))
    return false;
  return true;
}

/// Whether `op` is a linalg.generic with parallel loops only.
bool isElementwiseGeneric(Operation *op) {
  auto generic = dyn_cast_or_null<linalg::GenericOp>(op);
  return generic && generic.getNumReductionLoops() == 0;
}

/// A transpose next to an elementwise generic becomes a generic itself, so
/// the fusion reads through it instead of copying: attention's Q/K/V are
/// transposed in f32 and then quantized, and its context is dequantized and
/// then transposed; fused, each is one pass (with the int8 tensor a quarter
/// of the bytes).
void generalizeTransposesNextToElementwise(func::FuncOp func) {
  SmallVector<linalg::TransposeOp> transposes;
  func.walk([&](linalg::TransposeOp op) {
    Value result = op->getResult(0);
    if (!op.hasPureTensorSemantics())
      return;
    if (isElementwiseGeneric(op.getInput().getDefiningOp()) ||
        (result.hasOneUse() &&
         isElementwiseGeneric(*result.getUsers().begin())))
      transposes.push_back(op);
  });
  IRRewriter rewriter(func.getContext());
  for (linalg::TransposeOp op : transposes) {
    rewriter.setInsertionPoint(op);
    (void)linalg::generalizeNamedOp(rewriter, op);
  }
}

struct FuseElementwisePass
    : mlir::qopt::impl::FuseElementwisePassBase<FuseElementwisePass> {
  void runOnOperation() override {
    generalizeTransposesNextToElementwise(getOperation());
    RewritePatternSet patterns(&getContext());
    linalg::populateElementwiseOpsFusionPatterns(patterns, shouldFuse);
    linalg::GenericOp::getCanonicalizationPatterns(patterns, &getContext());
    if (failed(applyPatternsGreedily(getOperation(), std::move(patterns))))
      signalPassFailure();
  }
};

} // namespace
