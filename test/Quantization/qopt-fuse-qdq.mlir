// RUN: qopt-opt %s -qopt-fuse-qdq -split-input-file -verify-diagnostics | FileCheck %s
// Without the integer kernel (no AVX-512 VNNI) nothing is rewritten.
// RUN: qopt-opt %s -qopt-fuse-qdq="integer-kernel=false" -split-input-file | FileCheck %s --check-prefix=OFF
// With pairwise-weights (AVX2) only weights whose adjacent-k pairs have
// |w0| + |w1| <= 128 are rewritten (@pairwise below).
// RUN: qopt-opt %s -qopt-fuse-qdq="pairwise-weights=true" -split-input-file | FileCheck %s --check-prefix=PAIRS

// A QDQ MatMul (u8 activation, zero point 10, scale 0.5; s8 weight of ones
// [K = 4, N = 16] with per-column scales 0.1): an integer matmul and the
// epilogue y = float(acc) * S + O, S = 0.5 * 0.1 = 0.05,
// O = -10 * colsum * S = -10 * 4 * 0.05 = -2.
// CHECK-LABEL: func.func @matmul
// CHECK-SAME:    (%[[X:.*]]: tensor<?x4xf32>)
// CHECK-DAG:     %[[S:.*]] = qopt.constant dense<5.000000e-01> : tensor<f32>
// CHECK-DAG:     %[[ZP:.*]] = qopt.constant dense<10> : tensor<ui8>
// CHECK:         %[[XQ:.*]] = qopt.quantize_linear %[[X]], %[[S]], %[[ZP]] : (tensor<?x4xf32>, tensor<f32>, tensor<ui8>) -> tensor<?x4xui8>
// CHECK:         %[[W:.*]] = qopt.constant dense<1> : tensor<4x16xi8>
// CHECK:         %[[ACC:.*]] = qopt.matmul_integer %[[XQ]], %[[W]] : (tensor<?x4xui8>, tensor<4x16xi8>) -> tensor<?x16xi32>
// CHECK:         %[[F:.*]] = qopt.cast %[[ACC]] : (tensor<?x16xi32>) -> tensor<?x16xf32>
// CHECK-DAG:     %[[SC:.*]] = qopt.constant dense<5.000000e-02> : tensor<16xf32>
// CHECK-DAG:     %[[OFFSET:.*]] = qopt.constant dense<-2.000000e+00> : tensor<16xf32>
// CHECK:         %[[M:.*]] = qopt.mul %[[F]], %[[SC]]
// CHECK:         %[[Y:.*]] = qopt.add %[[M]], %[[OFFSET]]
// CHECK:         return %[[Y]]
// OFF-LABEL: func.func @matmul
// OFF-NOT:     matmul_integer
func.func @matmul(%x: tensor<?x4xf32>) -> tensor<?x16xf32> {
  %s = qopt.constant dense<0.5> : tensor<f32>
  %zp = qopt.constant dense<10> : tensor<ui8>
  %q = qopt.quantize_linear %x, %s, %zp : (tensor<?x4xf32>, tensor<f32>, tensor<ui8>) -> tensor<?x4xui8>
  %dq = qopt.dequantize_linear %q, %s, %zp : (tensor<?x4xui8>, tensor<f32>, tensor<ui8>) -> tensor<?x4xf32>
  %wq = qopt.constant dense<1> : tensor<4x16xi8>
  %ws = qopt.constant dense<0.1> : tensor<16xf32>
  %w = qopt.dequantize_linear %wq, %ws : (tensor<4x16xi8>, tensor<16xf32>) -> tensor<4x16xf32>
  %y = qopt.matmul %dq, %w : (tensor<?x4xf32>, tensor<4x16xf32>) -> tensor<?x16xf32>
  return %y : tensor<?x16xf32>
}

// -----

// A Gemm with transB and a bias, s8 activation (zero point -3): the
// activation is quantized as u8 with zero point 125 instead, the [N, K]
// weight is transposed to [K, N] at compile time, and the bias joins the
// offset: S = 1 * 2 = 2, O = 0.5 - 125 * 4 * 2 = -999.5.
// CHECK-LABEL: func.func @gemm
// CHECK:         qopt.constant dense<125> : tensor<ui8>
// CHECK:         qopt.quantize_linear {{.*}} -> tensor<4x4xui8>
// CHECK:         qopt.constant dense<1> : tensor<4x16xi8>
// CHECK:         qopt.matmul_integer
// CHECK-DAG:     qopt.constant dense<2.000000e+00> : tensor<16xf32>
// CHECK-DAG:     qopt.constant dense<-9.995000e+02> : tensor<16xf32>
// CHECK-NOT:     qopt.gemm
func.func @gemm(%x: tensor<4x4xf32>) -> tensor<4x16xf32> {
  %s = qopt.constant dense<1.0> : tensor<f32>
  %zp = qopt.constant dense<-3> : tensor<i8>
  %q = qopt.quantize_linear %x, %s, %zp : (tensor<4x4xf32>, tensor<f32>, tensor<i8>) -> tensor<4x4xi8>
  %dq = qopt.dequantize_linear %q, %s, %zp : (tensor<4x4xi8>, tensor<f32>, tensor<i8>) -> tensor<4x4xf32>
  %wq = qopt.constant dense<1> : tensor<16x4xi8>
  %ws = qopt.constant dense<2.0> : tensor<16xf32>
  %w = qopt.dequantize_linear %wq, %ws {axis = 0 : i64} : (tensor<16x4xi8>, tensor<16xf32>) -> tensor<16x4xf32>
  %b = qopt.constant dense<0.5> : tensor<16xf32>
  %y = qopt.gemm %dq, %w, %b {transB = 1 : i64} : (tensor<4x4xf32>, tensor<16x4xf32>, tensor<16xf32>) -> tensor<4x16xf32>
  return %y : tensor<4x16xf32>
}

// -----

// A 3-D activation [B, M, K] (a transformer's linear layer) is fused too;
// the epilogue broadcasts over the last dim.
// CHECK-LABEL: func.func @batched
// CHECK:         qopt.matmul_integer %{{.*}}, %{{.*}} : (tensor<2x3x4xui8>, tensor<4x16xi8>) -> tensor<2x3x16xi32>
// CHECK:         qopt.mul %{{.*}}, %{{.*}} : (tensor<2x3x16xf32>, tensor<16xf32>) -> tensor<2x3x16xf32>
// CHECK-NOT:     qopt.matmul %
func.func @batched(%x: tensor<2x3x4xf32>) -> tensor<2x3x16xf32> {
  %s = qopt.constant dense<0.5> : tensor<f32>
  %zp = qopt.constant dense<0> : tensor<ui8>
  %q = qopt.quantize_linear %x, %s, %zp : (tensor<2x3x4xf32>, tensor<f32>, tensor<ui8>) -> tensor<2x3x4xui8>
  %dq = qopt.dequantize_linear %q, %s, %zp : (tensor<2x3x4xui8>, tensor<f32>, tensor<ui8>) -> tensor<2x3x4xf32>
  %wq = qopt.constant dense<1> : tensor<4x16xi8>
  %ws = qopt.constant dense<0.1> : tensor<16xf32>
  %w = qopt.dequantize_linear %wq, %ws : (tensor<4x16xi8>, tensor<16xf32>) -> tensor<4x16xf32>
  %y = qopt.matmul %dq, %w : (tensor<2x3x4xf32>, tensor<4x16xf32>) -> tensor<2x3x16xf32>
  return %y : tensor<2x3x16xf32>
}

// -----

// Must not transform: a 4-D activation, and a weight whose per-axis scales
// run along K (not the output channels); both also have K = 2, which the
// integer kernel does not take (K % 4 != 0).
// CHECK-LABEL: func.func @not_fused
// CHECK-NOT:     matmul_integer
// CHECK-COUNT-2: qopt.matmul
func.func @not_fused(%x: tensor<1x2x4x2xf32>, %x2: tensor<4x2xf32>) -> (tensor<1x2x4x2xf32>, tensor<4x2xf32>) {
  %s = qopt.constant dense<0.5> : tensor<f32>
  %zp = qopt.constant dense<0> : tensor<ui8>
  %q = qopt.quantize_linear %x, %s, %zp : (tensor<1x2x4x2xf32>, tensor<f32>, tensor<ui8>) -> tensor<1x2x4x2xui8>
  %dq = qopt.dequantize_linear %q, %s, %zp : (tensor<1x2x4x2xui8>, tensor<f32>, tensor<ui8>) -> tensor<1x2x4x2xf32>
  %wq = qopt.constant dense<1> : tensor<2x2xi8>
  %ws = qopt.constant dense<[0.1, 0.2]> : tensor<2xf32>
  %w = qopt.dequantize_linear %wq, %ws : (tensor<2x2xi8>, tensor<2xf32>) -> tensor<2x2xf32>
  %y = qopt.matmul %dq, %w : (tensor<1x2x4x2xf32>, tensor<2x2xf32>) -> tensor<1x2x4x2xf32>
  %q2 = qopt.quantize_linear %x2, %s, %zp : (tensor<4x2xf32>, tensor<f32>, tensor<ui8>) -> tensor<4x2xui8>
  %dq2 = qopt.dequantize_linear %q2, %s, %zp : (tensor<4x2xui8>, tensor<f32>, tensor<ui8>) -> tensor<4x2xf32>
  %wk = qopt.dequantize_linear %wq, %ws {axis = 0 : i64} : (tensor<2x2xi8>, tensor<2xf32>) -> tensor<2x2xf32>
  %z = qopt.matmul %dq2, %wk : (tensor<4x2xf32>, tensor<2x2xf32>) -> tensor<4x2xf32>
  return %y, %z : tensor<1x2x4x2xf32>, tensor<4x2xf32>
}

// -----

// A QDQ Conv (u8 activation, zero point 3, scale 0.5; s8 weight of ones
// [4, 2, 3, 3], scales 0.1; bias 1; pads 1): the quantized input is padded
// with its zero point (padded taps then cancel in the correction), the
// conv_integer pads nothing, and the per-channel epilogue has
// S = 0.05, O = 1 - 3 * 18 * 0.05 = -1.7, shaped [F, 1, 1].
// CHECK-LABEL: func.func @conv
// CHECK-SAME:    (%[[X:.*]]: tensor<1x2x4x4xf32>)
// CHECK:         %[[XQ:.*]] = qopt.quantize_linear %[[X]]
// CHECK-DAG:     %[[PADS:.*]] = qopt.constant dense<[0, 0, 1, 1, 0, 0, 1, 1]> : tensor<8xi64>
// CHECK-DAG:     %[[ZP:.*]] = qopt.constant dense<3> : tensor<ui8>
// CHECK:         %[[P:.*]] = qopt.pad %[[XQ]], %[[PADS]] value %[[ZP]] : (tensor<1x2x4x4xui8>, tensor<8xi64>, tensor<ui8>) -> tensor<1x2x6x6xui8>
// CHECK:         %[[W:.*]] = qopt.constant dense<1> : tensor<4x2x3x3xi8>
// CHECK:         %[[ACC:.*]] = qopt.conv_integer %[[P]], %[[W]] {kernel_shape = array<i64: 3, 3>} : (tensor<1x2x6x6xui8>, tensor<4x2x3x3xi8>) -> tensor<1x4x4x4xi32>
// CHECK:         %[[F:.*]] = qopt.cast %[[ACC]]
// CHECK-DAG:     %[[SC:.*]] = qopt.constant dense<5.000000e-02> : tensor<4x1x1xf32>
// CHECK-DAG:     %[[OFFSET:.*]] = qopt.constant dense<-1.700000e+00> : tensor<4x1x1xf32>
// CHECK:         %[[M:.*]] = qopt.mul %[[F]], %[[SC]]
// CHECK:         %[[Y:.*]] = qopt.add %[[M]], %[[OFFSET]]
// CHECK:         return %[[Y]]
// OFF-LABEL: func.func @conv
// OFF-NOT:     conv_integer
func.func @conv(%x: tensor<1x2x4x4xf32>) -> tensor<1x4x4x4xf32> {
  %s = qopt.constant dense<0.5> : tensor<f32>
  %zp = qopt.constant dense<3> : tensor<ui8>
  %q = qopt.quantize_linear %x, %s, %zp : (tensor<1x2x4x4xf32>, tensor<f32>, tensor<ui8>) -> tensor<1x2x4x4xui8>
  %dq = qopt.dequantize_linear %q, %s, %zp : (tensor<1x2x4x4xui8>, tensor<f32>, tensor<ui8>) -> tensor<1x2x4x4xf32>
  %wq = qopt.constant dense<1> : tensor<4x2x3x3xi8>
  %ws = qopt.constant dense<0.1> : tensor<4xf32>
  %w = qopt.dequantize_linear %wq, %ws {axis = 0 : i64} : (tensor<4x2x3x3xi8>, tensor<4xf32>) -> tensor<4x2x3x3xf32>
  %b = qopt.constant dense<1.0> : tensor<4xf32>
  %y = qopt.conv %dq, %w, %b {kernel_shape = array<i64: 3, 3>, pads = array<i64: 1, 1, 1, 1>} : (tensor<1x2x4x4xf32>, tensor<4x2x3x3xf32>, tensor<4xf32>) -> tensor<1x4x4x4xf32>
  return %y : tensor<1x4x4x4xf32>
}

// -----

// QLinearConv with a constant s8 weight: decomposed into QDQ form, whose
// conv then takes the integer path; the u8 input is used as is and the
// int32 bias 100 becomes 100 * 0.5 * 0.1 = 5 in float, so the offset is
// O = 5 - 1 * 2 * 0.05 = 4.9 (zero point 1, K = 2).
// CHECK-LABEL: func.func @qlinear_conv
// CHECK-SAME:    (%[[X:.*]]: tensor<1x2x4x4xui8>)
// CHECK-NOT:     qlinear_conv
// CHECK:         %[[ACC:.*]] = qopt.conv_integer %[[X]], %{{.*}} {kernel_shape = array<i64: 1, 1>} : (tensor<1x2x4x4xui8>, tensor<4x2x1x1xi8>) -> tensor<1x4x4x4xi32>
// CHECK-DAG:     qopt.constant dense<5.000000e-02> : tensor<4x1x1xf32>
// CHECK-DAG:     qopt.constant dense<4.900000e+00> : tensor<4x1x1xf32>
// CHECK:         %[[Y:.*]] = qopt.quantize_linear
// CHECK:         return %[[Y]]
// OFF-LABEL: func.func @qlinear_conv
// OFF:         qopt.qlinear_conv
func.func @qlinear_conv(%x: tensor<1x2x4x4xui8>) -> tensor<1x4x4x4xui8> {
  %xs = qopt.constant dense<0.5> : tensor<f32>
  %xz = qopt.constant dense<1> : tensor<ui8>
  %w = qopt.constant dense<1> : tensor<4x2x1x1xi8>
  %ws = qopt.constant dense<0.1> : tensor<4xf32>
  %wz = qopt.constant dense<0> : tensor<4xi8>
  %ys = qopt.constant dense<0.25> : tensor<f32>
  %yz = qopt.constant dense<128> : tensor<ui8>
  %b = qopt.constant dense<100> : tensor<4xi32>
  %y = qopt.qlinear_conv %x, %xs, %xz, %w, %ws, %wz, %ys, %yz, %b {kernel_shape = array<i64: 1, 1>} : (tensor<1x2x4x4xui8>, tensor<f32>, tensor<ui8>, tensor<4x2x1x1xi8>, tensor<4xf32>, tensor<4xi8>, tensor<f32>, tensor<ui8>, tensor<4xi32>) -> tensor<1x4x4x4xui8>
  return %y : tensor<1x4x4x4xui8>
}

// -----

// ConvInteger / MatMulInteger with an input zero point (5) and a constant
// weight (2 / 1): the zero point moves out of the contraction into an
// int32 correction 5 * sum(w) per output channel (5 * 2 = 10 for the 1x1
// conv, 5 * 4 = 20 for K = 4).
// CHECK-LABEL: func.func @integer_zero_points
// CHECK-SAME:    (%[[X:.*]]: tensor<1x1x4x4xui8>, %[[A:.*]]: tensor<2x4xui8>)
// CHECK:         %[[C:.*]] = qopt.conv_integer %[[X]], %{{.*}} {kernel_shape = array<i64: 1, 1>} : (tensor<1x1x4x4xui8>, tensor<16x1x1x1xi8>) -> tensor<1x16x4x4xi32>
// CHECK:         %[[CC:.*]] = qopt.constant dense<10> : tensor<16x1x1xi32>
// CHECK:         %[[Y:.*]] = qopt.sub %[[C]], %[[CC]]
// CHECK:         %[[M:.*]] = qopt.matmul_integer %[[A]], %{{.*}} : (tensor<2x4xui8>, tensor<4x16xi8>) -> tensor<2x16xi32>
// CHECK:         %[[MC:.*]] = qopt.constant dense<20> : tensor<16xi32>
// CHECK:         %[[Z:.*]] = qopt.sub %[[M]], %[[MC]]
// CHECK:         return %[[Y]], %[[Z]]
func.func @integer_zero_points(%x: tensor<1x1x4x4xui8>, %a: tensor<2x4xui8>) -> (tensor<1x16x4x4xi32>, tensor<2x16xi32>) {
  %zp = qopt.constant dense<5> : tensor<ui8>
  %w = qopt.constant dense<2> : tensor<16x1x1x1xi8>
  %y = qopt.conv_integer %x, %w x_zero_point %zp {kernel_shape = array<i64: 1, 1>} : (tensor<1x1x4x4xui8>, tensor<16x1x1x1xi8>, tensor<ui8>) -> tensor<1x16x4x4xi32>
  %b = qopt.constant dense<1> : tensor<4x16xi8>
  %z = qopt.matmul_integer %a, %b a_zero_point %zp : (tensor<2x4xui8>, tensor<4x16xi8>, tensor<ui8>) -> tensor<2x16xi32>
  return %y, %z : tensor<1x16x4x4xi32>, tensor<2x16xi32>
}

// -----

// Convolutions the integer kernel does not take keep their QDQ form: a
// grouped conv, and one whose 5 output columns neither fill nor divide the
// kernel's 16 lanes.
// CHECK-LABEL: func.func @conv_not_fused
// CHECK-NOT:     conv_integer
// CHECK-COUNT-2: qopt.conv %
func.func @conv_not_fused(%x: tensor<1x2x4x4xf32>, %x2: tensor<1x2x5x5xf32>) -> (tensor<1x4x4x4xf32>, tensor<1x4x5x5xf32>) {
  %s = qopt.constant dense<0.5> : tensor<f32>
  %zp = qopt.constant dense<3> : tensor<ui8>
  %q = qopt.quantize_linear %x, %s, %zp : (tensor<1x2x4x4xf32>, tensor<f32>, tensor<ui8>) -> tensor<1x2x4x4xui8>
  %dq = qopt.dequantize_linear %q, %s, %zp : (tensor<1x2x4x4xui8>, tensor<f32>, tensor<ui8>) -> tensor<1x2x4x4xf32>
  %wq = qopt.constant dense<1> : tensor<4x1x1x1xi8>
  %ws = qopt.constant dense<0.1> : tensor<4xf32>
  %w = qopt.dequantize_linear %wq, %ws {axis = 0 : i64} : (tensor<4x1x1x1xi8>, tensor<4xf32>) -> tensor<4x1x1x1xf32>
  %y = qopt.conv %dq, %w {group = 2 : i64, kernel_shape = array<i64: 1, 1>} : (tensor<1x2x4x4xf32>, tensor<4x1x1x1xf32>) -> tensor<1x4x4x4xf32>
  %q2 = qopt.quantize_linear %x2, %s, %zp : (tensor<1x2x5x5xf32>, tensor<f32>, tensor<ui8>) -> tensor<1x2x5x5xui8>
  %dq2 = qopt.dequantize_linear %q2, %s, %zp : (tensor<1x2x5x5xui8>, tensor<f32>, tensor<ui8>) -> tensor<1x2x5x5xf32>
  %wq2 = qopt.constant dense<1> : tensor<4x2x1x1xi8>
  %w2 = qopt.dequantize_linear %wq2, %ws {axis = 0 : i64} : (tensor<4x2x1x1xi8>, tensor<4xf32>) -> tensor<4x2x1x1xf32>
  %z = qopt.conv %dq2, %w2 {kernel_shape = array<i64: 1, 1>} : (tensor<1x2x5x5xf32>, tensor<4x2x1x1xf32>) -> tensor<1x4x5x5xf32>
  return %y, %z : tensor<1x4x4x4xf32>, tensor<1x4x5x5xf32>
}

// -----

// pairwise-weights: the first weight's k pairs are (64, 64) and (-1, 127):
// within 128, rewritten; the second has the pair (100, -100): a u8 x s8
// pair sum could saturate i16, so it stays QDQ (without the option both
// are rewritten).
// CHECK-LABEL: func.func @pairwise
// CHECK-COUNT-2: qopt.matmul_integer
// PAIRS-LABEL: func.func @pairwise
// PAIRS:         qopt.matmul_integer
// PAIRS-NOT:     qopt.matmul_integer
// PAIRS:         qopt.matmul %
func.func @pairwise(%x: tensor<2x4xf32>) -> (tensor<2x16xf32>, tensor<2x16xf32>) {
  %s = qopt.constant dense<0.5> : tensor<f32>
  %zp = qopt.constant dense<0> : tensor<ui8>
  %q = qopt.quantize_linear %x, %s, %zp : (tensor<2x4xf32>, tensor<f32>, tensor<ui8>) -> tensor<2x4xui8>
  %dq = qopt.dequantize_linear %q, %s, %zp : (tensor<2x4xui8>, tensor<f32>, tensor<ui8>) -> tensor<2x4xf32>
  %ws = qopt.constant dense<0.1> : tensor<16xf32>
  %wq = qopt.constant dense<[[64, 64, 64, 64, 64, 64, 64, 64, 64, 64, 64, 64, 64, 64, 64, 64], [64, 64, 64, 64, 64, 64, 64, 64, 64, 64, 64, 64, 64, 64, 64, 64], [-1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1], [127, 127, 127, 127, 127, 127, 127, 127, 127, 127, 127, 127, 127, 127, 127, 127]]> : tensor<4x16xi8>
  %w = qopt.dequantize_linear %wq, %ws : (tensor<4x16xi8>, tensor<16xf32>) -> tensor<4x16xf32>
  %y = qopt.matmul %dq, %w : (tensor<2x4xf32>, tensor<4x16xf32>) -> tensor<2x16xf32>
  %wqb = qopt.constant dense<[[100, 100, 100, 100, 100, 100, 100, 100, 100, 100, 100, 100, 100, 100, 100, 100], [-100, -100, -100, -100, -100, -100, -100, -100, -100, -100, -100, -100, -100, -100, -100, -100], [1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1], [1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1]]> : tensor<4x16xi8>
  %wb = qopt.dequantize_linear %wqb, %ws : (tensor<4x16xi8>, tensor<16xf32>) -> tensor<4x16xf32>
  %z = qopt.matmul %dq, %wb : (tensor<2x4xf32>, tensor<4x16xf32>) -> tensor<2x16xf32>
  return %y, %z : tensor<2x16xf32>, tensor<2x16xf32>
}

// -----

// Two quantized activations (attention): a as u8 (zero point 3, scale 0.5),
// b re-quantized as s8 with its u8 zero point shifted by -128. For %y, b's
// zero point 128 becomes 0: only a's correction, 3 * sum_k b[k, n], run
// time [.., 1, N]. For %z, b's zero point 100 becomes -28: also
// -28 * sum_k (a[m, k] - 3) over [.., M, 1]. Scale 0.5 * 0.25.
// CHECK-LABEL: func.func @activations
// CHECK-SAME:    (%[[A:.*]]: tensor<2x4x8xf32>, %[[B:.*]]: tensor<2x8x5xf32>)
// CHECK:         %[[AQ:.*]] = qopt.quantize_linear %[[A]]{{.*}} -> tensor<2x4x8xui8>
// CHECK-DAG:     %[[ZB:.*]] = qopt.constant dense<0> : tensor<i8>
// CHECK:         %[[BQ:.*]] = qopt.quantize_linear %[[B]], %{{.*}}, %[[ZB]] : (tensor<2x8x5xf32>, tensor<f32>, tensor<i8>) -> tensor<2x8x5xi8>
// CHECK:         %[[ACC:.*]] = qopt.matmul_integer %[[AQ]], %[[BQ]] : (tensor<2x4x8xui8>, tensor<2x8x5xi8>) -> tensor<2x4x5xi32>
// CHECK:         %[[BW:.*]] = qopt.cast %[[BQ]] : (tensor<2x8x5xi8>) -> tensor<2x8x5xi32>
// CHECK:         %[[CS:.*]] = qopt.reduce_sum %[[BW]] {axes = array<i64: 1>} : (tensor<2x8x5xi32>) -> tensor<2x1x5xi32>
// CHECK:         %[[T:.*]] = qopt.mul %[[CS]], %{{.*}} : (tensor<2x1x5xi32>, tensor<i32>) -> tensor<2x1x5xi32>
// CHECK:         %[[C:.*]] = qopt.sub %[[ACC]], %[[T]]
// CHECK-NOT:     qopt.reduce_sum
// CHECK:         %[[F:.*]] = qopt.cast %[[C]] : (tensor<2x4x5xi32>) -> tensor<2x4x5xf32>
// CHECK:         qopt.mul %[[F]], %{{.*}} : (tensor<2x4x5xf32>, tensor<f32>) -> tensor<2x4x5xf32>
// CHECK:         qopt.constant dense<-28> : tensor<i8>
// CHECK:         qopt.matmul_integer
// CHECK:         qopt.reduce_sum %{{.*}} {axes = array<i64: 1>} : (tensor<2x8x5xi32>) -> tensor<2x1x5xi32>
// CHECK:         %[[AW:.*]] = qopt.cast %{{.*}} : (tensor<2x4x8xui8>) -> tensor<2x4x8xi32>
// CHECK:         %[[AC:.*]] = qopt.sub %[[AW]], %{{.*}} : (tensor<2x4x8xi32>, tensor<i32>) -> tensor<2x4x8xi32>
// CHECK:         qopt.reduce_sum %[[AC]] {axes = array<i64: 2>} : (tensor<2x4x8xi32>) -> tensor<2x4x1xi32>
// PAIRS-LABEL: func.func @activations
// PAIRS-NOT:     matmul_integer
func.func @activations(%a: tensor<2x4x8xf32>, %b: tensor<2x8x5xf32>) -> (tensor<2x4x5xf32>, tensor<2x4x5xf32>) {
  %sa = qopt.constant dense<0.5> : tensor<f32>
  %za = qopt.constant dense<3> : tensor<ui8>
  %qa = qopt.quantize_linear %a, %sa, %za : (tensor<2x4x8xf32>, tensor<f32>, tensor<ui8>) -> tensor<2x4x8xui8>
  %dqa = qopt.dequantize_linear %qa, %sa, %za : (tensor<2x4x8xui8>, tensor<f32>, tensor<ui8>) -> tensor<2x4x8xf32>
  %sb = qopt.constant dense<0.25> : tensor<f32>
  %zb = qopt.constant dense<128> : tensor<ui8>
  %qb = qopt.quantize_linear %b, %sb, %zb : (tensor<2x8x5xf32>, tensor<f32>, tensor<ui8>) -> tensor<2x8x5xui8>
  %dqb = qopt.dequantize_linear %qb, %sb, %zb : (tensor<2x8x5xui8>, tensor<f32>, tensor<ui8>) -> tensor<2x8x5xf32>
  %y = qopt.matmul %dqa, %dqb : (tensor<2x4x8xf32>, tensor<2x8x5xf32>) -> tensor<2x4x5xf32>
  %zb2 = qopt.constant dense<100> : tensor<ui8>
  %qb2 = qopt.quantize_linear %b, %sb, %zb2 : (tensor<2x8x5xf32>, tensor<f32>, tensor<ui8>) -> tensor<2x8x5xui8>
  %dqb2 = qopt.dequantize_linear %qb2, %sb, %zb2 : (tensor<2x8x5xui8>, tensor<f32>, tensor<ui8>) -> tensor<2x8x5xf32>
  %z = qopt.matmul %dqa, %dqb2 : (tensor<2x4x8xf32>, tensor<2x8x5xf32>) -> tensor<2x4x5xf32>
  return %y, %z : tensor<2x4x5xf32>, tensor<2x4x5xf32>
}

// -----

// What qopt-quantize writes: the quantized activation typed
// !quant.uniform<u8:f32, 0.5:10> and the weight an i8 constant viewed as a
// per-axis !quant.uniform through quant.scast. The rewrite reads the same
// parameters and looks through the scast: the result matches @matmul.
// CHECK-LABEL: func.func @typed
// CHECK:         qopt.quantize_linear %{{.*}} -> tensor<?x4xui8>
// CHECK:         qopt.matmul_integer %{{.*}}, %{{.*}} : (tensor<?x4xui8>, tensor<4x16xi8>) -> tensor<?x16xi32>
// CHECK-DAG:     qopt.constant dense<5.000000e-02> : tensor<16xf32>
// CHECK-DAG:     qopt.constant dense<-2.000000e+00> : tensor<16xf32>
// CHECK-NOT:     quant.scast
// PAIRS-LABEL: func.func @typed
// PAIRS:         qopt.matmul_integer
func.func @typed(%x: tensor<?x4xf32>) -> tensor<?x16xf32> {
  %s = qopt.constant dense<0.5> : tensor<f32>
  %zp = qopt.constant dense<10> : tensor<ui8>
  %q = qopt.quantize_linear %x, %s, %zp : (tensor<?x4xf32>, tensor<f32>, tensor<ui8>) -> tensor<?x4x!quant.uniform<u8:f32, 0.5:10>>
  %dq = qopt.dequantize_linear %q, %s, %zp : (tensor<?x4x!quant.uniform<u8:f32, 0.5:10>>, tensor<f32>, tensor<ui8>) -> tensor<?x4xf32>
  %wq = qopt.constant dense<1> : tensor<4x16xi8>
  %wt = quant.scast %wq : tensor<4x16xi8> to tensor<4x16x!quant.uniform<i8<-127:127>:f32:1, {0.1,0.1,0.1,0.1,0.1,0.1,0.1,0.1,0.1,0.1,0.1,0.1,0.1,0.1,0.1,0.1}>>
  %ws = qopt.constant dense<0.1> : tensor<16xf32>
  %w = qopt.dequantize_linear %wt, %ws : (tensor<4x16x!quant.uniform<i8<-127:127>:f32:1, {0.1,0.1,0.1,0.1,0.1,0.1,0.1,0.1,0.1,0.1,0.1,0.1,0.1,0.1,0.1,0.1}>>, tensor<16xf32>) -> tensor<4x16xf32>
  %y = qopt.matmul %dq, %w : (tensor<?x4xf32>, tensor<4x16xf32>) -> tensor<?x16xf32>
  return %y : tensor<?x16xf32>
}
