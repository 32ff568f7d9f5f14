// RUN: qopt-opt %s -convert-qopt-to-linalg -split-input-file | FileCheck %s

// MatMul and Gemm. A MatMul whose right operand is 2-D (a linear layer's
// weight) becomes linalg.matmul on the activation collapsed to 2-D, reshaped
// back afterwards; every other MatMul (batched, broadcast, 1-D operands) and
// Gemm are contraction generics over a zero-filled accumulator. Gemm's alpha,
// beta and C are one elementwise generic after the contraction.

// [B, M, K] x [K, N]: collapse to [B*M, K], linalg.matmul, reshape back to
// [B, M, N] with the dynamic batch read from the input.
// CHECK-LABEL: func.func @matmul_2d_weight
// CHECK-SAME:    %[[A:.*]]: tensor<?x16x64xf32>, %[[W:.*]]: tensor<64x32xf32>
// CHECK:         %[[A2:.*]] = tensor.collapse_shape %[[A]] {{\[\[}}0, 1], [2]] : tensor<?x16x64xf32> into tensor<?x64xf32>
// CHECK:         %[[M:.*]] = tensor.dim %[[A2]], %{{.*}} : tensor<?x64xf32>
// CHECK:         %[[E:.*]] = tensor.empty(%[[M]]) : tensor<?x32xf32>
// CHECK:         %[[ZERO:.*]] = arith.constant 0.000000e+00 : f32
// CHECK:         %[[ACC:.*]] = linalg.fill ins(%[[ZERO]] : f32) outs(%[[E]] : tensor<?x32xf32>)
// CHECK:         %[[MM:.*]] = linalg.matmul ins(%[[A2]], %[[W]] : tensor<?x64xf32>, tensor<64x32xf32>) outs(%[[ACC]] : tensor<?x32xf32>)
// CHECK-DAG:     %[[B:.*]] = tensor.dim %[[A]], %{{.*}} : tensor<?x16x64xf32>
// CHECK-DAG:     %[[C16:.*]] = arith.constant 16 : index
// CHECK-DAG:     %[[C32:.*]] = arith.constant 32 : index
// CHECK:         %[[SHAPE:.*]] = tensor.from_elements %[[B]], %[[C16]], %[[C32]] : tensor<3xindex>
// CHECK:         %[[Y:.*]] = tensor.reshape %[[MM]](%[[SHAPE]]) : (tensor<?x32xf32>, tensor<3xindex>) -> tensor<?x16x32xf32>
// CHECK:         return %[[Y]]
func.func @matmul_2d_weight(%a: tensor<?x16x64xf32>, %w: tensor<64x32xf32>) -> tensor<?x16x32xf32> {
  %0 = qopt.matmul %a, %w : (tensor<?x16x64xf32>, tensor<64x32xf32>) -> tensor<?x16x32xf32>
  return %0 : tensor<?x16x32xf32>
}

// -----

// 2-D x 2-D: linalg.matmul directly, nothing to collapse or reshape.
// CHECK-LABEL: func.func @matmul_2d
// CHECK-SAME:    %[[A:.*]]: tensor<8x64xf32>, %[[W:.*]]: tensor<64x32xf32>
// CHECK-NOT:     tensor.collapse_shape
// CHECK:         %[[ACC:.*]] = linalg.fill
// CHECK:         %[[MM:.*]] = linalg.matmul ins(%[[A]], %[[W]] : tensor<8x64xf32>, tensor<64x32xf32>) outs(%[[ACC]] : tensor<8x32xf32>)
// CHECK-NOT:     tensor.reshape
// CHECK:         return %[[MM]]
func.func @matmul_2d(%a: tensor<8x64xf32>, %w: tensor<64x32xf32>) -> tensor<8x32xf32> {
  %0 = qopt.matmul %a, %w : (tensor<8x64xf32>, tensor<64x32xf32>) -> tensor<8x32xf32>
  return %0 : tensor<8x32xf32>
}

// -----

// Batched matmul with broadcast batch dims: [2, 1, M, K] x [3, K, N] ->
// [2, 3, M, N]. Loops (b0, b1, m, n, k); A's size-1 batch dim reads 0, B's
// missing leading dim is dropped from its map.
// CHECK-DAG:   #[[AMAP:map[0-9]*]] = affine_map<(d0, d1, d2, d3, d4) -> (d0, 0, d2, d4)>
// CHECK-DAG:   #[[BMAP:map[0-9]*]] = affine_map<(d0, d1, d2, d3, d4) -> (d1, d4, d3)>
// CHECK-DAG:   #[[OMAP:map[0-9]*]] = affine_map<(d0, d1, d2, d3, d4) -> (d0, d1, d2, d3)>
// CHECK-LABEL: func.func @matmul_batched_broadcast
// CHECK-SAME:    %[[A:.*]]: tensor<2x1x8x16xf32>, %[[B:.*]]: tensor<3x16x4xf32>
// CHECK:         %[[ACC:.*]] = linalg.fill ins(%{{.*}} : f32) outs(%{{.*}} : tensor<2x3x8x4xf32>)
// CHECK:         linalg.generic {indexing_maps = [#[[AMAP]], #[[BMAP]], #[[OMAP]]], iterator_types = ["parallel", "parallel", "parallel", "parallel", "reduction"]}
// CHECK-SAME:      ins(%[[A]], %[[B]] : tensor<2x1x8x16xf32>, tensor<3x16x4xf32>) outs(%[[ACC]] : tensor<2x3x8x4xf32>)
// CHECK:         ^bb0(%[[X:.*]]: f32, %[[Y:.*]]: f32, %[[O:.*]]: f32):
// CHECK:           %[[P:.*]] = arith.mulf %[[X]], %[[Y]] : f32
// CHECK:           %[[S:.*]] = arith.addf %[[O]], %[[P]] : f32
// CHECK:           linalg.yield %[[S]] : f32
// CHECK-NOT:     linalg.matmul
func.func @matmul_batched_broadcast(%a: tensor<2x1x8x16xf32>, %b: tensor<3x16x4xf32>) -> tensor<2x3x8x4xf32> {
  %0 = qopt.matmul %a, %b : (tensor<2x1x8x16xf32>, tensor<3x16x4xf32>) -> tensor<2x3x8x4xf32>
  return %0 : tensor<2x3x8x4xf32>
}

// -----

// Dynamic batch on both sides (assumed equal, maxui) and a dynamic N from B.
// CHECK-LABEL: func.func @matmul_batched_dynamic
// CHECK-SAME:    %[[A:.*]]: tensor<?x8x16xf32>, %[[B:.*]]: tensor<?x16x?xf32>
// CHECK-DAG:     %[[BA:.*]] = tensor.dim %[[A]], %{{.*}} : tensor<?x8x16xf32>
// CHECK-DAG:     %[[BB:.*]] = tensor.dim %[[B]], %{{.*}} : tensor<?x16x?xf32>
// CHECK:         %[[BATCH:.*]] = arith.maxui %[[BA]], %[[BB]] : index
// CHECK:         %[[N:.*]] = tensor.dim %[[B]], %{{.*}} : tensor<?x16x?xf32>
// CHECK:         tensor.empty(%[[BATCH]], %[[N]]) : tensor<?x8x?xf32>
// CHECK:         linalg.generic
// CHECK-SAME:      iterator_types = ["parallel", "parallel", "parallel", "reduction"]
func.func @matmul_batched_dynamic(%a: tensor<?x8x16xf32>, %b: tensor<?x16x?xf32>) -> tensor<?x8x?xf32> {
  %0 = qopt.matmul %a, %b : (tensor<?x8x16xf32>, tensor<?x16x?xf32>) -> tensor<?x8x?xf32>
  return %0 : tensor<?x8x?xf32>
}

// -----

// 1-D operands are promoted: vector x matrix contracts over (n, k), matrix x
// vector over (m, k); integers multiply-accumulate with muli / addi.
// CHECK-DAG:   #[[K:map[0-9]*]] = affine_map<(d0, d1) -> (d1)>
// CHECK-DAG:   #[[KN:map[0-9]*]] = affine_map<(d0, d1) -> (d1, d0)>
// CHECK-DAG:   #[[N:map[0-9]*]] = affine_map<(d0, d1) -> (d0)>
// CHECK-DAG:   #[[MK:map[0-9]*]] = affine_map<(d0, d1) -> (d0, d1)>
// CHECK-LABEL: func.func @matmul_vectors
// CHECK-SAME:    %[[V:.*]]: tensor<16xf32>, %[[B:.*]]: tensor<16x4xf32>, %[[A:.*]]: tensor<3x16xi32>, %[[U:.*]]: tensor<16xi32>
// CHECK:         linalg.generic {indexing_maps = [#[[K]], #[[KN]], #[[N]]], iterator_types = ["parallel", "reduction"]}
// CHECK-SAME:      ins(%[[V]], %[[B]] : tensor<16xf32>, tensor<16x4xf32>)
// CHECK:         linalg.generic {indexing_maps = [#[[MK]], #[[K]], #[[N]]], iterator_types = ["parallel", "reduction"]}
// CHECK-SAME:      ins(%[[A]], %[[U]] : tensor<3x16xi32>, tensor<16xi32>)
// CHECK:         ^bb0(%[[X:.*]]: i32, %[[Y:.*]]: i32, %[[O:.*]]: i32):
// CHECK:           %[[P:.*]] = arith.muli %[[X]], %[[Y]] : i32
// CHECK:           arith.addi %[[O]], %[[P]] : i32
func.func @matmul_vectors(%v: tensor<16xf32>, %b: tensor<16x4xf32>, %a: tensor<3x16xi32>, %u: tensor<16xi32>) -> (tensor<4xf32>, tensor<3xi32>) {
  %0 = qopt.matmul %v, %b : (tensor<16xf32>, tensor<16x4xf32>) -> tensor<4xf32>
  %1 = qopt.matmul %a, %u : (tensor<3x16xi32>, tensor<16xi32>) -> tensor<3xi32>
  return %0, %1 : tensor<4xf32>, tensor<3xi32>
}

// -----

// Plain Gemm (alpha = 1, no C): the contraction generic alone.
// CHECK-DAG:   #[[MK:map[0-9]*]] = affine_map<(d0, d1, d2) -> (d0, d2)>
// CHECK-DAG:   #[[KN:map[0-9]*]] = affine_map<(d0, d1, d2) -> (d2, d1)>
// CHECK-DAG:   #[[MN:map[0-9]*]] = affine_map<(d0, d1, d2) -> (d0, d1)>
// CHECK-LABEL: func.func @gemm_plain
// CHECK-SAME:    %[[A:.*]]: tensor<4x8xf32>, %[[B:.*]]: tensor<8x5xf32>
// CHECK:         %[[Y:.*]] = linalg.generic {indexing_maps = [#[[MK]], #[[KN]], #[[MN]]], iterator_types = ["parallel", "parallel", "reduction"]}
// CHECK-SAME:      ins(%[[A]], %[[B]] : tensor<4x8xf32>, tensor<8x5xf32>)
// CHECK-NEXT:    ^bb0
// CHECK-NEXT:      arith.mulf
// CHECK-NEXT:      arith.addf
// CHECK-NEXT:      linalg.yield
// CHECK-NEXT:    }
// CHECK-NEXT:    return %[[Y]]
func.func @gemm_plain(%a: tensor<4x8xf32>, %b: tensor<8x5xf32>) -> tensor<4x5xf32> {
  %0 = qopt.gemm %a, %b : (tensor<4x8xf32>, tensor<8x5xf32>) -> tensor<4x5xf32>
  return %0 : tensor<4x5xf32>
}

// -----

// transA / transB swap the operands' maps; M comes from A's dim 1. Then
// alpha * AB + beta * C with C ([N]) broadcast over the rows.
// CHECK-DAG:   #[[KM:map[0-9]*]] = affine_map<(d0, d1, d2) -> (d2, d0)>
// CHECK-DAG:   #[[NK:map[0-9]*]] = affine_map<(d0, d1, d2) -> (d1, d2)>
// CHECK-DAG:   #[[MN:map[0-9]*]] = affine_map<(d0, d1, d2) -> (d0, d1)>
// CHECK-DAG:   #[[ID:map[0-9]*]] = affine_map<(d0, d1) -> (d0, d1)>
// CHECK-DAG:   #[[ROW:map[0-9]*]] = affine_map<(d0, d1) -> (d1)>
// CHECK-LABEL: func.func @gemm_trans_alpha_beta
// CHECK-SAME:    %[[A:.*]]: tensor<8x?xf32>, %[[B:.*]]: tensor<5x8xf32>, %[[C:.*]]: tensor<5xf32>
// CHECK:         %[[M:.*]] = tensor.dim %[[A]], %{{.*}} : tensor<8x?xf32>
// CHECK:         %[[E:.*]] = tensor.empty(%[[M]]) : tensor<?x5xf32>
// CHECK:         %[[AB:.*]] = linalg.generic {indexing_maps = [#[[KM]], #[[NK]], #[[MN]]], iterator_types = ["parallel", "parallel", "reduction"]}
// CHECK-SAME:      ins(%[[A]], %[[B]] : tensor<8x?xf32>, tensor<5x8xf32>)
// CHECK:         linalg.generic {indexing_maps = [#[[ID]], #[[ROW]], #[[ID]]], iterator_types = ["parallel", "parallel"]}
// CHECK-SAME:      ins(%[[AB]], %[[C]] : tensor<?x5xf32>, tensor<5xf32>)
// CHECK:         ^bb0(%[[P:.*]]: f32, %[[CV:.*]]: f32, %{{.*}}: f32):
// CHECK:           %[[ALPHA:.*]] = arith.constant 2.000000e+00 : f32
// CHECK:           %[[SP:.*]] = arith.mulf %[[P]], %[[ALPHA]] : f32
// CHECK:           %[[BETA:.*]] = arith.constant 5.000000e-01 : f32
// CHECK:           %[[SC:.*]] = arith.mulf %[[CV]], %[[BETA]] : f32
// CHECK:           %[[Y:.*]] = arith.addf %[[SP]], %[[SC]] : f32
// CHECK:           linalg.yield %[[Y]] : f32
func.func @gemm_trans_alpha_beta(%a: tensor<8x?xf32>, %b: tensor<5x8xf32>, %c: tensor<5xf32>) -> tensor<?x5xf32> {
  %0 = qopt.gemm %a, %b, %c {transA = 1 : i64, transB = 1 : i64, alpha = 2.0 : f32, beta = 0.5 : f32} : (tensor<8x?xf32>, tensor<5x8xf32>, tensor<5xf32>) -> tensor<?x5xf32>
  return %0 : tensor<?x5xf32>
}

// -----

// alpha = beta = 1: the bias is a plain add (no multiplies by 1); a [1, N]
// C reads row 0.
// CHECK-DAG:   #[[ROW0:map[0-9]*]] = affine_map<(d0, d1) -> (0, d1)>
// CHECK-LABEL: func.func @gemm_bias
// CHECK-SAME:    %[[C:[^:]*]]: tensor<1x5xf32>
// CHECK:         %[[AB:.*]] = linalg.generic
// CHECK:         linalg.generic {indexing_maps = [#{{.*}}, #[[ROW0]], #{{.*}}]
// CHECK-SAME:      ins(%[[AB]], %[[C]] : tensor<4x5xf32>, tensor<1x5xf32>)
// CHECK-NEXT:    ^bb0(%[[P:.*]]: f32, %[[CV:.*]]: f32, %{{.*}}: f32):
// CHECK-NEXT:      %[[Y:.*]] = arith.addf %[[P]], %[[CV]] : f32
// CHECK-NEXT:      linalg.yield %[[Y]] : f32
func.func @gemm_bias(%a: tensor<4x8xf32>, %b: tensor<8x5xf32>, %c: tensor<1x5xf32>) -> tensor<4x5xf32> {
  %0 = qopt.gemm %a, %b, %c : (tensor<4x8xf32>, tensor<8x5xf32>, tensor<1x5xf32>) -> tensor<4x5xf32>
  return %0 : tensor<4x5xf32>
}

// -----

// beta = 0 drops C: the result is the contraction itself.
// CHECK-LABEL: func.func @gemm_beta_zero
// CHECK:         %[[AB:.*]] = linalg.generic
// CHECK-SAME:      iterator_types = ["parallel", "parallel", "reduction"]
// CHECK-NOT:     linalg.generic
// CHECK:         return %[[AB]]
func.func @gemm_beta_zero(%a: tensor<4x8xf32>, %b: tensor<8x5xf32>, %c: tensor<5xf32>) -> tensor<4x5xf32> {
  %0 = qopt.gemm %a, %b, %c {beta = 0.0 : f32} : (tensor<4x8xf32>, tensor<8x5xf32>, tensor<5xf32>) -> tensor<4x5xf32>
  return %0 : tensor<4x5xf32>
}
