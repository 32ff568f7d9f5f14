//===- MergeKernelModules.cpp - qopt-cuda-merge-kernel-modules ---*- C++ -*-===//
//
// One gpu.module for all of a model's kernels; see Passes.td.
//
//===----------------------------------------------------------------------===//

#include "qopt/Target/CUDA/Passes.h"

namespace mlir::qopt {
#define GEN_PASS_DEF_MERGEKERNELMODULESPASS
#include "qopt/Target/CUDA/Passes.h.inc"
} // namespace mlir::qopt

using namespace mlir;

namespace {
struct MergeKernelModulesPass
    : mlir::qopt::impl::MergeKernelModulesPassBase<MergeKernelModulesPass> {
  void runOnOperation() override {
    ModuleOp module = getOperation();
    SmallVector<gpu::GPUModuleOp> gpuModules(module.getOps<gpu::GPUModuleOp>());
    if (gpuModules.size() < 2)
      return;
    gpu::GPUModuleOp target = gpuModules.front();
    SymbolTable targetSymbols(target);
    // (module, kernel) -> the kernel's name in `target`.
    llvm::DenseMap<std::pair<StringAttr, StringAttr>, StringAttr> renamed;
    for (gpu::GPUModuleOp source : llvm::drop_begin(gpuModules)) {
      for (Operation &op :
           llvm::make_early_inc_range(source.getBody()->getOperations())) {
        auto symbol = dyn_cast<SymbolOpInterface>(&op);
        if (!symbol) {
          op.moveBefore(target.getBody(), target.getBody()->end());
          continue;
        }
        StringAttr name = symbol.getNameAttr();
        if (!isa<gpu::GPUFuncOp>(op)) {
          // Helper declarations (libdevice functions) are identical.
          if (!targetSymbols.lookup(name))
            targetSymbols.insert(&op);
          continue;
        }
        // Outlined kernels share their function's name; the module names
        // are unique, so a clashing kernel takes its module's name.
        op.moveBefore(target.getBody(), target.getBody()->end());
        if (targetSymbols.lookup(name))
          symbol.setName(source.getNameAttr());
        if (targetSymbols.lookup(symbol.getNameAttr())) {
          op.emitOpError() << "cannot be merged into '" << target.getName()
                           << "': its name is taken";
          return signalPassFailure();
        }
        targetSymbols.insert(&op);
        renamed[{source.getNameAttr(), name}] = symbol.getNameAttr();
      }
    }
    module.walk([&](gpu::LaunchFuncOp launch) {
      auto it = renamed.find(
          {launch.getKernelModuleName(), launch.getKernelName()});
      if (it == renamed.end())
        return;
      launch.setKernelAttr(SymbolRefAttr::get(
          target.getNameAttr(), {FlatSymbolRefAttr::get(it->second)}));
    });
    for (gpu::GPUModuleOp source : llvm::drop_begin(gpuModules))
      source.erase();
  }
};
} // namespace
