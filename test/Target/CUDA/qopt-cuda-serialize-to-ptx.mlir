// RUN: qopt-opt %s -qopt-cuda-serialize-to-ptx -split-input-file -verify-diagnostics | FileCheck %s

// A GPU module in the NVVM/LLVM dialects becomes a gpu.binary holding the
// PTX LLVM's NVPTX backend generates for the module's #nvvm.target (chip,
// PTX features, optimization level); no CUDA toolkit is involved.

// CHECK:     gpu.binary @main_kernel  [#gpu.object<#nvvm.target<O = 3, chip = "sm_90", features = "+ptx80">, assembly = "
// CHECK-SAME:  .version 8.0
// CHECK-SAME:  .target sm_90
// CHECK-SAME:  .visible .entry scale(
// CHECK-SAME:  mul.rn.f32
// CHECK-NOT: gpu.module
module attributes {gpu.container_module} {
  gpu.module @main_kernel [#nvvm.target<O = 3, chip = "sm_90", features = "+ptx80">] {
    llvm.func @scale(%p: !llvm.ptr<1>, %s: f32) attributes {nvvm.kernel} {
      %x = llvm.load %p : !llvm.ptr<1> -> f32
      %y = llvm.fmul %x, %s : f32
      llvm.store %y, %p : f32, !llvm.ptr<1>
      llvm.return
    }
  }
}

// -----

module attributes {gpu.container_module} {
  // expected-error @below {{expects exactly one #nvvm.target}}
  gpu.module @untargeted {
    llvm.func @k() attributes {nvvm.kernel} {
      llvm.return
    }
  }
}
