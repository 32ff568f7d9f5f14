// XFAIL: *
// RUN: qopt-opt %s -convert-qopt-to-linalg | FileCheck %s

// Known bug (Reduction.cpp, PostMap::Mean): the integer mean always divides
// with arith.divsi, so a ui32 / ui64 sum with the top bit set (ONNX
// ReduceMean-18 allows both types) is divided as a negative number. The
// unsigned case needs arith.divui. Remove the XFAIL line when fixed.

// CHECK-LABEL: func.func @reduce_mean_unsigned
// CHECK:         linalg.generic
// CHECK-SAME:      iterator_types = ["reduction"]
// CHECK-NOT:     arith.divsi
// CHECK:         arith.divui
func.func @reduce_mean_unsigned(%x: tensor<4xui32>) -> tensor<1xui32> {
  %0 = qopt.reduce_mean %x : (tensor<4xui32>) -> tensor<1xui32>
  return %0 : tensor<1xui32>
}
