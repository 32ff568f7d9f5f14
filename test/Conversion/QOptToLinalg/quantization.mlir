// RUN: qopt-opt %s -convert-qopt-to-linalg -split-input-file | FileCheck %s

// The ONNX quantization ops lowered to linalg: QuantizeLinear divides (no
// reciprocal), rounds half to even (math.roundeven, not a truncation), adds
// the zero point and saturates (maxnumf / minnumf to the range of the result
// type); the integer matmul / conv accumulate in i32 after extending their
// 8-bit operands by the original signedness (ui8 -> extui, i8 -> extsi); the
// QLinear ops requantize the i32 accumulator in f32.

// CHECK-DAG: #[[ID:.*]] = affine_map<(d0) -> (d0)>
// CHECK-DAG: #[[SCALAR:.*]] = affine_map<(d0) -> ()>
// CHECK-LABEL: func.func @quantize_per_tensor
// CHECK-SAME:    (%[[X:.*]]: tensor<6xf32>, %[[S:.*]]: tensor<f32>, %[[ZP:.*]]: tensor<i8>) -> tensor<6xi8>
// CHECK:         %[[INIT:.*]] = tensor.empty() : tensor<6xi8>
// CHECK:         linalg.generic {indexing_maps = [#[[ID]], #[[SCALAR]], #[[SCALAR]], #[[ID]]], iterator_types = ["parallel"]}
// CHECK-SAME:      ins(%[[X]], %[[S]], %[[ZP]] : tensor<6xf32>, tensor<f32>, tensor<i8>) outs(%[[INIT]] : tensor<6xi8>)
// CHECK-NEXT:    ^bb0(%[[XV:.*]]: f32, %[[SV:.*]]: f32, %[[ZV:.*]]: i8, %{{.*}}: i8):
// CHECK-NEXT:      %[[DIV:.*]] = arith.divf %[[XV]], %[[SV]] : f32
// CHECK-NEXT:      %[[RND:.*]] = math.roundeven %[[DIV]] : f32
// CHECK-NEXT:      %[[ZF:.*]] = arith.uitofp %[[ZV]] : i8 to f32
// CHECK-NEXT:      %[[SUM:.*]] = arith.addf %[[RND]], %[[ZF]] : f32
// CHECK-NEXT:      %[[LO:.*]] = arith.constant 0.000000e+00 : f32
// CHECK-NEXT:      %[[MAX:.*]] = arith.maxnumf %[[SUM]], %[[LO]] : f32
// CHECK-NEXT:      %[[HI:.*]] = arith.constant 2.550000e+02 : f32
// CHECK-NEXT:      %[[MIN:.*]] = arith.minnumf %[[MAX]], %[[HI]] : f32
// CHECK-NEXT:      %[[I32:.*]] = arith.fptosi %[[MIN]] : f32 to i32
// CHECK-NEXT:      %[[I8:.*]] = arith.trunci %[[I32]] : i32 to i8
// CHECK-NEXT:      linalg.yield %[[I8]] : i8
// CHECK-NOT:     arith.mulf
func.func @quantize_per_tensor(%x: tensor<6xf32>, %s: tensor<f32>, %zp: tensor<ui8>) -> tensor<6xui8> {
  %0 = qopt.quantize_linear %x, %s, %zp : (tensor<6xf32>, tensor<f32>, tensor<ui8>) -> tensor<6xui8>
  return %0 : tensor<6xui8>
}

// -----

// Per axis (a negative axis, a dynamic batch): the scale and zero point are
// read along d1; an i8 zero point is signed and saturates to [-128, 127].
// CHECK-DAG: #[[ID:.*]] = affine_map<(d0, d1, d2) -> (d0, d1, d2)>
// CHECK-DAG: #[[AXIS:.*]] = affine_map<(d0, d1, d2) -> (d1)>
// CHECK-LABEL: func.func @quantize_per_axis
// CHECK-SAME:    (%[[X:.*]]: tensor<?x3x4xf32>, %[[S:.*]]: tensor<3xf32>, %[[ZP:.*]]: tensor<3xi8>)
// CHECK:         %[[DIM:.*]] = tensor.dim %[[X]], %{{.*}} : tensor<?x3x4xf32>
// CHECK:         %[[INIT:.*]] = tensor.empty(%[[DIM]]) : tensor<?x3x4xi8>
// CHECK:         linalg.generic {indexing_maps = [#[[ID]], #[[AXIS]], #[[AXIS]], #[[ID]]]
// CHECK-SAME:      ins(%[[X]], %[[S]], %[[ZP]] : tensor<?x3x4xf32>, tensor<3xf32>, tensor<3xi8>)
// CHECK:           arith.divf
// CHECK-NEXT:      math.roundeven
// CHECK-NEXT:      arith.sitofp %{{.*}} : i8 to f32
// CHECK-NEXT:      arith.addf
// CHECK-NEXT:      arith.constant -1.280000e+02 : f32
// CHECK-NEXT:      arith.maxnumf
// CHECK-NEXT:      arith.constant 1.270000e+02 : f32
// CHECK-NEXT:      arith.minnumf
// CHECK-NEXT:      arith.fptosi %{{.*}} : f32 to i32
// CHECK-NEXT:      arith.trunci %{{.*}} : i32 to i8
func.func @quantize_per_axis(%x: tensor<?x3x4xf32>, %s: tensor<3xf32>, %zp: tensor<3xi8>) -> tensor<?x3x4xi8> {
  %0 = qopt.quantize_linear %x, %s, %zp {axis = -2 : i64} : (tensor<?x3x4xf32>, tensor<3xf32>, tensor<3xi8>) -> tensor<?x3x4xi8>
  return %0 : tensor<?x3x4xi8>
}

// -----

// No zero point: uint8 with zero point 0; a one-element 1-D scale is per
// tensor, read at index 0.
// CHECK-DAG: #[[FIRST:.*]] = affine_map<(d0) -> (0)>
// CHECK-LABEL: func.func @quantize_no_zero_point
// CHECK:         linalg.generic {indexing_maps = [#{{.*}}, #[[FIRST]], #{{.*}}]
// CHECK:           %[[DIV:.*]] = arith.divf
// CHECK-NEXT:      %[[RND:.*]] = math.roundeven %[[DIV]] : f32
// CHECK-NEXT:      %[[LO:.*]] = arith.constant 0.000000e+00 : f32
// CHECK-NEXT:      arith.maxnumf %[[RND]], %[[LO]] : f32
func.func @quantize_no_zero_point(%x: tensor<4xf32>, %s: tensor<1xf32>) -> tensor<4xui8> {
  %0 = qopt.quantize_linear %x, %s : (tensor<4xf32>, tensor<1xf32>) -> tensor<4xui8>
  return %0 : tensor<4xui8>
}

// -----

// DequantizeLinear: (x - zp) in i32 (ui8 extended unsigned), then * scale.
// CHECK-DAG: #[[AXIS:.*]] = affine_map<(d0, d1) -> (d1)>
// CHECK-LABEL: func.func @dequantize_per_axis
// CHECK:         linalg.generic {indexing_maps = [#{{.*}}, #[[AXIS]], #[[AXIS]], #{{.*}}]
// CHECK-NEXT:    ^bb0(%[[XV:.*]]: i8, %[[SV:.*]]: f32, %[[ZV:.*]]: i8, %{{.*}}: f32):
// CHECK-NEXT:      %[[XI:.*]] = arith.extui %[[XV]] : i8 to i32
// CHECK-NEXT:      %[[ZI:.*]] = arith.extui %[[ZV]] : i8 to i32
// CHECK-NEXT:      %[[D:.*]] = arith.subi %[[XI]], %[[ZI]] : i32
// CHECK-NEXT:      %[[F:.*]] = arith.sitofp %[[D]] : i32 to f32
// CHECK-NEXT:      %[[Y:.*]] = arith.mulf %[[F]], %[[SV]] : f32
// CHECK-NEXT:      linalg.yield %[[Y]] : f32
func.func @dequantize_per_axis(%x: tensor<2x3xui8>, %s: tensor<3xf32>, %zp: tensor<3xui8>) -> tensor<2x3xf32> {
  %0 = qopt.dequantize_linear %x, %s, %zp {axis = 1 : i64} : (tensor<2x3xui8>, tensor<3xf32>, tensor<3xui8>) -> tensor<2x3xf32>
  return %0 : tensor<2x3xf32>
}

// -----

// An int32 input without zero point.
// CHECK-LABEL: func.func @dequantize_int32
// CHECK:         ^bb0(%[[XV:.*]]: i32, %[[SV:.*]]: f32, %{{.*}}: f32):
// CHECK-NEXT:      %[[F:.*]] = arith.sitofp %[[XV]] : i32 to f32
// CHECK-NEXT:      %[[Y:.*]] = arith.mulf %[[F]], %[[SV]] : f32
// CHECK-NEXT:      linalg.yield %[[Y]] : f32
func.func @dequantize_int32(%x: tensor<5xi32>, %s: tensor<f32>) -> tensor<5xf32> {
  %0 = qopt.dequantize_linear %x, %s : (tensor<5xi32>, tensor<f32>) -> tensor<5xf32>
  return %0 : tensor<5xf32>
}

// -----

// DynamicQuantizeLinear: max(0, max x) and min(0, min x) are reductions
// started from 0; scale = (max - min) / 255 (1 when max == min); the zero
// point is roundeven(clamp(0 - min / scale, 0, 255)).
// CHECK-LABEL: func.func @dynamic_quantize
// CHECK-SAME:    (%[[X:.*]]: tensor<3x4xf32>) -> (tensor<3x4xi8>, tensor<f32>, tensor<i8>)
// CHECK:         %[[ZERO:.*]] = arith.constant 0.000000e+00 : f32
// CHECK:         %[[MAXINIT:.*]] = linalg.fill ins(%[[ZERO]] : f32)
// CHECK:         %[[MAXT:.*]] = linalg.generic {{.*}} iterator_types = ["reduction", "reduction"]} ins(%[[X]] : tensor<3x4xf32>) outs(%[[MAXINIT]] : tensor<f32>)
// CHECK:           arith.maximumf
// CHECK:         %[[MININIT:.*]] = linalg.fill ins(%[[ZERO]] : f32)
// CHECK:         %[[MINT:.*]] = linalg.generic {{.*}} iterator_types = ["reduction", "reduction"]} ins(%[[X]] : tensor<3x4xf32>) outs(%[[MININIT]] : tensor<f32>)
// CHECK:           arith.minimumf
// CHECK:         %[[MAX:.*]] = tensor.extract %[[MAXT]][] : tensor<f32>
// CHECK:         %[[MIN:.*]] = tensor.extract %[[MINT]][] : tensor<f32>
// CHECK:         %[[RANGE:.*]] = arith.subf %[[MAX]], %[[MIN]] : f32
// CHECK:         %[[RAW:.*]] = arith.divf %[[RANGE]], %{{.*}} : f32
// CHECK:         %[[SAME:.*]] = arith.cmpf oeq, %[[MAX]], %[[MIN]] : f32
// CHECK:         %[[SCALE:.*]] = arith.select %[[SAME]], %{{.*}}, %[[RAW]] : f32
// CHECK:         %[[Q:.*]] = arith.divf %[[MIN]], %[[SCALE]] : f32
// CHECK:         %[[INITIAL:.*]] = arith.subf %{{.*}}, %[[Q]] : f32
// CHECK:         %[[C0:.*]] = arith.maxnumf %[[INITIAL]], %{{.*}} : f32
// CHECK:         %[[C1:.*]] = arith.minnumf %[[C0]], %{{.*}} : f32
// CHECK:         %[[ZPF:.*]] = math.roundeven %[[C1]] : f32
// CHECK:         %[[ZPI32:.*]] = arith.fptosi %[[ZPF]] : f32 to i32
// CHECK:         %[[ZPI8:.*]] = arith.trunci %[[ZPI32]] : i32 to i8
// CHECK:         %[[Y:.*]] = linalg.generic
// CHECK:           %[[DIV:.*]] = arith.divf %{{.*}}, %[[SCALE]] : f32
// CHECK-NEXT:      %[[RND:.*]] = math.roundeven %[[DIV]] : f32
// CHECK-NEXT:      %{{.*}} = arith.addf %[[RND]], %[[ZPF]] : f32
// CHECK:         %[[SOUT:.*]] = tensor.from_elements %[[SCALE]] : tensor<f32>
// CHECK:         %[[ZOUT:.*]] = tensor.from_elements %[[ZPI8]] : tensor<i8>
// CHECK:         return %[[Y]], %[[SOUT]], %[[ZOUT]]
func.func @dynamic_quantize(%x: tensor<3x4xf32>) -> (tensor<3x4xui8>, tensor<f32>, tensor<ui8>) {
  %y, %s, %zp = qopt.dynamic_quantize_linear %x : (tensor<3x4xf32>) -> (tensor<3x4xui8>, tensor<f32>, tensor<ui8>)
  return %y, %s, %zp : tensor<3x4xui8>, tensor<f32>, tensor<ui8>
}

// -----

// MatMulInteger, batched A against a 2-D B, a per-row zero point for A (d1 =
// M) and a per-column one for B (d2 = N): one contraction generic into a
// zero-filled i32 accumulator.
// CHECK-DAG: #[[A:.*]] = affine_map<(d0, d1, d2, d3) -> (d0, d1, d3)>
// CHECK-DAG: #[[B:.*]] = affine_map<(d0, d1, d2, d3) -> (d3, d2)>
// CHECK-DAG: #[[ROW:.*]] = affine_map<(d0, d1, d2, d3) -> (d1)>
// CHECK-DAG: #[[COL:.*]] = affine_map<(d0, d1, d2, d3) -> (d2)>
// CHECK-DAG: #[[OUT:.*]] = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2)>
// CHECK-LABEL: func.func @matmul_integer
// CHECK-SAME:    (%[[A0:.*]]: tensor<2x4x3xi8>, %[[B0:.*]]: tensor<3x5xi8>, %[[AZP:.*]]: tensor<4xi8>, %[[BZP:.*]]: tensor<5xi8>) -> tensor<2x4x5xi32>
// CHECK:         %[[ZERO:.*]] = arith.constant 0 : i32
// CHECK:         %[[ACC:.*]] = linalg.fill ins(%[[ZERO]] : i32) outs(%{{.*}} : tensor<2x4x5xi32>)
// CHECK:         %[[R:.*]] = linalg.generic {indexing_maps = [#[[A]], #[[B]], #[[ROW]], #[[COL]], #[[OUT]]], iterator_types = ["parallel", "parallel", "parallel", "reduction"]}
// CHECK-SAME:      ins(%[[A0]], %[[B0]], %[[AZP]], %[[BZP]] : tensor<2x4x3xi8>, tensor<3x5xi8>, tensor<4xi8>, tensor<5xi8>) outs(%[[ACC]] : tensor<2x4x5xi32>)
// CHECK-NEXT:    ^bb0(%[[AV:.*]]: i8, %[[BV:.*]]: i8, %[[AZV:.*]]: i8, %[[BZV:.*]]: i8, %[[OUTV:.*]]: i32):
// CHECK-NEXT:      %[[AE:.*]] = arith.extui %[[AV]] : i8 to i32
// CHECK-NEXT:      %[[BE:.*]] = arith.extsi %[[BV]] : i8 to i32
// CHECK-NEXT:      %[[AZE:.*]] = arith.extui %[[AZV]] : i8 to i32
// CHECK-NEXT:      %[[AS:.*]] = arith.subi %[[AE]], %[[AZE]] : i32
// CHECK-NEXT:      %[[BZE:.*]] = arith.extsi %[[BZV]] : i8 to i32
// CHECK-NEXT:      %[[BS:.*]] = arith.subi %[[BE]], %[[BZE]] : i32
// CHECK-NEXT:      %[[P:.*]] = arith.muli %[[AS]], %[[BS]] : i32
// CHECK-NEXT:      %[[SUM:.*]] = arith.addi %[[OUTV]], %[[P]] : i32
// CHECK-NEXT:      linalg.yield %[[SUM]] : i32
// CHECK:         return %[[R]] : tensor<2x4x5xi32>
func.func @matmul_integer(%a: tensor<2x4x3xui8>, %b: tensor<3x5xi8>, %azp: tensor<4xui8>, %bzp: tensor<5xi8>) -> tensor<2x4x5xi32> {
  %0 = qopt.matmul_integer %a, %b a_zero_point %azp b_zero_point %bzp : (tensor<2x4x3xui8>, tensor<3x5xi8>, tensor<4xui8>, tensor<5xi8>) -> tensor<2x4x5xi32>
  return %0 : tensor<2x4x5xi32>
}

// -----

// Without zero points, with a dynamic M.
// CHECK-LABEL: func.func @matmul_integer_no_zero_points
// CHECK-SAME:    (%[[A0:.*]]: tensor<?x3xi8>, %[[B0:.*]]: tensor<3x2xi8>)
// CHECK:         %[[M:.*]] = tensor.dim %[[A0]], %{{.*}} : tensor<?x3xi8>
// CHECK:         tensor.empty(%[[M]]) : tensor<?x2xi32>
// CHECK:         linalg.generic
// CHECK-NEXT:    ^bb0(%[[AV:.*]]: i8, %[[BV:.*]]: i8, %[[OUTV:.*]]: i32):
// CHECK-NEXT:      %[[AE:.*]] = arith.extsi %[[AV]] : i8 to i32
// CHECK-NEXT:      %[[BE:.*]] = arith.extsi %[[BV]] : i8 to i32
// CHECK-NEXT:      %[[P:.*]] = arith.muli %[[AE]], %[[BE]] : i32
// CHECK-NEXT:      %[[SUM:.*]] = arith.addi %[[OUTV]], %[[P]] : i32
// CHECK-NEXT:      linalg.yield %[[SUM]] : i32
func.func @matmul_integer_no_zero_points(%a: tensor<?x3xi8>, %b: tensor<3x2xi8>) -> tensor<?x2xi32> {
  %0 = qopt.matmul_integer %a, %b : (tensor<?x3xi8>, tensor<3x2xi8>) -> tensor<?x2xi32>
  return %0 : tensor<?x2xi32>
}

// -----

// QLinearMatMul: the i32 contraction, then one elementwise generic that
// requantizes: roundeven(float(acc) * (a_scale * b_scale / y_scale)) + y_zp,
// saturated to i8. b_scale / b_zero_point are per column (d1 = N).
// CHECK-DAG: #[[COL:.*]] = affine_map<(d0, d1) -> (d1)>
// CHECK-DAG: #[[FIRST:.*]] = affine_map<(d0, d1) -> (0)>
// CHECK-DAG: #[[SCALAR:.*]] = affine_map<(d0, d1) -> ()>
// CHECK-DAG: #[[ID:.*]] = affine_map<(d0, d1) -> (d0, d1)>
// CHECK-LABEL: func.func @qlinear_matmul
// CHECK-SAME:    (%[[A0:.*]]: tensor<2x4xi8>, %[[AS:.*]]: tensor<1xf32>, %[[AZP:.*]]: tensor<1xi8>, %[[B0:.*]]: tensor<4x3xi8>, %[[BS:.*]]: tensor<3xf32>, %[[BZP:.*]]: tensor<3xi8>, %[[YS:.*]]: tensor<f32>, %[[YZP:.*]]: tensor<i8>)
// CHECK:         %[[ACC:.*]] = linalg.generic
// CHECK-SAME:      ins(%[[A0]], %[[B0]], %[[AZP]], %[[BZP]] : {{.*}}) outs(%{{.*}} : tensor<2x3xi32>)
// CHECK:           arith.extui
// CHECK:           arith.extsi
// CHECK:           arith.muli %{{.*}}, %{{.*}} : i32
// CHECK:           arith.addi %{{.*}}, %{{.*}} : i32
// CHECK:         linalg.generic {indexing_maps = [#[[ID]], #[[FIRST]], #[[COL]], #[[SCALAR]], #[[SCALAR]], #[[ID]]], iterator_types = ["parallel", "parallel"]}
// CHECK-SAME:      ins(%[[ACC]], %[[AS]], %[[BS]], %[[YS]], %[[YZP]] : tensor<2x3xi32>, tensor<1xf32>, tensor<3xf32>, tensor<f32>, tensor<i8>) outs(%{{.*}} : tensor<2x3xi8>)
// CHECK-NEXT:    ^bb0(%[[ACCV:.*]]: i32, %[[ASV:.*]]: f32, %[[BSV:.*]]: f32, %[[YSV:.*]]: f32, %[[YZV:.*]]: i8, %{{.*}}: i8):
// CHECK-NEXT:      %[[AB:.*]] = arith.mulf %[[ASV]], %[[BSV]] : f32
// CHECK-NEXT:      %[[MULT:.*]] = arith.divf %[[AB]], %[[YSV]] : f32
// CHECK-NEXT:      %[[ACCF:.*]] = arith.sitofp %[[ACCV]] : i32 to f32
// CHECK-NEXT:      %[[SCALED:.*]] = arith.mulf %[[ACCF]], %[[MULT]] : f32
// CHECK-NEXT:      %[[RND:.*]] = math.roundeven %[[SCALED]] : f32
// CHECK-NEXT:      %[[ZF:.*]] = arith.sitofp %[[YZV]] : i8 to f32
// CHECK-NEXT:      %[[SUM:.*]] = arith.addf %[[RND]], %[[ZF]] : f32
// CHECK-NEXT:      %[[LO:.*]] = arith.constant -1.280000e+02 : f32
// CHECK-NEXT:      %[[MAX:.*]] = arith.maxnumf %[[SUM]], %[[LO]] : f32
// CHECK-NEXT:      %[[HI:.*]] = arith.constant 1.270000e+02 : f32
// CHECK-NEXT:      %[[MIN:.*]] = arith.minnumf %[[MAX]], %[[HI]] : f32
// CHECK-NEXT:      %[[I32:.*]] = arith.fptosi %[[MIN]] : f32 to i32
// CHECK-NEXT:      %[[I8:.*]] = arith.trunci %[[I32]] : i32 to i8
// CHECK-NEXT:      linalg.yield %[[I8]] : i8
func.func @qlinear_matmul(%a: tensor<2x4xui8>, %as: tensor<1xf32>, %azp: tensor<1xui8>, %b: tensor<4x3xi8>, %bs: tensor<3xf32>, %bzp: tensor<3xi8>, %ys: tensor<f32>, %yzp: tensor<i8>) -> tensor<2x3xi8> {
  %0 = qopt.qlinear_matmul %a, %as, %azp, %b, %bs, %bzp, %ys, %yzp : (tensor<2x4xui8>, tensor<1xf32>, tensor<1xui8>, tensor<4x3xi8>, tensor<3xf32>, tensor<3xi8>, tensor<f32>, tensor<i8>) -> tensor<2x3xi8>
  return %0 : tensor<2x3xi8>
}

// -----

// ConvInteger with 2 groups, pads and strides: x is padded with its zero
// point (padded taps contribute 0); loops (n, m, oh, ow, c, kh, kw), the
// input channel of group m / 3 being (m floordiv 3) * 2 + c; the weight zero
// point is per output channel.
// CHECK-DAG: #[[X:.*]] = affine_map<(d0, d1, d2, d3, d4, d5, d6) -> (d0, (d1 floordiv 3) * 2 + d4, d2 * 2 + d5, d3 * 2 + d6)>
// CHECK-DAG: #[[W:.*]] = affine_map<(d0, d1, d2, d3, d4, d5, d6) -> (d1, d4, d5, d6)>
// CHECK-DAG: #[[SCALAR:.*]] = affine_map<(d0, d1, d2, d3, d4, d5, d6) -> ()>
// CHECK-DAG: #[[CHAN:.*]] = affine_map<(d0, d1, d2, d3, d4, d5, d6) -> (d1)>
// CHECK-DAG: #[[OUT:.*]] = affine_map<(d0, d1, d2, d3, d4, d5, d6) -> (d0, d1, d2, d3)>
// CHECK-LABEL: func.func @conv_integer
// CHECK-SAME:    (%[[X0:.*]]: tensor<1x4x5x5xi8>, %[[W0:.*]]: tensor<6x2x3x3xi8>, %[[XZP:.*]]: tensor<i8>, %[[WZP:.*]]: tensor<6xi8>)
// CHECK:         %[[PADV:.*]] = tensor.extract %[[XZP]][] : tensor<i8>
// CHECK:         %[[PADE:.*]] = tensor.empty() : tensor<1x4x7x7xi8>
// CHECK:         %[[PADF:.*]] = linalg.fill ins(%[[PADV]] : i8) outs(%[[PADE]] : tensor<1x4x7x7xi8>)
// CHECK:         %[[PADDED:.*]] = tensor.insert_slice %[[X0]] into %[[PADF]][0, 0, 1, 1] [1, 4, 5, 5] [1, 1, 1, 1]
// CHECK:         %[[ACC:.*]] = linalg.fill ins(%{{.*}} : i32) outs(%{{.*}} : tensor<1x6x3x3xi32>)
// CHECK:         linalg.generic {indexing_maps = [#[[X]], #[[W]], #[[SCALAR]], #[[CHAN]], #[[OUT]]], iterator_types = ["parallel", "parallel", "parallel", "parallel", "reduction", "reduction", "reduction"]}
// CHECK-SAME:      ins(%[[PADDED]], %[[W0]], %[[XZP]], %[[WZP]] : tensor<1x4x7x7xi8>, tensor<6x2x3x3xi8>, tensor<i8>, tensor<6xi8>) outs(%[[ACC]] : tensor<1x6x3x3xi32>)
// CHECK:           arith.extui %{{.*}} : i8 to i32
// CHECK:           arith.subi
// CHECK:           arith.subi
// CHECK:           %[[P:.*]] = arith.muli %{{.*}}, %{{.*}} : i32
// CHECK-NEXT:      %[[SUM:.*]] = arith.addi %{{.*}}, %[[P]] : i32
// CHECK-NEXT:      linalg.yield %[[SUM]] : i32
func.func @conv_integer(%x: tensor<1x4x5x5xui8>, %w: tensor<6x2x3x3xui8>, %xzp: tensor<ui8>, %wzp: tensor<6xui8>) -> tensor<1x6x3x3xi32> {
  %0 = qopt.conv_integer %x, %w x_zero_point %xzp w_zero_point %wzp {group = 2 : i64, pads = array<i64: 1, 1, 1, 1>, strides = array<i64: 2, 2>} : (tensor<1x4x5x5xui8>, tensor<6x2x3x3xui8>, tensor<ui8>, tensor<6xui8>) -> tensor<1x6x3x3xi32>
  return %0 : tensor<1x6x3x3xi32>
}

// -----

// QLinearConv with dilations and an i32 bias: no padding, the bias is added
// to the accumulator (per output channel) before requantization; w_scale is
// per output channel.
// CHECK-DAG: #[[X:.*]] = affine_map<(d0, d1, d2, d3, d4, d5, d6) -> (d0, d4, d2 + d5 * 2, d3 + d6 * 2)>
// CHECK-DAG: #[[ID:.*]] = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>
// CHECK-DAG: #[[CHAN:.*]] = affine_map<(d0, d1, d2, d3) -> (d1)>
// CHECK-DAG: #[[SCALAR:.*]] = affine_map<(d0, d1, d2, d3) -> ()>
// CHECK-LABEL: func.func @qlinear_conv
// CHECK-SAME:    (%[[X0:.*]]: tensor<1x2x4x4xi8>, %[[XS:.*]]: tensor<f32>, %[[XZP:.*]]: tensor<i8>, %[[W0:.*]]: tensor<3x2x2x2xi8>, %[[WS:.*]]: tensor<3xf32>, %[[WZP:.*]]: tensor<3xi8>, %[[YS:.*]]: tensor<f32>, %[[YZP:.*]]: tensor<i8>, %[[BIAS:.*]]: tensor<3xi32>)
// CHECK-NOT:     tensor.insert_slice
// CHECK:         %[[ACC:.*]] = linalg.generic {indexing_maps = [#[[X]],
// CHECK-SAME:      ins(%[[X0]], %[[W0]], %[[XZP]], %[[WZP]] :
// CHECK:           arith.extsi
// CHECK:         linalg.generic {indexing_maps = [#[[ID]], #[[CHAN]], #[[SCALAR]], #[[CHAN]], #[[SCALAR]], #[[SCALAR]], #[[ID]]]
// CHECK-SAME:      ins(%[[ACC]], %[[BIAS]], %[[XS]], %[[WS]], %[[YS]], %[[YZP]] :
// CHECK-NEXT:    ^bb0(%[[ACCV:.*]]: i32, %[[BV:.*]]: i32, %[[XSV:.*]]: f32, %[[WSV:.*]]: f32, %[[YSV:.*]]: f32, %[[YZV:.*]]: i8, %{{.*}}: i8):
// CHECK-NEXT:      %[[BIASED:.*]] = arith.addi %[[ACCV]], %[[BV]] : i32
// CHECK-NEXT:      %[[XW:.*]] = arith.mulf %[[XSV]], %[[WSV]] : f32
// CHECK-NEXT:      %[[MULT:.*]] = arith.divf %[[XW]], %[[YSV]] : f32
// CHECK-NEXT:      %[[ACCF:.*]] = arith.sitofp %[[BIASED]] : i32 to f32
// CHECK-NEXT:      %[[SCALED:.*]] = arith.mulf %[[ACCF]], %[[MULT]] : f32
// CHECK-NEXT:      %[[RND:.*]] = math.roundeven %[[SCALED]] : f32
// CHECK-NEXT:      %[[ZF:.*]] = arith.uitofp %[[YZV]] : i8 to f32
// CHECK-NEXT:      %[[SUM:.*]] = arith.addf %[[RND]], %[[ZF]] : f32
// CHECK-NEXT:      %[[LO:.*]] = arith.constant 0.000000e+00 : f32
// CHECK-NEXT:      arith.maxnumf %[[SUM]], %[[LO]] : f32
// CHECK-NEXT:      %[[HI:.*]] = arith.constant 2.550000e+02 : f32
// CHECK-NEXT:      arith.minnumf %{{.*}}, %[[HI]] : f32
func.func @qlinear_conv(%x: tensor<1x2x4x4xi8>, %xs: tensor<f32>, %xzp: tensor<i8>, %w: tensor<3x2x2x2xi8>, %ws: tensor<3xf32>, %wzp: tensor<3xi8>, %ys: tensor<f32>, %yzp: tensor<ui8>, %bias: tensor<3xi32>) -> tensor<1x3x2x2xui8> {
  %0 = qopt.qlinear_conv %x, %xs, %xzp, %w, %ws, %wzp, %ys, %yzp, %bias {dilations = array<i64: 2, 2>} : (tensor<1x2x4x4xi8>, tensor<f32>, tensor<i8>, tensor<3x2x2x2xi8>, tensor<3xf32>, tensor<3xi8>, tensor<f32>, tensor<ui8>, tensor<3xi32>) -> tensor<1x3x2x2xui8>
  return %0 : tensor<1x3x2x2xui8>
}

// -----

// !quant.uniform tensors (qopt-quantize's output) lower to their storage:
// u8 saturates to [0, 255] like ui8, the dequantize extends unsigned, and
// quant.scast of a constant weight is the identity on i8 storage (extended
// signed).
// CHECK-LABEL: func.func @quantize_uniform
// CHECK-SAME:    (%[[X:.*]]: tensor<6xf32>, %[[W:.*]]: tensor<6xi8>)
// CHECK:         %[[Q:.*]] = linalg.generic
// CHECK:           arith.constant 2.550000e+02 : f32
// CHECK:         } -> tensor<6xi8>
// CHECK:         linalg.generic {{.*}} ins(%[[Q]], {{.*}} : tensor<6xi8>, tensor<f32>, tensor<i8>)
// CHECK:           arith.extui %{{.*}} : i8 to i32
// CHECK:         linalg.generic {{.*}} ins(%[[W]], {{.*}} : tensor<6xi8>, tensor<f32>)
// CHECK:           arith.extsi %{{.*}} : i8 to i32
// CHECK-NOT:     quant.scast
// CHECK-NOT:     unrealized_conversion_cast
func.func @quantize_uniform(%x: tensor<6xf32>, %w: tensor<6xi8>) -> (tensor<6xf32>, tensor<6xf32>) {
  %s = qopt.constant dense<0.5> : tensor<f32>
  %zp = qopt.constant dense<10> : tensor<ui8>
  %q = qopt.quantize_linear %x, %s, %zp : (tensor<6xf32>, tensor<f32>, tensor<ui8>) -> tensor<6x!quant.uniform<u8:f32, 0.5:10>>
  %dq = qopt.dequantize_linear %q, %s, %zp : (tensor<6x!quant.uniform<u8:f32, 0.5:10>>, tensor<f32>, tensor<ui8>) -> tensor<6xf32>
  %wt = quant.scast %w : tensor<6xi8> to tensor<6x!quant.uniform<i8<-127:127>:f32, 0.5>>
  %wdq = qopt.dequantize_linear %wt, %s : (tensor<6x!quant.uniform<i8<-127:127>:f32, 0.5>>, tensor<f32>) -> tensor<6xf32>
  return %dq, %wdq : tensor<6xf32>, tensor<6xf32>
}

// -----

// Weight-only dequantization: an index generic over the weight; each
// element extracts its byte (k / codes-per-byte), shifts by its position
// in the byte and masks, then scales by its group's scale (k / group_size)
// around the zero point (2^(bits-1) without zero_points).
// CHECK-LABEL: func.func @dequantize_groupwise
// CHECK:         linalg.generic
// CHECK:           %[[K:.*]] = linalg.index 0 : index
// CHECK:           %[[N:.*]] = linalg.index 1 : index
// CHECK:           %[[BYTE:.*]] = arith.divui %[[K]], %c2
// CHECK:           tensor.extract %arg0[%[[BYTE]], %[[N]]] : tensor<2x2xi8>
// CHECK:           arith.extui
// CHECK:           arith.shrui
// CHECK:           arith.andi %{{.*}}, %c15_i32
// CHECK:           %[[G:.*]] = arith.divui %[[K]], %c2
// CHECK:           tensor.extract %arg1[%[[G]], %[[N]]] : tensor<2x2xf32>
// CHECK:           arith.sitofp
// CHECK:           arith.subf %{{.*}}, %cst
// CHECK:           arith.mulf
// CHECK-LABEL: func.func @lookup_codebook
// CHECK:         linalg.generic
// CHECK:           %[[N:.*]] = linalg.index 1 : index
// CHECK:           arith.andi %{{.*}}, %c15_i32
// CHECK:           %[[I:.*]] = arith.index_cast
// CHECK:           tensor.extract %arg1[%[[N]], %[[I]]] : tensor<2x16xf32>
func.func @dequantize_groupwise(%codes: tensor<2x2xui8>, %scales: tensor<2x2xf32>) -> tensor<4x2xf32> {
  %w = qopt.dequantize_groupwise %codes, %scales {bits = 4 : i64, group_size = 2 : i64} : (tensor<2x2xui8>, tensor<2x2xf32>) -> tensor<4x2xf32>
  return %w : tensor<4x2xf32>
}
func.func @lookup_codebook(%codes: tensor<2x2xui8>, %codebook: tensor<2x16xf32>) -> tensor<4x2xf32> {
  %w = qopt.lookup_codebook %codes, %codebook {bits = 4 : i64} : (tensor<2x2xui8>, tensor<2x16xf32>) -> tensor<4x2xf32>
  return %w : tensor<4x2xf32>
}
