// RUN: qopt-opt %s -convert-qopt-to-linalg -split-input-file | FileCheck %s

// Softmax / LogSoftmax (numerically stable: the row max is subtracted before
// exp) and LayerNormalization (mean, centered sum of squares, rsqrt(var +
// eps), scale and bias), with its optional Mean / InvStdDev results.

// Softmax over the last (dynamic) axis: max, x - max, exp, sum, exp / sum.
// CHECK-DAG:   #[[ID:map[0-9]*]] = affine_map<(d0, d1) -> (d0, d1)>
// CHECK-DAG:   #[[ROW:map[0-9]*]] = affine_map<(d0, d1) -> (d0)>
// CHECK-LABEL: func.func @softmax
// CHECK-SAME:    %[[X:.*]]: tensor<2x?xf32>
// CHECK:         %[[NINF:.*]] = arith.constant 0xFF800000 : f32
// CHECK:         %[[MINIT:.*]] = linalg.fill ins(%[[NINF]] : f32) outs(%{{.*}} : tensor<2xf32>)
// CHECK:         %[[MAX:.*]] = linalg.generic {indexing_maps = [#[[ID]], #[[ROW]]], iterator_types = ["parallel", "reduction"]}
// CHECK-SAME:      ins(%[[X]] : tensor<2x?xf32>) outs(%[[MINIT]] : tensor<2xf32>)
// CHECK:           arith.maximumf
// CHECK:         %[[SHIFTED:.*]] = linalg.generic {indexing_maps = [#[[ID]], #[[ROW]], #[[ID]]], iterator_types = ["parallel", "parallel"]}
// CHECK-SAME:      ins(%[[X]], %[[MAX]] : tensor<2x?xf32>, tensor<2xf32>)
// CHECK:         ^bb0(%[[V:.*]]: f32, %[[M:.*]]: f32, %{{.*}}: f32):
// CHECK:           arith.subf %[[V]], %[[M]] : f32
// CHECK:         %[[EXP:.*]] = linalg.generic
// CHECK-SAME:      ins(%[[SHIFTED]] : tensor<2x?xf32>)
// CHECK:           math.exp
// CHECK:         %[[ZERO:.*]] = arith.constant 0.000000e+00 : f32
// CHECK:         %[[SINIT:.*]] = linalg.fill ins(%[[ZERO]] : f32)
// CHECK:         %[[SUM:.*]] = linalg.generic {indexing_maps = [#[[ID]], #[[ROW]]], iterator_types = ["parallel", "reduction"]}
// CHECK-SAME:      ins(%[[EXP]] : tensor<2x?xf32>) outs(%[[SINIT]] : tensor<2xf32>)
// CHECK:           arith.addf
// CHECK:         %[[Y:.*]] = linalg.generic {indexing_maps = [#[[ID]], #[[ROW]], #[[ID]]], iterator_types = ["parallel", "parallel"]}
// CHECK-SAME:      ins(%[[EXP]], %[[SUM]] : tensor<2x?xf32>, tensor<2xf32>)
// CHECK:         ^bb0(%[[E:.*]]: f32, %[[S:.*]]: f32, %{{.*}}: f32):
// CHECK:           %[[Q:.*]] = arith.divf %[[E]], %[[S]] : f32
// CHECK:           linalg.yield %[[Q]] : f32
// CHECK:         return %[[Y]]
func.func @softmax(%x: tensor<2x?xf32>) -> tensor<2x?xf32> {
  %0 = qopt.softmax %x : (tensor<2x?xf32>) -> tensor<2x?xf32>
  return %0 : tensor<2x?xf32>
}

// -----

// LogSoftmax over axis 0: (x - max) - log(sum(exp(x - max))), no division.
// CHECK-DAG:   #[[COL:map[0-9]*]] = affine_map<(d0, d1) -> (d1)>
// CHECK-LABEL: func.func @log_softmax
// CHECK:         %[[MAX:.*]] = linalg.generic {indexing_maps = [#{{.*}}, #[[COL]]], iterator_types = ["reduction", "parallel"]}
// CHECK:           arith.maximumf
// CHECK:         %[[SHIFTED:.*]] = linalg.generic
// CHECK:           arith.subf
// CHECK:         %[[EXP:.*]] = linalg.generic
// CHECK:           math.exp
// CHECK:         %[[SUM:.*]] = linalg.generic
// CHECK-SAME:      iterator_types = ["reduction", "parallel"]
// CHECK:         linalg.generic
// CHECK-SAME:      ins(%[[SHIFTED]], %[[SUM]] : tensor<2x5xf32>, tensor<5xf32>)
// CHECK:         ^bb0(%[[V:.*]]: f32, %[[S:.*]]: f32, %{{.*}}: f32):
// CHECK:           %[[LOG:.*]] = math.log %[[S]] : f32
// CHECK:           %[[Y:.*]] = arith.subf %[[V]], %[[LOG]] : f32
// CHECK:           linalg.yield %[[Y]] : f32
// CHECK-NOT:       arith.divf
func.func @log_softmax(%x: tensor<2x5xf32>) -> tensor<2x5xf32> {
  %0 = qopt.log_softmax %x {axis = 0 : i64} : (tensor<2x5xf32>) -> tensor<2x5xf32>
  return %0 : tensor<2x5xf32>
}

// -----

// LayerNormalization over the last axis with scale and bias (both [8],
// broadcast over the normalized dim), no statistics results.
// CHECK-DAG:   #[[ID:map[0-9]*]] = affine_map<(d0, d1, d2) -> (d0, d1, d2)>
// CHECK-DAG:   #[[RED:map[0-9]*]] = affine_map<(d0, d1, d2) -> (d0, d1)>
// CHECK-DAG:   #[[LAST:map[0-9]*]] = affine_map<(d0, d1, d2) -> (d2)>
// CHECK-LABEL: func.func @layer_norm
// CHECK-SAME:    %[[X:.*]]: tensor<?x4x8xf32>, %[[G:.*]]: tensor<8xf32>, %[[B:.*]]: tensor<8xf32>
// CHECK:         %[[D2:.*]] = tensor.dim %[[X]], %{{.*}} : tensor<?x4x8xf32>
// CHECK:         %[[CNT:.*]] = arith.muli %{{.*}}, %[[D2]] : index
// CHECK:         %[[CNT64:.*]] = arith.index_castui %[[CNT]] : index to i64
// CHECK:         %[[N:.*]] = arith.uitofp %[[CNT64]] : i64 to f32
// CHECK:         %[[SUM:.*]] = linalg.generic {indexing_maps = [#[[ID]], #[[RED]]], iterator_types = ["parallel", "parallel", "reduction"]}
// CHECK-SAME:      ins(%[[X]] : tensor<?x4x8xf32>)
// CHECK:           arith.addf
// CHECK:         %[[MEAN:.*]] = linalg.generic
// CHECK-SAME:      ins(%[[SUM]] : tensor<?x4xf32>)
// CHECK:           arith.divf %{{.*}}, %[[N]] : f32
// CHECK:         %[[CENTERED:.*]] = linalg.generic {indexing_maps = [#[[ID]], #[[RED]], #[[ID]]]
// CHECK-SAME:      ins(%[[X]], %[[MEAN]] : tensor<?x4x8xf32>, tensor<?x4xf32>)
// CHECK:           arith.subf
// CHECK:         %[[SQ:.*]] = linalg.generic {indexing_maps = [#[[ID]], #[[RED]]], iterator_types = ["parallel", "parallel", "reduction"]}
// CHECK-SAME:      ins(%[[CENTERED]] : tensor<?x4x8xf32>)
// CHECK:         ^bb0(%[[C:.*]]: f32, %[[ACC:.*]]: f32):
// CHECK:           %[[C2:.*]] = arith.mulf %[[C]], %[[C]] : f32
// CHECK:           arith.addf %[[ACC]], %[[C2]] : f32
// CHECK:         %[[EPS:.*]] = arith.constant 9.99999974E-6 : f32
// CHECK:         %[[INV:.*]] = linalg.generic
// CHECK-SAME:      ins(%[[SQ]] : tensor<?x4xf32>)
// CHECK:         ^bb0(%[[S:.*]]: f32, %{{.*}}: f32):
// CHECK:           %[[VAR:.*]] = arith.divf %[[S]], %[[N]] : f32
// CHECK:           %[[VE:.*]] = arith.addf %[[VAR]], %[[EPS]] : f32
// CHECK:           %[[R:.*]] = math.rsqrt %[[VE]] : f32
// CHECK:           linalg.yield %[[R]] : f32
// CHECK:         %[[Y:.*]] = linalg.generic {indexing_maps = [#[[ID]], #[[LAST]], #[[LAST]], #[[RED]], #[[ID]]], iterator_types = ["parallel", "parallel", "parallel"]}
// CHECK-SAME:      ins(%[[CENTERED]], %[[G]], %[[B]], %[[INV]] : tensor<?x4x8xf32>, tensor<8xf32>, tensor<8xf32>, tensor<?x4xf32>)
// CHECK:         ^bb0(%[[CV:.*]]: f32, %[[GV:.*]]: f32, %[[BV:.*]]: f32, %[[IV:.*]]: f32, %{{.*}}: f32):
// CHECK:           %[[NORM:.*]] = arith.mulf %[[CV]], %[[IV]] : f32
// CHECK:           %[[SCALED:.*]] = arith.mulf %[[NORM]], %[[GV]] : f32
// CHECK:           %[[OUT:.*]] = arith.addf %[[SCALED]], %[[BV]] : f32
// CHECK:           linalg.yield %[[OUT]] : f32
// CHECK-NOT:     tensor.reshape
// CHECK:         return %[[Y]] : tensor<?x4x8xf32>
func.func @layer_norm(%x: tensor<?x4x8xf32>, %g: tensor<8xf32>, %b: tensor<8xf32>) -> tensor<?x4x8xf32> {
  %0 = qopt.layer_normalization %x, %g, %b {epsilon = 1.0e-05 : f32} : (tensor<?x4x8xf32>, tensor<8xf32>, tensor<8xf32>) -> tensor<?x4x8xf32>
  return %0 : tensor<?x4x8xf32>
}

// -----

// axis = 1 normalizes dims 1 and 2; no bias; the Mean and InvStdDev results
// are the reduced mean / rsqrt reshaped to [2, 1, 1].
// CHECK-DAG:   #[[SCALE:map[0-9]*]] = affine_map<(d0, d1, d2) -> (d1, d2)>
// CHECK-DAG:   #[[BATCH:map[0-9]*]] = affine_map<(d0, d1, d2) -> (d0)>
// CHECK-LABEL: func.func @layer_norm_stats
// CHECK-SAME:    %[[X:.*]]: tensor<2x4x8xf32>, %[[G:.*]]: tensor<4x8xf32>
// CHECK:         %[[SUM:.*]] = linalg.generic
// CHECK-SAME:      iterator_types = ["parallel", "reduction", "reduction"]
// CHECK:         %[[MEAN:.*]] = linalg.generic
// CHECK-SAME:      ins(%[[SUM]] : tensor<2xf32>)
// CHECK:         %[[CENTERED:.*]] = linalg.generic
// CHECK-SAME:      ins(%[[X]], %[[MEAN]] : tensor<2x4x8xf32>, tensor<2xf32>)
// CHECK:         %[[SQ:.*]] = linalg.generic
// CHECK-SAME:      iterator_types = ["parallel", "reduction", "reduction"]
// CHECK-SAME:      ins(%[[CENTERED]] : tensor<2x4x8xf32>)
// CHECK:         %[[INV:.*]] = linalg.generic
// CHECK-SAME:      ins(%[[SQ]] : tensor<2xf32>)
// CHECK:           math.rsqrt
// CHECK:         %[[Y:.*]] = linalg.generic {indexing_maps = [#{{.*}}, #[[SCALE]], #[[BATCH]], #{{.*}}]
// CHECK-SAME:      ins(%[[CENTERED]], %[[G]], %[[INV]] : tensor<2x4x8xf32>, tensor<4x8xf32>, tensor<2xf32>)
// CHECK:         ^bb0(%[[CV:.*]]: f32, %[[GV:.*]]: f32, %[[IV:.*]]: f32, %{{.*}}: f32):
// CHECK:           %[[NORM:.*]] = arith.mulf %[[CV]], %[[IV]] : f32
// CHECK:           %[[SCALED:.*]] = arith.mulf %[[NORM]], %[[GV]] : f32
// CHECK-NEXT:      linalg.yield %[[SCALED]] : f32
// CHECK:         %[[SH1:.*]] = tensor.from_elements %{{.*}}, %{{.*}}, %{{.*}} : tensor<3xindex>
// CHECK:         %[[MEAN3:.*]] = tensor.reshape %[[MEAN]](%[[SH1]]) : (tensor<2xf32>, tensor<3xindex>) -> tensor<2x1x1xf32>
// CHECK:         %[[SH2:.*]] = tensor.from_elements %{{.*}}, %{{.*}}, %{{.*}} : tensor<3xindex>
// CHECK:         %[[INV3:.*]] = tensor.reshape %[[INV]](%[[SH2]]) : (tensor<2xf32>, tensor<3xindex>) -> tensor<2x1x1xf32>
// CHECK:         return %[[Y]], %[[MEAN3]], %[[INV3]]
func.func @layer_norm_stats(%x: tensor<2x4x8xf32>, %g: tensor<4x8xf32>) -> (tensor<2x4x8xf32>, tensor<2x1x1xf32>, tensor<2x1x1xf32>) {
  %0:3 = qopt.layer_normalization %x, %g {axis = 1 : i64} : (tensor<2x4x8xf32>, tensor<4x8xf32>) -> (tensor<2x4x8xf32>, tensor<2x1x1xf32>, tensor<2x1x1xf32>)
  return %0#0, %0#1, %0#2 : tensor<2x4x8xf32>, tensor<2x1x1xf32>, tensor<2x1x1xf32>
}

// -----

// Only the Mean result: one reshape, of the mean.
// CHECK-LABEL: func.func @layer_norm_mean_only
// CHECK:         %[[SUM:.*]] = linalg.generic
// CHECK-SAME:      iterator_types = ["parallel", "reduction"]
// CHECK:         %[[MEAN:.*]] = linalg.generic
// CHECK-SAME:      ins(%[[SUM]] : tensor<?xf32>)
// CHECK-NEXT:    ^bb0
// CHECK-NEXT:      arith.divf
// CHECK:         %[[M2:.*]] = tensor.reshape %[[MEAN]](%{{.*}}) : (tensor<?xf32>, tensor<2xindex>) -> tensor<?x1xf32>
// CHECK-NOT:     tensor.reshape
// CHECK:         return %{{.*}}, %[[M2]]
func.func @layer_norm_mean_only(%x: tensor<?x4xf32>, %g: tensor<4xf32>) -> (tensor<?x4xf32>, tensor<?x1xf32>) {
  %0:2 = qopt.layer_normalization %x, %g : (tensor<?x4xf32>, tensor<4xf32>) -> (tensor<?x4xf32>, tensor<?x1xf32>)
  return %0#0, %0#1 : tensor<?x4xf32>, tensor<?x1xf32>
}
