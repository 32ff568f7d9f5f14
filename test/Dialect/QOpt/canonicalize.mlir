// RUN: qopt-opt %s -canonicalize -split-input-file | FileCheck %s

// The folders of lib/Dialect/QOpt/IR/QOptFolds.cpp: each with cases where it
// applies and cases where it must not.

//===----------------------------------------------------------------------===//
// qopt.add: x + 0 -> x
//===----------------------------------------------------------------------===//

// CHECK-LABEL: func.func @add_zero_rhs
// CHECK-SAME:    (%[[X:.*]]: tensor<2x3xf32>)
// CHECK-NOT:     qopt.add
// CHECK:         return %[[X]]
func.func @add_zero_rhs(%x: tensor<2x3xf32>) -> tensor<2x3xf32> {
  %zero = qopt.constant dense<0.0> : tensor<3xf32>
  %0 = qopt.add %x, %zero : (tensor<2x3xf32>, tensor<3xf32>) -> tensor<2x3xf32>
  return %0 : tensor<2x3xf32>
}

// -----

// The zero may be the first operand, and -0.0 is a zero too.
// CHECK-LABEL: func.func @add_zero_lhs
// CHECK-SAME:    (%[[X:.*]]: tensor<?x3xf16>)
// CHECK-NOT:     qopt.add
// CHECK:         return %[[X]]
func.func @add_zero_lhs(%x: tensor<?x3xf16>) -> tensor<?x3xf16> {
  %zero = qopt.constant dense<-0.0> : tensor<f16>
  %0 = qopt.add %zero, %x : (tensor<f16>, tensor<?x3xf16>) -> tensor<?x3xf16>
  return %0 : tensor<?x3xf16>
}

// -----

// CHECK-LABEL: func.func @add_zero_int
// CHECK-SAME:    (%[[X:.*]]: tensor<4xi64>)
// CHECK-NOT:     qopt.add
// CHECK:         return %[[X]]
func.func @add_zero_int(%x: tensor<4xi64>) -> tensor<4xi64> {
  %zero = qopt.constant dense<0> : tensor<4xi64>
  %0 = qopt.add %x, %zero : (tensor<4xi64>, tensor<4xi64>) -> tensor<4xi64>
  return %0 : tensor<4xi64>
}

// -----

// CHECK-LABEL: func.func @add_nonzero
// CHECK:         %[[C:.*]] = qopt.constant dense<1.000000e+00> : tensor<3xf32>
// CHECK:         %[[R:.*]] = qopt.add %arg0, %[[C]]
// CHECK:         return %[[R]]
func.func @add_nonzero(%x: tensor<2x3xf32>) -> tensor<2x3xf32> {
  %one = qopt.constant dense<1.0> : tensor<3xf32>
  %0 = qopt.add %x, %one : (tensor<2x3xf32>, tensor<3xf32>) -> tensor<2x3xf32>
  return %0 : tensor<2x3xf32>
}

// -----

// Not a splat: no fold even though one element is zero.
// CHECK-LABEL: func.func @add_non_splat
// CHECK:         qopt.add
func.func @add_non_splat(%x: tensor<2xf32>) -> tensor<2xf32> {
  %c = qopt.constant dense<[0.0, 1.0]> : tensor<2xf32>
  %0 = qopt.add %x, %c : (tensor<2xf32>, tensor<2xf32>) -> tensor<2xf32>
  return %0 : tensor<2xf32>
}

// -----

// Adding zero broadcasts x from 3 to 2x3: the result is not x.
// CHECK-LABEL: func.func @add_zero_broadcasts
// CHECK:         %[[R:.*]] = qopt.add
// CHECK-SAME:      -> tensor<2x3xf32>
// CHECK:         return %[[R]]
func.func @add_zero_broadcasts(%x: tensor<3xf32>) -> tensor<2x3xf32> {
  %zero = qopt.constant dense<0.0> : tensor<2x3xf32>
  %0 = qopt.add %x, %zero : (tensor<3xf32>, tensor<2x3xf32>) -> tensor<2x3xf32>
  return %0 : tensor<2x3xf32>
}

// -----

// 2^64 is not zero, though its low 64 bits are.
// CHECK-LABEL: func.func @add_wide_int
// CHECK:         qopt.constant dense<18446744073709551616> : tensor<4xi128>
// CHECK:         qopt.add
func.func @add_wide_int(%x: tensor<4xi128>) -> tensor<4xi128> {
  %c = qopt.constant dense<18446744073709551616> : tensor<4xi128>
  %0 = qopt.add %x, %c : (tensor<4xi128>, tensor<4xi128>) -> tensor<4xi128>
  return %0 : tensor<4xi128>
}

// -----

// Only constant operands fold: x + y stays.
// CHECK-LABEL: func.func @add_non_constant
// CHECK:         qopt.add %arg0, %arg1
func.func @add_non_constant(%x: tensor<4xf32>, %y: tensor<4xf32>) -> tensor<4xf32> {
  %0 = qopt.add %x, %y : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32>
  return %0 : tensor<4xf32>
}

//===----------------------------------------------------------------------===//
// qopt.mul: x * 1 -> x
//===----------------------------------------------------------------------===//

// -----

// CHECK-LABEL: func.func @mul_one_rhs
// CHECK-SAME:    (%[[X:.*]]: tensor<2x3xf32>)
// CHECK-NOT:     qopt.mul
// CHECK:         return %[[X]]
func.func @mul_one_rhs(%x: tensor<2x3xf32>) -> tensor<2x3xf32> {
  %one = qopt.constant dense<1.0> : tensor<1xf32>
  %0 = qopt.mul %x, %one : (tensor<2x3xf32>, tensor<1xf32>) -> tensor<2x3xf32>
  return %0 : tensor<2x3xf32>
}

// -----

// CHECK-LABEL: func.func @mul_one_lhs
// CHECK-SAME:    (%[[X:.*]]: tensor<*xbf16>)
// CHECK-NOT:     qopt.mul
// CHECK:         return %[[X]]
func.func @mul_one_lhs(%x: tensor<*xbf16>) -> tensor<*xbf16> {
  %one = qopt.constant dense<1.0> : tensor<bf16>
  %0 = qopt.mul %one, %x : (tensor<bf16>, tensor<*xbf16>) -> tensor<*xbf16>
  return %0 : tensor<*xbf16>
}

// -----

// CHECK-LABEL: func.func @mul_one_int
// CHECK-SAME:    (%[[X:.*]]: tensor<4xi32>)
// CHECK-NOT:     qopt.mul
// CHECK:         return %[[X]]
func.func @mul_one_int(%x: tensor<4xi32>) -> tensor<4xi32> {
  %one = qopt.constant dense<1> : tensor<i32>
  %0 = qopt.mul %x, %one : (tensor<4xi32>, tensor<i32>) -> tensor<4xi32>
  return %0 : tensor<4xi32>
}

// -----

// CHECK-LABEL: func.func @mul_two
// CHECK:         %[[C:.*]] = qopt.constant dense<2.000000e+00> : tensor<f32>
// CHECK:         %[[R:.*]] = qopt.mul %arg0, %[[C]]
// CHECK:         return %[[R]]
func.func @mul_two(%x: tensor<4xf32>) -> tensor<4xf32> {
  %two = qopt.constant dense<2.0> : tensor<f32>
  %0 = qopt.mul %x, %two : (tensor<4xf32>, tensor<f32>) -> tensor<4xf32>
  return %0 : tensor<4xf32>
}

// -----

// Multiplying by zero does not fold (x * 0 is not 0 for NaN and inf).
// CHECK-LABEL: func.func @mul_zero
// CHECK:         qopt.mul
func.func @mul_zero(%x: tensor<4xf32>) -> tensor<4xf32> {
  %zero = qopt.constant dense<0.0> : tensor<f32>
  %0 = qopt.mul %x, %zero : (tensor<4xf32>, tensor<f32>) -> tensor<4xf32>
  return %0 : tensor<4xf32>
}

// -----

// Multiplying by one broadcasts x from ?x3 to 2x3: the result is not x.
// CHECK-LABEL: func.func @mul_one_broadcasts
// CHECK:         qopt.mul
// CHECK-SAME:      -> tensor<2x3xf32>
func.func @mul_one_broadcasts(%x: tensor<?x3xf32>) -> tensor<2x3xf32> {
  %one = qopt.constant dense<1.0> : tensor<2x3xf32>
  %0 = qopt.mul %x, %one : (tensor<?x3xf32>, tensor<2x3xf32>) -> tensor<2x3xf32>
  return %0 : tensor<2x3xf32>
}

// -----

// 1 + 2^-112 is not one in f128, though it rounds to 1.0 as a double.
// CHECK-LABEL: func.func @mul_wide_float
// CHECK:         qopt.mul
func.func @mul_wide_float(%x: tensor<4xf128>) -> tensor<4xf128> {
  %c = qopt.constant dense<0x3FFF0000000000000000000000000001> : tensor<4xf128>
  %0 = qopt.mul %x, %c : (tensor<4xf128>, tensor<4xf128>) -> tensor<4xf128>
  return %0 : tensor<4xf128>
}

// -----

// Unsigned integers are not folded.
// CHECK-LABEL: func.func @mul_one_unsigned
// CHECK:         qopt.mul
func.func @mul_one_unsigned(%x: tensor<4xui8>) -> tensor<4xui8> {
  %one = qopt.constant dense<1> : tensor<4xui8>
  %0 = qopt.mul %x, %one : (tensor<4xui8>, tensor<4xui8>) -> tensor<4xui8>
  return %0 : tensor<4xui8>
}

//===----------------------------------------------------------------------===//
// qopt.identity and qopt.cast to the same type
//===----------------------------------------------------------------------===//

// -----

// CHECK-LABEL: func.func @identity
// CHECK-SAME:    (%[[X:.*]]: tensor<?x8xf32>)
// CHECK-NOT:     qopt.identity
// CHECK:         return %[[X]]
func.func @identity(%x: tensor<?x8xf32>) -> tensor<?x8xf32> {
  %0 = qopt.identity %x : (tensor<?x8xf32>) -> tensor<?x8xf32>
  %1 = qopt.identity %0 : (tensor<?x8xf32>) -> tensor<?x8xf32>
  return %1 : tensor<?x8xf32>
}

// -----

// An identity that refines the type (? -> 8) stays.
// CHECK-LABEL: func.func @identity_refines_type
// CHECK:         %[[R:.*]] = qopt.identity %arg0 : (tensor<?x8xf32>) -> tensor<4x8xf32>
// CHECK:         return %[[R]]
func.func @identity_refines_type(%x: tensor<?x8xf32>) -> tensor<4x8xf32> {
  %0 = qopt.identity %x : (tensor<?x8xf32>) -> tensor<4x8xf32>
  return %0 : tensor<4x8xf32>
}

// -----

// CHECK-LABEL: func.func @cast_same_type
// CHECK-SAME:    (%[[X:.*]]: tensor<4xi64>)
// CHECK-NOT:     qopt.cast
// CHECK:         return %[[X]]
func.func @cast_same_type(%x: tensor<4xi64>) -> tensor<4xi64> {
  %0 = qopt.cast %x : (tensor<4xi64>) -> tensor<4xi64>
  return %0 : tensor<4xi64>
}

// -----

// CHECK-LABEL: func.func @cast_changes_type
// CHECK:         %[[R:.*]] = qopt.cast %arg0 : (tensor<4xi64>) -> tensor<4xf32>
// CHECK:         return %[[R]]
func.func @cast_changes_type(%x: tensor<4xi64>) -> tensor<4xf32> {
  %0 = qopt.cast %x : (tensor<4xi64>) -> tensor<4xf32>
  return %0 : tensor<4xf32>
}

// -----

// A cast pair that round-trips the type is two real conversions (f32 -> f16
// rounds): neither folds.
// CHECK-LABEL: func.func @cast_round_trip
// CHECK:         qopt.cast %arg0 : (tensor<4xf32>) -> tensor<4xf16>
// CHECK:         qopt.cast %{{.*}} : (tensor<4xf16>) -> tensor<4xf32>
func.func @cast_round_trip(%x: tensor<4xf32>) -> tensor<4xf32> {
  %0 = qopt.cast %x : (tensor<4xf32>) -> tensor<4xf16>
  %1 = qopt.cast %0 : (tensor<4xf16>) -> tensor<4xf32>
  return %1 : tensor<4xf32>
}

//===----------------------------------------------------------------------===//
// qopt.constant: folds to its value (so equal constants are merged and unused
// ones erased)
//===----------------------------------------------------------------------===//

// -----

// CHECK-LABEL: func.func @constants
// CHECK:         %[[A:.*]] = qopt.constant dense<[1, 2]> : tensor<2xi64>
// CHECK-NOT:     qopt.constant
// CHECK:         return %[[A]], %[[A]]
func.func @constants() -> (tensor<2xi64>, tensor<2xi64>) {
  %a = qopt.constant dense<[1, 2]> : tensor<2xi64>
  %b = qopt.constant dense<[1, 2]> : tensor<2xi64>
  %unused = qopt.constant dense<3.0> : tensor<8xf32>
  return %a, %b : tensor<2xi64>, tensor<2xi64>
}

// -----

// Different values, or one value with different types, stay apart.
// CHECK-LABEL: func.func @distinct_constants
// CHECK-DAG:     %[[A:.*]] = qopt.constant dense<[1, 2]> : tensor<2xi64>
// CHECK-DAG:     %[[B:.*]] = qopt.constant dense<[2, 1]> : tensor<2xi64>
// CHECK-DAG:     %[[C:.*]] = qopt.constant dense<[1, 2]> : tensor<2xi32>
// CHECK:         return %[[A]], %[[B]], %[[C]]
func.func @distinct_constants() -> (tensor<2xi64>, tensor<2xi64>, tensor<2xi32>) {
  %a = qopt.constant dense<[1, 2]> : tensor<2xi64>
  %b = qopt.constant dense<[2, 1]> : tensor<2xi64>
  %c = qopt.constant dense<[1, 2]> : tensor<2xi32>
  return %a, %b, %c : tensor<2xi64>, tensor<2xi64>, tensor<2xi32>
}

//===----------------------------------------------------------------------===//
// qopt.reshape to the input's static type
//===----------------------------------------------------------------------===//

// -----

// CHECK-LABEL: func.func @reshape_same_type
// CHECK-SAME:    (%[[X:.*]]: tensor<2x3xf32>, %{{.*}}: tensor<2xi64>)
// CHECK-NOT:     qopt.reshape
// CHECK:         return %[[X]]
func.func @reshape_same_type(%x: tensor<2x3xf32>, %shape: tensor<2xi64>) -> tensor<2x3xf32> {
  %0 = qopt.reshape %x, %shape : (tensor<2x3xf32>, tensor<2xi64>) -> tensor<2x3xf32>
  return %0 : tensor<2x3xf32>
}

// -----

// CHECK-LABEL: func.func @reshape_changes_shape
// CHECK:         %[[R:.*]] = qopt.reshape %arg0, %arg1 : (tensor<2x3xf32>, tensor<2xi64>) -> tensor<3x2xf32>
// CHECK:         return %[[R]]
func.func @reshape_changes_shape(%x: tensor<2x3xf32>, %shape: tensor<2xi64>) -> tensor<3x2xf32> {
  %0 = qopt.reshape %x, %shape : (tensor<2x3xf32>, tensor<2xi64>) -> tensor<3x2xf32>
  return %0 : tensor<3x2xf32>
}

// -----

// ?x? -> ?x? may still change the shape (4x6 -> 8x3): dynamic types do not
// fold.
// CHECK-LABEL: func.func @reshape_dynamic
// CHECK:         %[[R:.*]] = qopt.reshape %arg0, %arg1 : (tensor<?x?xf32>, tensor<2xi64>) -> tensor<?x?xf32>
// CHECK:         return %[[R]]
func.func @reshape_dynamic(%x: tensor<?x?xf32>, %shape: tensor<2xi64>) -> tensor<?x?xf32> {
  %0 = qopt.reshape %x, %shape : (tensor<?x?xf32>, tensor<2xi64>) -> tensor<?x?xf32>
  return %0 : tensor<?x?xf32>
}

//===----------------------------------------------------------------------===//
// qopt.transpose with the identity permutation
//===----------------------------------------------------------------------===//

// -----

// CHECK-LABEL: func.func @transpose_identity
// CHECK-SAME:    (%[[X:.*]]: tensor<?x3x4xf32>)
// CHECK-NOT:     qopt.transpose
// CHECK:         return %[[X]]
func.func @transpose_identity(%x: tensor<?x3x4xf32>) -> tensor<?x3x4xf32> {
  %0 = qopt.transpose %x {perm = array<i64: 0, 1, 2>} : (tensor<?x3x4xf32>) -> tensor<?x3x4xf32>
  return %0 : tensor<?x3x4xf32>
}

// -----

// CHECK-LABEL: func.func @transpose_permutes
// CHECK:         %[[R:.*]] = qopt.transpose %arg0 {perm = array<i64: 0, 2, 1>} : (tensor<?x3x4xf32>) -> tensor<?x4x3xf32>
// CHECK:         return %[[R]]
func.func @transpose_permutes(%x: tensor<?x3x4xf32>) -> tensor<?x4x3xf32> {
  %0 = qopt.transpose %x {perm = array<i64: 0, 2, 1>} : (tensor<?x3x4xf32>) -> tensor<?x4x3xf32>
  return %0 : tensor<?x4x3xf32>
}

// -----

// A non-identity permutation does not fold even when it keeps the type.
// CHECK-LABEL: func.func @transpose_square
// CHECK:         qopt.transpose %arg0 {perm = array<i64: 1, 0>} : (tensor<3x3xf32>) -> tensor<3x3xf32>
func.func @transpose_square(%x: tensor<3x3xf32>) -> tensor<3x3xf32> {
  %0 = qopt.transpose %x {perm = array<i64: 1, 0>} : (tensor<3x3xf32>) -> tensor<3x3xf32>
  return %0 : tensor<3x3xf32>
}

// -----

// Without perm, transpose reverses the dimensions.
// CHECK-LABEL: func.func @transpose_no_perm
// CHECK:         qopt.transpose %arg0 : (tensor<3x3xf32>) -> tensor<3x3xf32>
func.func @transpose_no_perm(%x: tensor<3x3xf32>) -> tensor<3x3xf32> {
  %0 = qopt.transpose %x : (tensor<3x3xf32>) -> tensor<3x3xf32>
  return %0 : tensor<3x3xf32>
}

// -----

// The identity permutation that refines the type (? -> 2) stays.
// CHECK-LABEL: func.func @transpose_identity_refines_type
// CHECK:         qopt.transpose %arg0 {perm = array<i64: 0, 1>} : (tensor<?x3xf32>) -> tensor<2x3xf32>
func.func @transpose_identity_refines_type(%x: tensor<?x3xf32>) -> tensor<2x3xf32> {
  %0 = qopt.transpose %x {perm = array<i64: 0, 1>} : (tensor<?x3xf32>) -> tensor<2x3xf32>
  return %0 : tensor<2x3xf32>
}

//===----------------------------------------------------------------------===//
// qopt.shape of a static tensor
//===----------------------------------------------------------------------===//

// -----

// CHECK-LABEL: func.func @shape_static
// CHECK:         %[[C:.*]] = qopt.constant dense<[2, 128, 768]> : tensor<3xi64>
// CHECK-NOT:     qopt.shape
// CHECK:         return %[[C]]
func.func @shape_static(%x: tensor<2x128x768xf32>) -> tensor<3xi64> {
  %0 = qopt.shape %x : (tensor<2x128x768xf32>) -> tensor<3xi64>
  return %0 : tensor<3xi64>
}

// -----

// start and end select dimensions; negative values count from the end.
// CHECK-LABEL: func.func @shape_start_end
// CHECK:         %[[C:.*]] = qopt.constant dense<128> : tensor<1xi64>
// CHECK-NOT:     qopt.shape
// CHECK:         return %[[C]]
func.func @shape_start_end(%x: tensor<2x128x768xf32>) -> tensor<1xi64> {
  %0 = qopt.shape %x {start = 1 : i64, end = -1 : i64} : (tensor<2x128x768xf32>) -> tensor<1xi64>
  return %0 : tensor<1xi64>
}

// -----

// Out-of-range start and end are clamped to [0, rank].
// CHECK-LABEL: func.func @shape_clamped
// CHECK:         %[[C:.*]] = qopt.constant dense<[128, 768]> : tensor<2xi64>
// CHECK-NOT:     qopt.shape
// CHECK:         return %[[C]]
func.func @shape_clamped(%x: tensor<2x128x768xf32>) -> tensor<2xi64> {
  %0 = qopt.shape %x {start = -2 : i64, end = 10 : i64} : (tensor<2x128x768xf32>) -> tensor<2xi64>
  return %0 : tensor<2xi64>
}

// -----

// An empty range folds to an empty tensor.
// CHECK-LABEL: func.func @shape_empty
// CHECK:         %[[C:.*]] = qopt.constant dense<> : tensor<0xi64>
// CHECK-NOT:     qopt.shape
// CHECK:         return %[[C]]
func.func @shape_empty(%x: tensor<2x128x768xf32>) -> tensor<0xi64> {
  %0 = qopt.shape %x {start = 2 : i64, end = 1 : i64} : (tensor<2x128x768xf32>) -> tensor<0xi64>
  return %0 : tensor<0xi64>
}

// -----

// CHECK-LABEL: func.func @shape_scalar
// CHECK:         qopt.constant dense<> : tensor<0xi64>
// CHECK-NOT:     qopt.shape
func.func @shape_scalar(%x: tensor<f32>) -> tensor<0xi64> {
  %0 = qopt.shape %x : (tensor<f32>) -> tensor<0xi64>
  return %0 : tensor<0xi64>
}

// -----

// CHECK-LABEL: func.func @shape_dynamic
// CHECK:         %[[R:.*]] = qopt.shape %arg0 : (tensor<?x128x768xf32>) -> tensor<3xi64>
// CHECK:         return %[[R]]
func.func @shape_dynamic(%x: tensor<?x128x768xf32>) -> tensor<3xi64> {
  %0 = qopt.shape %x : (tensor<?x128x768xf32>) -> tensor<3xi64>
  return %0 : tensor<3xi64>
}

// -----

// CHECK-LABEL: func.func @shape_unranked
// CHECK:         qopt.shape %arg0 : (tensor<*xf32>) -> tensor<?xi64>
func.func @shape_unranked(%x: tensor<*xf32>) -> tensor<?xi64> {
  %0 = qopt.shape %x : (tensor<*xf32>) -> tensor<?xi64>
  return %0 : tensor<?xi64>
}

// -----

// The folded constant would be tensor<3xi64>, not the declared tensor<?xi64>:
// no fold.
// CHECK-LABEL: func.func @shape_result_type
// CHECK:         qopt.shape %arg0 : (tensor<2x128x768xf32>) -> tensor<?xi64>
func.func @shape_result_type(%x: tensor<2x128x768xf32>) -> tensor<?xi64> {
  %0 = qopt.shape %x : (tensor<2x128x768xf32>) -> tensor<?xi64>
  return %0 : tensor<?xi64>
}

//===----------------------------------------------------------------------===//
// Folds compose
//===----------------------------------------------------------------------===//

// -----

// CHECK-LABEL: func.func @chain
// CHECK-SAME:    (%[[X:.*]]: tensor<2x3xf32>
// CHECK-NOT:     qopt.
// CHECK:         return %[[X]]
func.func @chain(%x: tensor<2x3xf32>, %shape: tensor<2xi64>) -> tensor<2x3xf32> {
  %zero = qopt.constant dense<0.0> : tensor<f32>
  %one = qopt.constant dense<1.0> : tensor<f32>
  %0 = qopt.transpose %x {perm = array<i64: 0, 1>} : (tensor<2x3xf32>) -> tensor<2x3xf32>
  %1 = qopt.reshape %0, %shape : (tensor<2x3xf32>, tensor<2xi64>) -> tensor<2x3xf32>
  %2 = qopt.mul %1, %one : (tensor<2x3xf32>, tensor<f32>) -> tensor<2x3xf32>
  %3 = qopt.add %zero, %2 : (tensor<f32>, tensor<2x3xf32>) -> tensor<2x3xf32>
  %4 = qopt.cast %3 : (tensor<2x3xf32>) -> tensor<2x3xf32>
  %5 = qopt.identity %4 : (tensor<2x3xf32>) -> tensor<2x3xf32>
  return %5 : tensor<2x3xf32>
}
