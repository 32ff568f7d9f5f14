//===- Statistics.cpp - streaming calibration statistics ---------*- C++ -*-===//
//
// See Statistics.h.
//
//===----------------------------------------------------------------------===//

#include "qopt/Quantization/Statistics.h"

#include "llvm/ADT/StringExtras.h"

#include <algorithm>
#include <cstdio>
#include <cmath>
#include <limits>
#include <numeric>

using namespace mlir;
using namespace mlir::qopt;

std::optional<CalibrationMethod>
CalibrationMethod::parse(llvm::StringRef text) {
  CalibrationMethod method;
  auto [name, value] = text.split('=');
  if (name == "minmax" && value.empty() && !text.contains('='))
    method.kind = CalibrationMethodKind::MinMax;
  else if (name == "entropy" && !text.contains('='))
    method.kind = CalibrationMethodKind::Entropy;
  else if (name == "mse" && !text.contains('='))
    method.kind = CalibrationMethodKind::MSE;
  else if (name == "percentile") {
    method.kind = CalibrationMethodKind::Percentile;
    if (text.contains('=')) {
      double p;
      if (value.getAsDouble(p) || !(p > 50.0 && p <= 100.0))
        return std::nullopt;
      method.percentile = p;
    }
  } else {
    return std::nullopt;
  }
  return method;
}

std::string CalibrationMethod::str() const {
  switch (kind) {
  case CalibrationMethodKind::MinMax:
    return "minmax";
  case CalibrationMethodKind::Percentile: {
    char text[64];
    std::snprintf(text, sizeof(text), "percentile=%g", percentile);
    return text;
  }
  case CalibrationMethodKind::Entropy:
    return "entropy";
  case CalibrationMethodKind::MSE:
    return "mse";
  }
  return "minmax";
}

void TensorStatistics::growRange(double absmax) {
  if (histogram.empty())
    histogram.assign(kNumBins, 0.0);
  if (range == 0) {
    // Zeros seen so far sit in the bin right of 0 (index kNumBins / 2).
    range = absmax;
    return;
  }
  // Doubling the range maps old bin k to new bin kNumBins / 4 + k / 2
  // exactly (each new bin is two old ones).
  while (range < absmax) {
    std::vector<double> merged(kNumBins, 0.0);
    for (int64_t k = 0; k < kNumBins; ++k)
      merged[kNumBins / 4 + k / 2] += histogram[k];
    histogram.swap(merged);
    range *= 2;
  }
}

std::optional<std::string>
TensorStatistics::update(const float *data, llvm::ArrayRef<int64_t> shape) {
  int64_t count = 1;
  for (int64_t d : shape)
    count *= d;
  int64_t channels = 1, inner = 1;
  if (channelAxis >= 0) {
    if (channelAxis >= static_cast<int64_t>(shape.size()))
      return "the channel axis " + std::to_string(channelAxis) +
             " is out of range for rank " + std::to_string(shape.size());
    channels = shape[channelAxis];
    for (size_t d = channelAxis + 1; d < shape.size(); ++d)
      inner *= shape[d];
    if (channelMin.empty()) {
      // 0 belongs to every channel's range, as to the tensor's clipping
      // range.
      channelMin.assign(channels, 0.0f);
      channelMax.assign(channels, 0.0f);
    } else if (static_cast<int64_t>(channelMin.size()) != channels) {
      return "the channel dim changed from " +
             std::to_string(channelMin.size()) + " to " +
             std::to_string(channels) + " between samples";
    }
  }
  double batchAbsmax = 0;
  for (int64_t i = 0; i < count; ++i) {
    float v = data[i];
    if (std::isnan(v))
      continue;
    if (!seenValue) {
      min = max = v;
      seenValue = true;
    }
    min = std::min<double>(min, v);
    max = std::max<double>(max, v);
    float a = std::fabs(v);
    if (std::isfinite(a))
      batchAbsmax = std::max<double>(batchAbsmax, a);
    if (channelAxis >= 0) {
      int64_t c = (i / inner) % channels;
      channelMin[c] = std::min(channelMin[c], v);
      channelMax[c] = std::max(channelMax[c], v);
    }
  }
  if (histogram.empty())
    histogram.assign(kNumBins, 0.0);
  if (batchAbsmax > range)
    growRange(batchAbsmax);
  double scale = range > 0 ? kNumBins / (2 * range) : 0;
  for (int64_t i = 0; i < count; ++i) {
    float v = data[i];
    if (!std::isfinite(v))
      continue;
    int64_t bin = range > 0 ? static_cast<int64_t>((v + range) * scale)
                            : kNumBins / 2;
    histogram[std::clamp<int64_t>(bin, 0, kNumBins - 1)] += 1;
  }
  ++samples;
  return std::nullopt;
}

namespace {

/// KL(P || Q) after the smoothing ONNX Runtime and TensorRT apply: zero
/// bins of each distribution get eps taken evenly from the non-zero ones.
double klDivergence(std::vector<double> p, std::vector<double> q) {
  auto normalize = [](std::vector<double> &d) {
    double sum = std::accumulate(d.begin(), d.end(), 0.0);
    if (sum > 0)
      for (double &v : d)
        v /= sum;
  };
  auto smooth = [](std::vector<double> &d) {
    constexpr double eps = 1e-4;
    int64_t zeros = std::count(d.begin(), d.end(), 0.0);
    int64_t nonzeros = static_cast<int64_t>(d.size()) - zeros;
    if (zeros == 0 || nonzeros == 0)
      return;
    double take = eps * zeros / nonzeros;
    for (double &v : d)
      v = v == 0 ? eps : std::max(v - take, eps * 1e-3);
  };
  normalize(p);
  normalize(q);
  smooth(p);
  smooth(q);
  double kl = 0;
  for (size_t i = 0; i < p.size(); ++i)
    if (p[i] > 0)
      kl += p[i] * std::log(p[i] / q[i]);
  return kl;
}

} // namespace

std::pair<double, double>
TensorStatistics::computeRange(const CalibrationMethod &method) const {
  if (!seenValue)
    return {0.0, 0.0};
  double lo0 = std::min(min, 0.0), hi0 = std::max(max, 0.0);
  if (method.kind == CalibrationMethodKind::MinMax || range == 0)
    return {lo0, hi0};
  double width = 2 * range / kNumBins;
  double total = std::accumulate(histogram.begin(), histogram.end(), 0.0);
  if (total == 0)
    return {lo0, hi0};
  auto clampRange = [&](double lo, double hi) -> std::pair<double, double> {
    lo = std::max(std::min(lo, 0.0), lo0);
    hi = std::min(std::max(hi, 0.0), hi0);
    return {lo, hi};
  };

  if (method.kind == CalibrationMethodKind::Percentile) {
    double tail = total * (100.0 - method.percentile) / 100.0;
    double lo = -range, hi = range, seen = 0;
    for (int64_t k = 0; k < kNumBins; ++k) {
      seen += histogram[k];
      if (seen > tail) {
        lo = -range + k * width;
        break;
      }
    }
    seen = 0;
    for (int64_t k = kNumBins - 1; k >= 0; --k) {
      seen += histogram[k];
      if (seen > tail) {
        hi = -range + (k + 1) * width;
        break;
      }
    }
    return clampRange(lo, hi);
  }

  // |x| histogram: kNumBins / 2 bins of `width` over [0, range].
  constexpr int64_t half = kNumBins / 2;
  std::vector<double> abs(half);
  for (int64_t j = 0; j < half; ++j)
    abs[j] = histogram[half + j] + histogram[half - 1 - j];

  if (method.kind == CalibrationMethodKind::Entropy) {
    // TensorRT's threshold search: for each candidate i, P = abs[0, i) with
    // the clipped tail folded into its last bin, Q = abs[0, i) quantized to
    // 128 levels and expanded back over the non-zero bins.
    constexpr int64_t levels = 128;
    double bestKL = std::numeric_limits<double>::infinity();
    int64_t best = half;
    std::vector<double> suffix(half + 1, 0.0);
    for (int64_t j = half - 1; j >= 0; --j)
      suffix[j] = suffix[j + 1] + abs[j];
    for (int64_t i = levels; i <= half; ++i) {
      std::vector<double> p(abs.begin(), abs.begin() + i);
      p[i - 1] += suffix[i];
      std::vector<double> q(i, 0.0);
      for (int64_t c = 0; c < levels; ++c) {
        int64_t start = c * i / levels, end = (c + 1) * i / levels;
        double sum = 0;
        int64_t nonzero = 0;
        for (int64_t j = start; j < end; ++j) {
          sum += abs[j];
          nonzero += abs[j] != 0;
        }
        if (nonzero == 0)
          continue;
        for (int64_t j = start; j < end; ++j)
          if (abs[j] != 0)
            q[j] = sum / nonzero;
      }
      double kl = klDivergence(std::move(p), std::move(q));
      if (kl < bestKL) {
        bestKL = kl;
        best = i;
      }
    }
    double t = best * width;
    return clampRange(-t, t);
  }

  // MSE: expected squared error of 8-bit quantization over [-t, t] (or
  // [0, t] for non-negative data), clipping included, for every candidate
  // bin edge t; suffix sums make each candidate O(1).
  bool oneSided = min >= 0;
  std::vector<double> sumA(half + 1, 0.0), sumAC(half + 1, 0.0),
      sumAC2(half + 1, 0.0);
  for (int64_t j = half - 1; j >= 0; --j) {
    double c = (j + 0.5) * width;
    sumA[j] = sumA[j + 1] + abs[j];
    sumAC[j] = sumAC[j + 1] + abs[j] * c;
    sumAC2[j] = sumAC2[j + 1] + abs[j] * c * c;
  }
  double bestErr = std::numeric_limits<double>::infinity();
  int64_t best = half;
  for (int64_t i = 1; i <= half; ++i) {
    double t = i * width;
    double step = (oneSided ? t : 2 * t) / 255.0;
    double inside = (sumA[0] - sumA[i]) * step * step / 12.0;
    double clipped = sumAC2[i] - 2 * t * sumAC[i] + t * t * sumA[i];
    double err = inside + clipped;
    if (err < bestErr) {
      bestErr = err;
      best = i;
    }
  }
  double t = best * width;
  return clampRange(-t, t);
}

QuantParams mlir::qopt::computeQuantParams(double lo, double hi,
                                           bool symmetric) {
  QuantParams params;
  lo = std::min(lo, 0.0);
  hi = std::max(hi, 0.0);
  if (symmetric) {
    double a = std::max(-lo, hi);
    params.scale = a > 0 ? a / 127.0 : 1.0;
    params.zeroPoint = 0;
    return params;
  }
  if (hi == lo) {
    params.scale = 1.0;
    params.zeroPoint = 0;
    return params;
  }
  params.scale = (hi - lo) / 255.0;
  params.zeroPoint = std::clamp<int64_t>(
      static_cast<int64_t>(std::nearbyint(-lo / params.scale)), 0, 255);
  return params;
}
