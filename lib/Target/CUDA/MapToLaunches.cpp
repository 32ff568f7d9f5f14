//===- MapToLaunches.cpp - qopt-cuda-map-to-launches -------------*- C++ -*-===//
//
// linalg ops on device buffers -> one gpu.launch each, one thread per point
// of the op's parallel iteration space; see Passes.td.
//
//===----------------------------------------------------------------------===//

#include "qopt/Target/CUDA/Passes.h"

#include "IndexUtils.h"
#include "TensorCoreMatmul.h"

#include "mlir/Dialect/Arith/Utils/Utils.h"
#include "mlir/Dialect/Linalg/Transforms/Transforms.h"
#include "mlir/IR/IRMapping.h"
#include "mlir/IR/PatternMatch.h"

namespace mlir::qopt {
#define GEN_PASS_DEF_MAPTOLAUNCHESPASS
#include "qopt/Target/CUDA/Passes.h.inc"
} // namespace mlir::qopt

using namespace mlir;

namespace {

/// Trip count of one loop dimension: ceil((ub - lb) / step).
Value getTripCount(OpBuilder &b, Location loc, Value lb, Value ub,
                   Value step) {
  Value span = b.createOrFold<arith::SubIOp>(loc, ub, lb);
  return b.createOrFold<arith::CeilDivUIOp>(loc, span, step);
}

/// Replaces a nested scf.parallel (inside a kernel) by sequential loops.
void sequentialize(RewriterBase &rewriter, scf::ParallelOp loop) {
  rewriter.setInsertionPoint(loop);
  IRMapping mapping;
  Location loc = loop.getLoc();
  for (auto [iv, lb, ub, step] :
       llvm::zip(loop.getInductionVars(), loop.getLowerBound(),
                 loop.getUpperBound(), loop.getStep())) {
    auto inner = scf::ForOp::create(rewriter, loc, lb, ub, step);
    mapping.map(iv, inner.getInductionVar());
    rewriter.setInsertionPointToStart(inner.getBody());
  }
  for (Operation &op : loop.getBody()->without_terminator())
    rewriter.clone(op, mapping);
  rewriter.eraseOp(loop);
}

/// One thread per point of `loop`'s (flattened) iteration space.
LogicalResult mapToLaunch(RewriterBase &rewriter, scf::ParallelOp loop,
                          int64_t blockSize) {
  if (loop.getNumResults() != 0)
    return loop.emitOpError()
           << "has reductions, which qopt-cuda-map-to-launches does not map";
  Location loc = loop.getLoc();
  rewriter.setInsertionPoint(loop);
  SmallVector<Value> counts;
  Value total = arith::ConstantIndexOp::create(rewriter, loc, 1);
  for (auto [lb, ub, step] : llvm::zip(
           loop.getLowerBound(), loop.getUpperBound(), loop.getStep())) {
    counts.push_back(getTripCount(rewriter, loc, lb, ub, step));
    total = rewriter.createOrFold<arith::MulIOp>(loc, total, counts.back());
  }
  // Small static spaces get one block of just enough warps.
  int64_t threads = blockSize;
  if (std::optional<int64_t> n = getConstantIntValue(total))
    threads = std::max<int64_t>(32, std::min(blockSize, (*n + 31) / 32 * 32));
  Value one = arith::ConstantIndexOp::create(rewriter, loc, 1);
  Value block = arith::ConstantIndexOp::create(rewriter, loc, threads);
  // A grid of at least one block (CUDA rejects empty grids); the guard
  // below keeps an empty space empty.
  Value grid = rewriter.createOrFold<arith::MaxUIOp>(
      loc, rewriter.createOrFold<arith::CeilDivUIOp>(loc, total, block), one);
  auto launch =
      gpu::LaunchOp::create(rewriter, loc, grid, one, one, block, one, one);
  Block &body = launch.getBody().front();
  rewriter.setInsertionPointToEnd(&body);
  auto terminator = gpu::TerminatorOp::create(rewriter, loc);
  rewriter.setInsertionPoint(terminator);
  Value linear = arith::AddIOp::create(
      rewriter, loc,
      arith::MulIOp::create(rewriter, loc, launch.getBlockIds().x, block),
      launch.getThreadIds().x);
  Value inRange = arith::CmpIOp::create(rewriter, loc, arith::CmpIPredicate::ult,
                                        linear, total);
  auto guard = scf::IfOp::create(rewriter, loc, inRange, /*else=*/false);
  rewriter.setInsertionPointToStart(&guard.getThenRegion().front());
  // Delinearize, innermost dimension fastest.
  IRMapping mapping;
  SmallVector<Value> indices = qopt::delinearize(rewriter, loc, linear, counts);
  for (int64_t d = loop.getNumLoops() - 1; d >= 0; --d) {
    Value index = indices[d];
    Value iv = arith::AddIOp::create(
        rewriter, loc, loop.getLowerBound()[d],
        arith::MulIOp::create(rewriter, loc, index, loop.getStep()[d]));
    mapping.map(loop.getInductionVars()[d], iv);
  }
  for (Operation &op : loop.getBody()->without_terminator())
    rewriter.clone(op, mapping);
  rewriter.eraseOp(loop);
  // Any parallel loop left inside runs sequentially in the thread.
  SmallVector<scf::ParallelOp> nested;
  launch.walk([&](scf::ParallelOp inner) { nested.push_back(inner); });
  for (scf::ParallelOp inner : llvm::reverse(nested))
    sequentialize(rewriter, inner);
  return success();
}

/// The `OpTy` ops of `func` outside kernels and not nested in another one.
template <typename OpTy>
SmallVector<OpTy> collectOutermost(func::FuncOp func) {
  SmallVector<OpTy> ops;
  func.walk<WalkOrder::PreOrder>([&](Operation *op) {
    if (isa<gpu::LaunchOp>(op))
      return WalkResult::skip();
    if (auto match = dyn_cast<OpTy>(op)) {
      ops.push_back(match);
      return WalkResult::skip();
    }
    return WalkResult::advance();
  });
  return ops;
}

struct MapToLaunchesPass
    : mlir::qopt::impl::MapToLaunchesPassBase<MapToLaunchesPass> {
  using Base::Base;
  void runOnOperation() override {
    func::FuncOp func = getOperation();
    IRRewriter rewriter(&getContext());
    if (blockSize < 32 || blockSize > 1024 || blockSize % 32 != 0) {
      func.emitError() << "qopt-cuda-map-to-launches: block-size must be a "
                          "multiple of 32 in [32, 1024], got "
                       << static_cast<int64_t>(blockSize);
      return signalPassFailure();
    }
    // Linalg ops outside kernels; those without a parallel dimension get a
    // one-point parallel loop around them, so every op becomes a launch.
    for (auto op : collectOutermost<linalg::LinalgOp>(func)) {
      if (!op.hasPureBufferSemantics()) {
        op.emitOpError() << "is not bufferized; qopt-cuda-map-to-launches "
                            "runs after bufferization";
        return signalPassFailure();
      }
      if (tensorCores &&
          succeeded(qopt::mapInt8MatmulToTensorCores(rewriter, op)))
        continue;
      rewriter.setInsertionPoint(op);
      if (op.getNumParallelLoops() == 0) {
        Location loc = op.getLoc();
        Value zero = arith::ConstantIndexOp::create(rewriter, loc, 0);
        Value one = arith::ConstantIndexOp::create(rewriter, loc, 1);
        auto wrapper = scf::ParallelOp::create(
            rewriter, loc, ValueRange{zero}, ValueRange{one}, ValueRange{one});
        rewriter.moveOpBefore(op, wrapper.getBody()->getTerminator());
      }
      if (failed(linalg::linalgOpToParallelLoops(rewriter, op))) {
        op.emitOpError() << "cannot be lowered to loops for the GPU";
        return signalPassFailure();
      }
      rewriter.eraseOp(op);
    }
    for (auto loop : collectOutermost<scf::ParallelOp>(func))
      if (failed(mapToLaunch(rewriter, loop, blockSize)))
        return signalPassFailure();
  }
};

} // namespace
