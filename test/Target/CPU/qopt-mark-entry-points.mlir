// RUN: qopt-opt %s -qopt-mark-entry-points -split-input-file | FileCheck %s

// -qopt-mark-entry-points gives every public function with a body
// llvm.emit_c_interface (so convert-func-to-llvm emits _mlir_ciface_<name>)
// and drops its argument and result attributes (qopt.name / qopt.dim_params
// are in qopt.model_signature by then). The pass reports no errors; the
// negative cases are functions it must leave alone: private functions and
// declarations.

// CHECK-LABEL: func.func @main
// CHECK-SAME:    (%{{.*}}: memref<?x4xf32>, %{{.*}}: memref<4xi8>) -> memref<?x4xf32>
// CHECK-SAME:    attributes {llvm.emit_c_interface} {
// CHECK-NEXT:    return
func.func @main(%x: memref<?x4xf32> {qopt.name = "x", qopt.dim_params = ["batch", ""]},
                %y: memref<4xi8> {qopt.name = "y"}) -> (memref<?x4xf32> {qopt.name = "out"}) {
  return %x : memref<?x4xf32>
}

// -----

// Every public function with a body is an entry point, not only @main; the
// function's other attributes stay.
// CHECK-LABEL: func.func @second_entry()
// CHECK-SAME:    attributes {llvm.emit_c_interface, qopt.keep}
func.func @second_entry() attributes {qopt.keep} {
  return
}

// -----

// Must not transform: a private function keeps its attributes and gets no C
// interface; so does an external declaration.
// CHECK-LABEL: func.func private @helper
// CHECK-SAME:    (%{{.*}}: memref<4xf32> {qopt.name = "h"}) -> (memref<4xf32> {qopt.name = "r"}) {
// CHECK-LABEL: func.func private @external
// CHECK-SAME:    (memref<4xf32> {qopt.name = "e"})
// CHECK-NOT:     llvm.emit_c_interface
func.func private @helper(%x: memref<4xf32> {qopt.name = "h"}) -> (memref<4xf32> {qopt.name = "r"}) {
  return %x : memref<4xf32>
}
func.func private @external(memref<4xf32> {qopt.name = "e"})
