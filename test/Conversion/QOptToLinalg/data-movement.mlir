// RUN: qopt-opt %s -convert-qopt-to-linalg -split-input-file | FileCheck %s

// CHECK-LABEL: func.func @gather_elements
// CHECK-SAME:    %[[DATA:.*]]: tensor<3x3xf32>, %[[IDX:.*]]: tensor<2x3xi64>
// CHECK:         %[[DIM:.*]] = tensor.dim %[[DATA]], %{{.*}} : tensor<3x3xf32>
// CHECK:         linalg.generic
// CHECK-SAME:      ins(%[[IDX]] : tensor<2x3xi64>)
// CHECK:         ^bb0(%[[I:.*]]: i64, %{{.*}}: f32):
// CHECK:           %[[ROW:.*]] = linalg.index 0 : index
// CHECK:           %[[CAST:.*]] = arith.index_cast %[[I]] : i64 to index
// CHECK:           %[[NEG:.*]] = arith.cmpi slt, %[[CAST]]
// CHECK:           %[[WRAP:.*]] = arith.addi %[[CAST]], %[[DIM]]
// CHECK:           %[[COL:.*]] = arith.select %[[NEG]], %[[WRAP]], %[[CAST]]
// CHECK:           %[[V:.*]] = tensor.extract %[[DATA]][%[[ROW]], %[[COL]]]
// CHECK:           linalg.yield %[[V]] : f32
func.func @gather_elements(%data: tensor<3x3xf32>, %idx: tensor<2x3xi64>) -> tensor<2x3xf32> {
  %0 = qopt.gather_elements %data, %idx {axis = 1 : i64} : (tensor<3x3xf32>, tensor<2x3xi64>) -> tensor<2x3xf32>
  return %0 : tensor<2x3xf32>
}

// -----

// CHECK-LABEL: func.func @gather_nd_batch
// CHECK-SAME:    %[[DATA:.*]]: tensor<2x2x2xi32>, %[[IDX:.*]]: tensor<2x1xi64>
// CHECK:         linalg.generic
// CHECK-SAME:      outs(%{{.*}} : tensor<2x2xi32>)
// CHECK:           %[[B:.*]] = linalg.index 0 : index
// CHECK:           %[[J:.*]] = linalg.index 1 : index
// CHECK:           %[[I:.*]] = tensor.extract %[[IDX]][%[[B]], %{{.*}}] : tensor<2x1xi64>
// CHECK:           arith.index_cast %[[I]]
// CHECK:           %[[SEL:.*]] = arith.select
// CHECK:           tensor.extract %[[DATA]][%[[B]], %[[SEL]], %[[J]]] : tensor<2x2x2xi32>
func.func @gather_nd_batch(%data: tensor<2x2x2xi32>, %idx: tensor<2x1xi64>) -> tensor<2x2xi32> {
  %0 = qopt.gather_nd %data, %idx {batch_dims = 1 : i64} : (tensor<2x2x2xi32>, tensor<2x1xi64>) -> tensor<2x2xi32>
  return %0 : tensor<2x2xi32>
}

// -----

// CHECK-LABEL: func.func @scatter_elements_add
// CHECK-SAME:    %[[DATA:.*]]: tensor<1x5xf32>, %[[IDX:.*]]: tensor<1x2xi64>, %[[UPD:.*]]: tensor<1x2xf32>
// CHECK:         %[[R:.*]] = scf.for %[[I:.*]] = {{.*}} iter_args(%[[T0:.*]] = %[[DATA]]) -> (tensor<1x5xf32>)
// CHECK:           scf.for %[[J:.*]] = {{.*}} iter_args(%[[T:.*]] = %[[T0]]) -> (tensor<1x5xf32>)
// CHECK:             tensor.extract %[[IDX]][%[[I]], %[[J]]]
// CHECK:             %[[COL:.*]] = arith.select
// CHECK:             %[[U:.*]] = tensor.extract %[[UPD]][%[[I]], %[[J]]]
// CHECK:             %[[OLD:.*]] = tensor.extract %[[T]][%[[I]], %[[COL]]]
// CHECK:             %[[SUM:.*]] = arith.addf %[[OLD]], %[[U]] : f32
// CHECK:             %[[INS:.*]] = tensor.insert %[[SUM]] into %[[T]][%[[I]], %[[COL]]]
// CHECK:             scf.yield %[[INS]]
// CHECK:         return %[[R]]
func.func @scatter_elements_add(%data: tensor<1x5xf32>, %idx: tensor<1x2xi64>, %upd: tensor<1x2xf32>) -> tensor<1x5xf32> {
  %0 = qopt.scatter_elements %data, %idx, %upd {axis = 1 : i64, reduction = "add"} : (tensor<1x5xf32>, tensor<1x2xi64>, tensor<1x2xf32>) -> tensor<1x5xf32>
  return %0 : tensor<1x5xf32>
}

// -----

// CHECK-LABEL: func.func @scatter_nd_max_unsigned
// CHECK-SAME:    %[[DATA:.*]]: tensor<4x4xi8>
// CHECK:         scf.for {{.*}} iter_args(%{{.*}} = %[[DATA]]) -> (tensor<4x4xi8>)
// CHECK:           scf.for
// CHECK:             arith.maxui %{{.*}}, %{{.*}} : i8
// CHECK:             tensor.insert
func.func @scatter_nd_max_unsigned(%data: tensor<4x4xui8>, %idx: tensor<2x1xi64>, %upd: tensor<2x4xui8>) -> tensor<4x4xui8> {
  %0 = qopt.scatter_nd %data, %idx, %upd {reduction = "max"} : (tensor<4x4xui8>, tensor<2x1xi64>, tensor<2x4xui8>) -> tensor<4x4xui8>
  return %0 : tensor<4x4xui8>
}

// -----

// CHECK-LABEL: func.func @trilu_lower
// CHECK-SAME:    %[[X:.*]]: tensor<4x5xi64>, %[[K:.*]]: tensor<i64>
// CHECK:         %[[KV:.*]] = tensor.extract %[[K]][] : tensor<i64>
// CHECK:         %[[KI:.*]] = arith.index_cast %[[KV]] : i64 to index
// CHECK:         %[[ZERO:.*]] = arith.constant 0 : i64
// CHECK:         linalg.generic
// CHECK-SAME:      ins(%[[X]] : tensor<4x5xi64>)
// CHECK:         ^bb0(%[[IN:.*]]: i64, %{{.*}}: i64):
// CHECK:           %[[ROW:.*]] = linalg.index 0 : index
// CHECK:           %[[COL:.*]] = linalg.index 1 : index
// CHECK:           %[[DIFF:.*]] = arith.subi %[[COL]], %[[ROW]] : index
// CHECK:           %[[KEEP:.*]] = arith.cmpi sle, %[[DIFF]], %[[KI]] : index
// CHECK:           arith.select %[[KEEP]], %[[IN]], %[[ZERO]] : i64
func.func @trilu_lower(%x: tensor<4x5xi64>, %k: tensor<i64>) -> tensor<4x5xi64> {
  %0 = qopt.trilu %x, %k {upper = 0 : i64} : (tensor<4x5xi64>, tensor<i64>) -> tensor<4x5xi64>
  return %0 : tensor<4x5xi64>
}

// -----

// CHECK-LABEL: func.func @constant_of_shape
// CHECK:         %[[D0:.*]] = arith.index_cast %{{.*}} : i64 to index
// CHECK:         %[[D1:.*]] = arith.index_cast %{{.*}} : i64 to index
// CHECK:         %[[E:.*]] = tensor.empty(%[[D0]], %[[D1]]) : tensor<?x?xi32>
// CHECK:         %[[C:.*]] = arith.constant 7 : i32
// CHECK:         linalg.fill ins(%[[C]] : i32) outs(%[[E]] : tensor<?x?xi32>)
func.func @constant_of_shape(%shape: tensor<2xi64>) -> tensor<?x?xi32> {
  %0 = qopt.constant_of_shape %shape {value = dense<7> : tensor<1xi32>} : (tensor<2xi64>) -> tensor<?x?xi32>
  return %0 : tensor<?x?xi32>
}

// -----

// CHECK-LABEL: func.func @range_dynamic
// CHECK-SAME:    %[[S:.*]]: tensor<f32>, %[[L:.*]]: tensor<f32>, %[[D:.*]]: tensor<f32>
// CHECK:         %[[START:.*]] = tensor.extract %[[S]][] : tensor<f32>
// CHECK:         %[[DELTA:.*]] = tensor.extract %[[D]][] : tensor<f32>
// CHECK:         math.ceil
// CHECK:         %[[N:.*]] = arith.maxsi
// CHECK:         %[[E:.*]] = tensor.empty(%[[N]]) : tensor<?xf32>
// CHECK:         linalg.generic {{.*}} outs(%[[E]] : tensor<?xf32>)
// CHECK:           %[[I:.*]] = linalg.index 0 : index
// CHECK:           %[[F:.*]] = arith.sitofp
// CHECK:           %[[M:.*]] = arith.mulf %[[F]], %[[DELTA]] : f32
// CHECK:           arith.addf %[[START]], %[[M]] : f32
func.func @range_dynamic(%s: tensor<f32>, %l: tensor<f32>, %d: tensor<f32>) -> tensor<?xf32> {
  %0 = qopt.range %s, %l, %d : (tensor<f32>, tensor<f32>, tensor<f32>) -> tensor<?xf32>
  return %0 : tensor<?xf32>
}

// -----

// CHECK-LABEL: func.func @size
// CHECK:         %[[D:.*]] = tensor.dim
// CHECK:         %[[P:.*]] = arith.muli %{{.*}}, %[[D]] : index
// CHECK:         %[[N:.*]] = arith.muli %[[P]], %{{.*}} : index
// CHECK:         %[[I:.*]] = arith.index_cast %[[N]] : index to i64
// CHECK:         tensor.from_elements %[[I]] : tensor<i64>
func.func @size(%x: tensor<?x4xf32>) -> tensor<i64> {
  %0 = qopt.size %x : (tensor<?x4xf32>) -> tensor<i64>
  return %0 : tensor<i64>
}

// -----

// CHECK-LABEL: func.func @tile
// CHECK-SAME:    %[[X:.*]]: tensor<2x3xf32>
// CHECK:         linalg.generic {{.*}} outs(%{{.*}} : tensor<4x9xf32>)
// CHECK:           %[[I:.*]] = linalg.index 0 : index
// CHECK:           %[[J:.*]] = linalg.index 1 : index
// CHECK:           %[[SI:.*]] = arith.remui %[[I]], %{{.*}} : index
// CHECK:           %[[SJ:.*]] = arith.remui %[[J]], %{{.*}} : index
// CHECK:           tensor.extract %[[X]][%[[SI]], %[[SJ]]]
func.func @tile(%x: tensor<2x3xf32>, %r: tensor<2xi64>) -> tensor<4x9xf32> {
  %0 = qopt.tile %x, %r : (tensor<2x3xf32>, tensor<2xi64>) -> tensor<4x9xf32>
  return %0 : tensor<4x9xf32>
}

// -----

// CHECK-LABEL: func.func @pad_constant
// CHECK-SAME:    %[[X:.*]]: tensor<3x4xf32>, %[[P:.*]]: tensor<4xi64>, %[[V:.*]]: tensor<f32>
// CHECK:         %[[PV:.*]] = tensor.extract %[[V]][] : tensor<f32>
// CHECK:         %[[E:.*]] = tensor.empty(%{{.*}}, %{{.*}}) : tensor<?x?xf32>
// CHECK:         linalg.generic {{.*}} outs(%[[E]] : tensor<?x?xf32>)
// CHECK:           arith.andi
// CHECK:           scf.if %{{.*}} -> (f32)
// CHECK:             tensor.extract %[[X]]
// CHECK:           } else {
// CHECK:             scf.yield %[[PV]] : f32
func.func @pad_constant(%x: tensor<3x4xf32>, %p: tensor<4xi64>, %v: tensor<f32>) -> tensor<?x?xf32> {
  %0 = qopt.pad %x, %p value %v : (tensor<3x4xf32>, tensor<4xi64>, tensor<f32>) -> tensor<?x?xf32>
  return %0 : tensor<?x?xf32>
}

// -----

// CHECK-LABEL: func.func @pad_reflect
// CHECK:         linalg.generic {{.*}} outs(%{{.*}} : tensor<5x6xf32>)
// CHECK:           arith.remsi
// CHECK:           arith.cmpi sge
// CHECK:           arith.remsi
// CHECK:           arith.cmpi sge
// CHECK:           tensor.extract
// CHECK-NOT:       scf.if
func.func @pad_reflect(%x: tensor<3x4xf32>, %p: tensor<4xi64>) -> tensor<5x6xf32> {
  %0 = qopt.pad %x, %p {mode = "reflect"} : (tensor<3x4xf32>, tensor<4xi64>) -> tensor<5x6xf32>
  return %0 : tensor<5x6xf32>
}

// -----

// CHECK-LABEL: func.func @pad_edge_axes
// CHECK:         linalg.generic {{.*}} outs(%{{.*}} : tensor<3x6xf32>)
// CHECK:           arith.minsi
// CHECK:           arith.maxsi
// CHECK:           arith.minsi
// CHECK:           arith.maxsi
// CHECK:           tensor.extract
func.func @pad_edge_axes(%x: tensor<3x4xf32>, %p: tensor<2xi64>) -> tensor<3x6xf32> {
  %axes = qopt.constant dense<[-1]> : tensor<1xi64>
  %0 = qopt.pad %x, %p axes %axes {mode = "edge"} : (tensor<3x4xf32>, tensor<2xi64>, tensor<1xi64>) -> tensor<3x6xf32>
  return %0 : tensor<3x6xf32>
}

// -----

// CHECK-LABEL: func.func @cum_sum_reverse_exclusive
// CHECK-SAME:    %[[X:.*]]: tensor<2x3xf64>
// CHECK:         %[[N:.*]] = arith.constant 3 : index
// CHECK:         linalg.generic
// CHECK:           %[[I:.*]] = linalg.index 0 : index
// CHECK:           %[[J:.*]] = linalg.index 1 : index
// CHECK:           %[[LB:.*]] = arith.addi %[[J]], %{{.*}} : index
// CHECK:           %[[S:.*]] = scf.for %[[K:.*]] = %[[LB]] to %[[N]] step %{{.*}} iter_args(%[[ACC:.*]] = %{{.*}}) -> (f64)
// CHECK:             %[[V:.*]] = tensor.extract %[[X]][%[[I]], %[[K]]]
// CHECK:             arith.addf %[[ACC]], %[[V]] : f64
// CHECK:           linalg.yield %[[S]] : f64
func.func @cum_sum_reverse_exclusive(%x: tensor<2x3xf64>) -> tensor<2x3xf64> {
  %axis = qopt.constant dense<1> : tensor<i32>
  %0 = qopt.cum_sum %x, %axis {exclusive = 1 : i64, reverse = 1 : i64} : (tensor<2x3xf64>, tensor<i32>) -> tensor<2x3xf64>
  return %0 : tensor<2x3xf64>
}

// -----

// CHECK-LABEL: func.func @top_k
// CHECK:         %[[K:.*]] = arith.index_cast %{{.*}} : i64 to index
// CHECK:         %[[VALS:.*]] = tensor.empty(%[[K]]) : tensor<3x?xf32>
// CHECK:         %[[IDXS:.*]] = tensor.empty(%[[K]]) : tensor<3x?xi64>
// CHECK:         scf.for {{.*}} iter_args(%{{.*}} = %[[VALS]], %{{.*}} = %[[IDXS]])
// CHECK:           scf.for
// CHECK:             scf.for %[[T:.*]] = %{{.*}} to %[[K]] {{.*}} -> (tensor<3x?xf32>, tensor<3x?xi64>, f32, index)
// CHECK:               scf.for {{.*}} -> (f32, index, i1)
// CHECK:                 arith.cmpf ogt
// CHECK:                 arith.cmpf oeq
// CHECK:               tensor.insert %{{.*}} into %{{.*}}[%{{.*}}, %[[T]]] : tensor<3x?xf32>
// CHECK:               tensor.insert %{{.*}} into %{{.*}}[%{{.*}}, %[[T]]] : tensor<3x?xi64>
func.func @top_k(%x: tensor<3x4xf32>, %k: tensor<1xi64>) -> (tensor<3x?xf32>, tensor<3x?xi64>) {
  %v, %i = qopt.top_k %x, %k {axis = 1 : i64} : (tensor<3x4xf32>, tensor<1xi64>) -> (tensor<3x?xf32>, tensor<3x?xi64>)
  return %v, %i : tensor<3x?xf32>, tensor<3x?xi64>
}

// -----

// CHECK-DAG:   #[[A:.*]] = affine_map<(d0, d1, d2, d3) -> (d0, d1, d3)>
// CHECK-DAG:   #[[B:.*]] = affine_map<(d0, d1, d2, d3) -> (d0, d3, d2)>
// CHECK-DAG:   #[[C:.*]] = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2)>
// CHECK-LABEL: func.func @einsum_batch_matmul
// CHECK:         %[[FILL:.*]] = linalg.fill
// CHECK:         linalg.generic {indexing_maps = [#[[A]], #[[B]], #[[C]]], iterator_types = ["parallel", "parallel", "parallel", "reduction"]}
// CHECK-SAME:      outs(%[[FILL]] : tensor<5x2x4xf32>)
// CHECK:           %[[M:.*]] = arith.mulf
// CHECK:           arith.addf %{{.*}}, %[[M]] : f32
func.func @einsum_batch_matmul(%a: tensor<5x2x3xf32>, %b: tensor<5x3x4xf32>) -> tensor<5x2x4xf32> {
  %0 = qopt.einsum %a, %b {equation = "bij, bjk -> bik"} : (tensor<5x2x3xf32>, tensor<5x3x4xf32>) -> tensor<5x2x4xf32>
  return %0 : tensor<5x2x4xf32>
}

// -----

// CHECK-DAG:   #[[IN:.*]] = affine_map<(d0, d1) -> (d0, d1, d1)>
// CHECK-DAG:   #[[OUT:.*]] = affine_map<(d0, d1) -> (d0, d1)>
// CHECK-LABEL: func.func @einsum_diagonal
// CHECK:         linalg.generic {indexing_maps = [#[[IN]], #[[OUT]]], iterator_types = ["parallel", "parallel"]}
func.func @einsum_diagonal(%a: tensor<3x5x5xf64>) -> tensor<3x5xf64> {
  %0 = qopt.einsum %a {equation = "...ii ->...i"} : (tensor<3x5x5xf64>) -> tensor<3x5xf64>
  return %0 : tensor<3x5xf64>
}

// -----

// CHECK-DAG:   #[[A:.*]] = affine_map<(d0, d1) -> (d0)>
// CHECK-DAG:   #[[B:.*]] = affine_map<(d0, d1) -> (d1)>
// CHECK-DAG:   #[[C:.*]] = affine_map<(d0, d1) -> (d0, d1)>
// CHECK-LABEL: func.func @einsum_implicit_outer
// CHECK:         linalg.generic {indexing_maps = [#[[A]], #[[B]], #[[C]]], iterator_types = ["parallel", "parallel"]}
func.func @einsum_implicit_outer(%a: tensor<3xf32>, %b: tensor<4xf32>) -> tensor<3x4xf32> {
  %0 = qopt.einsum %a, %b {equation = "i,j"} : (tensor<3xf32>, tensor<4xf32>) -> tensor<3x4xf32>
  return %0 : tensor<3x4xf32>
}

// -----

// CHECK-LABEL: func.func @slice_negative_step
// CHECK-SAME:    %[[X:.*]]: tensor<20x10xf32>
// CHECK:         arith.index_cast
// CHECK:         arith.index_cast
// CHECK:         %[[STEP:.*]] = arith.index_cast %{{.*}} : i64 to index
// CHECK:         %[[FWD:.*]] = arith.cmpi sgt, %[[STEP]]
// CHECK:         %[[START:.*]] = arith.select %[[FWD]]
// CHECK:         %[[E:.*]] = tensor.empty() : tensor<19x10xf32>
// CHECK:         linalg.generic {{.*}} outs(%[[E]] : tensor<19x10xf32>)
// CHECK:           %[[I:.*]] = linalg.index 0 : index
// CHECK:           %[[OFF:.*]] = arith.muli %[[I]], %[[STEP]] : index
// CHECK:           %[[ROW:.*]] = arith.addi %[[START]], %[[OFF]] : index
// CHECK:           tensor.extract %[[X]][%[[ROW]], %{{.*}}]
func.func @slice_negative_step(%x: tensor<20x10xf32>) -> tensor<19x10xf32> {
  %s = qopt.constant dense<[20]> : tensor<1xi64>
  %e = qopt.constant dense<[0]> : tensor<1xi64>
  %a = qopt.constant dense<[0]> : tensor<1xi64>
  %st = qopt.constant dense<[-1]> : tensor<1xi64>
  %0 = qopt.slice %x, %s, %e axes %a steps %st : (tensor<20x10xf32>, tensor<1xi64>, tensor<1xi64>, tensor<1xi64>, tensor<1xi64>) -> tensor<19x10xf32>
  return %0 : tensor<19x10xf32>
}

// -----

// CHECK-LABEL: func.func @slice_runtime
// CHECK-SAME:    %[[X:.*]]: tensor<20x10xf32>, %[[S:.*]]: tensor<1xi64>, %[[E:.*]]: tensor<1xi64>, %[[A:.*]]: tensor<1xi64>
// CHECK:         tensor.extract %[[S]]
// CHECK:         tensor.extract %[[E]]
// CHECK:         tensor.extract %[[A]]
// CHECK:         arith.ceildivsi
// CHECK:         %[[INIT:.*]] = tensor.empty(%{{.*}}, %{{.*}}) : tensor<?x?xf32>
// CHECK:         linalg.generic {{.*}} outs(%[[INIT]] : tensor<?x?xf32>)
// CHECK:           tensor.extract %[[X]]
func.func @slice_runtime(%x: tensor<20x10xf32>, %s: tensor<1xi64>, %e: tensor<1xi64>, %a: tensor<1xi64>) -> tensor<?x?xf32> {
  %0 = qopt.slice %x, %s, %e axes %a : (tensor<20x10xf32>, tensor<1xi64>, tensor<1xi64>, tensor<1xi64>) -> tensor<?x?xf32>
  return %0 : tensor<?x?xf32>
}

// -----

// CHECK-LABEL: func.func @split_runtime
// CHECK-SAME:    %[[X:.*]]: tensor<6xf32>, %[[SPLIT:.*]]: tensor<2xi64>
// CHECK:         %[[S0:.*]] = tensor.extract %[[SPLIT]][%{{.*}}] : tensor<2xi64>
// CHECK:         %[[N0:.*]] = arith.index_cast %[[S0]] : i64 to index
// CHECK:         %[[P0:.*]] = tensor.extract_slice %[[X]][0] [%[[N0]]] [1]
// CHECK:         %[[OFF:.*]] = arith.addi %{{.*}}, %[[N0]] : index
// CHECK:         %[[S1:.*]] = tensor.extract %[[SPLIT]][%{{.*}}] : tensor<2xi64>
// CHECK:         %[[N1:.*]] = arith.index_cast %[[S1]] : i64 to index
// CHECK:         %[[P1:.*]] = tensor.extract_slice %[[X]][%[[OFF]]] [%[[N1]]] [1]
// CHECK:         return %[[P0]], %[[P1]]
func.func @split_runtime(%x: tensor<6xf32>, %split: tensor<2xi64>) -> (tensor<?xf32>, tensor<?xf32>) {
  %0:2 = qopt.split %x, %split : (tensor<6xf32>, tensor<2xi64>) -> (tensor<?xf32>, tensor<?xf32>)
  return %0#0, %0#1 : tensor<?xf32>, tensor<?xf32>
}
