// RUN: qopt-opt %s -qopt-cpu-hoist-accumulators -split-input-file | FileCheck %s

// A marked reduction loop: the accumulator's read/write pair on the
// loop-carried tensor moves out, the vector is carried instead, and the
// marker is consumed.
// CHECK-LABEL: func.func @marked
// CHECK:         %[[INIT:.*]] = vector.transfer_read %{{.*}}[%{{.*}}], %{{.*}} : tensor<16xf32>, vector<16xf32>
// CHECK:         %[[LOOP:.*]]:2 = scf.for %{{.*}} iter_args(%{{.*}} = %{{.*}}, %[[ACC:.*]] = %[[INIT]]) -> (tensor<16xf32>, vector<16xf32>)
// CHECK-NOT:       vector.transfer_read %{{.*}} : tensor<16xf32>
// CHECK:           arith.addf %[[ACC]], %{{.*}} : vector<16xf32>
// CHECK-NOT:       vector.transfer_write
// CHECK:         }{{ *$}}
// CHECK:         vector.transfer_write %[[LOOP]]#1
// CHECK-NOT:     qopt.reduction_loop
func.func @marked(%a: tensor<64x16xf32>, %init: tensor<16xf32>) -> tensor<16xf32> {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c64 = arith.constant 64 : index
  %pad = arith.constant 0.0 : f32
  %r = scf.for %k = %c0 to %c64 step %c1 iter_args(%acc = %init) -> (tensor<16xf32>) {
    %v = vector.transfer_read %a[%k, %c0], %pad {in_bounds = [true]} : tensor<64x16xf32>, vector<16xf32>
    %s = vector.transfer_read %acc[%c0], %pad {in_bounds = [true]} : tensor<16xf32>, vector<16xf32>
    %n = arith.addf %s, %v : vector<16xf32>
    %w = vector.transfer_write %n, %acc[%c0] {in_bounds = [true]} : vector<16xf32>, tensor<16xf32>
    scf.yield %w : tensor<16xf32>
  } {qopt.reduction_loop}
  return %r : tensor<16xf32>
}

// -----

// Must not transform: the same loop without the marker.
// CHECK-LABEL: func.func @unmarked
// CHECK:         scf.for %{{.*}} iter_args(%[[ACC:.*]] = %{{.*}}) -> (tensor<16xf32>)
// CHECK:           vector.transfer_read %[[ACC]]
// CHECK:           vector.transfer_write %{{.*}}, %[[ACC]]
func.func @unmarked(%a: tensor<64x16xf32>, %init: tensor<16xf32>) -> tensor<16xf32> {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c64 = arith.constant 64 : index
  %pad = arith.constant 0.0 : f32
  %r = scf.for %k = %c0 to %c64 step %c1 iter_args(%acc = %init) -> (tensor<16xf32>) {
    %v = vector.transfer_read %a[%k, %c0], %pad {in_bounds = [true]} : tensor<64x16xf32>, vector<16xf32>
    %s = vector.transfer_read %acc[%c0], %pad {in_bounds = [true]} : tensor<16xf32>, vector<16xf32>
    %n = arith.addf %s, %v : vector<16xf32>
    %w = vector.transfer_write %n, %acc[%c0] {in_bounds = [true]} : vector<16xf32>, tensor<16xf32>
    scf.yield %w : tensor<16xf32>
  }
  return %r : tensor<16xf32>
}
