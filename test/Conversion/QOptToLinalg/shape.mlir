// RUN: qopt-opt %s -convert-qopt-to-linalg -split-input-file | FileCheck %s

// Constants and the shape / data-movement ops that become tensor ops:
// Constant (retyped to signless), Reshape / Flatten / Squeeze / Unsqueeze
// (tensor.reshape with a computed shape), Transpose (linalg.transpose),
// Split (extract_slice), Concat (a chain of insert_slice), Slice (a strided
// extract_slice, or a generic reading data[start + i * step]) and Gather.

// Unsigned constants keep their bits under the signless type (200 : ui8 is
// -56 : i8); a splat stays a splat; float constants are unchanged; a
// dense_resource is retyped and keeps its blob.
// CHECK-LABEL: func.func @constants
// CHECK-SAME:    -> (tensor<4xi8>, tensor<2x2xi8>, tensor<3xf32>, tensor<2xi8>)
// CHECK-DAG:     %[[U8:.*]] = arith.constant dense<[0, -128, -56, -1]> : tensor<4xi8>
// CHECK-DAG:     %[[SPLAT:.*]] = arith.constant dense<7> : tensor<2x2xi8>
// CHECK-DAG:     %[[F32:.*]] = arith.constant dense<[1.000000e+00, 2.000000e+00, 3.000000e+00]> : tensor<3xf32>
// CHECK-DAG:     %[[RES:.*]] = arith.constant dense_resource<blob_u8> : tensor<2xi8>
// CHECK:         return %[[U8]], %[[SPLAT]], %[[F32]], %[[RES]]
// CHECK:         blob_u8: "0x01000000FF80"
func.func @constants() -> (tensor<4xui8>, tensor<2x2xui8>, tensor<3xf32>, tensor<2xui8>) {
  %0 = qopt.constant dense<[0, 128, 200, 255]> : tensor<4xui8>
  %1 = qopt.constant dense<7> : tensor<2x2xui8>
  %2 = qopt.constant dense<[1.0, 2.0, 3.0]> : tensor<3xf32>
  %3 = qopt.constant dense_resource<blob_u8> : tensor<2xui8>
  return %0, %1, %2, %3 : tensor<4xui8>, tensor<2x2xui8>, tensor<3xf32>, tensor<2xui8>
}
{-#
  dialect_resources: {
    builtin: {
      blob_u8: "0x01000000FF80"
    }
  }
#-}

// -----

// A static result type: the shape operand is not read; the shape is a
// constant built from the result type.
// CHECK-LABEL: func.func @reshape_static
// CHECK-SAME:    %[[X:.*]]: tensor<2x3x4xf32>, %[[S:.*]]: tensor<2xi64>
// CHECK-DAG:     %[[C6:.*]] = arith.constant 6 : index
// CHECK-DAG:     %[[C4:.*]] = arith.constant 4 : index
// CHECK:         %[[SHAPE:.*]] = tensor.from_elements %[[C6]], %[[C4]] : tensor<2xindex>
// CHECK:         %[[Y:.*]] = tensor.reshape %[[X]](%[[SHAPE]]) : (tensor<2x3x4xf32>, tensor<2xindex>) -> tensor<6x4xf32>
// CHECK-NOT:     tensor.extract %[[S]]
// CHECK:         return %[[Y]]
func.func @reshape_static(%x: tensor<2x3x4xf32>, %s: tensor<2xi64>) -> tensor<6x4xf32> {
  %0 = qopt.reshape %x, %s : (tensor<2x3x4xf32>, tensor<2xi64>) -> tensor<6x4xf32>
  return %0 : tensor<6x4xf32>
}

// -----

// A shape read at run time: entry i is 0 -> input dim i (allowzero = 0), and
// a -1 entry is numel / (product of the other entries).
// CHECK-LABEL: func.func @reshape_runtime_shape
// CHECK-SAME:    %[[X:.*]]: tensor<?x3x4xf32>, %[[S:.*]]: tensor<3xi64>
// CHECK:         %[[D0:.*]] = tensor.dim %[[X]], %{{.*}} : tensor<?x3x4xf32>
// CHECK:         %[[P0:.*]] = arith.muli %{{.*}}, %[[D0]] : index
// CHECK:         %[[P1:.*]] = arith.muli %[[P0]], %{{.*}} : index
// CHECK:         %[[NUMEL:.*]] = arith.muli %[[P1]], %{{.*}} : index
// CHECK-DAG:     %[[ZERO:.*]] = arith.constant 0 : index
// CHECK-DAG:     %[[M1:.*]] = arith.constant -1 : index
// CHECK:         %[[E0:.*]] = tensor.extract %[[S]][%{{.*}}] : tensor<3xi64>
// CHECK:         %[[S0:.*]] = arith.index_cast %[[E0]] : i64 to index
// CHECK:         %[[Z0:.*]] = arith.cmpi eq, %[[S0]], %[[ZERO]] : index
// CHECK:         %[[R0:.*]] = arith.select %[[Z0]], %[[D0]], %[[S0]] : index
// CHECK:         %[[E1:.*]] = tensor.extract %[[S]][%{{.*}}] : tensor<3xi64>
// CHECK:         %[[S1:.*]] = arith.index_cast %[[E1]] : i64 to index
// CHECK:         %[[Z1:.*]] = arith.cmpi eq, %[[S1]], %[[ZERO]] : index
// CHECK:         %[[C3:.*]] = arith.constant 3 : index
// CHECK:         %[[R1:.*]] = arith.select %[[Z1]], %[[C3]], %[[S1]] : index
// CHECK:         %[[R2:.*]] = arith.select %{{.*}}, %{{.*}}, %{{.*}} : index
// CHECK:         arith.cmpi eq, %[[R0]], %[[M1]] : index
// CHECK:         %[[INFERRED:.*]] = arith.divui %[[NUMEL]], %{{.*}} : index
// CHECK:         %[[I0:.*]] = arith.cmpi eq, %[[R0]], %[[M1]] : index
// CHECK:         %[[F0:.*]] = arith.select %[[I0]], %[[INFERRED]], %[[R0]] : index
// CHECK:         %[[I1:.*]] = arith.cmpi eq, %[[R1]], %[[M1]] : index
// CHECK:         %[[F1:.*]] = arith.select %[[I1]], %[[INFERRED]], %[[R1]] : index
// CHECK:         %[[I2:.*]] = arith.cmpi eq, %[[R2]], %[[M1]] : index
// CHECK:         %[[F2:.*]] = arith.select %[[I2]], %[[INFERRED]], %[[R2]] : index
// CHECK:         %[[SHAPE:.*]] = tensor.from_elements %[[F0]], %[[F1]], %[[F2]] : tensor<3xindex>
// CHECK:         tensor.reshape %[[X]](%[[SHAPE]]) : (tensor<?x3x4xf32>, tensor<3xindex>) -> tensor<?x?x?xf32>
func.func @reshape_runtime_shape(%x: tensor<?x3x4xf32>, %s: tensor<3xi64>) -> tensor<?x?x?xf32> {
  %0 = qopt.reshape %x, %s : (tensor<?x3x4xf32>, tensor<3xi64>) -> tensor<?x?x?xf32>
  return %0 : tensor<?x?x?xf32>
}

// -----

// allowzero = 1: a 0 entry means 0, so the entries are not compared with 0.
// CHECK-LABEL: func.func @reshape_allowzero
// CHECK:         %[[M1:.*]] = arith.constant -1 : index
// CHECK:         %[[S0:.*]] = arith.index_cast %{{.*}} : i64 to index
// CHECK-NOT:     arith.select
// CHECK:         %[[S1:.*]] = arith.index_cast %{{.*}} : i64 to index
// CHECK-NOT:     arith.select
// CHECK:         arith.cmpi eq, %[[S0]], %[[M1]] : index
// CHECK:         arith.divui
// CHECK:         tensor.reshape
func.func @reshape_allowzero(%x: tensor<?x4xf32>, %s: tensor<2xi64>) -> tensor<?x?xf32> {
  %0 = qopt.reshape %x, %s {allowzero = 1 : i64} : (tensor<?x4xf32>, tensor<2xi64>) -> tensor<?x?xf32>
  return %0 : tensor<?x?xf32>
}

// -----

// Transpose: linalg.transpose into an empty tensor with the permuted dims;
// without perm the dims are reversed.
// CHECK-LABEL: func.func @transpose
// CHECK-SAME:    %[[X:.*]]: tensor<?x3x4xf32>
// CHECK:         %[[D:.*]] = tensor.dim %[[X]], %{{.*}} : tensor<?x3x4xf32>
// CHECK:         %[[E:.*]] = tensor.empty(%[[D]]) : tensor<4x?x3xf32>
// CHECK:         %[[T:.*]] = linalg.transpose ins(%[[X]] : tensor<?x3x4xf32>) outs(%[[E]] : tensor<4x?x3xf32>) permutation = [2, 0, 1]
// CHECK:         %[[D2:.*]] = tensor.dim %[[X]], %{{.*}} : tensor<?x3x4xf32>
// CHECK:         %[[E2:.*]] = tensor.empty(%[[D2]]) : tensor<4x3x?xf32>
// CHECK:         %[[R:.*]] = linalg.transpose ins(%[[X]] : tensor<?x3x4xf32>) outs(%[[E2]] : tensor<4x3x?xf32>) permutation = [2, 1, 0]
// CHECK:         return %[[T]], %[[R]]
func.func @transpose(%x: tensor<?x3x4xf32>) -> (tensor<4x?x3xf32>, tensor<4x3x?xf32>) {
  %0 = qopt.transpose %x {perm = array<i64: 2, 0, 1>} : (tensor<?x3x4xf32>) -> tensor<4x?x3xf32>
  %1 = qopt.transpose %x : (tensor<?x3x4xf32>) -> tensor<4x3x?xf32>
  return %0, %1 : tensor<4x?x3xf32>, tensor<4x3x?xf32>
}

// -----

// Flatten at axis 1: [d0, 3 * 4].
// CHECK-LABEL: func.func @flatten
// CHECK-SAME:    %[[X:.*]]: tensor<?x3x4xf32>
// CHECK:         %[[D0:.*]] = tensor.dim %[[X]], %{{.*}} : tensor<?x3x4xf32>
// CHECK:         %[[OUTER:.*]] = arith.muli %{{.*}}, %[[D0]] : index
// CHECK:         %[[C12:.*]] = arith.constant 12 : index
// CHECK:         %[[SHAPE:.*]] = tensor.from_elements %[[OUTER]], %[[C12]] : tensor<2xindex>
// CHECK:         tensor.reshape %[[X]](%[[SHAPE]]) : (tensor<?x3x4xf32>, tensor<2xindex>) -> tensor<?x12xf32>
func.func @flatten(%x: tensor<?x3x4xf32>) -> tensor<?x12xf32> {
  %0 = qopt.flatten %x : (tensor<?x3x4xf32>) -> tensor<?x12xf32>
  return %0 : tensor<?x12xf32>
}

// -----

// Squeeze without axes drops the static 1s (the dynamic dim is kept); with
// axes only those. Unsqueeze inserts 1s at the (result-indexed, possibly
// negative) axes.
// CHECK-LABEL: func.func @squeeze_unsqueeze
// CHECK-SAME:    %[[X:.*]]: tensor<1x3x1x?xf32>, %[[Y:.*]]: tensor<?x4xf32>
// CHECK:         %[[D3:.*]] = tensor.dim %[[X]], %{{.*}} : tensor<1x3x1x?xf32>
// CHECK:         %[[C3:.*]] = arith.constant 3 : index
// CHECK:         %[[SH0:.*]] = tensor.from_elements %[[C3]], %[[D3]] : tensor<2xindex>
// CHECK:         tensor.reshape %[[X]](%[[SH0]]) : (tensor<1x3x1x?xf32>, tensor<2xindex>) -> tensor<3x?xf32>
// CHECK:         %[[D3B:.*]] = tensor.dim %[[X]], %{{.*}} : tensor<1x3x1x?xf32>
// CHECK-DAG:     %[[C3B:.*]] = arith.constant 3 : index
// CHECK-DAG:     %[[C1:.*]] = arith.constant 1 : index
// CHECK:         %[[SH1:.*]] = tensor.from_elements %[[C3B]], %[[C1]], %[[D3B]] : tensor<3xindex>
// CHECK:         tensor.reshape %[[X]](%[[SH1]]) : (tensor<1x3x1x?xf32>, tensor<3xindex>) -> tensor<3x1x?xf32>
// CHECK:         %[[DY:.*]] = tensor.dim %[[Y]], %{{.*}} : tensor<?x4xf32>
// CHECK-DAG:     %[[ONE:.*]] = arith.constant 1 : index
// CHECK-DAG:     %[[FOUR:.*]] = arith.constant 4 : index
// CHECK-DAG:     %[[ONE2:.*]] = arith.constant 1 : index
// CHECK:         %[[SH2:.*]] = tensor.from_elements %[[ONE]], %[[DY]], %[[FOUR]], %[[ONE2]] : tensor<4xindex>
// CHECK:         tensor.reshape %[[Y]](%[[SH2]]) : (tensor<?x4xf32>, tensor<4xindex>) -> tensor<1x?x4x1xf32>
func.func @squeeze_unsqueeze(%x: tensor<1x3x1x?xf32>, %y: tensor<?x4xf32>) -> (tensor<3x?xf32>, tensor<3x1x?xf32>, tensor<1x?x4x1xf32>) {
  %0 = qopt.squeeze %x : (tensor<1x3x1x?xf32>) -> tensor<3x?xf32>
  %1 = qopt.squeeze %x {axes = array<i64: 0>} : (tensor<1x3x1x?xf32>) -> tensor<3x1x?xf32>
  %2 = qopt.unsqueeze %y {axes = array<i64: 0, -1>} : (tensor<?x4xf32>) -> tensor<1x?x4x1xf32>
  return %0, %1, %2 : tensor<3x?xf32>, tensor<3x1x?xf32>, tensor<1x?x4x1xf32>
}

// -----

// Split with static result types: consecutive extract_slices along the axis.
// CHECK-LABEL: func.func @split_static
// CHECK-SAME:    %[[X:.*]]: tensor<2x10xf32>
// CHECK:         %[[P0:.*]] = tensor.extract_slice %[[X]][0, 0] [2, 3] [1, 1] : tensor<2x10xf32> to tensor<2x3xf32>
// CHECK:         %[[OFF:.*]] = arith.addi %{{.*}}, %{{.*}} : index
// CHECK:         %[[P1:.*]] = tensor.extract_slice %[[X]][0, %[[OFF]]] [2, 7] [1, 1] : tensor<2x10xf32> to tensor<2x7xf32>
// CHECK:         return %[[P0]], %[[P1]]
func.func @split_static(%x: tensor<2x10xf32>) -> (tensor<2x3xf32>, tensor<2x7xf32>) {
  %s = qopt.constant dense<[3, 7]> : tensor<2xi64>
  %0:2 = qopt.split %x, %s {axis = 1 : i64} : (tensor<2x10xf32>, tensor<2xi64>) -> (tensor<2x3xf32>, tensor<2x7xf32>)
  return %0#0, %0#1 : tensor<2x3xf32>, tensor<2x7xf32>
}

// -----

// An equal split of a dynamic dim: ceil(d / 3) per part, the last part takes
// what is left.
// CHECK-LABEL: func.func @split_equal_dynamic
// CHECK-SAME:    %[[X:.*]]: tensor<?x4xf32>
// CHECK:         %[[D:.*]] = tensor.dim %[[X]], %{{.*}} : tensor<?x4xf32>
// CHECK:         %[[N:.*]] = arith.constant 3 : index
// CHECK:         %[[CHUNK:.*]] = arith.ceildivui %[[D]], %[[N]] : index
// CHECK:         %[[P0:.*]] = tensor.extract_slice %[[X]][0, 0] [%[[CHUNK]], 4] [1, 1] : tensor<?x4xf32> to tensor<?x4xf32>
// CHECK:         %[[O1:.*]] = arith.addi %{{.*}}, %[[CHUNK]] : index
// CHECK:         %[[P1:.*]] = tensor.extract_slice %[[X]][%[[O1]], 0] [%[[CHUNK]], 4] [1, 1]
// CHECK:         %[[O2:.*]] = arith.addi %[[O1]], %[[CHUNK]] : index
// CHECK:         %[[REST:.*]] = arith.subi %[[D]], %[[O2]] : index
// CHECK:         %[[P2:.*]] = tensor.extract_slice %[[X]][%[[O2]], 0] [%[[REST]], 4] [1, 1]
// CHECK:         return %[[P0]], %[[P1]], %[[P2]]
func.func @split_equal_dynamic(%x: tensor<?x4xf32>) -> (tensor<?x4xf32>, tensor<?x4xf32>, tensor<?x4xf32>) {
  %0:3 = qopt.split %x : (tensor<?x4xf32>) -> (tensor<?x4xf32>, tensor<?x4xf32>, tensor<?x4xf32>)
  return %0#0, %0#1, %0#2 : tensor<?x4xf32>, tensor<?x4xf32>, tensor<?x4xf32>
}

// -----

// Split sizes that are a graph input are read at run time.
// CHECK-LABEL: func.func @split_runtime_sizes
// CHECK-SAME:    %[[X:.*]]: tensor<?x4xf32>, %[[S:.*]]: tensor<2xi64>
// CHECK:         %[[E0:.*]] = tensor.extract %[[S]][%{{.*}}] : tensor<2xi64>
// CHECK:         %[[N0:.*]] = arith.index_cast %[[E0]] : i64 to index
// CHECK:         tensor.extract_slice %[[X]][0, 0] [%[[N0]], 4] [1, 1]
// CHECK:         %[[O1:.*]] = arith.addi %{{.*}}, %[[N0]] : index
// CHECK:         %[[E1:.*]] = tensor.extract %[[S]][%{{.*}}] : tensor<2xi64>
// CHECK:         %[[N1:.*]] = arith.index_cast %[[E1]] : i64 to index
// CHECK:         tensor.extract_slice %[[X]][%[[O1]], 0] [%[[N1]], 4] [1, 1]
func.func @split_runtime_sizes(%x: tensor<?x4xf32>, %s: tensor<2xi64>) -> (tensor<?x4xf32>, tensor<?x4xf32>) {
  %0:2 = qopt.split %x, %s : (tensor<?x4xf32>, tensor<2xi64>) -> (tensor<?x4xf32>, tensor<?x4xf32>)
  return %0#0, %0#1 : tensor<?x4xf32>, tensor<?x4xf32>
}

// -----

// Concat (negative axis): an empty tensor sized by the sum of the inputs'
// dims, then one insert_slice per input at the running offset.
// CHECK-LABEL: func.func @concat
// CHECK-SAME:    %[[A:.*]]: tensor<2x3xf32>, %[[B:.*]]: tensor<2x?xf32>, %[[C:.*]]: tensor<2x1xf32>
// CHECK:         %[[DA:.*]] = tensor.dim %[[A]], %{{.*}} : tensor<2x3xf32>
// CHECK:         %[[T1:.*]] = arith.addi %{{.*}}, %[[DA]] : index
// CHECK:         %[[DB:.*]] = tensor.dim %[[B]], %{{.*}} : tensor<2x?xf32>
// CHECK:         %[[T2:.*]] = arith.addi %[[T1]], %[[DB]] : index
// CHECK:         %[[DC:.*]] = tensor.dim %[[C]], %{{.*}} : tensor<2x1xf32>
// CHECK:         %[[TOTAL:.*]] = arith.addi %[[T2]], %[[DC]] : index
// CHECK:         %[[E:.*]] = tensor.empty(%[[TOTAL]]) : tensor<2x?xf32>
// CHECK:         %[[R0:.*]] = tensor.insert_slice %[[A]] into %[[E]][0, %{{.*}}] [2, 3] [1, 1] : tensor<2x3xf32> into tensor<2x?xf32>
// CHECK:         %[[OB:.*]] = arith.addi %{{.*}}, %{{.*}} : index
// CHECK:         %[[R1:.*]] = tensor.insert_slice %[[B]] into %[[R0]][0, %[[OB]]] [2, %{{.*}}] [1, 1] : tensor<2x?xf32> into tensor<2x?xf32>
// CHECK:         %[[OC:.*]] = arith.addi %[[OB]], %{{.*}} : index
// CHECK:         %[[R2:.*]] = tensor.insert_slice %[[C]] into %[[R1]][0, %[[OC]]] [2, 1] [1, 1] : tensor<2x1xf32> into tensor<2x?xf32>
// CHECK:         return %[[R2]]
func.func @concat(%a: tensor<2x3xf32>, %b: tensor<2x?xf32>, %c: tensor<2x1xf32>) -> tensor<2x?xf32> {
  %0 = qopt.concat %a, %b, %c {axis = -1 : i64} : (tensor<2x3xf32>, tensor<2x?xf32>, tensor<2x1xf32>) -> tensor<2x?xf32>
  return %0 : tensor<2x?xf32>
}

// -----

// Constant starts / ends / axes / steps with a positive step: one strided
// extract_slice; start 1 is clamped to [0, dim] at run time, the size comes
// from the static result type.
// CHECK-LABEL: func.func @slice_static
// CHECK-SAME:    %[[X:.*]]: tensor<4x10xf32>
// CHECK:         %[[DIM:.*]] = tensor.dim %[[X]], %{{.*}} : tensor<4x10xf32>
// CHECK:         %[[MIN:.*]] = arith.minsi %{{.*}}, %[[DIM]] : index
// CHECK:         %[[START:.*]] = arith.maxsi %[[MIN]], %{{.*}} : index
// CHECK:         %[[Y:.*]] = tensor.extract_slice %[[X]][0, %[[START]]] [4, 3] [1, 2] : tensor<4x10xf32> to tensor<4x3xf32>
// CHECK:         return %[[Y]]
func.func @slice_static(%x: tensor<4x10xf32>) -> tensor<4x3xf32> {
  %st = qopt.constant dense<[1]> : tensor<1xi64>
  %en = qopt.constant dense<[-2]> : tensor<1xi64>
  %ax = qopt.constant dense<[1]> : tensor<1xi64>
  %sp = qopt.constant dense<[2]> : tensor<1xi64>
  %0 = qopt.slice %x, %st, %en axes %ax steps %sp : (tensor<4x10xf32>, tensor<1xi64>, tensor<1xi64>, tensor<1xi64>, tensor<1xi64>) -> tensor<4x3xf32>
  return %0 : tensor<4x3xf32>
}

// -----

// A negative step (here a reversal): start / count are computed at run time
// and a generic reads data[start + i * step].
// CHECK-DAG:   #[[ID:map[0-9]*]] = affine_map<(d0) -> (d0)>
// CHECK-LABEL: func.func @slice_negative_step
// CHECK-SAME:    %[[X:.*]]: tensor<?xf32>
// CHECK:         %[[ST:.*]] = arith.index_cast %{{.*}} : i64 to index
// CHECK:         %[[EN:.*]] = arith.index_cast %{{.*}} : i64 to index
// CHECK:         %[[STEP:.*]] = arith.index_cast %{{.*}} : i64 to index
// CHECK:         %[[FWD:.*]] = arith.cmpi sgt, %[[STEP]], %{{.*}} : index
// CHECK:         %[[START:.*]] = arith.select %[[FWD]], %{{.*}}, %{{.*}} : index
// CHECK:         %[[END:.*]] = arith.select %[[FWD]], %{{.*}}, %{{.*}} : index
// CHECK:         %[[LEN:.*]] = arith.subi %[[END]], %[[START]] : index
// CHECK:         %[[CNT:.*]] = arith.ceildivsi %[[LEN]], %[[STEP]] : index
// CHECK:         %[[COUNT:.*]] = arith.maxsi %[[CNT]], %{{.*}} : index
// CHECK:         %[[E:.*]] = tensor.empty(%[[COUNT]]) : tensor<?xf32>
// CHECK:         linalg.generic {indexing_maps = [#[[ID]]], iterator_types = ["parallel"]} outs(%[[E]] : tensor<?xf32>)
// CHECK:           %[[I:.*]] = linalg.index 0 : index
// CHECK:           %[[OFF:.*]] = arith.muli %[[I]], %[[STEP]] : index
// CHECK:           %[[POS:.*]] = arith.addi %[[START]], %[[OFF]] : index
// CHECK:           %[[V:.*]] = tensor.extract %[[X]][%[[POS]]] : tensor<?xf32>
// CHECK:           linalg.yield %[[V]] : f32
func.func @slice_negative_step(%x: tensor<?xf32>) -> tensor<?xf32> {
  %st = qopt.constant dense<[-1]> : tensor<1xi64>
  %en = qopt.constant dense<[-9223372036854775807]> : tensor<1xi64>
  %ax = qopt.constant dense<[0]> : tensor<1xi64>
  %sp = qopt.constant dense<[-1]> : tensor<1xi64>
  %0 = qopt.slice %x, %st, %en axes %ax steps %sp : (tensor<?xf32>, tensor<1xi64>, tensor<1xi64>, tensor<1xi64>, tensor<1xi64>) -> tensor<?xf32>
  return %0 : tensor<?xf32>
}

// -----

// Gather along axis 1 with 2-D indices: out[i, j, k, l] =
// data[i, indices[j, k], l], a negative index counting from the end of the
// axis.
// CHECK-DAG:   #[[IDX:map[0-9]*]] = affine_map<(d0, d1, d2, d3) -> (d1, d2)>
// CHECK-DAG:   #[[OUT:map[0-9]*]] = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>
// CHECK-LABEL: func.func @gather
// CHECK-SAME:    %[[D:.*]]: tensor<5x?x3xf32>, %[[I:.*]]: tensor<2x2xi64>
// CHECK:         %[[E:.*]] = tensor.empty() : tensor<5x2x2x3xf32>
// CHECK:         %[[AXIS:.*]] = tensor.dim %[[D]], %{{.*}} : tensor<5x?x3xf32>
// CHECK:         linalg.generic {indexing_maps = [#[[IDX]], #[[OUT]]], iterator_types = ["parallel", "parallel", "parallel", "parallel"]}
// CHECK-SAME:      ins(%[[I]] : tensor<2x2xi64>) outs(%[[E]] : tensor<5x2x2x3xf32>)
// CHECK:         ^bb0(%[[IV:.*]]: i64, %{{.*}}: f32):
// CHECK:           %[[J:.*]] = arith.index_cast %[[IV]] : i64 to index
// CHECK:           %[[NEG:.*]] = arith.cmpi slt, %[[J]], %{{.*}} : index
// CHECK:           %[[WRAP:.*]] = arith.addi %[[J]], %[[AXIS]] : index
// CHECK:           %[[K:.*]] = arith.select %[[NEG]], %[[WRAP]], %[[J]] : index
// CHECK:           %[[D0:.*]] = linalg.index 0 : index
// CHECK:           %[[D3:.*]] = linalg.index 3 : index
// CHECK:           %[[V:.*]] = tensor.extract %[[D]][%[[D0]], %[[K]], %[[D3]]] : tensor<5x?x3xf32>
// CHECK:           linalg.yield %[[V]] : f32
func.func @gather(%d: tensor<5x?x3xf32>, %i: tensor<2x2xi64>) -> tensor<5x2x2x3xf32> {
  %0 = qopt.gather %d, %i {axis = 1 : i64} : (tensor<5x?x3xf32>, tensor<2x2xi64>) -> tensor<5x2x2x3xf32>
  return %0 : tensor<5x2x2x3xf32>
}

// -----

// A rank-0 (i32) index removes the axis: out[l] = data[index, l].
// CHECK-DAG:   #[[SCALAR:map[0-9]*]] = affine_map<(d0) -> ()>
// CHECK-LABEL: func.func @gather_scalar_index
// CHECK-SAME:    %[[D:.*]]: tensor<8x4xf32>, %[[I:.*]]: tensor<i32>
// CHECK:         linalg.generic {indexing_maps = [#[[SCALAR]], #{{.*}}], iterator_types = ["parallel"]}
// CHECK-SAME:      ins(%[[I]] : tensor<i32>)
// CHECK:           arith.index_cast %{{.*}} : i32 to index
// CHECK:           %[[K:.*]] = arith.select
// CHECK:           %[[L:.*]] = linalg.index 0 : index
// CHECK:           tensor.extract %[[D]][%[[K]], %[[L]]] : tensor<8x4xf32>
func.func @gather_scalar_index(%d: tensor<8x4xf32>, %i: tensor<i32>) -> tensor<4xf32> {
  %0 = qopt.gather %d, %i : (tensor<8x4xf32>, tensor<i32>) -> tensor<4xf32>
  return %0 : tensor<4xf32>
}
