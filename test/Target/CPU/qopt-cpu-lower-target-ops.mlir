// RUN: qopt-opt %s -qopt-cpu-lower-target-ops -split-input-file | FileCheck %s

// qopt.x86.dot_u8s8 becomes the vpdpbusd intrinsic, its byte operands
// bitcast to the <64 x i8> the intrinsic takes.
// CHECK-LABEL: func.func @dot
// CHECK-SAME:    (%[[ACC:.*]]: vector<16xi32>, %[[A:.*]]: vector<16xi32>, %[[B:.*]]: vector<16xi32>)
// CHECK:         %[[AB:.*]] = vector.bitcast %[[A]] : vector<16xi32> to vector<64xi8>
// CHECK:         %[[BB:.*]] = vector.bitcast %[[B]] : vector<16xi32> to vector<64xi8>
// CHECK:         %[[R:.*]] = llvm.call_intrinsic "llvm.x86.avx512.vpdpbusd.512"(%[[ACC]], %[[AB]], %[[BB]]) : (vector<16xi32>, vector<64xi8>, vector<64xi8>) -> vector<16xi32>
// CHECK:         return %[[R]]
func.func @dot(%acc: vector<16xi32>, %a: vector<16xi32>, %b: vector<16xi32>) -> vector<16xi32> {
  %r = qopt.x86.dot_u8s8 %acc, %a, %b : vector<16xi32>
  return %r : vector<16xi32>
}

// -----

// With pairwise_i16 (AVX2): per 256-bit half, vpmaddubsw (byte pairs into
// i16) and vpmaddwd by ones (i16 pairs into i32); the halves are joined and
// added to the accumulator.
// CHECK-LABEL: func.func @dot_pairwise
// CHECK-SAME:    (%[[ACC:.*]]: vector<16xi32>, %[[A:.*]]: vector<16xi32>, %[[B:.*]]: vector<16xi32>)
// CHECK-DAG:     %[[ONES:.*]] = arith.constant dense<1> : vector<16xi16>
// CHECK-DAG:     %[[AB:.*]] = vector.bitcast %[[A]] : vector<16xi32> to vector<64xi8>
// CHECK-DAG:     %[[BB:.*]] = vector.bitcast %[[B]] : vector<16xi32> to vector<64xi8>
// CHECK:         %[[A0:.*]] = vector.extract_strided_slice %[[AB]] {offsets = [0], sizes = [32], strides = [1]}
// CHECK:         %[[B0:.*]] = vector.extract_strided_slice %[[BB]] {offsets = [0], sizes = [32], strides = [1]}
// CHECK:         %[[W0:.*]] = llvm.call_intrinsic "llvm.x86.avx2.pmadd.ub.sw"(%[[A0]], %[[B0]]) : (vector<32xi8>, vector<32xi8>) -> vector<16xi16>
// CHECK:         %[[L0:.*]] = llvm.call_intrinsic "llvm.x86.avx2.pmadd.wd"(%[[W0]], %[[ONES]]) : (vector<16xi16>, vector<16xi16>) -> vector<8xi32>
// CHECK:         vector.extract_strided_slice %[[AB]] {offsets = [32], sizes = [32], strides = [1]}
// CHECK:         "llvm.x86.avx2.pmadd.ub.sw"
// CHECK:         %[[L1:.*]] = llvm.call_intrinsic "llvm.x86.avx2.pmadd.wd"
// CHECK:         %[[SUM:.*]] = vector.shuffle %[[L0]], %[[L1]] [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15] : vector<8xi32>, vector<8xi32>
// CHECK:         %[[R:.*]] = arith.addi %[[ACC]], %[[SUM]] : vector<16xi32>
// CHECK:         return %[[R]]
func.func @dot_pairwise(%acc: vector<16xi32>, %a: vector<16xi32>, %b: vector<16xi32>) -> vector<16xi32> {
  %r = qopt.x86.dot_u8s8 %acc, %a, %b {pairwise_i16} : vector<16xi32>
  return %r : vector<16xi32>
}

// -----

// Must not transform: no target op, nothing changes.
// CHECK-LABEL: func.func @plain
// CHECK-NEXT:    arith.addi
// CHECK-NEXT:    return
func.func @plain(%a: vector<16xi32>) -> vector<16xi32> {
  %r = arith.addi %a, %a : vector<16xi32>
  return %r : vector<16xi32>
}
