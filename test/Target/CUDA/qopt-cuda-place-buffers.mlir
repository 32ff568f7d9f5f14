// RUN: qopt-opt %s -qopt-cuda-place-buffers -split-input-file -verify-diagnostics | FileCheck %s

// -qopt-cuda-place-buffers keeps the host ABI (host inputs and results) and
// moves the work to device memory: inputs are copied in, weights become
// qopt.cuda.device_global, buffers gpu.alloc, results are copied back into
// host buffers and every device buffer is freed before returning.

// CHECK-LABEL: func.func @main
// CHECK-SAME:    (%[[X:.*]]: memref<?x4xf32>) -> memref<?x4xf32>
// CHECK:         %[[N:.*]] = memref.dim %[[X]]
// CHECK:         %[[XD:.*]] = gpu.alloc  (%[[N]]) : memref<?x4xf32>
// CHECK:         gpu.memcpy  %[[XD]], %[[X]]
// CHECK:         %[[W:.*]] = qopt.cuda.device_global @w : memref<4xf32>
// CHECK:         %[[Y:.*]] = gpu.alloc  ({{.*}}) : memref<?x4xf32>
// CHECK:         linalg.generic {{.*}} ins(%[[XD]], %[[W]] : {{.*}}) outs(%[[Y]] : memref<?x4xf32>)
// CHECK:         %[[H:.*]] = memref.alloc({{.*}}) : memref<?x4xf32>
// CHECK:         gpu.memcpy  %[[H]], %[[Y]]
// CHECK-DAG:     gpu.dealloc  %[[Y]]
// CHECK-DAG:     gpu.dealloc  %[[XD]]
// CHECK:         return %[[H]]
memref.global "private" constant @w : memref<4xf32> = dense<[1.0, 2.0, 3.0, 4.0]>
func.func @main(%x: memref<?x4xf32>) -> memref<?x4xf32> {
  %c0 = arith.constant 0 : index
  %n = memref.dim %x, %c0 : memref<?x4xf32>
  %w = memref.get_global @w : memref<4xf32>
  %y = memref.alloc(%n) : memref<?x4xf32>
  linalg.generic {indexing_maps = [affine_map<(i, j) -> (i, j)>, affine_map<(i, j) -> (j)>, affine_map<(i, j) -> (i, j)>], iterator_types = ["parallel", "parallel"]} ins(%x, %w : memref<?x4xf32>, memref<4xf32>) outs(%y : memref<?x4xf32>) {
  ^bb0(%a: f32, %b: f32, %o: f32):
    %s = arith.addf %a, %b : f32
    linalg.yield %s : f32
  }
  return %y : memref<?x4xf32>
}

// -----

// Temporaries: alloc/dealloc pairs move to the device; a dense copy is one
// gpu.memcpy, a strided one a linalg.copy (a kernel later).
// CHECK-LABEL: func.func @temporaries
// CHECK:         %[[T:.*]] = gpu.alloc  () : memref<8x8xf32>
// CHECK:         %[[U:.*]] = gpu.alloc  () : memref<8x8xf32>
// CHECK:         gpu.memcpy  %[[U]], %[[T]]
// CHECK:         %[[S:.*]] = memref.subview %[[T]]
// CHECK:         linalg.copy ins(%[[S]] : {{.*}}) outs(%{{.*}} : memref<4x4xf32>)
// CHECK:         gpu.dealloc  %[[T]]
func.func @temporaries(%out: memref<4x4xf32>) {
  %t = memref.alloc() : memref<8x8xf32>
  %u = memref.alloc() : memref<8x8xf32>
  memref.copy %t, %u : memref<8x8xf32> to memref<8x8xf32>
  %s = memref.subview %t[0, 0] [4, 4] [1, 1] : memref<8x8xf32> to memref<4x4xf32, strided<[8, 1]>>
  memref.copy %s, %out : memref<4x4xf32, strided<[8, 1]>> to memref<4x4xf32>
  memref.dealloc %t : memref<8x8xf32>
  memref.dealloc %u : memref<8x8xf32>
  return
}

// -----

// A dynamic reshape's target shape is written and read on the host: it
// stays a host buffer.
// CHECK-LABEL: func.func @host_shape
// CHECK:         %[[SHAPE:.*]] = memref.alloc() : memref<2xindex>
// CHECK:         memref.store %{{.*}}, %[[SHAPE]]
// CHECK:         memref.reshape %{{.*}}(%[[SHAPE]])
// CHECK:         memref.dealloc %[[SHAPE]]
func.func @host_shape(%x: memref<?xf32>, %n: index) -> memref<?x?xf32> {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %shape = memref.alloc() : memref<2xindex>
  memref.store %n, %shape[%c0] : memref<2xindex>
  memref.store %n, %shape[%c1] : memref<2xindex>
  %r = memref.reshape %x(%shape) : (memref<?xf32>, memref<2xindex>) -> memref<?x?xf32>
  memref.dealloc %shape : memref<2xindex>
  return %r : memref<?x?xf32>
}

// -----

// Host code that reads a model buffer (a Slice's starts, a Resize's scales)
// reads a fresh host copy of it.
// CHECK-LABEL: func.func @host_read
// CHECK:         %[[XD:.*]] = gpu.alloc  () : memref<4xi64>
// CHECK:         %[[H:.*]] = memref.alloc() : memref<4xi64>
// CHECK:         gpu.memcpy  %[[H]], %[[XD]]
// CHECK:         %[[V:.*]] = memref.load %[[H]][%{{.*}}] : memref<4xi64>
// CHECK:         memref.dealloc %[[H]]
// CHECK:         return %[[V]]
func.func @host_read(%x: memref<4xi64>) -> i64 {
  %c0 = arith.constant 0 : index
  %v = memref.load %x[%c0] : memref<4xi64>
  return %v : i64
}

// -----

// Host code that writes a model buffer itself cannot run on the GPU target.
func.func @host_write(%x: memref<4xf32>, %v: f32) -> memref<4xf32> {
  %c0 = arith.constant 0 : index
  %y = memref.alloc() : memref<4xf32>
  linalg.copy ins(%x : memref<4xf32>) outs(%y : memref<4xf32>)
  // expected-error @below {{'memref.store' op writes a buffer in host code, which the CUDA target cannot place on the GPU (only linalg ops become kernels); compile this model with --target=cpu}}
  memref.store %v, %y[%c0] : memref<4xf32>
  return %y : memref<4xf32>
}

// -----

memref.global "private" @state : memref<4xf32> = uninitialized
func.func @mutable_global() -> memref<4xf32> {
  // expected-error @below {{'memref.get_global' op reads the mutable global 'state', which the CUDA target does not support}}
  %s = memref.get_global @state : memref<4xf32>
  return %s : memref<4xf32>
}
