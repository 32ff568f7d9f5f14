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
  gpu::KernelDim3 gridSize = launch.getGridSizeOperandValues();
  gpu::KernelDim3 blockSize = launch.getBlockSizeOperandValues();
  IRMapping mapping;
  Value bounds[6] = {gridSize.x,  gridSize.y,  gridSize.z,
                     blockSize.x, blockSize.y, blockSize.z};
  gpu::KernelDim3 ids[2] = {launch.getBlockIds(), launch.getThreadIds()};
  gpu::KernelDim3 sizes[2] = {launch.getGridSize(), launch.getBlockSize()};
  for (int i = 0; i < 6; ++i) {
    auto loop = scf::ForOp::create(rewriter, loc, zero, bounds[i], one);
    Value id = i % 3 == 0 ? ids[i / 3].x : i % 3 == 1 ? ids[i / 3].y
                                                       : ids[i / 3].z;
    Value size = i % 3 == 0   ? sizes[i / 3].x
                 : i % 3 == 1 ? sizes[i / 3].y
                              : sizes[i / 3].z;
    mapping.map(id, loop.getInductionVar());
    mapping.map(size, bounds[i]);
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
