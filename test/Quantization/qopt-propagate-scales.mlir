// RUN: qopt-opt %s -qopt-propagate-scales -split-input-file -verify-diagnostics | FileCheck %s

// Reshape then transpose: the consumer's observer takes the source's range;
// a second consumer through max-pool shares it too (no disagreement).
// CHECK-LABEL: func.func @chain
// CHECK:         qopt.observe %{{.*}} {id = 0 : i64, method = "minmax", name = "src", range = array<f64: -2.000000e+00, 6.000000e+00>}
// CHECK:         qopt.observe %{{.*}} {id = 1 : i64, method = "minmax", name = "t", range = array<f64: -2.000000e+00, 6.000000e+00>, scale_source = 0 : i64}
// CHECK:         qopt.observe %{{.*}} {id = 2 : i64, method = "minmax", name = "p", range = array<f64: -2.000000e+00, 6.000000e+00>, scale_source = 0 : i64}
func.func @chain(%x: tensor<1x2x4x4xf32>) -> (tensor<1x4x4x2xf32>, tensor<1x2x2x2xf32>) {
  %s = qopt.observe %x {id = 0 : i64, name = "src", method = "minmax", range = array<f64: -2.0, 6.0>} : tensor<1x2x4x4xf32>
  %shape = qopt.constant dense<[1, 2, 4, 4]> : tensor<4xi64>
  %r = qopt.reshape %s, %shape : (tensor<1x2x4x4xf32>, tensor<4xi64>) -> tensor<1x2x4x4xf32>
  %t = qopt.transpose %r {perm = array<i64: 0, 2, 3, 1>} : (tensor<1x2x4x4xf32>) -> tensor<1x4x4x2xf32>
  %ot = qopt.observe %t {id = 1 : i64, name = "t", method = "minmax", range = array<f64: -1.5, 5.5>} : tensor<1x4x4x2xf32>
  %p = qopt.max_pool %s {kernel_shape = array<i64: 2, 2>, strides = array<i64: 2, 2>} : (tensor<1x2x4x4xf32>) -> tensor<1x2x2x2xf32>
  %op = qopt.observe %p {id = 2 : i64, name = "p", method = "minmax", range = array<f64: 0.0, 6.0>} : tensor<1x2x2x2xf32>
  return %ot, %op : tensor<1x4x4x2xf32>, tensor<1x2x2x2xf32>
}

// -----

// Relu shares a non-negative source's range; after a source that goes
// negative it keeps its own (one requantization instead of wasting half of
// the levels).
// CHECK-LABEL: func.func @relu
// CHECK:         name = "after_pos", range = array<f64: 0.000000e+00, 4.000000e+00>, scale_source = 0 : i64
// CHECK:         name = "after_neg", range = array<f64: 0.000000e+00, 3.000000e+00>}
func.func @relu(%x: tensor<8xf32>, %y: tensor<8xf32>) -> (tensor<8xf32>, tensor<8xf32>) {
  %a = qopt.observe %x {id = 0 : i64, name = "pos", method = "minmax", range = array<f64: 0.0, 4.0>} : tensor<8xf32>
  %ra = qopt.relu %a : (tensor<8xf32>) -> tensor<8xf32>
  %oa = qopt.observe %ra {id = 1 : i64, name = "after_pos", method = "minmax", range = array<f64: 0.0, 3.5>} : tensor<8xf32>
  %b = qopt.observe %y {id = 2 : i64, name = "neg", method = "minmax", range = array<f64: -5.0, 3.0>} : tensor<8xf32>
  %rb = qopt.relu %b : (tensor<8xf32>) -> tensor<8xf32>
  %ob = qopt.observe %rb {id = 3 : i64, name = "after_neg", method = "minmax", range = array<f64: 0.0, 3.0>} : tensor<8xf32>
  return %oa, %ob : tensor<8xf32>, tensor<8xf32>
}

// -----

// Concat: the inputs' observers and the result's share the union of their
// ranges, with the result as the source.
// CHECK-LABEL: func.func @concat
// CHECK:         name = "a", range = array<f64: -3.000000e+00, 5.000000e+00>, scale_source = 2 : i64
// CHECK:         name = "b", range = array<f64: -3.000000e+00, 5.000000e+00>, scale_source = 2 : i64
// CHECK:         name = "cat", range = array<f64: -3.000000e+00, 5.000000e+00>}
func.func @concat(%x: tensor<2xf32>, %y: tensor<2xf32>) -> tensor<4xf32> {
  %a = qopt.observe %x {id = 0 : i64, name = "a", method = "minmax", range = array<f64: -1.0, 5.0>} : tensor<2xf32>
  %b = qopt.observe %y {id = 1 : i64, name = "b", method = "minmax", range = array<f64: -3.0, 2.0>} : tensor<2xf32>
  %c = qopt.concat %a, %b {axis = 0 : i64} : (tensor<2xf32>, tensor<2xf32>) -> tensor<4xf32>
  %oc = qopt.observe %c {id = 2 : i64, name = "cat", method = "minmax", range = array<f64: -2.0, 4.0>} : tensor<4xf32>
  return %oc : tensor<4xf32>
}

// -----

// Must not transform: an Add is not scale-preserving, and an observer
// without a range (not calibrated) is no source.
// CHECK-LABEL: func.func @blocked
// CHECK-NOT:     scale_source
func.func @blocked(%x: tensor<8xf32>, %y: tensor<8xf32>) -> (tensor<8xf32>, tensor<8xf32>) {
  %a = qopt.observe %x {id = 0 : i64, name = "a", method = "minmax", range = array<f64: -1.0, 1.0>} : tensor<8xf32>
  %s = qopt.add %a, %a : (tensor<8xf32>, tensor<8xf32>) -> tensor<8xf32>
  %os = qopt.observe %s {id = 1 : i64, name = "sum", method = "minmax", range = array<f64: -2.0, 2.0>} : tensor<8xf32>
  %b = qopt.observe %y {id = 2 : i64, name = "uncalibrated"} : tensor<8xf32>
  %rb = qopt.relu %b : (tensor<8xf32>) -> tensor<8xf32>
  %ob = qopt.observe %rb {id = 3 : i64, name = "after", method = "minmax", range = array<f64: 0.0, 1.0>} : tensor<8xf32>
  return %os, %ob : tensor<8xf32>, tensor<8xf32>
}
