//===- EmulateOnHost.cpp - qopt-cuda-emulate-on-host -------------*- C++ -*-===//
//
// GPU launches and memory ops -> host loops and host memory, to test the
// CUDA pipeline's decomposition without a GPU; see Passes.td.
//
//===----------------------------------------------------------------------===//

#include "qopt/Target/CUDA/Passes.h"

#include "mlir/IR/IRMapping.h"
#include "mlir/IR/PatternMatch.h"

namespace mlir::qopt {
#define GEN_PASS_DEF_EMULATEONHOSTPASS
#include "qopt/Target/CUDA/Passes.h.inc"
} // namespace mlir::qopt

using namespace mlir;

namespace {

/// Loops over the launch's grid and blocks, with the kernel body inside.
LogicalResult emulateLaunch(RewriterBase &rewriter, gpu::LaunchOp launch) {
  if (launch.getAsyncToken() || !launch.getAsyncDependencies().empty() ||
      launch.getDynamicSharedMemorySize() ||
      !launch.getWorkgroupAttributions().empty() ||
      launch.getBody().getBlocks().size() != 1)
    return launch.emitOpError() << "cannot be emulated on the host (async, "
                                   "shared memory or several blocks)";
  Location loc = launch.getLoc();
  rewriter.setInsertionPoint(launch);
  Value zero = arith::ConstantIndexOp::create(rewriter, loc, 0);
  Value one = arith::ConstantIndexOp::create(rewriter, loc, 1);
  // Blocks x, y, z, then threads x, y, z, outermost first: the launch's
  // operands bound the loops, which stand for its ids and sizes.
  gpu::KernelDim3 grid = launch.getGridSizeOperandValues();
  gpu::KernelDim3 block = launch.getBlockSizeOperandValues();
  gpu::KernelDim3 blockIds = launch.getBlockIds();
  gpu::KernelDim3 threadIds = launch.getThreadIds();
  gpu::KernelDim3 gridArgs = launch.getGridSize();
  gpu::KernelDim3 blockArgs = launch.getBlockSize();
  Value bounds[6] = {grid.x, grid.y, grid.z, block.x, block.y, block.z};
  Value ids[6] = {blockIds.x,  blockIds.y,  blockIds.z,
                  threadIds.x, threadIds.y, threadIds.z};
  Value sizes[6] = {gridArgs.x,  gridArgs.y,  gridArgs.z,
                    blockArgs.x, blockArgs.y, blockArgs.z};
  IRMapping mapping;
  for (int i = 0; i < 6; ++i) {
    auto loop = scf::ForOp::create(rewriter, loc, zero, bounds[i], one);
    mapping.map(ids[i], loop.getInductionVar());
    mapping.map(sizes[i], bounds[i]);
    rewriter.setInsertionPointToStart(loop.getBody());
  }
  for (Operation &op : launch.getBody().front().without_terminator())
    rewriter.clone(op, mapping);
  rewriter.eraseOp(launch);
  return success();
}

struct EmulateOnHostPass
    : mlir::qopt::impl::EmulateOnHostPassBase<EmulateOnHostPass> {
  void runOnOperation() override {
    IRRewriter rewriter(&getContext());
    SmallVector<Operation *> ops;
    getOperation().walk([&](Operation *op) {
      if (isa<gpu::LaunchOp, gpu::AllocOp, gpu::DeallocOp, gpu::MemcpyOp,
              qopt::CUDADeviceGlobalOp>(op))
        ops.push_back(op);
    });
    for (Operation *op : ops) {
      rewriter.setInsertionPoint(op);
      if (auto launch = dyn_cast<gpu::LaunchOp>(op)) {
        if (failed(emulateLaunch(rewriter, launch)))
          return signalPassFailure();
        continue;
      }
      if ((isa<gpu::AllocOp, gpu::DeallocOp, gpu::MemcpyOp>(op)) &&
          (op->getNumResults() > 1 ||
           !cast<gpu::AsyncOpInterface>(op).getAsyncDependencies().empty())) {
        op->emitOpError() << "cannot be emulated on the host (async)";
        return signalPassFailure();
      }
      if (auto alloc = dyn_cast<gpu::AllocOp>(op))
        rewriter.replaceOpWithNewOp<memref::AllocOp>(
            alloc, alloc.getMemref().getType(), alloc.getDynamicSizes());
      else if (auto dealloc = dyn_cast<gpu::DeallocOp>(op))
        rewriter.replaceOpWithNewOp<memref::DeallocOp>(dealloc,
                                                       dealloc.getMemref());
      else if (auto copy = dyn_cast<gpu::MemcpyOp>(op))
        rewriter.replaceOpWithNewOp<memref::CopyOp>(copy, copy.getSrc(),
                                                    copy.getDst());
      else if (auto global = dyn_cast<qopt::CUDADeviceGlobalOp>(op))
        rewriter.replaceOpWithNewOp<memref::GetGlobalOp>(
            global, global.getType(), global.getNameAttr());
    }
  }
};

} // namespace
