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

// Must not transform: no target op, nothing changes.
// CHECK-LABEL: func.func @plain
// CHECK-NEXT:    arith.addi
// CHECK-NEXT:    return
func.func @plain(%a: vector<16xi32>) -> vector<16xi32> {
  %r = arith.addi %a, %a : vector<16xi32>
  return %r : vector<16xi32>
}
