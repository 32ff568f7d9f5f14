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
//
// Scales and zero points are tensors read by the generics through indexing
// maps: a scalar (or one-element) one per tensor, a 1-D one along its axis
// (QuantizeLinear / DequantizeLinear `axis`, the rows of A and of Y and the
// columns of B for the matmuls, the output channels for the convolutions).
//
//===----------------------------------------------------------------------===//

#include "Utils.h"

#include "qopt/Conversion/QOptToLinalg/QOptToLinalg.h"
#include "qopt/Dialect/QOpt/IR/QOptDialect.h"

#include "mlir/Dialect/Arith/Utils/Utils.h"
#include "mlir/Dialect/Math/IR/Math.h"

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

/// Reads the single value of a per-tensor parameter (rank 0 or one element).
Value extractScalar(OpBuilder &b, Location loc, Value param) {
  auto type = cast<RankedTensorType>(param.getType());
  SmallVector<Value> indices;
  if (type.getRank() == 1)
    indices.push_back(arith::ConstantIndexOp::create(b, loc, 0));
  return tensor::ExtractOp::create(b, loc, param, indices);
}

/// A generic over `resultType` (identity map for the output) whose inputs are
/// read through `maps`; `body` gets the input block arguments.
Value buildMapped(OpBuilder &b, Location loc, RankedTensorType resultType,
                  ArrayRef<OpFoldResult> dims, ValueRange inputs,
                  ArrayRef<AffineMap> maps, ScalarBuilder body) {
  Value init = createEmpty(b, loc, resultType, dims);
  SmallVector<AffineMap> allMaps(maps);
  allMaps.push_back(b.getMultiDimIdentityMap(resultType.getRank()));
  SmallVector<utils::IteratorType> iterators(resultType.getRank(),
                                             utils::IteratorType::parallel);
  return linalg::GenericOp::create(
             b, loc, TypeRange{resultType}, inputs, ValueRange{init}, allMaps,
             iterators,
             [&](OpBuilder &nb, Location nl, ValueRange args) {
               linalg::YieldOp::create(nb, nl, body(nb, nl, args.drop_back()));
             })
      .getResult(0);
}

/// An i32 tensor of `type` filled with 0.
Value zeroFilledI32(OpBuilder &b, Location loc, RankedTensorType type,
                    ArrayRef<OpFoldResult> dims) {
  Value empty = createEmpty(b, loc, type, dims);
  Value zero = createConstant(b, loc, type.getElementType(), 0.0);
  return linalg::FillOp::create(b, loc, zero, empty).getResult(0);
}

//===----------------------------------------------------------------------===//
// QuantizeLinear / DequantizeLinear
//===----------------------------------------------------------------------===//

/// Maps of (x, scale[, zero point]) for a per-tensor or per-axis op; fails
/// (std::nullopt) on unsupported parameter shapes.
std::optional<SmallVector<AffineMap>>
getQuantMaps(MLIRContext *ctx, RankedTensorType xType, Value scale, Value zp,
             int64_t axisAttr) {
  int64_t rank = xType.getRank();
  std::optional<unsigned> axis;
  int64_t normalized = normalizeAxis(axisAttr, rank);
  if (normalized >= 0 && normalized < rank)
    axis = static_cast<unsigned>(normalized);
  SmallVector<AffineMap> maps = {AffineMap::getMultiDimIdentityMap(rank, ctx)};
  for (Value param : {scale, zp}) {
    if (!param)
      continue;
    std::optional<AffineMap> map = getParamMap(ctx, rank, param, axis);
    if (!map)
      return std::nullopt;
    maps.push_back(*map);
  }
  return maps;
}

struct QuantizeLinearLowering : OpConversionPattern<QuantizeLinearOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(QuantizeLinearOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    Value x = adaptor.getX(), scale = adaptor.getYScale(),
          zp = adaptor.getYZeroPoint();
    auto resultType = dyn_cast_or_null<RankedTensorType>(
        getTypeConverter()->convertType(op.getType()));
    auto xType = dyn_cast<RankedTensorType>(x.getType());
    if (!resultType || !xType || !isa<RankedTensorType>(scale.getType()) ||
        (zp && !isa<RankedTensorType>(zp.getType())))
      return rewriter.notifyMatchFailure(op, "unranked operands");
    std::optional<SmallVector<AffineMap>> maps =
        getQuantMaps(getContext(), xType, scale, zp, op.getAxis());
    if (!maps)
      return rewriter.notifyMatchFailure(
          op, "scale / zero point neither per tensor nor per axis");
    auto outType =
        cast<IntegerType>(getElementTypeOrSelf(op.getY().getType()));
    Type xElem = getElementTypeOrSelf(op.getX().getType());
    Type scaleElem = cast<RankedTensorType>(scale.getType()).getElementType();
    // The division happens in numpy's type for x / scale: the wider float,
    // f64 for an integer x.
    FloatType computeType = isa<FloatType>(xElem)
                                ? widerFloat(xElem, scaleElem)
                                : FloatType(rewriter.getF64Type());
    bool zpUnsigned = zp && isUnsigned(op.getYZeroPoint().getType());
    SmallVector<Value> inputs = {x, scale};
    if (zp)
      inputs.push_back(zp);
    Value result = buildMapped(
        rewriter, loc, resultType, getDims(rewriter, loc, x), inputs, *maps,
        [&](OpBuilder &b, Location l, ValueRange args) -> Value {
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
    auto resultType = dyn_cast_or_null<RankedTensorType>(
        getTypeConverter()->convertType(op.getType()));
    auto xType = dyn_cast<RankedTensorType>(x.getType());
    if (!resultType || !xType || !isa<RankedTensorType>(scale.getType()) ||
        (zp && !isa<RankedTensorType>(zp.getType())))
      return rewriter.notifyMatchFailure(op, "unranked operands");
    if (!isa<IntegerType>(xType.getElementType()) ||
        xType.getElementType().getIntOrFloatBitWidth() > 32)
      return rewriter.notifyMatchFailure(op, "x is not an 8..32-bit integer");
    std::optional<SmallVector<AffineMap>> maps =
        getQuantMaps(getContext(), xType, scale, zp, op.getAxis());
    if (!maps)
      return rewriter.notifyMatchFailure(
          op, "scale / zero point neither per tensor nor per axis");
    bool xUnsigned = isUnsigned(op.getX().getType());
    bool zpUnsigned = zp && isUnsigned(op.getXZeroPoint().getType());
    auto outFloat = cast<FloatType>(resultType.getElementType());
    // Products of an 8-bit integer and a narrow scale are exact in f32.
    FloatType computeType =
        outFloat.getWidth() < 32 ? rewriter.getF32Type() : outFloat;
    SmallVector<Value> inputs = {x, scale};
    if (zp)
      inputs.push_back(zp);
    Value result = buildMapped(
        rewriter, loc, resultType, getDims(rewriter, loc, x), inputs, *maps,
        [&](OpBuilder &b, Location l, ValueRange args) -> Value {
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
    auto yType = dyn_cast_or_null<RankedTensorType>(
        getTypeConverter()->convertType(op.getY().getType()));
    auto scaleType = dyn_cast_or_null<RankedTensorType>(
        getTypeConverter()->convertType(op.getYScale().getType()));
    auto zpType = dyn_cast_or_null<RankedTensorType>(
        getTypeConverter()->convertType(op.getYZeroPoint().getType()));
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

/// The layout of a numpy matmul's loop nest: the result dims (batch..., M, N
/// without the ones a 1-D operand drops) and then the reduction dim K.
struct MatmulLayout {
  int64_t rank;     // result rank
  int64_t numBatch; // leading batch dims of the result
  bool aVec, bVec;  // 1-D operands
  std::optional<unsigned> mPos, nPos;
};

MatmulLayout getMatmulLayout(RankedTensorType aType, RankedTensorType bType,
                             RankedTensorType resultType) {
  MatmulLayout l;
  l.rank = resultType.getRank();
  l.aVec = aType.getRank() == 1;
  l.bVec = bType.getRank() == 1;
  l.numBatch = l.rank - (l.aVec ? 0 : 1) - (l.bVec ? 0 : 1);
  if (!l.aVec)
    l.mPos = l.numBatch;
  if (!l.bVec)
    l.nPos = l.numBatch + (l.aVec ? 0 : 1);
  return l;
}

/// The maps of A and B in the (result dims, k) loop nest, the batch dims
/// broadcast numpy-style.
std::pair<AffineMap, AffineMap> getMatmulMaps(MLIRContext *ctx,
                                              const MatmulLayout &l,
                                              RankedTensorType aType,
                                              RankedTensorType bType,
                                              RankedTensorType resultType) {
  unsigned numDims = l.rank + 1;
  AffineExpr k = getAffineDimExpr(l.rank, ctx);
  auto batch = [&](RankedTensorType type, int64_t matDims) {
    SmallVector<AffineExpr> exprs;
    int64_t own = type.getRank() - matDims;
    for (int64_t i = 0; i < own; ++i) {
      int64_t d = i + l.numBatch - own;
      bool broadcast =
          type.getDimSize(i) == 1 && resultType.getDimSize(d) != 1;
      exprs.push_back(broadcast ? getAffineConstantExpr(0, ctx)
                                : getAffineDimExpr(d, ctx));
    }
    return exprs;
  };
  SmallVector<AffineExpr> aExprs, bExprs;
  if (l.aVec) {
    aExprs = {k};
  } else {
    aExprs = batch(aType, 2);
    aExprs.append({getAffineDimExpr(*l.mPos, ctx), k});
  }
  if (l.bVec) {
    bExprs = {k};
  } else {
    bExprs = batch(bType, 2);
    bExprs.append({k, getAffineDimExpr(*l.nPos, ctx)});
  }
  return {AffineMap::get(numDims, 0, aExprs, ctx),
          AffineMap::get(numDims, 0, bExprs, ctx)};
}

/// The result dims of a numpy matmul of `a` and `b`.
SmallVector<OpFoldResult> getMatmulDims(OpBuilder &b, Location loc,
                                        const MatmulLayout &l, Value a,
                                        Value bv,
                                        RankedTensorType resultType) {
  auto aType = cast<RankedTensorType>(a.getType());
  auto bType = cast<RankedTensorType>(bv.getType());
  SmallVector<OpFoldResult> dims;
  for (int64_t d = 0; d < l.rank; ++d) {
    if (!resultType.isDynamicDim(d)) {
      dims.push_back(b.getIndexAttr(resultType.getDimSize(d)));
      continue;
    }
    Value size;
    if (l.mPos && d == *l.mPos) {
      size = tensor::DimOp::create(b, loc, a, aType.getRank() - 2);
    } else if (l.nPos && d == *l.nPos) {
      size = tensor::DimOp::create(b, loc, bv, bType.getRank() - 1);
    } else {
      for (auto [operand, type, matDims] :
           {std::tuple{a, aType, l.aVec ? 1 : 2},
            std::tuple{bv, bType, l.bVec ? 1 : 2}}) {
        int64_t own = type.getRank() - matDims;
        int64_t i = d - (l.numBatch - own);
        if (i < 0 || i >= own || type.getDimSize(i) == 1)
          continue;
        Value dim = tensor::DimOp::create(b, loc, operand, i);
        size = size ? arith::MaxUIOp::create(b, loc, size, dim).getResult()
                    : dim;
      }
      if (!size)
        size = arith::ConstantIndexOp::create(b, loc, 1);
    }
    dims.push_back(size);
  }
  return dims;
}

/// One integer operand of a contraction with its zero point (null when
/// absent) and their original signedness.
struct IntOperand {
  Value value, zeroPoint;
  bool isUnsignedValue = false, isUnsignedZeroPoint = false;
};

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
  Value product = arith::MulIOp::create(b, loc, av, bv);
  return arith::AddIOp::create(b, loc, args.back(), product);
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
  MatmulLayout l = getMatmulLayout(aType, bType, accType);
  auto [aMap, bMap] = getMatmulMaps(ctx, l, aType, bType, accType);
  SmallVector<Value> inputs = {lhs.value, rhs.value};
  SmallVector<AffineMap> maps = {aMap, bMap};
  for (auto [zp, dim] : {std::pair{lhs.zeroPoint, l.mPos},
                         std::pair{rhs.zeroPoint, l.nPos}}) {
    if (!zp)
      continue;
    std::optional<AffineMap> map = getParamMap(ctx, l.rank + 1, zp, dim);
    if (!map)
      return failure();
    inputs.push_back(zp);
    maps.push_back(*map);
  }
  maps.push_back(
      AffineMap::getMultiDimIdentityMap(l.rank + 1, ctx).getMajorSubMap(l.rank));
  SmallVector<OpFoldResult> dims =
      getMatmulDims(b, loc, l, lhs.value, rhs.value, accType);
  Value init = zeroFilledI32(b, loc, accType, dims);
  SmallVector<utils::IteratorType> iterators(l.rank,
                                             utils::IteratorType::parallel);
  iterators.push_back(utils::IteratorType::reduction);
  return linalg::GenericOp::create(
             b, loc, TypeRange{accType}, inputs, ValueRange{init}, maps,
             iterators,
             [&](OpBuilder &nb, Location nl, ValueRange args) {
               linalg::YieldOp::create(nb, nl,
                                       integerMac(nb, nl, args, lhs, rhs));
             })
      .getResult(0);
}

bool isRanked(Value v) { return !v || isa<RankedTensorType>(v.getType()); }

struct MatMulIntegerLowering : OpConversionPattern<MatMulIntegerOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(MatMulIntegerOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    auto resultType = dyn_cast_or_null<RankedTensorType>(
        getTypeConverter()->convertType(op.getType()));
    if (!resultType ||
        !llvm::all_of(adaptor.getOperands(), [](Value v) { return isRanked(v); }))
      return rewriter.notifyMatchFailure(op, "unranked operands");
    IntOperand lhs{adaptor.getA(), adaptor.getAZeroPoint(),
                   isUnsigned(op.getA().getType()),
                   op.getAZeroPoint() && isUnsigned(op.getAZeroPoint().getType())};
    IntOperand rhs{adaptor.getB(), adaptor.getBZeroPoint(),
                   isUnsigned(op.getB().getType()),
                   op.getBZeroPoint() && isUnsigned(op.getBZeroPoint().getType())};
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

struct QLinearMatMulLowering : OpConversionPattern<QLinearMatMulOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(QLinearMatMulOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    MLIRContext *ctx = getContext();
    auto resultType = dyn_cast_or_null<RankedTensorType>(
        getTypeConverter()->convertType(op.getType()));
    if (!resultType ||
        !llvm::all_of(adaptor.getOperands(), [](Value v) { return isRanked(v); }))
      return rewriter.notifyMatchFailure(op, "unranked operands");
    IntOperand lhs{adaptor.getA(), adaptor.getAZeroPoint(),
                   isUnsigned(op.getA().getType()),
                   isUnsigned(op.getAZeroPoint().getType())};
    IntOperand rhs{adaptor.getB(), adaptor.getBZeroPoint(),
                   isUnsigned(op.getB().getType()),
                   isUnsigned(op.getBZeroPoint().getType())};
    auto accType =
        RankedTensorType::get(resultType.getShape(), rewriter.getI32Type());
    FailureOr<Value> acc = buildIntegerMatmul(rewriter, loc, lhs, rhs, accType);
    if (failed(acc))
      return rewriter.notifyMatchFailure(
          op, "zero point neither per tensor nor per row / column");

    // a_scale per row, b_scale per column, y_scale / y_zp per row.
    MatmulLayout l = getMatmulLayout(cast<RankedTensorType>(lhs.value.getType()),
                                     cast<RankedTensorType>(rhs.value.getType()),
                                     resultType);
    SmallVector<Value> inputs = {*acc};
    SmallVector<AffineMap> maps = {
        AffineMap::getMultiDimIdentityMap(l.rank, ctx)};
    for (auto [param, dim] :
         {std::pair{adaptor.getAScale(), l.mPos},
          std::pair{adaptor.getBScale(), l.nPos},
          std::pair{adaptor.getYScale(), l.mPos},
          std::pair{adaptor.getYZeroPoint(), l.mPos}}) {
      std::optional<AffineMap> map = getParamMap(ctx, l.rank, param, dim);
      if (!map)
        return rewriter.notifyMatchFailure(
            op, "scale / zero point neither per tensor nor per row / column");
      inputs.push_back(param);
      maps.push_back(*map);
    }
    auto outType = cast<IntegerType>(getElementTypeOrSelf(op.getY().getType()));
    bool yZpUnsigned = isUnsigned(op.getYZeroPoint().getType());
    Value result = buildMapped(
        rewriter, loc, resultType, getDims(rewriter, loc, *acc), inputs, maps,
        [&](OpBuilder &b, Location nl, ValueRange args) {
          return requantize(b, nl, args, /*hasBias=*/false, yZpUnsigned,
                            outType);
        });
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
getConvGeometry(RankedTensorType xType, RankedTensorType wType,
                StringRef autoPad, std::optional<ArrayRef<int64_t>> kernelAttr,
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
    for (int64_t i = 0; i < spatial; ++i) {
      int64_t in = xType.getDimSize(2 + i);
      if (ShapedType::isDynamic(in))
        return failure();
      int64_t out = (in + g.strides[i] - 1) / g.strides[i];
      int64_t total = std::max<int64_t>(
          0, (out - 1) * g.strides[i] + (g.kernel[i] - 1) * g.dilations[i] +
                 1 - in);
      int64_t small = total / 2;
      g.padBegin[i] = autoPad == "SAME_UPPER" ? small : total - small;
      g.padEnd[i] = total - g.padBegin[i];
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
  Value padValue = zp ? extractScalar(b, loc, zp)
                      : createConstant(b, loc, xType.getElementType(), 0.0);
  SmallVector<OpFoldResult> xDims = getDims(b, loc, x);
  SmallVector<int64_t> shape(xType.getShape());
  SmallVector<OpFoldResult> dims(xDims), offsets(xType.getRank(),
                                                 b.getIndexAttr(0));
  for (size_t i = 0; i < g.padBegin.size(); ++i) {
    int64_t d = 2 + i, extra = g.padBegin[i] + g.padEnd[i];
    offsets[d] = b.getIndexAttr(g.padBegin[i]);
    if (!ShapedType::isDynamic(shape[d])) {
      shape[d] += extra;
      dims[d] = b.getIndexAttr(shape[d]);
    } else {
      dims[d] = arith::AddIOp::create(
                    b, loc, getValueOrCreateConstantIndexOp(b, loc, xDims[d]),
                    arith::ConstantIndexOp::create(b, loc, extra))
                    .getResult();
    }
  }
  auto paddedType = RankedTensorType::get(shape, xType.getElementType());
  Value empty = createEmpty(b, loc, paddedType, dims);
  Value filled = linalg::FillOp::create(b, loc, padValue, empty).getResult(0);
  SmallVector<OpFoldResult> strides(xType.getRank(), b.getIndexAttr(1));
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
    // (in + pads - dilation * (k - 1) - 1) / stride + 1
    int64_t i = d - 2;
    Value in = getValueOrCreateConstantIndexOp(
        b, loc, tensor::getMixedSize(b, loc, x, d));
    int64_t span = g.dilations[i] * (g.kernel[i] - 1) + 1;
    Value v = arith::AddIOp::create(
        b, loc, in,
        arith::ConstantIndexOp::create(
            b, loc, g.padBegin[i] + g.padEnd[i] - span));
    v = arith::DivSIOp::create(
        b, loc, v, arith::ConstantIndexOp::create(b, loc, g.strides[i]));
    v = arith::AddIOp::create(b, loc, v,
                              arith::ConstantIndexOp::create(b, loc, 1));
    dims.push_back(v);
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
  auto xType = cast<RankedTensorType>(x.value.getType());
  auto wType = cast<RankedTensorType>(w.value.getType());
  int64_t spatial = xType.getRank() - 2;
  // Loop nest: n, m, o_0.., c, k_0..
  unsigned numDims = 2 + spatial + 1 + spatial;
  AffineExpr n = getAffineDimExpr(0, ctx), m = getAffineDimExpr(1, ctx),
             c = getAffineDimExpr(2 + spatial, ctx);
  AffineExpr channel = c;
  if (group != 1) {
    int64_t mTotal = wType.getDimSize(0), cPerGroup = wType.getDimSize(1);
    if (ShapedType::isDynamic(mTotal) || ShapedType::isDynamic(cPerGroup) ||
        group <= 0 || mTotal % group != 0)
      return failure();
    channel = m.floorDiv(mTotal / group) * cPerGroup + c;
  }
  SmallVector<AffineExpr> xExprs = {n, channel}, wExprs = {m, c},
                          outExprs = {n, m};
  for (int64_t i = 0; i < spatial; ++i) {
    AffineExpr o = getAffineDimExpr(2 + i, ctx);
    AffineExpr k = getAffineDimExpr(3 + spatial + i, ctx);
    xExprs.push_back(o * g.strides[i] + k * g.dilations[i]);
    wExprs.push_back(k);
    outExprs.push_back(o);
  }
  // The x zero point is per tensor: it is also the padding value.
  if (x.zeroPoint && isPerAxis(x.zeroPoint))
    return failure();
  Value padded = padInput(b, loc, x.value, g, x.zeroPoint);

  SmallVector<Value> inputs = {padded, w.value};
  SmallVector<AffineMap> maps = {AffineMap::get(numDims, 0, xExprs, ctx),
                                 AffineMap::get(numDims, 0, wExprs, ctx)};
  for (auto [zp, dim] : {std::pair{x.zeroPoint, std::optional<unsigned>()},
                         std::pair{w.zeroPoint, std::optional<unsigned>(1)}}) {
    if (!zp)
      continue;
    std::optional<AffineMap> map = getParamMap(ctx, numDims, zp, dim);
    if (!map)
      return failure();
    inputs.push_back(zp);
    maps.push_back(*map);
  }
  maps.push_back(AffineMap::get(numDims, 0, outExprs, ctx));
  SmallVector<OpFoldResult> dims =
      getConvDims(b, loc, x.value, w.value, g, accType);
  Value init = zeroFilledI32(b, loc, accType, dims);
  SmallVector<utils::IteratorType> iterators(2 + spatial,
                                             utils::IteratorType::parallel);
  iterators.append(1 + spatial, utils::IteratorType::reduction);
  IntOperand xPadded = x;
  xPadded.value = padded;
  return linalg::GenericOp::create(
             b, loc, TypeRange{accType}, inputs, ValueRange{init}, maps,
             iterators,
             [&](OpBuilder &nb, Location nl, ValueRange args) {
               linalg::YieldOp::create(nb, nl,
                                       integerMac(nb, nl, args, xPadded, w));
             })
      .getResult(0);
}

template <typename ConvOp>
FailureOr<ConvGeometry> getGeometry(ConvOp op, Value x, Value w) {
  auto xType = dyn_cast<RankedTensorType>(x.getType());
  auto wType = dyn_cast<RankedTensorType>(w.getType());
  if (!xType || !wType)
    return failure();
  return getConvGeometry(xType, wType, op.getAutoPad(), op.getKernelShape(),
                         op.getPads(), op.getStrides(), op.getDilations());
}

struct ConvIntegerLowering : OpConversionPattern<ConvIntegerOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(ConvIntegerOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    auto resultType = dyn_cast_or_null<RankedTensorType>(
        getTypeConverter()->convertType(op.getType()));
    if (!resultType ||
        !llvm::all_of(adaptor.getOperands(), [](Value v) { return isRanked(v); }))
      return rewriter.notifyMatchFailure(op, "unranked operands");
    FailureOr<ConvGeometry> g = getGeometry(op, adaptor.getX(), adaptor.getW());
    if (failed(g))
      return rewriter.notifyMatchFailure(op, "unsupported conv geometry");
    IntOperand x{adaptor.getX(), adaptor.getXZeroPoint(),
                 isUnsigned(op.getX().getType()),
                 op.getXZeroPoint() && isUnsigned(op.getXZeroPoint().getType())};
    IntOperand w{adaptor.getW(), adaptor.getWZeroPoint(),
                 isUnsigned(op.getW().getType()),
                 op.getWZeroPoint() && isUnsigned(op.getWZeroPoint().getType())};
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
    auto resultType = dyn_cast_or_null<RankedTensorType>(
        getTypeConverter()->convertType(op.getType()));
    if (!resultType ||
        !llvm::all_of(adaptor.getOperands(), [](Value v) { return isRanked(v); }))
      return rewriter.notifyMatchFailure(op, "unranked operands");
    FailureOr<ConvGeometry> g = getGeometry(op, adaptor.getX(), adaptor.getW());
    if (failed(g))
      return rewriter.notifyMatchFailure(op, "unsupported conv geometry");
    IntOperand x{adaptor.getX(), adaptor.getXZeroPoint(),
                 isUnsigned(op.getX().getType()),
                 isUnsigned(op.getXZeroPoint().getType())};
    IntOperand w{adaptor.getW(), adaptor.getWZeroPoint(),
                 isUnsigned(op.getW().getType()),
                 isUnsigned(op.getWZeroPoint().getType())};
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
    for (auto [param, dim] :
         {std::pair{adaptor.getXScale(), std::optional<unsigned>()},
          std::pair{adaptor.getWScale(), std::optional<unsigned>(1)},
          std::pair{adaptor.getYScale(), std::optional<unsigned>()},
          std::pair{adaptor.getYZeroPoint(), std::optional<unsigned>()}}) {
      std::optional<AffineMap> map = getParamMap(ctx, rank, param, dim);
      if (!map)
        return rewriter.notifyMatchFailure(
            op, "scale / zero point neither per tensor nor per channel");
      inputs.push_back(param);
      maps.push_back(*map);
    }
    auto outType = cast<IntegerType>(getElementTypeOrSelf(op.getY().getType()));
    bool yZpUnsigned = isUnsigned(op.getYZeroPoint().getType());
    Value result = buildMapped(
        rewriter, loc, resultType, getDims(rewriter, loc, *acc), inputs, maps,
        [&](OpBuilder &b, Location nl, ValueRange args) {
          return requantize(b, nl, args, bias != nullptr, yZpUnsigned,
                            outType);
        });
    rewriter.replaceOp(op, result);
    return success();
  }
};

} // namespace

void mlir::qopt::populateQOptQuantizationToLinalgPatterns(
    const TypeConverter &converter, RewritePatternSet &patterns) {
  patterns.add<QuantizeLinearLowering, DequantizeLinearLowering,
               DynamicQuantizeLinearLowering, MatMulIntegerLowering,
               QLinearMatMulLowering, ConvIntegerLowering,
               QLinearConvLowering>(converter, patterns.getContext());
}
