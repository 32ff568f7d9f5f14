// RUN: qopt-opt %s -qopt-cpu-parallelize-loops | FileCheck %s

// A marked loop nested in another marked loop stays an scf.for: OpenMP
// regions never nest.

// CHECK-LABEL: func.func @nested_marked_loops
// CHECK:         scf.parallel
// CHECK-NOT:     scf.parallel
// CHECK:         scf.for
func.func @nested_marked_loops(%m: memref<4x64xf32>, %v: f32) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c4 = arith.constant 4 : index
  %c64 = arith.constant 64 : index
  scf.for %p = %c0 to %c4 step %c1 {
    scf.for %i = %c0 to %c64 step %c1 {
      memref.store %v, %m[%p, %i] : memref<4x64xf32>
    } {qopt.parallel}
  } {qopt.parallel}
  return
}
