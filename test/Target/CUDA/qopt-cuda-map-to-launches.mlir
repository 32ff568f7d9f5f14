// RUN: qopt-opt %s -pass-pipeline='builtin.module(func.func(qopt-cuda-map-to-launches{block-size=128}),canonicalize)' -split-input-file -verify-diagnostics | FileCheck %s
// RUN: not qopt-opt %s -pass-pipeline='builtin.module(func.func(qopt-cuda-map-to-launches{block-size=100}))' -split-input-file 2>&1 | FileCheck %s --check-prefix=BLOCK
// BLOCK: error: qopt-cuda-map-to-launches: block-size must be a multiple of 32 in [32, 1024], got 100

// Every linalg op becomes one gpu.launch over a 1-D grid: thread
// i = blockIdx.x * 128 + threadIdx.x takes point i of the linearized
// parallel space (guarded by the trip count), innermost dimension fastest.

// 8 x 300 = 2400 points: 19 blocks of 128 threads.
// CHECK-LABEL: func.func @add
// CHECK-DAG:     %[[C300:.*]] = arith.constant 300 : index
// CHECK-DAG:     %[[C2400:.*]] = arith.constant 2400 : index
// CHECK-DAG:     %[[C128:.*]] = arith.constant 128 : index
// CHECK-DAG:     %[[C19:.*]] = arith.constant 19 : index
// CHECK:         gpu.launch blocks(%[[BX:.*]], %{{.*}}, %{{.*}}) in (%{{.*}} = %[[C19]], {{.*}}) threads(%[[TX:.*]], %{{.*}}, %{{.*}}) in (%{{.*}} = %[[C128]],
// CHECK:           %[[B:.*]] = arith.muli %[[BX]], %[[C128]]
// CHECK:           %[[I:.*]] = arith.addi %[[B]], %[[TX]]
// CHECK:           %[[IN:.*]] = arith.cmpi ult, %[[I]], %[[C2400]]
// CHECK:           scf.if %[[IN]] {
// CHECK:             %[[COL:.*]] = arith.remui %[[I]], %[[C300]]
// CHECK:             %[[ROW:.*]] = arith.divui %[[I]], %[[C300]]
// CHECK:             memref.load %{{.*}}[%[[ROW]], %[[COL]]]
// CHECK:             memref.store %{{.*}}, %{{.*}}[%[[ROW]], %[[COL]]]
// CHECK:           gpu.terminator
// CHECK-NOT:     linalg.
func.func @add(%a: memref<8x300xf32>, %b: memref<8x300xf32>, %c: memref<8x300xf32>) {
  linalg.add ins(%a, %b : memref<8x300xf32>, memref<8x300xf32>) outs(%c : memref<8x300xf32>)
  return
}

// -----

// A matmul: one thread per output element, K as a loop in the thread.
// CHECK-LABEL: func.func @matmul
// CHECK:         gpu.launch
// CHECK:           scf.if
// CHECK:             scf.for %{{.*}} = %{{.*}} to %{{.*}} step
// CHECK:               arith.mulf
// CHECK:               arith.addf
func.func @matmul(%a: memref<?x64xf32>, %b: memref<64x32xf32>, %c: memref<?x32xf32>) {
  linalg.matmul ins(%a, %b : memref<?x64xf32>, memref<64x32xf32>) outs(%c : memref<?x32xf32>)
  return
}

// -----

// An int8 matmul (u8 activations x s8 weights into i32, as qopt-fuse-qdq
// makes them) gets the tensor-core kernel: blocks of 128 threads over
// 64 x 64 tiles of C, K in steps of 32, each warp 2 x 4 mma.sync.m16n8k32.
// CHECK-LABEL: func.func @int8_matmul
// CHECK:         %[[GY:.*]] = arith.ceildivui %{{.*}}, %c64 : index
// CHECK:         gpu.launch blocks({{.*}}) in (%{{.*}} = %c3, %{{.*}} = %[[GY]], %{{.*}} = %c1) threads({{.*}}) in (%{{.*}} = %c128, %{{.*}} = %c1, %{{.*}} = %c1)
// CHECK:           scf.for %{{.*}} = %c0 to %c96 step %c32 iter_args(
// CHECK-COUNT-8:     nvvm.mma.sync A[{{.*}}] B[{{.*}}] C[{{.*}}] {intOverflowBehavior = #nvvm.mma_int_overflow<wrapped>, layoutA = #nvvm.mma_layout<row>, layoutB = #nvvm.mma_layout<col>, multiplicandAPtxType = #nvvm.mma_type<u8>, multiplicandBPtxType = #nvvm.mma_type<s8>, shape = #nvvm.shape<m = 16, n = 8, k = 32>}
// CHECK:           scf.yield
// CHECK-COUNT-32:  memref.store %{{.*}}, %{{.*}}[%{{.*}}, %{{.*}}] : memref<?x160xi32>
func.func @int8_matmul(%a: memref<?x96xi8>, %b: memref<96x160xi8>, %c: memref<?x160xi32>) {
  linalg.generic {indexing_maps = [affine_map<(m, n, k) -> (m, k)>, affine_map<(m, n, k) -> (k, n)>, affine_map<(m, n, k) -> (m, n)>], iterator_types = ["parallel", "parallel", "reduction"]} ins(%a, %b : memref<?x96xi8>, memref<96x160xi8>) outs(%c : memref<?x160xi32>) {
  ^bb0(%x: i8, %w: i8, %acc: i32):
    %0 = arith.extui %x : i8 to i32
    %1 = arith.extsi %w : i8 to i32
    %2 = arith.muli %0, %1 : i32
    %3 = arith.addi %acc, %2 : i32
    linalg.yield %3 : i32
  }
  return
}

// -----

// No parallel dimension (a full reduction): a one-thread launch of one
// warp.
// CHECK-LABEL: func.func @sum
// CHECK-DAG:     %[[C1:.*]] = arith.constant 1 : index
// CHECK-DAG:     %[[C32:.*]] = arith.constant 32 : index
// CHECK:         gpu.launch blocks({{.*}}) in (%{{.*}} = %[[C1]], {{.*}}) threads(%[[T:.*]], %{{.*}}, %{{.*}}) in (%{{.*}} = %[[C32]],
// CHECK:           arith.cmpi ult, %[[T]], %[[C1]]
// CHECK:           scf.for
func.func @sum(%a: memref<100xf32>, %s: memref<f32>) {
  linalg.reduce ins(%a : memref<100xf32>) outs(%s : memref<f32>) dimensions = [0]
    (%x: f32, %acc: f32) {
      %r = arith.addf %x, %acc : f32
      linalg.yield %r : f32
    }
  return
}

// -----

func.func @tensors(%a: tensor<4xf32>, %b: tensor<4xf32>) -> tensor<4xf32> {
  // expected-error @below {{'linalg.add' op is not bufferized; qopt-cuda-map-to-launches runs after bufferization}}
  %r = linalg.add ins(%a, %a : tensor<4xf32>, tensor<4xf32>) outs(%b : tensor<4xf32>) -> tensor<4xf32>
  return %r : tensor<4xf32>
}
