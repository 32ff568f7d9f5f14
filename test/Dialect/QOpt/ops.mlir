// RUN: qopt-opt %s | qopt-opt | FileCheck %s
// RUN: qopt-opt -mlir-print-op-generic %s | qopt-opt | FileCheck %s

// Round trip of every qopt op: custom form -> custom form, and custom form ->
// generic form -> custom form. Optional operands and results appear both
// present and absent; some shapes are dynamic or unranked. Attributes equal to
// their default are elided when printed.

//===----------------------------------------------------------------------===//
// Elementwise: binary arithmetic
//===----------------------------------------------------------------------===//

// CHECK-LABEL: func.func @arith_binary
func.func @arith_binary(%a: tensor<2x3xf32>, %b: tensor<3xf32>, %d: tensor<?x3xf32>,
                        %i: tensor<3xi64>) {
  // CHECK: qopt.add %arg0, %arg1 : (tensor<2x3xf32>, tensor<3xf32>) -> tensor<2x3xf32>
  %0 = qopt.add %a, %b : (tensor<2x3xf32>, tensor<3xf32>) -> tensor<2x3xf32>
  // CHECK: qopt.sub %arg2, %arg1 : (tensor<?x3xf32>, tensor<3xf32>) -> tensor<?x3xf32>
  %1 = qopt.sub %d, %b : (tensor<?x3xf32>, tensor<3xf32>) -> tensor<?x3xf32>
  // CHECK: qopt.mul %arg0, %arg0 : (tensor<2x3xf32>, tensor<2x3xf32>) -> tensor<2x3xf32>
  %2 = qopt.mul %a, %a : (tensor<2x3xf32>, tensor<2x3xf32>) -> tensor<2x3xf32>
  // CHECK: qopt.div %arg0, %arg2 : (tensor<2x3xf32>, tensor<?x3xf32>) -> tensor<2x3xf32>
  %3 = qopt.div %a, %d : (tensor<2x3xf32>, tensor<?x3xf32>) -> tensor<2x3xf32>
  // CHECK: qopt.mod %arg3, %arg3 : (tensor<3xi64>, tensor<3xi64>) -> tensor<3xi64>
  %4 = qopt.mod %i, %i : (tensor<3xi64>, tensor<3xi64>) -> tensor<3xi64>
  // CHECK: qopt.mod %arg0, %arg1 {fmod = 1 : i64} : (tensor<2x3xf32>, tensor<3xf32>) -> tensor<2x3xf32>
  %5 = qopt.mod %a, %b {fmod = 1 : i64} : (tensor<2x3xf32>, tensor<3xf32>) -> tensor<2x3xf32>
  // CHECK: qopt.pow %arg0, %arg3 : (tensor<2x3xf32>, tensor<3xi64>) -> tensor<2x3xf32>
  %6 = qopt.pow %a, %i : (tensor<2x3xf32>, tensor<3xi64>) -> tensor<2x3xf32>
  // CHECK: qopt.prelu %arg2, %arg1 : (tensor<?x3xf32>, tensor<3xf32>) -> tensor<?x3xf32>
  %7 = qopt.prelu %d, %b : (tensor<?x3xf32>, tensor<3xf32>) -> tensor<?x3xf32>
  return
}

//===----------------------------------------------------------------------===//
// Elementwise: comparison and logic
//===----------------------------------------------------------------------===//

// CHECK-LABEL: func.func @compare_logic
func.func @compare_logic(%a: tensor<2x3xf32>, %b: tensor<3xf32>, %p: tensor<?x3xi1>,
                         %q: tensor<3xi1>, %u: tensor<*xf32>) {
  // CHECK: qopt.equal %arg0, %arg1 : (tensor<2x3xf32>, tensor<3xf32>) -> tensor<2x3xi1>
  %0 = qopt.equal %a, %b : (tensor<2x3xf32>, tensor<3xf32>) -> tensor<2x3xi1>
  // CHECK: qopt.less %arg0, %arg1 : (tensor<2x3xf32>, tensor<3xf32>) -> tensor<2x3xi1>
  %1 = qopt.less %a, %b : (tensor<2x3xf32>, tensor<3xf32>) -> tensor<2x3xi1>
  // CHECK: qopt.less_or_equal %arg0, %arg1 : (tensor<2x3xf32>, tensor<3xf32>) -> tensor<2x3xi1>
  %2 = qopt.less_or_equal %a, %b : (tensor<2x3xf32>, tensor<3xf32>) -> tensor<2x3xi1>
  // CHECK: qopt.greater %arg4, %arg1 : (tensor<*xf32>, tensor<3xf32>) -> tensor<*xi1>
  %3 = qopt.greater %u, %b : (tensor<*xf32>, tensor<3xf32>) -> tensor<*xi1>
  // CHECK: qopt.greater_or_equal %arg0, %arg1 : (tensor<2x3xf32>, tensor<3xf32>) -> tensor<2x3xi1>
  %4 = qopt.greater_or_equal %a, %b : (tensor<2x3xf32>, tensor<3xf32>) -> tensor<2x3xi1>
  // CHECK: qopt.and %arg2, %arg3 : (tensor<?x3xi1>, tensor<3xi1>) -> tensor<?x3xi1>
  %5 = qopt.and %p, %q : (tensor<?x3xi1>, tensor<3xi1>) -> tensor<?x3xi1>
  // CHECK: qopt.or %arg2, %arg3 : (tensor<?x3xi1>, tensor<3xi1>) -> tensor<?x3xi1>
  %6 = qopt.or %p, %q : (tensor<?x3xi1>, tensor<3xi1>) -> tensor<?x3xi1>
  // CHECK: qopt.xor %arg3, %arg3 : (tensor<3xi1>, tensor<3xi1>) -> tensor<3xi1>
  %7 = qopt.xor %q, %q : (tensor<3xi1>, tensor<3xi1>) -> tensor<3xi1>
  // CHECK: qopt.where %arg2, %arg0, %arg1 : (tensor<?x3xi1>, tensor<2x3xf32>, tensor<3xf32>) -> tensor<2x3xf32>
  %8 = qopt.where %p, %a, %b : (tensor<?x3xi1>, tensor<2x3xf32>, tensor<3xf32>) -> tensor<2x3xf32>
  return
}

//===----------------------------------------------------------------------===//
// Elementwise: variadic
//===----------------------------------------------------------------------===//

// CHECK-LABEL: func.func @variadic
func.func @variadic(%a: tensor<2x3xf32>, %b: tensor<3xf32>, %d: tensor<?x3xf32>) {
  // CHECK: qopt.max %arg0 : (tensor<2x3xf32>) -> tensor<2x3xf32>
  %0 = qopt.max %a : (tensor<2x3xf32>) -> tensor<2x3xf32>
  // CHECK: qopt.min %arg0, %arg1 : (tensor<2x3xf32>, tensor<3xf32>) -> tensor<2x3xf32>
  %1 = qopt.min %a, %b : (tensor<2x3xf32>, tensor<3xf32>) -> tensor<2x3xf32>
  // CHECK: qopt.sum %arg0, %arg1, %arg2 : (tensor<2x3xf32>, tensor<3xf32>, tensor<?x3xf32>) -> tensor<2x3xf32>
  %2 = qopt.sum %a, %b, %d : (tensor<2x3xf32>, tensor<3xf32>, tensor<?x3xf32>) -> tensor<2x3xf32>
  // CHECK: qopt.mean %arg2, %arg1 : (tensor<?x3xf32>, tensor<3xf32>) -> tensor<?x3xf32>
  %3 = qopt.mean %d, %b : (tensor<?x3xf32>, tensor<3xf32>) -> tensor<?x3xf32>
  return
}

//===----------------------------------------------------------------------===//
// Elementwise: unary
//===----------------------------------------------------------------------===//

// CHECK-LABEL: func.func @unary
func.func @unary(%x: tensor<?x8xf32>, %h: tensor<4xf16>, %p: tensor<2x2xi1>) {
  // CHECK: qopt.neg %arg0 : (tensor<?x8xf32>) -> tensor<?x8xf32>
  %0 = qopt.neg %x : (tensor<?x8xf32>) -> tensor<?x8xf32>
  // CHECK: qopt.abs %arg0 : (tensor<?x8xf32>) -> tensor<?x8xf32>
  %1 = qopt.abs %x : (tensor<?x8xf32>) -> tensor<?x8xf32>
  // CHECK: qopt.sqrt %arg1 : (tensor<4xf16>) -> tensor<4xf16>
  %2 = qopt.sqrt %h : (tensor<4xf16>) -> tensor<4xf16>
  // CHECK: qopt.reciprocal %arg0 : (tensor<?x8xf32>) -> tensor<?x8xf32>
  %3 = qopt.reciprocal %x : (tensor<?x8xf32>) -> tensor<?x8xf32>
  // CHECK: qopt.exp %arg0 : (tensor<?x8xf32>) -> tensor<?x8xf32>
  %4 = qopt.exp %x : (tensor<?x8xf32>) -> tensor<?x8xf32>
  // CHECK: qopt.log %arg0 : (tensor<?x8xf32>) -> tensor<?x8xf32>
  %5 = qopt.log %x : (tensor<?x8xf32>) -> tensor<?x8xf32>
  // CHECK: qopt.erf %arg0 : (tensor<?x8xf32>) -> tensor<?x8xf32>
  %6 = qopt.erf %x : (tensor<?x8xf32>) -> tensor<?x8xf32>
  // CHECK: qopt.tanh %arg0 : (tensor<?x8xf32>) -> tensor<?x8xf32>
  %7 = qopt.tanh %x : (tensor<?x8xf32>) -> tensor<?x8xf32>
  // CHECK: qopt.sigmoid %arg0 : (tensor<?x8xf32>) -> tensor<?x8xf32>
  %8 = qopt.sigmoid %x : (tensor<?x8xf32>) -> tensor<?x8xf32>
  // CHECK: qopt.relu %arg0 : (tensor<?x8xf32>) -> tensor<?x8xf32>
  %9 = qopt.relu %x : (tensor<?x8xf32>) -> tensor<?x8xf32>
  // CHECK: qopt.floor %arg0 : (tensor<?x8xf32>) -> tensor<?x8xf32>
  %10 = qopt.floor %x : (tensor<?x8xf32>) -> tensor<?x8xf32>
  // CHECK: qopt.ceil %arg0 : (tensor<?x8xf32>) -> tensor<?x8xf32>
  %11 = qopt.ceil %x : (tensor<?x8xf32>) -> tensor<?x8xf32>
  // CHECK: qopt.round %arg0 : (tensor<?x8xf32>) -> tensor<?x8xf32>
  %12 = qopt.round %x : (tensor<?x8xf32>) -> tensor<?x8xf32>
  // CHECK: qopt.sign %arg0 : (tensor<?x8xf32>) -> tensor<?x8xf32>
  %13 = qopt.sign %x : (tensor<?x8xf32>) -> tensor<?x8xf32>
  // CHECK: qopt.sin %arg0 : (tensor<?x8xf32>) -> tensor<?x8xf32>
  %14 = qopt.sin %x : (tensor<?x8xf32>) -> tensor<?x8xf32>
  // CHECK: qopt.cos %arg0 : (tensor<?x8xf32>) -> tensor<?x8xf32>
  %15 = qopt.cos %x : (tensor<?x8xf32>) -> tensor<?x8xf32>
  // CHECK: qopt.tan %arg0 : (tensor<?x8xf32>) -> tensor<?x8xf32>
  %16 = qopt.tan %x : (tensor<?x8xf32>) -> tensor<?x8xf32>
  // CHECK: qopt.atan %arg0 : (tensor<?x8xf32>) -> tensor<?x8xf32>
  %17 = qopt.atan %x : (tensor<?x8xf32>) -> tensor<?x8xf32>
  // CHECK: qopt.softplus %arg0 : (tensor<?x8xf32>) -> tensor<?x8xf32>
  %18 = qopt.softplus %x : (tensor<?x8xf32>) -> tensor<?x8xf32>
  // CHECK: qopt.softsign %arg0 : (tensor<?x8xf32>) -> tensor<?x8xf32>
  %19 = qopt.softsign %x : (tensor<?x8xf32>) -> tensor<?x8xf32>
  // CHECK: qopt.hard_swish %arg0 : (tensor<?x8xf32>) -> tensor<?x8xf32>
  %20 = qopt.hard_swish %x : (tensor<?x8xf32>) -> tensor<?x8xf32>
  // CHECK: qopt.not %arg2 : (tensor<2x2xi1>) -> tensor<2x2xi1>
  %21 = qopt.not %p : (tensor<2x2xi1>) -> tensor<2x2xi1>
  // CHECK: qopt.is_nan %arg1 : (tensor<4xf16>) -> tensor<4xi1>
  %22 = qopt.is_nan %h : (tensor<4xf16>) -> tensor<4xi1>
  // CHECK: qopt.identity %arg0 : (tensor<?x8xf32>) -> tensor<?x8xf32>
  %23 = qopt.identity %x : (tensor<?x8xf32>) -> tensor<?x8xf32>
  return
}

//===----------------------------------------------------------------------===//
// Elementwise: activations with attributes, clip, cast
//===----------------------------------------------------------------------===//

// CHECK-LABEL: func.func @activations
func.func @activations(%x: tensor<?x8xf32>) {
  // Defaults are elided; non-default values are printed.
  // CHECK: qopt.leaky_relu %arg0 : (tensor<?x8xf32>) -> tensor<?x8xf32>
  %0 = qopt.leaky_relu %x {alpha = 0.01 : f32} : (tensor<?x8xf32>) -> tensor<?x8xf32>
  // CHECK: qopt.leaky_relu %arg0 {alpha = 2.000000e-01 : f32} : (tensor<?x8xf32>) -> tensor<?x8xf32>
  %1 = qopt.leaky_relu %x {alpha = 0.2 : f32} : (tensor<?x8xf32>) -> tensor<?x8xf32>
  // CHECK: qopt.elu %arg0 {alpha = 5.000000e-01 : f32} : (tensor<?x8xf32>) -> tensor<?x8xf32>
  %2 = qopt.elu %x {alpha = 0.5 : f32} : (tensor<?x8xf32>) -> tensor<?x8xf32>
  // CHECK: qopt.celu %arg0 : (tensor<?x8xf32>) -> tensor<?x8xf32>
  %3 = qopt.celu %x : (tensor<?x8xf32>) -> tensor<?x8xf32>
  // CHECK: qopt.thresholded_relu %arg0 {alpha = 2.000000e+00 : f32} : (tensor<?x8xf32>) -> tensor<?x8xf32>
  %4 = qopt.thresholded_relu %x {alpha = 2.0 : f32} : (tensor<?x8xf32>) -> tensor<?x8xf32>
  // CHECK: qopt.selu %arg0 {gamma = 1.000000e+00 : f32} : (tensor<?x8xf32>) -> tensor<?x8xf32>
  %5 = qopt.selu %x {gamma = 1.0 : f32} : (tensor<?x8xf32>) -> tensor<?x8xf32>
  // CHECK: qopt.hard_sigmoid %arg0 {alpha = 1.250000e-01 : f32, beta = 2.500000e-01 : f32} : (tensor<?x8xf32>) -> tensor<?x8xf32>
  %6 = qopt.hard_sigmoid %x {alpha = 0.125 : f32, beta = 0.25 : f32} : (tensor<?x8xf32>) -> tensor<?x8xf32>
  // CHECK: qopt.gelu %arg0 : (tensor<?x8xf32>) -> tensor<?x8xf32>
  %7 = qopt.gelu %x : (tensor<?x8xf32>) -> tensor<?x8xf32>
  // CHECK: qopt.gelu %arg0 {approximate = "tanh"} : (tensor<?x8xf32>) -> tensor<?x8xf32>
  %8 = qopt.gelu %x {approximate = "tanh"} : (tensor<?x8xf32>) -> tensor<?x8xf32>
  return
}

// CHECK-LABEL: func.func @clip_cast
func.func @clip_cast(%x: tensor<?x8xf32>, %lo: tensor<f32>, %hi: tensor<1xf32>,
                     %i: tensor<4xi64>) {
  // CHECK: qopt.clip %arg0 : (tensor<?x8xf32>) -> tensor<?x8xf32>
  %0 = qopt.clip %x : (tensor<?x8xf32>) -> tensor<?x8xf32>
  // CHECK: qopt.clip %arg0 min %arg1 : (tensor<?x8xf32>, tensor<f32>) -> tensor<?x8xf32>
  %1 = qopt.clip %x min %lo : (tensor<?x8xf32>, tensor<f32>) -> tensor<?x8xf32>
  // CHECK: qopt.clip %arg0 max %arg2 : (tensor<?x8xf32>, tensor<1xf32>) -> tensor<?x8xf32>
  %2 = qopt.clip %x max %hi : (tensor<?x8xf32>, tensor<1xf32>) -> tensor<?x8xf32>
  // CHECK: qopt.clip %arg0 min %arg1 max %arg2 : (tensor<?x8xf32>, tensor<f32>, tensor<1xf32>) -> tensor<?x8xf32>
  %3 = qopt.clip %x min %lo max %hi : (tensor<?x8xf32>, tensor<f32>, tensor<1xf32>) -> tensor<?x8xf32>
  // CHECK: qopt.cast %arg3 : (tensor<4xi64>) -> tensor<4xf32>
  %4 = qopt.cast %i : (tensor<4xi64>) -> tensor<4xf32>
  // CHECK: qopt.cast %arg0 : (tensor<?x8xf32>) -> tensor<?x8xbf16>
  %5 = qopt.cast %x : (tensor<?x8xf32>) -> tensor<?x8xbf16>
  return
}

// CHECK-LABEL: func.func @softmax_family
func.func @softmax_family(%x: tensor<?x4x8xf32>) {
  // CHECK: qopt.softmax %arg0 : (tensor<?x4x8xf32>) -> tensor<?x4x8xf32>
  %0 = qopt.softmax %x : (tensor<?x4x8xf32>) -> tensor<?x4x8xf32>
  // CHECK: qopt.log_softmax %arg0 {axis = 1 : i64} : (tensor<?x4x8xf32>) -> tensor<?x4x8xf32>
  %1 = qopt.log_softmax %x {axis = 1 : i64} : (tensor<?x4x8xf32>) -> tensor<?x4x8xf32>
  // CHECK: qopt.hardmax %arg0 {axis = -3 : i64} : (tensor<?x4x8xf32>) -> tensor<?x4x8xf32>
  %2 = qopt.hardmax %x {axis = -3 : i64} : (tensor<?x4x8xf32>) -> tensor<?x4x8xf32>
  return
}

//===----------------------------------------------------------------------===//
// Linear algebra
//===----------------------------------------------------------------------===//

// CHECK-LABEL: func.func @matmul_gemm
func.func @matmul_gemm(%x: tensor<?x128x768xf32>, %w: tensor<768x3072xf32>,
                       %v: tensor<768xf32>, %a: tensor<?x256xf32>,
                       %wt: tensor<128x256xf32>, %bias: tensor<128xf32>,
                       %wn: tensor<256x128xf32>) {
  // CHECK: qopt.matmul %arg0, %arg1 : (tensor<?x128x768xf32>, tensor<768x3072xf32>) -> tensor<?x128x3072xf32>
  %0 = qopt.matmul %x, %w : (tensor<?x128x768xf32>, tensor<768x3072xf32>) -> tensor<?x128x3072xf32>
  // CHECK: qopt.matmul %arg0, %arg2 : (tensor<?x128x768xf32>, tensor<768xf32>) -> tensor<?x128xf32>
  %1 = qopt.matmul %x, %v : (tensor<?x128x768xf32>, tensor<768xf32>) -> tensor<?x128xf32>
  // CHECK: qopt.gemm %arg3, %arg4, %arg5 {transB = 1 : i64} : (tensor<?x256xf32>, tensor<128x256xf32>, tensor<128xf32>) -> tensor<?x128xf32>
  %2 = qopt.gemm %a, %wt, %bias {transB = 1 : i64} : (tensor<?x256xf32>, tensor<128x256xf32>, tensor<128xf32>) -> tensor<?x128xf32>
  // CHECK: qopt.gemm %arg3, %arg6 {alpha = 5.000000e-01 : f32, beta = 0.000000e+00 : f32} : (tensor<?x256xf32>, tensor<256x128xf32>) -> tensor<?x128xf32>
  %3 = qopt.gemm %a, %wn {alpha = 0.5 : f32, beta = 0.0 : f32} : (tensor<?x256xf32>, tensor<256x128xf32>) -> tensor<?x128xf32>
  return
}

// CHECK-LABEL: func.func @conv
func.func @conv(%x: tensor<1x3x32x32xf32>, %w: tensor<16x3x3x3xf32>, %b: tensor<16xf32>,
                %xd: tensor<?x8x?x?xf32>, %wg: tensor<8x2x3x3xf32>,
                %wt: tensor<3x4x2x2xf32>) {
  // CHECK: qopt.conv %arg0, %arg1, %arg2 {pads = array<i64: 1, 1, 1, 1>, strides = array<i64: 2, 2>} : (tensor<1x3x32x32xf32>, tensor<16x3x3x3xf32>, tensor<16xf32>) -> tensor<1x16x16x16xf32>
  %0 = qopt.conv %x, %w, %b {pads = array<i64: 1, 1, 1, 1>, strides = array<i64: 2, 2>}
      : (tensor<1x3x32x32xf32>, tensor<16x3x3x3xf32>, tensor<16xf32>) -> tensor<1x16x16x16xf32>
  // CHECK: qopt.conv %arg3, %arg4 {auto_pad = "SAME_UPPER", dilations = array<i64: 2, 2>, group = 4 : i64, kernel_shape = array<i64: 3, 3>} : (tensor<?x8x?x?xf32>, tensor<8x2x3x3xf32>) -> tensor<?x8x?x?xf32>
  %1 = qopt.conv %xd, %wg {auto_pad = "SAME_UPPER", dilations = array<i64: 2, 2>, group = 4 : i64, kernel_shape = array<i64: 3, 3>}
      : (tensor<?x8x?x?xf32>, tensor<8x2x3x3xf32>) -> tensor<?x8x?x?xf32>
  // CHECK: qopt.conv_transpose %arg0, %arg5 {strides = array<i64: 2, 2>} : (tensor<1x3x32x32xf32>, tensor<3x4x2x2xf32>) -> tensor<1x4x64x64xf32>
  %2 = qopt.conv_transpose %x, %wt {strides = array<i64: 2, 2>}
      : (tensor<1x3x32x32xf32>, tensor<3x4x2x2xf32>) -> tensor<1x4x64x64xf32>
  // CHECK: qopt.conv_transpose %arg0, %arg5, %arg2 {output_padding = array<i64: 1, 1>, output_shape = array<i64: 65, 65>, strides = array<i64: 2, 2>} : (tensor<1x3x32x32xf32>, tensor<3x4x2x2xf32>, tensor<16xf32>) -> tensor<1x4x65x65xf32>
  %3 = qopt.conv_transpose %x, %wt, %b {output_padding = array<i64: 1, 1>, output_shape = array<i64: 65, 65>, strides = array<i64: 2, 2>}
      : (tensor<1x3x32x32xf32>, tensor<3x4x2x2xf32>, tensor<16xf32>) -> tensor<1x4x65x65xf32>
  return
}

// CHECK-LABEL: func.func @einsum
func.func @einsum(%q: tensor<?x12x128x64xf32>, %k: tensor<?x12x128x64xf32>,
                  %m: tensor<4x5xf32>) {
  // CHECK: qopt.einsum %arg0, %arg1 {equation = "bhqd,bhkd->bhqk"} : (tensor<?x12x128x64xf32>, tensor<?x12x128x64xf32>) -> tensor<?x12x128x128xf32>
  %0 = qopt.einsum %q, %k {equation = "bhqd,bhkd->bhqk"}
      : (tensor<?x12x128x64xf32>, tensor<?x12x128x64xf32>) -> tensor<?x12x128x128xf32>
  // CHECK: qopt.einsum %arg2 {equation = "ij->ji"} : (tensor<4x5xf32>) -> tensor<5x4xf32>
  %1 = qopt.einsum %m {equation = "ij->ji"} : (tensor<4x5xf32>) -> tensor<5x4xf32>
  // CHECK: qopt.einsum %arg0 {equation = "...d->..."} : (tensor<?x12x128x64xf32>) -> tensor<?x12x128xf32>
  %2 = qopt.einsum %q {equation = "...d->..."} : (tensor<?x12x128x64xf32>) -> tensor<?x12x128xf32>
  return
}

//===----------------------------------------------------------------------===//
// NN: normalization
//===----------------------------------------------------------------------===//

// LayerNormalization's optional stats results (Mean, InvStdDev) are variadic.
// CHECK-LABEL: func.func @layer_norm
func.func @layer_norm(%x: tensor<?x128x768xf32>, %g: tensor<768xf32>, %b: tensor<768xf32>) {
  // CHECK: qopt.layer_normalization %arg0, %arg1, %arg2 : (tensor<?x128x768xf32>, tensor<768xf32>, tensor<768xf32>) -> tensor<?x128x768xf32>
  %0 = qopt.layer_normalization %x, %g, %b {epsilon = 1.0e-05 : f32}
      : (tensor<?x128x768xf32>, tensor<768xf32>, tensor<768xf32>) -> tensor<?x128x768xf32>
  // CHECK: qopt.layer_normalization %arg0, %arg1 {axis = 2 : i64, epsilon = 9.99999996E-13 : f32, stash_type = 0 : i64} : (tensor<?x128x768xf32>, tensor<768xf32>) -> (tensor<?x128x768xf32>, tensor<?x128x1xf32>, tensor<?x128x1xf32>)
  %1:3 = qopt.layer_normalization %x, %g {axis = 2 : i64, epsilon = 1.0e-12 : f32, stash_type = 0 : i64}
      : (tensor<?x128x768xf32>, tensor<768xf32>) -> (tensor<?x128x768xf32>, tensor<?x128x1xf32>, tensor<?x128x1xf32>)
  // CHECK: qopt.layer_normalization %arg0, %arg1 {axis = 1 : i64} : (tensor<?x128x768xf32>, tensor<768xf32>) -> (tensor<?x128x768xf32>, tensor<?x1x1xf32>)
  %2:2 = qopt.layer_normalization %x, %g {axis = 1 : i64}
      : (tensor<?x128x768xf32>, tensor<768xf32>) -> (tensor<?x128x768xf32>, tensor<?x1x1xf32>)
  return
}

// CHECK-LABEL: func.func @other_norms
func.func @other_norms(%x: tensor<?x16x8x8xf32>, %c: tensor<16xf32>, %u: tensor<*xf32>) {
  // CHECK: qopt.batch_normalization %arg0, %arg1, %arg1, %arg1, %arg1 : (tensor<?x16x8x8xf32>, tensor<16xf32>, tensor<16xf32>, tensor<16xf32>, tensor<16xf32>) -> tensor<?x16x8x8xf32>
  %0 = qopt.batch_normalization %x, %c, %c, %c, %c
      : (tensor<?x16x8x8xf32>, tensor<16xf32>, tensor<16xf32>, tensor<16xf32>, tensor<16xf32>) -> tensor<?x16x8x8xf32>
  // CHECK: qopt.batch_normalization %arg2, %arg1, %arg1, %arg1, %arg1 {epsilon = 1.000000e-03 : f32, momentum = 9.900000e-01 : f32} : (tensor<*xf32>, tensor<16xf32>, tensor<16xf32>, tensor<16xf32>, tensor<16xf32>) -> tensor<*xf32>
  %1 = qopt.batch_normalization %u, %c, %c, %c, %c {epsilon = 1.0e-3 : f32, momentum = 0.99 : f32}
      : (tensor<*xf32>, tensor<16xf32>, tensor<16xf32>, tensor<16xf32>, tensor<16xf32>) -> tensor<*xf32>
  // CHECK: qopt.instance_normalization %arg0, %arg1, %arg1 : (tensor<?x16x8x8xf32>, tensor<16xf32>, tensor<16xf32>) -> tensor<?x16x8x8xf32>
  %2 = qopt.instance_normalization %x, %c, %c
      : (tensor<?x16x8x8xf32>, tensor<16xf32>, tensor<16xf32>) -> tensor<?x16x8x8xf32>
  // CHECK: qopt.lp_normalization %arg0 : (tensor<?x16x8x8xf32>) -> tensor<?x16x8x8xf32>
  %3 = qopt.lp_normalization %x : (tensor<?x16x8x8xf32>) -> tensor<?x16x8x8xf32>
  // CHECK: qopt.lp_normalization %arg0 {axis = 1 : i64, p = 1 : i64} : (tensor<?x16x8x8xf32>) -> tensor<?x16x8x8xf32>
  %4 = qopt.lp_normalization %x {axis = 1 : i64, p = 1 : i64} : (tensor<?x16x8x8xf32>) -> tensor<?x16x8x8xf32>
  return
}

//===----------------------------------------------------------------------===//
// NN: pooling
//===----------------------------------------------------------------------===//

// CHECK-LABEL: func.func @pooling
func.func @pooling(%x: tensor<1x2x4x4xf32>, %d: tensor<?x2x?x?xf32>) {
  // CHECK: qopt.max_pool %arg0 {kernel_shape = array<i64: 2, 2>} : (tensor<1x2x4x4xf32>) -> tensor<1x2x3x3xf32>
  %0 = qopt.max_pool %x {kernel_shape = array<i64: 2, 2>} : (tensor<1x2x4x4xf32>) -> tensor<1x2x3x3xf32>
  // CHECK: qopt.max_pool %arg0 {kernel_shape = array<i64: 2, 2>, storage_order = 1 : i64, strides = array<i64: 2, 2>} : (tensor<1x2x4x4xf32>) -> (tensor<1x2x2x2xf32>, tensor<1x2x2x2xi64>)
  %1:2 = qopt.max_pool %x {kernel_shape = array<i64: 2, 2>, storage_order = 1 : i64, strides = array<i64: 2, 2>}
      : (tensor<1x2x4x4xf32>) -> (tensor<1x2x2x2xf32>, tensor<1x2x2x2xi64>)
  // CHECK: qopt.max_pool %arg1 {auto_pad = "SAME_LOWER", ceil_mode = 1 : i64, dilations = array<i64: 1, 1>, kernel_shape = array<i64: 3, 3>} : (tensor<?x2x?x?xf32>) -> tensor<?x2x?x?xf32>
  %2 = qopt.max_pool %d {auto_pad = "SAME_LOWER", ceil_mode = 1 : i64, dilations = array<i64: 1, 1>, kernel_shape = array<i64: 3, 3>}
      : (tensor<?x2x?x?xf32>) -> tensor<?x2x?x?xf32>
  // CHECK: qopt.average_pool %arg0 {count_include_pad = 1 : i64, kernel_shape = array<i64: 3, 3>, pads = array<i64: 1, 1, 1, 1>} : (tensor<1x2x4x4xf32>) -> tensor<1x2x4x4xf32>
  %3 = qopt.average_pool %x {count_include_pad = 1 : i64, kernel_shape = array<i64: 3, 3>, pads = array<i64: 1, 1, 1, 1>}
      : (tensor<1x2x4x4xf32>) -> tensor<1x2x4x4xf32>
  // CHECK: qopt.global_average_pool %arg1 : (tensor<?x2x?x?xf32>) -> tensor<?x2x1x1xf32>
  %4 = qopt.global_average_pool %d : (tensor<?x2x?x?xf32>) -> tensor<?x2x1x1xf32>
  // CHECK: qopt.global_max_pool %arg0 : (tensor<1x2x4x4xf32>) -> tensor<1x2x1x1xf32>
  %5 = qopt.global_max_pool %x : (tensor<1x2x4x4xf32>) -> tensor<1x2x1x1xf32>
  return
}

//===----------------------------------------------------------------------===//
// NN: resize and block rearrangement
//===----------------------------------------------------------------------===//

// CHECK-LABEL: func.func @resize
func.func @resize(%x: tensor<1x3x8x8xf32>, %roi: tensor<8xf32>, %scales: tensor<4xf32>,
                  %sizes: tensor<4xi64>) {
  // CHECK: qopt.resize %arg0 scales %arg2 : (tensor<1x3x8x8xf32>, tensor<4xf32>) -> tensor<1x3x16x16xf32>
  %0 = qopt.resize %x scales %scales : (tensor<1x3x8x8xf32>, tensor<4xf32>) -> tensor<1x3x16x16xf32>
  // CHECK: qopt.resize %arg0 sizes %arg3 {mode = "linear"} : (tensor<1x3x8x8xf32>, tensor<4xi64>) -> tensor<1x3x?x?xf32>
  %1 = qopt.resize %x sizes %sizes {mode = "linear"} : (tensor<1x3x8x8xf32>, tensor<4xi64>) -> tensor<1x3x?x?xf32>
  // CHECK: qopt.resize %arg0 roi %arg1 scales %arg2 {coordinate_transformation_mode = "tf_crop_and_resize", extrapolation_value = 1.000000e+00 : f32, mode = "cubic"} : (tensor<1x3x8x8xf32>, tensor<8xf32>, tensor<4xf32>) -> tensor<1x3x16x16xf32>
  %2 = qopt.resize %x roi %roi scales %scales {coordinate_transformation_mode = "tf_crop_and_resize", extrapolation_value = 1.0 : f32, mode = "cubic"}
      : (tensor<1x3x8x8xf32>, tensor<8xf32>, tensor<4xf32>) -> tensor<1x3x16x16xf32>
  return
}

// CHECK-LABEL: func.func @block_rearrange
func.func @block_rearrange(%x: tensor<1x8x2x3xf32>, %y: tensor<?x2x4x6xf32>) {
  // CHECK: qopt.depth_to_space %arg0 {blocksize = 2 : i64} : (tensor<1x8x2x3xf32>) -> tensor<1x2x4x6xf32>
  %0 = qopt.depth_to_space %x {blocksize = 2 : i64} : (tensor<1x8x2x3xf32>) -> tensor<1x2x4x6xf32>
  // CHECK: qopt.depth_to_space %arg0 {blocksize = 2 : i64, mode = "CRD"} : (tensor<1x8x2x3xf32>) -> tensor<1x2x4x6xf32>
  %1 = qopt.depth_to_space %x {blocksize = 2 : i64, mode = "CRD"} : (tensor<1x8x2x3xf32>) -> tensor<1x2x4x6xf32>
  // CHECK: qopt.space_to_depth %arg1 {blocksize = 2 : i64} : (tensor<?x2x4x6xf32>) -> tensor<?x8x2x3xf32>
  %2 = qopt.space_to_depth %y {blocksize = 2 : i64} : (tensor<?x2x4x6xf32>) -> tensor<?x8x2x3xf32>
  return
}

//===----------------------------------------------------------------------===//
// Reduction
//===----------------------------------------------------------------------===//

// CHECK-LABEL: func.func @reduce
func.func @reduce(%x: tensor<2x8xf32>, %d: tensor<?x?x4xf32>) {
  // CHECK: qopt.reduce_mean %arg0 {axes = array<i64: -1>} : (tensor<2x8xf32>) -> tensor<2x1xf32>
  %0 = qopt.reduce_mean %x {axes = array<i64: -1>} : (tensor<2x8xf32>) -> tensor<2x1xf32>
  // CHECK: qopt.reduce_sum %arg0 : (tensor<2x8xf32>) -> tensor<1x1xf32>
  %1 = qopt.reduce_sum %x : (tensor<2x8xf32>) -> tensor<1x1xf32>
  // CHECK: qopt.reduce_max %arg1 {axes = array<i64: 0, 2>, keepdims = 0 : i64} : (tensor<?x?x4xf32>) -> tensor<?xf32>
  %2 = qopt.reduce_max %d {axes = array<i64: 0, 2>, keepdims = 0 : i64} : (tensor<?x?x4xf32>) -> tensor<?xf32>
  // CHECK: qopt.reduce_min %arg0 {keepdims = 0 : i64} : (tensor<2x8xf32>) -> tensor<f32>
  %3 = qopt.reduce_min %x {keepdims = 0 : i64} : (tensor<2x8xf32>) -> tensor<f32>
  // CHECK: qopt.reduce_prod %arg0 {axes = array<i64: 1>} : (tensor<2x8xf32>) -> tensor<2x1xf32>
  %4 = qopt.reduce_prod %x {axes = array<i64: 1>} : (tensor<2x8xf32>) -> tensor<2x1xf32>
  // CHECK: qopt.reduce_l1 %arg0 {axes = array<i64: 0>} : (tensor<2x8xf32>) -> tensor<1x8xf32>
  %5 = qopt.reduce_l1 %x {axes = array<i64: 0>} : (tensor<2x8xf32>) -> tensor<1x8xf32>
  // CHECK: qopt.reduce_l2 %arg1 {axes = array<i64: -1>} : (tensor<?x?x4xf32>) -> tensor<?x?x1xf32>
  %6 = qopt.reduce_l2 %d {axes = array<i64: -1>} : (tensor<?x?x4xf32>) -> tensor<?x?x1xf32>
  // CHECK: qopt.reduce_sum_square %arg0 {axes = array<i64: 1>, keepdims = 0 : i64} : (tensor<2x8xf32>) -> tensor<2xf32>
  %7 = qopt.reduce_sum_square %x {axes = array<i64: 1>, keepdims = 0 : i64} : (tensor<2x8xf32>) -> tensor<2xf32>
  // CHECK: qopt.reduce_log_sum %arg0 {axes = array<i64>, noop_with_empty_axes = 1 : i64} : (tensor<2x8xf32>) -> tensor<2x8xf32>
  %8 = qopt.reduce_log_sum %x {axes = array<i64>, noop_with_empty_axes = 1 : i64} : (tensor<2x8xf32>) -> tensor<2x8xf32>
  // CHECK: qopt.reduce_log_sum_exp %arg0 {axes = array<i64: 1>} : (tensor<2x8xf32>) -> tensor<2x1xf32>
  %9 = qopt.reduce_log_sum_exp %x {axes = array<i64: 1>} : (tensor<2x8xf32>) -> tensor<2x1xf32>
  return
}

// CHECK-LABEL: func.func @index_reduce
func.func @index_reduce(%x: tensor<2x8xf32>, %k: tensor<1xi64>, %axis: tensor<i32>,
                        %d: tensor<?x8xf32>) {
  // CHECK: qopt.arg_max %arg0 : (tensor<2x8xf32>) -> tensor<1x8xi64>
  %0 = qopt.arg_max %x : (tensor<2x8xf32>) -> tensor<1x8xi64>
  // CHECK: qopt.arg_min %arg3 {axis = -1 : i64, keepdims = 0 : i64, select_last_index = 1 : i64} : (tensor<?x8xf32>) -> tensor<?xi64>
  %1 = qopt.arg_min %d {axis = -1 : i64, keepdims = 0 : i64, select_last_index = 1 : i64} : (tensor<?x8xf32>) -> tensor<?xi64>
  // CHECK: qopt.top_k %arg0, %arg1 : (tensor<2x8xf32>, tensor<1xi64>) -> (tensor<2x?xf32>, tensor<2x?xi64>)
  %2:2 = qopt.top_k %x, %k : (tensor<2x8xf32>, tensor<1xi64>) -> (tensor<2x?xf32>, tensor<2x?xi64>)
  // CHECK: qopt.top_k %arg3, %arg1 {axis = 0 : i64, largest = 0 : i64, sorted = 0 : i64} : (tensor<?x8xf32>, tensor<1xi64>) -> (tensor<?x8xf32>, tensor<?x8xi64>)
  %3:2 = qopt.top_k %d, %k {axis = 0 : i64, largest = 0 : i64, sorted = 0 : i64} : (tensor<?x8xf32>, tensor<1xi64>) -> (tensor<?x8xf32>, tensor<?x8xi64>)
  // CHECK: qopt.cum_sum %arg0, %arg2 : (tensor<2x8xf32>, tensor<i32>) -> tensor<2x8xf32>
  %4 = qopt.cum_sum %x, %axis : (tensor<2x8xf32>, tensor<i32>) -> tensor<2x8xf32>
  // CHECK: qopt.cum_sum %arg3, %arg2 {exclusive = 1 : i64, reverse = 1 : i64} : (tensor<?x8xf32>, tensor<i32>) -> tensor<?x8xf32>
  %5 = qopt.cum_sum %d, %axis {exclusive = 1 : i64, reverse = 1 : i64} : (tensor<?x8xf32>, tensor<i32>) -> tensor<?x8xf32>
  return
}

//===----------------------------------------------------------------------===//
// Shape: constants
//===----------------------------------------------------------------------===//

// CHECK-LABEL: func.func @constants
func.func @constants() {
  // CHECK: qopt.constant dense<[1, -1, 64]> : tensor<3xi64>
  %0 = qopt.constant dense<[1, -1, 64]> : tensor<3xi64>
  // CHECK: qopt.constant dense<5.000000e-01> : tensor<2x2xf32>
  %1 = qopt.constant dense<0.5> : tensor<2x2xf32>
  // CHECK: qopt.constant dense_resource<fc1.weight> : tensor<2x2xf32>
  %2 = qopt.constant dense_resource<fc1.weight> : tensor<2x2xf32>
  // CHECK: qopt.constant_of_shape %{{.*}} : (tensor<3xi64>) -> tensor<?x?x?xf32>
  %3 = qopt.constant_of_shape %0 : (tensor<3xi64>) -> tensor<?x?x?xf32>
  // CHECK: qopt.constant_of_shape %{{.*}} {value = dense<7> : tensor<1xi8>} : (tensor<3xi64>) -> tensor<?x?x?xi8>
  %4 = qopt.constant_of_shape %0 {value = dense<7> : tensor<1xi8>} : (tensor<3xi64>) -> tensor<?x?x?xi8>
  // CHECK: qopt.range %{{.*}}, %{{.*}}, %{{.*}} : (tensor<i64>, tensor<i64>, tensor<i64>) -> tensor<?xi64>
  %s = qopt.constant dense<0> : tensor<i64>
  %l = qopt.constant dense<10> : tensor<i64>
  %d = qopt.constant dense<2> : tensor<i64>
  %5 = qopt.range %s, %l, %d : (tensor<i64>, tensor<i64>, tensor<i64>) -> tensor<?xi64>
  return
}

//===----------------------------------------------------------------------===//
// Shape: reshaping
//===----------------------------------------------------------------------===//

// CHECK-LABEL: func.func @reshaping
func.func @reshaping(%x: tensor<?x128x768xf32>, %shape: tensor<4xi64>, %u: tensor<*xf32>,
                     %one: tensor<2x1x3xf32>) {
  // CHECK: qopt.reshape %arg0, %arg1 : (tensor<?x128x768xf32>, tensor<4xi64>) -> tensor<?x128x12x64xf32>
  %0 = qopt.reshape %x, %shape : (tensor<?x128x768xf32>, tensor<4xi64>) -> tensor<?x128x12x64xf32>
  // CHECK: qopt.reshape %arg2, %arg1 {allowzero = 1 : i64} : (tensor<*xf32>, tensor<4xi64>) -> tensor<*xf32>
  %1 = qopt.reshape %u, %shape {allowzero = 1 : i64} : (tensor<*xf32>, tensor<4xi64>) -> tensor<*xf32>
  // CHECK: qopt.transpose %arg0 {perm = array<i64: 0, 2, 1>} : (tensor<?x128x768xf32>) -> tensor<?x768x128xf32>
  %2 = qopt.transpose %x {perm = array<i64: 0, 2, 1>} : (tensor<?x128x768xf32>) -> tensor<?x768x128xf32>
  // CHECK: qopt.transpose %arg0 : (tensor<?x128x768xf32>) -> tensor<768x128x?xf32>
  %3 = qopt.transpose %x : (tensor<?x128x768xf32>) -> tensor<768x128x?xf32>
  // CHECK: qopt.flatten %arg0 : (tensor<?x128x768xf32>) -> tensor<?x98304xf32>
  %4 = qopt.flatten %x : (tensor<?x128x768xf32>) -> tensor<?x98304xf32>
  // CHECK: qopt.flatten %arg0 {axis = 3 : i64} : (tensor<?x128x768xf32>) -> tensor<?x1xf32>
  %5 = qopt.flatten %x {axis = 3 : i64} : (tensor<?x128x768xf32>) -> tensor<?x1xf32>
  // CHECK: qopt.squeeze %arg3 : (tensor<2x1x3xf32>) -> tensor<2x3xf32>
  %6 = qopt.squeeze %one : (tensor<2x1x3xf32>) -> tensor<2x3xf32>
  // CHECK: qopt.squeeze %arg3 {axes = array<i64: -2>} : (tensor<2x1x3xf32>) -> tensor<2x3xf32>
  %7 = qopt.squeeze %one {axes = array<i64: -2>} : (tensor<2x1x3xf32>) -> tensor<2x3xf32>
  // CHECK: qopt.unsqueeze %arg0 {axes = array<i64: 0, -1>} : (tensor<?x128x768xf32>) -> tensor<1x?x128x768x1xf32>
  %8 = qopt.unsqueeze %x {axes = array<i64: 0, -1>} : (tensor<?x128x768xf32>) -> tensor<1x?x128x768x1xf32>
  // CHECK: qopt.expand %arg3, %arg1 : (tensor<2x1x3xf32>, tensor<4xi64>) -> tensor<4x2x5x3xf32>
  %9 = qopt.expand %one, %shape : (tensor<2x1x3xf32>, tensor<4xi64>) -> tensor<4x2x5x3xf32>
  // CHECK: qopt.tile %arg2, %arg1 : (tensor<*xf32>, tensor<4xi64>) -> tensor<*xf32>
  %10 = qopt.tile %u, %shape : (tensor<*xf32>, tensor<4xi64>) -> tensor<*xf32>
  return
}

//===----------------------------------------------------------------------===//
// Shape: concat, split, slice, pad
//===----------------------------------------------------------------------===//

// CHECK-LABEL: func.func @concat_split
func.func @concat_split(%a: tensor<2x3xf32>, %b: tensor<?x3xf32>, %split: tensor<2xi64>) {
  // CHECK: qopt.concat %arg0, %arg1 {axis = 0 : i64} : (tensor<2x3xf32>, tensor<?x3xf32>) -> tensor<?x3xf32>
  %0 = qopt.concat %a, %b {axis = 0 : i64} : (tensor<2x3xf32>, tensor<?x3xf32>) -> tensor<?x3xf32>
  // CHECK: qopt.concat %arg0, %arg0 {axis = -1 : i64} : (tensor<2x3xf32>, tensor<2x3xf32>) -> tensor<2x6xf32>
  %1 = qopt.concat %a, %a {axis = -1 : i64} : (tensor<2x3xf32>, tensor<2x3xf32>) -> tensor<2x6xf32>
  // CHECK: qopt.split %arg0 {axis = 1 : i64} : (tensor<2x3xf32>) -> (tensor<2x1xf32>, tensor<2x1xf32>, tensor<2x1xf32>)
  %2:3 = qopt.split %a {axis = 1 : i64} : (tensor<2x3xf32>) -> (tensor<2x1xf32>, tensor<2x1xf32>, tensor<2x1xf32>)
  // CHECK: qopt.split %arg1, %arg2 : (tensor<?x3xf32>, tensor<2xi64>) -> (tensor<?x3xf32>, tensor<?x3xf32>)
  %3:2 = qopt.split %b, %split : (tensor<?x3xf32>, tensor<2xi64>) -> (tensor<?x3xf32>, tensor<?x3xf32>)
  return
}

// CHECK-LABEL: func.func @slice_pad
func.func @slice_pad(%x: tensor<?x8xf32>, %i32: tensor<1xi32>, %i64: tensor<1xi64>,
                     %pads: tensor<4xi64>, %cv: tensor<f32>) {
  // CHECK: qopt.slice %arg0, %arg2, %arg2 : (tensor<?x8xf32>, tensor<1xi64>, tensor<1xi64>) -> tensor<?x8xf32>
  %0 = qopt.slice %x, %i64, %i64 : (tensor<?x8xf32>, tensor<1xi64>, tensor<1xi64>) -> tensor<?x8xf32>
  // CHECK: qopt.slice %arg0, %arg1, %arg1 axes %arg1 : (tensor<?x8xf32>, tensor<1xi32>, tensor<1xi32>, tensor<1xi32>) -> tensor<?x?xf32>
  %1 = qopt.slice %x, %i32, %i32 axes %i32 : (tensor<?x8xf32>, tensor<1xi32>, tensor<1xi32>, tensor<1xi32>) -> tensor<?x?xf32>
  // CHECK: qopt.slice %arg0, %arg2, %arg2 steps %arg2 : (tensor<?x8xf32>, tensor<1xi64>, tensor<1xi64>, tensor<1xi64>) -> tensor<?x?xf32>
  %2 = qopt.slice %x, %i64, %i64 steps %i64 : (tensor<?x8xf32>, tensor<1xi64>, tensor<1xi64>, tensor<1xi64>) -> tensor<?x?xf32>
  // CHECK: qopt.slice %arg0, %arg2, %arg2 axes %arg2 steps %arg2 : (tensor<?x8xf32>, tensor<1xi64>, tensor<1xi64>, tensor<1xi64>, tensor<1xi64>) -> tensor<?x?xf32>
  %3 = qopt.slice %x, %i64, %i64 axes %i64 steps %i64 : (tensor<?x8xf32>, tensor<1xi64>, tensor<1xi64>, tensor<1xi64>, tensor<1xi64>) -> tensor<?x?xf32>
  // CHECK: qopt.pad %arg0, %arg3 : (tensor<?x8xf32>, tensor<4xi64>) -> tensor<?x?xf32>
  %4 = qopt.pad %x, %pads : (tensor<?x8xf32>, tensor<4xi64>) -> tensor<?x?xf32>
  // CHECK: qopt.pad %arg0, %arg3 value %arg4 {mode = "reflect"} : (tensor<?x8xf32>, tensor<4xi64>, tensor<f32>) -> tensor<?x?xf32>
  %5 = qopt.pad %x, %pads value %cv {mode = "reflect"} : (tensor<?x8xf32>, tensor<4xi64>, tensor<f32>) -> tensor<?x?xf32>
  // CHECK: qopt.pad %arg0, %arg3 axes %arg1 {mode = "edge"} : (tensor<?x8xf32>, tensor<4xi64>, tensor<1xi32>) -> tensor<?x?xf32>
  %6 = qopt.pad %x, %pads axes %i32 {mode = "edge"} : (tensor<?x8xf32>, tensor<4xi64>, tensor<1xi32>) -> tensor<?x?xf32>
  // CHECK: qopt.pad %arg0, %arg3 value %arg4 axes %arg2 {mode = "wrap"} : (tensor<?x8xf32>, tensor<4xi64>, tensor<f32>, tensor<1xi64>) -> tensor<?x?xf32>
  %7 = qopt.pad %x, %pads value %cv axes %i64 {mode = "wrap"} : (tensor<?x8xf32>, tensor<4xi64>, tensor<f32>, tensor<1xi64>) -> tensor<?x?xf32>
  return
}

//===----------------------------------------------------------------------===//
// Shape: gather and scatter
//===----------------------------------------------------------------------===//

// CHECK-LABEL: func.func @gather_scatter
func.func @gather_scatter(%data: tensor<30522x768xf32>, %ids: tensor<?x128xi64>,
                          %idx32: tensor<2x768xi32>, %ind: tensor<4x1xi64>,
                          %upd: tensor<4x768xf32>, %bind: tensor<30522x1xi64>) {
  // CHECK: qopt.gather %arg0, %arg1 : (tensor<30522x768xf32>, tensor<?x128xi64>) -> tensor<?x128x768xf32>
  %0 = qopt.gather %data, %ids : (tensor<30522x768xf32>, tensor<?x128xi64>) -> tensor<?x128x768xf32>
  // CHECK: qopt.gather %arg0, %arg2 {axis = -1 : i64} : (tensor<30522x768xf32>, tensor<2x768xi32>) -> tensor<30522x2x768xf32>
  %1 = qopt.gather %data, %idx32 {axis = -1 : i64} : (tensor<30522x768xf32>, tensor<2x768xi32>) -> tensor<30522x2x768xf32>
  // CHECK: qopt.gather_elements %arg0, %arg2 : (tensor<30522x768xf32>, tensor<2x768xi32>) -> tensor<2x768xf32>
  %2 = qopt.gather_elements %data, %idx32 : (tensor<30522x768xf32>, tensor<2x768xi32>) -> tensor<2x768xf32>
  // CHECK: qopt.gather_nd %arg0, %arg3 : (tensor<30522x768xf32>, tensor<4x1xi64>) -> tensor<4x768xf32>
  %3 = qopt.gather_nd %data, %ind : (tensor<30522x768xf32>, tensor<4x1xi64>) -> tensor<4x768xf32>
  // CHECK: qopt.gather_nd %arg0, %arg5 {batch_dims = 1 : i64} : (tensor<30522x768xf32>, tensor<30522x1xi64>) -> tensor<30522xf32>
  %4 = qopt.gather_nd %data, %bind {batch_dims = 1 : i64} : (tensor<30522x768xf32>, tensor<30522x1xi64>) -> tensor<30522xf32>
  // CHECK: qopt.scatter_nd %arg0, %arg3, %arg4 : (tensor<30522x768xf32>, tensor<4x1xi64>, tensor<4x768xf32>) -> tensor<30522x768xf32>
  %5 = qopt.scatter_nd %data, %ind, %upd : (tensor<30522x768xf32>, tensor<4x1xi64>, tensor<4x768xf32>) -> tensor<30522x768xf32>
  // CHECK: qopt.scatter_nd %arg0, %arg3, %arg4 {reduction = "add"} : (tensor<30522x768xf32>, tensor<4x1xi64>, tensor<4x768xf32>) -> tensor<30522x768xf32>
  %6 = qopt.scatter_nd %data, %ind, %upd {reduction = "add"} : (tensor<30522x768xf32>, tensor<4x1xi64>, tensor<4x768xf32>) -> tensor<30522x768xf32>
  // CHECK: qopt.scatter_elements %arg0, %arg2, %arg4 {axis = 1 : i64, reduction = "max"} : (tensor<30522x768xf32>, tensor<2x768xi32>, tensor<4x768xf32>) -> tensor<30522x768xf32>
  %7 = qopt.scatter_elements %data, %idx32, %upd {axis = 1 : i64, reduction = "max"} : (tensor<30522x768xf32>, tensor<2x768xi32>, tensor<4x768xf32>) -> tensor<30522x768xf32>
  return
}

//===----------------------------------------------------------------------===//
// Shape: shape queries and trilu
//===----------------------------------------------------------------------===//

// CHECK-LABEL: func.func @shape_queries
func.func @shape_queries(%x: tensor<?x128x768xf32>, %u: tensor<*xf32>, %k: tensor<i64>,
                         %m: tensor<?x4x4xf32>) {
  // CHECK: qopt.shape %arg0 : (tensor<?x128x768xf32>) -> tensor<3xi64>
  %0 = qopt.shape %x : (tensor<?x128x768xf32>) -> tensor<3xi64>
  // CHECK: qopt.shape %arg0 {end = -1 : i64, start = 1 : i64} : (tensor<?x128x768xf32>) -> tensor<1xi64>
  %1 = qopt.shape %x {start = 1 : i64, end = -1 : i64} : (tensor<?x128x768xf32>) -> tensor<1xi64>
  // CHECK: qopt.shape %arg1 : (tensor<*xf32>) -> tensor<?xi64>
  %2 = qopt.shape %u : (tensor<*xf32>) -> tensor<?xi64>
  // CHECK: qopt.size %arg0 : (tensor<?x128x768xf32>) -> tensor<i64>
  %3 = qopt.size %x : (tensor<?x128x768xf32>) -> tensor<i64>
  // CHECK: qopt.trilu %arg3 : (tensor<?x4x4xf32>) -> tensor<?x4x4xf32>
  %4 = qopt.trilu %m : (tensor<?x4x4xf32>) -> tensor<?x4x4xf32>
  // CHECK: qopt.trilu %arg3, %arg2 {upper = 0 : i64} : (tensor<?x4x4xf32>, tensor<i64>) -> tensor<?x4x4xf32>
  %5 = qopt.trilu %m, %k {upper = 0 : i64} : (tensor<?x4x4xf32>, tensor<i64>) -> tensor<?x4x4xf32>
  return
}

//===----------------------------------------------------------------------===//
// Quantization
//===----------------------------------------------------------------------===//

// CHECK-LABEL: func.func @quantize
func.func @quantize(%x: tensor<4x8xf32>, %s: tensor<f32>, %zp: tensor<i8>,
                    %sc: tensor<4xf32>, %zpc: tensor<4xi8>, %d: tensor<?x8xf32>) {
  // CHECK: qopt.quantize_linear %arg0, %arg1, %arg2 : (tensor<4x8xf32>, tensor<f32>, tensor<i8>) -> tensor<4x8xi8>
  %0 = qopt.quantize_linear %x, %s, %zp : (tensor<4x8xf32>, tensor<f32>, tensor<i8>) -> tensor<4x8xi8>
  // CHECK: qopt.quantize_linear %arg5, %arg1 : (tensor<?x8xf32>, tensor<f32>) -> tensor<?x8xui8>
  %1 = qopt.quantize_linear %d, %s : (tensor<?x8xf32>, tensor<f32>) -> tensor<?x8xui8>
  // CHECK: qopt.quantize_linear %arg0, %arg3, %arg4 {axis = 0 : i64} : (tensor<4x8xf32>, tensor<4xf32>, tensor<4xi8>) -> tensor<4x8xi8>
  %2 = qopt.quantize_linear %x, %sc, %zpc {axis = 0 : i64} : (tensor<4x8xf32>, tensor<4xf32>, tensor<4xi8>) -> tensor<4x8xi8>
  // CHECK: qopt.dequantize_linear %{{.*}}, %arg3 {axis = -2 : i64} : (tensor<4x8xi8>, tensor<4xf32>) -> tensor<4x8xf32>
  %3 = qopt.dequantize_linear %0, %sc {axis = -2 : i64} : (tensor<4x8xi8>, tensor<4xf32>) -> tensor<4x8xf32>
  // CHECK: qopt.dequantize_linear %{{.*}}, %arg1, %arg2 : (tensor<4x8xi8>, tensor<f32>, tensor<i8>) -> tensor<4x8xf32>
  %4 = qopt.dequantize_linear %0, %s, %zp : (tensor<4x8xi8>, tensor<f32>, tensor<i8>) -> tensor<4x8xf32>
  // A !quant.uniform quantized tensor (what qopt-quantize writes).
  // CHECK: qopt.quantize_linear %arg0, %arg1, %arg2 : (tensor<4x8xf32>, tensor<f32>, tensor<i8>) -> tensor<4x8x!quant.uniform<i8:f32, 5.000000e-01>>
  %6 = qopt.quantize_linear %x, %s, %zp : (tensor<4x8xf32>, tensor<f32>, tensor<i8>) -> tensor<4x8x!quant.uniform<i8:f32, 0.5>>
  // CHECK: qopt.dequantize_linear %{{.*}}, %arg1, %arg2 : (tensor<4x8x!quant.uniform<i8:f32, 5.000000e-01>>, tensor<f32>, tensor<i8>) -> tensor<4x8xf32>
  %7 = qopt.dequantize_linear %6, %s, %zp : (tensor<4x8x!quant.uniform<i8:f32, 0.5>>, tensor<f32>, tensor<i8>) -> tensor<4x8xf32>
  // CHECK: qopt.dynamic_quantize_linear %arg5 : (tensor<?x8xf32>) -> (tensor<?x8xui8>, tensor<f32>, tensor<ui8>)
  %5:3 = qopt.dynamic_quantize_linear %d : (tensor<?x8xf32>) -> (tensor<?x8xui8>, tensor<f32>, tensor<ui8>)
  return
}

// CHECK-LABEL: func.func @observe
func.func @observe(%x: tensor<?x8xf32>, %x4: tensor<?x4xf32>) {
  // CHECK: qopt.observe %arg0 {id = 0 : i64, name = "x"} : tensor<?x8xf32>
  %0 = qopt.observe %x {id = 0 : i64, name = "x"} : tensor<?x8xf32>
  // CHECK: qopt.observe %arg1 {channel_axis = 1 : i64, channel_max = array<f32: 1.000000e+00, 2.000000e+00, 0.000000e+00, 0.000000e+00>, channel_min = array<f32: -8.000000e+00, 0.000000e+00, -3.000000e+00, 0.000000e+00>, id = 1 : i64, max = 2.000000e+00 : f64, method = "percentile=99.99", min = -8.000000e+00 : f64, name = "fc1:A", range = array<f64: -7.500000e+00, 2.000000e+00>, samples = 3 : i64, smooth_alpha = 5.000000e-01 : f64, smoothed} : tensor<?x4xf32>
  %1 = qopt.observe %x4 {id = 1 : i64, name = "fc1:A", channel_axis = 1 : i64, min = -8.0 : f64, max = 2.0 : f64,
                        samples = 3 : i64, channel_min = array<f32: -8.0, 0.0, -3.0, 0.0>,
                        channel_max = array<f32: 1.0, 2.0, 0.0, 0.0>,
                        method = "percentile=99.99", range = array<f64: -7.5, 2.0>,
                        smooth_alpha = 0.5 : f64, smoothed} : tensor<?x4xf32>
  return
}

// CHECK-LABEL: func.func @x86_dot
func.func @x86_dot(%acc: vector<16xi32>, %a: vector<16xi32>, %b: vector<16xi32>) -> vector<16xi32> {
  // CHECK: qopt.x86.dot_u8s8 %arg0, %arg1, %arg2 : vector<16xi32>
  %0 = qopt.x86.dot_u8s8 %acc, %a, %b : vector<16xi32>
  return %0 : vector<16xi32>
}

// CHECK-LABEL: func.func @integer_matmul
func.func @integer_matmul(%a: tensor<?x16xui8>, %b: tensor<16x8xi8>, %azp: tensor<ui8>,
                          %bzp: tensor<i8>, %s: tensor<f32>, %yzp: tensor<i8>) {
  // CHECK: qopt.matmul_integer %arg0, %arg1 : (tensor<?x16xui8>, tensor<16x8xi8>) -> tensor<?x8xi32>
  %0 = qopt.matmul_integer %a, %b : (tensor<?x16xui8>, tensor<16x8xi8>) -> tensor<?x8xi32>
  // CHECK: qopt.matmul_integer %arg0, %arg1 a_zero_point %arg2 : (tensor<?x16xui8>, tensor<16x8xi8>, tensor<ui8>) -> tensor<?x8xi32>
  %1 = qopt.matmul_integer %a, %b a_zero_point %azp : (tensor<?x16xui8>, tensor<16x8xi8>, tensor<ui8>) -> tensor<?x8xi32>
  // CHECK: qopt.matmul_integer %arg0, %arg1 b_zero_point %arg3 : (tensor<?x16xui8>, tensor<16x8xi8>, tensor<i8>) -> tensor<?x8xi32>
  %2 = qopt.matmul_integer %a, %b b_zero_point %bzp : (tensor<?x16xui8>, tensor<16x8xi8>, tensor<i8>) -> tensor<?x8xi32>
  // CHECK: qopt.matmul_integer %arg0, %arg1 a_zero_point %arg2 b_zero_point %arg3 : (tensor<?x16xui8>, tensor<16x8xi8>, tensor<ui8>, tensor<i8>) -> tensor<?x8xi32>
  %3 = qopt.matmul_integer %a, %b a_zero_point %azp b_zero_point %bzp : (tensor<?x16xui8>, tensor<16x8xi8>, tensor<ui8>, tensor<i8>) -> tensor<?x8xi32>
  // CHECK: qopt.qlinear_matmul %arg0, %arg4, %arg2, %arg1, %arg4, %arg3, %arg4, %arg5 : (tensor<?x16xui8>, tensor<f32>, tensor<ui8>, tensor<16x8xi8>, tensor<f32>, tensor<i8>, tensor<f32>, tensor<i8>) -> tensor<?x8xi8>
  %4 = qopt.qlinear_matmul %a, %s, %azp, %b, %s, %bzp, %s, %yzp
      : (tensor<?x16xui8>, tensor<f32>, tensor<ui8>, tensor<16x8xi8>, tensor<f32>, tensor<i8>, tensor<f32>, tensor<i8>) -> tensor<?x8xi8>
  return
}

// CHECK-LABEL: func.func @integer_conv
func.func @integer_conv(%x: tensor<1x3x8x8xui8>, %w: tensor<4x3x3x3xi8>, %xzp: tensor<ui8>,
                        %wzp: tensor<i8>, %s: tensor<f32>, %ws: tensor<4xf32>,
                        %yzp: tensor<ui8>, %b: tensor<4xi32>) {
  // CHECK: qopt.conv_integer %arg0, %arg1 : (tensor<1x3x8x8xui8>, tensor<4x3x3x3xi8>) -> tensor<1x4x6x6xi32>
  %0 = qopt.conv_integer %x, %w : (tensor<1x3x8x8xui8>, tensor<4x3x3x3xi8>) -> tensor<1x4x6x6xi32>
  // CHECK: qopt.conv_integer %arg0, %arg1 x_zero_point %arg2 w_zero_point %arg3 {pads = array<i64: 1, 1, 1, 1>} : (tensor<1x3x8x8xui8>, tensor<4x3x3x3xi8>, tensor<ui8>, tensor<i8>) -> tensor<1x4x8x8xi32>
  %1 = qopt.conv_integer %x, %w x_zero_point %xzp w_zero_point %wzp {pads = array<i64: 1, 1, 1, 1>}
      : (tensor<1x3x8x8xui8>, tensor<4x3x3x3xi8>, tensor<ui8>, tensor<i8>) -> tensor<1x4x8x8xi32>
  // CHECK: qopt.conv_integer %arg0, %arg1 w_zero_point %arg3 : (tensor<1x3x8x8xui8>, tensor<4x3x3x3xi8>, tensor<i8>) -> tensor<1x4x6x6xi32>
  %2 = qopt.conv_integer %x, %w w_zero_point %wzp : (tensor<1x3x8x8xui8>, tensor<4x3x3x3xi8>, tensor<i8>) -> tensor<1x4x6x6xi32>
  // CHECK: qopt.qlinear_conv %arg0, %arg4, %arg2, %arg1, %arg5, %arg3, %arg4, %arg6 : (tensor<1x3x8x8xui8>, tensor<f32>, tensor<ui8>, tensor<4x3x3x3xi8>, tensor<4xf32>, tensor<i8>, tensor<f32>, tensor<ui8>) -> tensor<1x4x6x6xui8>
  %3 = qopt.qlinear_conv %x, %s, %xzp, %w, %ws, %wzp, %s, %yzp
      : (tensor<1x3x8x8xui8>, tensor<f32>, tensor<ui8>, tensor<4x3x3x3xi8>, tensor<4xf32>, tensor<i8>, tensor<f32>, tensor<ui8>) -> tensor<1x4x6x6xui8>
  // CHECK: qopt.qlinear_conv %arg0, %arg4, %arg2, %arg1, %arg5, %arg3, %arg4, %arg6, %arg7 {kernel_shape = array<i64: 3, 3>, strides = array<i64: 2, 2>} : (tensor<1x3x8x8xui8>, tensor<f32>, tensor<ui8>, tensor<4x3x3x3xi8>, tensor<4xf32>, tensor<i8>, tensor<f32>, tensor<ui8>, tensor<4xi32>) -> tensor<1x4x3x3xui8>
  %4 = qopt.qlinear_conv %x, %s, %xzp, %w, %ws, %wzp, %s, %yzp, %b {kernel_shape = array<i64: 3, 3>, strides = array<i64: 2, 2>}
      : (tensor<1x3x8x8xui8>, tensor<f32>, tensor<ui8>, tensor<4x3x3x3xi8>, tensor<4xf32>, tensor<i8>, tensor<f32>, tensor<ui8>, tensor<4xi32>) -> tensor<1x4x3x3xui8>
  return
}

//===----------------------------------------------------------------------===//
// Quantized element types, precision attributes
//===----------------------------------------------------------------------===//

// Ops take builtin tensors of any element type, including !quant.uniform; the
// dialect's #qopt.precision attribute round-trips as a discardable attribute.
// CHECK-LABEL: func.func @quant_types
func.func @quant_types(%q: tensor<?x768x!quant.uniform<i8:f32, 0.0125:-3>>,
                       %w: tensor<768x2x!quant.uniform<i8:f32:1, {0.5,0.25}>>) {
  // CHECK: qopt.transpose %arg0 {perm = array<i64: 1, 0>, qopt.precision = #qopt.precision<w8a8>} : (tensor<?x768x!quant.uniform<i8:f32, 1.250000e-02:-3>>) -> tensor<768x?x!quant.uniform<i8:f32, 1.250000e-02:-3>>
  %0 = qopt.transpose %q {perm = array<i64: 1, 0>, qopt.precision = #qopt.precision<w8a8>}
      : (tensor<?x768x!quant.uniform<i8:f32, 0.0125:-3>>) -> tensor<768x?x!quant.uniform<i8:f32, 0.0125:-3>>
  // CHECK: qopt.matmul %arg0, %arg1 {qopt.precision = #qopt.precision<w4a16>} : (tensor<?x768x!quant.uniform<i8:f32, 1.250000e-02:-3>>, tensor<768x2x!quant.uniform<i8:f32:1, {5.000000e-01,2.500000e-01}>>) -> tensor<?x2xf32>
  %1 = qopt.matmul %q, %w {qopt.precision = #qopt.precision<w4a16>}
      : (tensor<?x768x!quant.uniform<i8:f32, 0.0125:-3>>, tensor<768x2x!quant.uniform<i8:f32:1, {0.5,0.25}>>) -> tensor<?x2xf32>
  return
}

{-#
  dialect_resources: {
    builtin: {
      fc1.weight: "0x040000000000803F000000400000404000008040"
    }
  }
#-}

// CHECK-LABEL: func.func @weight_only
func.func @weight_only(%c: tensor<2x2xui8>, %s: tensor<2x1xf32>, %z: tensor<2x1xf32>, %b: tensor<2x16xf32>) -> (tensor<2x4xf32>, tensor<4x2xf32>, tensor<4x2xf32>) {
  // CHECK: qopt.dequantize_groupwise %arg0, %arg1, %arg2 {axis = 1 : i64, bits = 4 : i64, group_size = 4 : i64} : (tensor<2x2xui8>, tensor<2x1xf32>, tensor<2x1xf32>) -> tensor<2x4xf32>
  %0 = qopt.dequantize_groupwise %c, %s, %z {axis = 1 : i64, bits = 4 : i64, group_size = 4 : i64} : (tensor<2x2xui8>, tensor<2x1xf32>, tensor<2x1xf32>) -> tensor<2x4xf32>
  // CHECK: qopt.lookup_codebook %arg0, %arg3 {bits = 4 : i64} : (tensor<2x2xui8>, tensor<2x16xf32>) -> tensor<4x2xf32>
  %1 = qopt.lookup_codebook %c, %b {bits = 4 : i64} : (tensor<2x2xui8>, tensor<2x16xf32>) -> tensor<4x2xf32>
  // CHECK: qopt.dequantize_groupwise %{{.*}}, %{{.*}} {bits = 2 : i64, group_size = 4 : i64} : (tensor<1x2xui8>, tensor<1x2xf32>) -> tensor<4x2xf32>
  %ts = qopt.constant dense<1.0> : tensor<1x2xf32>
  %tc = qopt.constant dense<0> : tensor<1x2xui8>
  %2 = qopt.dequantize_groupwise %tc, %ts {bits = 2 : i64, group_size = 4 : i64} : (tensor<1x2xui8>, tensor<1x2xf32>) -> tensor<4x2xf32>
  return %0, %1, %2 : tensor<2x4xf32>, tensor<4x2xf32>, tensor<4x2xf32>
}
