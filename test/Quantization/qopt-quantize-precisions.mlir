// RUN: qopt-opt %s -qopt-quantize="group-size=2" -split-input-file -verify-diagnostics | FileCheck %s
// RUN: qopt-opt %s -qopt-quantize="group-size=4 int4-symmetric=false" -split-input-file -verify-diagnostics | FileCheck %s --check-prefix=ASYM

// w4a16, groups of 2 rows of K, symmetric: scale = max|w| / 7 per group and
// column, codes round(w / scale) + 8 packed two per byte along K (the first
// in the low nibble). Group 0: column 0 codes 15 (0.7), 9 (0.1) -> byte
// 15 | 9 << 4 = 159; column 1 codes 1 (-1.4), 9 (0.2) -> 145. Group 1:
// column 0 codes 1 (-0.7), 11 (0.3) -> 177; column 1 codes 15, 8 -> 143.
// The activation stays float. The float weight is erased.
// CHECK-LABEL: func.func @w4a16
// CHECK-DAG:     %[[CODES:.*]] = qopt.constant dense<{{\[}}[159, 145], [177, 143]]> : tensor<2x2xui8>
// CHECK-DAG:     %[[SCALES:.*]] = qopt.constant dense<{{\[}}[1.000000e-01, 2.000000e-01], [1.000000e-01, 2.000000e-01]]> : tensor<2x2xf32>
// CHECK:         %[[W:.*]] = qopt.dequantize_groupwise %[[CODES]], %[[SCALES]] {bits = 4 : i64, group_size = 2 : i64} : (tensor<2x2xui8>, tensor<2x2xf32>) -> tensor<4x2xf32>
// CHECK:         qopt.matmul %arg0, %[[W]] {qopt.precision = #qopt.precision<w4a16>}
// CHECK-NOT:     tensor<4x2xf32> = dense
// Asymmetric (one group of 4): scale = (max - min) / 15, a zero point per
// group and column.
// ASYM-LABEL: func.func @w4a16
// ASYM:         qopt.dequantize_groupwise %{{.*}}, %{{.*}}, %{{.*}} {bits = 4 : i64, group_size = 4 : i64} : (tensor<2x2xui8>, tensor<1x2xf32>, tensor<1x2xf32>) -> tensor<4x2xf32>
func.func @w4a16(%x: tensor<2x4xf32>) -> tensor<2x2xf32> {
  %w = qopt.constant dense<[[0.7, -1.4], [0.1, 0.2], [-0.7, 1.4], [0.3, 0.0]]> : tensor<4x2xf32>
  %y = qopt.matmul %x, %w {qopt.precision = #qopt.precision<w4a16>} : (tensor<2x4xf32>, tensor<4x2xf32>) -> tensor<2x2xf32>
  return %y : tensor<2x2xf32>
}

// -----

// A Gemm with transB = 1 keeps its weight layout: K is axis 1, so the codes
// pack along it ([N, K / 2]) and the scales are [N, K / group].
// CHECK-LABEL: func.func @w4a16_gemm_trans_b
// CHECK:         qopt.dequantize_groupwise %{{.*}}, %{{.*}} {axis = 1 : i64, bits = 4 : i64, group_size = 2 : i64} : (tensor<3x2xui8>, tensor<3x2xf32>) -> tensor<3x4xf32>
// CHECK:         qopt.gemm %arg0, %{{.*}} {qopt.precision = #qopt.precision<w4a16>, transB = 1 : i64}
func.func @w4a16_gemm_trans_b(%x: tensor<2x4xf32>) -> tensor<2x3xf32> {
  %w = qopt.constant dense<[[1.0, 2.0, 3.0, 4.0], [-1.0, 0.5, 0.25, 0.0], [0.1, 0.2, 0.3, 0.4]]> : tensor<3x4xf32>
  %y = qopt.gemm %x, %w {transB = 1 : i64, qopt.precision = #qopt.precision<w4a16>} : (tensor<2x4xf32>, tensor<3x4xf32>) -> tensor<2x3xf32>
  return %y : tensor<2x3xf32>
}

// -----

// ternary: threshold 0.7 mean|w| = 0.525, codes {-1, 0, +1} + 2 packed four
// per byte (3 | 1 << 2 | 2 << 4 | 3 << 6 = 231), scale = mean |w| above the
// threshold ((1 + 1 + 0.9) / 3).
// CHECK-LABEL: func.func @ternary
// CHECK-DAG:     %[[CODES:.*]] = qopt.constant dense<231> : tensor<1x1xui8>
// CHECK-DAG:     %[[SCALE:.*]] = qopt.constant dense<0.966666{{[0-9]*}}> : tensor<1x1xf32>
// CHECK:         qopt.dequantize_groupwise %[[CODES]], %[[SCALE]] {bits = 2 : i64, group_size = 4 : i64}
func.func @ternary(%x: tensor<2x4xf32>) -> tensor<2x1xf32> {
  %w = qopt.constant dense<[[1.0], [-1.0], [0.1], [0.9]]> : tensor<4x1xf32>
  %y = qopt.matmul %x, %w {qopt.precision = #qopt.precision<ternary>} : (tensor<2x4xf32>, tensor<4x1xf32>) -> tensor<2x1xf32>
  return %y : tensor<2x1xf32>
}

// -----

// w4_lut / w8_lut: indices into a per-column codebook of 16 / 256 values.
// w8a16: int8 per output channel behind dequantize_linear.
// CHECK-LABEL: func.func @lut_and_w8a16
// CHECK:         qopt.lookup_codebook %{{.*}}, %{{.*}} {bits = 4 : i64} : (tensor<2x2xui8>, tensor<2x16xf32>) -> tensor<4x2xf32>
// CHECK:         qopt.lookup_codebook %{{.*}}, %{{.*}} {bits = 8 : i64} : (tensor<4x2xui8>, tensor<2x256xf32>) -> tensor<4x2xf32>
// CHECK:         qopt.dequantize_linear %{{.*}}, %{{.*}} : (tensor<4x2x!quant.uniform<i8<-127:127>:f32:1
// CHECK:         qopt.matmul %arg0, %{{.*}} {qopt.precision = #qopt.precision<w8a16>}
func.func @lut_and_w8a16(%x: tensor<2x4xf32>) -> (tensor<2x2xf32>, tensor<2x2xf32>, tensor<2x2xf32>) {
  %w = qopt.constant dense<[[0.7, -1.4], [0.1, 0.2], [-0.7, 1.4], [0.3, 0.0]]> : tensor<4x2xf32>
  %a = qopt.matmul %x, %w {qopt.precision = #qopt.precision<w4_lut>} : (tensor<2x4xf32>, tensor<4x2xf32>) -> tensor<2x2xf32>
  %b = qopt.matmul %x, %w {qopt.precision = #qopt.precision<w8_lut>} : (tensor<2x4xf32>, tensor<4x2xf32>) -> tensor<2x2xf32>
  %c = qopt.matmul %x, %w {qopt.precision = #qopt.precision<w8a16>} : (tensor<2x4xf32>, tensor<4x2xf32>) -> tensor<2x2xf32>
  return %a, %b, %c : tensor<2x2xf32>, tensor<2x2xf32>, tensor<2x2xf32>
}

// -----

// fp16 / bf16: the weight stored narrow behind a cast, the activation
// rounded (cast there and back).
// CHECK-LABEL: func.func @half
// CHECK:         %[[X16:.*]] = qopt.cast %arg0 : (tensor<2x4xf32>) -> tensor<2x4xf16>
// CHECK:         %[[X:.*]] = qopt.cast %[[X16]] : (tensor<2x4xf16>) -> tensor<2x4xf32>
// CHECK:         %[[W16:.*]] = qopt.constant dense<{{.*}}> : tensor<4x2xf16>
// CHECK:         %[[W:.*]] = qopt.cast %[[W16]] : (tensor<4x2xf16>) -> tensor<4x2xf32>
// CHECK:         qopt.matmul %[[X]], %[[W]] {qopt.precision = #qopt.precision<f16>}
// CHECK:         qopt.constant dense<{{.*}}> : tensor<4x2xbf16>
// CHECK:         qopt.matmul {{.*}} {qopt.precision = #qopt.precision<bf16>}
func.func @half(%x: tensor<2x4xf32>) -> (tensor<2x2xf32>, tensor<2x2xf32>) {
  %w = qopt.constant dense<[[0.7, -1.4], [0.1, 0.2], [-0.7, 1.4], [0.3, 0.0]]> : tensor<4x2xf32>
  %a = qopt.matmul %x, %w {qopt.precision = #qopt.precision<f16>} : (tensor<2x4xf32>, tensor<4x2xf32>) -> tensor<2x2xf32>
  %b = qopt.matmul %x, %w {qopt.precision = #qopt.precision<bf16>} : (tensor<2x4xf32>, tensor<4x2xf32>) -> tensor<2x2xf32>
  return %a, %b : tensor<2x2xf32>, tensor<2x2xf32>
}

// -----

// w8a8_dynamic: per-row (token) u8 ranges computed at run time, extended to
// contain 0; the weight int8 per output channel.
// CHECK-LABEL: func.func @dynamic
// CHECK:         qopt.dequantize_linear
// CHECK:         qopt.reduce_min %arg0 {axes = array<i64: 2>} : (tensor<1x3x4xf32>) -> tensor<1x3x1xf32>
// CHECK:         qopt.reduce_max %arg0 {axes = array<i64: 2>} : (tensor<1x3x4xf32>) -> tensor<1x3x1xf32>
// CHECK:         qopt.round
// CHECK:         qopt.clip
// CHECK:         qopt.matmul {{.*}} {qopt.precision = #qopt.precision<w8a8_dynamic>}
func.func @dynamic(%x: tensor<1x3x4xf32>) -> tensor<1x3x2xf32> {
  %w = qopt.constant dense<[[0.7, -1.4], [0.1, 0.2], [-0.7, 1.4], [0.3, 0.0]]> : tensor<4x2xf32>
  %y = qopt.matmul %x, %w {qopt.precision = #qopt.precision<w8a8_dynamic>} : (tensor<1x3x4xf32>, tensor<4x2xf32>) -> tensor<1x3x2xf32>
  return %y : tensor<1x3x2xf32>
}

// -----

// A weight-only precision on a matmul without a constant weight
// (attention) does not fit: the op stays f32 and says so.
// CHECK-LABEL: func.func @no_constant_weight
// CHECK:         qopt.matmul %arg0, %arg1 {qopt.precision = #qopt.precision<f32>}
func.func @no_constant_weight(%a: tensor<2x4xf32>, %b: tensor<4x2xf32>) -> tensor<2x2xf32> {
  %y = qopt.matmul %a, %b {qopt.precision = #qopt.precision<w4a16>} : (tensor<2x4xf32>, tensor<4x2xf32>) -> tensor<2x2xf32>
  return %y : tensor<2x2xf32>
}

// -----

func.func @fp8(%x: tensor<2x4xf32>) -> tensor<2x2xf32> {
  %w = qopt.constant dense<1.0> : tensor<4x2xf32>
  // expected-error @+1 {{qopt-quantize: fp8 needs the CUDA target (sm_89 or newer); this pipeline cannot materialize it}}
  %y = qopt.matmul %x, %w {qopt.precision = #qopt.precision<fp8>} : (tensor<2x4xf32>, tensor<4x2xf32>) -> tensor<2x2xf32>
  return %y : tensor<2x2xf32>
}
