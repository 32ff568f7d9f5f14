//===- StatisticsTest.cpp - calibration statistics and methods ---*- C++ -*-===//
//
// TensorStatistics on data whose answer is known: exact min/max and
// per-channel absmax, histogram growth that keeps every count, and the
// ranges each calibration method picks on a Gaussian with outliers.
//
//===----------------------------------------------------------------------===//

#include "qopt/Quantization/Statistics.h"

#include <gtest/gtest.h>

#include <cmath>
#include <numeric>
#include <random>

using namespace mlir::qopt;

namespace {

double histogramTotal(const TensorStatistics &s) {
  llvm::ArrayRef<double> h = s.getHistogram();
  return std::accumulate(h.begin(), h.end(), 0.0);
}

/// 50000 N(0, 1) values per sample over `samples` samples, plus one
/// outlier of +40 per sample.
TensorStatistics gaussianWithOutliers(int samples) {
  TensorStatistics stats;
  std::mt19937 rng(7);
  std::normal_distribution<float> normal(0.0f, 1.0f);
  std::vector<float> data(50001);
  for (int s = 0; s < samples; ++s) {
    for (size_t i = 0; i + 1 < data.size(); ++i)
      data[i] = normal(rng);
    data.back() = 40.0f;
    EXPECT_FALSE(stats.update(data.data(), {int64_t(data.size())}));
  }
  return stats;
}

/// Every calibration method with its default parameters.
std::vector<CalibrationMethod> allMethods() {
  std::vector<CalibrationMethod> methods;
  for (CalibrationMethodKind kind :
       {CalibrationMethodKind::MinMax, CalibrationMethodKind::Percentile,
        CalibrationMethodKind::Entropy, CalibrationMethodKind::MSE}) {
    CalibrationMethod method;
    method.kind = kind;
    methods.push_back(method);
  }
  return methods;
}

} // namespace

TEST(CalibrationMethod, ParsesAndPrints) {
  EXPECT_EQ(CalibrationMethod::parse("minmax")->kind,
            CalibrationMethodKind::MinMax);
  EXPECT_EQ(CalibrationMethod::parse("entropy")->kind,
            CalibrationMethodKind::Entropy);
  EXPECT_EQ(CalibrationMethod::parse("mse")->kind, CalibrationMethodKind::MSE);
  std::optional<CalibrationMethod> p = CalibrationMethod::parse("percentile");
  ASSERT_TRUE(p);
  EXPECT_DOUBLE_EQ(p->percentile, 99.99);
  EXPECT_EQ(p->str(), "percentile=99.99");
  p = CalibrationMethod::parse("percentile=99.9");
  ASSERT_TRUE(p);
  EXPECT_DOUBLE_EQ(p->percentile, 99.9);
  EXPECT_FALSE(CalibrationMethod::parse("percentile=40"));
  EXPECT_FALSE(CalibrationMethod::parse("percentile=abc"));
  EXPECT_FALSE(CalibrationMethod::parse("minmax=1"));
  EXPECT_FALSE(CalibrationMethod::parse("kl"));
}

TEST(TensorStatistics, MinMaxAndChannelRangesAreExact) {
  // [2, 3] with channels along axis 1; NaN is skipped.
  TensorStatistics stats(/*channelAxis=*/1);
  float a[] = {1.0f, -5.0f, 0.5f, -2.0f, 3.0f, NAN};
  float b[] = {0.0f, 0.0f, 7.0f, 0.0f, 0.0f, -1.0f};
  EXPECT_FALSE(stats.update(a, {2, 3}));
  EXPECT_FALSE(stats.update(b, {2, 3}));
  EXPECT_EQ(stats.getSamples(), 2);
  EXPECT_DOUBLE_EQ(stats.getMin(), -5.0);
  EXPECT_DOUBLE_EQ(stats.getMax(), 7.0);
  // Each channel's range contains 0.
  ASSERT_EQ(stats.getChannelMin().size(), 3u);
  ASSERT_EQ(stats.getChannelMax().size(), 3u);
  EXPECT_FLOAT_EQ(stats.getChannelMin()[0], -2.0f);
  EXPECT_FLOAT_EQ(stats.getChannelMax()[0], 1.0f);
  EXPECT_FLOAT_EQ(stats.getChannelMin()[1], -5.0f);
  EXPECT_FLOAT_EQ(stats.getChannelMax()[1], 3.0f);
  EXPECT_FLOAT_EQ(stats.getChannelMin()[2], -1.0f);
  EXPECT_FLOAT_EQ(stats.getChannelMax()[2], 7.0f);
  auto [lo, hi] = stats.computeRange({});
  EXPECT_DOUBLE_EQ(lo, -5.0);
  EXPECT_DOUBLE_EQ(hi, 7.0);
  // 11 finite values in the histogram.
  EXPECT_DOUBLE_EQ(histogramTotal(stats), 11.0);
}

TEST(TensorStatistics, ChannelDimMustNotChange) {
  TensorStatistics stats(0);
  float a[4] = {1, 2, 3, 4};
  EXPECT_FALSE(stats.update(a, {2, 2}));
  std::optional<std::string> error = stats.update(a, {4, 1});
  ASSERT_TRUE(error);
  EXPECT_NE(error->find("changed from 2 to 4"), std::string::npos);
}

TEST(TensorStatistics, HistogramGrowthKeepsCounts) {
  TensorStatistics stats;
  float small[] = {0.0f, 0.1f, -0.1f, 0.0f};
  float large[] = {100.0f, -250.0f};
  EXPECT_FALSE(stats.update(small, {4}));
  double range = stats.getHistogramRange();
  EXPECT_DOUBLE_EQ(range, 0.1f);
  EXPECT_FALSE(stats.update(large, {2}));
  // Doubled until 250 fits: 0.1 * 2^12 = 409.6.
  EXPECT_NEAR(stats.getHistogramRange(), range * 4096, 1e-3);
  EXPECT_DOUBLE_EQ(histogramTotal(stats), 6.0);
}

TEST(TensorStatistics, AllZerosGiveAZeroRange) {
  TensorStatistics stats;
  float zeros[8] = {};
  EXPECT_FALSE(stats.update(zeros, {8}));
  for (const CalibrationMethod &method : allMethods()) {
    auto [lo, hi] = stats.computeRange(method);
    EXPECT_EQ(lo, 0.0);
    EXPECT_EQ(hi, 0.0);
  }
}

TEST(TensorStatistics, MethodsClipOutliers) {
  TensorStatistics stats = gaussianWithOutliers(4);
  CalibrationMethod method;
  auto [minLo, minHi] = stats.computeRange(method);
  EXPECT_DOUBLE_EQ(minHi, 40.0);
  EXPECT_LT(minLo, -3.5);

  // percentile=99.9: 0.1 % in each tail of N(0, 1) is at |x| = 3.09.
  method.kind = CalibrationMethodKind::Percentile;
  method.percentile = 99.9;
  auto [pLo, pHi] = stats.computeRange(method);
  EXPECT_NEAR(pLo, -3.09, 0.15);
  EXPECT_NEAR(pHi, 3.09, 0.15);

  // Entropy clips the +40 outliers to a few sigma.
  method.kind = CalibrationMethodKind::Entropy;
  auto [eLo, eHi] = stats.computeRange(method);
  EXPECT_GT(eHi, 2.0);
  EXPECT_LT(eHi, 8.0);
  EXPECT_LT(eLo, -2.0);
  EXPECT_GE(eLo, minLo);

  // MSE weighs the outliers' clipping error (4 values 36 off) against the
  // rounding error of 200000 values: it clips them, but far less than
  // entropy. Expected squared error per element at threshold t: rounding
  // (2t/255)^2/12 for everything, plus (40-t)^2 for each outlier.
  method.kind = CalibrationMethodKind::MSE;
  auto [mLo, mHi] = stats.computeRange(method);
  auto error = [](double t) {
    double step = 2 * t / 255;
    return 200000 * step * step / 12 + 4 * (40 - t) * (40 - t);
  };
  double bestT = 1;
  for (double t = 1; t <= 40; t += 0.01)
    if (error(t) < error(bestT))
      bestT = t;
  EXPECT_NEAR(mHi, bestT, 0.5);
  EXPECT_LT(mHi, 40.0);
  EXPECT_GT(mHi, eHi);
  EXPECT_DOUBLE_EQ(mLo, minLo); // the negative tail ends well before t
}

TEST(TensorStatistics, NonNegativeDataKeepsZeroAsTheLowEnd) {
  // Post-ReLU data: every method's range starts at 0.
  TensorStatistics stats;
  std::mt19937 rng(3);
  std::exponential_distribution<float> exp(1.0f);
  std::vector<float> data(20000);
  for (float &v : data)
    v = exp(rng);
  EXPECT_FALSE(stats.update(data.data(), {int64_t(data.size())}));
  for (const CalibrationMethod &method : allMethods()) {
    auto [lo, hi] = stats.computeRange(method);
    EXPECT_EQ(lo, 0.0) << method.str();
    EXPECT_GT(hi, 1.0) << method.str();
    EXPECT_LE(hi, stats.getMax()) << method.str();
  }
}

TEST(QuantParams, AsymmetricAndSymmetric) {
  QuantParams u8 = computeQuantParams(-1.0, 3.0, /*symmetric=*/false);
  EXPECT_DOUBLE_EQ(u8.scale, 4.0 / 255.0);
  EXPECT_EQ(u8.zeroPoint, 64); // round(1 / (4/255)) = round(63.75)
  QuantParams s8 = computeQuantParams(-1.0, 3.0, /*symmetric=*/true);
  EXPECT_DOUBLE_EQ(s8.scale, 3.0 / 127.0);
  EXPECT_EQ(s8.zeroPoint, 0);
  // A range that does not contain 0 is extended to it.
  QuantParams positive = computeQuantParams(2.0, 4.0, false);
  EXPECT_DOUBLE_EQ(positive.scale, 4.0 / 255.0);
  EXPECT_EQ(positive.zeroPoint, 0);
  // An empty range gets scale 1 (as ONNX Runtime does).
  EXPECT_DOUBLE_EQ(computeQuantParams(0, 0, false).scale, 1.0);
  EXPECT_DOUBLE_EQ(computeQuantParams(0, 0, true).scale, 1.0);
}
