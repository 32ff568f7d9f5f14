//===- Passes.td - CPU target passes -----------------------*- tablegen -*-===//

#ifndef QOPT_TARGET_CPU_PASSES_TD
#define QOPT_TARGET_CPU_PASSES_TD

include "mlir/Pass/PassBase.td"

def MarkEntryPointsPass : Pass<"qopt-mark-entry-points", "ModuleOp"> {
  let summary = "Give public functions a C interface for the model ABI";
  let description = [{
    Sets `llvm.emit_c_interface` on every public function with a body, so
    `convert-func-to-llvm` emits `_mlir_ciface_<name>` (memref descriptors
    passed by pointer), which the model's `qopt_model_run` entry calls.
    The `qopt.name` / `qopt.dim_params` argument and result attributes are
    dropped (qopt-record-model-signature has recorded them).

    Before: `func.func @main(%x: memref<?x4xf32>) -> memref<?x4xf32>`
    After:  `func.func @main(...) attributes {llvm.emit_c_interface}`
  }];
  let dependentDialects = ["::mlir::LLVM::LLVMDialect"];
}

def RecordModelSignaturePass : Pass<"qopt-record-model-signature", "ModuleOp"> {
  let summary = "Record the model's input/output signature for the runtime";
  let description = [{
    Reads `func.func @main` while its types still carry ONNX meaning
    (signed / unsigned integers, symbolic dim names in `qopt.dim_params`,
    tensor names in `qopt.name`) and stores the text the runtime parses as
    the module attribute `qopt.model_signature`:

    ```
    qopt-model-signature 1
    input<TAB>x<TAB>f32<TAB>-1,-1,32<TAB>batch,seq,
    output<TAB>y<TAB>f32<TAB>-1,-1,32<TAB>batch,seq,
    ```
    Dynamic dims are -1. Lowering keeps module attributes, and the CPU code
    generator embeds the text in the shared library
    (`qopt_model_signature()`). docs/runtime.md describes the format.
  }];
}

def FuseElementwisePass : Pass<"qopt-cpu-fuse-elementwise", "func::FuncOp"> {
  let summary = "Fuse elementwise producers into consumers that read each "
                "element once";
  let description = [{
    Upstream's elementwise fusion, with a cost rule: a producer is fused into
    a consumer only when the consumer reads each produced element once (an
    elementwise consumer, or a non-contraction reduction such as softmax's
    sum reading through a permutation map). Fusing into a contraction would
    recompute the producer once per output column (GELU inside the next
    matmul, softmax's division inside attention x V) and hide the
    contraction from the micro-kernel. A producer with several consumers
    whose body is expensive (math ops, divisions: softmax's exp feeds its
    sum and its normalization) is not fused either, so it is computed once.
    A linalg.transpose whose input comes from, or whose only user is, an
    elementwise generic is generalized first, so that it fuses too: the
    quantize after attention's Q/K/V transposes then reads through the
    permutation instead of after an f32 copy.
  }];
  let dependentDialects = ["::mlir::linalg::LinalgDialect"];
}

def TileAndVectorizePass
    : Pass<"qopt-cpu-tile-and-vectorize", "func::FuncOp"> {
  let summary = "Tile linalg ops on tensors to register tiles and vectorize";
  let description = [{
    The CPU code-generation strategy, on linalg ops with tensor semantics:

    * matmuls whose right operand is a constant weight [K, N] first get it
      packed at compile time into [N / n-tile, K, n-tile] panels (data
      tiling), so the micro-kernel reads it contiguously;
    * 2-D NCHW float convolutions with unit W stride and dilation become a
      packed im2col copy + a batched contraction: the copy moves output
      rows with vector transfers straight into [OH*OW / n-tile, K, n-tile]
      panels, reading through a zero tensor.pad (border lanes and padding
      rows are zero-filled), so neither the padded input nor a strided
      im2col matrix exists; other convolutions use upstream's
      rewriteInIm2Col. The contraction is handled as below;
    * u8 x s8 -> i32 integer contractions (what qopt-fuse-qdq produces),
      with `vnni` or `avx2-int8`: matmuls with a constant weight, 2-D
      group-1 convolutions (packed u8 im2col, result [F, P] = NCHW) and,
      with `vnni`, matmuls of two run-time operands (B packed at run time)
      run on register-tiled `qopt.x86.dot_u8s8` kernels (Transforms.h:
      rewriteU8S8Matmul / rewriteU8S8Conv / rewriteU8S8BatchedMatmul).
      A matmul's accumulators start at zero in registers when its init is
      a zero fill, and its elementwise consumer (dequantization, bias,
      activation, residual, requantization: one generic after
      qopt-cpu-fuse-elementwise) is applied to each accumulator vector
      before it leaves the register (TileEpilogue.h), so the i32 result
      is never stored and matmul + epilogue are one parallel loop;
    * NCHW max / sum pooling: per output row, one vector read per window
      row and a lane-selecting shuffle per window column (the generic
      vectorizer does not handle pooling ops);
    * contractions (matmul, batched matmul, Gemm-like generics): tiled to a
      register micro-tile of `m-tile` x `n-tile` outputs with the reduction
      tiled by 1 (loop order: batch, N, M, K, so a B panel stays in cache
      across the M tiles); the full tiles are peeled from the remainder and
      vectorized (a multiply + reduction over the unit K dim, which LLVM
      turns into broadcast + FMA outer products); loop-invariant subset
      hoisting, run after this pass, keeps the accumulator tile in
      registers across the K loop;
    * elementwise ops and transposes (no reduction loop): the innermost
      loop tiled by `vector-width` (other loops by 1); full tiles are
      vectorized, the peeled remainder stays scalar;
    * reductions whose innermost loop is a reduction dim (softmax and
      layer-norm rows): other loops tiled by 1; a single reduction dim
      longer than `vector-width` (or dynamic) is tiled as a partial
      reduction: a `vector-width` accumulator updated lane-wise over the
      full tiles (peeled, so no masks: masked multi-reductions do not
      verify in MLIR 22), the dynamic remainder scalar into its first
      lanes, and one horizontal merge per row.

    Non-positive `m-tile`, `n-tile` or `vector-width` are an error.

    Other convolution-like ops, bool ops (i1 vectors are bit-packed in memory),
    ops whose indexing maps are not projected permutations (im2col) and ops
    the vectorizer rejects keep their scalar form.

    Before: `linalg.matmul ins(%a, %b : tensor<32x1024xf32>, tensor<1024x4096xf32>)`
    After: a packed `[128, 1024, 32]` weight constant and `scf.for` loops
    over N / M / K tiles around `arith.mulf` on `vector<8x1x32x1xf32>` and a
    `vector.multi_reduction` into the `vector<8x1x32xf32>` accumulator tile.
  }];
  let options = [
    Option<"mTile", "m-tile", "int64_t", "8", "Rows of the register tile">,
    Option<"nTile", "n-tile", "int64_t", "32", "Columns of the register tile">,
    Option<"vectorWidth", "vector-width", "int64_t", "16",
           "Elements per vector for non-contraction ops">,
    Option<"packWeights", "pack-weights", "bool", "true",
           "Pack constant matmul weights [K, N] as [N/n-tile, K, n-tile] at "
           "compile time">,
    Option<"minParallelWork", "min-parallel-work", "int64_t", "32768",
           "Loop-range product below which an op is not parallelized "
           "(dynamic dims count as 16; contractions count 1/16 per "
           "iteration, integer ones 1/64)">,
    Option<"vnni", "vnni", "bool", "false",
           "The target has AVX-512 VNNI: u8 x s8 integer matmuls and convs "
           "with a constant weight use the vpdpbusd micro-kernels">,
    Option<"avx2Int8", "avx2-int8", "bool", "false",
           "Without vnni: u8 x s8 integer matmuls and convs whose constant "
           "weights have |w[2i]| + |w[2i+1]| <= 128 along K use the AVX2 "
           "kernels (vpmaddubsw + vpmaddwd)">,
    Option<"parallelize", "parallelize", "bool", "true",
           "Mark the outermost tile loop (a parallel dimension) for "
           "qopt-cpu-parallelize-loops">,
  ];
  let dependentDialects = ["::mlir::affine::AffineDialect",
                           "::mlir::LLVM::LLVMDialect",
                           "::mlir::qopt::QOptDialect",
                           "::mlir::scf::SCFDialect",
                           "::mlir::vector::VectorDialect",
                           "::mlir::tensor::TensorDialect"];
}

def ExpandMathPass : Pass<"qopt-cpu-expand-math", "func::FuncOp"> {
  let summary = "Polynomial approximations for math functions (f32)";
  let description = [{
    Rewrites math.exp / log / tanh / erf / ... on f32 scalars and vectors
    into arith polynomials (upstream's approximations, accurate to a few
    ulp), so vectorized code stays vectorized instead of calling libm once
    per lane. What remains goes to LLVM intrinsics or libm.
  }];
  let dependentDialects = ["::mlir::arith::ArithDialect",
                           "::mlir::math::MathDialect",
                           "::mlir::vector::VectorDialect"];
}

def HoistAccumulatorsPass
    : Pass<"qopt-cpu-hoist-accumulators", "func::FuncOp"> {
  let summary = "Keep reduction accumulators in registers across marked loops";
  let description = [{
    Upstream's loop-invariant subset hoisting, applied only to the loops
    qopt-cpu-tile-and-vectorize marked `qopt.reduction_loop` (the K loop of
    a contraction's register tile, the tile loop of a partial reduction):
    the accumulator's `vector.transfer_read` / `vector.transfer_write` pair
    on the loop-carried tensor becomes a loop-carried vector. The upstream
    pass visits every loop of the function, which on a transformer's few
    thousand tile loops costs seconds for no further gain.

    Before: `scf.for ... iter_args(%acc = %t) { %v = vector.transfer_read
    %acc ...; ...; %w = vector.transfer_write %r, %acc ... }`
    After: the read before the loop, the vector as iter_arg, the write after.
  }];
  let dependentDialects = ["::mlir::scf::SCFDialect"];
}

def LowerTargetOpsPass
    : Pass<"qopt-cpu-lower-target-ops", "func::FuncOp"> {
  let summary = "Lower qopt.x86.* vector ops to LLVM intrinsic calls";
  let description = [{
    After bufferization: `qopt.x86.dot_u8s8` becomes
    `llvm.call_intrinsic "llvm.x86.avx512.vpdpbusd.512"`, or with
    `pairwise_i16` the AVX2 intrinsics `llvm.x86.avx2.pmadd.ub.sw` and
    `llvm.x86.avx2.pmadd.wd` on two 256-bit halves plus an add. The target
    ops keep value semantics until here so that bufferization accepts them.
  }];
  let dependentDialects = ["::mlir::LLVM::LLVMDialect",
                           "::mlir::vector::VectorDialect",
                           "::mlir::arith::ArithDialect"];
}

def ParallelizeLoopsPass
    : Pass<"qopt-cpu-parallelize-loops", "func::FuncOp"> {
  let summary = "Turn marked outermost tile loops into scf.parallel";
  let description = [{
    After bufferization, every `scf.for` that qopt-cpu-tile-and-vectorize
    marked with `qopt.parallel` (the outermost tile loop over a parallel
    dimension: tiles write disjoint slices) and that carries no values
    becomes an `scf.parallel`, which convert-scf-to-openmp maps onto OpenMP
    worksharing. The thread count is chosen at run time
    (`qopt-run --threads`, `qopt_model_set_num_threads`).

    Before: `scf.for %n = %c0 to %c4096 step %c32 {...} {qopt.parallel}`
    After:  `scf.parallel (%n) = (%c0) to (%c4096) step (%c32) {...}`
  }];
  let dependentDialects = ["::mlir::scf::SCFDialect"];
}

#endif // QOPT_TARGET_CPU_PASSES_TD
