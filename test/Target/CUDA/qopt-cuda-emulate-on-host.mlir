// RUN: qopt-opt %s -qopt-cuda-emulate-on-host -split-input-file -verify-diagnostics | FileCheck %s

// Testing aid: a launch becomes loops over its grid and block (the ids
// replaced by the loop variables, the sizes by the launch's operands) and
// the GPU memory ops their host forms, so the CPU backend can run the GPU
// program's decomposition.

// CHECK-LABEL: func.func @launch
// CHECK-SAME:    (%[[X:.*]]: memref<4xf32>)
// CHECK:         %[[C2:.*]] = arith.constant 2 : index
// CHECK:         %[[D:.*]] = memref.alloc() : memref<4xf32>
// CHECK:         memref.copy %[[X]], %[[D]]
// CHECK:         %[[W:.*]] = memref.get_global @w : memref<4xf32>
// CHECK:         scf.for %[[B:.*]] = %{{.*}} to %[[C2]] step
// CHECK:           scf.for
// CHECK:             scf.for
// CHECK:               scf.for %[[T:.*]] = %{{.*}} to %[[C2]] step
// CHECK:                 scf.for
// CHECK:                   scf.for
// CHECK:                     %[[M:.*]] = arith.muli %[[B]], %[[C2]]
// CHECK:                     %[[I:.*]] = arith.addi %[[M]], %[[T]]
// CHECK:                     memref.load %[[W]][%[[I]]]
// CHECK:                     memref.store %{{.*}}, %[[D]][%[[I]]]
// CHECK:         memref.copy %[[D]], %[[X]]
// CHECK:         memref.dealloc %[[D]]
memref.global "private" constant @w : memref<4xf32> = dense<1.0>
func.func @launch(%x: memref<4xf32>) {
  %c1 = arith.constant 1 : index
  %c2 = arith.constant 2 : index
  %d = gpu.alloc () : memref<4xf32>
  gpu.memcpy %d, %x : memref<4xf32>, memref<4xf32>
  %w = qopt.cuda.device_global @w : memref<4xf32>
  gpu.launch blocks(%bx, %by, %bz) in (%gx = %c2, %gy = %c1, %gz = %c1)
             threads(%tx, %ty, %tz) in (%sx = %c2, %sy = %c1, %sz = %c1) {
    %m = arith.muli %bx, %sx : index
    %i = arith.addi %m, %tx : index
    %v = memref.load %w[%i] : memref<4xf32>
    memref.store %v, %d[%i] : memref<4xf32>
    gpu.terminator
  }
  gpu.memcpy %x, %d : memref<4xf32>, memref<4xf32>
  gpu.dealloc %d : memref<4xf32>
  return
}

// -----

// Async GPU code (after gpu-async-region) is not emulated.
func.func @async(%x: memref<4xf32>) {
  %t = gpu.wait async
  // expected-error @below {{'gpu.alloc' op cannot be emulated on the host (async)}}
  %d, %t2 = gpu.alloc async [%t] () : memref<4xf32>
  return
}
