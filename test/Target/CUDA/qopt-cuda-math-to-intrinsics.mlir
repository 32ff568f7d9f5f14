// RUN: qopt-opt %s -pass-pipeline='builtin.module(gpu.module(qopt-cuda-math-to-intrinsics))' -verify-diagnostics | FileCheck %s

// Without libdevice, the math and float min/max ops NVPTX has instructions
// for become LLVM intrinsic calls (convert-gpu-to-nvvm would make them
// __nv_* calls). The pass reports no errors; its negative cases are the ops
// it must leave alone: transcendental functions (the pipeline expands them
// into polynomials before), and integer or vector types.

// CHECK-LABEL: gpu.func @mapped
// CHECK:         llvm.call_intrinsic "llvm.sqrt"(%{{.*}}) : (f32) -> f32
// CHECK:         llvm.call_intrinsic "llvm.floor"(%{{.*}}) : (f32) -> f32
// CHECK:         llvm.call_intrinsic "llvm.roundeven"(%{{.*}}) : (f32) -> f32
// CHECK:         llvm.call_intrinsic "llvm.fabs"(%{{.*}}) : (f64) -> f64
// CHECK:         llvm.call_intrinsic "llvm.maximum"(%{{.*}}, %{{.*}}) : (f32, f32) -> f32
// CHECK:         llvm.call_intrinsic "llvm.minnum"(%{{.*}}, %{{.*}}) : (f32, f32) -> f32
// CHECK:         llvm.call_intrinsic "llvm.fma"(%{{.*}}, %{{.*}}, %{{.*}}) : (f32, f32, f32) -> f32
// CHECK-NOT:     math.
// CHECK-NOT:     arith.maximumf
// CHECK-NOT:     arith.minnumf
gpu.module @kernels {
  gpu.func @mapped(%x: f32, %y: f32, %d: f64, %p: memref<8xf32>) kernel {
    %a = math.sqrt %x : f32
    %b = math.floor %a : f32
    %c = math.roundeven %b : f32
    %e = math.absf %d : f64
    %f = arith.maximumf %c, %y : f32
    %g = arith.minnumf %f, %x : f32
    %h = math.fma %g, %x, %y : f32
    %i = arith.constant 0 : index
    memref.store %h, %p[%i] : memref<8xf32>
    gpu.return
  }

// CHECK-LABEL: gpu.func @kept
// CHECK:         math.exp %{{.*}} : f32
// CHECK:         math.absi %{{.*}} : i32
// CHECK:         math.sqrt %{{.*}} : vector<4xf32>
// CHECK-NOT:     llvm.call_intrinsic
  gpu.func @kept(%x: f32, %n: i32, %v: vector<4xf32>, %p: memref<8xf32>, %q: memref<8xi32>, %r: memref<8xvector<4xf32>>) kernel {
    %a = math.exp %x : f32
    %b = math.absi %n : i32
    %c = math.sqrt %v : vector<4xf32>
    %i = arith.constant 0 : index
    memref.store %a, %p[%i] : memref<8xf32>
    memref.store %b, %q[%i] : memref<8xi32>
    memref.store %c, %r[%i] : memref<8xvector<4xf32>>
    gpu.return
  }
}
