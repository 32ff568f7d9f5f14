// RUN: qopt-opt %s --qopt-cpu-pipeline="min-parallel-work=1" \
// RUN:   | FileCheck %s --check-prefixes=CHECK,OMP --implicit-check-not=erff \
// RUN:       --implicit-check-not='{{ (qopt|linalg|tensor|bufferization|memref|scf|affine|vector|arith|math|cf|func|ub|builtin)\.[a-z_]+}}'
// RUN: qopt-opt %s --qopt-cpu-pipeline="vectorize=false" \
// RUN:   | FileCheck %s --check-prefixes=CHECK,SCALAR --implicit-check-not=erff \
// RUN:       --implicit-check-not='{{ (qopt|linalg|tensor|bufferization|memref|scf|affine|vector|arith|math|cf|func|ub|builtin|omp)\.[a-z_]+}}'

// --qopt-cpu-pipeline on a small qopt graph (MatMul -> Add -> Gelu) ends in
// the LLVM dialect only: no qopt, linalg, tensor, memref, scf, vector,
// arith, math, cf, func or unrealized-cast op is left (implicit-check-not),
// erf is expanded instead of calling libm's erff, and @main gets its C
// interface wrapper; heap buffers come from the model's buffer cache
// (_mlir_memref_to_llvm_alloc, defined in its C support code). The
// signature recorded before lowering survives as the
// module attribute. With vectorization the parallel tile loop becomes an
// OpenMP worksharing loop (omp ops are translated to LLVM IR directly);
// without it nothing but llvm ops is left, the loops being branches.

// CHECK:       module attributes {qopt.model_signature = "qopt-model-signature 1\0Ainput\09x\09f32\09-1,8\09batch,\0Aoutput\09y\09f32\09-1,4\09,\0A"}
// CHECK-DAG:   llvm.func @_mlir_memref_to_llvm_alloc(i64) -> !llvm.ptr
// CHECK-DAG:   llvm.mlir.global private constant @{{.*}}(dense<[1.000000e+00, 2.000000e+00, 3.000000e+00, 4.000000e+00]> : tensor<4xf32>)
// CHECK-LABEL: llvm.func @main(
// CHECK-SAME:    attributes {llvm.emit_c_interface}
// OMP:           omp.parallel {
// OMP:             omp.wsloop {
// OMP:               omp.loop_nest
// SCALAR:        llvm.cond_br
// CHECK:         llvm.return
// CHECK-LABEL: llvm.func @_mlir_ciface_main(%{{.*}}: !llvm.ptr, %{{.*}}: !llvm.ptr) attributes {llvm.emit_c_interface}
// CHECK:         llvm.call @main(
// CHECK:         llvm.store
// CHECK:         llvm.return
func.func @main(%x: tensor<?x8xf32> {qopt.name = "x", qopt.dim_params = ["batch", ""]}) -> (tensor<?x4xf32> {qopt.name = "y"}) {
  %w = qopt.constant dense<0.5> : tensor<8x4xf32>
  %b = qopt.constant dense<[1.0, 2.0, 3.0, 4.0]> : tensor<4xf32>
  %0 = qopt.matmul %x, %w : (tensor<?x8xf32>, tensor<8x4xf32>) -> tensor<?x4xf32>
  %1 = qopt.add %0, %b : (tensor<?x4xf32>, tensor<4xf32>) -> tensor<?x4xf32>
  %2 = qopt.gelu %1 : (tensor<?x4xf32>) -> tensor<?x4xf32>
  return %2 : tensor<?x4xf32>
}
