// RUN: qopt-opt %s -qopt-smoothquant -split-input-file -verify-diagnostics | FileCheck %s
// RUN: not qopt-opt %s -qopt-smoothquant="alpha=1.5" -split-input-file 2>&1 | FileCheck %s --check-prefix=BADALPHA
// BADALPHA: error: qopt-smoothquant: alpha must be in [0, 1], got 1.5

// LayerNorm -> Q, K, V (a Gemm with transB among them): one s for the three
// projections. Channel 1 is the outlier: max|X| = [1, 16], max|W_j| over
// the three weights = [1, 4], so s = sqrt(max|X|) / sqrt(max|W|) = [1, 2].
// gamma and beta are divided by s, every weight's row (K index) j is
// multiplied by s_j, and the observer's statistics are divided by s.
// CHECK-LABEL: func.func @ln_qkv
// CHECK:         %[[G:.*]] = qopt.constant dense<[1.000000e+00, 5.000000e-01]> : tensor<2xf32>
// CHECK:         %[[B:.*]] = qopt.constant dense<[5.000000e-01, 2.500000e-01]> : tensor<2xf32>
// CHECK:         %[[LN:.*]] = qopt.layer_normalization %arg0, %[[G]], %[[B]]
// CHECK:         %[[X:.*]] = qopt.observe %[[LN]] {channel_axis = 1 : i64, channel_max = array<f32: 1.000000e+00, 4.000000e+00>, channel_min = array<f32: -1.000000e+00, -8.000000e+00>, id = 0 : i64, max = 4.000000e+00 : f64, method = "minmax", min = -8.000000e+00 : f64, name = "ln1", range = array<f64: -8.000000e+00, 4.000000e+00>, samples = 2 : i64, smooth_alpha = 5.000000e-01 : f64, smoothed}
// CHECK:         %[[WQ:.*]] = qopt.constant dense<{{\[}}[1.000000e+00, -1.000000e+00], [4.000000e+00, 4.000000e+00]]>
// CHECK:         qopt.matmul %[[X]], %[[WQ]]
// CHECK:         %[[WK:.*]] = qopt.constant dense<{{\[}}[5.000000e-01, 5.000000e-01], [8.000000e+00, -8.000000e+00]]>
// CHECK:         qopt.matmul %[[X]], %[[WK]]
// CHECK:         %[[WV:.*]] = qopt.constant dense<{{\[}}[1.000000e+00, 0.000000e+00], [0.000000e+00, 2.000000e+00]]>
// CHECK:         qopt.gemm %[[X]], %[[WV]] {transB = 1 : i64}
func.func @ln_qkv(%x: tensor<4x2xf32>) -> (tensor<4x2xf32>, tensor<4x2xf32>, tensor<4x2xf32>) {
  %gamma = qopt.constant dense<1.0> : tensor<2xf32>
  %beta = qopt.constant dense<0.5> : tensor<2xf32>
  %ln = qopt.layer_normalization %x, %gamma, %beta : (tensor<4x2xf32>, tensor<2xf32>, tensor<2xf32>) -> tensor<4x2xf32>
  %0 = qopt.observe %ln {id = 0 : i64, name = "ln1", channel_axis = 1 : i64, min = -16.0 : f64, max = 8.0 : f64, samples = 2 : i64, channel_min = array<f32: -1.0, -16.0>, channel_max = array<f32: 1.0, 8.0>, method = "minmax", range = array<f64: -16.0, 8.0>} : tensor<4x2xf32>
  %wq = qopt.constant dense<[[1.0, -1.0], [2.0, 2.0]]> : tensor<2x2xf32>
  %wk = qopt.constant dense<[[0.5, 0.5], [4.0, -4.0]]> : tensor<2x2xf32>
  %wv = qopt.constant dense<[[1.0, 0.0], [0.0, 1.0]]> : tensor<2x2xf32>
  %q = qopt.matmul %0, %wq : (tensor<4x2xf32>, tensor<2x2xf32>) -> tensor<4x2xf32>
  %k = qopt.matmul %0, %wk : (tensor<4x2xf32>, tensor<2x2xf32>) -> tensor<4x2xf32>
  %v = qopt.gemm %0, %wv {transB = 1 : i64} : (tensor<4x2xf32>, tensor<2x2xf32>) -> tensor<4x2xf32>
  return %q, %k, %v : tensor<4x2xf32>, tensor<4x2xf32>, tensor<4x2xf32>
}

// -----

// A histogram method's range keeps its clipping ratio: percentile clipped
// [-16, 8] to [-12, 6] (3/4 of each end); after smoothing, [-1, 1] becomes
// [-0.75, 0.75]. An
// RMSNorm-style Mul by a constant absorbs the division, and a
// smooth_alpha already on the observer (from --smoothquant=auto) wins over
// the option: alpha = 1 gives s = max|X| = [1, 16].
// CHECK-LABEL: func.func @rmsnorm_mul_and_preset_alpha
// CHECK:         %[[G:.*]] = qopt.constant dense<[2.000000e+00, 1.250000e-01]> : tensor<2xf32>
// CHECK:         qopt.mul %{{.*}}, %[[G]]
// CHECK:         qopt.observe {{.*}}channel_max = array<f32: 1.000000e+00, 5.000000e-01>, channel_min = array<f32: -1.000000e+00, -1.000000e+00>, {{.*}}max = 1.000000e+00 : f64, method = "percentile=99.9", min = -1.000000e+00 : f64, {{.*}}range = array<f64: -7.500000e-01, 7.500000e-01>, samples = 2 : i64, smooth_alpha = 1.000000e+00 : f64, smoothed}
// CHECK:         qopt.constant dense<{{\[}}[1.000000e+00], [3.200000e+01]]> : tensor<2x1xf32>
func.func @rmsnorm_mul_and_preset_alpha(%x: tensor<4x2xf32>) -> tensor<4x1xf32> {
  %gamma = qopt.constant dense<[2.0, 2.0]> : tensor<2xf32>
  %n = qopt.mul %x, %gamma : (tensor<4x2xf32>, tensor<2xf32>) -> tensor<4x2xf32>
  %0 = qopt.observe %n {id = 0 : i64, name = "rms", channel_axis = 1 : i64, min = -16.0 : f64, max = 8.0 : f64, samples = 2 : i64, channel_min = array<f32: -1.0, -16.0>, channel_max = array<f32: 1.0, 8.0>, method = "percentile=99.9", range = array<f64: -12.0, 6.0>, smooth_alpha = 1.0 : f64} : tensor<4x2xf32>
  %w = qopt.constant dense<[[1.0], [2.0]]> : tensor<2x1xf32>
  %y = qopt.matmul %0, %w : (tensor<4x2xf32>, tensor<2x1xf32>) -> tensor<4x1xf32>
  return %y : tensor<4x1xf32>
}

// -----

// A preceding linear absorbs the division in its output channels, through
// a bias Add (divided too) and a Relu (which commutes with s > 0).
// max|X| = [4, 4], max|W| = [1, 4]: s = [2, 1].
// CHECK-LABEL: func.func @preceding_linear
// CHECK:         %[[W1:.*]] = qopt.constant dense<{{\[}}[5.000000e-01, 1.000000e+00], [1.500000e+00, 1.000000e+00]]>
// CHECK:         qopt.matmul %arg0, %[[W1]]
// CHECK:         %[[BIAS:.*]] = qopt.constant dense<[5.000000e-01, 1.000000e+00]>
// CHECK:         qopt.add %{{.*}}, %[[BIAS]]
// CHECK:         qopt.relu
// CHECK:         qopt.observe {{.*}}smoothed
// CHECK:         qopt.constant dense<{{\[}}[2.000000e+00], [4.000000e+00]]>
func.func @preceding_linear(%x: tensor<4x2xf32>) -> tensor<4x1xf32> {
  %w1 = qopt.constant dense<[[1.0, 1.0], [3.0, 1.0]]> : tensor<2x2xf32>
  %h = qopt.matmul %x, %w1 : (tensor<4x2xf32>, tensor<2x2xf32>) -> tensor<4x2xf32>
  %b1 = qopt.constant dense<1.0> : tensor<2xf32>
  %hb = qopt.add %h, %b1 : (tensor<4x2xf32>, tensor<2xf32>) -> tensor<4x2xf32>
  %r = qopt.relu %hb : (tensor<4x2xf32>) -> tensor<4x2xf32>
  %0 = qopt.observe %r {id = 0 : i64, name = "relu", channel_axis = 1 : i64, min = 0.0 : f64, max = 4.0 : f64, samples = 1 : i64, channel_min = array<f32: 0.0, 0.0>, channel_max = array<f32: 4.0, 4.0>, method = "minmax", range = array<f64: 0.0, 4.0>} : tensor<4x2xf32>
  %w2 = qopt.constant dense<[[1.0], [4.0]]> : tensor<2x1xf32>
  %y = qopt.matmul %0, %w2 : (tensor<4x2xf32>, tensor<2x1xf32>) -> tensor<4x1xf32>
  return %y : tensor<4x1xf32>
}

// -----

// Left as they are, each with the reason: a LayerNorm output that also
// feeds a residual Add; a tensor read by a non-linear op; a function
// argument (nothing absorbs the division); a producer that does not commute
// with a per-channel scale (Gelu).
// CHECK-LABEL: func.func @not_smoothed
// CHECK:         %[[GAMMA:.*]] = qopt.constant dense<1.000000e+00> : tensor<2xf32>
// CHECK:         qopt.layer_normalization %arg0, %[[GAMMA]]
// CHECK-NOT:     smoothed}
// CHECK:         qopt.observe {{.*}}qopt.smoothquant_skipped = "the smoothed tensor (or one on its producer chain) has other users, such as a residual branch, that would see it divided"
// CHECK:         qopt.observe {{.*}}qopt.smoothquant_skipped = "qopt.softmax reads it and is not a linear layer with a constant weight"
// CHECK:         qopt.observe {{.*}}qopt.smoothquant_skipped = "it is a function argument: nothing can absorb the scales"
// CHECK:         qopt.observe {{.*}}qopt.smoothquant_skipped = "qopt.gelu cannot absorb a per-channel scale"
// CHECK-NOT:     smoothed}
func.func @not_smoothed(%x: tensor<4x2xf32>, %arg: tensor<4x2xf32>) -> (tensor<4x2xf32>, tensor<4x1xf32>, tensor<4x2xf32>, tensor<4x1xf32>, tensor<4x1xf32>) {
  %gamma = qopt.constant dense<1.0> : tensor<2xf32>
  %ln = qopt.layer_normalization %x, %gamma : (tensor<4x2xf32>, tensor<2xf32>) -> tensor<4x2xf32>
  %res = qopt.add %ln, %x : (tensor<4x2xf32>, tensor<4x2xf32>) -> tensor<4x2xf32>
  %0 = qopt.observe %ln {id = 0 : i64, name = "ln", channel_axis = 1 : i64, samples = 1 : i64, channel_min = array<f32: -1.0, -16.0>, channel_max = array<f32: 1.0, 8.0>} : tensor<4x2xf32>
  %w = qopt.constant dense<[[1.0], [2.0]]> : tensor<2x1xf32>
  %y0 = qopt.matmul %0, %w : (tensor<4x2xf32>, tensor<2x1xf32>) -> tensor<4x1xf32>
  %e = qopt.exp %x : (tensor<4x2xf32>) -> tensor<4x2xf32>
  %1 = qopt.observe %e {id = 1 : i64, name = "exp", channel_axis = 1 : i64, samples = 1 : i64, channel_min = array<f32: 0.0, 0.0>, channel_max = array<f32: 1.0, 8.0>} : tensor<4x2xf32>
  %sm = qopt.softmax %1 : (tensor<4x2xf32>) -> tensor<4x2xf32>
  %2 = qopt.observe %arg {id = 2 : i64, name = "arg", channel_axis = 1 : i64, samples = 1 : i64, channel_min = array<f32: -1.0, -16.0>, channel_max = array<f32: 1.0, 8.0>} : tensor<4x2xf32>
  %y2 = qopt.matmul %2, %w : (tensor<4x2xf32>, tensor<2x1xf32>) -> tensor<4x1xf32>
  %g = qopt.gelu %x : (tensor<4x2xf32>) -> tensor<4x2xf32>
  %3 = qopt.observe %g {id = 3 : i64, name = "gelu", channel_axis = 1 : i64, samples = 1 : i64, channel_min = array<f32: 0.0, 0.0>, channel_max = array<f32: 1.0, 8.0>} : tensor<4x2xf32>
  %y3 = qopt.matmul %3, %w : (tensor<4x2xf32>, tensor<2x1xf32>) -> tensor<4x1xf32>
  return %res, %y0, %sm, %y2, %y3 : tensor<4x2xf32>, tensor<4x1xf32>, tensor<4x2xf32>, tensor<4x1xf32>, tensor<4x1xf32>
}

// -----

// Before calibration there is nothing to smooth with: one clear error.
func.func @uncalibrated(%x: tensor<4x2xf32>) -> tensor<4x1xf32> {
  %gamma = qopt.constant dense<1.0> : tensor<2xf32>
  %ln = qopt.layer_normalization %x, %gamma : (tensor<4x2xf32>, tensor<2xf32>) -> tensor<4x2xf32>
  // expected-error @+1 {{qopt-smoothquant needs calibrated observers (channel_min / channel_max); run the calibration first (qopt-compile --calibration=DIR)}}
  %0 = qopt.observe %ln {id = 0 : i64, name = "ln", channel_axis = 1 : i64} : tensor<4x2xf32>
  %w = qopt.constant dense<[[1.0], [2.0]]> : tensor<2x1xf32>
  %y = qopt.matmul %0, %w : (tensor<4x2xf32>, tensor<2x1xf32>) -> tensor<4x1xf32>
  return %y : tensor<4x1xf32>
}
