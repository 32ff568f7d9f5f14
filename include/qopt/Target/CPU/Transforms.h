//===- Transforms.h - CPU code-generation rewrites ----------------*- C++ -*-===//
//
// Rewrites the CPU strategy (qopt-cpu-tile-and-vectorize) applies to single
// ops before tiling; exposed for tests and other pipelines.
//
//===----------------------------------------------------------------------===//

#ifndef QOPT_TARGET_CPU_TRANSFORMS_H
#define QOPT_TARGET_CPU_TRANSFORMS_H

#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/IR/PatternMatch.h"

namespace mlir::qopt {

/// The attribute that marks an scf.for whose iterations are independent, for
/// qopt-cpu-parallelize-loops.
inline constexpr llvm::StringLiteral kParallelLoopAttrName = "qopt.parallel";
/// The attribute that marks an scf.for over a reduction dim whose
/// accumulator qopt-cpu-hoist-accumulators keeps in registers.
inline constexpr llvm::StringLiteral kReductionLoopAttrName =
    "qopt.reduction_loop";

/// Rewrites a float NCHW convolution with unit stride and dilation along W
/// as an im2col copy into a packed matrix [N, OH*OW / nTile, C*KH*KW, nTile]
/// (the layout the contraction micro-kernel streams) followed by a batched
/// contraction with the [F, C*KH*KW] filter. The copy moves whole output
/// rows (OW elements, or nTile-element chunks of them) with vector
/// transfers; its loop over output rows is marked parallel when
/// `parallel` is set. Fails (leaving the op alone) when the shapes do not
/// fit: a dynamic C/H/W/F, OH*OW not a multiple of nTile, or OW neither a
/// multiple nor a divisor of nTile.
FailureOr<Value> rewriteConvAsPackedIm2Col(RewriterBase &rewriter,
                                           linalg::Conv2DNchwFchwOp conv,
                                           int64_t nTile, bool parallel);

/// Rewrites a float NCHW max or sum pooling as loops over (n, c, output
/// row, chunk of up to 32 outputs): for each window offset, one contiguous
/// vector read of the input row, a shuffle that picks every stride-th lane,
/// and a vector max/add into the chunk. The loop over channels is marked
/// parallel when `parallel` is set. Fails on dynamic C/H/W or non-float
/// element types.
FailureOr<Value> rewritePoolingAsRowVectors(RewriterBase &rewriter,
                                            linalg::LinalgOp pooling,
                                            bool parallel);

/// The instructions an int8 kernel is built for.
enum class Int8ISA {
  /// vpdpbusd: 64 u8 x s8 products into 16 i32 lanes, exact.
  AVX512VNNI,
  /// vpmaddubsw + vpmaddwd on 256-bit halves; exact only for weights whose
  /// adjacent-k pairs have |w0| + |w1| <= 128 (BytePairs.h), which the
  /// rewrites check. Register tiles are 4 rows x 16 columns (16 ymm).
  AVX2,
};

/// Rewrites the integer contraction `C[m, n] += extui(A[m, k]) *
/// extsi(B[k, n])` (u8 x s8 -> i32, what qopt.matmul_integer lowers to) with
/// a constant B [K, N] (K % 4 == 0, N % 16 == 0) into an int8
/// micro-kernel: B is packed at compile time as [N/16, K/4, 16, 4] bytes; an
/// 8-row x 32-column tile of i32 accumulators (AVX2: 4 x 16) stays in
/// registers while each step of 4 k broadcasts 4 bytes of A per row and
/// issues one `qopt.x86.dot_u8s8` (64 multiply-adds: `vpdpbusd`, or the
/// AVX2 pair sequence) per accumulator. Rows past the last full tile run
/// one at a time. The accumulators start at zero in registers when C is a
/// zero fill, and C's only user, when it is an elementwise generic of the
/// kind TileEpilogue matches (dequantize, bias, activation, residual,
/// requantize), is applied to each accumulator vector in registers and
/// replaced by the kernel's results: C itself is then never stored. The
/// loop over column tiles is marked parallel when `parallel` is set.
/// Returns the value replacing C or, with a fused epilogue, its first
/// result. Fails when the op does not match, or for AVX2 when B's byte
/// pairs do not fit in i16.
FailureOr<Value> rewriteU8S8Matmul(RewriterBase &rewriter,
                                   linalg::GenericOp op, Int8ISA isa,
                                   bool parallel);

/// Rewrites `C[b..., m, n] = sum_k extui(A[b..., m, k]) * extsi(B[b...,
/// k, n])` (u8 x s8 -> i32 from a zero-filled C, up to 2 batch dims, any
/// static or dynamic sizes) whose B is a run-time tensor (attention's
/// Q x K^T and P x V) into a run-time packing of B into the VNNI layout
/// [B, N16 / 16, K4 / 4, 64] (zero rows / columns past K and N, K4 and N16
/// the multiples of 4 and 16 above them), A padded to K4 unless K is
/// statically a multiple of 4, and the AVX-512 VNNI register tile (8 rows x
/// 16 columns) over [B, M, N16], sliced back to N. The loops over batch
/// entries are marked parallel when `parallel` is set.
FailureOr<Value> rewriteU8S8BatchedMatmul(RewriterBase &rewriter,
                                          linalg::GenericOp op,
                                          bool parallel);

/// Rewrites the integer 2-D NCHW convolution `out[n, f, oh, ow] +=
/// extui(x[n, c, oh * sh + kh * dh, ow * sw + kw * dw]) * extsi(w[f, c, kh,
/// kw])` (group 1, padding already applied, what qopt.conv_integer without
/// zero points lowers to) with a constant weight into a packed im2col of x
/// ([N, OH*OW / 16, K4 / 4, 64] bytes, K = C*KH*KW rounded up to K4, a
/// multiple of 4) and an int8 kernel whose 8-channel x 32-position register
/// tile (AVX2: 4 x 16) broadcasts 4 weight bytes per channel and multiplies
/// them with 16 positions' 4 patch bytes per `qopt.x86.dot_u8s8`; the
/// result rows are output channels, so it is NCHW with no transpose. The
/// loops over position panels (im2col) and column tiles (kernel) are
/// marked parallel when `parallel` is set. When OW is neither a multiple
/// nor a divisor (>= 2) of 16, or OH*OW % 16 != 0, each output row is
/// padded to OWp (the multiple of 16 above OW) and the extra columns are
/// dropped; this needs a zero-filled init and OWp <= 2.5 OW. Fails on
/// dynamic C/H/W, or for AVX2 when the weight's byte pairs do not fit in
/// i16.
FailureOr<Value> rewriteU8S8Conv(RewriterBase &rewriter, linalg::GenericOp op,
                                 Int8ISA isa, bool parallel);

} // namespace mlir::qopt

#endif // QOPT_TARGET_CPU_TRANSFORMS_H
