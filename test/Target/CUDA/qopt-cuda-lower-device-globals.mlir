// RUN: qopt-opt %s -qopt-cuda-lower-device-globals -split-input-file -verify-diagnostics | FileCheck %s

// A weight's device copy: the host global's address and byte size go to the
// support code's upload cache (qopt_cuda_device_global); the returned device
// pointer becomes a memref descriptor.

// CHECK:       llvm.func @qopt_cuda_device_global(!llvm.ptr, i64) -> !llvm.ptr
// CHECK-LABEL: func.func @weights
// CHECK:         %[[H:.*]] = memref.get_global @w : memref<4x8xf32>
// CHECK:         %[[A:.*]] = memref.extract_aligned_pointer_as_index %[[H]]
// CHECK:         %[[I:.*]] = arith.index_cast %[[A]] : index to i64
// CHECK:         %[[P:.*]] = llvm.inttoptr %[[I]] : i64 to !llvm.ptr
// CHECK:         %[[N:.*]] = llvm.mlir.constant(128 : i64) : i64
// CHECK:         %[[D:.*]] = llvm.call @qopt_cuda_device_global(%[[P]], %[[N]])
// CHECK:         llvm.insertvalue %[[D]]
// CHECK:         %[[M:.*]] = builtin.unrealized_conversion_cast %{{.*}} : !llvm.struct<(ptr, ptr, i64, array<2 x i64>, array<2 x i64>)> to memref<4x8xf32>
// CHECK:         return %[[M]]
memref.global "private" constant @w : memref<4x8xf32> = dense<1.0>
func.func @weights() -> memref<4x8xf32> {
  %d = qopt.cuda.device_global @w : memref<4x8xf32>
  return %d : memref<4x8xf32>
}

// -----

// The op's verifier: the symbol must be a constant memref.global of the
// result's type.
memref.global "private" @state : memref<4xf32> = uninitialized
func.func @mutable() -> memref<4xf32> {
  // expected-error @below {{'qopt.cuda.device_global' op expects 'state' to be a constant memref.global (only constants are uploaded once)}}
  %d = qopt.cuda.device_global @state : memref<4xf32>
  return %d : memref<4xf32>
}

// -----

memref.global "private" constant @w : memref<4xf32> = dense<1.0>
func.func @mismatch() -> memref<8xf32> {
  // expected-error @below {{'qopt.cuda.device_global' op result type 'memref<8xf32>' does not match the global's type 'memref<4xf32>'}}
  %d = qopt.cuda.device_global @w : memref<8xf32>
  return %d : memref<8xf32>
}

// -----

func.func @missing() -> memref<8xf32> {
  // expected-error @below {{'qopt.cuda.device_global' op expects 'nothing' to name a memref.global}}
  %d = qopt.cuda.device_global @nothing : memref<8xf32>
  return %d : memref<8xf32>
}
