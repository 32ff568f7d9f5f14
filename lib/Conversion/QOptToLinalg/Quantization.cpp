//===- Quantization.cpp - quantization ops -> linalg ---*- C++ -*-===//
//
// The ONNX quantization operators, bit-exact with ONNX (and ONNX Runtime):
//
//  * QuantizeLinear:   y = saturate(roundeven(x / scale) + zp). The division
//    is a real `arith.divf` (not a multiplication by the reciprocal) and the
//    rounding `math.roundeven` (upstream's lower-quant-ops truncates).
//  * DequantizeLinear: y = float(x - zp) * scale, the subtraction in i32.
//  * DynamicQuantizeLinear: uint8 with scale = (max(0, max x) - min(0, min x))
//    / 255 (1 when that range is 0) and zp = roundeven(clamp(0 - min / scale,
//    0, 255)), then QuantizeLinear.
//  * MatMulInteger / ConvInteger: a contraction generic accumulating
//    (ext(a) - ext(a_zp)) * (ext(b) - ext(b_zp)) in i32, the extensions by
//    the original (signed / unsigned) element types.
//  * QLinearMatMul / QLinearConv: the same i32 accumulation (plus the i32
//    bias), then requantized in f32 like ONNX Runtime:
//    saturate(roundeven(float(acc) * (a_scale * b_scale / y_scale)) + y_zp).
//  * DequantizeGroupwise / LookupCodebook (weight-only precisions): an
//    index generic over the weight that extracts each packed code (shift
//    and mask) and scales it by its group's scale, or looks it up in its
//    channel's codebook.
//
// Scales and zero points are tensors read by the generics through indexing
// maps: a scalar (or one-element) one per tensor, a 1-D one along its axis
// (QuantizeLinear / DequantizeLinear `axis`, the rows of A and of Y and the
// columns of B for the matmuls, the output channels for the convolutions).
//
//===----------------------------------------------------------------------===//

#include "ConvUtils.h"
#include "Utils.h"

#include "qopt/Conversion/QOptToLinalg/QOptToLinalg.h"
#include "qopt/Dialect/QOpt/IR/QOptDialect.h"

#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/Quant/IR/Quant.h"

#include <cmath>

using namespace mlir;
using namespace mlir::qopt;
using namespace mlir::qopt::to_linalg;

namespace {

//===----------------------------------------------------------------------===//
// Scalar helpers
//===----------------------------------------------------------------------===//

/// Extends (or keeps) an integer scalar to `width` bits by the signedness of
/// its original type.
Value extendInt(OpBuilder &b, Location loc, Value v, bool isUnsignedInt,
                unsigned width = 32) {
  auto type = cast<IntegerType>(v.getType());
  Type wide = b.getIntegerType(width);
  if (type.getWidth() == width)
    return v;
  if (type.getWidth() > width)
    return arith::TruncIOp::create(b, loc, wide, v);
  if (isUnsignedInt)
    return arith::ExtUIOp::create(b, loc, wide, v);
  return arith::ExtSIOp::create(b, loc, wide, v);
}

/// Converts an integer scalar (signedness from its original type) to `type`.
Value intToFloat(OpBuilder &b, Location loc, Value v, bool isUnsignedInt,
                 FloatType type) {
  if (isUnsignedInt)
    return arith::UIToFPOp::create(b, loc, type, v);
  return arith::SIToFPOp::create(b, loc, type, v);
}

/// Converts a float scalar to `type` (extension or truncation).
Value castFloat(OpBuilder &b, Location loc, Value v, FloatType type) {
  auto from = cast<FloatType>(v.getType());
  if (from == type)
    return v;
  return convertScalar(b, loc, v, from, type);
}

/// The wider of two float types (f32 when both are narrower).
FloatType widerFloat(Type lhs, Type rhs) {
  auto l = cast<FloatType>(lhs), r = cast<FloatType>(rhs);
  if (l == r)
    return l;
  return l.getWidth() >= r.getWidth() ? l : r;
}

/// The range of the original integer type `type` (ui8: [0, 255], i8:
/// [-128, 127], ...).
std::pair<double, double> intRange(IntegerType type) {
  unsigned width = type.getWidth();
  if (type.isUnsigned())
    return {0.0, std::ldexp(1.0, width) - 1.0};
  return {-std::ldexp(1.0, width - 1), std::ldexp(1.0, width - 1) - 1.0};
}

/// Saturates the (already rounded, integral) float `v` to the range of the
/// original integer type `type` and converts it, signless. NaN becomes the
/// low end (maxnumf), so the conversion never sees an out-of-range value.
Value clampToRange(OpBuilder &b, Location loc, Value v, IntegerType type) {
  auto [lo, hi] = intRange(type);
  Type floatType = v.getType();
  v = arith::MaxNumFOp::create(b, loc, v, createConstant(b, loc, floatType, lo));
  return arith::MinNumFOp::create(b, loc, v,
                                  createConstant(b, loc, floatType, hi));
}

/// Converts an integral float already within the range of `type` to it.
Value inRangeToInt(OpBuilder &b, Location loc, Value v, IntegerType type) {
  unsigned width = type.getWidth();
  Type wide = b.getIntegerType(width < 32 ? 32 : 64);
  Value i = arith::FPToSIOp::create(b, loc, wide, v);
  if (width == wide.getIntOrFloatBitWidth())
    return i;
  return arith::TruncIOp::create(b, loc, b.getIntegerType(width), i);
}

Value saturateToInt(OpBuilder &b, Location loc, Value v, IntegerType type) {
  return inRangeToInt(b, loc, clampToRange(b, loc, v, type), type);
}

/// saturate(roundeven(v) + zp): `v` is the scaled value, `zp` the raw zero
/// point (or null for 0), `zpUnsigned` its signedness, `outType` the original
/// integer result type.
Value roundAddSaturate(OpBuilder &b, Location loc, Value v, Value zp,
                       bool zpUnsigned, IntegerType outType) {
  Value r = math::RoundEvenOp::create(b, loc, v);
  if (zp)
    r = arith::AddFOp::create(
        b, loc, r, intToFloat(b, loc, zp, zpUnsigned, cast<FloatType>(v.getType())));
  return saturateToInt(b, loc, r, outType);
}

//===----------------------------------------------------------------------===//
// Quantization parameters (scales, zero points) read through indexing maps
//===----------------------------------------------------------------------===//

/// True when the scale / zero point `param` holds one value per element of
/// some axis (a 1-D tensor whose size is not statically 1).
bool isPerAxis(Value param) {
  auto type = cast<RankedTensorType>(param.getType());
  return type.getRank() == 1 && type.getDimSize(0) != 1;
}

/// The map that reads `param` in a `numDims` loop nest: `()` for a rank-0
/// one, `(0)` for one holding one element, `(d_dim)` per axis. A per-axis
/// parameter with no `dim` is not supported (std::nullopt).
std::optional<AffineMap> getParamMap(MLIRContext *ctx, unsigned numDims,
                                     Value param,
                                     std::optional<unsigned> dim) {
  auto type = dyn_cast<RankedTensorType>(param.getType());
  if (!type || type.getRank() > 1)
    return std::nullopt;
  if (type.getRank() == 0)
    return AffineMap::get(numDims, 0, {}, ctx);
  if (!isPerAxis(param))
    return AffineMap::get(numDims, 0, {getAffineConstantExpr(0, ctx)}, ctx);
  if (!dim)
    return std::nullopt;
  return AffineMap::get(numDims, 0, {getAffineDimExpr(*dim, ctx)}, ctx);
}

/// Appends the quantization parameters `params` (scales, zero points; null
/// ones are skipped) to `inputs` and their maps in a `numDims` loop nest to
/// `maps`, each per tensor or along its loop (see getParamMap). Fails on a
/// parameter that is neither.
LogicalResult
appendParams(MLIRContext *ctx, unsigned numDims,
             ArrayRef<std::pair<Value, std::optional<unsigned>>> params,
             SmallVectorImpl<Value> &inputs, SmallVectorImpl<AffineMap> &maps) {
  for (auto [param, dim] : params) {
    if (!param)
      continue;
    std::optional<AffineMap> map = getParamMap(ctx, numDims, param, dim);
    if (!map)
      return failure();
    inputs.push_back(param);
    maps.push_back(*map);
  }
  return success();
}

bool allRanked(ValueRange values) {
  return llvm::all_of(
      values, [](Value v) { return !v || isa<RankedTensorType>(v.getType()); });
}

//===----------------------------------------------------------------------===//
// QuantizeLinear / DequantizeLinear
//===----------------------------------------------------------------------===//

/// The operands of QuantizeLinear / DequantizeLinear as their generic reads
/// them: x, the scale and the zero point (if any) with their maps.
struct QuantOperands {
  RankedTensorType xType, resultType;
  SmallVector<Value> inputs;
  SmallVector<AffineMap> maps;
};

/// Matches the (converted) x, scale and zero point (possibly null) of `op`:
/// ranked, the scale and zero point per tensor or along `axisAttr`.
FailureOr<QuantOperands> matchQuantOperands(Operation *op,
                                            const TypeConverter *converter,
                                            Value x, Value scale, Value zp,
                                            int64_t axisAttr,
                                            RewriterBase &rewriter) {
  QuantOperands q;
  q.resultType = getConvertedRankedType(converter, op->getResult(0).getType());
  q.xType = dyn_cast<RankedTensorType>(x.getType());
  if (!q.resultType || !q.xType || !allRanked({scale, zp}))
    return rewriter.notifyMatchFailure(op, "unranked operands");
  MLIRContext *ctx = op->getContext();
  int64_t rank = q.xType.getRank();
  std::optional<unsigned> axis;
  int64_t normalized = normalizeAxis(axisAttr, rank);
  if (normalized >= 0 && normalized < rank)
    axis = static_cast<unsigned>(normalized);
  q.inputs.push_back(x);
  q.maps.push_back(AffineMap::getMultiDimIdentityMap(rank, ctx));
  if (failed(appendParams(ctx, rank, {{scale, axis}, {zp, axis}}, q.inputs,
                          q.maps)))
    return rewriter.notifyMatchFailure(
        op, "scale / zero point neither per tensor nor per axis");
  return q;
}

struct QuantizeLinearLowering : OpConversionPattern<QuantizeLinearOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(QuantizeLinearOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    Value x = adaptor.getX(), scale = adaptor.getYScale(),
          zp = adaptor.getYZeroPoint();
    FailureOr<QuantOperands> q = matchQuantOperands(
        op, getTypeConverter(), x, scale, zp, op.getAxis(), rewriter);
    if (failed(q))
      return failure();
    auto outType = cast<IntegerType>(
        getStorageTypeOrSelf(getElementTypeOrSelf(op.getY().getType())));
    Type xElem = getElementTypeOrSelf(op.getX().getType());
    Type scaleElem = cast<RankedTensorType>(scale.getType()).getElementType();
    // The division happens in numpy's type for x / scale: the wider float,
    // f64 for an integer x.
    FloatType computeType = isa<FloatType>(xElem)
                                ? widerFloat(xElem, scaleElem)
                                : FloatType(rewriter.getF64Type());
    bool zpUnsigned = zp && isUnsigned(op.getYZeroPoint().getType());
    Value result = buildParallelGeneric(
        rewriter, loc, q->resultType, getDims(rewriter, loc, x), q->inputs,
        q->maps, [&](OpBuilder &b, Location l, ValueRange args) -> Value {
          Value xv = isa<FloatType>(xElem)
                         ? castFloat(b, l, args[0], computeType)
                         : intToFloat(b, l, args[0], isUnsigned(xElem),
                                      computeType);
          Value sv = castFloat(b, l, args[1], computeType);
          Value scaled = arith::DivFOp::create(b, l, xv, sv);
          return roundAddSaturate(b, l, scaled, zp ? args[2] : Value(),
                                  zpUnsigned, outType);
        });
    rewriter.replaceOp(op, result);
    return success();
  }
};

struct DequantizeLinearLowering : OpConversionPattern<DequantizeLinearOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(DequantizeLinearOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    Value x = adaptor.getX(), scale = adaptor.getXScale(),
          zp = adaptor.getXZeroPoint();
    FailureOr<QuantOperands> q = matchQuantOperands(
        op, getTypeConverter(), x, scale, zp, op.getAxis(), rewriter);
    if (failed(q))
      return failure();
    Type xElem = q->xType.getElementType();
    if (!isa<IntegerType>(xElem) || xElem.getIntOrFloatBitWidth() > 32)
      return rewriter.notifyMatchFailure(op, "x is not an 8..32-bit integer");
    bool xUnsigned = isUnsigned(op.getX().getType());
    bool zpUnsigned = zp && isUnsigned(op.getXZeroPoint().getType());
    auto outFloat = cast<FloatType>(q->resultType.getElementType());
    // Products of an 8-bit integer and a narrow scale are exact in f32.
    FloatType computeType =
        outFloat.getWidth() < 32 ? rewriter.getF32Type() : outFloat;
    Value result = buildParallelGeneric(
        rewriter, loc, q->resultType, getDims(rewriter, loc, x), q->inputs,
        q->maps, [&](OpBuilder &b, Location l, ValueRange args) -> Value {
          Value xv = extendInt(b, l, args[0], xUnsigned);
          if (zp)
            xv = arith::SubIOp::create(b, l, xv,
                                       extendInt(b, l, args[2], zpUnsigned));
          Value xf = arith::SIToFPOp::create(b, l, computeType, xv);
          Value sv = castFloat(b, l, args[1], computeType);
          Value y = arith::MulFOp::create(b, l, xf, sv);
          return castFloat(b, l, y, outFloat);
        });
    rewriter.replaceOp(op, result);
    return success();
  }
};

//===----------------------------------------------------------------------===//
// DynamicQuantizeLinear
//===----------------------------------------------------------------------===//

struct DynamicQuantizeLinearLowering
    : OpConversionPattern<DynamicQuantizeLinearOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(DynamicQuantizeLinearOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    Value x = adaptor.getX();
    auto xType = dyn_cast<RankedTensorType>(x.getType());
    auto yType =
        getConvertedRankedType(getTypeConverter(), op.getY().getType());
    auto scaleType =
        getConvertedRankedType(getTypeConverter(), op.getYScale().getType());
    auto zpType = getConvertedRankedType(getTypeConverter(),
                                         op.getYZeroPoint().getType());
    if (!xType || !yType || !scaleType || !zpType)
      return rewriter.notifyMatchFailure(op, "unranked operands");
    auto f32 = rewriter.getF32Type();
    auto outType = cast<IntegerType>(getElementTypeOrSelf(op.getY().getType()));
    auto [qmin, qmax] = intRange(outType);

    // max(0, max(x)) and min(0, min(x)): reductions over every dim that start
    // from 0.
    SmallVector<int64_t> all;
    for (int64_t d = 0; d < xType.getRank(); ++d)
      all.push_back(d);
    Value zero = createConstant(rewriter, loc, f32, 0.0);
    Value maxT = buildReduction(
        rewriter, loc, x, all, zero,
        [](OpBuilder &b, Location l, Value e, Value acc) -> Value {
          return arith::MaximumFOp::create(b, l, e, acc);
        });
    Value minT = buildReduction(
        rewriter, loc, x, all, zero,
        [](OpBuilder &b, Location l, Value e, Value acc) -> Value {
          return arith::MinimumFOp::create(b, l, e, acc);
        });
    Value maxV = tensor::ExtractOp::create(rewriter, loc, maxT, ValueRange{});
    Value minV = tensor::ExtractOp::create(rewriter, loc, minT, ValueRange{});

    // scale = max == min ? 1 : (max - min) / (qmax - qmin)
    Value range = arith::SubFOp::create(rewriter, loc, maxV, minV);
    Value scale = arith::DivFOp::create(
        rewriter, loc, range, createConstant(rewriter, loc, f32, qmax - qmin));
    Value same = arith::CmpFOp::create(rewriter, loc, arith::CmpFPredicate::OEQ,
                                       maxV, minV);
    scale = arith::SelectOp::create(rewriter, loc, same,
                                    createConstant(rewriter, loc, f32, 1.0),
                                    scale);
    // zero point = roundeven(clamp(qmin - min / scale, qmin, qmax))
    Value initialZp = arith::SubFOp::create(
        rewriter, loc, createConstant(rewriter, loc, f32, qmin),
        arith::DivFOp::create(rewriter, loc, minV, scale));
    Value clamped = clampToRange(rewriter, loc, initialZp, outType);
    Value zpF = math::RoundEvenOp::create(rewriter, loc, clamped);
    Value zpI = inRangeToInt(rewriter, loc, zpF, outType);

    Value y = buildElementwise(
        rewriter, loc, yType, ValueRange{x},
        [&](OpBuilder &b, Location l, ValueRange args) -> Value {
          Value scaled = arith::DivFOp::create(b, l, args[0], scale);
          Value r = math::RoundEvenOp::create(b, l, scaled);
          r = arith::AddFOp::create(b, l, r, zpF);
          return saturateToInt(b, l, r, outType);
        });
    Value scaleOut =
        tensor::FromElementsOp::create(rewriter, loc, scaleType, scale);
    Value zpOut = tensor::FromElementsOp::create(rewriter, loc, zpType, zpI);
    rewriter.replaceOp(op, ValueRange{y, scaleOut, zpOut});
    return success();
  }
};

//===----------------------------------------------------------------------===//
// Integer matmul (MatMulInteger, QLinearMatMul)
//===----------------------------------------------------------------------===//

/// One integer operand of a contraction with its zero point (null when
/// absent) and their original signedness.
struct IntOperand {
  Value value, zeroPoint;
  bool isUnsignedValue = false, isUnsignedZeroPoint = false;
};

/// The operand `value` with `zeroPoint` (converted values, the zero point
/// possibly null) and the signedness of their original values `orig` /
/// `origZeroPoint`.
IntOperand getIntOperand(Value value, Value zeroPoint, Value orig,
                         Value origZeroPoint) {
  return {value, zeroPoint, isUnsigned(orig.getType()),
          origZeroPoint && isUnsigned(origZeroPoint.getType())};
}

/// The body of an integer contraction: acc + (a - a_zp) * (b - b_zp) in i32.
/// `args` holds a, b, then the zero points that are present, then acc.
Value integerMac(OpBuilder &b, Location loc, ValueRange args,
                 const IntOperand &lhs, const IntOperand &rhs) {
  unsigned next = 2;
  Value av = extendInt(b, loc, args[0], lhs.isUnsignedValue);
  Value bv = extendInt(b, loc, args[1], rhs.isUnsignedValue);
  if (lhs.zeroPoint)
    av = arith::SubIOp::create(
        b, loc, av, extendInt(b, loc, args[next++], lhs.isUnsignedZeroPoint));
  if (rhs.zeroPoint)
    bv = arith::SubIOp::create(
        b, loc, bv, extendInt(b, loc, args[next++], rhs.isUnsignedZeroPoint));
  return multiplyAccumulate(b, loc, av, bv, args.back());
}

/// sum_k (A - a_zp) * (B - b_zp) as an i32 tensor of `accType`, A / B with
/// numpy matmul semantics; a_zp per row (M), b_zp per column (N).
FailureOr<Value> buildIntegerMatmul(OpBuilder &b, Location loc,
                                    const IntOperand &lhs,
                                    const IntOperand &rhs,
                                    RankedTensorType accType) {
  MLIRContext *ctx = b.getContext();
  auto aType = cast<RankedTensorType>(lhs.value.getType());
  auto bType = cast<RankedTensorType>(rhs.value.getType());
  MatmulLayout l = MatmulLayout::get(aType, bType, accType);
  auto [aMap, bMap] = l.getOperandMaps(ctx, aType, bType, accType);
  SmallVector<Value> inputs = {lhs.value, rhs.value};
  SmallVector<AffineMap> maps = {aMap, bMap};
  if (failed(appendParams(ctx, l.getNumLoops(),
                          {{lhs.zeroPoint, l.mPos}, {rhs.zeroPoint, l.nPos}},
                          inputs, maps)))
    return failure();
  maps.push_back(l.getResultMap(ctx));
  SmallVector<OpFoldResult> dims =
      l.getResultDims(b, loc, lhs.value, rhs.value, accType);
  Value init = createZeroFilled(b, loc, accType, dims);
  return linalg::GenericOp::create(
             b, loc, TypeRange{accType}, inputs, ValueRange{init}, maps,
             l.getIteratorTypes(),
             [&](OpBuilder &nb, Location nl, ValueRange args) {
               linalg::YieldOp::create(nb, nl,
                                       integerMac(nb, nl, args, lhs, rhs));
             })
      .getResult(0);
}

struct MatMulIntegerLowering : OpConversionPattern<MatMulIntegerOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(MatMulIntegerOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    auto resultType = getConvertedRankedType(getTypeConverter(), op.getType());
    if (!resultType || !allRanked(adaptor.getOperands()))
      return rewriter.notifyMatchFailure(op, "unranked operands");
    IntOperand lhs = getIntOperand(adaptor.getA(), adaptor.getAZeroPoint(),
                                   op.getA(), op.getAZeroPoint());
    IntOperand rhs = getIntOperand(adaptor.getB(), adaptor.getBZeroPoint(),
                                   op.getB(), op.getBZeroPoint());
    FailureOr<Value> acc =
        buildIntegerMatmul(rewriter, op.getLoc(), lhs, rhs, resultType);
    if (failed(acc))
      return rewriter.notifyMatchFailure(
          op, "zero point neither per tensor nor per row / column");
    rewriter.replaceOp(op, *acc);
    return success();
  }
};

/// The requantization of an i32 accumulator:
/// saturate(roundeven(float(acc [+ bias]) * (in_scale * w_scale / y_scale))
/// + y_zp), in f32. `args` holds acc, [bias], in_scale, w_scale, y_scale,
/// y_zp.
Value requantize(OpBuilder &b, Location loc, ValueRange args, bool hasBias,
                 bool yZpUnsigned, IntegerType outType) {
  FloatType f32 = b.getF32Type();
  unsigned i = 0;
  Value acc = args[i++];
  if (hasBias)
    acc = arith::AddIOp::create(b, loc, acc, args[i++]);
  Value inScale = castFloat(b, loc, args[i++], f32);
  Value wScale = castFloat(b, loc, args[i++], f32);
  Value yScale = castFloat(b, loc, args[i++], f32);
  Value yZp = args[i++];
  Value multiplier = arith::DivFOp::create(
      b, loc, arith::MulFOp::create(b, loc, inScale, wScale), yScale);
  Value accF = arith::SIToFPOp::create(b, loc, f32, acc);
  Value scaled = arith::MulFOp::create(b, loc, accF, multiplier);
  return roundAddSaturate(b, loc, scaled, yZp, yZpUnsigned, outType);
}

/// The output of QLinearMatMul / QLinearConv: `requantize` over `inputs`
/// (the i32 accumulator first, then as `requantize` expects) read through
/// `maps`, into a `resultType` tensor.
Value buildRequantization(OpBuilder &b, Location loc,
                          RankedTensorType resultType, ValueRange inputs,
                          ArrayRef<AffineMap> maps, bool hasBias,
                          bool yZpUnsigned, IntegerType outType) {
  return buildParallelGeneric(
      b, loc, resultType, getDims(b, loc, inputs.front()), inputs, maps,
      [&](OpBuilder &nb, Location nl, ValueRange args) {
        return requantize(nb, nl, args, hasBias, yZpUnsigned, outType);
      });
}

struct QLinearMatMulLowering : OpConversionPattern<QLinearMatMulOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(QLinearMatMulOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    MLIRContext *ctx = getContext();
    auto resultType = getConvertedRankedType(getTypeConverter(), op.getType());
    if (!resultType || !allRanked(adaptor.getOperands()))
      return rewriter.notifyMatchFailure(op, "unranked operands");
    IntOperand lhs = getIntOperand(adaptor.getA(), adaptor.getAZeroPoint(),
                                   op.getA(), op.getAZeroPoint());
    IntOperand rhs = getIntOperand(adaptor.getB(), adaptor.getBZeroPoint(),
                                   op.getB(), op.getBZeroPoint());
    auto accType =
        RankedTensorType::get(resultType.getShape(), rewriter.getI32Type());
    FailureOr<Value> acc = buildIntegerMatmul(rewriter, loc, lhs, rhs, accType);
    if (failed(acc))
      return rewriter.notifyMatchFailure(
          op, "zero point neither per tensor nor per row / column");

    // a_scale per row, b_scale per column, y_scale / y_zp per row.
    MatmulLayout l = MatmulLayout::get(
        cast<RankedTensorType>(lhs.value.getType()),
        cast<RankedTensorType>(rhs.value.getType()), resultType);
    SmallVector<Value> inputs = {*acc};
    SmallVector<AffineMap> maps = {
        AffineMap::getMultiDimIdentityMap(l.rank, ctx)};
    if (failed(appendParams(ctx, l.rank,
                            {{adaptor.getAScale(), l.mPos},
                             {adaptor.getBScale(), l.nPos},
                             {adaptor.getYScale(), l.mPos},
                             {adaptor.getYZeroPoint(), l.mPos}},
                            inputs, maps)))
      return rewriter.notifyMatchFailure(
          op, "scale / zero point neither per tensor nor per row / column");
    auto outType = cast<IntegerType>(getElementTypeOrSelf(op.getY().getType()));
    bool yZpUnsigned = isUnsigned(op.getYZeroPoint().getType());
    Value result = buildRequantization(rewriter, loc, resultType, inputs, maps,
                                       /*hasBias=*/false, yZpUnsigned, outType);
    rewriter.replaceOp(op, result);
    return success();
  }
};

//===----------------------------------------------------------------------===//
// Integer convolution (ConvInteger, QLinearConv)
//===----------------------------------------------------------------------===//

/// The static geometry of an N-D convolution: per spatial dim the kernel
/// size, stride, dilation and begin / end padding.
struct ConvGeometry {
  SmallVector<int64_t> kernel, strides, dilations, padBegin, padEnd;
};

FailureOr<ConvGeometry>
getConvGeometry(OpBuilder &b, Location loc, RankedTensorType xType,
                RankedTensorType wType, StringRef autoPad,
                std::optional<ArrayRef<int64_t>> kernelAttr,
                std::optional<ArrayRef<int64_t>> padsAttr,
                std::optional<ArrayRef<int64_t>> stridesAttr,
                std::optional<ArrayRef<int64_t>> dilationsAttr) {
  int64_t spatial = xType.getRank() - 2;
  if (spatial < 1 || wType.getRank() != xType.getRank())
    return failure();
  ConvGeometry g;
  for (int64_t i = 0; i < spatial; ++i) {
    int64_t k = wType.getDimSize(2 + i);
    if (kernelAttr && static_cast<int64_t>(kernelAttr->size()) == spatial)
      k = (*kernelAttr)[i];
    if (ShapedType::isDynamic(k))
      return failure();
    g.kernel.push_back(k);
  }
  auto perDim = [&](std::optional<ArrayRef<int64_t>> attr,
                    SmallVector<int64_t> &out) -> LogicalResult {
    if (!attr || attr->empty()) {
      out.assign(spatial, 1);
      return success();
    }
    if (static_cast<int64_t>(attr->size()) != spatial)
      return failure();
    out.assign(attr->begin(), attr->end());
    return success();
  };
  if (failed(perDim(stridesAttr, g.strides)) ||
      failed(perDim(dilationsAttr, g.dilations)))
    return failure();
  g.padBegin.assign(spatial, 0);
  g.padEnd.assign(spatial, 0);
  if (autoPad == "NOTSET") {
    if (padsAttr && !padsAttr->empty()) {
      if (static_cast<int64_t>(padsAttr->size()) != 2 * spatial)
        return failure();
      for (int64_t i = 0; i < spatial; ++i) {
        g.padBegin[i] = (*padsAttr)[i];
        g.padEnd[i] = (*padsAttr)[spatial + i];
      }
    }
  } else if (autoPad == "SAME_UPPER" || autoPad == "SAME_LOWER") {
    // Static input sizes, so the pads fold to constants.
    IndexMath m(b, loc);
    for (int64_t i = 0; i < spatial; ++i) {
      int64_t in = xType.getDimSize(2 + i);
      if (ShapedType::isDynamic(in))
        return failure();
      SamePadding pad =
          getSamePadding(m, m.cst(in), g.strides[i],
                         getWindowExtent(g.kernel[i], g.dilations[i]),
                         autoPad == "SAME_UPPER");
      g.padBegin[i] = *getConstantIntValue(pad.lo);
      g.padEnd[i] = *getConstantIntValue(pad.hi);
    }
  } else if (autoPad != "VALID") {
    return failure();
  }
  return g;
}

/// `x` padded with its (per-tensor) zero point `zp`, so that padded taps
/// contribute 0, or with 0 without one; `x` itself without padding.
Value padInput(OpBuilder &b, Location loc, Value x, const ConvGeometry &g,
               Value zp) {
  bool any = llvm::any_of(g.padBegin, [](int64_t p) { return p != 0; }) ||
             llvm::any_of(g.padEnd, [](int64_t p) { return p != 0; });
  if (!any)
    return x;
  auto xType = cast<RankedTensorType>(x.getType());
  Value padValue = zp ? extractSingleElement(b, loc, zp)
                      : createConstant(b, loc, xType.getElementType(), 0.0);
  IndexMath m(b, loc);
  SmallVector<OpFoldResult> xDims = getDims(b, loc, x);
  SmallVector<OpFoldResult> dims(xDims), offsets(xType.getRank(), m.cst(0));
  for (size_t i = 0; i < g.padBegin.size(); ++i) {
    offsets[2 + i] = m.cst(g.padBegin[i]);
    dims[2 + i] = m.add(xDims[2 + i], g.padBegin[i] + g.padEnd[i]);
  }
  Value filled = fillTensor(
      b, loc, getTypeFromDims(dims, xType.getElementType()), dims, padValue);
  SmallVector<OpFoldResult> strides(xType.getRank(), m.cst(1));
  return tensor::InsertSliceOp::create(b, loc, x, filled, offsets, xDims,
                                       strides);
}

/// The dims of the convolution result [N, M, O...].
SmallVector<OpFoldResult> getConvDims(OpBuilder &b, Location loc, Value x,
                                      Value w, const ConvGeometry &g,
                                      RankedTensorType resultType) {
  SmallVector<OpFoldResult> dims;
  for (int64_t d = 0; d < resultType.getRank(); ++d) {
    if (!resultType.isDynamicDim(d)) {
      dims.push_back(b.getIndexAttr(resultType.getDimSize(d)));
      continue;
    }
    if (d == 0) {
      dims.push_back(tensor::getMixedSize(b, loc, x, 0));
      continue;
    }
    if (d == 1) {
      dims.push_back(tensor::getMixedSize(b, loc, w, 0));
      continue;
    }
    int64_t i = d - 2;
    IndexMath m(b, loc);
    dims.push_back(getWindowOutputSize(
        m, tensor::getMixedSize(b, loc, x, d), m.cst(g.padBegin[i]),
        m.cst(g.padEnd[i]), g.strides[i],
        getWindowExtent(g.kernel[i], g.dilations[i]), /*ceilMode=*/false));
  }
  return dims;
}

/// sum_{c,k} (X_padded - x_zp) * (W - w_zp) as an i32 [N, M, O...] tensor,
/// grouped; w_zp per output channel.
FailureOr<Value> buildIntegerConv(OpBuilder &b, Location loc,
                                  const IntOperand &x, const IntOperand &w,
                                  int64_t group, const ConvGeometry &g,
                                  RankedTensorType accType) {
  MLIRContext *ctx = b.getContext();
  auto wType = cast<RankedTensorType>(w.value.getType());
  int64_t mTotal = wType.getDimSize(0), cPerGroup = wType.getDimSize(1);
  if (group != 1 &&
      (ShapedType::isDynamic(mTotal) || ShapedType::isDynamic(cPerGroup) ||
       group <= 0 || mTotal % group != 0))
    return failure();
  ConvContraction conv =
      getConvContraction(ctx, group, group != 1 ? mTotal / group : mTotal,
                         cPerGroup, g.strides, g.dilations);
  // The x zero point is per tensor: it is also the padding value.
  if (x.zeroPoint && isPerAxis(x.zeroPoint))
    return failure();
  Value padded = padInput(b, loc, x.value, g, x.zeroPoint);

  SmallVector<Value> inputs = {padded, w.value};
  SmallVector<AffineMap> maps = {conv.input, conv.weight};
  if (failed(appendParams(ctx, conv.numLoops,
                          {{x.zeroPoint, std::nullopt}, {w.zeroPoint, 1}},
                          inputs, maps)))
    return failure();
  maps.push_back(conv.output);
  SmallVector<OpFoldResult> dims =
      getConvDims(b, loc, x.value, w.value, g, accType);
  Value init = createZeroFilled(b, loc, accType, dims);
  IntOperand xPadded = x;
  xPadded.value = padded;
  return linalg::GenericOp::create(
             b, loc, TypeRange{accType}, inputs, ValueRange{init}, maps,
             conv.iterators,
             [&](OpBuilder &nb, Location nl, ValueRange args) {
               linalg::YieldOp::create(nb, nl,
                                       integerMac(nb, nl, args, xPadded, w));
             })
      .getResult(0);
}

template <typename ConvOp>
FailureOr<ConvGeometry> getGeometry(OpBuilder &b, ConvOp op, Value x, Value w) {
  auto xType = dyn_cast<RankedTensorType>(x.getType());
  auto wType = dyn_cast<RankedTensorType>(w.getType());
  if (!xType || !wType)
    return failure();
  return getConvGeometry(b, op.getLoc(), xType, wType, op.getAutoPad(),
                         op.getKernelShape(), op.getPads(), op.getStrides(),
                         op.getDilations());
}

struct ConvIntegerLowering : OpConversionPattern<ConvIntegerOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(ConvIntegerOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    auto resultType = getConvertedRankedType(getTypeConverter(), op.getType());
    if (!resultType || !allRanked(adaptor.getOperands()))
      return rewriter.notifyMatchFailure(op, "unranked operands");
    FailureOr<ConvGeometry> g =
        getGeometry(rewriter, op, adaptor.getX(), adaptor.getW());
    if (failed(g))
      return rewriter.notifyMatchFailure(op, "unsupported conv geometry");
    IntOperand x = getIntOperand(adaptor.getX(), adaptor.getXZeroPoint(),
                                 op.getX(), op.getXZeroPoint());
    IntOperand w = getIntOperand(adaptor.getW(), adaptor.getWZeroPoint(),
                                 op.getW(), op.getWZeroPoint());
    FailureOr<Value> acc = buildIntegerConv(rewriter, op.getLoc(), x, w,
                                            op.getGroup(), *g, resultType);
    if (failed(acc))
      return rewriter.notifyMatchFailure(
          op, "unsupported groups or zero point shapes");
    rewriter.replaceOp(op, *acc);
    return success();
  }
};

struct QLinearConvLowering : OpConversionPattern<QLinearConvOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(QLinearConvOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    MLIRContext *ctx = getContext();
    auto resultType = getConvertedRankedType(getTypeConverter(), op.getType());
    if (!resultType || !allRanked(adaptor.getOperands()))
      return rewriter.notifyMatchFailure(op, "unranked operands");
    FailureOr<ConvGeometry> g =
        getGeometry(rewriter, op, adaptor.getX(), adaptor.getW());
    if (failed(g))
      return rewriter.notifyMatchFailure(op, "unsupported conv geometry");
    IntOperand x = getIntOperand(adaptor.getX(), adaptor.getXZeroPoint(),
                                 op.getX(), op.getXZeroPoint());
    IntOperand w = getIntOperand(adaptor.getW(), adaptor.getWZeroPoint(),
                                 op.getW(), op.getWZeroPoint());
    auto accType =
        RankedTensorType::get(resultType.getShape(), rewriter.getI32Type());
    FailureOr<Value> acc =
        buildIntegerConv(rewriter, loc, x, w, op.getGroup(), *g, accType);
    if (failed(acc))
      return rewriter.notifyMatchFailure(
          op, "unsupported groups or zero point shapes");

    // bias and w_scale per output channel (dim 1), the rest per tensor.
    int64_t rank = resultType.getRank();
    SmallVector<Value> inputs = {*acc};
    SmallVector<AffineMap> maps = {AffineMap::getMultiDimIdentityMap(rank, ctx)};
    Value bias = adaptor.getB();
    if (bias) {
      auto biasType = cast<RankedTensorType>(bias.getType());
      if (biasType.getRank() != 1)
        return rewriter.notifyMatchFailure(op, "bias is not 1-D");
      inputs.push_back(bias);
      maps.push_back(AffineMap::get(
          rank, 0,
          {biasType.getDimSize(0) == 1 && resultType.getDimSize(1) != 1
               ? getAffineConstantExpr(0, ctx)
               : getAffineDimExpr(1, ctx)},
          ctx));
    }
    if (failed(appendParams(ctx, rank,
                            {{adaptor.getXScale(), std::nullopt},
                             {adaptor.getWScale(), 1},
                             {adaptor.getYScale(), std::nullopt},
                             {adaptor.getYZeroPoint(), std::nullopt}},
                            inputs, maps)))
      return rewriter.notifyMatchFailure(
          op, "scale / zero point neither per tensor nor per channel");
    auto outType = cast<IntegerType>(getElementTypeOrSelf(op.getY().getType()));
    bool yZpUnsigned = isUnsigned(op.getYZeroPoint().getType());
    Value result =
        buildRequantization(rewriter, loc, resultType, inputs, maps,
                            /*hasBias=*/bias != nullptr, yZpUnsigned, outType);
    rewriter.replaceOp(op, result);
    return success();
  }
};

//===----------------------------------------------------------------------===//
// Weight-only: DequantizeGroupwise, LookupCodebook
//===----------------------------------------------------------------------===//

/// Code `k` (along `axis`) of column / row `n` of the packed `codes`, as an
/// i32 in [0, 2^bits).
Value extractPackedCode(OpBuilder &b, Location loc, Value codes, Value k,
                        Value n, int64_t bits, int64_t axis) {
  Value perByte = arith::ConstantIndexOp::create(b, loc, 8 / bits);
  Value byteIndex = arith::DivUIOp::create(b, loc, k, perByte);
  Value position = arith::RemUIOp::create(b, loc, k, perByte);
  SmallVector<Value> index = {byteIndex, n};
  if (axis == 1)
    std::swap(index[0], index[1]);
  Value byte = tensor::ExtractOp::create(b, loc, codes, index);
  Type i32 = b.getI32Type();
  Value wide = arith::ExtUIOp::create(b, loc, i32, byte);
  Value shift = arith::MulIOp::create(
      b, loc, arith::IndexCastOp::create(b, loc, i32, position),
      arith::ConstantIntOp::create(b, loc, i32, bits));
  Value shifted = arith::ShRUIOp::create(b, loc, wide, shift);
  return arith::AndIOp::create(
      b, loc, shifted,
      arith::ConstantIntOp::create(b, loc, i32, (int64_t(1) << bits) - 1));
}

/// The packed weight-only ops: one index generic over the weight whose
/// element (k, n) Derived::buildElement computes from code(k, n).
template <typename OpT, typename Derived>
struct PackedWeightLowering : OpConversionPattern<OpT> {
  using OpConversionPattern<OpT>::OpConversionPattern;
  using OpAdaptor = typename OpT::Adaptor;
  LogicalResult
  matchAndRewrite(OpT op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    auto type = dyn_cast_or_null<RankedTensorType>(
        this->getTypeConverter()->convertType(op.getType()));
    if (!type)
      return rewriter.notifyMatchFailure(op, "unsupported result type");
    int64_t bits = op.getBits(), axis = op.getAxis();
    auto outFloat = cast<FloatType>(type.getElementType());
    Value result = buildIndexGeneric(
        rewriter, op.getLoc(), type, getDims(rewriter, op.getLoc(), op.getY()),
        [&](OpBuilder &b, Location l, ArrayRef<Value> ivs) -> Value {
          Value k = ivs[axis], n = ivs[1 - axis];
          Value code =
              extractPackedCode(b, l, adaptor.getCodes(), k, n, bits, axis);
          Value y = Derived::buildElement(b, l, op, adaptor, k, n, code);
          return castFloat(b, l, y, outFloat);
        });
    rewriter.replaceOp(op, result);
    return success();
  }
};

/// (code - zero point) * scale of the code's group: the zero point from
/// zero_points, or 2^(bits - 1).
struct DequantizeGroupwiseLowering
    : PackedWeightLowering<DequantizeGroupwiseOp,
                           DequantizeGroupwiseLowering> {
  using PackedWeightLowering::PackedWeightLowering;
  static Value buildElement(OpBuilder &b, Location l, DequantizeGroupwiseOp op,
                            DequantizeGroupwiseOp::Adaptor adaptor, Value k,
                            Value n, Value code) {
    int64_t group = op.getGroupSize(), bits = op.getBits();
    Value g = arith::DivUIOp::create(
        b, l, k, arith::ConstantIndexOp::create(b, l, group));
    SmallVector<Value> at = {g, n};
    if (op.getAxis() == 1)
      std::swap(at[0], at[1]);
    FloatType f32 = b.getF32Type();
    Value scale = castFloat(
        b, l, tensor::ExtractOp::create(b, l, adaptor.getScales(), at), f32);
    Value zp = adaptor.getZeroPoints()
                   ? castFloat(b, l,
                               tensor::ExtractOp::create(
                                   b, l, adaptor.getZeroPoints(), at),
                               f32)
                   : arith::ConstantOp::create(
                         b, l, b.getF32FloatAttr(double(1 << (bits - 1))));
    Value codeF = arith::SIToFPOp::create(b, l, f32, code);
    return arith::MulFOp::create(b, l, arith::SubFOp::create(b, l, codeF, zp),
                                 scale);
  }
};

/// codebook[n, code].
struct LookupCodebookLowering
    : PackedWeightLowering<LookupCodebookOp, LookupCodebookLowering> {
  using PackedWeightLowering::PackedWeightLowering;
  static Value buildElement(OpBuilder &b, Location l, LookupCodebookOp,
                            LookupCodebookOp::Adaptor adaptor, Value,
                            Value n, Value code) {
    Value index = arith::IndexCastOp::create(b, l, b.getIndexType(), code);
    return tensor::ExtractOp::create(b, l, adaptor.getCodebook(),
                                     ValueRange{n, index});
  }
};

/// qopt.observe computes nothing: its operand replaces it.
struct ObserveLowering : OpConversionPattern<ObserveOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(ObserveOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    rewriter.replaceOp(op, adaptor.getX());
    return success();
  }
};

/// quant.scast between storage integers and `!quant.uniform` (how
/// qopt-quantize types its constant weights) is the identity on storage.
struct StorageCastLowering : OpConversionPattern<quant::StorageCastOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(quant::StorageCastOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Type type = getTypeConverter()->convertType(op.getType());
    if (!type || type != adaptor.getInput().getType())
      return rewriter.notifyMatchFailure(op, "not a storage cast");
    rewriter.replaceOp(op, adaptor.getInput());
    return success();
  }
};

} // namespace

void mlir::qopt::populateQOptQuantizationToLinalgPatterns(
    const TypeConverter &converter, RewritePatternSet &patterns) {
  patterns.add<QuantizeLinearLowering, DequantizeLinearLowering,
               DynamicQuantizeLinearLowering, MatMulIntegerLowering,
               QLinearMatMulLowering, ConvIntegerLowering,
               QLinearConvLowering, DequantizeGroupwiseLowering,
               LookupCodebookLowering, ObserveLowering, StorageCastLowering>(
      converter, patterns.getContext());
}
