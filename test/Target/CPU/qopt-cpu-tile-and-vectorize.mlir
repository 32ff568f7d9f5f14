// RUN: qopt-opt %s -qopt-cpu-tile-and-vectorize="min-parallel-work=1" -split-input-file | FileCheck %s
// RUN: qopt-opt %s -qopt-cpu-tile-and-vectorize="m-tile=2 n-tile=4 min-parallel-work=1" -split-input-file | FileCheck %s --check-prefix=PACK
// RUN: qopt-opt %s -qopt-cpu-tile-and-vectorize="m-tile=2 n-tile=4 pack-weights=false parallelize=false" -split-input-file \
// RUN:   | FileCheck %s --check-prefix=NOPACK --implicit-check-not=qopt.parallel --implicit-check-not=packed_weight

// -qopt-cpu-tile-and-vectorize on linalg ops with tensor semantics:
// contractions are tiled to an m-tile x n-tile register tile with K tiled by
// 1 (loop order N, M, K) and vectorized; a constant [K, N] weight is first
// packed as [N / n-tile, K, n-tile]; ops without a reduction are tiled along
// the innermost loop by vector-width and vectorized; dynamic loops are
// peeled so that only the full tiles are vectorized and the remainder stays
// scalar. The outermost parallel tile loop is marked qopt.parallel. The pass
// reports no errors; its negative cases are ops it must leave scalar (bool
// ops, reductions, remainder tiles).
//
// The vectorized contraction is an elementwise multiply of the broadcast
// operand tiles plus a vector.multi_reduction <add> over the unit K dim (the
// vectorizer's default form), not the vector.contract Passes.td describes.

// A constant weight packed at compile time (the PACK run, n-tile = 4 < N =
// 8): the [2, 8] weight becomes [2, 2, 4] panels, i.e. bytes 0-3 8-11 4-7
// 12-15, and the matmul a contraction into the accumulator expanded to
// [M, N/4, 4].
// PACK-DAG:   #[[AMAP:map[0-9]*]] = affine_map<(d0, d1) -> (d0, 0, 0, d1)>
// PACK-DAG:   #[[BMAP:map[0-9]*]] = affine_map<(d0, d1, d2) -> (0, d0, d2, d1)>
// PACK-LABEL: func.func @matmul_const_weight
// PACK-SAME:    %[[A:.*]]: tensor<4x2xi8>
// PACK-DAG:     %[[C0:.*]] = arith.constant 0 : index
// PACK-DAG:     %[[C1:.*]] = arith.constant 1 : index
// PACK-DAG:     %[[C2:.*]] = arith.constant 2 : index
// PACK-DAG:     %[[C4:.*]] = arith.constant 4 : index
// PACK-DAG:     %[[W:.*]] = arith.constant dense_resource<qopt.packed_weight> : tensor<2x2x4xi8>
// PACK:         %[[E:.*]] = tensor.empty() : tensor<4x8xi8>
// PACK:         %[[E3:.*]] = tensor.expand_shape %[[E]] {{\[\[}}0], [1, 2]] output_shape [4, 2, 4] : tensor<4x8xi8> into tensor<4x2x4xi8>
// PACK:         %[[ACC:.*]] = linalg.fill ins(%{{.*}} : i8) outs(%[[E3]] : tensor<4x2x4xi8>)
// PACK:         %[[R:.*]] = scf.for %[[NB:.*]] = %[[C0]] to %[[C2]] step %[[C1]] iter_args(%{{.*}} = %[[ACC]]) -> (tensor<4x2x4xi8>) {
// PACK:           scf.for %[[M:.*]] = %[[C0]] to %[[C4]] step %[[C2]]
// PACK:             scf.for %[[K:.*]] = %[[C0]] to %[[C2]] step %[[C1]] iter_args(%[[T:.*]] = %{{.*}})
// PACK:               %[[AT:.*]] = tensor.extract_slice %[[A]][%[[M]], %[[K]]] [2, 1] [1, 1] : tensor<4x2xi8> to tensor<2x1xi8>
// PACK:               %[[BT:.*]] = tensor.extract_slice %[[W]][%[[NB]], %[[K]], 0] [1, 1, 4] [1, 1, 1] : tensor<2x2x4xi8> to tensor<1x1x4xi8>
// PACK:               %[[CT:.*]] = tensor.extract_slice %[[T]][%[[M]], %[[NB]], 0] [2, 1, 4] [1, 1, 1] : tensor<4x2x4xi8> to tensor<2x1x4xi8>
// PACK:               %[[AV:.*]] = vector.transfer_read %[[AT]]{{.*}} {permutation_map = #[[AMAP]]} : tensor<2x1xi8>, vector<2x1x4x1xi8>
// PACK:               %[[BV:.*]] = vector.transfer_read %[[BT]]{{.*}} {permutation_map = #[[BMAP]]} : tensor<1x1x4xi8>, vector<2x1x4x1xi8>
// PACK:               %[[CV:.*]] = vector.transfer_read %[[CT]]{{.*}} : tensor<2x1x4xi8>, vector<2x1x4xi8>
// PACK:               %[[P:.*]] = arith.muli %[[AV]], %[[BV]] : vector<2x1x4x1xi8>
// PACK:               %[[S:.*]] = vector.multi_reduction <add>, %[[P]], %[[CV]] [3] : vector<2x1x4x1xi8> to vector<2x1x4xi8>
// PACK:               vector.transfer_write %[[S]], %[[CT]]
// PACK:         } {qopt.parallel}
// PACK:         %[[Y:.*]] = tensor.collapse_shape %[[R]] {{\[\[}}0], [1, 2]] : tensor<4x2x4xi8> into tensor<4x8xi8>
// PACK:         return %[[Y]]
// PACK:         qopt.packed_weight: "0x400000000001020308090A0B040506070C0D0E0F"

// NOPACK-LABEL: func.func @matmul_const_weight
// NOPACK:         %[[W:.*]] = arith.constant dense<{{\[\[}}0, 1, 2, 3, 4, 5, 6, 7], [8, 9, 10, 11, 12, 13, 14, 15]]> : tensor<2x8xi8>
// NOPACK:         scf.for %{{.*}} = %{{.*}} to %{{.*}} step %{{.*}} iter_args
// NOPACK:           tensor.extract_slice %[[W]][%{{.*}}, %{{.*}}] [1, 4] [1, 1] : tensor<2x8xi8> to tensor<1x4xi8>
// NOPACK:           vector.multi_reduction <add>, %{{.*}}, %{{.*}} [2] : vector<2x4x1xi8> to vector<2x4xi8>

// Default tiles (8 x 32) are clamped to the small static dims: only the K
// loop is left, and N = 8 <= n-tile leaves the weight unpacked.
// CHECK-LABEL: func.func @matmul_const_weight
// CHECK:         %[[W:.*]] = arith.constant dense<{{.*}}> : tensor<2x8xi8>
// CHECK:         %[[R:.*]] = scf.for %[[K:.*]] = %{{.*}} to %{{.*}} step %{{.*}} iter_args(%[[T:.*]] = %{{.*}}) -> (tensor<4x8xi8>) {
// CHECK-NOT:       scf.for
// CHECK:           vector.multi_reduction <add>, %{{.*}}, %{{.*}} [2] : vector<4x8x1xi8> to vector<4x8xi8>
// CHECK:           vector.transfer_write %{{.*}}, %[[T]]
// CHECK:         }
// CHECK-NEXT:    return %[[R]]
func.func @matmul_const_weight(%a: tensor<4x2xi8>) -> tensor<4x8xi8> {
  %w = arith.constant dense<[[0, 1, 2, 3, 4, 5, 6, 7], [8, 9, 10, 11, 12, 13, 14, 15]]> : tensor<2x8xi8>
  %c0 = arith.constant 0 : i8
  %e = tensor.empty() : tensor<4x8xi8>
  %f = linalg.fill ins(%c0 : i8) outs(%e : tensor<4x8xi8>) -> tensor<4x8xi8>
  %r = linalg.matmul ins(%a, %w : tensor<4x2xi8>, tensor<2x8xi8>) outs(%f : tensor<4x8xi8>) -> tensor<4x8xi8>
  return %r : tensor<4x8xi8>
}

// -----

// A dynamic M: the M loop is peeled. The main loop runs full 8 x 32 tiles,
// vectorized; the remainder (fewer than 8 rows) stays a scalar linalg.matmul
// on a dynamically sized tile. The N loop (a parallel dim) is marked.
// CHECK-DAG:   #[[FLOOR:map[0-9]*]] = affine_map<()[s0] -> ((s0 floordiv 8) * 8)>
// CHECK-LABEL: func.func @matmul_dynamic_m
// CHECK-SAME:    %[[A:.*]]: tensor<?x16xf32>, %[[B:.*]]: tensor<16x64xf32>
// CHECK-DAG:     %[[C0:.*]] = arith.constant 0 : index
// CHECK-DAG:     %[[C1:.*]] = arith.constant 1 : index
// CHECK-DAG:     %[[C8:.*]] = arith.constant 8 : index
// CHECK-DAG:     %[[C16:.*]] = arith.constant 16 : index
// CHECK-DAG:     %[[C32:.*]] = arith.constant 32 : index
// CHECK-DAG:     %[[C64:.*]] = arith.constant 64 : index
// CHECK:         linalg.fill
// CHECK:         %[[M:.*]] = tensor.dim %[[A]], %[[C0]] : tensor<?x16xf32>
// CHECK:         scf.for %[[N:.*]] = %[[C0]] to %[[C64]] step %[[C32]]
// CHECK:           %[[MAIN:.*]] = affine.apply #[[FLOOR]]()[%[[M]]]
// CHECK:           %[[FULL:.*]] = scf.for %[[I:.*]] = %[[C0]] to %[[MAIN]] step %[[C8]]
// CHECK:             scf.for %[[K:.*]] = %[[C0]] to %[[C16]] step %[[C1]]
// CHECK:               tensor.extract_slice %[[B]][%[[K]], %[[N]]] [1, 32] [1, 1] : tensor<16x64xf32> to tensor<1x32xf32>
// CHECK:               tensor.extract_slice %[[A]][%[[I]], %[[K]]] [8, 1] [1, 1] : tensor<?x16xf32> to tensor<8x1xf32>
// CHECK:               arith.mulf %{{.*}}, %{{.*}} : vector<8x32x1xf32>
// CHECK:               vector.multi_reduction <add>, %{{.*}}, %{{.*}} [2] : vector<8x32x1xf32> to vector<8x32xf32>
// CHECK-NOT:           linalg.matmul
// CHECK:           scf.for %{{.*}} = %[[MAIN]] to %[[M]] step %[[C8]] iter_args(%{{.*}} = %[[FULL]])
// CHECK:             scf.for
// CHECK-NOT:           vector.
// CHECK:               linalg.matmul ins(%{{.*}}, %{{.*}} : tensor<?x1xf32>, tensor<1x32xf32>) outs(%{{.*}} : tensor<?x32xf32>)
// CHECK:         } {qopt.parallel}

// Without parallelize, no loop is marked (implicit-check-not).
// NOPACK-LABEL: func.func @matmul_dynamic_m
// NOPACK:         scf.for
func.func @matmul_dynamic_m(%a: tensor<?x16xf32>, %b: tensor<16x64xf32>) -> tensor<?x64xf32> {
  %cst = arith.constant 0.0 : f32
  %c0 = arith.constant 0 : index
  %m = tensor.dim %a, %c0 : tensor<?x16xf32>
  %e = tensor.empty(%m) : tensor<?x64xf32>
  %f = linalg.fill ins(%cst : f32) outs(%e : tensor<?x64xf32>) -> tensor<?x64xf32>
  %r = linalg.matmul ins(%a, %b : tensor<?x16xf32>, tensor<16x64xf32>) outs(%f : tensor<?x64xf32>) -> tensor<?x64xf32>
  return %r : tensor<?x64xf32>
}

// -----

// An elementwise op: the innermost loop is tiled by vector-width (16), other
// loops by 1. The static remainder (40 = 2 * 16 + 8) is a smaller static
// tile, vectorized too. Loop d0 is marked parallel.
// CHECK-LABEL: func.func @elementwise
// CHECK-SAME:    %[[A:.*]]: tensor<4x40xf32>, %[[B:.*]]: tensor<4x40xf32>
// CHECK-DAG:     %[[C0:.*]] = arith.constant 0 : index
// CHECK-DAG:     %[[C1:.*]] = arith.constant 1 : index
// CHECK-DAG:     %[[C4:.*]] = arith.constant 4 : index
// CHECK-DAG:     %[[C16:.*]] = arith.constant 16 : index
// CHECK-DAG:     %[[C32:.*]] = arith.constant 32 : index
// CHECK:         scf.for %[[I:.*]] = %[[C0]] to %[[C4]] step %[[C1]]
// CHECK:           scf.for %[[J:.*]] = %[[C0]] to %[[C32]] step %[[C16]]
// CHECK:             %[[X:.*]] = vector.transfer_read %{{.*}} : tensor<1x16xf32>, vector<1x16xf32>
// CHECK:             %[[Y:.*]] = vector.transfer_read %{{.*}} : tensor<1x16xf32>, vector<1x16xf32>
// CHECK:             %[[S:.*]] = arith.addf %[[X]], %[[Y]] : vector<1x16xf32>
// CHECK:             vector.transfer_write %[[S]], %{{.*}} : vector<1x16xf32>, tensor<1x16xf32>
// CHECK:           }
// CHECK:           tensor.extract_slice %[[A]][%[[I]], 32] [1, 8] [1, 1] : tensor<4x40xf32> to tensor<1x8xf32>
// CHECK:           arith.addf %{{.*}}, %{{.*}} : vector<1x8xf32>
// CHECK:         } {qopt.parallel}
// CHECK-NOT:     linalg.generic
func.func @elementwise(%a: tensor<4x40xf32>, %b: tensor<4x40xf32>) -> tensor<4x40xf32> {
  %e = tensor.empty() : tensor<4x40xf32>
  %r = linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d0, d1)>],
                       iterator_types = ["parallel", "parallel"]}
      ins(%a, %b : tensor<4x40xf32>, tensor<4x40xf32>) outs(%e : tensor<4x40xf32>) {
  ^bb0(%x: f32, %y: f32, %o: f32):
    %s = arith.addf %x, %y : f32
    linalg.yield %s : f32
  } -> tensor<4x40xf32>
  return %r : tensor<4x40xf32>
}

// -----

// A dynamic 1-D elementwise op: full 16-element tiles are vector<16xf32>;
// the remainder tile (dynamic size) keeps the scalar linalg.generic.
// CHECK-LABEL: func.func @elementwise_dynamic
// CHECK-SAME:    %[[A:.*]]: tensor<?xf32>
// CHECK:         %[[MAIN:.*]] = affine.apply
// CHECK:         %[[FULL:.*]] = scf.for %{{.*}} = %{{.*}} to %[[MAIN]] step %{{.*}}
// CHECK:           %[[V:.*]] = vector.transfer_read %{{.*}} : tensor<16xf32>, vector<16xf32>
// CHECK:           %[[E:.*]] = math.exp %[[V]] : vector<16xf32>
// CHECK:           vector.transfer_write %[[E]], %{{.*}} : vector<16xf32>, tensor<16xf32>
// CHECK:         scf.for %{{.*}} = %[[MAIN]] to %{{.*}} step %{{.*}} iter_args(%{{.*}} = %[[FULL]])
// CHECK-NOT:       vector.
// CHECK:           linalg.generic
// CHECK-SAME:        ins(%{{.*}} : tensor<?xf32>)
// CHECK:             math.exp %{{.*}} : f32
func.func @elementwise_dynamic(%a: tensor<?xf32>) -> tensor<?xf32> {
  %c0 = arith.constant 0 : index
  %n = tensor.dim %a, %c0 : tensor<?xf32>
  %e = tensor.empty(%n) : tensor<?xf32>
  %r = linalg.generic {indexing_maps = [affine_map<(d0) -> (d0)>, affine_map<(d0) -> (d0)>], iterator_types = ["parallel"]}
      ins(%a : tensor<?xf32>) outs(%e : tensor<?xf32>) {
  ^bb0(%x: f32, %o: f32):
    %s = math.exp %x : f32
    linalg.yield %s : f32
  } -> tensor<?xf32>
  return %r : tensor<?xf32>
}

// -----

// Must stay scalar: i1 tensors are stored a byte per element while vector<Nxi1>
// is bit-packed. The op is tiled like any elementwise op, but no tile is
// vectorized.
// CHECK-LABEL: func.func @bool_stays_scalar
// CHECK:         scf.for
// CHECK:           scf.for
// CHECK-NOT:         vector.
// CHECK:             linalg.generic
// CHECK-SAME:          ins(%{{.*}}, %{{.*}} : tensor<1x16xi1>, tensor<1x16xi1>)
// CHECK:               arith.andi %{{.*}}, %{{.*}} : i1
// CHECK-NOT:     vector.
// CHECK:         return
func.func @bool_stays_scalar(%a: tensor<4x40xi1>, %b: tensor<4x40xi1>) -> tensor<4x40xi1> {
  %e = tensor.empty() : tensor<4x40xi1>
  %r = linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d0, d1)>],
                       iterator_types = ["parallel", "parallel"]}
      ins(%a, %b : tensor<4x40xi1>, tensor<4x40xi1>) outs(%e : tensor<4x40xi1>) {
  ^bb0(%x: i1, %y: i1, %o: i1):
    %s = arith.andi %x, %y : i1
    linalg.yield %s : i1
  } -> tensor<4x40xi1>
  return %r : tensor<4x40xi1>
}

// -----

// A reduction over a static innermost dim longer than a vector: a partial
// reduction. Each row accumulates lane-wise into a 16-wide accumulator
// (identity-filled) over the full 16-wide tiles, then the 8-wide remainder
// (static after peeling) into its first 8 lanes; one multi_reduction per
// row merges the accumulator into the init value.
// CHECK-LABEL: func.func @reduction_static_inner
// CHECK:         scf.for
// CHECK:           %[[ACC0:.*]] = linalg.fill ins(%{{.*}} : f32) outs(%{{.*}} : tensor<1x16xf32>)
// CHECK:           scf.for %{{.*}} = %{{.*}} to %{{.*}} step %{{.*}} iter_args(%{{.*}} = %[[ACC0]])
// CHECK:             arith.addf %{{.*}}, %{{.*}} : vector<1x16xf32>
// CHECK:           arith.addf %{{.*}}, %{{.*}} : vector<1x8xf32>
// CHECK:           vector.multi_reduction <add>, %{{.*}}, %{{.*}} [1] : vector<1x16xf32> to vector<1xf32>
// CHECK:         } {qopt.parallel}
// CHECK-NOT:     linalg.generic
func.func @reduction_static_inner(%a: tensor<4x40xf32>, %init: tensor<4xf32>) -> tensor<4xf32> {
  %r = linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d0)>],
                       iterator_types = ["parallel", "reduction"]}
      ins(%a : tensor<4x40xf32>) outs(%init : tensor<4xf32>) {
  ^bb0(%x: f32, %o: f32):
    %s = arith.addf %x, %o : f32
    linalg.yield %s : f32
  } -> tensor<4xf32>
  return %r : tensor<4xf32>
}

// -----

// A reduction over a dynamic innermost dim: the same partial reduction;
// the full 16-wide tiles are vectorized (no masks needed), the peeled
// remainder of dynamic size stays a scalar linalg.generic accumulating into
// the first lanes, and the merge is one multi_reduction per row.
// CHECK-LABEL: func.func @reduction_dynamic_inner
// CHECK:         scf.for
// CHECK:           %[[FULL:.*]] = scf.for
// CHECK:             arith.addf %{{.*}}, %{{.*}} : vector<1x16xf32>
// CHECK:           %[[REST:.*]] = scf.for %{{.*}} iter_args(%{{.*}} = %[[FULL]])
// CHECK:             linalg.generic
// CHECK-SAME:          ins(%{{.*}} : tensor<1x?xf32>)
// CHECK:           vector.transfer_read %[[REST]]
// CHECK:           vector.multi_reduction <add>, %{{.*}}, %{{.*}} [1] : vector<1x16xf32> to vector<1xf32>
func.func @reduction_dynamic_inner(%a: tensor<4x?xf32>, %init: tensor<4xf32>) -> tensor<4xf32> {
  %r = linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d0)>],
                       iterator_types = ["parallel", "reduction"]}
      ins(%a : tensor<4x?xf32>) outs(%init : tensor<4xf32>) {
  ^bb0(%x: f32, %o: f32):
    %s = arith.addf %x, %o : f32
    linalg.yield %s : f32
  } -> tensor<4xf32>
  return %r : tensor<4xf32>
}

// -----

// With the default threshold, a small op gets no parallel loop: opening an
// OpenMP region would cost more than its work.
// RUN: qopt-opt %s -qopt-cpu-tile-and-vectorize -split-input-file | FileCheck %s --check-prefix=SMALL
// CHECK-LABEL: func.func @small_elementwise
// PACK-LABEL: func.func @small_elementwise
// NOPACK-LABEL: func.func @small_elementwise
// SMALL-LABEL: func.func @small_elementwise
// SMALL-NOT:     qopt.parallel
// SMALL:         return
func.func @small_elementwise(%a: tensor<4x40xf32>) -> tensor<4x40xf32> {
  %e = tensor.empty() : tensor<4x40xf32>
  %r = linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d0, d1)>],
                       iterator_types = ["parallel", "parallel"]}
      ins(%a : tensor<4x40xf32>) outs(%e : tensor<4x40xf32>) {
  ^bb0(%x: f32, %o: f32):
    %s = arith.addf %x, %x : f32
    linalg.yield %s : f32
  } -> tensor<4x40xf32>
  return %r : tensor<4x40xf32>
}

// -----

// A zero-padded NCHW convolution becomes a packed im2col copy (read through
// the pad: border lanes are inserted into zero vectors, rows in the padding
// selected away) and a contraction over [OH*OW / 32, K, 32] panels; the
// padded input is never built.
// CHECK-LABEL: func.func @conv_packed_im2col
// CHECK-NOT:     tensor.pad
// CHECK:         tensor.empty() : tensor<1x1x18x32xf32>
// CHECK:         scf.for
// CHECK:           arith.select %{{.*}} : index
// CHECK:           vector.transfer_read %[[X:.*]][%{{.*}}], %{{.*}} {in_bounds = [true]} : tensor<1x2x4x8xf32>, vector<7xf32>
// CHECK:           vector.insert_strided_slice %{{.*}} {offsets = [1], strides = [1]} : vector<7xf32> into vector<8xf32>
// CHECK:           vector.transfer_write %{{.*}} {in_bounds = [true]} : vector<8xf32>, tensor<1x1x18x32xf32>
// CHECK:         tensor.collapse_shape %{{.*}} {{\[}}[0], [1, 2, 3]] : tensor<3x2x3x3xf32> into tensor<3x18xf32>
// CHECK-NOT:     linalg.conv_2d_nchw_fchw
// CHECK:         vector.multi_reduction <add>
// PACK-LABEL: func.func @conv_packed_im2col
// NOPACK-LABEL: func.func @conv_packed_im2col
// SMALL-LABEL: func.func @conv_packed_im2col
func.func @conv_packed_im2col(%x: tensor<1x2x4x8xf32>, %w: tensor<3x2x3x3xf32>) -> tensor<1x3x4x8xf32> {
  %zero = arith.constant 0.0 : f32
  %padded = tensor.pad %x low[0, 0, 1, 1] high[0, 0, 1, 1] {
  ^bb0(%i: index, %j: index, %k: index, %l: index):
    tensor.yield %zero : f32
  } : tensor<1x2x4x8xf32> to tensor<1x2x6x10xf32>
  %e = tensor.empty() : tensor<1x3x4x8xf32>
  %init = linalg.fill ins(%zero : f32) outs(%e : tensor<1x3x4x8xf32>) -> tensor<1x3x4x8xf32>
  %y = linalg.conv_2d_nchw_fchw {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>}
      ins(%padded, %w : tensor<1x2x6x10xf32>, tensor<3x2x3x3xf32>) outs(%init : tensor<1x3x4x8xf32>) -> tensor<1x3x4x8xf32>
  return %y : tensor<1x3x4x8xf32>
}

// -----

// NCHW max pooling: per output row, one vector read per window row and a
// shuffle per window column picking every stride-th lane.
// CHECK-LABEL: func.func @max_pool_rows
// CHECK-NOT:     linalg.pooling_nchw_max
// CHECK:         scf.for
// CHECK:           vector.transfer_read %{{.*}} : tensor<1x2x2x4xf32>, vector<4xf32>
// CHECK:           vector.transfer_read %{{.*}} : tensor<1x2x4x8xf32>, vector<8xf32>
// CHECK:           vector.shuffle %{{.*}}, %{{.*}} [0, 2, 4, 6] : vector<8xf32>, vector<8xf32>
// CHECK:           arith.maximumf %{{.*}} : vector<4xf32>
// CHECK:           vector.shuffle %{{.*}}, %{{.*}} [1, 3, 5, 7] : vector<8xf32>, vector<8xf32>
// CHECK:           vector.transfer_write %{{.*}} : vector<4xf32>, tensor<1x2x2x4xf32>
// PACK-LABEL: func.func @max_pool_rows
// NOPACK-LABEL: func.func @max_pool_rows
// SMALL-LABEL: func.func @max_pool_rows
func.func @max_pool_rows(%x: tensor<1x2x4x8xf32>) -> tensor<1x2x2x4xf32> {
  %ninf = arith.constant 0xFF800000 : f32
  %e = tensor.empty() : tensor<1x2x2x4xf32>
  %init = linalg.fill ins(%ninf : f32) outs(%e : tensor<1x2x2x4xf32>) -> tensor<1x2x2x4xf32>
  %window = tensor.empty() : tensor<2x2xf32>
  %y = linalg.pooling_nchw_max {dilations = dense<1> : tensor<2xi64>, strides = dense<2> : tensor<2xi64>}
      ins(%x, %window : tensor<1x2x4x8xf32>, tensor<2x2xf32>) outs(%init : tensor<1x2x2x4xf32>) -> tensor<1x2x2x4xf32>
  return %y : tensor<1x2x2x4xf32>
}

// -----

// With vnni=true, a u8 x s8 -> i32 contraction with a constant weight
// [K=4, N=16] becomes the VNNI kernel: the weight packed as [N/16, K/4, 64]
// bytes, 8-row tiles then single rows, each k group one broadcast of 4
// bytes of A and one qopt.x86.dot_u8s8 per 16 columns (the single-trip
// column and k loops fold away).
// RUN: qopt-opt %s -qopt-cpu-tile-and-vectorize="vnni=true" -split-input-file | FileCheck %s --check-prefix=VNNI
// With avx2-int8=true (no vnni) the same kernel runs with 4-row x 16-column
// tiles and dot products marked pairwise_i16, since the weight (all 3s)
// has byte pairs within |w0| + |w1| <= 128; @int8_matmul_wide_pairs below
// does not, and keeps its generic.
// RUN: qopt-opt %s -qopt-cpu-tile-and-vectorize="avx2-int8=true" -split-input-file | FileCheck %s --check-prefix=AVX2
// AVX2-LABEL: func.func @int8_matmul
// AVX2:         scf.for
// AVX2-COUNT-4:   qopt.x86.dot_u8s8 %{{.*}}, %{{.*}}, %{{.*}} {pairwise_i16} : vector<16xi32>
// AVX2:         scf.for
// AVX2:             qopt.x86.dot_u8s8 %{{.*}}, %{{.*}}, %{{.*}} {pairwise_i16} : vector<16xi32>
// AVX2-NOT:     linalg.generic
// VNNI-LABEL: func.func @int8_matmul
// VNNI:         %[[W:.*]] = arith.constant dense_resource<qopt.packed_int8_weight> : tensor<1x1x64xi8>
// VNNI:         scf.for
// VNNI-COUNT-8:   qopt.x86.dot_u8s8
// VNNI:         scf.for
// VNNI:             vector.transfer_read %{{.*}} : tensor<?x4xi8>, vector<4xi8>
// VNNI:             vector.bitcast %{{.*}} : vector<4xi8> to vector<1xi32>
// VNNI:             qopt.x86.dot_u8s8 %{{.*}}, %{{.*}}, %{{.*}} : vector<16xi32>
// VNNI-NOT:     linalg.generic
// CHECK-LABEL: func.func @int8_matmul
// PACK-LABEL: func.func @int8_matmul
// NOPACK-LABEL: func.func @int8_matmul
// SMALL-LABEL: func.func @int8_matmul
func.func @int8_matmul(%a: tensor<?x4xi8>, %init: tensor<?x16xi32>) -> tensor<?x16xi32> {
  %b = arith.constant dense<3> : tensor<4x16xi8>
  %r = linalg.generic {indexing_maps = [affine_map<(m, n, k) -> (m, k)>, affine_map<(m, n, k) -> (k, n)>, affine_map<(m, n, k) -> (m, n)>],
                       iterator_types = ["parallel", "parallel", "reduction"]}
      ins(%a, %b : tensor<?x4xi8>, tensor<4x16xi8>) outs(%init : tensor<?x16xi32>) {
  ^bb0(%x: i8, %y: i8, %o: i32):
    %xe = arith.extui %x : i8 to i32
    %ye = arith.extsi %y : i8 to i32
    %p = arith.muli %xe, %ye : i32
    %s = arith.addi %o, %p : i32
    linalg.yield %s : i32
  } -> tensor<?x16xi32>
  return %r : tensor<?x16xi32>
}

// -----

// A batched activation [B, M, K] x [K, N] runs as [B * M, K] on the same
// kernel: collapsed in, reshaped back (tensor.reshape: expand_shape with two
// dynamic dims crashes MLIR 22's expand-strided-metadata).
// VNNI-LABEL: func.func @int8_matmul_batched
// VNNI:         tensor.collapse_shape %{{.*}} {{\[}}[0, 1], [2]] : tensor<?x?x4xi8> into tensor<?x4xi8>
// VNNI:         qopt.x86.dot_u8s8
// VNNI:         tensor.reshape %{{.*}}(%{{.*}}) : (tensor<?x16xi32>, tensor<3xindex>) -> tensor<?x?x16xi32>
// CHECK-LABEL: func.func @int8_matmul_batched
// PACK-LABEL: func.func @int8_matmul_batched
// NOPACK-LABEL: func.func @int8_matmul_batched
// SMALL-LABEL: func.func @int8_matmul_batched
func.func @int8_matmul_batched(%a: tensor<?x?x4xi8>, %init: tensor<?x?x16xi32>) -> tensor<?x?x16xi32> {
  %b = arith.constant dense<3> : tensor<4x16xi8>
  %r = linalg.generic {indexing_maps = [affine_map<(b, m, n, k) -> (b, m, k)>, affine_map<(b, m, n, k) -> (k, n)>, affine_map<(b, m, n, k) -> (b, m, n)>],
                       iterator_types = ["parallel", "parallel", "parallel", "reduction"]}
      ins(%a, %b : tensor<?x?x4xi8>, tensor<4x16xi8>) outs(%init : tensor<?x?x16xi32>) {
  ^bb0(%x: i8, %y: i8, %o: i32):
    %xe = arith.extui %x : i8 to i32
    %ye = arith.extsi %y : i8 to i32
    %p = arith.muli %xe, %ye : i32
    %s = arith.addi %o, %p : i32
    linalg.yield %s : i32
  } -> tensor<?x?x16xi32>
  return %r : tensor<?x?x16xi32>
}

// -----

// With vnni=true, the integer conv (group 1, stride 2, a constant weight
// [F=8, C=3, 3, 3], so K = 27 is padded to 28) becomes a packed u8 im2col
// [N, P/16, K4/4, 64] (4 row reads per k group, interleaved by shuffles;
// the last group reads past K and keeps zeros) and the VNNI kernel over
// [F, P]: the weight as [F, K4] bytes, 4 of them broadcast per channel,
// multiplied with 16 positions' patch bytes (rowsUnsigned = false: the
// patch is the u8 operand). OW = 8: a column block spans two output rows.
// VNNI-LABEL: func.func @int8_conv
// VNNI:         %[[W:.*]] = arith.constant dense_resource<qopt.packed_int8_weight> : tensor<8x28xi8>
// VNNI:         tensor.empty(%{{.*}}) : tensor<?x4x7x64xi8>
// VNNI:         scf.for
// VNNI:           scf.for
// VNNI:             scf.for
// VNNI:               vector.transfer_read %{{.*}} : tensor<?x3x18x18xi8>, vector<15xi8>
// VNNI:               vector.shuffle %{{.*}}, %{{.*}} [0, 2, 4, 6, 8, 10, 12, 14]
// VNNI:               vector.insert_strided_slice
// VNNI:               arith.select
// VNNI:               vector.shuffle %{{.*}}, %{{.*}} [0, 16, 32, 48, 1, 17, 33, 49
// VNNI:               vector.transfer_write %{{.*}} : vector<64xi8>, tensor<?x4x7x64xi8>
// VNNI:         tensor.collapse_shape %{{.*}} {{\[}}[0], [1], [2, 3]] : tensor<?x8x8x8xi32> into tensor<?x8x64xi32>
// VNNI:         scf.for
// VNNI:           scf.for
// VNNI:             scf.for
// VNNI-COUNT-16:      qopt.x86.dot_u8s8
// VNNI:         tensor.expand_shape
// VNNI-NOT:     linalg.generic
// CHECK-LABEL: func.func @int8_conv
// PACK-LABEL: func.func @int8_conv
// NOPACK-LABEL: func.func @int8_conv
// SMALL-LABEL: func.func @int8_conv
func.func @int8_conv(%x: tensor<?x3x18x18xi8>, %init: tensor<?x8x8x8xi32>) -> tensor<?x8x8x8xi32> {
  %w = arith.constant dense<3> : tensor<8x3x3x3xi8>
  %r = linalg.generic {indexing_maps = [affine_map<(n, f, oh, ow, c, kh, kw) -> (n, c, oh * 2 + kh, ow * 2 + kw)>, affine_map<(n, f, oh, ow, c, kh, kw) -> (f, c, kh, kw)>, affine_map<(n, f, oh, ow, c, kh, kw) -> (n, f, oh, ow)>],
                       iterator_types = ["parallel", "parallel", "parallel", "parallel", "reduction", "reduction", "reduction"]}
      ins(%x, %w : tensor<?x3x18x18xi8>, tensor<8x3x3x3xi8>) outs(%init : tensor<?x8x8x8xi32>) {
  ^bb0(%a: i8, %b: i8, %o: i32):
    %ae = arith.extui %a : i8 to i32
    %be = arith.extsi %b : i8 to i32
    %p = arith.muli %ae, %be : i32
    %s = arith.addi %o, %p : i32
    linalg.yield %s : i32
  } -> tensor<?x8x8x8xi32>
  return %r : tensor<?x8x8x8xi32>
}

// -----

// A weight pair (100, -100) along K: u8 x s8 pair sums could saturate i16,
// so avx2-int8 leaves the contraction to the generic path.
// AVX2-LABEL: func.func @int8_matmul_wide_pairs
// AVX2-NOT:     qopt.x86.dot_u8s8
// AVX2:         linalg.generic
// VNNI-LABEL: func.func @int8_matmul_wide_pairs
// VNNI:         qopt.x86.dot_u8s8
// CHECK-LABEL: func.func @int8_matmul_wide_pairs
// PACK-LABEL: func.func @int8_matmul_wide_pairs
// NOPACK-LABEL: func.func @int8_matmul_wide_pairs
// SMALL-LABEL: func.func @int8_matmul_wide_pairs
func.func @int8_matmul_wide_pairs(%a: tensor<?x4xi8>, %init: tensor<?x16xi32>) -> tensor<?x16xi32> {
  %b = arith.constant dense<[[100, 100, 100, 100, 100, 100, 100, 100, 100, 100, 100, 100, 100, 100, 100, 100], [-100, -100, -100, -100, -100, -100, -100, -100, -100, -100, -100, -100, -100, -100, -100, -100], [1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1], [1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1]]> : tensor<4x16xi8>
  %r = linalg.generic {indexing_maps = [affine_map<(m, n, k) -> (m, k)>, affine_map<(m, n, k) -> (k, n)>, affine_map<(m, n, k) -> (m, n)>],
                       iterator_types = ["parallel", "parallel", "reduction"]}
      ins(%a, %b : tensor<?x4xi8>, tensor<4x16xi8>) outs(%init : tensor<?x16xi32>) {
  ^bb0(%x: i8, %y: i8, %o: i32):
    %xe = arith.extui %x : i8 to i32
    %ye = arith.extsi %y : i8 to i32
    %p = arith.muli %xe, %ye : i32
    %s = arith.addi %o, %p : i32
    linalg.yield %s : i32
  } -> tensor<?x16xi32>
  return %r : tensor<?x16xi32>
}

// -----

// With vnni=true, a u8 x s8 contraction of two run-time operands [B, H, M,
// K] x [B, H, K, N] (all dynamic but H) from a zero-filled init: batch dims
// collapsed, A padded to K4 (K is dynamic), B packed at run time (a masked
// 16-byte read per k row: columns past N read zero; rows past K select
// zeros; 3 shuffles interleave 4 rows), the 8 x 16 register tile over
// [B*H, M, N16], then the first N columns reshaped back. avx2-int8 does not
// take it (run-time byte pairs cannot be checked).
// VNNI-LABEL: func.func @int8_batched_runtime
// VNNI:         tensor.collapse_shape %{{.*}} {{\[}}[0, 1], [2], [3]] : tensor<?x4x?x?xi8> into tensor<?x?x?xi8>
// VNNI:         tensor.pad
// VNNI:         tensor.empty(%{{.*}}, %{{.*}}, %{{.*}}) : tensor<?x?x?x64xi8>
// VNNI:         scf.for
// VNNI:           scf.for
// VNNI:             scf.for
// VNNI:               vector.transfer_read %{{.*}} : tensor<?x?x?xi8>, vector<16xi8>
// VNNI:               arith.select
// VNNI:               vector.shuffle
// VNNI:               vector.transfer_write %{{.*}} : vector<64xi8>, tensor<?x?x?x64xi8>
// VNNI:         linalg.fill
// VNNI:         scf.for
// VNNI:           scf.for
// VNNI:             scf.for
// VNNI-COUNT-8:       qopt.x86.dot_u8s8
// VNNI:         tensor.extract_slice
// VNNI:         tensor.reshape %{{.*}}(%{{.*}}) : (tensor<?x?x?xi32>, tensor<4xindex>) -> tensor<?x4x?x?xi32>
// VNNI-NOT:     linalg.generic
// AVX2-LABEL: func.func @int8_batched_runtime
// AVX2-NOT:     qopt.x86.dot_u8s8
// AVX2:         linalg.generic
// CHECK-LABEL: func.func @int8_batched_runtime
// PACK-LABEL: func.func @int8_batched_runtime
// NOPACK-LABEL: func.func @int8_batched_runtime
// SMALL-LABEL: func.func @int8_batched_runtime
func.func @int8_batched_runtime(%a: tensor<?x4x?x?xi8>, %b: tensor<?x4x?x?xi8>, %e: tensor<?x4x?x?xi32>) -> tensor<?x4x?x?xi32> {
  %zero = arith.constant 0 : i32
  %init = linalg.fill ins(%zero : i32) outs(%e : tensor<?x4x?x?xi32>) -> tensor<?x4x?x?xi32>
  %r = linalg.generic {indexing_maps = [affine_map<(b, h, m, n, k) -> (b, h, m, k)>, affine_map<(b, h, m, n, k) -> (b, h, k, n)>, affine_map<(b, h, m, n, k) -> (b, h, m, n)>],
                       iterator_types = ["parallel", "parallel", "parallel", "parallel", "reduction"]}
      ins(%a, %b : tensor<?x4x?x?xi8>, tensor<?x4x?x?xi8>) outs(%init : tensor<?x4x?x?xi32>) {
  ^bb0(%x: i8, %y: i8, %o: i32):
    %xe = arith.extui %x : i8 to i32
    %ye = arith.extsi %y : i8 to i32
    %p = arith.muli %xe, %ye : i32
    %s = arith.addi %o, %p : i32
    linalg.yield %s : i32
  } -> tensor<?x4x?x?xi32>
  return %r : tensor<?x4x?x?xi32>
}

// -----

// A zero-filled int8 matmul and its elementwise consumer (dequantize with a
// per-column scale, add a per-column bias and a residual [M, N] tile,
// requantize to u8 as a second result): one kernel whose accumulators start
// at zero in registers and whose epilogue runs on each vector<16xi32>
// before it is stored, so neither the fill, the i32 result nor the
// consumer's generic remain.
// VNNI-LABEL: func.func @int8_matmul_epilogue
// VNNI-NOT:     linalg.fill
// VNNI:         %[[ZERO:.*]] = arith.constant dense<0> : vector<16xi32>
// VNNI:         scf.for
// VNNI:           scf.for
// VNNI:             scf.for {{.*}} iter_args(%{{.*}} = %[[ZERO]], %{{.*}} = %[[ZERO]],
// VNNI-COUNT-16:    qopt.x86.dot_u8s8
// VNNI:             arith.sitofp %{{.*}} : vector<16xi32> to vector<16xf32>
// VNNI:             vector.transfer_read %{{.*}} : tensor<64xf32>, vector<16xf32>
// VNNI:             vector.transfer_read %{{.*}} : tensor<16x64xf32>, vector<16xf32>
// VNNI:             vector.broadcast %{{.*}} : f32 to vector<16xf32>
// VNNI:             vector.transfer_write %{{.*}} : vector<16xf32>, tensor<16x64xf32>
// VNNI:             vector.transfer_write %{{.*}} : vector<16xi8>, tensor<16x64xi8>
// VNNI-NOT:     vector.transfer_write %{{.*}} : vector<16xi32>
// VNNI-NOT:     linalg.generic
// VNNI:         return %{{.*}}, %{{.*}} : tensor<16x64xf32>, tensor<16x64xi8>
// CHECK-LABEL: func.func @int8_matmul_epilogue
// PACK-LABEL: func.func @int8_matmul_epilogue
// NOPACK-LABEL: func.func @int8_matmul_epilogue
// SMALL-LABEL: func.func @int8_matmul_epilogue
func.func @int8_matmul_epilogue(%a: tensor<16x8xi8>, %bias: tensor<64xf32>, %res: tensor<16x64xf32>, %scale: tensor<f32>) -> (tensor<16x64xf32>, tensor<16x64xi8>) {
  %b = arith.constant dense<3> : tensor<8x64xi8>
  %zero = arith.constant 0 : i32
  %e = tensor.empty() : tensor<16x64xi32>
  %init = linalg.fill ins(%zero : i32) outs(%e : tensor<16x64xi32>) -> tensor<16x64xi32>
  %acc = linalg.generic {indexing_maps = [affine_map<(m, n, k) -> (m, k)>, affine_map<(m, n, k) -> (k, n)>, affine_map<(m, n, k) -> (m, n)>],
                         iterator_types = ["parallel", "parallel", "reduction"]}
      ins(%a, %b : tensor<16x8xi8>, tensor<8x64xi8>) outs(%init : tensor<16x64xi32>) {
  ^bb0(%x: i8, %y: i8, %o: i32):
    %xe = arith.extui %x : i8 to i32
    %ye = arith.extsi %y : i8 to i32
    %p = arith.muli %xe, %ye : i32
    %s = arith.addi %o, %p : i32
    linalg.yield %s : i32
  } -> tensor<16x64xi32>
  %ef = tensor.empty() : tensor<16x64xf32>
  %eq = tensor.empty() : tensor<16x64xi8>
  %half = arith.constant 0.5 : f32
  %r:2 = linalg.generic {indexing_maps = [affine_map<(m, n) -> (m, n)>, affine_map<(m, n) -> (n)>, affine_map<(m, n) -> (m, n)>, affine_map<(m, n) -> ()>, affine_map<(m, n) -> (m, n)>, affine_map<(m, n) -> (m, n)>],
                         iterator_types = ["parallel", "parallel"]}
      ins(%acc, %bias, %res, %scale : tensor<16x64xi32>, tensor<64xf32>, tensor<16x64xf32>, tensor<f32>) outs(%ef, %eq : tensor<16x64xf32>, tensor<16x64xi8>) {
  ^bb0(%i: i32, %bi: f32, %ri: f32, %sc: f32, %o1: f32, %o2: i8):
    %f = arith.sitofp %i : i32 to f32
    %m = arith.mulf %f, %sc : f32
    %a1 = arith.addf %m, %bi : f32
    %a2 = arith.addf %a1, %ri : f32
    %h = arith.mulf %a2, %half : f32
    %q = arith.fptosi %h : f32 to i8
    linalg.yield %a2, %q : f32, i8
  } -> (tensor<16x64xf32>, tensor<16x64xi8>)
  return %r#0, %r#1 : tensor<16x64xf32>, tensor<16x64xi8>
}

// -----

// The i32 result has a second user: no epilogue fusion; the kernel still
// starts from zero (no fill) and stores the i32 tiles, which the
// consumer, vectorized on its own, reads back.
// VNNI-LABEL: func.func @int8_matmul_two_users
// VNNI-NOT:     linalg.fill
// VNNI:         qopt.x86.dot_u8s8
// VNNI:         vector.transfer_write %{{.*}} : vector<16xi32>, tensor<16x16xi32>
// VNNI:         vector.transfer_read %{{.*}} : tensor<1x16xi32>, vector<1x16xi32>
// VNNI:         arith.sitofp %{{.*}} : vector<1x16xi32> to vector<1x16xf32>
// CHECK-LABEL: func.func @int8_matmul_two_users
// PACK-LABEL: func.func @int8_matmul_two_users
// NOPACK-LABEL: func.func @int8_matmul_two_users
// SMALL-LABEL: func.func @int8_matmul_two_users
func.func @int8_matmul_two_users(%a: tensor<16x4xi8>) -> (tensor<16x16xi32>, tensor<16x16xf32>) {
  %b = arith.constant dense<3> : tensor<4x16xi8>
  %zero = arith.constant 0 : i32
  %e = tensor.empty() : tensor<16x16xi32>
  %init = linalg.fill ins(%zero : i32) outs(%e : tensor<16x16xi32>) -> tensor<16x16xi32>
  %acc = linalg.generic {indexing_maps = [affine_map<(m, n, k) -> (m, k)>, affine_map<(m, n, k) -> (k, n)>, affine_map<(m, n, k) -> (m, n)>],
                         iterator_types = ["parallel", "parallel", "reduction"]}
      ins(%a, %b : tensor<16x4xi8>, tensor<4x16xi8>) outs(%init : tensor<16x16xi32>) {
  ^bb0(%x: i8, %y: i8, %o: i32):
    %xe = arith.extui %x : i8 to i32
    %ye = arith.extsi %y : i8 to i32
    %p = arith.muli %xe, %ye : i32
    %s = arith.addi %o, %p : i32
    linalg.yield %s : i32
  } -> tensor<16x16xi32>
  %ef = tensor.empty() : tensor<16x16xf32>
  %f = linalg.generic {indexing_maps = [affine_map<(m, n) -> (m, n)>, affine_map<(m, n) -> (m, n)>],
                       iterator_types = ["parallel", "parallel"]}
      ins(%acc : tensor<16x16xi32>) outs(%ef : tensor<16x16xf32>) {
  ^bb0(%i: i32, %o: f32):
    %c = arith.sitofp %i : i32 to f32
    linalg.yield %c : f32
  } -> tensor<16x16xf32>
  return %acc, %f : tensor<16x16xi32>, tensor<16x16xf32>
}
