// RUN: qopt-opt %s -qopt-fuse-qdq -split-input-file -verify-diagnostics | FileCheck %s
// Without the integer kernel (no AVX-512 VNNI) nothing is rewritten.
// RUN: qopt-opt %s -qopt-fuse-qdq="integer-kernel=false" -split-input-file | FileCheck %s --check-prefix=OFF

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
