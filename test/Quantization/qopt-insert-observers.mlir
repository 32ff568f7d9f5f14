// RUN: qopt-opt %s -qopt-insert-observers -split-input-file | FileCheck %s
// Running the pass twice changes nothing.
// RUN: qopt-opt %s -qopt-insert-observers -qopt-insert-observers -split-input-file | FileCheck %s

// A MatMul with a constant weight: its activation (the function argument,
// named by qopt.name; channel_axis = K) and its result (named after the
// node) are observed; the weight is not.
// CHECK-LABEL: func.func @matmul
// CHECK-SAME:    (%[[X:.*]]: tensor<4x8xf32>
// CHECK:         %[[OX:.*]] = qopt.observe %[[X]] {channel_axis = 1 : i64, id = 0 : i64, name = "x"} : tensor<4x8xf32>
// CHECK:         %[[W:.*]] = qopt.constant
// CHECK:         %[[Y:.*]] = qopt.matmul %[[OX]], %[[W]]
// CHECK:         %[[OY:.*]] = qopt.observe %[[Y]] {id = 1 : i64, name = "fc"} : tensor<4x16xf32>
// CHECK:         qopt.relu %[[OY]]
// CHECK-NOT:     qopt.observe
func.func @matmul(%x: tensor<4x8xf32> {qopt.name = "x"}) -> tensor<4x16xf32> {
  %w = qopt.constant dense<0.5> : tensor<8x16xf32>
  %y = qopt.matmul %x, %w : (tensor<4x8xf32>, tensor<8x16xf32>) -> tensor<4x16xf32> loc("fc")
  %r = qopt.relu %y : (tensor<4x16xf32>) -> tensor<4x16xf32>
  return %r : tensor<4x16xf32>
}

// -----

// A chain: the first op's observed result is the second op's activation;
// it keeps one observer, which gains the consumer's reduction axis. The
// Gemm (transA) reduces over axis 0 of its activation; a conv over axis 1.
// CHECK-LABEL: func.func @chain
// CHECK:         qopt.observe %{{.*}} {channel_axis = 1 : i64, id = 0 : i64, name = "img"}
// CHECK:         %[[C:.*]] = qopt.conv
// CHECK:         %[[OC:.*]] = qopt.observe %[[C]] {id = 1 : i64, name = "conv"}
// CHECK:         %[[F:.*]] = qopt.flatten %[[OC]]
// CHECK:         %[[OF:.*]] = qopt.observe %[[F]] {channel_axis = 0 : i64, id = 2 : i64, name = "flat"}
// CHECK:         %[[G:.*]] = qopt.gemm %[[OF]]
// CHECK:         qopt.observe %[[G]] {id = 3 : i64, name = "gemm"}
func.func @chain(%img: tensor<1x2x4x4xf32> {qopt.name = "img"}) -> tensor<2x5xf32> {
  %w = qopt.constant dense<0.25> : tensor<3x2x3x3xf32>
  %c = qopt.conv %img, %w {kernel_shape = array<i64: 3, 3>} : (tensor<1x2x4x4xf32>, tensor<3x2x3x3xf32>) -> tensor<1x3x2x2xf32> loc("conv")
  %f = qopt.flatten %c {axis = 3 : i64} : (tensor<1x3x2x2xf32>) -> tensor<6x2xf32> loc("flat")
  %gw = qopt.constant dense<1.0> : tensor<6x5xf32>
  %g = qopt.gemm %f, %gw {transA = 1 : i64} : (tensor<6x2xf32>, tensor<6x5xf32>) -> tensor<2x5xf32> loc("gemm")
  return %g : tensor<2x5xf32>
}

// -----

// Attention: Q x K^T has two activation operands (the non-constant "weight"
// B is observed too, with its K axis); a tensor two matmuls read is
// observed once. Integer tensors are never observed.
// CHECK-LABEL: func.func @attention
// CHECK-DAG:     %[[OQ:.*]] = qopt.observe %{{.*}} {channel_axis = 2 : i64, id = 0 : i64, name = "q"}
// CHECK-DAG:     %[[OK:.*]] = qopt.observe %{{.*}} {channel_axis = 1 : i64, id = 1 : i64, name = "k"}
// CHECK:         %[[S:.*]] = qopt.matmul %[[OQ]], %[[OK]]
// CHECK:         qopt.observe %[[S]] {id = 2 : i64, name = "scores"}
// CHECK:         qopt.matmul %[[OQ]], %{{.*}}
// CHECK:         qopt.observe {{.*}} {id = 3 : i64, name = "again"}
// CHECK:         qopt.matmul_integer
// CHECK-NOT:     qopt.observe
func.func @attention(%q: tensor<2x4x8xf32> {qopt.name = "q"}, %k: tensor<2x8x4xf32> {qopt.name = "k"},
                     %a: tensor<4x8xi8>, %b: tensor<8x4xi8>) -> (tensor<2x4x4xf32>, tensor<2x4x8xf32>, tensor<4x4xi32>) {
  %s = qopt.matmul %q, %k : (tensor<2x4x8xf32>, tensor<2x8x4xf32>) -> tensor<2x4x4xf32> loc("scores")
  %w = qopt.constant dense<1.0> : tensor<8x8xf32>
  %t = qopt.matmul %q, %w : (tensor<2x4x8xf32>, tensor<8x8xf32>) -> tensor<2x4x8xf32> loc("again")
  %i = qopt.matmul_integer %a, %b : (tensor<4x8xi8>, tensor<8x4xi8>) -> tensor<4x4xi32>
  return %s, %t, %i : tensor<2x4x4xf32>, tensor<2x4x8xf32>, tensor<4x4xi32>
}

// -----

// Must not transform: no quantizable op, nothing to observe.
// CHECK-LABEL: func.func @no_quantizable_ops
// CHECK-NOT:     qopt.observe
func.func @no_quantizable_ops(%x: tensor<4xf32>) -> tensor<4xf32> {
  %y = qopt.relu %x : (tensor<4xf32>) -> tensor<4xf32>
  return %y : tensor<4xf32>
}
