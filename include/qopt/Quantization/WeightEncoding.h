//===- WeightEncoding.h - weight-only encodings ------------------*- C++ -*-===//
//
// The compile-time encodings of the weight-only precisions, in plain C++
// (unit-tested without MLIR): a 2-D weight is viewed as [K, N] with K (the
// reduction axis of the layer) along `axis` of its storage, and encoded as
// packed codes in the layout `qopt.dequantize_groupwise` /
// `qopt.lookup_codebook` read: 8 / bits codes per byte along `axis`, the
// first in the low bits.
//
//   groupwise  w4a16: per group of `groupSize` rows of K and per column,
//              symmetric (scale = max|w| / 7, codes offset by 8) or
//              asymmetric (scale = (max - min) / 15, zero point);
//   ternary    codes {-1, 0, +1} times a per-column scale (TWN: threshold
//              0.7 mean|w|, scale the mean |w| above it), 2 bits;
//   codebook   w4-lut / w8-lut: per column, a 1-D k-means codebook of 16 /
//              256 values (quantile initialization, Lloyd iterations).
//
//===----------------------------------------------------------------------===//

#ifndef QOPT_QUANTIZATION_WEIGHTENCODING_H
#define QOPT_QUANTIZATION_WEIGHTENCODING_H

#include "llvm/ADT/ArrayRef.h"

#include <cstdint>
#include <vector>

namespace mlir::qopt {

/// The shape of a weight: K x N logical, K along `axis` (0 or 1) of the
/// row-major storage.
struct WeightShape {
  int64_t k = 0, n = 0;
  int64_t axis = 0;
  /// Storage index of logical (k, n).
  int64_t index(int64_t kk, int64_t nn) const {
    return axis == 0 ? kk * n + nn : nn * k + kk;
  }
  /// The packed codes' storage shape for `bits`.
  std::vector<int64_t> codesShape(int64_t bits) const {
    int64_t kb = k / (8 / bits);
    return axis == 0 ? std::vector<int64_t>{kb, n}
                     : std::vector<int64_t>{n, kb};
  }
};

struct GroupwiseEncoding {
  int64_t bits = 4;
  int64_t groupSize = 0;
  /// Packed codes, storage shape WeightShape::codesShape(bits).
  std::vector<uint8_t> codes;
  /// [K / groupSize, N] for axis 0, [N, K / groupSize] for axis 1.
  std::vector<float> scales;
  /// Same shape as scales; empty for symmetric codes (zero point
  /// 2^(bits - 1)).
  std::vector<float> zeroPoints;
};

/// Group-wise integer codes of `bits` (4 or 8). `groupSize` must divide K
/// and K must be a multiple of 8 / bits.
GroupwiseEncoding encodeGroupwise(llvm::ArrayRef<float> weight,
                                  const WeightShape &shape, int64_t bits,
                                  int64_t groupSize, bool symmetric);

/// Ternary codes (2 bits, one group of K per column). K must be a multiple
/// of 4.
GroupwiseEncoding encodeTernary(llvm::ArrayRef<float> weight,
                                const WeightShape &shape);

struct CodebookEncoding {
  int64_t bits = 4;
  std::vector<uint8_t> codes;
  /// [N, 2^bits].
  std::vector<float> codebook;
};

/// Per-column k-means codebook of 2^bits values (bits 4 or 8). K must be a
/// multiple of 8 / bits.
CodebookEncoding encodeCodebook(llvm::ArrayRef<float> weight,
                                const WeightShape &shape, int64_t bits);

/// The weights an encoding stands for, in the original storage layout
/// (what the compiled model computes with).
std::vector<float> decodeGroupwise(const GroupwiseEncoding &encoding,
                                   const WeightShape &shape);
std::vector<float> decodeCodebook(const CodebookEncoding &encoding,
                                  const WeightShape &shape);

} // namespace mlir::qopt

#endif // QOPT_QUANTIZATION_WEIGHTENCODING_H
