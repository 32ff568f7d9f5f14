//===- PlaceBuffers.cpp - qopt-cuda-place-buffers ----------------*- C++ -*-===//
//
// Moves a bufferized model's buffers to GPU memory; see Passes.td. The host
// ABI stays what the runtime expects (host inputs, host results).
//
//===----------------------------------------------------------------------===//

#include "qopt/Target/CUDA/Passes.h"

#include "mlir/IR/PatternMatch.h"
#include "mlir/Interfaces/ViewLikeInterface.h"
#include "llvm/ADT/SetVector.h"

namespace mlir::qopt {
#define GEN_PASS_DEF_PLACEBUFFERSPASS
#include "qopt/Target/CUDA/Passes.h.inc"
} // namespace mlir::qopt

using namespace mlir;

namespace {

/// The dynamic sizes of `value` (a memref), in order, as memref.dim ops.
SmallVector<Value> getDynamicSizes(OpBuilder &b, Location loc, Value value) {
  auto type = cast<MemRefType>(value.getType());
  SmallVector<Value> sizes;
  for (int64_t d = 0; d < type.getRank(); ++d)
    if (type.isDynamicDim(d))
      sizes.push_back(memref::DimOp::create(b, loc, value, d));
  return sizes;
}

/// The buffer `value` is a view of (through view-like ops).
Value getRootBuffer(Value value) {
  while (auto view = value.getDefiningOp<ViewLikeOpInterface>())
    value = view.getViewSource();
  return value;
}

/// Dense row-major: what one cudaMemcpy copies, and what the runtime ABI
/// passes and returns.
bool hasIdentityLayout(Value value) {
  return cast<MemRefType>(value.getType()).getLayout().isIdentity();
}

/// Small buffers the host itself fills and reads: shapes built for
/// memref.reshape (a dynamic Reshape's target shape) are written with
/// memref.store and read by the reshape's lowering on the host; a Shape
/// output is filled the same way and returned as it is.
bool isHostBuffer(memref::AllocOp alloc) {
  return llvm::all_of(alloc->getUses(), [&](OpOperand &use) {
    Operation *user = use.getOwner();
    if (auto store = dyn_cast<memref::StoreOp>(user))
      return store.getMemRef() == alloc.getResult();
    if (auto reshape = dyn_cast<memref::ReshapeOp>(user))
      return reshape.getShape() == alloc.getResult();
    return isa<memref::LoadOp, memref::DeallocOp, func::ReturnOp>(user);
  });
}

LogicalResult placeFunction(func::FuncOp func, SymbolTable &symbols) {
  IRRewriter rewriter(func.getContext());
  Block &entry = func.getBody().front();
  llvm::DenseSet<Value> hostBuffers;
  func.walk([&](memref::AllocOp alloc) {
    if (isHostBuffer(alloc))
      hostBuffers.insert(alloc.getResult());
  });

  // Host code that writes memory itself has no GPU placement; host reads
  // of device buffers go through a host copy (below).
  SmallVector<memref::LoadOp> hostReads;
  WalkResult bad = func.walk<WalkOrder::PreOrder>([&](Operation *op) {
    if (isa<linalg::LinalgOp>(op))
      return WalkResult::skip();
    if (auto load = dyn_cast<memref::LoadOp>(op)) {
      if (!hostBuffers.contains(load.getMemRef()))
        hostReads.push_back(load);
      return WalkResult::advance();
    }
    if (auto store = dyn_cast<memref::StoreOp>(op);
        store && hostBuffers.contains(store.getMemRef()))
      return WalkResult::advance();
    if (isa<memref::StoreOp, memref::AllocaOp, memref::AtomicRMWOp>(op) ||
        op->getDialect()->getNamespace() == "vector") {
      op->emitOpError()
          << "writes a buffer in host code, which the CUDA target cannot "
             "place on the GPU (only linalg ops become kernels); compile "
             "this model with --target=cpu";
      return WalkResult::interrupt();
    }
    return WalkResult::advance();
  });
  if (bad.wasInterrupted())
    return failure();
  for (memref::LoadOp load : hostReads)
    if (!hasIdentityLayout(load.getMemRef()))
      return load.emitOpError()
             << "reads a strided view in host code, which the CUDA target "
                "cannot copy back from the GPU; compile this model with "
                "--target=cpu";

  // Inputs: copy each to the device on entry.
  SmallVector<Value> inputCopies;
  rewriter.setInsertionPointToStart(&entry);
  for (BlockArgument arg : entry.getArguments()) {
    auto type = dyn_cast<MemRefType>(arg.getType());
    if (!type || arg.use_empty())
      continue;
    if (!hasIdentityLayout(arg))
      return func.emitOpError()
             << "argument " << arg.getArgNumber()
             << " has a non-identity layout; the CUDA target copies inputs "
                "as dense buffers";
    Location loc = arg.getLoc();
    SmallVector<Value> sizes = getDynamicSizes(rewriter, loc, arg);
    Value device = gpu::AllocOp::create(rewriter, loc, type,
                                        /*asyncToken=*/Type(), ValueRange(),
                                        sizes, ValueRange())
                       .getMemref();
    auto copy = gpu::MemcpyOp::create(rewriter, loc, TypeRange(),
                                      ValueRange(), device, arg);
    // Everything but the copy and the dims it was sized with reads the
    // device buffer.
    arg.replaceUsesWithIf(device, [&](OpOperand &use) {
      Operation *user = use.getOwner();
      return user != copy &&
             !(user->getNumResults() == 1 &&
               llvm::is_contained(sizes, user->getResult(0)));
    });
    inputCopies.push_back(device);
  }

  // Weights, buffers, copies.
  SmallVector<Operation *> ops;
  func.walk([&](Operation *op) {
    if (isa<memref::GetGlobalOp, memref::AllocOp, memref::DeallocOp,
            memref::CopyOp>(op))
      ops.push_back(op);
  });
  for (Operation *op : ops) {
    rewriter.setInsertionPoint(op);
    if (auto get = dyn_cast<memref::GetGlobalOp>(op)) {
      auto global = symbols.lookup<memref::GlobalOp>(get.getName());
      if (!global || !global.getConstant() || !global.getInitialValue())
        return get.emitOpError()
               << "reads the mutable global '" << get.getName()
               << "', which the CUDA target does not support";
      rewriter.replaceOpWithNewOp<qopt::CUDADeviceGlobalOp>(
          get, get.getType(), get.getNameAttr());
    } else if (auto alloc = dyn_cast<memref::AllocOp>(op)) {
      if (hostBuffers.contains(alloc.getResult()))
        continue;
      if (!alloc.getSymbolOperands().empty())
        return alloc.emitOpError() << "has symbol operands, which the CUDA "
                                      "target does not support";
      rewriter.replaceOpWithNewOp<gpu::AllocOp>(
          alloc, alloc.getType(), Type(), ValueRange(),
          alloc.getDynamicSizes(), ValueRange());
    } else if (auto dealloc = dyn_cast<memref::DeallocOp>(op)) {
      if (hostBuffers.contains(dealloc.getMemref()))
        continue;
      rewriter.replaceOpWithNewOp<gpu::DeallocOp>(
          dealloc, TypeRange(), ValueRange(), dealloc.getMemref());
    } else if (auto copy = dyn_cast<memref::CopyOp>(op)) {
      if (hasIdentityLayout(copy.getSource()) &&
          hasIdentityLayout(copy.getTarget()))
        rewriter.replaceOpWithNewOp<gpu::MemcpyOp>(
            copy, TypeRange(), ValueRange(), copy.getTarget(),
            copy.getSource());
      else
        rewriter.replaceOpWithNewOp<linalg::CopyOp>(copy, copy.getSource(),
                                                    copy.getTarget());
    }
  }

  // Results: copy each back into a host buffer the runtime frees; free the
  // device buffers the results were (inputs' copies are freed below).
  SmallVector<func::ReturnOp> returns;
  func.walk([&](func::ReturnOp op) { returns.push_back(op); });
  for (func::ReturnOp ret : returns) {
    rewriter.setInsertionPoint(ret);
    llvm::SetVector<Value> toFree;
    for (OpOperand &operand : ret->getOpOperands()) {
      Value value = operand.get();
      auto type = dyn_cast<MemRefType>(value.getType());
      if (!type)
        continue;
      Location loc = ret.getLoc();
      // Filled on the host: returned as it is.
      if (hostBuffers.contains(getRootBuffer(value)))
        continue;
      if (!hasIdentityLayout(value))
        return ret.emitOpError()
               << "returns a buffer with a non-identity layout; bufferize "
                  "with function-boundary-type-conversion=identity-layout-map";
      Value host = memref::AllocOp::create(
          rewriter, loc, type, getDynamicSizes(rewriter, loc, value));
      gpu::MemcpyOp::create(rewriter, loc, TypeRange(), ValueRange(), host,
                            value);
      operand.set(host);
      Value root = getRootBuffer(value);
      if (root.getDefiningOp<gpu::AllocOp>() &&
          !llvm::is_contained(inputCopies, root))
        toFree.insert(root);
    }
    SmallVector<Value> buffers(toFree.begin(), toFree.end());
    buffers.append(inputCopies);
    for (Value buffer : buffers)
      gpu::DeallocOp::create(rewriter, ret.getLoc(), TypeRange(),
                             ValueRange(), buffer);
  }
  // Host reads (a Slice's starts, a Resize's scales, ...): each reads a
  // fresh host copy of its buffer, which lives on the device by now.
  for (memref::LoadOp load : hostReads) {
    rewriter.setInsertionPoint(load);
    Location loc = load.getLoc();
    Value buffer = load.getMemRef();
    auto type = cast<MemRefType>(buffer.getType());
    Value host = memref::AllocOp::create(
        rewriter, loc, type, getDynamicSizes(rewriter, loc, buffer));
    gpu::MemcpyOp::create(rewriter, loc, TypeRange(), ValueRange(), host,
                          buffer);
    load->setOperand(0, host);
    rewriter.setInsertionPointAfter(load);
    memref::DeallocOp::create(rewriter, loc, host);
  }
  return success();
}

struct PlaceBuffersPass
    : mlir::qopt::impl::PlaceBuffersPassBase<PlaceBuffersPass> {
  void runOnOperation() override {
    ModuleOp module = getOperation();
    SymbolTable symbols(module);
    for (auto func : module.getOps<func::FuncOp>()) {
      if (func.isExternal())
        continue;
      if (failed(placeFunction(func, symbols)))
        return signalPassFailure();
    }
  }
};

} // namespace
