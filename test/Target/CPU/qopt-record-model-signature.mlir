// -qopt-record-model-signature stores @main's signature, read while the
// types still carry ONNX meaning, as the module attribute
// qopt.model_signature: a header line, then one line per input and output:
// kind, name (qopt.name, else input<i> / output<i>), dtype, dims (-1 when
// dynamic) and the symbolic dim names (qopt.dim_params), tab-separated.
// In the printed attribute a tab is \09 and a newline \0A; the SIG run splits
// the text at \0A so that each line is checked whole.
//
// RUN: split-file %s %t
// RUN: qopt-opt %t/valid.mlir -qopt-record-model-signature -split-input-file | FileCheck %t/valid.mlir
// RUN: qopt-opt %t/valid.mlir -qopt-record-model-signature -split-input-file \
// RUN:   | sed -n 's/.*qopt.model_signature = "\([^"]*\)".*/\1/p' | sed 's/\\0A/\n/g' \
// RUN:   | FileCheck %t/valid.mlir --check-prefix=SIG --match-full-lines
// RUN: qopt-opt %t/invalid.mlir -qopt-record-model-signature -split-input-file -verify-diagnostics

//--- valid.mlir

// Element types: bool, signed and unsigned integers of every width (si64 is
// i64), unnamed inputs and outputs numbered by position.
// CHECK:       module attributes {qopt.model_signature = "qopt-model-signature 1\0A
// CHECK-LABEL: func.func @main
// SIG:       qopt-model-signature 1
// SIG-NEXT:  input\09input0\09bool\092,3\09,
// SIG-NEXT:  input\09ids\09u8\094\09
// SIG-NEXT:  input\09input2\09i64\09\09
// SIG-NEXT:  input\09input3\09i32\098\09
// SIG-NEXT:  output\09output0\09u32\094\09
// SIG-NEXT:  output\09small\09i16\092\09
// SIG-NEXT:  output\09output2\09u16\092\09
// SIG-NEXT:  output\09output3\09u64\092\09
// SIG-NEXT:  output\09output4\09i8\092\09
// SIG-EMPTY:
func.func @main(%mask: tensor<2x3xi1>, %ids: tensor<4xui8> {qopt.name = "ids"}, %n: tensor<si64>, %w: tensor<8xi32>)
    -> (tensor<4xui32>, tensor<2xi16> {qopt.name = "small"}, tensor<2xui16>, tensor<2xui64>, tensor<2xi8>) {
  %a = arith.constant dense<1> : tensor<4xui32>
  %b = arith.constant dense<1> : tensor<2xi16>
  %c = arith.constant dense<1> : tensor<2xui16>
  %d = arith.constant dense<1> : tensor<2xui64>
  %e = arith.constant dense<1> : tensor<2xi8>
  return %a, %b, %c, %d, %e : tensor<4xui32>, tensor<2xi16>, tensor<2xui16>, tensor<2xui64>, tensor<2xi8>
}

// -----

// Dynamic dims are -1; qopt.dim_params names them, a missing or empty entry
// leaves the name empty. Float dtypes f32 / f16 / bf16 / f64.
// SIG:       qopt-model-signature 1
// SIG-NEXT:  input\09x\09f32\09-1,-1,32\09batch,seq,
// SIG-NEXT:  input\09input1\09f16\09-1,8\09n,
// SIG-NEXT:  input\09input2\09bf16\091\09
// SIG-NEXT:  input\09input3\09f64\09-1\09
// SIG-NEXT:  output\09y\09f32\09-1,-1,32\09batch,,
// SIG-EMPTY:
func.func @main(%x: tensor<?x?x32xf32> {qopt.name = "x", qopt.dim_params = ["batch", "seq", ""]},
                %h: tensor<?x8xf16> {qopt.dim_params = ["n"]}, %b: tensor<1xbf16>, %d: tensor<?xf64>)
    -> (tensor<?x?x32xf32> {qopt.name = "y", qopt.dim_params = ["batch"]}) {
  return %x : tensor<?x?x32xf32>
}

// -----

// Only @main is recorded, and the functions are left as they are (their
// argument attributes included).
// CHECK:       module attributes {qopt.model_signature = "qopt-model-signature 1\0Ainput\09in\09u8\094\09\0Aoutput\09output0\09u8\094\09\0A"}
// CHECK:       func.func private @helper(%{{.*}}: tensor<7xi64> {qopt.name = "not_recorded"})
// CHECK:       func.func @main(%{{.*}}: tensor<4xui8> {qopt.name = "in"}) -> tensor<4xui8>
// SIG:       qopt-model-signature 1
// SIG-NEXT:  input\09in\09u8\094\09
// SIG-NEXT:  output\09output0\09u8\094\09
// SIG-EMPTY:
func.func private @helper(%v: tensor<7xi64> {qopt.name = "not_recorded"}) {
  return
}
func.func @main(%x: tensor<4xui8> {qopt.name = "in"}) -> tensor<4xui8> {
  return %x : tensor<4xui8>
}

//--- invalid.mlir

// expected-error @+1 {{expects a func.func @main (the imported graph)}}
module {
  func.func @graph(%x: tensor<4xf32>) -> tensor<4xf32> {
    return %x : tensor<4xf32>
  }
}

// -----

// expected-error @+1 {{model input 0 has type 'tensor<*xf32>', which the runtime ABI does not support (needs a ranked tensor of float / integer / bool)}}
func.func @main(%x: tensor<*xf32>) {
  return
}

// -----

// expected-error @+1 {{model output 0 has type 'tensor<4xindex>', which the runtime ABI does not support}}
func.func @main(%x: tensor<4xf32>) -> tensor<4xindex> {
  %c = arith.constant dense<0> : tensor<4xindex>
  return %c : tensor<4xindex>
}

// -----

// expected-error @+1 {{model input 1 has type 'tensor<4xi4>', which the runtime ABI does not support}}
func.func @main(%x: tensor<4xf32>, %y: tensor<4xi4>) {
  return
}

// -----

// A tab would break the tab-separated format.
// expected-error @+1 {{contains a tab or newline}}
func.func @main(%x: tensor<4xf32> {qopt.name = "a\09b"}) {
  return
}
