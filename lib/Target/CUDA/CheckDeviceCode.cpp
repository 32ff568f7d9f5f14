//===- CheckDeviceCode.cpp - qopt-cuda-check-device-code ---------*- C++ -*-===//
//
// Fails the compile on kernels that call functions the driver cannot
// resolve; see Passes.td.
//
//===----------------------------------------------------------------------===//

#include "qopt/Target/CUDA/Passes.h"

namespace mlir::qopt {
#define GEN_PASS_DEF_CHECKDEVICECODEPASS
#include "qopt/Target/CUDA/Passes.h.inc"
} // namespace mlir::qopt

using namespace mlir;

namespace {
struct CheckDeviceCodePass
    : mlir::qopt::impl::CheckDeviceCodePassBase<CheckDeviceCodePass> {
  using Base::Base;
  void runOnOperation() override {
    bool failed = false;
    getOperation().walk([&](gpu::GPUModuleOp module) {
      for (auto func : module.getOps<LLVM::LLVMFuncOp>()) {
        if (!func.isExternal() ||
            (allowLibdevice && func.getName().starts_with("__nv_")))
          continue;
        func.emitError()
            << "GPU module '" << module.getName()
            << "' calls the external function '" << func.getName() << "'"
            << (func.getName().starts_with("__nv_")
                    ? ", a libdevice function, but no libdevice is linked "
                      "(install a CUDA toolkit or pass --cuda-toolkit=DIR)"
                    : ", which the CUDA driver cannot resolve");
        failed = true;
      }
    });
    if (failed)
      signalPassFailure();
  }
};
} // namespace
