//===- SmoothQuant.h - SmoothQuant sites, scales and alpha search -*- C++ -*-===//
//
// SmoothQuant (Xiao et al., 2023) moves activation outliers into the
// weights: for a linear layer Y = X W and a per-input-channel s > 0,
// Y = (X / s) (diag(s) W). The division is folded into the op that
// produces X (LayerNorm gamma / beta, an RMSNorm-style Mul by a constant, a
// preceding linear's output channels) and the multiplication into W, so the
// smoothed model computes the same function in fp32 while X / s has a far
// smaller range to quantize.
//
// The pieces are shared by qopt-smoothquant (which applies them) and the
// `--smoothquant=auto` search of the compiler driver (which picks alpha per
// site on calibration activations).
//
//===----------------------------------------------------------------------===//

#ifndef QOPT_QUANTIZATION_SMOOTHQUANT_H
#define QOPT_QUANTIZATION_SMOOTHQUANT_H

#include "qopt/Dialect/QOpt/IR/QOptDialect.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"

#include <string>
#include <vector>

namespace mlir::qopt {

/// A constant operand scaled per channel along `axis` (its channels are the
/// smoothed tensor's channels).
struct ChannelOperand {
  OpOperand *operand;
  int64_t axis;
};

/// One place SmoothQuant applies: a calibrated observer on the last axis of
/// an activation whose every use is a linear layer with a constant 2-D
/// weight, and a producer chain that absorbs the division.
struct SmoothingSite {
  ObserveOp observer;
  /// The consumers' weights, multiplied by s along their input-channel
  /// axis (K).
  SmallVector<ChannelOperand> weights;
  /// The producer's constants, divided by s.
  SmallVector<ChannelOperand> divided;
};

/// The site `observer` heads, or failure with the reason in `whyNot` (not
/// an error: a tensor that cannot be smoothed stays as it is).
FailureOr<SmoothingSite> findSmoothingSite(ObserveOp observer,
                                           std::string &whyNot);

/// max |w| per input channel j over the site's weights.
std::vector<float> getWeightChannelAbsmax(const SmoothingSite &site);

/// max |x| per channel from the observer's channel_min / channel_max.
std::vector<float> getActivationChannelAbsmax(ObserveOp observer);

/// s_j = max|X_j|^alpha / max|W_j|^(1 - alpha), 1 where either max is 0,
/// clamped to [1e-5, 1e5].
std::vector<float> computeSmoothingScales(ArrayRef<float> activationAbsmax,
                                          ArrayRef<float> weightAbsmax,
                                          double alpha);

/// The statistics of X / s: channel ranges divided by s, min / max over
/// the channels, and the clipping range rescaled from them (exactly the
/// new [min, max] for minmax; for the histogram methods, the old range's
/// clipping ratio applied to the new extremes, since the histogram of X / s
/// is not known).
struct SmoothedStatistics {
  std::vector<float> channelMin, channelMax;
  double min = 0, max = 0;
  double rangeLo = 0, rangeHi = 0;
};
SmoothedStatistics computeSmoothedStatistics(ObserveOp observer,
                                             ArrayRef<float> scales);

/// Applies a site: divides the producer's constants and multiplies the
/// weights by `scales` (new constants before their users), and updates the
/// observer's statistics (`smoothed`, `smooth_alpha` = alpha).
void applySmoothing(const SmoothingSite &site, ArrayRef<float> scales,
                    double alpha);

/// The int8 output error of one site for the `--smoothquant=auto` search:
/// `rows` x K activations sampled during calibration (row-major) through
/// each weight ([K, N] row-major; columns may be a subset), quantized as
/// qopt-quantize would after smoothing with `alpha` (activation u8 or s8
/// per tensor over the smoothed range, weights per output channel to
/// +-weightMax). Returns the summed squared error against the fp32 product.
struct SiteSamples {
  int64_t channels = 0;
  std::vector<float> rows; // [numRows, channels]
  /// Each consumer's weight as [channels, N] row-major (N may be a subset
  /// of its output channels).
  std::vector<std::pair<int64_t, std::vector<float>>> weights;
  /// getWeightChannelAbsmax of the site (whole weights).
  std::vector<float> weightAbsmax;
};
double measureSmoothingError(ObserveOp observer, const SiteSamples &samples,
                             double alpha, bool activationSymmetric,
                             int64_t weightMax);

/// The alpha of {0, 0.05, ..., 1} with the smallest measureSmoothingError
/// (the first one on ties).
double searchSmoothingAlpha(ObserveOp observer, const SiteSamples &samples,
                            bool activationSymmetric, int64_t weightMax);

/// The site's weights as [K, N] row-major, N subsampled to at most
/// `maxColumns` evenly spaced output channels.
std::vector<std::pair<int64_t, std::vector<float>>>
getSiteWeights(const SmoothingSite &site, int64_t maxColumns);

} // namespace mlir::qopt

#endif // QOPT_QUANTIZATION_SMOOTHQUANT_H
