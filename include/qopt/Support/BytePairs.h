//===- BytePairs.h - can an int8 weight use 16-bit pair sums? -----*- C++ -*-===//
//
// The AVX2 int8 kernel multiplies u8 activations by s8 weights with
// vpmaddubsw, which adds each pair of adjacent-k products into a saturating
// i16. With u8 <= 255 that sum is exact for every activation exactly when
// |w[2i]| + |w[2i+1]| <= 128 (255 * 128 = 32640 <= 32767). qopt-fuse-qdq
// and the CPU kernel rewrite both ask this of a constant weight.
//
//===----------------------------------------------------------------------===//

#ifndef QOPT_SUPPORT_BYTEPAIRS_H
#define QOPT_SUPPORT_BYTEPAIRS_H

#include <cstdint>
#include <cstdlib>
#include <vector>

namespace mlir::qopt {

/// The largest |w[2i]| + |w[2i+1]| for which u8 x s8 pair sums fit in i16.
inline constexpr int kMaxBytePairMagnitude = 128;

/// Whether every pair of weights adjacent along K (k = 2i, 2i + 1) of
/// `values` has |w0| + |w1| <= 128. `values` holds `k` x `cols` weights,
/// K-major ([K, N], element (kk, c) at kk * cols + c) or, with
/// `kMajor = false`, output-channel-major ([N, K], at c * k + kk). An odd
/// K's last k pairs with a zero.
inline bool bytePairsFitI16(const std::vector<int8_t> &values, int64_t k,
                            int64_t cols, bool kMajor) {
  auto at = [&](int64_t kk, int64_t c) -> int {
    if (kk >= k)
      return 0;
    return std::abs(static_cast<int>(kMajor ? values[kk * cols + c]
                                            : values[c * k + kk]));
  };
  for (int64_t c = 0; c < cols; ++c)
    for (int64_t kk = 0; kk < k; kk += 2)
      if (at(kk, c) + at(kk + 1, c) > kMaxBytePairMagnitude)
        return false;
  return true;
}

} // namespace mlir::qopt

#endif // QOPT_SUPPORT_BYTEPAIRS_H
