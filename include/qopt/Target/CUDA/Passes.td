//===- Passes.td - CUDA target passes ----------------------*- tablegen -*-===//

#ifndef QOPT_TARGET_CUDA_PASSES_TD
#define QOPT_TARGET_CUDA_PASSES_TD

include "mlir/Pass/PassBase.td"

def PlaceBuffersPass : Pass<"qopt-cuda-place-buffers", "ModuleOp"> {
  let summary = "Put a bufferized model's buffers in GPU memory";
  let description = [{
    Runs on bufferized host code (linalg on memrefs) before it is mapped to
    GPU kernels. Every public function keeps its host ABI (inputs and
    results in host memory, as the runtime passes them) and works on device
    memory inside:

    - each memref argument is copied to a `gpu.alloc` buffer on entry;
    - `memref.alloc` / `memref.dealloc` become `gpu.alloc` / `gpu.dealloc`,
      except small buffers the host fills and reads itself (the target
      shape of a dynamic `memref.reshape`, written with `memref.store`);
    - each result is copied back into a host `memref.alloc` (the buffer the
      runtime frees through `qopt_model_free_result`) and its device buffer
      freed;
    - `memref.get_global` of a constant (a weight) becomes
      `qopt.cuda.device_global`, uploaded once per model load;
    - `memref.copy` becomes `gpu.memcpy` between identity-layout buffers
      and a `linalg.copy` (a kernel) otherwise.

    Before:
    ```mlir
    func.func @main(%x: memref<4xf32>) -> memref<4xf32> {
      %w = memref.get_global @w : memref<4xf32>
      %y = memref.alloc() : memref<4xf32>
      linalg.add ins(%x, %w : ...) outs(%y : memref<4xf32>)
      return %y : memref<4xf32>
    }
    ```
    After:
    ```mlir
    func.func @main(%x: memref<4xf32>) -> memref<4xf32> {
      %xd = gpu.alloc() : memref<4xf32>
      gpu.memcpy %xd, %x : memref<4xf32>, memref<4xf32>
      %w = qopt.cuda.device_global @w : memref<4xf32>
      %y = gpu.alloc() : memref<4xf32>
      linalg.add ins(%xd, %w : ...) outs(%y : memref<4xf32>)
      %h = memref.alloc() : memref<4xf32>
      gpu.memcpy %h, %y : memref<4xf32>, memref<4xf32>
      gpu.dealloc %y : memref<4xf32>
      gpu.dealloc %xd : memref<4xf32>
      return %h : memref<4xf32>
    }
    ```
    A `memref.load` in host code (a Slice's starts, a Resize's scales read
    to compute shapes) reads a fresh host copy of its buffer. Host code that
    writes device memory itself (a `memref.store` outside linalg ops, a
    stack buffer) is an error naming the op: it has no place on the GPU
    target yet.
  }];
  let dependentDialects = ["::mlir::gpu::GPUDialect",
                           "::mlir::linalg::LinalgDialect",
                           "::mlir::qopt::QOptDialect"];
}

def MapToLaunchesPass : Pass<"qopt-cuda-map-to-launches", "func::FuncOp"> {
  let summary = "Turn each linalg op on device buffers into a gpu.launch";
  let description = [{
    Lowers every linalg op of a host function to loops (its parallel
    dimensions in one `scf.parallel`, its reductions as `scf.for` inside)
    and maps each outermost `scf.parallel` onto a one-dimensional grid: the
    iteration space is linearized, each thread takes one point
    (`blockIdx.x * block-size + threadIdx.x`, guarded by the trip count),
    delinearizes it (the innermost dimension fastest, so neighbouring
    threads touch neighbouring elements) and runs the loop body, reductions
    included. An op with no parallel dimension (a full reduction) runs in a
    one-thread launch.

    With `tensor-cores`, int8 matmuls (i8 x i8 accumulated into i32, batched
    or not, B as [k, n] or [n, k]) get a tensor-core kernel instead: blocks
    of 4 warps, each warp a 32x32 tile of `mma.sync.m16n8k32` (u8/s8 x
    u8/s8 -> s32) over the whole K.

    Before:
    ```mlir
    linalg.add ins(%a, %b : memref<8x300xf32>, memref<8x300xf32>)
               outs(%c : memref<8x300xf32>)
    ```
    After (block-size=256):
    ```mlir
    gpu.launch blocks(%bx, %by, %bz) in (%gx = %c10, ...)
               threads(%tx, %ty, %tz) in (%sx = %c256, ...) {
      // i = bx * 256 + tx; if i < 2400: row = i / 300, col = i % 300
      ...
      gpu.terminator
    }
    ```
  }];
  let options = [
    Option<"blockSize", "block-size", "int64_t", /*default=*/"256",
           "Threads per block">,
    Option<"tensorCores", "tensor-cores", "bool", /*default=*/"true",
           "int8 matmuls use mma.sync (sm_80+)">,
  ];
  let dependentDialects = ["::mlir::gpu::GPUDialect",
                           "::mlir::NVVM::NVVMDialect",
                           "::mlir::memref::MemRefDialect",
                           "::mlir::scf::SCFDialect",
                           "::mlir::arith::ArithDialect"];
}

def MergeKernelModulesPass
    : Pass<"qopt-cuda-merge-kernel-modules", "ModuleOp"> {
  let summary = "Put every outlined kernel into one gpu.module";
  let description = [{
    `gpu-kernel-outlining` makes one `gpu.module` per kernel. This pass moves
    every kernel into the first module and retargets the `gpu.launch_func`
    ops, so a model ships one PTX/cubin image: one driver load (and one JIT
    compile of PTX) per model, and one file for --emit=ptx and ptxas.

    Before: `gpu.module @main_kernel {...}`, `gpu.module @main_kernel_0 {...}`,
    `gpu.launch_func @main_kernel_0::@main_kernel_0 ...`
    After: `gpu.module @main_kernel { gpu.func @main_kernel ...
    gpu.func @main_kernel_0 ... }`, `gpu.launch_func
    @main_kernel::@main_kernel_0 ...`
  }];
  let dependentDialects = ["::mlir::gpu::GPUDialect"];
}

def LowerDeviceGlobalsPass
    : Pass<"qopt-cuda-lower-device-globals", "ModuleOp"> {
  let summary = "Lower qopt.cuda.device_global to the support code's upload "
                "cache";
  let description = [{
    Replaces each `qopt.cuda.device_global @w` with a call of
    `qopt_cuda_device_global(host pointer of @w, byte size)` (defined in the
    CUDA support code linked into every model: it uploads the constant on
    its first use and returns the same device pointer afterwards) and a
    memref descriptor over the returned pointer, joined to the rest of the
    host code by an `unrealized_conversion_cast` that the host's lowering
    to LLVM resolves.

    Before: `%d = qopt.cuda.device_global @w : memref<4x8xf32>`
    After:
    ```mlir
    %h = memref.get_global @w : memref<4x8xf32>
    %p = memref.extract_aligned_pointer_as_index %h : memref<4x8xf32> -> index
    ... llvm.call @qopt_cuda_device_global(%hp, %bytes)
    %d = builtin.unrealized_conversion_cast %descriptor : !llvm.struct<...>
         to memref<4x8xf32>
    ```
  }];
  let dependentDialects = ["::mlir::LLVM::LLVMDialect",
                           "::mlir::memref::MemRefDialect",
                           "::mlir::arith::ArithDialect"];
}

def EmulateOnHostPass : Pass<"qopt-cuda-emulate-on-host", "ModuleOp"> {
  let summary = "Run the GPU program's kernels as host loops (testing)";
  let description = [{
    For testing the CUDA pipeline's decomposition on a machine without a
    GPU: every `gpu.launch` becomes a loop over its blocks and threads that
    runs the kernel body with those ids, and the memory ops become their
    host forms (`gpu.alloc` -> `memref.alloc`, `gpu.dealloc` ->
    `memref.dealloc`, `gpu.memcpy` -> `memref.copy`,
    `qopt.cuda.device_global` -> `memref.get_global`). The result goes
    through the CPU lowering, so buffer placement, the launch mapping
    (linearization, guards, delinearization) and the kernels' arithmetic
    run and can be compared with a reference; only the NVVM code generation
    and the driver shim are left out. `qopt-compile --target=cuda
    --cuda-emulate` builds such a model.

    Before:
    ```mlir
    gpu.launch blocks(%bx, %by, %bz) in (%gx = %g, %gy = %c1, %gz = %c1)
               threads(%tx, %ty, %tz) in (%sx = %c256, ...) { ... }
    ```
    After:
    ```mlir
    scf.for %bx = %c0 to %g step %c1 {
      scf.for %tx = %c0 to %c256 step %c1 { ... }
    }
    ```
  }];
  let dependentDialects = ["::mlir::scf::SCFDialect",
                           "::mlir::memref::MemRefDialect"];
}

def MathToIntrinsicsPass
    : Pass<"qopt-cuda-math-to-intrinsics", "gpu::GPUModuleOp"> {
  let summary = "Math ops NVPTX has instructions for -> LLVM intrinsics";
  let description = [{
    Without libdevice, `convert-gpu-to-nvvm` would still turn `math.sqrt`,
    `math.floor`, ... into calls of libdevice's `__nv_*` functions. The
    CUDA pipeline expands the transcendental functions into polynomials
    first; this pass maps what is left onto the LLVM intrinsics NVPTX
    selects as single instructions (`llvm.sqrt` -> `sqrt.rn.f32`,
    `llvm.floor` -> `cvt.rmi.f32.f32`, ...), called through
    `llvm.call_intrinsic` so the NVVM conversion leaves them alone: sqrt,
    absf, floor, ceil, roundeven, round, trunc, copysign, fma, and arith's
    maximumf / minimumf / maxnumf / minnumf (f32 / f64).

    Before: `%r = math.sqrt %x : f32`
    After:  `%r = llvm.call_intrinsic "llvm.sqrt"(%x) : (f32) -> f32`
  }];
  let dependentDialects = ["::mlir::LLVM::LLVMDialect"];
}

def SerializeToPTXPass : Pass<"qopt-cuda-serialize-to-ptx", "ModuleOp"> {
  let summary = "Serialize GPU modules to PTX with LLVM's NVPTX backend";
  let description = [{
    Replaces each `gpu.module` (in the NVVM/LLVM dialects, with an
    `#nvvm.target`) by a `gpu.binary` holding its PTX, generated in-process
    by LLVM's NVPTX backend for the target's chip and features at the
    target's optimization level. It is the CUDA pipeline's serializer when
    no CUDA toolkit with libdevice is used: upstream's
    `gpu-module-to-binary` looks up a toolkit for libdevice even for PTX
    output and fails without one. With a toolkit, `gpu-module-to-binary`
    serializes (it links libdevice, and makes cubins and fatbins).

    Before: `gpu.module @main_kernel [#nvvm.target<chip = "sm_90">] {...}`
    After:  `gpu.binary @main_kernel [#gpu.object<#nvvm.target<chip =
    "sm_90">, assembly = "//\n// Generated by LLVM NVPTX Back-End..."]`
  }];
}

def CheckDeviceCodePass : Pass<"qopt-cuda-check-device-code", "ModuleOp"> {
  let summary = "Reject GPU modules that still call external functions";
  let description = [{
    After the device code is in the NVVM/LLVM dialects, every function a
    kernel calls must be defined in its `gpu.module`, except libdevice's
    `__nv_*` functions when libdevice is linked (`allow-libdevice`). An
    unresolved external would only fail when the driver loads the module
    on the user's machine; this pass fails the compile instead, naming the
    function.
  }];
  let options = [
    Option<"allowLibdevice", "allow-libdevice", "bool", /*default=*/"true",
           "Calls of libdevice's __nv_* functions are allowed">,
  ];
}

#endif // QOPT_TARGET_CUDA_PASSES_TD
