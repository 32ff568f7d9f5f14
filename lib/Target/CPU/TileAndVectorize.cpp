//===- TileAndVectorize.cpp - qopt-cpu-tile-and-vectorize --------*- C++ -*-===//
//
// Tiles linalg ops on tensors to register-sized tiles and vectorizes them:
// contractions to an m x n outer-product micro-kernel over K, everything else
// along its innermost loop. See Passes.td for the strategy.
//
//===----------------------------------------------------------------------===//

#include "qopt/Target/CPU/Passes.h"

#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Linalg/IR/LinalgInterfaces.h"
#include "mlir/Dialect/Linalg/Transforms/Transforms.h"
#include "mlir/Dialect/SCF/Transforms/TileUsingInterface.h"
#include "mlir/Dialect/SCF/Transforms/Transforms.h"
#include "mlir/Dialect/Utils/StaticValueUtils.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"
#include "mlir/IR/PatternMatch.h"

#define DEBUG_TYPE "qopt-cpu-tile-and-vectorize"

namespace mlir::qopt {
#define GEN_PASS_DEF_TILEANDVECTORIZEPASS
#include "qopt/Target/CPU/Passes.h.inc"
} // namespace mlir::qopt

using namespace mlir;

namespace {

/// Tile sizes, loop order and vector sizes for one op; empty when the op
/// keeps its scalar form.
struct TilingPlan {
  SmallVector<int64_t> tileSizes;
  SmallVector<int64_t> interchange;
  SmallVector<int64_t> vectorSizes;
};

std::optional<TilingPlan> planContraction(linalg::LinalgOp op, int64_t mTile,
                                          int64_t nTile) {
  if (!linalg::isaContractionOpInterface(op))
    return std::nullopt;
  FailureOr<linalg::ContractionDimensions> dims =
      linalg::inferContractionDims(op);
  if (failed(dims) || dims->m.size() != 1 || dims->n.size() != 1 ||
      dims->k.size() != 1)
    return std::nullopt;
  unsigned numLoops = op.getNumLoops();
  TilingPlan plan;
  plan.tileSizes.assign(numLoops, 1);
  plan.tileSizes[dims->m[0]] = mTile;
  plan.tileSizes[dims->n[0]] = nTile;
  plan.tileSizes[dims->k[0]] = 1;
  for (unsigned b : dims->batch)
    plan.interchange.push_back(b);
  plan.interchange.append({dims->n[0], dims->m[0], dims->k[0]});
  if (plan.interchange.size() != numLoops)
    return std::nullopt;
  plan.vectorSizes = plan.tileSizes;
  // Small static dims: the tile is the whole dim.
  SmallVector<int64_t> ranges = op.getStaticLoopRanges();
  for (unsigned d = 0; d < numLoops; ++d)
    if (!ShapedType::isDynamic(ranges[d]) && ranges[d] < plan.tileSizes[d])
      plan.tileSizes[d] = plan.vectorSizes[d] = ranges[d];
  return plan;
}

std::optional<TilingPlan> planInnermost(linalg::LinalgOp op,
                                        int64_t vectorWidth) {
  if (linalg::isaConvolutionOpInterface(op))
    return std::nullopt;
  // Masked reductions do not vectorize reliably in MLIR 22 (the masked
  // vector.multi_reduction fails to verify); reductions stay scalar loops,
  // which LLVM's loop vectorizer still handles.
  if (op.getNumReductionLoops() != 0)
    return std::nullopt;
  unsigned numLoops = op.getNumLoops();
  if (numLoops == 0)
    return std::nullopt;
  TilingPlan plan;
  plan.tileSizes.assign(numLoops, 1);
  SmallVector<int64_t> ranges = op.getStaticLoopRanges();
  int64_t inner = ranges.back();
  plan.tileSizes.back() = ShapedType::isDynamic(inner)
                              ? vectorWidth
                              : std::min(inner, vectorWidth);
  plan.vectorSizes = plan.tileSizes;
  return plan;
}

constexpr StringLiteral kVectorizeMarker = "__qopt_vectorize";
constexpr StringLiteral kParallelMarker = "qopt.parallel";

struct TileAndVectorizePass
    : mlir::qopt::impl::TileAndVectorizePassBase<TileAndVectorizePass> {
  using Base::Base;

  /// Tiles `op` by `plan`, marks the tiled op for vectorization and peels
  /// the loops whose step exceeds 1, so the main loops run full tiles of
  /// static size and only a remainder iteration has dynamic sizes.
  void tileAndPeel(IRRewriter &rewriter, linalg::LinalgOp op,
                   const TilingPlan &plan) {
    rewriter.setInsertionPoint(op);
    scf::SCFTilingOptions options;
    SmallVector<OpFoldResult> sizes;
    for (int64_t s : plan.tileSizes)
      sizes.push_back(rewriter.getIndexAttr(s));
    options.setTileSizes(sizes);
    if (!plan.interchange.empty())
      options.setInterchange(plan.interchange);
    FailureOr<scf::SCFTilingResult> tiled = scf::tileUsingSCF(
        rewriter, cast<TilingInterface>(op.getOperation()), options);
    if (failed(tiled))
      return;
    rewriter.replaceOp(op, tiled->replacements);
    for (Operation *tiledOp : tiled->tiledOps)
      tiledOp->setAttr(kVectorizeMarker, rewriter.getUnitAttr());
    // The outermost loop walks a parallel dimension (batch or N for
    // contractions, dim 0 otherwise): its tiles are independent.
    if (parallelize && !tiled->loops.empty()) {
      unsigned outerDim =
          plan.interchange.empty() ? 0 : plan.interchange.front();
      SmallVector<utils::IteratorType> iterators = op.getIteratorTypesArray();
      SmallVector<int64_t> ranges = op.getStaticLoopRanges();
      bool worthIt = ShapedType::isDynamic(ranges[outerDim]) ||
                     ranges[outerDim] > plan.tileSizes[outerDim];
      if (iterators[outerDim] == utils::IteratorType::parallel && worthIt)
        tiled->loops.front()->setAttr(kParallelMarker,
                                      rewriter.getUnitAttr());
    }
    for (LoopLikeOpInterface loop : tiled->loops) {
      auto forOp = dyn_cast<scf::ForOp>(loop.getOperation());
      if (!forOp)
        continue;
      std::optional<int64_t> step = getConstantIntValue(forOp.getStep());
      if (!step || *step == 1)
        continue;
      scf::ForOp partial;
      (void)scf::peelForLoopAndSimplifyBounds(rewriter, forOp, partial);
    }
  }

  void runOnOperation() override {
    func::FuncOp func = getOperation();
    MLIRContext *ctx = &getContext();
    SmallVector<linalg::LinalgOp> ops;
    func.walk([&](linalg::LinalgOp op) {
      if (op.hasPureTensorSemantics() && !isa<linalg::FillOp>(op))
        ops.push_back(op);
    });
    IRRewriter rewriter(ctx);
    for (linalg::LinalgOp op : ops) {
      std::optional<TilingPlan> plan = planContraction(op, mTile, nTile);
      if (!plan)
        plan = planInnermost(op, vectorWidth);
      if (plan)
        tileAndPeel(rewriter, op, *plan);
    }

    // Fold the peeled bounds into static slice types.
    RewritePatternSet patterns(ctx);
    for (Dialect *dialect : ctx->getLoadedDialects())
      dialect->getCanonicalizationPatterns(patterns);
    for (RegisteredOperationName name : ctx->getRegisteredOperations())
      name.getCanonicalizationPatterns(patterns, ctx);
    if (failed(applyPatternsGreedily(func, std::move(patterns))))
      return signalPassFailure();

    // Vectorize the full tiles; remainder tiles (dynamic sizes) stay scalar.
    SmallVector<linalg::LinalgOp> marked;
    func.walk([&](linalg::LinalgOp op) {
      if (op->hasAttr(kVectorizeMarker))
        marked.push_back(op);
    });
    for (linalg::LinalgOp op : marked) {
      op->removeAttr(kVectorizeMarker);
      // i1 tensors are stored a byte per element, but vector<Nxi1> loads and
      // stores are bit-packed: keep bool ops scalar.
      auto isBool = [](Type t) { return getElementTypeOrSelf(t).isInteger(1); };
      if (llvm::any_of(op->getOperandTypes(), isBool) ||
          llvm::any_of(op->getResultTypes(), isBool))
        continue;
      if (!op.hasPureTensorSemantics() ||
          llvm::any_of(op.getStaticLoopRanges(), ShapedType::isDynamic) ||
          failed(linalg::vectorizeOpPrecondition(op)))
        continue;
      rewriter.setInsertionPoint(op);
      FailureOr<linalg::VectorizationResult> result =
          linalg::vectorize(rewriter, op);
      if (failed(result))
        continue;
      if (op->getNumResults())
        rewriter.replaceOp(op, result->replacements);
      else
        rewriter.eraseOp(op);
    }
  }
};

} // namespace
