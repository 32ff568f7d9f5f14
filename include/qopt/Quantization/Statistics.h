//===- Statistics.h - streaming calibration statistics -----------*- C++ -*-===//
//
// What the calibration run accumulates per observed tensor, in memory that
// does not grow with the number of samples, and the clipping ranges the
// calibration methods derive from it:
//
//   minmax          [min, max]
//   percentile=P    the P-th and (100-P)-th percentiles of the signed
//                   distribution (P = 99.99 by default)
//   entropy         the KL-divergence threshold search of TensorRT / ONNX
//                   Runtime on the |x| histogram (128 quantized bins)
//   mse             the clipping threshold minimizing the expected squared
//                   error of 8-bit quantization, from the histogram
//
//===----------------------------------------------------------------------===//

#ifndef QOPT_QUANTIZATION_STATISTICS_H
#define QOPT_QUANTIZATION_STATISTICS_H

#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/StringRef.h"

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace mlir::qopt {

enum class CalibrationMethodKind { MinMax, Percentile, Entropy, MSE };

struct CalibrationMethod {
  CalibrationMethodKind kind = CalibrationMethodKind::MinMax;
  /// For percentile: the share of values kept at each end, in percent.
  double percentile = 99.99;

  /// "minmax", "percentile", "percentile=99.9", "entropy", "mse".
  static std::optional<CalibrationMethod> parse(llvm::StringRef text);
  /// The canonical spelling ("percentile=99.99").
  std::string str() const;
};

/// Streaming statistics of one float tensor over many samples: min, max,
/// optional per-channel min and max along one axis (each range extended to
/// contain 0), and a signed histogram of
/// kNumBins bins over [-R, R], where R doubles (merging bin pairs exactly)
/// whenever a value falls outside.
class TensorStatistics {
public:
  static constexpr int64_t kNumBins = 4096;

  /// `channelAxis` < 0: no per-channel statistics.
  explicit TensorStatistics(int64_t channelAxis = -1)
      : channelAxis(channelAxis) {}

  /// Adds one sample's tensor (dense row-major). Fails (returning an error
  /// message) when the channel dim changes between samples.
  std::optional<std::string> update(const float *data,
                                    llvm::ArrayRef<int64_t> shape);

  int64_t getSamples() const { return samples; }
  /// NaNs are skipped; infinities count for min/max but not the histogram.
  double getMin() const { return min; }
  double getMax() const { return max; }
  int64_t getChannelAxis() const { return channelAxis; }
  /// Per index of the channel axis (empty without one): min(0, min x) and
  /// max(0, max x). SmoothQuant reads max |x| from them and rescales the
  /// tensor's range with them.
  llvm::ArrayRef<float> getChannelMin() const { return channelMin; }
  llvm::ArrayRef<float> getChannelMax() const { return channelMax; }
  /// Half-width of the histogram range (0 before any non-zero value).
  double getHistogramRange() const { return range; }
  llvm::ArrayRef<double> getHistogram() const { return histogram; }

  /// The clipping range [lo, hi] `method` picks; it always contains 0 and
  /// lies within [min, max] extended to 0.
  std::pair<double, double> computeRange(const CalibrationMethod &method) const;

private:
  void growRange(double absmax);

  int64_t channelAxis;
  int64_t samples = 0;
  double min = 0, max = 0;
  bool seenValue = false;
  std::vector<float> channelMin, channelMax;
  double range = 0;
  std::vector<double> histogram;
};

/// Scale and zero point of 8-bit affine quantization of [lo, hi] (which
/// contains 0): unsigned [0, 255] (asymmetric) or signed [-127, 127]
/// (symmetric, zero point 0).
struct QuantParams {
  double scale = 1.0;
  int64_t zeroPoint = 0;
};
QuantParams computeQuantParams(double lo, double hi, bool symmetric);

} // namespace mlir::qopt

#endif // QOPT_QUANTIZATION_STATISTICS_H
