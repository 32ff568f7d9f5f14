// RUN: qopt-opt %s -qopt-cuda-merge-kernel-modules -split-input-file -verify-diagnostics | FileCheck %s

// gpu-kernel-outlining's one module per kernel become one module (one
// image per model); a kernel whose name is taken takes its old module's
// name and its launches follow it.

// CHECK-LABEL: gpu.module @main_kernel {
// CHECK-NEXT:    gpu.func @main_kernel(
// CHECK:         gpu.func @main_kernel_0(
// CHECK-NOT:   gpu.module
// CHECK-LABEL: func.func @main
// CHECK:         gpu.launch_func  @main_kernel::@main_kernel blocks
// CHECK:         gpu.launch_func  @main_kernel::@main_kernel_0 blocks
module attributes {gpu.container_module} {
  gpu.module @main_kernel {
    gpu.func @main_kernel(%a: memref<4xf32>) kernel { gpu.return }
  }
  gpu.module @main_kernel_0 {
    gpu.func @main_kernel(%a: memref<4xf32>) kernel { gpu.return }
  }
  func.func @main(%a: memref<4xf32>) {
    %c1 = arith.constant 1 : index
    gpu.launch_func @main_kernel::@main_kernel blocks in (%c1, %c1, %c1) threads in (%c1, %c1, %c1) args(%a : memref<4xf32>)
    gpu.launch_func @main_kernel_0::@main_kernel blocks in (%c1, %c1, %c1) threads in (%c1, %c1, %c1) args(%a : memref<4xf32>)
    return
  }
}

// -----

// The renamed kernel's new name is taken too: an error, nothing merged
// silently.
module attributes {gpu.container_module} {
  gpu.module @a {
    gpu.func @k() kernel { gpu.return }
    gpu.func @b() kernel { gpu.return }
  }
  gpu.module @b {
    // expected-error @below {{'gpu.func' op cannot be merged into 'a': its name is taken}}
    gpu.func @k() kernel { gpu.return }
  }
}
