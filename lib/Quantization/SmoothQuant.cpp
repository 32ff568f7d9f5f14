//===- SmoothQuant.cpp - qopt-smoothquant ---------------------------*- C++ -*-===//
//
// See Passes.td and SmoothQuant.h.
//
//===----------------------------------------------------------------------===//

#include "qopt/Quantization/SmoothQuant.h"

#include "qopt/Quantization/Passes.h"
#include "qopt/Quantization/Statistics.h"
#include "qopt/Support/ConstantValues.h"

#include "mlir/IR/Matchers.h"
#include "llvm/ADT/STLExtras.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace mlir::qopt {
#define GEN_PASS_DEF_SMOOTHQUANTPASS
#include "qopt/Quantization/Passes.h.inc"
} // namespace mlir::qopt

using namespace mlir;
using namespace mlir::qopt;

namespace {

/// `value` as a float32 constant scalable along the channels of a tensor
/// whose last dim is `channels`: its last dim is `channels` (axis = its last
/// axis), or it holds one element (axis = -1: expanded to [channels] when
/// scaled).
std::optional<int64_t> getChannelConstantAxis(Value value, int64_t channels) {
  auto type = dyn_cast<RankedTensorType>(value.getType());
  if (!type || !type.hasStaticShape() || !type.getElementType().isF32() ||
      !matchPattern(value, m_Constant()))
    return std::nullopt;
  if (type.getNumElements() == 1)
    return -1;
  if (type.getRank() >= 1 && type.getDimSize(type.getRank() - 1) == channels)
    return type.getRank() - 1;
  return std::nullopt;
}

/// A constant 2-D f32 weight whose axis `axis` has `channels` entries.
bool isConstantWeight(Value value, int64_t axis, int64_t channels) {
  auto type = dyn_cast<RankedTensorType>(value.getType());
  return type && type.getRank() == 2 && type.hasStaticShape() &&
         type.getElementType().isF32() && type.getDimSize(axis) == channels &&
         matchPattern(value, m_Constant());
}

std::string describeOp(Operation *op) {
  std::string name = op->getName().getStringRef().str();
  if (auto loc = dyn_cast<NameLoc>(op->getLoc()))
    name += " '" + loc.getName().str() + "'";
  return name;
}

/// The producer chain of a site, from the observed value up: fills
/// `site.divided` and returns success when an op absorbs the division.
LogicalResult findAbsorber(Value value, int64_t channels, SmoothingSite &site,
                           std::string &whyNot) {
  while (true) {
    if (!value.hasOneUse()) {
      whyNot = "the smoothed tensor (or one on its producer chain) has other "
               "users, such as a residual branch, that would see it divided";
      return failure();
    }
    Operation *def = value.getDefiningOp();
    if (!def) {
      whyNot = "it is a function argument: nothing can absorb the scales";
      return failure();
    }
    if (auto ln = dyn_cast<LayerNormalizationOp>(def)) {
      auto type = cast<RankedTensorType>(ln.getY().getType());
      int64_t lnAxis = static_cast<int64_t>(ln.getAxis());
      if (lnAxis < 0)
        lnAxis += type.getRank();
      if (lnAxis != type.getRank() - 1) {
        whyNot = "its LayerNormalization normalizes over more than the last "
                 "axis";
        return failure();
      }
      if (llvm::any_of(ln.getStats(), [](Value v) { return !v.use_empty(); })) {
        whyNot = "its LayerNormalization's Mean / InvStdDev are used";
        return failure();
      }
      SmallVector<OpOperand *> operands = {&ln->getOpOperand(1)};
      if (ln.getB())
        operands.push_back(&ln->getOpOperand(2));
      for (OpOperand *operand : operands) {
        std::optional<int64_t> axis =
            getChannelConstantAxis(operand->get(), channels);
        if (!axis) {
          whyNot = "its LayerNormalization's scale / bias are not f32 "
                   "constants along the channels";
          return failure();
        }
        site.divided.push_back({operand, *axis});
      }
      return success();
    }
    if (isa<MulOp, AddOp>(def)) {
      // One constant operand: a Mul absorbs the division (RMSNorm's gamma);
      // an Add's constant is divided too and the chain goes on.
      std::optional<int64_t> axis;
      unsigned constIndex = 0;
      for (unsigned i = 0; i < 2 && !axis; ++i)
        if ((axis = getChannelConstantAxis(def->getOperand(i), channels)))
          constIndex = i;
      Value other = def->getOperand(1 - constIndex);
      auto otherType = dyn_cast<RankedTensorType>(other.getType());
      if (!axis || matchPattern(other, m_Constant()) || !otherType ||
          otherType != def->getResult(0).getType()) {
        whyNot = describeOp(def) +
                 " is not a per-channel constant applied to the tensor";
        return failure();
      }
      site.divided.push_back({&def->getOpOperand(constIndex), *axis});
      if (isa<MulOp>(def))
        return success();
      value = other;
      continue;
    }
    if (auto relu = dyn_cast<ReluOp>(def)) {
      // relu(x) / s = relu(x / s) for s > 0.
      value = relu.getX();
      continue;
    }
    if (auto matmul = dyn_cast<MatMulOp>(def)) {
      if (!isConstantWeight(matmul.getB(), 1, channels)) {
        whyNot = describeOp(def) + " has no constant 2-D weight";
        return failure();
      }
      site.divided.push_back({&def->getOpOperand(1), 1});
      return success();
    }
    if (auto gemm = dyn_cast<GemmOp>(def)) {
      int64_t axis = gemm.getTransB() ? 0 : 1;
      if (!isConstantWeight(gemm.getB(), axis, channels)) {
        whyNot = describeOp(def) + " has no constant 2-D weight";
        return failure();
      }
      site.divided.push_back({&def->getOpOperand(1), axis});
      if (gemm.getC()) {
        std::optional<int64_t> cAxis =
            getChannelConstantAxis(gemm.getC(), channels);
        if (!cAxis) {
          whyNot = describeOp(def) + " has a bias that is not a per-channel "
                                     "constant";
          return failure();
        }
        site.divided.push_back({&def->getOpOperand(2), *cAxis});
      }
      return success();
    }
    whyNot = describeOp(def) + " cannot absorb a per-channel scale";
    return failure();
  }
}

/// `op` keeps f32 (qopt.precision = f32).
bool staysFloat(Operation *op) {
  auto precision = op->getAttrOfType<PrecisionAttr>("qopt.precision");
  return precision && precision.getValue() == Precision::f32;
}

/// Replaces the constant of `operand` by its values scaled per channel
/// (multiplied by `scales`, or divided when `divide`).
void scaleConstant(ChannelOperand channel, ArrayRef<float> scales,
                   bool divide) {
  OpOperand *operand = channel.operand;
  Value old = operand->get();
  Attribute attr;
  matchPattern(old, m_Constant(&attr));
  std::vector<float> values = *getConstantValues<float>(attr);
  auto type = cast<RankedTensorType>(old.getType());
  int64_t channels = scales.size();
  std::vector<float> scaled;
  RankedTensorType newType = type;
  if (channel.axis < 0) {
    // One value broadcast over the channels: now one per channel.
    newType = RankedTensorType::get({channels}, type.getElementType());
    for (int64_t c = 0; c < channels; ++c)
      scaled.push_back(divide ? values[0] / scales[c] : values[0] * scales[c]);
  } else {
    int64_t inner = 1;
    for (int64_t d = channel.axis + 1; d < type.getRank(); ++d)
      inner *= type.getDimSize(d);
    scaled.resize(values.size());
    for (size_t i = 0; i < values.size(); ++i) {
      float s = scales[(i / inner) % channels];
      scaled[i] = divide ? values[i] / s : values[i] * s;
    }
  }
  Operation *owner = operand->getOwner();
  OpBuilder b(owner);
  Value replacement = ConstantOp::create(
      b, old.getLoc(), DenseElementsAttr::get(newType, ArrayRef<float>(scaled)));
  operand->set(replacement);
  if (Operation *def = old.getDefiningOp(); def && def->use_empty())
    def->erase();
}

} // namespace

FailureOr<SmoothingSite> mlir::qopt::findSmoothingSite(ObserveOp observer,
                                                       std::string &whyNot) {
  auto type = dyn_cast<RankedTensorType>(observer.getType());
  std::optional<int64_t> axis = observer.getChannelAxis();
  if (!type || !axis || *axis != type.getRank() - 1 ||
      type.isDynamicDim(*axis)) {
    whyNot = "its channel statistics are not along a static last axis (as "
             "for convolution inputs and attention's transposed K)";
    return failure();
  }
  if (!observer.getChannelMin()) {
    whyNot = "it is not calibrated";
    return failure();
  }
  if (observer.getScaleSource()) {
    whyNot = "it shares another tensor's scale (qopt-propagate-scales ran)";
    return failure();
  }
  int64_t channels = type.getDimSize(*axis);
  SmoothingSite site;
  site.observer = observer;
  bool anyQuantized = false;
  for (OpOperand &use : observer.getResult().getUses()) {
    Operation *user = use.getOwner();
    unsigned index = use.getOperandNumber();
    if (auto matmul = dyn_cast<MatMulOp>(user);
        matmul && index == 0 && isConstantWeight(matmul.getB(), 0, channels)) {
      site.weights.push_back({&user->getOpOperand(1), 0});
    } else if (auto gemm = dyn_cast<GemmOp>(user);
               gemm && index == 0 && !gemm.getTransA() &&
               isConstantWeight(gemm.getB(), gemm.getTransB() ? 1 : 0,
                                channels)) {
      site.weights.push_back(
          {&user->getOpOperand(1), gemm.getTransB() ? 1 : 0});
    } else {
      whyNot = describeOp(user) +
               " reads it and is not a linear layer with a constant weight";
      return failure();
    }
    anyQuantized |= !staysFloat(user);
  }
  if (site.weights.empty()) {
    whyNot = "it has no users";
    return failure();
  }
  if (!anyQuantized) {
    whyNot = "every layer reading it stays f32";
    return failure();
  }
  if (failed(findAbsorber(observer.getX(), channels, site, whyNot)))
    return failure();
  return site;
}

std::vector<float> mlir::qopt::getWeightChannelAbsmax(const SmoothingSite &site) {
  ObserveOp observer = site.observer;
  int64_t channels = cast<RankedTensorType>(observer.getType()).getShape().back();
  std::vector<float> absmax(channels, 0.0f);
  for (const ChannelOperand &w : site.weights) {
    Attribute attr;
    matchPattern(w.operand->get(), m_Constant(&attr));
    std::vector<float> values = *getConstantValues<float>(attr);
    auto type = cast<RankedTensorType>(w.operand->get().getType());
    int64_t inner = w.axis == 0 ? type.getDimSize(1) : 1;
    for (size_t i = 0; i < values.size(); ++i) {
      float &m = absmax[(i / inner) % channels];
      m = std::max(m, std::fabs(values[i]));
    }
  }
  return absmax;
}

std::vector<float> mlir::qopt::getActivationChannelAbsmax(ObserveOp observer) {
  ArrayRef<float> lo = *observer.getChannelMin(), hi = *observer.getChannelMax();
  std::vector<float> absmax(lo.size());
  for (size_t c = 0; c < lo.size(); ++c)
    absmax[c] = std::max(std::fabs(lo[c]), std::fabs(hi[c]));
  return absmax;
}

std::vector<float>
mlir::qopt::computeSmoothingScales(ArrayRef<float> activationAbsmax,
                                   ArrayRef<float> weightAbsmax, double alpha) {
  std::vector<float> scales(activationAbsmax.size(), 1.0f);
  for (size_t c = 0; c < scales.size(); ++c) {
    double x = activationAbsmax[c], w = weightAbsmax[c];
    if (!(x > 0) || !(w > 0) || !std::isfinite(x))
      continue;
    double s = std::pow(x, alpha) / std::pow(w, 1.0 - alpha);
    scales[c] = static_cast<float>(std::clamp(s, 1e-5, 1e5));
  }
  return scales;
}

SmoothedStatistics
mlir::qopt::computeSmoothedStatistics(ObserveOp observer,
                                      ArrayRef<float> scales) {
  SmoothedStatistics out;
  ArrayRef<float> lo = *observer.getChannelMin(), hi = *observer.getChannelMax();
  for (size_t c = 0; c < lo.size(); ++c) {
    out.channelMin.push_back(lo[c] / scales[c]);
    out.channelMax.push_back(hi[c] / scales[c]);
    out.min = std::min<double>(out.min, out.channelMin.back());
    out.max = std::max<double>(out.max, out.channelMax.back());
  }
  out.rangeLo = out.min;
  out.rangeHi = out.max;
  std::optional<ArrayRef<double>> range = observer.getRange();
  bool minmax = !observer.getMethod() || *observer.getMethod() == "minmax";
  if (range && !minmax) {
    // The method clipped [min, max] to [lo, hi]: keep that ratio.
    double oldMin = 0, oldMax = 0;
    for (size_t c = 0; c < lo.size(); ++c) {
      oldMin = std::min<double>(oldMin, lo[c]);
      oldMax = std::max<double>(oldMax, hi[c]);
    }
    out.rangeLo = oldMin < 0 ? out.min * ((*range)[0] / oldMin) : 0.0;
    out.rangeHi = oldMax > 0 ? out.max * ((*range)[1] / oldMax) : 0.0;
  }
  return out;
}

void mlir::qopt::applySmoothing(const SmoothingSite &site,
                                ArrayRef<float> scales, double alpha) {
  for (const ChannelOperand &w : site.weights)
    scaleConstant(w, scales, /*divide=*/false);
  for (const ChannelOperand &d : site.divided)
    scaleConstant(d, scales, /*divide=*/true);
  ObserveOp observer = site.observer;
  Builder b(observer.getContext());
  SmoothedStatistics stats = computeSmoothedStatistics(observer, scales);
  observer.setChannelMinAttr(b.getDenseF32ArrayAttr(stats.channelMin));
  observer.setChannelMaxAttr(b.getDenseF32ArrayAttr(stats.channelMax));
  if (observer.getMin()) {
    observer.setMinAttr(b.getF64FloatAttr(stats.min));
    observer.setMaxAttr(b.getF64FloatAttr(stats.max));
  }
  if (observer.getRange())
    observer.setRangeAttr(
        b.getDenseF64ArrayAttr({stats.rangeLo, stats.rangeHi}));
  observer.setSmoothAlphaAttr(b.getF64FloatAttr(alpha));
  observer.setSmoothed(true);
}

std::vector<std::pair<int64_t, std::vector<float>>>
mlir::qopt::getSiteWeights(const SmoothingSite &site, int64_t maxColumns) {
  std::vector<std::pair<int64_t, std::vector<float>>> out;
  for (const ChannelOperand &w : site.weights) {
    Attribute attr;
    matchPattern(w.operand->get(), m_Constant(&attr));
    std::vector<float> values = *getConstantValues<float>(attr);
    auto type = cast<RankedTensorType>(w.operand->get().getType());
    int64_t k = type.getDimSize(w.axis), n = type.getDimSize(1 - w.axis);
    int64_t columns = std::min(n, maxColumns);
    std::vector<float> kn(k * columns);
    for (int64_t c = 0; c < columns; ++c) {
      // Evenly spaced output channels.
      int64_t col = c * n / columns;
      for (int64_t j = 0; j < k; ++j)
        kn[j * columns + c] =
            w.axis == 0 ? values[j * n + col] : values[col * k + j];
    }
    out.push_back({columns, std::move(kn)});
  }
  return out;
}

namespace {

/// The fp32 products X W of every consumer ([rows, N] row-major each).
std::vector<std::vector<double>> referenceProducts(const SiteSamples &s) {
  int64_t k = s.channels, rows = s.rows.size() / std::max<int64_t>(k, 1);
  std::vector<std::vector<double>> refs;
  for (auto &[n, w] : s.weights) {
    std::vector<double> y(rows * n, 0.0);
    for (int64_t r = 0; r < rows; ++r)
      for (int64_t j = 0; j < k; ++j) {
        double x = s.rows[r * k + j];
        if (x == 0)
          continue;
        for (int64_t c = 0; c < n; ++c)
          y[r * n + c] += x * w[j * n + c];
      }
    refs.push_back(std::move(y));
  }
  return refs;
}

double smoothingError(ObserveOp observer, const SiteSamples &s,
                      const std::vector<std::vector<double>> &refs,
                      double alpha, bool symmetric, int64_t weightMax) {
  int64_t k = s.channels, rows = s.rows.size() / std::max<int64_t>(k, 1);
  // The scales qopt-smoothquant will compute: from the whole weights, not
  // the sampled columns.
  std::vector<float> scales = computeSmoothingScales(
      getActivationChannelAbsmax(observer), s.weightAbsmax, alpha);
  SmoothedStatistics stats = computeSmoothedStatistics(observer, scales);
  QuantParams a = computeQuantParams(stats.rangeLo, stats.rangeHi, symmetric);
  double qmin = symmetric ? -128 : 0, qmax = symmetric ? 127 : 255;
  std::vector<double> xq(s.rows.size());
  for (int64_t r = 0; r < rows; ++r)
    for (int64_t j = 0; j < k; ++j) {
      double v = s.rows[r * k + j] / scales[j];
      double q = std::clamp(std::nearbyint(v / a.scale) + a.zeroPoint, qmin,
                            qmax);
      xq[r * k + j] = (q - a.zeroPoint) * a.scale;
    }
  double error = 0;
  for (size_t i = 0; i < s.weights.size(); ++i) {
    auto &[n, w] = s.weights[i];
    std::vector<double> wq(k * n);
    for (int64_t c = 0; c < n; ++c) {
      double amax = 0;
      for (int64_t j = 0; j < k; ++j)
        amax = std::max(amax, std::fabs(double(w[j * n + c]) * scales[j]));
      double scale = amax > 0 ? amax / weightMax : 1.0;
      for (int64_t j = 0; j < k; ++j) {
        double q = std::clamp(std::nearbyint(w[j * n + c] * scales[j] / scale),
                              double(-weightMax), double(weightMax));
        wq[j * n + c] = q * scale;
      }
    }
    std::vector<double> y(n);
    for (int64_t r = 0; r < rows; ++r) {
      std::fill(y.begin(), y.end(), 0.0);
      for (int64_t j = 0; j < k; ++j) {
        double x = xq[r * k + j];
        if (x == 0)
          continue;
        for (int64_t c = 0; c < n; ++c)
          y[c] += x * wq[j * n + c];
      }
      for (int64_t c = 0; c < n; ++c) {
        double d = y[c] - refs[i][r * n + c];
        error += d * d;
      }
    }
  }
  return error;
}

} // namespace

double mlir::qopt::measureSmoothingError(ObserveOp observer,
                                         const SiteSamples &samples,
                                         double alpha,
                                         bool activationSymmetric,
                                         int64_t weightMax) {
  return smoothingError(observer, samples, referenceProducts(samples), alpha,
                        activationSymmetric, weightMax);
}

double mlir::qopt::searchSmoothingAlpha(ObserveOp observer,
                                        const SiteSamples &samples,
                                        bool activationSymmetric,
                                        int64_t weightMax) {
  std::vector<std::vector<double>> refs = referenceProducts(samples);
  double best = 0.5, bestError = std::numeric_limits<double>::infinity();
  for (int step = 0; step <= 20; ++step) {
    double alpha = step * 0.05;
    double error = smoothingError(observer, samples, refs, alpha,
                                  activationSymmetric, weightMax);
    if (error < bestError) {
      bestError = error;
      best = alpha;
    }
  }
  return best;
}

namespace {
struct SmoothQuantPass
    : mlir::qopt::impl::SmoothQuantPassBase<SmoothQuantPass> {
  using Base::Base;

  void runOnOperation() override {
    if (!(alpha >= 0.0 && alpha <= 1.0)) {
      getOperation().emitError()
          << "qopt-smoothquant: alpha must be in [0, 1], got " << alpha;
      return signalPassFailure();
    }
    SmallVector<ObserveOp> observers;
    getOperation().walk([&](ObserveOp op) { observers.push_back(op); });
    MLIRContext *ctx = &getContext();
    for (ObserveOp observer : observers) {
      if (observer.getSmoothed())
        continue;
      if (observer.getChannelAxis() && !observer.getChannelMin()) {
        observer.emitError()
            << "qopt-smoothquant needs calibrated observers (channel_min / "
               "channel_max); run the calibration first "
               "(qopt-compile --calibration=DIR)";
        return signalPassFailure();
      }
      if (!observer.getChannelAxis())
        continue;
      std::string whyNot;
      FailureOr<SmoothingSite> site = findSmoothingSite(observer, whyNot);
      if (failed(site)) {
        // Why a tensor stays as it is, for the printed IR and the report.
        observer->setAttr("qopt.smoothquant_skipped",
                          StringAttr::get(ctx, whyNot));
        continue;
      }
      double a = observer.getSmoothAlpha()
                     ? observer.getSmoothAlpha()->convertToDouble()
                     : static_cast<double>(alpha);
      std::vector<float> scales =
          computeSmoothingScales(getActivationChannelAbsmax(observer),
                                 getWeightChannelAbsmax(*site), a);
      applySmoothing(*site, scales, a);
    }
  }
};
} // namespace
