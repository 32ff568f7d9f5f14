// RUN: qopt-opt %s -convert-qopt-to-linalg | FileCheck %s

// PRelu on an unsigned tensor is the identity: an unsigned x is never
// negative, so no signed "x < 0" compare may appear.

// CHECK-LABEL: func.func @prelu_unsigned
// CHECK:         linalg.generic
// CHECK-NOT:       arith.cmpi slt
// CHECK:         return
func.func @prelu_unsigned(%x: tensor<4xui32>, %slope: tensor<4xui32>) -> tensor<4xui32> {
  %0 = qopt.prelu %x, %slope : (tensor<4xui32>, tensor<4xui32>) -> tensor<4xui32>
  return %0 : tensor<4xui32>
}
