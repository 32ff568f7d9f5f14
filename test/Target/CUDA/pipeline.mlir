// RUN: qopt-opt %s --qopt-cuda-pipeline="chip=sm_90" \
// RUN:   | FileCheck %s --implicit-check-not=gpu.module --implicit-check-not=__nv_ \
// RUN:       --implicit-check-not='{{ (qopt|linalg|tensor|bufferization|memref|scf|affine|vector|arith|math|cf|func|ub|builtin)\.[a-z_]+}}'

// --qopt-cuda-pipeline (defaults: no libdevice, PTX from qopt's serializer)
// on a small qopt graph (MatMul -> Add -> Gelu) ends in the LLVM dialect on
// the host plus one gpu.binary holding the PTX of every kernel (erf
// expanded, nothing external); launches go through gpu.launch_func (which
// the translation turns into mgpu* calls), device memory through the mgpu*
// functions, the weight through qopt_cuda_device_global; @main keeps its C
// interface for the model ABI and the signature survives.

// CHECK:       module attributes {gpu.container_module, qopt.model_signature = "qopt-model-signature 1\0Ainput\09x\09f32\09-1,8\09batch,\0Aoutput\09y\09f32\09-1,4\09,\0A"}
// CHECK:       llvm.func @qopt_cuda_device_global(!llvm.ptr, i64) -> !llvm.ptr
// CHECK-LABEL: llvm.func @main(
// CHECK-SAME:    attributes {llvm.emit_c_interface}
// CHECK:         llvm.call @mgpuMemAlloc(
// CHECK:         llvm.call @mgpuMemcpy(
// CHECK:         llvm.call @qopt_cuda_device_global(
// CHECK:         gpu.launch_func <%{{.*}} : !llvm.ptr> @main_kernel::@main_kernel blocks
// CHECK:         gpu.launch_func <%{{.*}} : !llvm.ptr> @main_kernel::@main_kernel_0 blocks
// CHECK:         llvm.call @mgpuStreamSynchronize(
// CHECK:         llvm.call @_mlir_memref_to_llvm_alloc(
// CHECK:         llvm.call @mgpuMemcpy(
// CHECK:         llvm.call @mgpuMemFree(
// CHECK:         llvm.return
// CHECK-LABEL: llvm.func @_mlir_ciface_main(
// CHECK:       gpu.binary @main_kernel  [#gpu.object<#nvvm.target<O = 3, chip = "sm_90", features = "+ptx80">, assembly = "{{.*}}.target sm_90{{.*}}.visible .entry main_kernel(
func.func @main(%x: tensor<?x8xf32> {qopt.name = "x", qopt.dim_params = ["batch", ""]}) -> (tensor<?x4xf32> {qopt.name = "y"}) {
  %w = qopt.constant dense<0.5> : tensor<8x4xf32>
  %b = qopt.constant dense<[1.0, 2.0, 3.0, 4.0]> : tensor<4xf32>
  %0 = qopt.matmul %x, %w : (tensor<?x8xf32>, tensor<8x4xf32>) -> tensor<?x4xf32>
  %1 = qopt.add %0, %b : (tensor<?x4xf32>, tensor<4xf32>) -> tensor<?x4xf32>
  %2 = qopt.gelu %1 : (tensor<?x4xf32>) -> tensor<?x4xf32>
  return %2 : tensor<?x4xf32>
}
