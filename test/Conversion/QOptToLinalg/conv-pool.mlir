// Conv / ConvTranspose / pooling / normalization / rearrangement / Resize
// lowerings. valid.mlir is checked with FileCheck; invalid.mlir holds the
// configurations the patterns reject.
//
// RUN: split-file %s %t
// RUN: qopt-opt %t/valid.mlir -convert-qopt-to-linalg -split-input-file | FileCheck %t/valid.mlir
// RUN: qopt-opt %t/invalid.mlir -convert-qopt-to-linalg -split-input-file -verify-diagnostics

//--- valid.mlir

// A 2-D conv pads its input and becomes linalg.conv_2d_nchw_fchw whose
// accumulator is the broadcast bias; the dynamic batch flows through.
// CHECK-DAG:   #[[BIAS:.*]] = affine_map<(d0, d1, d2, d3) -> (d1)>
// CHECK-LABEL: func.func @conv2d_bias_pads_strides
// CHECK-SAME:    %[[X:.*]]: tensor<?x3x32x32xf32>, %[[W:.*]]: tensor<16x3x3x3xf32>, %[[B:.*]]: tensor<16xf32>
// CHECK:         %[[PAD:.*]] = tensor.pad %[[X]] low[0, 0, 1, 1] high[0, 0, 1, 1]
// CHECK:         } : tensor<?x3x32x32xf32> to tensor<?x3x34x34xf32>
// CHECK:         %[[EMPTY:.*]] = tensor.empty(%{{.*}}) : tensor<?x16x16x16xf32>
// CHECK:         %[[ACC:.*]] = linalg.generic {indexing_maps = [#[[BIAS]], #{{.*}}]
// CHECK-SAME:      ins(%[[B]] : tensor<16xf32>) outs(%[[EMPTY]] : tensor<?x16x16x16xf32>)
// CHECK:         %[[Y:.*]] = linalg.conv_2d_nchw_fchw {dilations = dense<1> : tensor<2xi64>, strides = dense<2> : tensor<2xi64>}
// CHECK-SAME:      ins(%[[PAD]], %[[W]] : tensor<?x3x34x34xf32>, tensor<16x3x3x3xf32>) outs(%[[ACC]] : tensor<?x16x16x16xf32>)
// CHECK:         return %[[Y]]
func.func @conv2d_bias_pads_strides(%x: tensor<?x3x32x32xf32>, %w: tensor<16x3x3x3xf32>, %b: tensor<16xf32>) -> tensor<?x16x16x16xf32> {
  %y = qopt.conv %x, %w, %b {pads = array<i64: 1, 1, 1, 1>, strides = array<i64: 2, 2>} : (tensor<?x3x32x32xf32>, tensor<16x3x3x3xf32>, tensor<16xf32>) -> tensor<?x16x16x16xf32>
  return %y : tensor<?x16x16x16xf32>
}

// -----

// Depthwise (group == C == M): SAME_UPPER pads, the [C, 1, k, k] weight
// collapsed for linalg.depthwise_conv_2d_nchw_chw.
// CHECK-LABEL: func.func @conv2d_depthwise
// CHECK:         %[[PAD:.*]] = tensor.pad %{{.*}} low[0, 0, 1, 1] high[0, 0, 1, 1]
// CHECK:         %[[ZERO:.*]] = linalg.fill
// CHECK:         %[[W:.*]] = tensor.collapse_shape %{{.*}} {{\[\[}}0, 1], [2], [3]] : tensor<8x1x3x3xf32> into tensor<8x3x3xf32>
// CHECK:         linalg.depthwise_conv_2d_nchw_chw
// CHECK-SAME:      ins(%[[PAD]], %[[W]] : tensor<1x8x12x12xf32>, tensor<8x3x3xf32>) outs(%[[ZERO]] : tensor<1x8x10x10xf32>)
func.func @conv2d_depthwise(%x: tensor<1x8x10x10xf32>, %w: tensor<8x1x3x3xf32>) -> tensor<1x8x10x10xf32> {
  %y = qopt.conv %x, %w {auto_pad = "SAME_UPPER", group = 8 : i64} : (tensor<1x8x10x10xf32>, tensor<8x1x3x3xf32>) -> tensor<1x8x10x10xf32>
  return %y : tensor<1x8x10x10xf32>
}

// -----

// Grouped 2-D: NGCHW x GFCHW through expand_shape / collapse_shape.
// CHECK-LABEL: func.func @conv2d_grouped
// CHECK-DAG:     %[[X5:.*]] = tensor.expand_shape %{{.*}} {{\[\[}}0], [1, 2], [3], [4]] output_shape [1, 2, 2, 6, 6] : tensor<1x4x6x6xf32> into tensor<1x2x2x6x6xf32>
// CHECK-DAG:     %[[W5:.*]] = tensor.expand_shape %{{.*}} {{\[\[}}0, 1], [2], [3], [4]] output_shape [2, 3, 2, 3, 3] : tensor<6x2x3x3xf32> into tensor<2x3x2x3x3xf32>
// CHECK:         %[[Y5:.*]] = linalg.conv_2d_ngchw_gfchw
// CHECK-SAME:      ins(%[[X5]], %[[W5]] : tensor<1x2x2x6x6xf32>, tensor<2x3x2x3x3xf32>)
// CHECK:         tensor.collapse_shape %[[Y5]] {{\[\[}}0], [1, 2], [3], [4]] : tensor<1x2x3x4x4xf32> into tensor<1x6x4x4xf32>
func.func @conv2d_grouped(%x: tensor<1x4x6x6xf32>, %w: tensor<6x2x3x3xf32>) -> tensor<1x6x4x4xf32> {
  %y = qopt.conv %x, %w {group = 2 : i64} : (tensor<1x4x6x6xf32>, tensor<6x2x3x3xf32>) -> tensor<1x6x4x4xf32>
  return %y : tensor<1x6x4x4xf32>
}

// -----

// Grouped 1-D (no named op): a contraction generic over (n, m, o, c, k)
// whose input channel is (m floordiv M/group) * C/group + c.
// CHECK-DAG:   #[[XMAP:.*]] = affine_map<(d0, d1, d2, d3, d4) -> (d0, (d1 floordiv 3) * 2 + d3, d2 * 2 + d4 * 2)>
// CHECK-DAG:   #[[WMAP:.*]] = affine_map<(d0, d1, d2, d3, d4) -> (d1, d3, d4)>
// CHECK-DAG:   #[[OMAP:.*]] = affine_map<(d0, d1, d2, d3, d4) -> (d0, d1, d2)>
// CHECK-LABEL: func.func @conv1d_grouped
// CHECK:         tensor.pad %{{.*}} low[0, 0, 0] high[0, 0, 1]
// CHECK:         linalg.generic {indexing_maps = [#[[XMAP]], #[[WMAP]], #[[OMAP]]], iterator_types = ["parallel", "parallel", "parallel", "reduction", "reduction"]}
// CHECK:           arith.mulf
// CHECK:           arith.addf
func.func @conv1d_grouped(%x: tensor<1x4x10xf32>, %w: tensor<6x2x3xf32>) -> tensor<1x6x4xf32> {
  %y = qopt.conv %x, %w {group = 2 : i64, dilations = array<i64: 2>, strides = array<i64: 2>} : (tensor<1x4x10xf32>, tensor<6x2x3xf32>) -> tensor<1x6x4xf32>
  return %y : tensor<1x6x4xf32>
}

// -----

// Unsigned activations: the generic path with explicit extui / extsi.
// CHECK-LABEL: func.func @conv2d_u8_i8
// CHECK:         linalg.generic
// CHECK:           arith.extui %{{.*}} : i8 to i32
// CHECK:           arith.extsi %{{.*}} : i8 to i32
// CHECK:           arith.muli
// CHECK:           arith.addi
func.func @conv2d_u8_i8(%x: tensor<1x2x5x5xui8>, %w: tensor<4x2x3x3xi8>) -> tensor<1x4x3x3xi32> {
  %y = qopt.conv %x, %w : (tensor<1x2x5x5xui8>, tensor<4x2x3x3xi8>) -> tensor<1x4x3x3xi32>
  return %y : tensor<1x4x3x3xi32>
}

// -----

// ConvTranspose: the input zero-stuffed by a strided insert_slice into a
// padded canvas, the weight flipped and transposed by a gather, then a
// stride-1 conv_2d_nchw_fchw.
// CHECK-LABEL: func.func @conv_transpose_stride2
// CHECK-SAME:    %[[X:.*]]: tensor<1x1x3x3xf32>, %[[W:.*]]: tensor<1x2x3x3xf32>
// CHECK:         %[[CANVAS:.*]] = linalg.fill {{.*}} -> tensor<1x1x9x9xf32>
// CHECK:         %[[STUFFED:.*]] = tensor.insert_slice %[[X]] into %[[CANVAS]][0, 0, 2, 2] [1, 1, 3, 3] [1, 1, 2, 2]
// CHECK:         %[[WT:.*]] = linalg.generic
// CHECK-SAME:      outs(%{{.*}} : tensor<2x1x3x3xf32>)
// CHECK:           tensor.extract %[[W]]
// CHECK:         linalg.conv_2d_nchw_fchw {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>}
// CHECK-SAME:      ins(%[[STUFFED]], %[[WT]] : tensor<1x1x9x9xf32>, tensor<2x1x3x3xf32>)
// CHECK-SAME:      -> tensor<1x2x7x7xf32>
func.func @conv_transpose_stride2(%x: tensor<1x1x3x3xf32>, %w: tensor<1x2x3x3xf32>) -> tensor<1x2x7x7xf32> {
  %y = qopt.conv_transpose %x, %w {strides = array<i64: 2, 2>} : (tensor<1x1x3x3xf32>, tensor<1x2x3x3xf32>) -> tensor<1x2x7x7xf32>
  return %y : tensor<1x2x7x7xf32>
}

// -----

// Pads larger than the kernel: a full convolution, then extract_slice.
// CHECK-LABEL: func.func @conv_transpose_big_pads
// CHECK-NOT:     tensor.pad
// CHECK:         %[[FULL:.*]] = linalg.generic {{.*}} iterator_types = ["parallel", "parallel", "parallel", "reduction", "reduction"]
// CHECK:         } -> tensor<1x2x3xf32>
// CHECK:         tensor.extract_slice %[[FULL]][0, 0, 2] [1, 2, 1] [1, 1, 1] : tensor<1x2x3xf32> to tensor<1x2x1xf32>
func.func @conv_transpose_big_pads(%x: tensor<1x4x5xf32>, %w: tensor<4x1x3xf32>) -> tensor<1x2x1xf32> {
  %y = qopt.conv_transpose %x, %w {group = 2 : i64, pads = array<i64: 4, 2>} : (tensor<1x4x5xf32>, tensor<4x1x3xf32>) -> tensor<1x2x1xf32>
  return %y : tensor<1x2x1xf32>
}

// -----

// ceil_mode extends the end padding (with -inf) so every window fits.
// CHECK-LABEL: func.func @max_pool_ceil
// CHECK:         %[[NEG_INF:.*]] = arith.constant 0xFF800000 : f32
// CHECK:         %[[PAD:.*]] = tensor.pad %{{.*}} low[0, 0, 0, 0] high[0, 0, 1, 1]
// CHECK:           tensor.yield %[[NEG_INF]] : f32
// CHECK:         %[[INIT:.*]] = linalg.fill ins(%[[NEG_INF]] : f32)
// CHECK:         %[[WIN:.*]] = tensor.empty() : tensor<3x3xf32>
// CHECK:         linalg.pooling_nchw_max {dilations = dense<1> : tensor<2xi64>, strides = dense<2> : tensor<2xi64>}
// CHECK-SAME:      ins(%[[PAD]], %[[WIN]] : tensor<1x3x5x5xf32>, tensor<3x3xf32>) outs(%[[INIT]] : tensor<1x3x2x2xf32>)
func.func @max_pool_ceil(%x: tensor<1x3x4x4xf32>) -> tensor<1x3x2x2xf32> {
  %y = qopt.max_pool %x {ceil_mode = 1 : i64, kernel_shape = array<i64: 3, 3>, strides = array<i64: 2, 2>} : (tensor<1x3x4x4xf32>) -> tensor<1x3x2x2xf32>
  return %y : tensor<1x3x2x2xf32>
}

// -----

// Unsigned max pool: a window generic with maxui, padded with 0.
// CHECK-DAG:   #[[IN:.*]] = affine_map<(d0, d1, d2, d3, d4, d5) -> (d0, d1, d2 * 2 + d4, d3 * 2 + d5)>
// CHECK-DAG:   #[[WIN:.*]] = affine_map<(d0, d1, d2, d3, d4, d5) -> (d4, d5)>
// CHECK-LABEL: func.func @max_pool_u8
// CHECK:         linalg.generic {indexing_maps = [#[[IN]], #[[WIN]], #{{.*}}], iterator_types = ["parallel", "parallel", "parallel", "parallel", "reduction", "reduction"]}
// CHECK:           arith.maxui
func.func @max_pool_u8(%x: tensor<1x1x4x4xui8>) -> tensor<1x1x2x2xui8> {
  %y = qopt.max_pool %x {kernel_shape = array<i64: 2, 2>, strides = array<i64: 2, 2>} : (tensor<1x1x4x4xui8>) -> tensor<1x1x2x2xui8>
  return %y : tensor<1x1x2x2xui8>
}

// -----

// MaxPool with Indices: one generic reducing (value, flat index) pairs.
// CHECK-LABEL: func.func @max_pool_indices
// CHECK:         %[[R:.*]]:2 = linalg.generic
// CHECK-SAME:      iterator_types = ["parallel", "parallel", "parallel", "parallel", "reduction", "reduction"]
// CHECK:           arith.cmpf ogt
// CHECK:           linalg.yield %{{.*}}, %{{.*}} : f32, i64
// CHECK:         } -> (tensor<1x1x5x5xf32>, tensor<1x1x5x5xi64>)
// CHECK:         return %[[R]]#0, %[[R]]#1
func.func @max_pool_indices(%x: tensor<1x1x5x5xf32>) -> (tensor<1x1x5x5xf32>, tensor<1x1x5x5xi64>) {
  %y, %i = qopt.max_pool %x {kernel_shape = array<i64: 5, 5>, pads = array<i64: 2, 2, 2, 2>} : (tensor<1x1x5x5xf32>) -> (tensor<1x1x5x5xf32>, tensor<1x1x5x5xi64>)
  return %y, %i : tensor<1x1x5x5xf32>, tensor<1x1x5x5xi64>
}

// -----

// Without padding every window counts kernel-size elements.
// CHECK-LABEL: func.func @average_pool
// CHECK-NOT:     tensor.pad
// CHECK:         %[[SUM:.*]] = linalg.pooling_nchw_sum
// CHECK:         linalg.generic
// CHECK-SAME:      ins(%[[SUM]] : tensor<1x3x4x4xf32>)
// CHECK:           %[[FOUR:.*]] = arith.constant 4.000000e+00 : f32
// CHECK:           arith.divf %{{.*}}, %[[FOUR]] : f32
func.func @average_pool(%x: tensor<1x3x8x8xf32>) -> tensor<1x3x4x4xf32> {
  %y = qopt.average_pool %x {kernel_shape = array<i64: 2, 2>, strides = array<i64: 2, 2>} : (tensor<1x3x8x8xf32>) -> tensor<1x3x4x4xf32>
  return %y : tensor<1x3x4x4xf32>
}

// -----

// With pads (count_include_pad = 0) the divisor comes from one count table
// per spatial dim, read with (d2) and (d3).
// CHECK-DAG:   #[[ID:.*]] = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>
// CHECK-DAG:   #[[H:.*]] = affine_map<(d0, d1, d2, d3) -> (d2)>
// CHECK-DAG:   #[[W:.*]] = affine_map<(d0, d1, d2, d3) -> (d3)>
// CHECK-LABEL: func.func @average_pool_pads
// CHECK:         tensor.pad %{{.*}} low[0, 0, 1, 1] high[0, 0, 1, 1]
// CHECK:         %[[SUM:.*]] = linalg.pooling_nchw_sum
// CHECK:         %[[CH:.*]] = linalg.generic {{.*}} outs(%{{.*}} : tensor<8xf32>)
// CHECK:           linalg.index 0
// CHECK:           arith.ceildivsi
// CHECK:           arith.floordivsi
// CHECK:           arith.sitofp
// CHECK:         %[[CW:.*]] = linalg.generic {{.*}} outs(%{{.*}} : tensor<8xf32>)
// CHECK:         linalg.generic {indexing_maps = [#[[ID]], #[[H]], #[[W]], #[[ID]]]
// CHECK-SAME:      ins(%[[SUM]], %[[CH]], %[[CW]] : tensor<1x3x8x8xf32>, tensor<8xf32>, tensor<8xf32>)
// CHECK:           arith.mulf
// CHECK:           arith.mulf
// CHECK:           arith.divf
func.func @average_pool_pads(%x: tensor<1x3x8x8xf32>) -> tensor<1x3x8x8xf32> {
  %y = qopt.average_pool %x {kernel_shape = array<i64: 3, 3>, pads = array<i64: 1, 1, 1, 1>} : (tensor<1x3x8x8xf32>) -> tensor<1x3x8x8xf32>
  return %y : tensor<1x3x8x8xf32>
}

// -----

// CHECK-LABEL: func.func @global_average_pool
// CHECK:         linalg.generic
// CHECK-SAME:      iterator_types = ["parallel", "parallel", "reduction", "reduction"]
// CHECK:         } -> tensor<?x3xf32>
// CHECK:         %[[MEAN:.*]] = linalg.generic
// CHECK:           arith.divf
// CHECK:         tensor.reshape %[[MEAN]](%{{.*}}) : (tensor<?x3xf32>, tensor<4xindex>) -> tensor<?x3x1x1xf32>
func.func @global_average_pool(%x: tensor<?x3x7x7xf32>) -> tensor<?x3x1x1xf32> {
  %y = qopt.global_average_pool %x : (tensor<?x3x7x7xf32>) -> tensor<?x3x1x1xf32>
  return %y : tensor<?x3x1x1xf32>
}

// -----

// CHECK-DAG:   #[[ID:.*]] = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>
// CHECK-DAG:   #[[CH:.*]] = affine_map<(d0, d1, d2, d3) -> (d1)>
// CHECK-LABEL: func.func @batch_norm
// CHECK:         %[[EPS:.*]] = arith.constant 0.00999999977 : f32
// CHECK:         linalg.generic {indexing_maps = [#[[ID]], #[[CH]], #[[CH]], #[[CH]], #[[CH]], #[[ID]]]
// CHECK:         ^bb0(%[[X:.*]]: f32, %[[S:.*]]: f32, %[[B:.*]]: f32, %[[M:.*]]: f32, %[[V:.*]]: f32, %{{.*}}: f32):
// CHECK:           %[[C:.*]] = arith.subf %[[X]], %[[M]]
// CHECK:           %[[VE:.*]] = arith.addf %[[V]], %[[EPS]]
// CHECK:           %[[SD:.*]] = math.sqrt %[[VE]]
// CHECK:           %[[N:.*]] = arith.divf %[[C]], %[[SD]]
// CHECK:           %[[NS:.*]] = arith.mulf %[[N]], %[[S]]
// CHECK:           arith.addf %[[NS]], %[[B]]
func.func @batch_norm(%x: tensor<2x3x4x5xf32>, %s: tensor<3xf32>, %b: tensor<3xf32>, %m: tensor<3xf32>, %v: tensor<3xf32>) -> tensor<2x3x4x5xf32> {
  %y = qopt.batch_normalization %x, %s, %b, %m, %v {epsilon = 1.0e-02 : f32} : (tensor<2x3x4x5xf32>, tensor<3xf32>, tensor<3xf32>, tensor<3xf32>, tensor<3xf32>) -> tensor<2x3x4x5xf32>
  return %y : tensor<2x3x4x5xf32>
}

// -----

// CHECK-LABEL: func.func @instance_norm
// CHECK:         linalg.generic {{.*}} iterator_types = ["parallel", "parallel", "reduction"]
// CHECK:         linalg.generic {{.*}} iterator_types = ["parallel", "parallel", "reduction"]
// CHECK:           math.sqrt
// CHECK:         linalg.generic
// CHECK:           arith.divf
// CHECK:           arith.mulf
// CHECK:           arith.addf
func.func @instance_norm(%x: tensor<2x3x10xf32>, %s: tensor<3xf32>, %b: tensor<3xf32>) -> tensor<2x3x10xf32> {
  %y = qopt.instance_normalization %x, %s, %b : (tensor<2x3x10xf32>, tensor<3xf32>, tensor<3xf32>) -> tensor<2x3x10xf32>
  return %y : tensor<2x3x10xf32>
}

// -----

// CHECK-LABEL: func.func @lp_norm_l2
// CHECK:         linalg.generic {{.*}} iterator_types = ["parallel", "reduction"]
// CHECK:           arith.mulf
// CHECK:           arith.addf
// CHECK:         linalg.generic
// CHECK:           math.sqrt
// CHECK:           arith.divf
func.func @lp_norm_l2(%x: tensor<2x3xf32>) -> tensor<2x3xf32> {
  %y = qopt.lp_normalization %x : (tensor<2x3xf32>) -> tensor<2x3xf32>
  return %y : tensor<2x3xf32>
}

// -----

// Hardmax: first-argmax reduction, then a one-hot generic.
// CHECK-LABEL: func.func @hardmax
// CHECK:         %[[ARG:.*]]:2 = linalg.generic {{.*}} iterator_types = ["parallel", "reduction"]
// CHECK:         } -> (tensor<3xf32>, tensor<3xi64>)
// CHECK:         linalg.generic
// CHECK-SAME:      ins(%[[ARG]]#1 : tensor<3xi64>)
// CHECK:           linalg.index 1
// CHECK:           arith.cmpi eq
// CHECK:           arith.select
func.func @hardmax(%x: tensor<3x4xf32>) -> tensor<3x4xf32> {
  %y = qopt.hardmax %x {axis = 1 : i64} : (tensor<3x4xf32>) -> tensor<3x4xf32>
  return %y : tensor<3x4xf32>
}

// -----

// CHECK-LABEL: func.func @depth_to_space_crd
// CHECK:         %[[E:.*]] = tensor.expand_shape %{{.*}} {{\[\[}}0], [1, 2, 3], [4], [5]] output_shape [1, 2, 2, 2, 2, 3] : tensor<1x8x2x3xf32> into tensor<1x2x2x2x2x3xf32>
// CHECK:         %[[T:.*]] = linalg.transpose ins(%[[E]] : tensor<1x2x2x2x2x3xf32>) outs(%{{.*}} : tensor<1x2x2x2x3x2xf32>) permutation = [0, 1, 4, 2, 5, 3]
// CHECK:         tensor.collapse_shape %[[T]] {{\[\[}}0], [1], [2, 3], [4, 5]] : tensor<1x2x2x2x3x2xf32> into tensor<1x2x4x6xf32>
func.func @depth_to_space_crd(%x: tensor<1x8x2x3xf32>) -> tensor<1x2x4x6xf32> {
  %y = qopt.depth_to_space %x {blocksize = 2 : i64, mode = "CRD"} : (tensor<1x8x2x3xf32>) -> tensor<1x2x4x6xf32>
  return %y : tensor<1x2x4x6xf32>
}

// -----

// CHECK-LABEL: func.func @depth_to_space_dcr
// CHECK:         tensor.expand_shape %{{.*}} output_shape [1, 2, 2, 2, 2, 3]
// CHECK:         linalg.transpose {{.*}} permutation = [0, 3, 4, 1, 5, 2]
func.func @depth_to_space_dcr(%x: tensor<1x8x2x3xf32>) -> tensor<1x2x4x6xf32> {
  %y = qopt.depth_to_space %x {blocksize = 2 : i64} : (tensor<1x8x2x3xf32>) -> tensor<1x2x4x6xf32>
  return %y : tensor<1x2x4x6xf32>
}

// -----

// CHECK-LABEL: func.func @space_to_depth
// CHECK:         %[[E:.*]] = tensor.expand_shape %{{.*}} {{\[\[}}0], [1], [2, 3], [4, 5]] output_shape [%{{.*}}, 3, 2, 2, 3, 2] : tensor<?x3x4x6xf32> into tensor<?x3x2x2x3x2xf32>
// CHECK:         %[[T:.*]] = linalg.transpose ins(%[[E]] : {{.*}}) outs(%{{.*}} : tensor<?x2x2x3x2x3xf32>) permutation = [0, 3, 5, 1, 2, 4]
// CHECK:         tensor.collapse_shape %[[T]] {{\[\[}}0], [1, 2, 3], [4], [5]] : tensor<?x2x2x3x2x3xf32> into tensor<?x12x2x3xf32>
func.func @space_to_depth(%x: tensor<?x3x4x6xf32>) -> tensor<?x12x2x3xf32> {
  %y = qopt.space_to_depth %x {blocksize = 2 : i64} : (tensor<?x3x4x6xf32>) -> tensor<?x12x2x3xf32>
  return %y : tensor<?x12x2x3xf32>
}

// -----

// Nearest resize with constant scales: a gather generic; N and C (size 1)
// read index 0, H and W are rounded (floor) and clamped.
// CHECK-LABEL: func.func @resize_nearest
// CHECK-SAME:    %[[X:.*]]: tensor<1x1x2x2xf32>
// CHECK:         linalg.generic {{.*}} iterator_types = ["parallel", "parallel", "parallel", "parallel"]
// CHECK-SAME:      outs(%{{.*}} : tensor<1x1x4x6xf32>)
// CHECK:           linalg.index 2
// CHECK:           math.floor
// CHECK:           arith.minsi
// CHECK:           linalg.index 3
// CHECK:           math.floor
// CHECK:           arith.minsi
// CHECK:           %[[V:.*]] = tensor.extract %[[X]]
// CHECK:           linalg.yield %[[V]] : f32
func.func @resize_nearest(%x: tensor<1x1x2x2xf32>) -> tensor<1x1x4x6xf32> {
  %s = arith.constant dense<[1.0, 1.0, 2.0, 3.0]> : tensor<4xf32>
  %y = qopt.resize %x scales %s {coordinate_transformation_mode = "asymmetric", nearest_mode = "floor"} : (tensor<1x1x2x2xf32>, tensor<4xf32>) -> tensor<1x1x4x6xf32>
  return %y : tensor<1x1x4x6xf32>
}

// -----

// Bilinear resize with runtime sizes: the output size comes from the type,
// C (static 3 -> 3) is not resized, H and W take 2 taps each (4 extracts).
// CHECK-LABEL: func.func @resize_linear
// CHECK:         linalg.generic
// CHECK-SAME:      outs(%{{.*}} : tensor<1x3x8x8xf32>)
// CHECK-COUNT-4:   tensor.extract
// CHECK:           arith.truncf %{{.*}} : f64 to f32
func.func @resize_linear(%x: tensor<1x3x4x4xf32>, %sizes: tensor<4xi64>) -> tensor<1x3x8x8xf32> {
  %y = qopt.resize %x sizes %sizes {mode = "linear"} : (tensor<1x3x4x4xf32>, tensor<4xi64>) -> tensor<1x3x8x8xf32>
  return %y : tensor<1x3x8x8xf32>
}

//--- invalid.mlir

func.func @lp_norm_p3(%x: tensor<2x3xf32>) -> tensor<2x3xf32> {
  // expected-error @+1 {{failed to legalize operation 'qopt.lp_normalization'}}
  %y = qopt.lp_normalization %x {p = 3 : i64} : (tensor<2x3xf32>) -> tensor<2x3xf32>
  return %y : tensor<2x3xf32>
}

// -----

func.func @resize_linear_int(%x: tensor<1x1x2x2xi32>, %s: tensor<4xf32>) -> tensor<1x1x4x4xi32> {
  // expected-error @+1 {{failed to legalize operation 'qopt.resize'}}
  %y = qopt.resize %x scales %s {mode = "linear"} : (tensor<1x1x2x2xi32>, tensor<4xf32>) -> tensor<1x1x4x4xi32>
  return %y : tensor<1x1x4x4xi32>
}

// -----

func.func @conv_transpose_dynamic_channels(%x: tensor<1x?x3x3xf32>, %w: tensor<?x2x3x3xf32>) -> tensor<1x2x5x5xf32> {
  // expected-error @+1 {{failed to legalize operation 'qopt.conv_transpose'}}
  %y = qopt.conv_transpose %x, %w : (tensor<1x?x3x3xf32>, tensor<?x2x3x3xf32>) -> tensor<1x2x5x5xf32>
  return %y : tensor<1x2x5x5xf32>
}
