// RUN: qopt-opt %s --load-pass-plugin=%plugin --pass-pipeline="builtin.module(qopt-example-fold-transposes)" -split-input-file | FileCheck %s
// RUN: qopt-opt %s --load-pass-plugin=%plugin --pass-pipeline="builtin.module(qopt-example-fold-transposes{expect-none-left=true})" -split-input-file -verify-diagnostics

// Two transposes compose into one: [0, 2, 1, 3] then [0, 1, 3, 2] is
// [0, 2, 3, 1] (attention's K head split followed by a swap).
// CHECK-LABEL: func.func @chain
// CHECK:         %[[T:.*]] = qopt.transpose %arg0 {perm = array<i64: 0, 2, 3, 1>}
// CHECK-NOT:     qopt.transpose
// CHECK:         return %[[T]]
func.func @chain(%x: tensor<1x8x4x2xf32>) -> tensor<1x4x2x8xf32> {
  %a = qopt.transpose %x {perm = array<i64: 0, 2, 1, 3>} : (tensor<1x8x4x2xf32>) -> tensor<1x4x8x2xf32>
  %b = qopt.transpose %a {perm = array<i64: 0, 1, 3, 2>} : (tensor<1x4x8x2xf32>) -> tensor<1x4x2x8xf32>
  // expected-error @-1 {{qopt-example-fold-transposes: a transpose is left after folding (expect-none-left)}}
  return %b : tensor<1x4x2x8xf32>
}

// -----

// A transpose and its inverse cancel; so do two reversals (no perm).
// CHECK-LABEL: func.func @cancel
// CHECK-NOT:     qopt.transpose
// CHECK:         return %arg0, %arg1
func.func @cancel(%x: tensor<2x3x4xf32>, %y: tensor<5x6xf32>) -> (tensor<2x3x4xf32>, tensor<5x6xf32>) {
  %a = qopt.transpose %x {perm = array<i64: 1, 2, 0>} : (tensor<2x3x4xf32>) -> tensor<3x4x2xf32>
  %b = qopt.transpose %a {perm = array<i64: 2, 0, 1>} : (tensor<3x4x2xf32>) -> tensor<2x3x4xf32>
  %c = qopt.transpose %y : (tensor<5x6xf32>) -> tensor<6x5xf32>
  %d = qopt.transpose %c : (tensor<6x5xf32>) -> tensor<5x6xf32>
  return %b, %d : tensor<2x3x4xf32>, tensor<5x6xf32>
}
