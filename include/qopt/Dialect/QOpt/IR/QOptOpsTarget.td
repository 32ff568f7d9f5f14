//===- QOptOpsTarget.td - ops the code generators emit --------*- tablegen -*-===//
//
// Vector-level ops that exist only between qopt-cpu-tile-and-vectorize and
// the lowering to LLVM: machine instructions that need value semantics (no
// memory effects) through bufferization, which an llvm.call_intrinsic does
// not have. Never produced by the importer or the graph passes.
//
//===----------------------------------------------------------------------===//

#ifndef QOPT_DIALECT_QOPT_IR_QOPTOPSTARGET_TD
#define QOPT_DIALECT_QOPT_IR_QOPTOPSTARGET_TD

include "qopt/Dialect/QOpt/IR/QOptBase.td"
include "mlir/Interfaces/SideEffectInterfaces.td"
include "mlir/IR/SymbolInterfaces.td"

def QOpt_X86DotU8S8Op : QOpt_Op<"x86.dot_u8s8", [Pure,
    AllTypesMatch<["acc", "a", "b", "result"]>]> {
  let summary = "16 lanes of 4 u8 x s8 products into i32 (vpdpbusd, or AVX2)";
  let description = [{
    For each of the 16 i32 lanes j: `result[j] = acc[j] + sum over t < 4 of
    zext(byte 4j+t of a) * sext(byte 4j+t of b)`, with a and b the 64 bytes
    of their lanes (unsigned and signed).

    Without `pairwise_i16` it lowers to `llvm.x86.avx512.vpdpbusd.512`
    (AVX-512 VNNI). With `pairwise_i16` the producer guarantees that each
    byte pair's sum of products, `a[2i] * b[2i] + a[2i+1] * b[2i+1]`, fits
    in i16 (qopt-cpu-tile-and-vectorize checks the constant weights:
    |b[2i]| + |b[2i+1]| <= 128), and it lowers to the AVX2 sequence
    `vpmaddubsw` (byte pairs into saturating i16, exact under that
    guarantee) + `vpmaddwd` by ones (i16 pairs into i32) + `vpaddd`, on two
    256-bit halves (`qopt-cpu-lower-target-ops`).

    Example:
    ```mlir
    %r = qopt.x86.dot_u8s8 %acc, %a, %b : vector<16xi32>
    %s = qopt.x86.dot_u8s8 %acc, %a, %b {pairwise_i16} : vector<16xi32>
    ```
  }];
  let arguments = (ins VectorOfLengthAndType<[16], [I32]>:$acc,
                       VectorOfLengthAndType<[16], [I32]>:$a,
                       VectorOfLengthAndType<[16], [I32]>:$b,
                       UnitAttr:$pairwise_i16);
  let results = (outs VectorOfLengthAndType<[16], [I32]>:$result);
  let assemblyFormat = "$acc `,` $a `,` $b attr-dict `:` type($result)";
}
def QOpt_CUDADeviceGlobalOp : QOpt_Op<"cuda.device_global", [Pure,
    DeclareOpInterfaceMethods<SymbolUserOpInterface>]> {
  let summary = "The GPU copy of a constant memref.global (weights)";
  let description = [{
    The device-memory copy of the constant `memref.global` `@name`, made by
    qopt-cuda-place-buffers for every weight the host code of a CUDA model
    reads. The model's CUDA support code uploads each global on first use
    and keeps it for as long as the model is loaded, so weights cross the
    bus once per model load, not per run. `qopt-cuda-lower-device-globals`
    lowers it to a call of `qopt_cuda_device_global(host pointer, bytes)`
    and a memref descriptor over the returned device pointer.

    Example:
    ```mlir
    memref.global "private" constant @w : memref<4x8xf32> = dense<...>
    %d = qopt.cuda.device_global @w : memref<4x8xf32>
    ```
  }];
  let arguments = (ins FlatSymbolRefAttr:$name);
  let results = (outs AnyStaticShapeMemRef:$result);
  let assemblyFormat = "$name attr-dict `:` type($result)";
}

#endif // QOPT_DIALECT_QOPT_IR_QOPTOPSTARGET_TD
