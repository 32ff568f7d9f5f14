//===- TileAndVectorize.cpp - qopt-cpu-tile-and-vectorize --------*- C++ -*-===//
//
// Tiles linalg ops on tensors to register-sized tiles and vectorizes them:
// contractions to an m x n outer-product micro-kernel over K, everything else
// along its innermost loop. See Passes.td for the strategy.
//
//===----------------------------------------------------------------------===//

#include "qopt/Target/CPU/Passes.h"
#include "qopt/Target/CPU/Transforms.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Linalg/IR/LinalgInterfaces.h"
#include "mlir/Dialect/Linalg/Transforms/Transforms.h"
#include "mlir/Dialect/SCF/Transforms/TileUsingInterface.h"
#include "mlir/Dialect/SCF/Transforms/Transforms.h"
#include "mlir/Dialect/Utils/StaticValueUtils.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"
#include "mlir/IR/AsmState.h"
#include "mlir/IR/DialectResourceBlobManager.h"
#include "mlir/IR/PatternMatch.h"

#include <cstring>

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
  /// Tile the innermost (only) reduction dim as a partial reduction: a
  /// [..., tile] accumulator updated lane-wise, merged once per row.
  bool partialReduction = false;
};

std::optional<TilingPlan> planContraction(linalg::LinalgOp op, int64_t mTile,
                                          int64_t nTile) {
  if (!linalg::isaContractionOpInterface(op))
    return std::nullopt;
  FailureOr<linalg::ContractionDimensions> dims =
      linalg::inferContractionDims(op);
  if (failed(dims) || dims->m.size() != 1 || dims->n.empty() ||
      dims->k.size() != 1)
    return std::nullopt;
  unsigned numLoops = op.getNumLoops();
  TilingPlan plan;
  plan.tileSizes.assign(numLoops, 1);
  plan.tileSizes[dims->m[0]] = mTile;
  // Packed weights have N split into (blocks, lanes): tile the lanes.
  plan.tileSizes[dims->n.back()] = nTile;
  plan.tileSizes[dims->k[0]] = 1;
  for (unsigned b : dims->batch)
    plan.interchange.push_back(b);
  plan.interchange.append(dims->n.begin(), dims->n.end());
  plan.interchange.append({dims->m[0], dims->k[0]});
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

/// The bytes of a constant's elements, when they are stored densely (not a
/// splat). Empty otherwise.
ArrayRef<char> getConstantBytes(Attribute value) {
  if (auto resource = dyn_cast<DenseResourceElementsAttr>(value)) {
    if (AsmResourceBlob *blob = resource.getRawHandle().getBlob())
      return blob->getData();
    return {};
  }
  if (auto dense = dyn_cast<DenseElementsAttr>(value))
    if (!dense.isSplat())
      return dense.getRawData();
  return {};
}

/// Data tiling of constant weights: `linalg.matmul(A, B)` with B an
/// [K, N] constant becomes a contraction over B packed as [N/n, K, n]
/// (n = the register tile's columns), so the micro-kernel streams B
/// contiguously instead of striding N elements per K step (which misses the
/// TLB on large layers). Packing happens here, at compile time.
void packConstantMatmulWeights(func::FuncOp func, int64_t nTile) {
  SmallVector<linalg::MatmulOp> matmuls;
  func.walk([&](linalg::MatmulOp op) {
    if (op.hasPureTensorSemantics())
      matmuls.push_back(op);
  });
  IRRewriter rewriter(func.getContext());
  for (linalg::MatmulOp op : matmuls) {
    // The default (non-transposed, non-broadcast) matmul only.
    if (!op.getIndexingMaps() ||
        op.getIndexingMapsArray() !=
            linalg::MatmulOp::getDefaultIndexingMaps(op.getContext()))
      continue;
    Value a = op.getInputs()[0], b = op.getInputs()[1];
    Value init = op.getOutputs()[0];
    auto constant = b.getDefiningOp<arith::ConstantOp>();
    auto bType = dyn_cast<RankedTensorType>(b.getType());
    if (!constant || !bType || !bType.hasStaticShape())
      continue;
    int64_t k = bType.getDimSize(0), n = bType.getDimSize(1);
    Type elem = bType.getElementType();
    unsigned bits = elem.getIntOrFloatBitWidth();
    if (n <= nTile || n % nTile != 0 || bits % 8 != 0)
      continue;
    ArrayRef<char> bytes = getConstantBytes(constant.getValue());
    size_t elemBytes = bits / 8;
    if (bytes.size() != static_cast<size_t>(k * n) * elemBytes)
      continue;
    int64_t blocks = n / nTile;
    std::vector<char> packed(bytes.size());
    for (int64_t nb = 0; nb < blocks; ++nb)
      for (int64_t kk = 0; kk < k; ++kk)
        std::memcpy(&packed[((nb * k + kk) * nTile) * elemBytes],
                    &bytes[(kk * n + nb * nTile) * elemBytes],
                    nTile * elemBytes);
    auto packedType = RankedTensorType::get({blocks, k, nTile}, elem);
    auto attr = DenseResourceElementsAttr::get(
        packedType, "qopt.packed_weight",
        HeapAsmResourceBlob::allocateAndCopyWithAlign(packed, 64));

    Location loc = op.getLoc();
    rewriter.setInsertionPoint(op);
    Value bPacked = arith::ConstantOp::create(rewriter, loc, packedType, attr);
    auto initType = cast<RankedTensorType>(init.getType());
    int64_t m = initType.getDimSize(0);
    auto init3Type = RankedTensorType::get({m, blocks, nTile}, elem);
    SmallVector<OpFoldResult> init3Shape = {
        tensor::getMixedSize(rewriter, loc, init, 0),
        rewriter.getIndexAttr(blocks), rewriter.getIndexAttr(nTile)};
    SmallVector<ReassociationIndices> groups = {{0}, {1, 2}};
    Value init3 = tensor::ExpandShapeOp::create(rewriter, loc, init3Type, init,
                                                groups, init3Shape);
    MLIRContext *ctx = op.getContext();
    AffineExpr dm = getAffineDimExpr(0, ctx), dnb = getAffineDimExpr(1, ctx),
               dni = getAffineDimExpr(2, ctx), dk = getAffineDimExpr(3, ctx);
    SmallVector<AffineMap> maps = {AffineMap::get(4, 0, {dm, dk}, ctx),
                                   AffineMap::get(4, 0, {dnb, dk, dni}, ctx),
                                   AffineMap::get(4, 0, {dm, dnb, dni}, ctx)};
    SmallVector<utils::IteratorType> iterators = {
        utils::IteratorType::parallel, utils::IteratorType::parallel,
        utils::IteratorType::parallel, utils::IteratorType::reduction};
    bool isFloat = isa<FloatType>(elem);
    auto generic = linalg::GenericOp::create(
        rewriter, loc, TypeRange{init3Type}, ValueRange{a, bPacked},
        ValueRange{init3}, maps, iterators,
        [&](OpBuilder &nb, Location nl, ValueRange args) {
          Value product =
              isFloat ? arith::MulFOp::create(nb, nl, args[0], args[1])
                            .getResult()
                      : arith::MulIOp::create(nb, nl, args[0], args[1])
                            .getResult();
          Value sum = isFloat
                          ? arith::AddFOp::create(nb, nl, args[2], product)
                                .getResult()
                          : arith::AddIOp::create(nb, nl, args[2], product)
                                .getResult();
          linalg::YieldOp::create(nb, nl, sum);
        });
    Value result = tensor::CollapseShapeOp::create(
        rewriter, loc, initType, generic.getResult(0), groups);
    rewriter.replaceOp(op, result);
  }
}

std::optional<TilingPlan> planInnermost(linalg::LinalgOp op,
                                        int64_t vectorWidth) {
  if (linalg::isaConvolutionOpInterface(op))
    return std::nullopt;
  // Reductions are vectorized along their innermost dim when it is a
  // reduction dim: full tiles after peeling need no masks (masked
  // vector.multi_reductions do not verify in MLIR 22). A single reduction
  // dim longer than one vector (or dynamic) is tiled as a partial
  // reduction, so each full tile is one lane-wise vector op and the
  // horizontal reduction happens once per row.
  bool partialReduction = false;
  if (op.getNumReductionLoops() != 0) {
    SmallVector<utils::IteratorType> iterators = op.getIteratorTypesArray();
    int64_t inner = op.getStaticLoopRanges().back();
    if (iterators.back() != utils::IteratorType::reduction ||
        (!ShapedType::isDynamic(inner) && inner < vectorWidth))
      return std::nullopt;
    partialReduction = op.getNumReductionLoops() == 1 &&
                       (ShapedType::isDynamic(inner) || inner > vectorWidth);
  }
  unsigned numLoops = op.getNumLoops();
  if (numLoops == 0)
    return std::nullopt;
  // Tiling computes operand slices from the indexing maps; maps with
  // floordiv / mod (im2col) or other non-permutation exprs do not give
  // rectangular slices, so such ops stay whole.
  if (!llvm::all_of(op.getIndexingMapsArray(), [](AffineMap map) {
        return map.isProjectedPermutation();
      }))
    return std::nullopt;
  TilingPlan plan;
  plan.tileSizes.assign(numLoops, 1);
  SmallVector<int64_t> ranges = op.getStaticLoopRanges();
  int64_t inner = ranges.back();
  plan.tileSizes.back() = ShapedType::isDynamic(inner)
                              ? vectorWidth
                              : std::min(inner, vectorWidth);
  plan.vectorSizes = plan.tileSizes;
  plan.partialReduction = partialReduction;
  return plan;
}

/// Whether `op` multiplies two inputs and accumulates over a reduction dim
/// (a matmul, convolution or batched matmul in any generic form).
bool isMultiplyAccumulate(linalg::LinalgOp op) {
  if (op.getNumReductionLoops() == 0 || op.getNumDpsInputs() != 2)
    return false;
  return op.getBlock()
      ->walk([](Operation *inner) {
        return isa<arith::MulFOp, arith::MulIOp>(inner)
                   ? WalkResult::interrupt()
                   : WalkResult::advance();
      })
      .wasInterrupted();
}

/// The estimate min-parallel-work is compared with: the product of an op's
/// loop ranges (dynamic dims count as 16), in units of one vectorized
/// elementwise iteration. A multiply-accumulate iteration of a register-
/// tiled kernel costs far less (16 fp32 FMA lanes, or 64 u8 x s8 products
/// per vpdpbusd): contractions count 1/16 (float) or 1/64 (integer) per
/// iteration, so a 1 x 256 x 256 matmul (a few microseconds) does not pay
/// for an OpenMP fork/join, while the elementwise ops around it keep their
/// threshold.
int64_t estimateWork(linalg::LinalgOp op) {
  int64_t work = 1;
  for (int64_t r : op.getStaticLoopRanges())
    work = std::min<int64_t>(work * (ShapedType::isDynamic(r) ? 16 : r),
                             int64_t(1) << 40);
  if (isMultiplyAccumulate(op)) {
    Type element = getElementTypeOrSelf(op.getDpsInits()[0].getType());
    work = std::max<int64_t>(1, work / (element.isInteger() ? 64 : 16));
  }
  return work;
}

constexpr StringLiteral kVectorizeMarker = "__qopt_vectorize";
constexpr StringLiteral kParallelMarker = mlir::qopt::kParallelLoopAttrName;

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
    // A partial reduction tiles the parallel dims first (upstream's partial
    // reduction tiling takes the reduction dims only).
    if (plan.partialReduction)
      sizes.back() = rewriter.getIndexAttr(0);
    options.setTileSizes(sizes);
    if (!plan.interchange.empty())
      options.setInterchange(plan.interchange);
    FailureOr<scf::SCFTilingResult> tiled = scf::tileUsingSCF(
        rewriter, cast<TilingInterface>(op.getOperation()), options);
    if (failed(tiled))
      return;
    // The markers read `op` (its iterators, ranges, work): before it is
    // replaced and erased.
    markParallelLoop(rewriter, op, plan, tiled->loops);
    markReductionLoops(rewriter, op, plan, tiled->loops);
    rewriter.replaceOp(op, tiled->replacements);
    // Marked before peeling, so the peeled remainder tiles (clones) are
    // vectorized too when their sizes turn out static.
    if (!plan.partialReduction)
      for (Operation *tiledOp : tiled->tiledOps)
        tiledOp->setAttr(kVectorizeMarker, rewriter.getUnitAttr());
    peelLoops(rewriter, tiled->loops);
    if (plan.partialReduction)
      for (Operation *tiledOp : tiled->tiledOps)
        tilePartialReduction(rewriter, cast<linalg::LinalgOp>(tiledOp),
                             plan.tileSizes.back());
  }

  /// Tiles the innermost (reduction) dim of `op` by `width` into a
  /// [..., width] accumulator updated lane-wise, plus one merge reduction
  /// over the accumulator; both are marked for vectorization.
  void tilePartialReduction(IRRewriter &rewriter, linalg::LinalgOp op,
                            int64_t width) {
    rewriter.setInsertionPoint(op);
    scf::SCFTilingOptions options;
    SmallVector<OpFoldResult> sizes(op.getNumLoops(),
                                    rewriter.getIndexAttr(0));
    sizes.back() = rewriter.getIndexAttr(width);
    options.setTileSizes(sizes);
    options.setReductionTilingStrategy(
        ReductionTilingStrategy::PartialReductionOuterReduction);
    options.setReductionDims({op.getNumLoops() - 1});
    FailureOr<scf::SCFTilingResult> tiled = scf::tileUsingSCF(
        rewriter, cast<TilingInterface>(op.getOperation()), options);
    if (failed(tiled)) {
      op->setAttr(kVectorizeMarker, rewriter.getUnitAttr());
      return;
    }
    rewriter.replaceOp(op, tiled->replacements);
    for (LoopLikeOpInterface loop : tiled->loops)
      loop->setAttr(mlir::qopt::kReductionLoopAttrName,
                    rewriter.getUnitAttr());
    for (Operation *tiledOp : tiled->tiledOps)
      tiledOp->setAttr(kVectorizeMarker, rewriter.getUnitAttr());
    for (Operation *merge : tiled->mergeOps)
      if (isa<linalg::LinalgOp>(merge))
        merge->setAttr(kVectorizeMarker, rewriter.getUnitAttr());
    peelLoops(rewriter, tiled->loops);
  }

  /// Whether `op` has enough work for an OpenMP region (min-parallel-work).
  bool wantsThreads(linalg::LinalgOp op) {
    return parallelize && estimateWork(op) >= minParallelWork;
  }

  /// Calls `rewrite` on every op of type OpT in `func` (collected first, so
  /// the rewrite may replace them), with the insertion point at the op.
  /// Ops a rewrite erases besides its own (a fused epilogue) are skipped.
  template <typename OpT, typename RewriteFn>
  void rewriteEach(func::FuncOp func, RewriteFn rewrite) {
    SmallVector<OpT> ops;
    func.walk([&](OpT op) { ops.push_back(op); });
    struct ErasedOps : RewriterBase::Listener {
      void notifyOperationErased(Operation *op) override { erased.insert(op); }
      llvm::SmallPtrSet<Operation *, 16> erased;
    } listener;
    IRRewriter rewriter(func.getContext(), &listener);
    for (OpT op : ops) {
      if (listener.erased.contains(op.getOperation()))
        continue;
      rewriter.setInsertionPoint(op);
      rewrite(rewriter, op);
    }
  }

  /// The outermost tile loop over a parallel dimension with more than one
  /// tile (batch or N for contractions, leading dims otherwise) runs its
  /// independent tiles on threads; loops over single tiles are skipped.
  /// An OpenMP region costs a few microseconds to open, so only ops with
  /// enough work get one (dynamic dims count as 16 in the estimate).
  void markParallelLoop(IRRewriter &rewriter, linalg::LinalgOp op,
                        const TilingPlan &plan,
                        ArrayRef<LoopLikeOpInterface> loops) {
    if (!wantsThreads(op))
      return;
    SmallVector<utils::IteratorType> iterators = op.getIteratorTypesArray();
    SmallVector<int64_t> ranges = op.getStaticLoopRanges();
    for (auto [i, loop] : llvm::enumerate(loops)) {
      unsigned dim = plan.interchange.empty() ? i : plan.interchange[i];
      if (iterators[dim] != utils::IteratorType::parallel)
        break;
      if (ShapedType::isDynamic(ranges[dim]) ||
          ranges[dim] > plan.tileSizes[dim]) {
        loop->setAttr(kParallelMarker, rewriter.getUnitAttr());
        break;
      }
    }
  }

  /// Marks the tile loops over reduction dims (a contraction's K loop) for
  /// qopt-cpu-hoist-accumulators.
  void markReductionLoops(IRRewriter &rewriter, linalg::LinalgOp op,
                          const TilingPlan &plan,
                          ArrayRef<LoopLikeOpInterface> loops) {
    SmallVector<utils::IteratorType> iterators = op.getIteratorTypesArray();
    SmallVector<unsigned> tiledDims;
    for (unsigned i = 0; i < plan.tileSizes.size(); ++i) {
      unsigned dim = plan.interchange.empty() ? i : plan.interchange[i];
      if (plan.tileSizes[dim] != 0 &&
          !(plan.partialReduction && dim + 1 == plan.tileSizes.size()))
        tiledDims.push_back(dim);
    }
    for (auto [loop, dim] : llvm::zip(loops, tiledDims))
      if (iterators[dim] == utils::IteratorType::reduction)
        loop->setAttr(mlir::qopt::kReductionLoopAttrName,
                      rewriter.getUnitAttr());
  }

  /// Peels the last partial iteration off every loop with a step > 1.
  void peelLoops(IRRewriter &rewriter, ArrayRef<LoopLikeOpInterface> loops) {
    for (LoopLikeOpInterface loop : loops) {
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
    if (mTile <= 0 || nTile <= 0 || vectorWidth <= 0) {
      func.emitError() << "qopt-cpu-tile-and-vectorize: m-tile, n-tile and "
                          "vector-width must be positive (got m-tile="
                       << int64_t(mTile) << " n-tile=" << int64_t(nTile)
                       << " vector-width=" << int64_t(vectorWidth) << ")";
      return signalPassFailure();
    }
    if (packWeights)
      packConstantMatmulWeights(func, nTile);
    // 2-D convolutions become im2col + a batched contraction, which the
    // register-tiled micro-kernel below handles like any matmul: ours (a
    // vectorized copy into packed panels) where the shapes allow, upstream's
    // otherwise.
    rewriteEach<linalg::Conv2DNchwFchwOp>(
        func, [&](IRRewriter &rewriter, linalg::Conv2DNchwFchwOp conv) {
          if (conv.hasPureTensorSemantics() &&
              failed(mlir::qopt::rewriteConvAsPackedIm2Col(
                  rewriter, conv, nTile, wantsThreads(conv))))
            (void)linalg::rewriteInIm2Col(rewriter, conv);
        });
    // u8 x s8 integer matmuls and convolutions with constant weights: the
    // int8 kernels (VNNI, or AVX2 where the weights allow).
    if (vnni || avx2Int8) {
      mlir::qopt::Int8ISA isa = vnni ? mlir::qopt::Int8ISA::AVX512VNNI
                                     : mlir::qopt::Int8ISA::AVX2;
      rewriteEach<linalg::GenericOp>(
          func, [&](IRRewriter &rewriter, linalg::GenericOp op) {
            if (succeeded(mlir::qopt::rewriteU8S8Matmul(rewriter, op, isa,
                                                        wantsThreads(op))) ||
                succeeded(mlir::qopt::rewriteU8S8Conv(rewriter, op, isa,
                                                      wantsThreads(op))))
              return;
            // Two run-time operands: VNNI only (their byte pairs cannot be
            // checked for the AVX2 kernel).
            if (vnni)
              (void)mlir::qopt::rewriteU8S8BatchedMatmul(rewriter, op,
                                                         wantsThreads(op));
          });
    }
    // NCHW max/sum pooling: row vectors with lane-selecting shuffles.
    rewriteEach<linalg::LinalgOp>(
        func, [&](IRRewriter &rewriter, linalg::LinalgOp op) {
          (void)mlir::qopt::rewritePoolingAsRowVectors(rewriter, op,
                                                       wantsThreads(op));
        });
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
