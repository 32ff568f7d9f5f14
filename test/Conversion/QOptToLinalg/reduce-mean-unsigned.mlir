// RUN: qopt-opt %s -convert-qopt-to-linalg | FileCheck %s

// The integer mean of an unsigned tensor divides with arith.divui (a ui32 /
// ui64 sum with the top bit set is not negative).

// CHECK-LABEL: func.func @reduce_mean_unsigned
// CHECK:         linalg.generic
// CHECK-SAME:      iterator_types = ["reduction"]
// CHECK-NOT:     arith.divsi
// CHECK:         arith.divui
func.func @reduce_mean_unsigned(%x: tensor<4xui32>) -> tensor<1xui32> {
  %0 = qopt.reduce_mean %x : (tensor<4xui32>) -> tensor<1xui32>
  return %0 : tensor<1xui32>
}
