// RUN: qopt-opt %s -qopt-cpu-parallelize-loops -split-input-file | FileCheck %s --implicit-check-not=qopt.parallel

// -qopt-cpu-parallelize-loops turns each scf.for marked qopt.parallel (by
// qopt-cpu-tile-and-vectorize) that carries no values and is not inside an
// scf.parallel into an scf.parallel over the same range. The marker is
// removed from every loop, converted or not (implicit-check-not). The pass
// reports no errors; the negative cases are marked loops it must keep.

// A marked tile loop without iter_args: same bounds and step, same body.
// CHECK-LABEL: func.func @marked_loop
// CHECK-SAME:    %[[M:.*]]: memref<64xf32>, %[[V:.*]]: f32
// CHECK-DAG:     %[[C0:.*]] = arith.constant 0 : index
// CHECK-DAG:     %[[C1:.*]] = arith.constant 1 : index
// CHECK-DAG:     %[[C16:.*]] = arith.constant 16 : index
// CHECK-DAG:     %[[C64:.*]] = arith.constant 64 : index
// CHECK:         scf.parallel (%[[I:.*]]) = (%[[C0]]) to (%[[C64]]) step (%[[C16]]) {
// CHECK-NEXT:      scf.for %[[J:.*]] = %[[C0]] to %[[C16]] step %[[C1]] {
// CHECK-NEXT:        %[[K:.*]] = arith.addi %[[I]], %[[J]] : index
// CHECK-NEXT:        memref.store %[[V]], %[[M]][%[[K]]] : memref<64xf32>
// CHECK-NEXT:      }
// CHECK-NEXT:      scf.reduce
// CHECK-NEXT:    }
// CHECK-NEXT:    return
func.func @marked_loop(%m: memref<64xf32>, %v: f32) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c16 = arith.constant 16 : index
  %c64 = arith.constant 64 : index
  scf.for %i = %c0 to %c64 step %c16 {
    scf.for %j = %c0 to %c16 step %c1 {
      %k = arith.addi %i, %j : index
      memref.store %v, %m[%k] : memref<64xf32>
    }
  } {qopt.parallel}
  return
}

// -----

// Must stay an scf.for: a marked loop that carries a value (a reduction).
// CHECK-LABEL: func.func @marked_loop_with_iter_args
// CHECK-NOT:     scf.parallel
// CHECK:         %[[R:.*]] = scf.for %{{.*}} = %{{.*}} to %{{.*}} step %{{.*}} iter_args(%{{.*}} = %{{.*}}) -> (f32) {
// CHECK:           scf.yield
// CHECK-NEXT:    }
// CHECK-NEXT:    return %[[R]] : f32
func.func @marked_loop_with_iter_args(%m: memref<64xf32>) -> f32 {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c64 = arith.constant 64 : index
  %zero = arith.constant 0.0 : f32
  %r = scf.for %i = %c0 to %c64 step %c1 iter_args(%acc = %zero) -> (f32) {
    %x = memref.load %m[%i] : memref<64xf32>
    %s = arith.addf %acc, %x : f32
    scf.yield %s : f32
  } {qopt.parallel}
  return %r : f32
}

// -----

// Must stay an scf.for: a marked loop already inside an scf.parallel.
// CHECK-LABEL: func.func @marked_loop_in_parallel
// CHECK:         scf.parallel (%[[P:.*]]) =
// CHECK-NEXT:      scf.for %[[I:.*]] = %{{.*}} to %{{.*}} step %{{.*}} {
// CHECK-NEXT:        memref.store %{{.*}}, %{{.*}}[%[[P]], %[[I]]] : memref<4x64xf32>
// CHECK-NEXT:      }
// CHECK-NEXT:      scf.reduce
// CHECK-NOT:     scf.parallel
func.func @marked_loop_in_parallel(%m: memref<4x64xf32>, %v: f32) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c4 = arith.constant 4 : index
  %c64 = arith.constant 64 : index
  scf.parallel (%p) = (%c0) to (%c4) step (%c1) {
    scf.for %i = %c0 to %c64 step %c1 {
      memref.store %v, %m[%p, %i] : memref<4x64xf32>
    } {qopt.parallel}
  }
  return
}

// -----

// Must not transform: an unmarked loop.
// CHECK-LABEL: func.func @unmarked_loop
// CHECK-NOT:     scf.parallel
// CHECK:         scf.for
// CHECK-NOT:     scf.parallel
func.func @unmarked_loop(%m: memref<64xf32>, %v: f32) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c64 = arith.constant 64 : index
  scf.for %i = %c0 to %c64 step %c1 {
    memref.store %v, %m[%i] : memref<64xf32>
  }
  return
}
