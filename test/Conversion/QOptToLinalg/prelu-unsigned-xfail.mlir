// XFAIL: *
// RUN: qopt-opt %s -convert-qopt-to-linalg | FileCheck %s

// Known bug (Elementwise.cpp, PRelu): the "x < 0" test is a signed compare
// (arith.cmpi slt) whatever the operand's signedness, so ui32 / ui64 values
// with the top bit set (ONNX PRelu-16 allows both types) are taken as
// negative and multiplied by the slope; an unsigned x is never negative.
// Remove the XFAIL line when fixed.

// CHECK-LABEL: func.func @prelu_unsigned
// CHECK:         linalg.generic
// CHECK-NOT:       arith.cmpi slt
// CHECK:         return
func.func @prelu_unsigned(%x: tensor<4xui32>, %slope: tensor<4xui32>) -> tensor<4xui32> {
  %0 = qopt.prelu %x, %slope : (tensor<4xui32>, tensor<4xui32>) -> tensor<4xui32>
  return %0 : tensor<4xui32>
}
