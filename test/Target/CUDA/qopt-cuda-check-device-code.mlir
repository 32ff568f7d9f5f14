// RUN: qopt-opt %s -qopt-cuda-check-device-code -split-input-file -verify-diagnostics | FileCheck %s
// RUN: not qopt-opt %s -qopt-cuda-check-device-code=allow-libdevice=false -split-input-file 2>&1 | FileCheck %s --check-prefix=NOLIB

// Kernels may call libdevice's __nv_* functions when libdevice is linked;
// any other external function would fail only when the driver loads the
// module, so the compile fails instead.

// CHECK-LABEL: gpu.module @libdevice
// CHECK:         llvm.func @__nv_expf(f32) -> f32
gpu.module @libdevice {
  // NOLIB: error: GPU module 'libdevice' calls the external function '__nv_expf', a libdevice function, but no libdevice is linked (install a CUDA toolkit or pass --cuda-toolkit=DIR)
  llvm.func @__nv_expf(f32) -> f32
  llvm.func @kernel(%x: f32) -> f32 {
    %y = llvm.call @__nv_expf(%x) : (f32) -> f32
    llvm.return %y : f32
  }
}

// -----

gpu.module @external {
  // expected-error @below {{GPU module 'external' calls the external function 'printf_like', which the CUDA driver cannot resolve}}
  llvm.func @printf_like(f32)
}
