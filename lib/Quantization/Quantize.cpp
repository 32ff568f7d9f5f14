//===- Quantize.cpp - qopt-quantize ------------------------------*- C++ -*-===//
//
// See Passes.td: materializes each op's qopt.precision. W8A8 in QDQ form
// from calibrated observers and constant weights quantized per output
// channel at compile time; W8A8 with per-row activation scales computed at
// run time; the weight-only encodings (WeightEncoding.h) behind
// dequantize_groupwise / lookup_codebook; fp16 / bf16 as rounded weights
// and activations.
//
//===----------------------------------------------------------------------===//

#include "qopt/Quantization/Passes.h"

#include "ScalarConstant.h"
#include "qopt/Quantization/Statistics.h"
#include "qopt/Quantization/WeightEncoding.h"

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
  /// An op's precision could not be materialized (reported).
  bool failedOp = false;

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

  /// W8A8 from calibration (the default when no decision is written).
  bool quantizeStatic(QuantizableOpInterface quantizable) {
    Operation *op = quantizable.getOperation();
    if (!quantizable.supportsPrecision(Precision::w8a8))
      return false;
    unsigned weightIndex = quantizable.getWeightOperandIndex();
    if (weightIndex >= op->getNumOperands())
      return false;
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
        return false;
      observers.push_back(observer);
    }
    Value weightDq;
    if (weightIsConstant) {
      weightDq =
          quantizeWeight(op, weight, quantizable.getWeightChannelAxis());
      if (!weightDq)
        return false;
    }
    for (auto [index, observer] : llvm::zip(activations, observers))
      op->setOperand(index, quantizeActivation(observer));
    if (weightDq)
      replaceWeight(op, weightIndex, weightDq);
    op->setAttr("qopt.precision",
                PrecisionAttr::get(op->getContext(), Precision::w8a8));
    return true;
  }

  /// The constant weight of `op` as a [K, N] view (K = the axis the op
  /// reduces over), or nothing when it is not a 2-D f32 constant.
  struct ConstantWeight {
    Value value;
    RankedTensorType type;
    std::vector<float> values;
    WeightShape shape;
  };
  std::optional<ConstantWeight> getConstantWeight(QuantizableOpInterface q) {
    Operation *op = q.getOperation();
    unsigned index = q.getWeightOperandIndex();
    if (index >= op->getNumOperands())
      return std::nullopt;
    ConstantWeight w;
    w.value = op->getOperand(index);
    w.type = dyn_cast<RankedTensorType>(w.value.getType());
    Attribute attr;
    if (!w.type || w.type.getRank() != 2 || !w.type.hasStaticShape() ||
        !matchPattern(w.value, m_Constant(&attr)))
      return std::nullopt;
    std::optional<std::vector<float>> values = getConstantValues<float>(attr);
    if (!values)
      return std::nullopt;
    w.values = std::move(*values);
    int64_t axis = q.getReductionChannelAxis(index);
    if (axis != 0 && axis != 1)
      return std::nullopt;
    w.shape.axis = axis;
    w.shape.k = w.type.getDimSize(axis);
    w.shape.n = w.type.getDimSize(1 - axis);
    return w;
  }

  /// Replaces the weight operand by `replacement` and erases the float
  /// constant when nothing else reads it (a large one would otherwise stay
  /// in --emit=quantized output and in memory until the next canonicalize).
  void replaceWeight(Operation *op, unsigned index, Value replacement) {
    Value old = op->getOperand(index);
    op->setOperand(index, replacement);
    if (Operation *def = old.getDefiningOp())
      if (isOpTriviallyDead(def))
        def->erase();
  }

  Value createConstant(OpBuilder &b, Location loc, ArrayRef<int64_t> shape,
                       ArrayRef<float> values) {
    return ConstantOp::create(
        b, loc,
        DenseElementsAttr::get(RankedTensorType::get(shape, b.getF32Type()),
                               values));
  }

  Value createCodes(OpBuilder &b, Location loc, ArrayRef<int64_t> shape,
                    ArrayRef<uint8_t> codes) {
    auto type = RankedTensorType::get(
        shape, IntegerType::get(b.getContext(), 8, IntegerType::Unsigned));
    return ConstantOp::create(
        b, loc,
        DenseElementsAttr::get(
            type, ArrayRef<char>(reinterpret_cast<const char *>(codes.data()),
                                 codes.size())));
  }

  /// Weight-only precisions: the constant weight becomes packed codes and
  /// a dequantizing op; activations stay float. Returns false (the op stays
  /// f32) when the weight does not fit the encoding.
  bool quantizeWeightOnly(QuantizableOpInterface q, Precision precision) {
    Operation *op = q.getOperation();
    std::optional<ConstantWeight> w = getConstantWeight(q);
    if (!w)
      return false;
    OpBuilder b(op);
    Location loc = w->value.getLoc();
    unsigned index = q.getWeightOperandIndex();
    int64_t bits = precision == Precision::w4a16   ? 4
                   : precision == Precision::ternary ? 2
                   : precision == Precision::w4_lut  ? 4
                                                     : 8;
    if (w->shape.k % (8 / bits) != 0)
      return false;
    std::vector<int64_t> codesShape = w->shape.codesShape(bits);
    Value replacement;
    if (precision == Precision::w8a16) {
      replacement = quantizeWeight(op, w->value, q.getWeightChannelAxis());
      if (!replacement)
        return false;
    } else if (precision == Precision::w4a16 ||
               precision == Precision::ternary) {
      int64_t group = std::min<int64_t>(groupSize, w->shape.k);
      if (precision == Precision::w4a16 && w->shape.k % group != 0)
        group = w->shape.k; // one group per column
      GroupwiseEncoding e =
          precision == Precision::ternary
              ? encodeTernary(w->values, w->shape)
              : encodeGroupwise(w->values, w->shape, 4, group,
                                int4Symmetric);
      std::vector<int64_t> scaleShape = {w->shape.k / e.groupSize,
                                         w->shape.n};
      if (w->shape.axis == 1)
        std::swap(scaleShape[0], scaleShape[1]);
      Value codes = createCodes(b, loc, codesShape, e.codes);
      Value scales = createConstant(b, loc, scaleShape, e.scales);
      Value zps = e.zeroPoints.empty()
                      ? Value()
                      : createConstant(b, loc, scaleShape, e.zeroPoints);
      replacement = DequantizeGroupwiseOp::create(
          b, loc, w->type, codes, scales, zps, static_cast<uint64_t>(e.bits),
          static_cast<uint64_t>(e.groupSize),
          static_cast<uint64_t>(w->shape.axis));
    } else {
      CodebookEncoding e = encodeCodebook(w->values, w->shape, bits);
      Value codes = createCodes(b, loc, codesShape, e.codes);
      Value codebook =
          createConstant(b, loc, {w->shape.n, int64_t(1) << bits}, e.codebook);
      replacement = LookupCodebookOp::create(
          b, loc, w->type, codes, codebook, static_cast<uint64_t>(bits),
          static_cast<uint64_t>(w->shape.axis));
    }
    replaceWeight(op, index, replacement);
    return true;
  }

  /// fp16 / bf16: weights stored in the narrow type, activations rounded to
  /// it; products and sums stay f32 (as on CPUs without native half
  /// arithmetic, and as tensor cores accumulate).
  bool quantizeHalf(QuantizableOpInterface q, Precision precision) {
    Operation *op = q.getOperation();
    OpBuilder b(op);
    FloatType half = precision == Precision::f16
                         ? FloatType(b.getF16Type())
                         : FloatType(b.getBF16Type());
    SmallVector<unsigned> operands = q.getActivationOperandIndices();
    unsigned weightIndex = q.getWeightOperandIndex();
    if (!llvm::is_contained(operands, weightIndex))
      operands.push_back(weightIndex);
    for (unsigned index : operands) {
      if (index >= op->getNumOperands())
        continue;
      Value v = op->getOperand(index);
      auto type = dyn_cast<RankedTensorType>(v.getType());
      if (!type || !type.getElementType().isF32())
        continue;
      Location loc = v.getLoc();
      Attribute attr;
      Value narrow;
      if (matchPattern(v, m_Constant(&attr)) && type.hasStaticShape()) {
        std::optional<std::vector<float>> values =
            getConstantValues<float>(attr);
        if (!values)
          continue;
        SmallVector<APFloat> converted;
        for (float f : *values) {
          APFloat x(f);
          bool lost;
          x.convert(half.getFloatSemantics(), APFloat::rmNearestTiesToEven,
                    &lost);
          converted.push_back(x);
        }
        narrow = ConstantOp::create(
            b, loc, DenseElementsAttr::get(type.clone(half), converted));
        Value wide = CastOp::create(b, loc, type, narrow);
        replaceWeight(op, index, wide);
        continue;
      }
      narrow = CastOp::create(b, loc, type.clone(half), v);
      op->setOperand(index, CastOp::create(b, loc, type, narrow));
    }
    return true;
  }

  /// W8A8 with dynamic activations: per-channel int8 weights, and each
  /// activation row (the last axis, one token) quantized to u8 with its own
  /// range at run time: scale = (max(0, max x) - min(0, min x)) / 255,
  /// zero point = round(-min / scale), y = (clip(round(x / scale) + zp,
  /// 0, 255) - zp) * scale.
  bool quantizeDynamic(QuantizableOpInterface q) {
    Operation *op = q.getOperation();
    std::optional<ConstantWeight> w = getConstantWeight(q);
    if (!w)
      return false;
    Value weightDq = quantizeWeight(op, w->value, q.getWeightChannelAxis());
    if (!weightDq)
      return false;
    OpBuilder b(op);
    for (unsigned index : q.getActivationOperandIndices()) {
      if (index >= op->getNumOperands())
        continue;
      Value x = op->getOperand(index);
      auto type = dyn_cast<RankedTensorType>(x.getType());
      if (!type || !type.getElementType().isF32() || type.getRank() < 1)
        continue;
      Location loc = x.getLoc();
      SmallVector<int64_t> rowShape(type.getShape());
      rowShape.back() = 1;
      auto rowType = RankedTensorType::get(rowShape, b.getF32Type());
      auto axes = b.getDenseI64ArrayAttr({type.getRank() - 1});
      Type f32 = b.getF32Type();
      auto scalar = [&](double v) {
        return createScalarConstant(b, loc, f32, b.getF32FloatAttr(v));
      };
      Value zero = scalar(0.0), levels = scalar(255.0);
      Value lo = ReduceMinOp::create(b, loc, rowType, x, axes, 1, 0);
      Value hi = ReduceMaxOp::create(b, loc, rowType, x, axes, 1, 0);
      lo = MinOp::create(b, loc, rowType, ValueRange{lo, zero});
      hi = MaxOp::create(b, loc, rowType, ValueRange{hi, zero});
      Value scale = DivOp::create(
          b, loc, rowType, SubOp::create(b, loc, rowType, hi, lo), levels);
      // An all-zero row: any positive scale (every code is the zero point).
      scale = MaxOp::create(b, loc, rowType, ValueRange{scale, scalar(1e-30)});
      Value zp = RoundOp::create(
          b, loc, rowType,
          NegOp::create(b, loc, rowType,
                        DivOp::create(b, loc, rowType, lo, scale)));
      Value codes = RoundOp::create(b, loc, type,
                                    DivOp::create(b, loc, type, x, scale));
      codes = AddOp::create(b, loc, type, codes, zp);
      codes = ClipOp::create(b, loc, type, codes, zero, levels);
      Value dq = MulOp::create(b, loc, type,
                               SubOp::create(b, loc, type, codes, zp), scale);
      op->setOperand(index, dq);
    }
    replaceWeight(op, q.getWeightOperandIndex(), weightDq);
    return true;
  }

  void quantizeOp(QuantizableOpInterface quantizable) {
    Operation *op = quantizable.getOperation();
    auto assigned = op->getAttrOfType<PrecisionAttr>("qopt.precision");
    Precision precision = assigned ? assigned.getValue() : Precision::w8a8;
    bool done = true;
    switch (precision) {
    case Precision::f32:
      return;
    case Precision::w8a8:
      // Without a written decision, an op that cannot take w8a8 keeps no
      // attribute (as before qopt-assign-precision existed).
      done = quantizeStatic(quantizable) || !assigned;
      break;
    case Precision::fp8:
      // Assigned only for targets with fp8 (qopt-assign-precision).
      op->emitError() << "qopt-quantize: fp8 needs the CUDA target (sm_89 or "
                         "newer); this pipeline cannot materialize it";
      failedOp = true;
      return;
    case Precision::f16:
    case Precision::bf16:
      done = quantizeHalf(quantizable, precision);
      break;
    case Precision::w8a8_dynamic:
      done = quantizeDynamic(quantizable);
      break;
    case Precision::w8a16:
    case Precision::w4a16:
    case Precision::ternary:
    case Precision::w4_lut:
    case Precision::w8_lut:
      done = quantizeWeightOnly(quantizable, precision);
      break;
    }
    // An op the precision does not fit (no constant 2-D weight) stays f32,
    // and the IR says so.
    if (!done)
      op->setAttr("qopt.precision",
                  PrecisionAttr::get(op->getContext(), Precision::f32));
  }

  void runOnOperation() override {
    if (weightMax < 1 || weightMax > 127) {
      getOperation().emitError()
          << "qopt-quantize: weight-max must be in [1, 127], got "
          << static_cast<int64_t>(weightMax);
      return signalPassFailure();
    }
    if (groupSize < 1) {
      getOperation().emitError()
          << "qopt-quantize: group-size must be >= 1, got "
          << static_cast<int64_t>(groupSize);
      return signalPassFailure();
    }
    dequantized.clear();
    failedOp = false;
    SmallVector<QuantizableOpInterface> ops;
    getOperation().walk(
        [&](QuantizableOpInterface op) { ops.push_back(op); });
    for (QuantizableOpInterface op : ops)
      quantizeOp(op);
    if (failedOp)
      signalPassFailure();
  }
};

} // namespace
