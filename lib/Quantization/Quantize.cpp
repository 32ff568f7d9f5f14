//===- Quantize.cpp - qopt-quantize ------------------------------*- C++ -*-===//
//
// See Passes.td: W8A8 in QDQ form from calibrated observers and constant
// weights quantized per output channel at compile time.
//
//===----------------------------------------------------------------------===//

#include "qopt/Quantization/Passes.h"

#include "ScalarConstant.h"
#include "qopt/Quantization/Statistics.h"

#include "qopt/Support/ConstantValues.h"

#include "mlir/Dialect/Quant/IR/Quant.h"
#include "mlir/Dialect/Quant/IR/QuantTypes.h"
#include "mlir/IR/Matchers.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"

#include <cmath>

namespace mlir::qopt {
#define GEN_PASS_DEF_QUANTIZEPASS
#include "qopt/Quantization/Passes.h.inc"
} // namespace mlir::qopt

using namespace mlir;
using namespace mlir::qopt;

namespace {

/// Symmetric per-channel int8 of `values` (shape `type`) along `axis`, in
/// [-weightMax, weightMax].
void quantizePerChannel(ArrayRef<float> values, RankedTensorType type,
                        int64_t axis, int64_t weightMax,
                        std::vector<int8_t> &q, std::vector<float> &scales) {
  float levels = static_cast<float>(weightMax);
  int64_t channels = type.getDimSize(axis), inner = 1;
  for (int64_t d = axis + 1; d < type.getRank(); ++d)
    inner *= type.getDimSize(d);
  std::vector<float> absmax(channels, 0.0f);
  for (size_t i = 0; i < values.size(); ++i) {
    float &m = absmax[(i / inner) % channels];
    m = std::max(m, std::fabs(values[i]));
  }
  scales.resize(channels);
  for (int64_t c = 0; c < channels; ++c)
    scales[c] = absmax[c] > 0 ? absmax[c] / levels : 1.0f;
  q.resize(values.size());
  for (size_t i = 0; i < values.size(); ++i) {
    // nearbyint rounds half to even in the default rounding mode.
    float r = std::nearbyint(values[i] / scales[(i / inner) % channels]);
    q[i] = static_cast<int8_t>(std::clamp(r, -levels, levels));
  }
}

struct QuantizePass : mlir::qopt::impl::QuantizePassBase<QuantizePass> {
  using Base::Base;

  /// One QDQ pair per observer, shared by every op that reads it.
  llvm::DenseMap<Value, Value> dequantized;

  /// dequantize_linear(quantize_linear(x)) with the observer's range.
  Value quantizeActivation(ObserveOp observer) {
    Value x = observer.getResult();
    if (Value known = dequantized.lookup(x))
      return known;
    ArrayRef<double> range = *observer.getRange();
    QuantParams params =
        computeQuantParams(range[0], range[1], activationSymmetric);
    OpBuilder b(observer.getContext());
    b.setInsertionPointAfter(observer);
    Location loc = observer.getLoc();
    MLIRContext *ctx = observer.getContext();
    Type storage = activationSymmetric
                       ? IntegerType::get(ctx, 8)
                       : IntegerType::get(ctx, 8, IntegerType::Unsigned);
    Value scale = createScalarConstant(b, loc, b.getF32Type(),
                                 b.getF32FloatAttr(params.scale));
    Value zp = createScalarConstant(
        b, loc, storage,
        IntegerAttr::get(storage, APInt(8, params.zeroPoint,
                                        /*isSigned=*/activationSymmetric)));
    // The quantized tensor's type states its parameters.
    auto qType = quant::UniformQuantizedType::get(
        activationSymmetric ? quant::QuantizationFlags::Signed : 0,
        IntegerType::get(ctx, 8), b.getF32Type(),
        static_cast<double>(params.scale), params.zeroPoint,
        activationSymmetric ? -128 : 0, activationSymmetric ? 127 : 255);
    auto type = cast<RankedTensorType>(x.getType());
    Value q = QuantizeLinearOp::create(b, loc, type.clone(qType), x, scale,
                                       zp, /*axis=*/1);
    Value dq = DequantizeLinearOp::create(b, loc, type, q, scale, zp,
                                          /*axis=*/1);
    dequantized[x] = dq;
    return dq;
  }

  /// An i8 constant behind a per-axis dequantize_linear, or null when the
  /// weight is not a float32 constant of static shape.
  Value quantizeWeight(Operation *op, Value weight, int64_t axis) {
    Attribute value;
    auto type = dyn_cast<RankedTensorType>(weight.getType());
    if (!type || !type.hasStaticShape() || axis < 0 ||
        axis >= type.getRank() || !matchPattern(weight, m_Constant(&value)))
      return nullptr;
    std::optional<std::vector<float>> values =
        getConstantValues<float>(value);
    if (!values)
      return nullptr;
    std::vector<int8_t> q;
    std::vector<float> scales;
    quantizePerChannel(*values, type, axis, weightMax, q, scales);
    OpBuilder b(op);
    Location loc = weight.getLoc();
    auto qType = type.clone(b.getIntegerType(8));
    Value qConst = ConstantOp::create(
        b, loc,
        DenseElementsAttr::get(qType, ArrayRef<int8_t>(q.data(), q.size())));
    auto scaleType = RankedTensorType::get(
        {static_cast<int64_t>(scales.size())}, b.getF32Type());
    Value scaleConst = ConstantOp::create(
        b, loc, DenseElementsAttr::get(scaleType, ArrayRef<float>(scales)));
    // Typed per output channel, [-weight-max, weight-max], zero points 0.
    SmallVector<double> typeScales(scales.begin(), scales.end());
    SmallVector<int64_t> zeroPoints(scales.size(), 0);
    auto perAxis = quant::UniformQuantizedPerAxisType::get(
        quant::QuantizationFlags::Signed, b.getIntegerType(8), b.getF32Type(),
        typeScales, zeroPoints, static_cast<int32_t>(axis), -weightMax,
        weightMax);
    Value typed = quant::StorageCastOp::create(b, loc, type.clone(perAxis),
                                               qConst);
    return DequantizeLinearOp::create(b, loc, type, typed, scaleConst,
                                      Value(), static_cast<uint64_t>(axis));
  }

  void quantizeOp(QuantizableOpInterface quantizable) {
    Operation *op = quantizable.getOperation();
    if (!quantizable.supportsPrecision(Precision::w8a8))
      return;
    // A decision other than w8a8 (qopt-assign-precision) is kept.
    if (auto assigned = op->getAttrOfType<PrecisionAttr>("qopt.precision"))
      if (assigned.getValue() != Precision::w8a8)
        return;
    unsigned weightIndex = quantizable.getWeightOperandIndex();
    if (weightIndex >= op->getNumOperands())
      return;
    SmallVector<unsigned> activations =
        quantizable.getActivationOperandIndices();
    Value weight = op->getOperand(weightIndex);
    bool weightIsConstant = matchPattern(weight, m_Constant());
    if (!weightIsConstant)
      activations.push_back(weightIndex);
    // Every activation must be calibrated f32.
    SmallVector<ObserveOp> observers;
    for (unsigned index : activations) {
      auto observer = op->getOperand(index).getDefiningOp<ObserveOp>();
      if (!observer || !observer.getRange() ||
          !getElementTypeOrSelf(observer.getType()).isF32())
        return;
      observers.push_back(observer);
    }
    Value weightDq;
    if (weightIsConstant) {
      weightDq =
          quantizeWeight(op, weight, quantizable.getWeightChannelAxis());
      if (!weightDq)
        return;
    }
    for (auto [index, observer] : llvm::zip(activations, observers))
      op->setOperand(index, quantizeActivation(observer));
    if (weightDq) {
      op->setOperand(weightIndex, weightDq);
      // The float weight is dead now; a large one would otherwise stay in
      // --emit=quantized output and in memory until the next canonicalize.
      if (Operation *floatWeight = weight.getDefiningOp())
        if (isOpTriviallyDead(floatWeight))
          floatWeight->erase();
    }
    op->setAttr("qopt.precision",
                PrecisionAttr::get(op->getContext(), Precision::w8a8));
  }

  void runOnOperation() override {
    if (weightMax < 1 || weightMax > 127) {
      getOperation().emitError()
          << "qopt-quantize: weight-max must be in [1, 127], got "
          << static_cast<int64_t>(weightMax);
      return signalPassFailure();
    }
    dequantized.clear();
    SmallVector<QuantizableOpInterface> ops;
    getOperation().walk(
        [&](QuantizableOpInterface op) { ops.push_back(op); });
    for (QuantizableOpInterface op : ops)
      quantizeOp(op);
  }
};

} // namespace
