//===- WeightEncodingTest.cpp - weight-only encodings -------------*- C++ -*-===//

#include "qopt/Quantization/WeightEncoding.h"

#include <gtest/gtest.h>

#include <cmath>
#include <random>

using namespace mlir::qopt;

namespace {

std::vector<float> gaussian(int64_t count, unsigned seed) {
  std::mt19937 gen(seed);
  std::normal_distribution<float> dist(0.0f, 1.0f);
  std::vector<float> v(count);
  for (float &x : v)
    x = dist(gen);
  return v;
}

double sqnr(const std::vector<float> &ref, const std::vector<float> &got) {
  double signal = 0, noise = 0;
  for (size_t i = 0; i < ref.size(); ++i) {
    signal += double(ref[i]) * ref[i];
    noise += (double(ref[i]) - got[i]) * (double(ref[i]) - got[i]);
  }
  return 10 * std::log10(signal / noise);
}

} // namespace

TEST(WeightEncoding, GroupwiseInt4ErrorIsBoundedByHalfAStep) {
  // [K=256, N=8], groups of 128, both storage layouts.
  for (int64_t axis : {0, 1}) {
    WeightShape shape{256, 8, axis};
    std::vector<float> w = gaussian(256 * 8, 1);
    for (bool symmetric : {true, false}) {
      GroupwiseEncoding e = encodeGroupwise(w, shape, 4, 128, symmetric);
      EXPECT_EQ(e.codes.size(), 256u * 8 / 2);
      EXPECT_EQ(e.scales.size(), 2u * 8);
      EXPECT_EQ(e.zeroPoints.empty(), symmetric);
      std::vector<float> d = decodeGroupwise(e, shape);
      for (int64_t k = 0; k < 256; ++k)
        for (int64_t n = 0; n < 8; ++n) {
          int64_t g = k / 128;
          float scale =
              e.scales[axis == 0 ? g * 8 + n : n * 2 + g];
          EXPECT_LE(std::fabs(d[shape.index(k, n)] - w[shape.index(k, n)]),
                    0.5f * scale * 1.0001f);
        }
      // Gaussian weights at 4 bits: about 20 dB.
      EXPECT_GT(sqnr(w, d), 17.0);
    }
  }
}

TEST(WeightEncoding, PackingIsLowNibbleFirst) {
  // K = 2, N = 1: codes of w = [7 * s, -7 * s] (symmetric) are 15 and 1.
  WeightShape shape{2, 1, 0};
  GroupwiseEncoding e = encodeGroupwise({0.7f, -0.7f}, shape, 4, 2, true);
  ASSERT_EQ(e.codes.size(), 1u);
  EXPECT_EQ(e.codes[0], 15 | (1 << 4));
}

TEST(WeightEncoding, TernaryCodesAndScale) {
  WeightShape shape{4, 1, 0};
  GroupwiseEncoding e = encodeTernary({1.0f, -1.0f, 0.1f, 0.9f}, shape);
  ASSERT_EQ(e.codes.size(), 1u);
  EXPECT_EQ(e.codes[0], 3 | (1 << 2) | (2 << 4) | (3 << 6));
  EXPECT_NEAR(e.scales[0], (1.0 + 1.0 + 0.9) / 3, 1e-6);
  std::vector<float> d = decodeGroupwise(e, shape);
  EXPECT_FLOAT_EQ(d[2], 0.0f);
  EXPECT_FLOAT_EQ(d[1], -e.scales[0]);
}

TEST(WeightEncoding, CodebookIsExactForFewDistinctValuesAndBeatsInt4) {
  // A column with 5 distinct values is represented exactly by 16 centroids.
  WeightShape small{8, 1, 0};
  std::vector<float> few = {1, 2, 3, 4, 5, 1, 2, 3};
  CodebookEncoding exact = encodeCodebook(few, small, 4);
  EXPECT_EQ(decodeCodebook(exact, small), few);
  // On Gaussian weights, 16 k-means centroids per column beat a uniform
  // int4 grid with one scale per column.
  WeightShape shape{512, 4, 0};
  std::vector<float> w = gaussian(512 * 4, 2);
  double lut = sqnr(w, decodeCodebook(encodeCodebook(w, shape, 4), shape));
  double int4 =
      sqnr(w, decodeGroupwise(encodeGroupwise(w, shape, 4, 512, true), shape));
  EXPECT_GT(lut, int4);
  // 256 centroids: much closer.
  double lut8 = sqnr(w, decodeCodebook(encodeCodebook(w, shape, 8), shape));
  EXPECT_GT(lut8, lut + 15);
}
