// RUN: qopt-opt %s -convert-qopt-to-linalg -split-input-file | FileCheck %s

// Elementwise qopt ops lowered to one linalg.generic each: numpy broadcasting
// maps (operands aligned to the right, size-1 dims read index 0, rank-0
// operands read with an empty map), dynamic result dims from tensor.dim of
// the operands, the arith op chosen by the original signedness, ONNX Cast
// semantics and the scalar bodies of Where / Clip / a few activations.

// A lower-rank operand is aligned to the right; a size-1 dim that broadcasts
// reads index 0 instead of the loop index.
// CHECK-DAG:   #[[ID:map[0-9]*]] = affine_map<(d0, d1) -> (d0, d1)>
// CHECK-DAG:   #[[ROW:map[0-9]*]] = affine_map<(d0, d1) -> (d1)>
// CHECK-DAG:   #[[BCAST0:map[0-9]*]] = affine_map<(d0, d1) -> (0, d1)>
// CHECK-LABEL: func.func @broadcast_rank_and_size1
// CHECK-SAME:    %[[A:.*]]: tensor<2x3xf32>, %[[B:.*]]: tensor<3xf32>, %[[C:.*]]: tensor<1x3xf32>
// CHECK:         %[[E0:.*]] = tensor.empty() : tensor<2x3xf32>
// CHECK:         %[[SUM:.*]] = linalg.generic {indexing_maps = [#[[ID]], #[[ROW]], #[[ID]]], iterator_types = ["parallel", "parallel"]}
// CHECK-SAME:      ins(%[[A]], %[[B]] : tensor<2x3xf32>, tensor<3xf32>) outs(%[[E0]] : tensor<2x3xf32>)
// CHECK:         ^bb0(%[[X:.*]]: f32, %[[Y:.*]]: f32, %{{.*}}: f32):
// CHECK:           %[[ADD:.*]] = arith.addf %[[X]], %[[Y]] : f32
// CHECK:           linalg.yield %[[ADD]] : f32
// CHECK:         %[[E1:.*]] = tensor.empty() : tensor<2x3xf32>
// CHECK:         %[[PROD:.*]] = linalg.generic {indexing_maps = [#[[ID]], #[[BCAST0]], #[[ID]]], iterator_types = ["parallel", "parallel"]}
// CHECK-SAME:      ins(%[[SUM]], %[[C]] : tensor<2x3xf32>, tensor<1x3xf32>) outs(%[[E1]] : tensor<2x3xf32>)
// CHECK:           arith.mulf
// CHECK:         return %[[PROD]]
func.func @broadcast_rank_and_size1(%a: tensor<2x3xf32>, %b: tensor<3xf32>, %c: tensor<1x3xf32>) -> tensor<2x3xf32> {
  %0 = qopt.add %a, %b : (tensor<2x3xf32>, tensor<3xf32>) -> tensor<2x3xf32>
  %1 = qopt.mul %0, %c : (tensor<2x3xf32>, tensor<1x3xf32>) -> tensor<2x3xf32>
  return %1 : tensor<2x3xf32>
}

// -----

// A rank-0 operand is read with the empty map.
// CHECK-DAG:   #[[ID:map[0-9]*]] = affine_map<(d0, d1) -> (d0, d1)>
// CHECK-DAG:   #[[SCALAR:map[0-9]*]] = affine_map<(d0, d1) -> ()>
// CHECK-LABEL: func.func @broadcast_rank0
// CHECK-SAME:    %[[A:.*]]: tensor<2x3xf32>, %[[S:.*]]: tensor<f32>
// CHECK:         linalg.generic {indexing_maps = [#[[ID]], #[[SCALAR]], #[[ID]]], iterator_types = ["parallel", "parallel"]}
// CHECK-SAME:      ins(%[[A]], %[[S]] : tensor<2x3xf32>, tensor<f32>)
// CHECK:         ^bb0(%[[X:.*]]: f32, %[[Y:.*]]: f32, %{{.*}}: f32):
// CHECK:           arith.subf %[[X]], %[[Y]] : f32
func.func @broadcast_rank0(%a: tensor<2x3xf32>, %s: tensor<f32>) -> tensor<2x3xf32> {
  %0 = qopt.sub %a, %s : (tensor<2x3xf32>, tensor<f32>) -> tensor<2x3xf32>
  return %0 : tensor<2x3xf32>
}

// -----

// A dynamic result dim is read from every operand whose dim there is not a
// static 1; two dynamic sizes meet in arith.maxui. The ?x1 operand still
// broadcasts along d1.
// CHECK-DAG:   #[[ID:map[0-9]*]] = affine_map<(d0, d1) -> (d0, d1)>
// CHECK-DAG:   #[[COL0:map[0-9]*]] = affine_map<(d0, d1) -> (d0, 0)>
// CHECK-LABEL: func.func @dynamic_dims
// CHECK-SAME:    %[[A:.*]]: tensor<?x4xf32>, %[[B:.*]]: tensor<?x1xf32>
// CHECK-DAG:     %[[DA:.*]] = tensor.dim %[[A]], %{{.*}} : tensor<?x4xf32>
// CHECK-DAG:     %[[DB:.*]] = tensor.dim %[[B]], %{{.*}} : tensor<?x1xf32>
// CHECK:         %[[N:.*]] = arith.maxui %[[DA]], %[[DB]] : index
// CHECK:         %[[E:.*]] = tensor.empty(%[[N]]) : tensor<?x4xf32>
// CHECK:         linalg.generic {indexing_maps = [#[[ID]], #[[COL0]], #[[ID]]], iterator_types = ["parallel", "parallel"]}
// CHECK-SAME:      ins(%[[A]], %[[B]] : tensor<?x4xf32>, tensor<?x1xf32>) outs(%[[E]] : tensor<?x4xf32>)
func.func @dynamic_dims(%a: tensor<?x4xf32>, %b: tensor<?x1xf32>) -> tensor<?x4xf32> {
  %0 = qopt.add %a, %b : (tensor<?x4xf32>, tensor<?x1xf32>) -> tensor<?x4xf32>
  return %0 : tensor<?x4xf32>
}

// -----

// An outer product of dynamic vectors: each result dim has a single source,
// so no maxui; both operands broadcast along their static-1 dim.
// CHECK-DAG:   #[[COL0:map[0-9]*]] = affine_map<(d0, d1) -> (d0, 0)>
// CHECK-DAG:   #[[ROW0:map[0-9]*]] = affine_map<(d0, d1) -> (0, d1)>
// CHECK-DAG:   #[[ID:map[0-9]*]] = affine_map<(d0, d1) -> (d0, d1)>
// CHECK-LABEL: func.func @dynamic_outer
// CHECK-SAME:    %[[A:.*]]: tensor<?x1xf32>, %[[B:.*]]: tensor<1x?xf32>
// CHECK-DAG:     %[[M:.*]] = tensor.dim %[[A]], %{{.*}} : tensor<?x1xf32>
// CHECK-DAG:     %[[N:.*]] = tensor.dim %[[B]], %{{.*}} : tensor<1x?xf32>
// CHECK-NOT:     arith.maxui
// CHECK:         %[[E:.*]] = tensor.empty(%[[M]], %[[N]]) : tensor<?x?xf32>
// CHECK:         linalg.generic {indexing_maps = [#[[COL0]], #[[ROW0]], #[[ID]]]
func.func @dynamic_outer(%a: tensor<?x1xf32>, %b: tensor<1x?xf32>) -> tensor<?x?xf32> {
  %0 = qopt.mul %a, %b : (tensor<?x1xf32>, tensor<1x?xf32>) -> tensor<?x?xf32>
  return %0 : tensor<?x?xf32>
}

// -----

// Unsigned integers become signless in the signature and in the body, and
// their signedness picks the unsigned arith ops.
// CHECK-LABEL: func.func @unsigned_ops
// CHECK-SAME:    (%[[A:.*]]: tensor<4xi8>, %[[B:.*]]: tensor<4xi8>) -> (tensor<4xi8>, tensor<4xi1>, tensor<4xi8>)
// CHECK:         ^bb0(%[[X0:.*]]: i8, %[[Y0:.*]]: i8, %{{.*}}: i8):
// CHECK:           arith.divui %[[X0]], %[[Y0]] : i8
// CHECK:         ^bb0(%[[X1:.*]]: i8, %[[Y1:.*]]: i8, %{{.*}}: i1):
// CHECK:           arith.cmpi ult, %[[X1]], %[[Y1]] : i8
// CHECK:         ^bb0(%[[X2:.*]]: i8, %[[Y2:.*]]: i8, %{{.*}}: i8):
// CHECK:           arith.maxui %[[X2]], %[[Y2]] : i8
func.func @unsigned_ops(%a: tensor<4xui8>, %b: tensor<4xui8>) -> (tensor<4xui8>, tensor<4xi1>, tensor<4xui8>) {
  %0 = qopt.div %a, %b : (tensor<4xui8>, tensor<4xui8>) -> tensor<4xui8>
  %1 = qopt.less %a, %b : (tensor<4xui8>, tensor<4xui8>) -> tensor<4xi1>
  %2 = qopt.max %a, %b : (tensor<4xui8>, tensor<4xui8>) -> tensor<4xui8>
  return %0, %1, %2 : tensor<4xui8>, tensor<4xi1>, tensor<4xui8>
}

// -----

// The same ops on signed integers.
// CHECK-LABEL: func.func @signed_ops
// CHECK:           arith.divsi %{{.*}}, %{{.*}} : i8
// CHECK:           arith.cmpi slt, %{{.*}}, %{{.*}} : i8
// CHECK:           arith.maxsi %{{.*}}, %{{.*}} : i8
func.func @signed_ops(%a: tensor<4xi8>, %b: tensor<4xi8>) -> (tensor<4xi8>, tensor<4xi1>, tensor<4xi8>) {
  %0 = qopt.div %a, %b : (tensor<4xi8>, tensor<4xi8>) -> tensor<4xi8>
  %1 = qopt.less %a, %b : (tensor<4xi8>, tensor<4xi8>) -> tensor<4xi1>
  %2 = qopt.max %a, %b : (tensor<4xi8>, tensor<4xi8>) -> tensor<4xi8>
  return %0, %1, %2 : tensor<4xi8>, tensor<4xi1>, tensor<4xi8>
}

// -----

// Cast between integers: widening follows the source signedness (bool
// zero-extends), casting to bool compares with zero, and a change of
// signedness alone copies the bits.
// CHECK-LABEL: func.func @cast_integers
// CHECK-SAME:    %[[U8:.*]]: tensor<4xi8>, %[[I8:.*]]: tensor<4xi8>, %[[B:.*]]: tensor<4xi1>
// CHECK:         ins(%[[U8]] : tensor<4xi8>)
// CHECK:           arith.extui %{{.*}} : i8 to i32
// CHECK:         ins(%[[I8]] : tensor<4xi8>)
// CHECK:           arith.extsi %{{.*}} : i8 to i32
// CHECK:         ins(%[[B]] : tensor<4xi1>)
// CHECK:           arith.extui %{{.*}} : i1 to i64
// CHECK:         ins(%[[I8]] : tensor<4xi8>)
// CHECK:         ^bb0(%[[V:.*]]: i8, %{{.*}}: i1):
// CHECK:           %[[ZERO:.*]] = arith.constant 0 : i8
// CHECK:           %[[NZ:.*]] = arith.cmpi ne, %[[V]], %[[ZERO]] : i8
// CHECK:           linalg.yield %[[NZ]] : i1
// CHECK:         ins(%[[U8]] : tensor<4xi8>)
// CHECK:         ^bb0(%[[W:.*]]: i8, %{{.*}}: i8):
// CHECK-NEXT:      linalg.yield %[[W]] : i8
func.func @cast_integers(%u8: tensor<4xui8>, %i8: tensor<4xi8>, %b: tensor<4xi1>) -> (tensor<4xi32>, tensor<4xi32>, tensor<4xi64>, tensor<4xi1>, tensor<4xi8>) {
  %0 = qopt.cast %u8 : (tensor<4xui8>) -> tensor<4xi32>
  %1 = qopt.cast %i8 : (tensor<4xi8>) -> tensor<4xi32>
  %2 = qopt.cast %b : (tensor<4xi1>) -> tensor<4xi64>
  %3 = qopt.cast %i8 : (tensor<4xi8>) -> tensor<4xi1>
  %4 = qopt.cast %u8 : (tensor<4xui8>) -> tensor<4xi8>
  return %0, %1, %2, %3, %4 : tensor<4xi32>, tensor<4xi32>, tensor<4xi64>, tensor<4xi1>, tensor<4xi8>
}

// -----

// Cast between floats and integers: the signedness of the integer side picks
// fptoui / fptosi and uitofp / sitofp (bool is unsigned), float to bool is
// "not equal to 0" (unordered, so NaN is true), and bf16 <-> f16 goes through
// f32.
// CHECK-LABEL: func.func @cast_floats
// CHECK-SAME:    %[[F:.*]]: tensor<4xf32>, %[[U8:.*]]: tensor<4xi8>, %[[I32:.*]]: tensor<4xi32>, %[[B:.*]]: tensor<4xi1>, %[[BF:.*]]: tensor<4xbf16>
// CHECK:           arith.fptoui %{{.*}} : f32 to i8
// CHECK:           arith.fptosi %{{.*}} : f32 to i8
// CHECK:         ^bb0(%[[V:.*]]: f32, %{{.*}}: i1):
// CHECK:           %[[ZERO:.*]] = arith.constant 0.000000e+00 : f32
// CHECK:           arith.cmpf une, %[[V]], %[[ZERO]] : f32
// CHECK:         ins(%[[U8]] : tensor<4xi8>)
// CHECK:           arith.uitofp %{{.*}} : i8 to f32
// CHECK:         ins(%[[I32]] : tensor<4xi32>)
// CHECK:           arith.sitofp %{{.*}} : i32 to f32
// CHECK:         ins(%[[B]] : tensor<4xi1>)
// CHECK:           arith.uitofp %{{.*}} : i1 to f32
// CHECK:         ins(%[[BF]] : tensor<4xbf16>)
// CHECK:           %[[WIDE:.*]] = arith.extf %{{.*}} : bf16 to f32
// CHECK:           arith.truncf %[[WIDE]] : f32 to f16
func.func @cast_floats(%f: tensor<4xf32>, %u8: tensor<4xui8>, %i32: tensor<4xi32>, %b: tensor<4xi1>, %bf: tensor<4xbf16>) -> (tensor<4xui8>, tensor<4xi8>, tensor<4xi1>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf16>) {
  %0 = qopt.cast %f : (tensor<4xf32>) -> tensor<4xui8>
  %1 = qopt.cast %f : (tensor<4xf32>) -> tensor<4xi8>
  %2 = qopt.cast %f : (tensor<4xf32>) -> tensor<4xi1>
  %3 = qopt.cast %u8 : (tensor<4xui8>) -> tensor<4xf32>
  %4 = qopt.cast %i32 : (tensor<4xi32>) -> tensor<4xf32>
  %5 = qopt.cast %b : (tensor<4xi1>) -> tensor<4xf32>
  %6 = qopt.cast %bf : (tensor<4xbf16>) -> tensor<4xf16>
  return %0, %1, %2, %3, %4, %5, %6 : tensor<4xui8>, tensor<4xi8>, tensor<4xi1>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf16>
}

// -----

// Where: a three-operand broadcast (a [2, 1] condition, a rank-0 else
// value) and one arith.select.
// CHECK-DAG:   #[[COL0:map[0-9]*]] = affine_map<(d0, d1) -> (d0, 0)>
// CHECK-DAG:   #[[ID:map[0-9]*]] = affine_map<(d0, d1) -> (d0, d1)>
// CHECK-DAG:   #[[SCALAR:map[0-9]*]] = affine_map<(d0, d1) -> ()>
// CHECK-LABEL: func.func @where
// CHECK-SAME:    %[[C:.*]]: tensor<2x1xi1>, %[[X:.*]]: tensor<2x3xf32>, %[[Y:.*]]: tensor<f32>
// CHECK:         linalg.generic {indexing_maps = [#[[COL0]], #[[ID]], #[[SCALAR]], #[[ID]]], iterator_types = ["parallel", "parallel"]}
// CHECK-SAME:      ins(%[[C]], %[[X]], %[[Y]] : tensor<2x1xi1>, tensor<2x3xf32>, tensor<f32>)
// CHECK:         ^bb0(%[[CV:.*]]: i1, %[[XV:.*]]: f32, %[[YV:.*]]: f32, %{{.*}}: f32):
// CHECK:           %[[SEL:.*]] = arith.select %[[CV]], %[[XV]], %[[YV]] : f32
// CHECK:           linalg.yield %[[SEL]] : f32
func.func @where(%c: tensor<2x1xi1>, %x: tensor<2x3xf32>, %y: tensor<f32>) -> tensor<2x3xf32> {
  %0 = qopt.where %c, %x, %y : (tensor<2x1xi1>, tensor<2x3xf32>, tensor<f32>) -> tensor<2x3xf32>
  return %0 : tensor<2x3xf32>
}

// -----

// Clip: max with the lower bound, then min with the upper one; an absent
// bound is no operand and no op. Unsigned integers clamp with maxui.
// CHECK-LABEL: func.func @clip
// CHECK-SAME:    %[[X:.*]]: tensor<4xf32>, %[[LO:.*]]: tensor<f32>, %[[HI:.*]]: tensor<f32>
// CHECK:         ins(%[[X]], %[[LO]], %[[HI]] : tensor<4xf32>, tensor<f32>, tensor<f32>)
// CHECK:         ^bb0(%[[V:.*]]: f32, %[[L:.*]]: f32, %[[H:.*]]: f32, %{{.*}}: f32):
// CHECK:           %[[MAX:.*]] = arith.maximumf %[[V]], %[[L]] : f32
// CHECK:           %[[MIN:.*]] = arith.minimumf %[[MAX]], %[[H]] : f32
// CHECK:           linalg.yield %[[MIN]] : f32
// CHECK:         ins(%[[X]], %[[HI]] : tensor<4xf32>, tensor<f32>)
// CHECK:         ^bb0(%[[V2:.*]]: f32, %[[H2:.*]]: f32, %{{.*}}: f32):
// CHECK-NEXT:      %[[MIN2:.*]] = arith.minimumf %[[V2]], %[[H2]] : f32
// CHECK-NEXT:      linalg.yield %[[MIN2]] : f32
func.func @clip(%x: tensor<4xf32>, %lo: tensor<f32>, %hi: tensor<f32>) -> (tensor<4xf32>, tensor<4xf32>) {
  %0 = qopt.clip %x min %lo max %hi : (tensor<4xf32>, tensor<f32>, tensor<f32>) -> tensor<4xf32>
  %1 = qopt.clip %x max %hi : (tensor<4xf32>, tensor<f32>) -> tensor<4xf32>
  return %0, %1 : tensor<4xf32>, tensor<4xf32>
}

// -----

// CHECK-LABEL: func.func @clip_unsigned
// CHECK:         ^bb0(%[[V:.*]]: i8, %[[L:.*]]: i8, %{{.*}}: i8):
// CHECK-NEXT:      %[[MAX:.*]] = arith.maxui %[[V]], %[[L]] : i8
// CHECK-NEXT:      linalg.yield %[[MAX]] : i8
func.func @clip_unsigned(%x: tensor<4xui8>, %lo: tensor<ui8>) -> tensor<4xui8> {
  %0 = qopt.clip %x min %lo : (tensor<4xui8>, tensor<ui8>) -> tensor<4xui8>
  return %0 : tensor<4xui8>
}

// -----

// Gelu (exact): 0.5 * x * (1 + erf(x / sqrt(2))).
// CHECK-LABEL: func.func @gelu
// CHECK:         ^bb0(%[[X:.*]]: f32, %{{.*}}: f32):
// CHECK-DAG:       %[[HALF:.*]] = arith.constant 5.000000e-01 : f32
// CHECK-DAG:       %[[ONE:.*]] = arith.constant 1.000000e+00 : f32
// CHECK-DAG:       %[[RSQRT2:.*]] = arith.constant 0.707106769 : f32
// CHECK:           %[[S:.*]] = arith.mulf %[[X]], %[[RSQRT2]] : f32
// CHECK:           %[[ERF:.*]] = math.erf %[[S]] : f32
// CHECK:           %[[HX:.*]] = arith.mulf %[[HALF]], %[[X]] : f32
// CHECK:           %[[P:.*]] = arith.addf %[[ONE]], %[[ERF]] : f32
// CHECK:           %[[Y:.*]] = arith.mulf %[[HX]], %[[P]] : f32
// CHECK:           linalg.yield %[[Y]] : f32
func.func @gelu(%x: tensor<4xf32>) -> tensor<4xf32> {
  %0 = qopt.gelu %x : (tensor<4xf32>) -> tensor<4xf32>
  return %0 : tensor<4xf32>
}

// -----

// Gelu with approximate = "tanh": tanh(sqrt(2/pi) * (x + 0.044715 x^3)),
// no erf.
// CHECK-LABEL: func.func @gelu_tanh
// CHECK:         ^bb0(%[[X:.*]]: f32, %{{.*}}: f32):
// CHECK:           %[[X2:.*]] = arith.mulf %[[X]], %[[X]] : f32
// CHECK:           %[[X3:.*]] = arith.mulf %[[X2]], %[[X]] : f32
// CHECK:           %[[K:.*]] = arith.constant 4.471500e-02 : f32
// CHECK:           %[[KX3:.*]] = arith.mulf %[[K]], %[[X3]] : f32
// CHECK:           %[[T:.*]] = arith.addf %[[X]], %[[KX3]] : f32
// CHECK:           %[[C:.*]] = arith.constant 0.797884583 : f32
// CHECK:           %[[CT:.*]] = arith.mulf %[[C]], %[[T]] : f32
// CHECK:           math.tanh %[[CT]] : f32
// CHECK-NOT:       math.erf
func.func @gelu_tanh(%x: tensor<4xf32>) -> tensor<4xf32> {
  %0 = qopt.gelu %x {approximate = "tanh"} : (tensor<4xf32>) -> tensor<4xf32>
  return %0 : tensor<4xf32>
}

// -----

// LeakyRelu: x < 0 ? alpha * x : x, alpha from the attribute.
// CHECK-LABEL: func.func @leaky_relu
// CHECK:         ^bb0(%[[X:.*]]: f32, %{{.*}}: f32):
// CHECK:           %[[ZERO:.*]] = arith.constant 0.000000e+00 : f32
// CHECK:           %[[NEG:.*]] = arith.cmpf olt, %[[X]], %[[ZERO]] : f32
// CHECK:           %[[ALPHA:.*]] = arith.constant 2.000000e-01 : f32
// CHECK:           %[[SCALED:.*]] = arith.mulf %[[X]], %[[ALPHA]] : f32
// CHECK:           %[[Y:.*]] = arith.select %[[NEG]], %[[SCALED]], %[[X]] : f32
// CHECK:           linalg.yield %[[Y]] : f32
func.func @leaky_relu(%x: tensor<4xf32>) -> tensor<4xf32> {
  %0 = qopt.leaky_relu %x {alpha = 0.2 : f32} : (tensor<4xf32>) -> tensor<4xf32>
  return %0 : tensor<4xf32>
}

// -----

// Sigmoid: 1 / (1 + exp(-x)).
// CHECK-LABEL: func.func @sigmoid
// CHECK:         ^bb0(%[[X:.*]]: f32, %{{.*}}: f32):
// CHECK:           %[[ONE:.*]] = arith.constant 1.000000e+00 : f32
// CHECK:           %[[NX:.*]] = arith.negf %[[X]] : f32
// CHECK:           %[[E:.*]] = math.exp %[[NX]] : f32
// CHECK:           %[[D:.*]] = arith.addf %[[ONE]], %[[E]] : f32
// CHECK:           %[[Y:.*]] = arith.divf %[[ONE]], %[[D]] : f32
// CHECK:           linalg.yield %[[Y]] : f32
func.func @sigmoid(%x: tensor<4xf32>) -> tensor<4xf32> {
  %0 = qopt.sigmoid %x : (tensor<4xf32>) -> tensor<4xf32>
  return %0 : tensor<4xf32>
}
