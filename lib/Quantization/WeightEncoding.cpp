//===- WeightEncoding.cpp - weight-only encodings ----------------*- C++ -*-===//
//
// See WeightEncoding.h.
//
//===----------------------------------------------------------------------===//

#include "qopt/Quantization/WeightEncoding.h"

#include <algorithm>
#include <cmath>

using namespace mlir::qopt;

namespace {

/// Writes code `code` of logical (k, n) into the packed `codes`.
void packCode(std::vector<uint8_t> &codes, const WeightShape &shape,
              int64_t bits, int64_t k, int64_t n, uint32_t code) {
  int64_t perByte = 8 / bits;
  int64_t kb = shape.k / perByte;
  int64_t byte = shape.axis == 0 ? (k / perByte) * shape.n + n
                                 : n * kb + k / perByte;
  codes[byte] |= static_cast<uint8_t>(code << ((k % perByte) * bits));
}

uint32_t unpackCode(const std::vector<uint8_t> &codes,
                    const WeightShape &shape, int64_t bits, int64_t k,
                    int64_t n) {
  int64_t perByte = 8 / bits;
  int64_t kb = shape.k / perByte;
  int64_t byte = shape.axis == 0 ? (k / perByte) * shape.n + n
                                 : n * kb + k / perByte;
  return (codes[byte] >> ((k % perByte) * bits)) & ((1u << bits) - 1);
}

/// Index of group g, column n in the scales layout.
int64_t groupIndex(const WeightShape &shape, int64_t groups, int64_t g,
                   int64_t n) {
  return shape.axis == 0 ? g * shape.n + n : n * groups + g;
}

} // namespace

GroupwiseEncoding mlir::qopt::encodeGroupwise(llvm::ArrayRef<float> weight,
                                              const WeightShape &shape,
                                              int64_t bits, int64_t groupSize,
                                              bool symmetric) {
  GroupwiseEncoding e;
  e.bits = bits;
  e.groupSize = groupSize;
  int64_t groups = shape.k / groupSize;
  e.codes.assign(shape.k * shape.n * bits / 8, 0);
  e.scales.assign(groups * shape.n, 1.0f);
  if (!symmetric)
    e.zeroPoints.assign(groups * shape.n, 0.0f);
  double levels = double((1 << bits) - 1);
  double half = double(1 << (bits - 1));
  for (int64_t g = 0; g < groups; ++g) {
    for (int64_t n = 0; n < shape.n; ++n) {
      double lo = 0, hi = 0, amax = 0;
      for (int64_t k = g * groupSize; k < (g + 1) * groupSize; ++k) {
        double w = weight[shape.index(k, n)];
        lo = std::min(lo, w);
        hi = std::max(hi, w);
        amax = std::max(amax, std::fabs(w));
      }
      int64_t at = groupIndex(shape, groups, g, n);
      double scale, zp;
      if (symmetric) {
        // int4: [-7, 7] around the offset 8 (code 0, i.e. -8, is unused, so
        // the grid is symmetric).
        scale = amax > 0 ? amax / (half - 1) : 1.0;
        zp = half;
      } else {
        scale = hi > lo ? (hi - lo) / levels : 1.0;
        zp = std::clamp(std::nearbyint(-lo / scale), 0.0, levels);
        e.zeroPoints[at] = static_cast<float>(zp);
      }
      e.scales[at] = static_cast<float>(scale);
      for (int64_t k = g * groupSize; k < (g + 1) * groupSize; ++k) {
        double w = weight[shape.index(k, n)];
        double q = std::clamp(std::nearbyint(w / scale) + zp, 0.0, levels);
        packCode(e.codes, shape, bits, k, n, static_cast<uint32_t>(q));
      }
    }
  }
  return e;
}

GroupwiseEncoding mlir::qopt::encodeTernary(llvm::ArrayRef<float> weight,
                                            const WeightShape &shape) {
  GroupwiseEncoding e;
  e.bits = 2;
  e.groupSize = shape.k;
  e.codes.assign(shape.k * shape.n / 4, 0);
  e.scales.assign(shape.n, 1.0f);
  for (int64_t n = 0; n < shape.n; ++n) {
    double mean = 0;
    for (int64_t k = 0; k < shape.k; ++k)
      mean += std::fabs(weight[shape.index(k, n)]);
    double threshold = 0.7 * mean / shape.k;
    double sum = 0;
    int64_t count = 0;
    for (int64_t k = 0; k < shape.k; ++k) {
      double a = std::fabs(weight[shape.index(k, n)]);
      if (a > threshold) {
        sum += a;
        ++count;
      }
    }
    e.scales[n] = count ? static_cast<float>(sum / count) : 1.0f;
    for (int64_t k = 0; k < shape.k; ++k) {
      double w = weight[shape.index(k, n)];
      // Offset binary around the zero point 2: -1 -> 1, 0 -> 2, +1 -> 3.
      uint32_t code = w > threshold ? 3 : w < -threshold ? 1 : 2;
      packCode(e.codes, shape, 2, k, n, code);
    }
  }
  return e;
}

CodebookEncoding mlir::qopt::encodeCodebook(llvm::ArrayRef<float> weight,
                                            const WeightShape &shape,
                                            int64_t bits) {
  CodebookEncoding e;
  e.bits = bits;
  int64_t size = int64_t(1) << bits;
  e.codes.assign(shape.k * shape.n * bits / 8, 0);
  e.codebook.assign(shape.n * size, 0.0f);
  std::vector<double> column(shape.k), sorted;
  std::vector<double> centroids(size), sums(size);
  std::vector<int64_t> counts(size);
  std::vector<uint32_t> assignment(shape.k);
  for (int64_t n = 0; n < shape.n; ++n) {
    for (int64_t k = 0; k < shape.k; ++k)
      column[k] = weight[shape.index(k, n)];
    sorted = column;
    std::sort(sorted.begin(), sorted.end());
    // Quantile initialization: centroid c at the middle of the c-th of
    // `size` equal slices of the sorted values.
    for (int64_t c = 0; c < size; ++c)
      centroids[c] = sorted[std::min<int64_t>(
          shape.k - 1, ((2 * c + 1) * shape.k) / (2 * size))];
    for (int iteration = 0; iteration < 25; ++iteration) {
      std::sort(centroids.begin(), centroids.end());
      std::fill(sums.begin(), sums.end(), 0.0);
      std::fill(counts.begin(), counts.end(), 0);
      bool changed = false;
      for (int64_t k = 0; k < shape.k; ++k) {
        // Nearest centroid: the sorted centroids' midpoints split the line.
        auto it = std::lower_bound(centroids.begin(), centroids.end(),
                                   column[k]);
        int64_t c = it - centroids.begin();
        if (c == size ||
            (c > 0 && column[k] - centroids[c - 1] <= centroids[c] - column[k]))
          --c;
        changed |= assignment[k] != static_cast<uint32_t>(c) || iteration == 0;
        assignment[k] = static_cast<uint32_t>(c);
        sums[c] += column[k];
        ++counts[c];
      }
      // An empty cluster keeps its centroid.
      for (int64_t c = 0; c < size; ++c)
        if (counts[c])
          centroids[c] = sums[c] / counts[c];
      if (!changed)
        break;
    }
    for (int64_t c = 0; c < size; ++c)
      e.codebook[n * size + c] = static_cast<float>(centroids[c]);
    for (int64_t k = 0; k < shape.k; ++k)
      packCode(e.codes, shape, bits, k, n, assignment[k]);
  }
  return e;
}

std::vector<float>
mlir::qopt::decodeGroupwise(const GroupwiseEncoding &e,
                            const WeightShape &shape) {
  std::vector<float> w(shape.k * shape.n);
  int64_t groups = shape.k / e.groupSize;
  float defaultZp = float(1 << (e.bits - 1));
  for (int64_t k = 0; k < shape.k; ++k)
    for (int64_t n = 0; n < shape.n; ++n) {
      int64_t at = groupIndex(shape, groups, k / e.groupSize, n);
      float zp = e.zeroPoints.empty() ? defaultZp : e.zeroPoints[at];
      float code = float(unpackCode(e.codes, shape, e.bits, k, n));
      w[shape.index(k, n)] = (code - zp) * e.scales[at];
    }
  return w;
}

std::vector<float> mlir::qopt::decodeCodebook(const CodebookEncoding &e,
                                              const WeightShape &shape) {
  std::vector<float> w(shape.k * shape.n);
  int64_t size = int64_t(1) << e.bits;
  for (int64_t k = 0; k < shape.k; ++k)
    for (int64_t n = 0; n < shape.n; ++n)
      w[shape.index(k, n)] =
          e.codebook[n * size + unpackCode(e.codes, shape, e.bits, k, n)];
  return w;
}
