// What -convert-qopt-to-linalg does with IR it cannot lower, and how it
// converts function signatures.
//
// no-lowering.mlir: before converting anything the pass lists every qopt op
// that no pattern is registered for, in one module-level error with a note
// per op. Every op the qopt dialect registers has a pattern today, so the
// test uses an op name the dialect does not know: it needs
// -allow-unregistered-dialect and parsing without the verifier (the qopt
// dialect rejects unknown ops).
//
// refused.mlir: ops that have a pattern whose preconditions fail end as the
// conversion's "failed to legalize" error at the op (conv-pool.mlir holds the
// LpNormalization / Resize / ConvTranspose ones).
//
// signature.mlir: the type conversion makes integers signless in function
// signatures, calls and declarations, and keeps argument / result attributes.
//
// RUN: split-file %s %t
// RUN: qopt-opt %t/no-lowering.mlir -convert-qopt-to-linalg -allow-unregistered-dialect --mlir-very-unsafe-disable-verifier-on-parsing -verify-diagnostics
// RUN: not qopt-opt %t/named.mlir -convert-qopt-to-linalg -allow-unregistered-dialect --mlir-very-unsafe-disable-verifier-on-parsing 2>&1 | FileCheck %t/named.mlir
// RUN: qopt-opt %t/refused.mlir -convert-qopt-to-linalg -split-input-file -verify-diagnostics
// RUN: qopt-opt %t/signature.mlir -convert-qopt-to-linalg | FileCheck %t/signature.mlir

//--- no-lowering.mlir

// Two ops without a pattern: one error on the module, one note each; the
// lowerable qopt.relu between them gets none.
// expected-error @+1 {{2 op(s) have no lowering to linalg yet}}
module {
  func.func @main(%x: tensor<4xf32>) -> tensor<4xf32> {
    // expected-note @+1 {{'qopt.frobnicate' has no lowering}}
    %0 = "qopt.frobnicate"(%x) : (tensor<4xf32>) -> tensor<4xf32>
    %1 = qopt.relu %0 : (tensor<4xf32>) -> tensor<4xf32>
    // expected-note @+1 {{'qopt.defrobnicate' has no lowering}}
    %2 = "qopt.defrobnicate"(%1) : (tensor<4xf32>) -> tensor<4xf32>
    return %2 : tensor<4xf32>
  }
}

//--- refused.mlir

// Elementwise ops need ranked operands.
func.func @add_unranked(%x: tensor<*xf32>, %y: tensor<4xf32>) -> tensor<*xf32> {
  // expected-error @+1 {{failed to legalize operation 'qopt.add' that was explicitly marked illegal}}
  %0 = qopt.add %x, %y : (tensor<*xf32>, tensor<4xf32>) -> tensor<*xf32>
  return %0 : tensor<*xf32>
}

// -----

// Slice with run-time starts / ends needs to know how many axes they name.
func.func @slice_unknown_axis_count(%x: tensor<8xf32>, %s: tensor<?xi64>, %e: tensor<?xi64>) -> tensor<?xf32> {
  // expected-error @+1 {{failed to legalize operation 'qopt.slice' that was explicitly marked illegal}}
  %0 = qopt.slice %x, %s, %e : (tensor<8xf32>, tensor<?xi64>, tensor<?xi64>) -> tensor<?xf32>
  return %0 : tensor<?xf32>
}

// -----

func.func @matmul_unranked(%x: tensor<*xf32>, %w: tensor<4x4xf32>) -> tensor<*xf32> {
  // expected-error @+1 {{failed to legalize operation 'qopt.matmul' that was explicitly marked illegal}}
  %0 = qopt.matmul %x, %w : (tensor<*xf32>, tensor<4x4xf32>) -> tensor<*xf32>
  return %0 : tensor<*xf32>
}

//--- signature.mlir

// ui8 / si8 arguments and results become i8; qopt.name and qopt.dim_params
// stay on the arguments and results.
// CHECK-LABEL: func.func @main
// CHECK-SAME:    (%[[X:.*]]: tensor<?x4xi8> {qopt.dim_params = ["batch", ""], qopt.name = "pixels"},
// CHECK-SAME:     %[[Y:.*]]: tensor<4xi8>, %{{.*}}: tensor<2xi8> {qopt.name = "signed"})
// CHECK-SAME:    -> (tensor<?x4xi8> {qopt.name = "out"})
// CHECK:         linalg.generic
// CHECK-SAME:      ins(%[[X]], %[[Y]] : tensor<?x4xi8>, tensor<4xi8>)
// CHECK:           arith.addi %{{.*}}, %{{.*}} : i8
func.func @main(%x: tensor<?x4xui8> {qopt.name = "pixels", qopt.dim_params = ["batch", ""]},
                %y: tensor<4xui8>, %z: tensor<2xsi8> {qopt.name = "signed"}) -> (tensor<?x4xui8> {qopt.name = "out"}) {
  %0 = qopt.add %x, %y : (tensor<?x4xui8>, tensor<4xui8>) -> tensor<?x4xui8>
  return %0 : tensor<?x4xui8>
}

// Declarations, calls and unranked tensors are converted too.
// CHECK-LABEL: func.func private @ext(tensor<2xi16> {qopt.name = "e"}) -> tensor<2xi16>
// CHECK-LABEL: func.func @caller
// CHECK-SAME:    (%[[A:.*]]: tensor<2xi16>, %{{.*}}: tensor<*xi16>) -> tensor<2xi16>
// CHECK:         %[[R:.*]] = call @ext(%[[A]]) : (tensor<2xi16>) -> tensor<2xi16>
// CHECK:         return %[[R]] : tensor<2xi16>
func.func private @ext(tensor<2xui16> {qopt.name = "e"}) -> tensor<2xui16>
func.func @caller(%a: tensor<2xui16>, %b: tensor<*xui16>) -> tensor<2xui16> {
  %0 = call @ext(%a) : (tensor<2xui16>) -> tensor<2xui16>
  return %0 : tensor<2xui16>
}

//--- named.mlir
// An op imported from ONNX carries the node name in its location; the note
// names the node.
// CHECK: error: 1 op(s) have no lowering to linalg yet
// CHECK: model.onnx:0:0: note: 'qopt.frobnicate' has no lowering (ONNX node 'blk.0/act')
module {
  func.func @named(%x: tensor<4xf32>) -> tensor<4xf32> {
    %0 = "qopt.frobnicate"(%x) : (tensor<4xf32>) -> tensor<4xf32> loc("blk.0/act"("model.onnx":0:0))
    return %0 : tensor<4xf32>
  }
}
