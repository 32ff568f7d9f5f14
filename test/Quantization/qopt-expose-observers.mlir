// RUN: qopt-opt %s -qopt-expose-observers -split-input-file -verify-diagnostics | FileCheck %s

// Every observed tensor becomes an extra result of @main, in id order,
// named qopt.observer.<id>; the model's own result stays first.
// CHECK-LABEL: func.func @main
// CHECK-SAME:    -> (tensor<4x16xf32> {qopt.name = "y"}, tensor<4x8xf32> {qopt.name = "qopt.observer.0"}, tensor<4x16xf32> {qopt.name = "qopt.observer.1"})
// CHECK:         %[[OX:.*]] = qopt.observe %[[X:.*]] {
// CHECK:         %[[Y:.*]] = qopt.matmul
// CHECK:         %[[OY:.*]] = qopt.observe %[[Y]] {
// CHECK:         return %[[OY]], %[[X]], %[[Y]]
func.func @main(%x: tensor<4x8xf32> {qopt.name = "x"}) -> (tensor<4x16xf32> {qopt.name = "y"}) {
  %ox = qopt.observe %x {id = 0 : i64, name = "x"} : tensor<4x8xf32>
  %w = qopt.constant dense<0.5> : tensor<8x16xf32>
  %y = qopt.matmul %ox, %w : (tensor<4x8xf32>, tensor<8x16xf32>) -> tensor<4x16xf32>
  %oy = qopt.observe %y {id = 1 : i64, name = "fc"} : tensor<4x16xf32>
  return %oy : tensor<4x16xf32>
}

// -----

// Must not transform: two observers share an id.
func.func @main(%x: tensor<4xf32>) -> tensor<4xf32> {
  %a = qopt.observe %x {id = 0 : i64, name = "a"} : tensor<4xf32>
  // expected-error @below {{duplicates observer id 0}}
  %b = qopt.observe %a {id = 0 : i64, name = "b"} : tensor<4xf32>
  return %b : tensor<4xf32>
}

// -----

// expected-error @below {{qopt-expose-observers needs a function @main with a body}}
module {
  func.func private @main(%x: tensor<4xf32>) -> tensor<4xf32>
}
