// RUN: qopt-opt %s -qopt-cpu-hoist-vector-transfers -split-input-file | FileCheck %s

// -qopt-cpu-hoist-vector-transfers (upstream's hoistRedundantVectorTransfers
// with verifyNonZeroTrip) moves a vector.transfer_read / transfer_write pair
// on the same loop-invariant buffer and indices out of an scf.for whose trip
// count is provably non-zero; the vector is carried through iter_args. The
// pass reports no errors; the negative cases are loops it must not touch.

// An accumulator buffer read and written at the same invariant indices in
// every iteration: the read moves before the loop, the write after it.
// CHECK-LABEL: func.func @hoist_accumulator
// CHECK-SAME:    %[[A:.*]]: memref<8x64xf32>
// CHECK:         %[[ACC:.*]] = memref.alloc() : memref<8x16xf32>
// CHECK:         %[[INIT:.*]] = vector.transfer_read %[[ACC]][%[[C0:[a-z0-9_]+]], %[[C0]]], %{{.*}} {in_bounds = [true, true]} : memref<8x16xf32>, vector<8x16xf32>
// CHECK:         %[[R:.*]] = scf.for %[[K:.*]] = %{{.*}} to %{{.*}} step %{{.*}} iter_args(%[[V:.*]] = %[[INIT]]) -> (vector<8x16xf32>) {
// CHECK:           %[[X:.*]] = vector.transfer_read %[[A]][%[[C0]], %[[K]]]
// CHECK:           %[[S:.*]] = arith.addf %[[V]], %[[X]] : vector<8x16xf32>
// CHECK:           scf.yield %[[S]] : vector<8x16xf32>
// CHECK:         }
// CHECK:         vector.transfer_write %[[R]], %[[ACC]][%[[C0]], %[[C0]]] {in_bounds = [true, true]} : vector<8x16xf32>, memref<8x16xf32>
// CHECK:         return %[[ACC]]
func.func @hoist_accumulator(%a: memref<8x64xf32>) -> memref<8x16xf32> {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c64 = arith.constant 64 : index
  %pad = arith.constant 0.0 : f32
  %acc = memref.alloc() : memref<8x16xf32>
  scf.for %k = %c0 to %c64 step %c1 {
    %v = vector.transfer_read %acc[%c0, %c0], %pad {in_bounds = [true, true]} : memref<8x16xf32>, vector<8x16xf32>
    %x = vector.transfer_read %a[%c0, %k], %pad {in_bounds = [true, true]} : memref<8x64xf32>, vector<8x16xf32>
    %s = arith.addf %v, %x : vector<8x16xf32>
    vector.transfer_write %s, %acc[%c0, %c0] {in_bounds = [true, true]} : vector<8x16xf32>, memref<8x16xf32>
  }
  return %acc : memref<8x16xf32>
}

// -----

// Must not hoist: another op in the loop (a memref.store) writes the same
// buffer, so the pair cannot be kept in a register.
// CHECK-LABEL: func.func @other_use_in_loop
// CHECK:         scf.for
// CHECK-NOT:       iter_args
// CHECK:           vector.transfer_read %[[ACC:[a-z0-9_]+]][
// CHECK:           vector.transfer_write %{{.*}}, %[[ACC]][
// CHECK:           memref.store %{{.*}}, %[[ACC]][
// CHECK-NEXT:    {{^ +}$}}
// CHECK-NEXT:    return
func.func @other_use_in_loop(%a: memref<8x64xf32>, %f: f32) -> memref<8x16xf32> {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c64 = arith.constant 64 : index
  %pad = arith.constant 0.0 : f32
  %acc = memref.alloc() : memref<8x16xf32>
  scf.for %k = %c0 to %c64 step %c1 {
    %v = vector.transfer_read %acc[%c0, %c0], %pad {in_bounds = [true, true]} : memref<8x16xf32>, vector<8x16xf32>
    %x = vector.transfer_read %a[%c0, %k], %pad {in_bounds = [true, true]} : memref<8x64xf32>, vector<8x16xf32>
    %s = arith.addf %v, %x : vector<8x16xf32>
    vector.transfer_write %s, %acc[%c0, %c0] {in_bounds = [true, true]} : vector<8x16xf32>, memref<8x16xf32>
    memref.store %f, %acc[%c1, %c1] : memref<8x16xf32>
  }
  return %acc : memref<8x16xf32>
}

// -----

// Must not hoist: the loop may run zero times (its upper bound is an
// argument), and a hoisted read / write would then still execute.
// CHECK-LABEL: func.func @maybe_zero_trip
// CHECK:         scf.for
// CHECK-NOT:       iter_args
// CHECK:           vector.transfer_read %[[ACC:[a-z0-9_]+]][
// CHECK:           vector.transfer_write %{{.*}}, %[[ACC]][
// CHECK-NEXT:    {{^ +}$}}
// CHECK-NEXT:    return
func.func @maybe_zero_trip(%a: memref<8x64xf32>, %n: index) -> memref<8x16xf32> {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %pad = arith.constant 0.0 : f32
  %acc = memref.alloc() : memref<8x16xf32>
  scf.for %k = %c0 to %n step %c1 {
    %v = vector.transfer_read %acc[%c0, %c0], %pad {in_bounds = [true, true]} : memref<8x16xf32>, vector<8x16xf32>
    %x = vector.transfer_read %a[%c0, %k], %pad {in_bounds = [true, true]} : memref<8x64xf32>, vector<8x16xf32>
    %s = arith.addf %v, %x : vector<8x16xf32>
    vector.transfer_write %s, %acc[%c0, %c0] {in_bounds = [true, true]} : vector<8x16xf32>, memref<8x16xf32>
  }
  return %acc : memref<8x16xf32>
}

// -----

// Not hoisted today: a pair on a loop-invariant memref.subview (the tile of
// an output buffer, the shape bufferization produces). Upstream's utility
// refuses transfers whose buffer is defined by a view-like op, so the pass
// leaves this loop alone, although Passes.td describes hoisting pairs on a
// "loop-invariant buffer slice". In the CPU pipeline the tensor-level
// loop-invariant-subset-hoisting has already kept the accumulator in
// registers by then.
// CHECK-LABEL: func.func @subview_not_hoisted
// CHECK:         %[[SV:.*]] = memref.subview
// CHECK:         scf.for
// CHECK-NOT:       iter_args
// CHECK:           vector.transfer_read %[[SV]][
// CHECK:           vector.transfer_write %{{.*}}, %[[SV]][
// CHECK-NEXT:    {{^ +}$}}
// CHECK-NEXT:    return
func.func @subview_not_hoisted(%out: memref<8x32xf32>, %a: memref<8x64xf32>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c64 = arith.constant 64 : index
  %pad = arith.constant 0.0 : f32
  %sv = memref.subview %out[0, 16] [8, 16] [1, 1] : memref<8x32xf32> to memref<8x16xf32, strided<[32, 1], offset: 16>>
  scf.for %k = %c0 to %c64 step %c1 {
    %v = vector.transfer_read %sv[%c0, %c0], %pad {in_bounds = [true, true]} : memref<8x16xf32, strided<[32, 1], offset: 16>>, vector<8x16xf32>
    %x = vector.transfer_read %a[%c0, %k], %pad {in_bounds = [true, true]} : memref<8x64xf32>, vector<8x16xf32>
    %s = arith.addf %v, %x : vector<8x16xf32>
    vector.transfer_write %s, %sv[%c0, %c0] {in_bounds = [true, true]} : vector<8x16xf32>, memref<8x16xf32, strided<[32, 1], offset: 16>>
  }
  return
}
