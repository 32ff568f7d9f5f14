// RUN: qopt-opt %s -qopt-quantize -split-input-file -verify-diagnostics | FileCheck %s
// RUN: qopt-opt %s -qopt-quantize="activation-symmetric=true" -split-input-file | FileCheck %s --check-prefix=SYM
// With weight-max=63 (AVX2 targets) the weights use [-63, 63]: column 0
// [0.5, -1.0] -> scale 1/63 (f32), q = [31 (0.5 / scale is just under 31.5),
// -63]; column 1
// [2.0, 0.0] -> scale 2/63, q = [63, 0].
// RUN: qopt-opt %s -qopt-quantize="weight-max=63" -split-input-file | FileCheck %s --check-prefix=W63
// RUN: not qopt-opt %s -qopt-quantize="weight-max=200" -split-input-file 2>&1 | FileCheck %s --check-prefix=BADMAX
// BADMAX: qopt-quantize: weight-max must be in [1, 127], got 200

// A calibrated MatMul: the activation gets a u8 QDQ pair from its range
// (the quantized tensor typed !quant.uniform<u8:f32, scale:zero point>)
// [-1, 3] (scale 4/255, zero point round(1 / (4/255)) = 64); the constant
// weight is quantized per output channel (axis 1 of [K, N]) at compile time:
// column 0 = [0.5, -1.0] -> scale 1/127, q = [64, -127] (63.5 rounds to even);
// column 1 = [2.0, 0.0] -> scale 2/127, q = [127, 0]; the i8 constant is
// viewed through quant.scast as a per-axis !quant.uniform<i8<-127:127>:f32:1>.
// CHECK-LABEL: func.func @matmul
// CHECK:         %[[OX:.*]] = qopt.observe
// CHECK-DAG:     %[[S:.*]] = qopt.constant dense<0.0156862754> : tensor<f32>
// CHECK-DAG:     %[[ZP:.*]] = qopt.constant dense<64> : tensor<ui8>
// CHECK:         %[[Q:.*]] = qopt.quantize_linear %[[OX]], %[[S]], %[[ZP]] : (tensor<4x2xf32>, tensor<f32>, tensor<ui8>) -> tensor<4x2x!quant.uniform<u8:f32, 0.015686274509803921:64>>
// CHECK:         %[[DQ:.*]] = qopt.dequantize_linear %[[Q]], %[[S]], %[[ZP]] : (tensor<4x2x!quant.uniform<u8:f32, 0.015686274509803921:64>>, tensor<f32>, tensor<ui8>) -> tensor<4x2xf32>
// CHECK-DAG:     %[[WQ:.*]] = qopt.constant dense<{{\[}}[64, 127], [-127, 0]]> : tensor<2x2xi8>
// CHECK-DAG:     %[[WS:.*]] = qopt.constant dense<[0.00787401571, 0.0157480314]> : tensor<2xf32>
// CHECK:         %[[WT:.*]] = quant.scast %[[WQ]] : tensor<2x2xi8> to tensor<2x2x!quant.uniform<i8<-127:127>:f32:1, {0.0078740157186985015,0.015748031437397003}>>
// CHECK:         %[[WDQ:.*]] = qopt.dequantize_linear %[[WT]], %[[WS]] : (tensor<2x2x!quant.uniform<i8<-127:127>:f32:1, {{.*}}>>, tensor<2xf32>) -> tensor<2x2xf32>
// CHECK:         qopt.matmul %[[DQ]], %[[WDQ]] {qopt.precision = #qopt.precision<w8a8>}
// W63-LABEL: func.func @matmul
// W63-DAG:     qopt.constant dense<{{\[}}[31, 63], [-63, 0]]> : tensor<2x2xi8>
// W63-DAG:     qopt.constant dense<[0.0158730168, 0.0317460336]> : tensor<2xf32>
// W63:         quant.scast %{{.*}} : tensor<2x2xi8> to tensor<2x2x!quant.uniform<i8<-63:63>:f32:1, {{.*}}>>
// SYM-LABEL: func.func @matmul
// SYM-DAG:     %[[S:.*]] = qopt.constant dense<0.0236220472> : tensor<f32>
// SYM-DAG:     %[[ZP:.*]] = qopt.constant dense<0> : tensor<i8>
// SYM:         qopt.quantize_linear %{{.*}}, %[[S]], %[[ZP]] : (tensor<4x2xf32>, tensor<f32>, tensor<i8>) -> tensor<4x2x!quant.uniform<i8:f32, 0.023622047244094488>>
func.func @matmul(%x: tensor<4x2xf32>) -> tensor<4x2xf32> {
  %ox = qopt.observe %x {id = 0 : i64, name = "x", min = -1.0 : f64, max = 3.0 : f64, method = "minmax", range = array<f64: -1.0, 3.0>} : tensor<4x2xf32>
  %w = qopt.constant dense<[[0.5, 2.0], [-1.0, 0.0]]> : tensor<2x2xf32>
  %y = qopt.matmul %ox, %w : (tensor<4x2xf32>, tensor<2x2xf32>) -> tensor<4x2xf32>
  return %y : tensor<4x2xf32>
}

// -----

// A Conv (weight channels on axis 0) and a Gemm (transB: axis 0) that read
// one observed tensor share one QDQ pair; biases stay float.
// CHECK-LABEL: func.func @shared_activation
// CHECK:         qopt.quantize_linear
// CHECK-NOT:     qopt.quantize_linear
// CHECK:         qopt.dequantize_linear %{{.*}}, %{{.*}} {axis = 0 : i64} : (tensor<2x1x1x1x!quant.uniform<i8<-127:127>:f32:0, {{.*}}>>, tensor<2xf32>) -> tensor<2x1x1x1xf32>
// CHECK:         qopt.conv %[[DQ:.*]], %{{.*}}, %[[B:.*]] {{{.*}}qopt.precision = #qopt.precision<w8a8>}
// CHECK:         qopt.dequantize_linear %{{.*}}, %{{.*}} {axis = 0 : i64} : (tensor<3x1x!quant.uniform<i8<-127:127>:f32:0, {{.*}}>>, tensor<3xf32>) -> tensor<3x1xf32>
// CHECK:         qopt.gemm %{{.*}}, %{{.*}}, %[[B2:.*]] {qopt.precision = #qopt.precision<w8a8>, transB = 1 : i64}
func.func @shared_activation(%x: tensor<1x1x2x2xf32>, %f: tensor<4x1xf32>) -> (tensor<1x2x2x2xf32>, tensor<4x3xf32>) {
  %ox = qopt.observe %x {id = 0 : i64, name = "x", method = "minmax", range = array<f64: 0.0, 2.0>} : tensor<1x1x2x2xf32>
  %w = qopt.constant dense<[[[[1.0]]], [[[-0.5]]]]> : tensor<2x1x1x1xf32>
  %b = qopt.constant dense<[0.1, 0.2]> : tensor<2xf32>
  %c = qopt.conv %ox, %w, %b {kernel_shape = array<i64: 1, 1>} : (tensor<1x1x2x2xf32>, tensor<2x1x1x1xf32>, tensor<2xf32>) -> tensor<1x2x2x2xf32>
  %of = qopt.observe %f {id = 1 : i64, name = "f", method = "minmax", range = array<f64: -1.0, 1.0>} : tensor<4x1xf32>
  %gw = qopt.constant dense<[[1.0], [2.0], [3.0]]> : tensor<3x1xf32>
  %gb = qopt.constant dense<[0.0, 0.0, 1.0]> : tensor<3xf32>
  %g = qopt.gemm %of, %gw, %gb {transB = 1 : i64} : (tensor<4x1xf32>, tensor<3x1xf32>, tensor<3xf32>) -> tensor<4x3xf32>
  return %c, %g : tensor<1x2x2x2xf32>, tensor<4x3xf32>
}

// -----

// Attention: both operands are calibrated activations: two QDQ pairs, no
// weight quantization.
// CHECK-LABEL: func.func @attention
// CHECK-COUNT-2: qopt.quantize_linear
// CHECK:         qopt.matmul %{{.*}}, %{{.*}} {qopt.precision = #qopt.precision<w8a8>} : (tensor<2x4x8xf32>, tensor<2x8x4xf32>)
func.func @attention(%q: tensor<2x4x8xf32>, %k: tensor<2x8x4xf32>) -> tensor<2x4x4xf32> {
  %oq = qopt.observe %q {id = 0 : i64, name = "q", method = "minmax", range = array<f64: -2.0, 2.0>} : tensor<2x4x8xf32>
  %ok = qopt.observe %k {id = 1 : i64, name = "k", method = "minmax", range = array<f64: -3.0, 1.0>} : tensor<2x8x4xf32>
  %s = qopt.matmul %oq, %ok : (tensor<2x4x8xf32>, tensor<2x8x4xf32>) -> tensor<2x4x4xf32>
  return %s : tensor<2x4x4xf32>
}

// -----

// Must not transform: the activation was observed but not calibrated (no
// range), and the other op's weight is neither constant nor observed.
// CHECK-LABEL: func.func @not_calibrated
// CHECK-NOT:     quantize_linear
// CHECK-NOT:     qopt.precision
func.func @not_calibrated(%x: tensor<4x2xf32>, %w2: tensor<2x2xf32>) -> (tensor<4x2xf32>, tensor<4x2xf32>) {
  %ox = qopt.observe %x {id = 0 : i64, name = "x"} : tensor<4x2xf32>
  %w = qopt.constant dense<1.0> : tensor<2x2xf32>
  %y = qopt.matmul %ox, %w : (tensor<4x2xf32>, tensor<2x2xf32>) -> tensor<4x2xf32>
  %oy = qopt.observe %x {id = 1 : i64, name = "x2", method = "minmax", range = array<f64: 0.0, 1.0>} : tensor<4x2xf32>
  %z = qopt.matmul %oy, %w2 : (tensor<4x2xf32>, tensor<2x2xf32>) -> tensor<4x2xf32>
  return %y, %z : tensor<4x2xf32>, tensor<4x2xf32>
}

// -----

// A qopt-assign-precision decision other than w8a8 is kept: the f32 MatMul
// stays float (no QDQ) while the w8a8 one next to it is quantized.
// CHECK-LABEL: func.func @assigned
// CHECK:         %[[OX:.*]] = qopt.observe
// CHECK:         %[[Q:.*]] = qopt.quantize_linear %[[OX]]
// CHECK:         %[[DQ:.*]] = qopt.dequantize_linear %[[Q]]
// CHECK:         qopt.matmul %[[OX]], %{{.*}} {qopt.precision = #qopt.precision<f32>} : (tensor<4x2xf32>, tensor<2x2xf32>)
// CHECK:         qopt.matmul %[[DQ]], %{{.*}} {qopt.precision = #qopt.precision<w8a8>}
func.func @assigned(%x: tensor<4x2xf32>) -> (tensor<4x2xf32>, tensor<4x2xf32>) {
  %ox = qopt.observe %x {id = 0 : i64, name = "x", min = -1.0 : f64, max = 3.0 : f64, method = "minmax", range = array<f64: -1.0, 3.0>} : tensor<4x2xf32>
  %w = qopt.constant dense<[[0.5, 2.0], [-1.0, 0.0]]> : tensor<2x2xf32>
  %f = qopt.matmul %ox, %w {qopt.precision = #qopt.precision<f32>} : (tensor<4x2xf32>, tensor<2x2xf32>) -> tensor<4x2xf32>
  %y = qopt.matmul %ox, %w {qopt.precision = #qopt.precision<w8a8>} : (tensor<4x2xf32>, tensor<2x2xf32>) -> tensor<4x2xf32>
  return %f, %y : tensor<4x2xf32>, tensor<4x2xf32>
}
