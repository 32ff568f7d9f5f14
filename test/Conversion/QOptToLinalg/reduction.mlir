// RUN: qopt-opt %s -convert-qopt-to-linalg -split-input-file | FileCheck %s

// Reductions: a linalg.fill of the combiner's identity, one reduction generic
// over the (normalized, sorted) axes, an optional elementwise post-map
// (ReduceMean divides by the element count, ReduceLogSumExp adds back its
// max shift), and a tensor.reshape that puts the 1s back when keepdims = 1.
// ArgMax / ArgMin carry (value, index) through one generic with two outputs.

// keepdims = 1 (the default) and a negative axis: reduce d1, then reshape
// [2, 4] -> [2, 1, 4].
// CHECK-DAG:   #[[IN:map[0-9]*]] = affine_map<(d0, d1, d2) -> (d0, d1, d2)>
// CHECK-DAG:   #[[OUT:map[0-9]*]] = affine_map<(d0, d1, d2) -> (d0, d2)>
// CHECK-LABEL: func.func @reduce_sum_keepdims
// CHECK-SAME:    %[[X:.*]]: tensor<2x3x4xf32>
// CHECK:         %[[ZERO:.*]] = arith.constant 0.000000e+00 : f32
// CHECK:         %[[E:.*]] = tensor.empty() : tensor<2x4xf32>
// CHECK:         %[[INIT:.*]] = linalg.fill ins(%[[ZERO]] : f32) outs(%[[E]] : tensor<2x4xf32>)
// CHECK:         %[[R:.*]] = linalg.generic {indexing_maps = [#[[IN]], #[[OUT]]], iterator_types = ["parallel", "reduction", "parallel"]}
// CHECK-SAME:      ins(%[[X]] : tensor<2x3x4xf32>) outs(%[[INIT]] : tensor<2x4xf32>)
// CHECK:         ^bb0(%[[V:.*]]: f32, %[[ACC:.*]]: f32):
// CHECK:           %[[S:.*]] = arith.addf %[[V]], %[[ACC]] : f32
// CHECK:           linalg.yield %[[S]] : f32
// CHECK-DAG:     %[[C2:.*]] = arith.constant 2 : index
// CHECK-DAG:     %[[C1:.*]] = arith.constant 1 : index
// CHECK-DAG:     %[[C4:.*]] = arith.constant 4 : index
// CHECK:         %[[SHAPE:.*]] = tensor.from_elements %[[C2]], %[[C1]], %[[C4]] : tensor<3xindex>
// CHECK:         %[[Y:.*]] = tensor.reshape %[[R]](%[[SHAPE]]) : (tensor<2x4xf32>, tensor<3xindex>) -> tensor<2x1x4xf32>
// CHECK:         return %[[Y]]
func.func @reduce_sum_keepdims(%x: tensor<2x3x4xf32>) -> tensor<2x1x4xf32> {
  %0 = qopt.reduce_sum %x {axes = array<i64: -2>} : (tensor<2x3x4xf32>) -> tensor<2x1x4xf32>
  return %0 : tensor<2x1x4xf32>
}

// -----

// keepdims = 0, unsorted axes on integers: the reduced generic is the
// result, its dynamic dim from the input.
// CHECK-DAG:   #[[OUT:map[0-9]*]] = affine_map<(d0, d1, d2) -> (d0)>
// CHECK-LABEL: func.func @reduce_sum_no_keepdims
// CHECK-SAME:    %[[X:.*]]: tensor<?x3x4xi32>
// CHECK:         %[[ZERO:.*]] = arith.constant 0 : i32
// CHECK:         %[[D0:.*]] = tensor.dim %[[X]], %{{.*}} : tensor<?x3x4xi32>
// CHECK:         %[[E:.*]] = tensor.empty(%[[D0]]) : tensor<?xi32>
// CHECK:         %[[INIT:.*]] = linalg.fill ins(%[[ZERO]] : i32) outs(%[[E]] : tensor<?xi32>)
// CHECK:         %[[R:.*]] = linalg.generic {indexing_maps = [#{{.*}}, #[[OUT]]], iterator_types = ["parallel", "reduction", "reduction"]}
// CHECK:           arith.addi
// CHECK-NOT:     tensor.reshape
// CHECK:         return %[[R]]
func.func @reduce_sum_no_keepdims(%x: tensor<?x3x4xi32>) -> tensor<?xi32> {
  %0 = qopt.reduce_sum %x {axes = array<i64: 2, 1>, keepdims = 0 : i64} : (tensor<?x3x4xi32>) -> tensor<?xi32>
  return %0 : tensor<?xi32>
}

// -----

// No axes: every dim is reduced, into a rank-0 tensor.
// CHECK-DAG:   #[[ALL:map[0-9]*]] = affine_map<(d0, d1) -> ()>
// CHECK-LABEL: func.func @reduce_sum_all
// CHECK:         %[[INIT:.*]] = linalg.fill ins(%{{.*}} : f32) outs(%{{.*}} : tensor<f32>)
// CHECK:         linalg.generic {indexing_maps = [#{{.*}}, #[[ALL]]], iterator_types = ["reduction", "reduction"]}
// CHECK-SAME:      outs(%[[INIT]] : tensor<f32>)
func.func @reduce_sum_all(%x: tensor<2x3xf32>) -> tensor<f32> {
  %0 = qopt.reduce_sum %x {keepdims = 0 : i64} : (tensor<2x3xf32>) -> tensor<f32>
  return %0 : tensor<f32>
}

// -----

// ReduceMean: the sum divided by the number of reduced elements, counted at
// run time from the dynamic dim.
// CHECK-LABEL: func.func @reduce_mean
// CHECK-SAME:    %[[X:.*]]: tensor<2x?xf32>
// CHECK:         %[[SUM:.*]] = linalg.generic
// CHECK-SAME:      iterator_types = ["parallel", "reduction"]
// CHECK:           arith.addf
// CHECK:         %[[D1:.*]] = tensor.dim %[[X]], %{{.*}} : tensor<2x?xf32>
// CHECK:         %[[COUNT:.*]] = arith.muli %{{.*}}, %[[D1]] : index
// CHECK:         %[[COUNT64:.*]] = arith.index_castui %[[COUNT]] : index to i64
// CHECK:         linalg.generic
// CHECK-SAME:      ins(%[[SUM]] : tensor<2xf32>)
// CHECK:         ^bb0(%[[S:.*]]: f32, %{{.*}}: f32):
// CHECK:           %[[N:.*]] = arith.uitofp %[[COUNT64]] : i64 to f32
// CHECK:           %[[M:.*]] = arith.divf %[[S]], %[[N]] : f32
// CHECK:           linalg.yield %[[M]] : f32
func.func @reduce_mean(%x: tensor<2x?xf32>) -> tensor<2xf32> {
  %0 = qopt.reduce_mean %x {axes = array<i64: 1>, keepdims = 0 : i64} : (tensor<2x?xf32>) -> tensor<2xf32>
  return %0 : tensor<2xf32>
}

// -----

// ReduceMax: -inf and maximumf on floats; on unsigned integers the identity
// is 0 and the combiner maxui.
// CHECK-LABEL: func.func @reduce_max
// CHECK:         %[[NINF:.*]] = arith.constant 0xFF800000 : f32
// CHECK:         linalg.fill ins(%[[NINF]] : f32)
// CHECK:         linalg.generic
// CHECK-SAME:      iterator_types = ["reduction", "parallel"]
// CHECK:           arith.maximumf
// CHECK:         %[[UZERO:.*]] = arith.constant 0 : i8
// CHECK:         linalg.fill ins(%[[UZERO]] : i8)
// CHECK:         linalg.generic
// CHECK-SAME:      iterator_types = ["parallel", "reduction"]
// CHECK:         ^bb0(%[[V:.*]]: i8, %[[ACC:.*]]: i8):
// CHECK:           arith.maxui %[[V]], %[[ACC]] : i8
// CHECK:         tensor.reshape %{{.*}} : (tensor<2xi8>, tensor<2xindex>) -> tensor<2x1xi8>
func.func @reduce_max(%x: tensor<2x3xf32>, %u: tensor<2x3xui8>) -> (tensor<3xf32>, tensor<2x1xui8>) {
  %0 = qopt.reduce_max %x {axes = array<i64: 0>, keepdims = 0 : i64} : (tensor<2x3xf32>) -> tensor<3xf32>
  %1 = qopt.reduce_max %u {axes = array<i64: 1>} : (tensor<2x3xui8>) -> tensor<2x1xui8>
  return %0, %1 : tensor<3xf32>, tensor<2x1xui8>
}

// -----

// noop_with_empty_axes = 1 and no axes: nothing is reduced. ReduceSum is the
// input itself; ReduceL1 keeps its elementwise pre-map (abs).
// CHECK-LABEL: func.func @noop_with_empty_axes
// CHECK-SAME:    %[[X:.*]]: tensor<2x3xf32>
// CHECK-NOT:     linalg.fill
// CHECK:         %[[ABS:.*]] = linalg.generic
// CHECK-SAME:      iterator_types = ["parallel", "parallel"]
// CHECK-SAME:      ins(%[[X]] : tensor<2x3xf32>)
// CHECK:           math.absf
// CHECK-NOT:     reduction
// CHECK:         return %[[X]], %[[ABS]]
func.func @noop_with_empty_axes(%x: tensor<2x3xf32>) -> (tensor<2x3xf32>, tensor<2x3xf32>) {
  %0 = qopt.reduce_sum %x {noop_with_empty_axes = 1 : i64} : (tensor<2x3xf32>) -> tensor<2x3xf32>
  %1 = qopt.reduce_l1 %x {noop_with_empty_axes = 1 : i64} : (tensor<2x3xf32>) -> tensor<2x3xf32>
  return %0, %1 : tensor<2x3xf32>, tensor<2x3xf32>
}

// -----

// ReduceLogSumExp is shifted by the row max for stability:
// log(sum(exp(x - max))) + max.
// CHECK-DAG:   #[[ID:map[0-9]*]] = affine_map<(d0, d1) -> (d0, d1)>
// CHECK-DAG:   #[[ROW:map[0-9]*]] = affine_map<(d0, d1) -> (d0)>
// CHECK-LABEL: func.func @reduce_log_sum_exp
// CHECK-SAME:    %[[X:.*]]: tensor<2x?xf32>
// CHECK:         %[[NINF:.*]] = arith.constant 0xFF800000 : f32
// CHECK:         %[[MINIT:.*]] = linalg.fill ins(%[[NINF]] : f32)
// CHECK:         %[[MAX:.*]] = linalg.generic {indexing_maps = [#[[ID]], #[[ROW]]], iterator_types = ["parallel", "reduction"]}
// CHECK-SAME:      ins(%[[X]] : tensor<2x?xf32>) outs(%[[MINIT]] : tensor<2xf32>)
// CHECK:           arith.maximumf
// CHECK:         %[[SAFE:.*]] = linalg.generic
// CHECK-SAME:      ins(%[[MAX]] : tensor<2xf32>)
// CHECK:           arith.select
// CHECK:         %[[SHIFTED:.*]] = linalg.generic {indexing_maps = [#[[ID]], #[[ROW]], #[[ID]]], iterator_types = ["parallel", "parallel"]}
// CHECK-SAME:      ins(%[[X]], %[[SAFE]] : tensor<2x?xf32>, tensor<2xf32>)
// CHECK:           arith.subf
// CHECK:         %[[EXP:.*]] = linalg.generic
// CHECK-SAME:      ins(%[[SHIFTED]] : tensor<2x?xf32>)
// CHECK:           math.exp
// CHECK:         %[[SUM:.*]] = linalg.generic
// CHECK-SAME:      iterator_types = ["parallel", "reduction"]
// CHECK-SAME:      ins(%[[EXP]] : tensor<2x?xf32>)
// CHECK:           arith.addf
// CHECK:         linalg.generic
// CHECK-SAME:      ins(%[[SUM]], %[[SAFE]] : tensor<2xf32>, tensor<2xf32>)
// CHECK:         ^bb0(%[[S:.*]]: f32, %[[M:.*]]: f32, %{{.*}}: f32):
// CHECK:           %[[LOG:.*]] = math.log %[[S]] : f32
// CHECK:           %[[Y:.*]] = arith.addf %[[LOG]], %[[M]] : f32
// CHECK:           linalg.yield %[[Y]] : f32
// CHECK:         tensor.reshape
func.func @reduce_log_sum_exp(%x: tensor<2x?xf32>) -> tensor<2x1xf32> {
  %0 = qopt.reduce_log_sum_exp %x {axes = array<i64: 1>} : (tensor<2x?xf32>) -> tensor<2x1xf32>
  return %0 : tensor<2x1xf32>
}

// -----

// ArgMax: a strict compare keeps the first maximum, and the first element
// always wins over the placeholder init. The index result is reshaped for
// keepdims = 1.
// CHECK-DAG:   #[[ID:map[0-9]*]] = affine_map<(d0, d1) -> (d0, d1)>
// CHECK-DAG:   #[[ROW:map[0-9]*]] = affine_map<(d0, d1) -> (d0)>
// CHECK-LABEL: func.func @arg_max
// CHECK-SAME:    %[[X:.*]]: tensor<2x5xf32>
// CHECK:         %[[VALS:.*]] = linalg.fill ins(%{{.*}} : f32) outs(%{{.*}} : tensor<2xf32>)
// CHECK:         %[[IDXS:.*]] = linalg.fill ins(%{{.*}} : i64) outs(%{{.*}} : tensor<2xi64>)
// CHECK:         %[[R:.*]]:2 = linalg.generic {indexing_maps = [#[[ID]], #[[ROW]], #[[ROW]]], iterator_types = ["parallel", "reduction"]}
// CHECK-SAME:      ins(%[[X]] : tensor<2x5xf32>) outs(%[[VALS]], %[[IDXS]] : tensor<2xf32>, tensor<2xi64>)
// CHECK:         ^bb0(%[[V:.*]]: f32, %[[BEST:.*]]: f32, %[[BESTI:.*]]: i64):
// CHECK:           %[[K:.*]] = linalg.index 1 : index
// CHECK:           %[[I:.*]] = arith.index_cast %[[K]] : index to i64
// CHECK:           %[[GT:.*]] = arith.cmpf ogt, %[[V]], %[[BEST]] : f32
// CHECK:           %[[ZERO:.*]] = arith.constant 0 : i64
// CHECK:           %[[FIRST:.*]] = arith.cmpi eq, %[[I]], %[[ZERO]] : i64
// CHECK:           %[[BETTER:.*]] = arith.ori %[[GT]], %[[FIRST]] : i1
// CHECK:           %[[NV:.*]] = arith.select %[[BETTER]], %[[V]], %[[BEST]] : f32
// CHECK:           %[[NI:.*]] = arith.select %[[BETTER]], %[[I]], %[[BESTI]] : i64
// CHECK:           linalg.yield %[[NV]], %[[NI]] : f32, i64
// CHECK:         tensor.reshape %[[R]]#1(%{{.*}}) : (tensor<2xi64>, tensor<2xindex>) -> tensor<2x1xi64>
func.func @arg_max(%x: tensor<2x5xf32>) -> tensor<2x1xi64> {
  %0 = qopt.arg_max %x {axis = 1 : i64} : (tensor<2x5xf32>) -> tensor<2x1xi64>
  return %0 : tensor<2x1xi64>
}

// -----

// select_last_index = 1: a non-strict compare keeps the last maximum;
// keepdims = 0 returns the index output directly.
// CHECK-LABEL: func.func @arg_max_last_index
// CHECK:         %[[R:.*]]:2 = linalg.generic
// CHECK-SAME:      iterator_types = ["reduction", "parallel"]
// CHECK:           linalg.index 0 : index
// CHECK:           arith.cmpf oge
// CHECK-NOT:     tensor.reshape
// CHECK:         return %[[R]]#1 : tensor<5xi64>
func.func @arg_max_last_index(%x: tensor<2x5xf32>) -> tensor<5xi64> {
  %0 = qopt.arg_max %x {axis = 0 : i64, keepdims = 0 : i64, select_last_index = 1 : i64} : (tensor<2x5xf32>) -> tensor<5xi64>
  return %0 : tensor<5xi64>
}

// -----

// ArgMin on unsigned bytes: init 255 (-1 : i8), unsigned compare.
// CHECK-LABEL: func.func @arg_min_unsigned
// CHECK:         %[[MAXU8:.*]] = arith.constant -1 : i8
// CHECK:         linalg.fill ins(%[[MAXU8]] : i8) outs(%{{.*}} : tensor<i8>)
// CHECK:         linalg.generic
// CHECK-SAME:      iterator_types = ["reduction"]
// CHECK:           arith.cmpi ult, %{{.*}}, %{{.*}} : i8
func.func @arg_min_unsigned(%x: tensor<5xui8>) -> tensor<i64> {
  %0 = qopt.arg_min %x {keepdims = 0 : i64} : (tensor<5xui8>) -> tensor<i64>
  return %0 : tensor<i64>
}

// -----

// LogSumExp shifts each row by its max, but by 0 where the max is infinite:
// an all -inf row gives -inf, not nan.
// CHECK-LABEL: func.func @reduce_log_sum_exp_inf_rows
// CHECK:         math.absf
// CHECK:         arith.cmpf oeq
// CHECK:         arith.select
// CHECK:         arith.subf
// CHECK:         math.exp
func.func @reduce_log_sum_exp_inf_rows(%x: tensor<2x3xf32>) -> tensor<2x1xf32> {
  %0 = qopt.reduce_log_sum_exp %x {axes = array<i64: 1>} : (tensor<2x3xf32>) -> tensor<2x1xf32>
  return %0 : tensor<2x1xf32>
}
