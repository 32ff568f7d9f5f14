//===- Resize.cpp - Resize -> linalg ------------------------------*- C++ -*-===//
//
// Resize as one `linalg.generic` over the output that gathers from the input
// with `tensor.extract`. Per output dim the source coordinate follows ONNX's
// coordinate_transformation_mode (half_pixel, half_pixel_symmetric,
// pytorch_half_pixel, align_corners, asymmetric, tf_half_pixel_for_nn,
// tf_crop_and_resize); nearest rounds it by nearest_mode, linear and cubic
// (cubic_coeff_a, exclude_outside) weight 2 / 4 clamped neighbours per
// resized dim. Coordinates are computed in f64 as the ONNX reference does.
//
// scales / sizes / roi may be constants or runtime tensors. Dims of static
// size 1 always read index 0; dims whose static input and output sizes agree
// are taken as unresized unless a constant scale or roi says otherwise (with
// runtime scales a scale in [1, 1 + 1/size) that keeps the size is assumed
// to be 1).
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

/// `tensor[i]` of a 1-D float tensor as an f64.
Value extractF64(OpBuilder &b, Location loc, Value tensor, int64_t i) {
  Value idx = arith::ConstantIndexOp::create(b, loc, i);
  Value v = tensor::ExtractOp::create(b, loc, tensor, ValueRange{idx});
  if (v.getType() != b.getF64Type())
    v = arith::ExtFOp::create(b, loc, b.getF64Type(), v);
  return v;
}

Value f64(OpBuilder &b, Location loc, double v) {
  return createConstant(b, loc, b.getF64Type(), v);
}

Value indexToF64(OpBuilder &b, Location loc, Value index) {
  return indexToFloat(b, loc, index, b.getF64Type());
}

enum class DimKind { Zero, Identity, Resized };

/// What the body needs to know about one dim (values defined outside the
/// generic).
struct DimInfo {
  DimKind kind = DimKind::Identity;
  Value inSize;  // index
  Value outSize; // index
  Value inF, outIntF, scale; // f64
  Value roiStart, roiEnd;    // f64, tf_crop_and_resize only
};

struct ResizeLowering : OpConversionPattern<ResizeOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(ResizeOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    Value x = adaptor.getX();
    auto xType = dyn_cast<RankedTensorType>(x.getType());
    auto resultType = getConvertedRankedType(getTypeConverter(), op.getType());
    if (!xType || !resultType || resultType.getRank() != xType.getRank())
      return rewriter.notifyMatchFailure(op, "expects ranked X and Y of the "
                                             "same rank");
    int64_t rank = xType.getRank();
    Type elem = xType.getElementType();
    StringRef mode = op.getMode();
    StringRef ctm = op.getCoordinateTransformationMode();
    StringRef nearestMode = op.getNearestMode();
    if (!llvm::is_contained({"half_pixel", "half_pixel_symmetric",
                             "pytorch_half_pixel", "align_corners",
                             "asymmetric", "tf_half_pixel_for_nn",
                             "tf_crop_and_resize"},
                            ctm))
      return rewriter.notifyMatchFailure(
          op, "unsupported coordinate_transformation_mode");
    if (mode == "nearest" &&
        !llvm::is_contained(
            {"round_prefer_floor", "round_prefer_ceil", "floor", "ceil"},
            nearestMode))
      return rewriter.notifyMatchFailure(op, "unsupported nearest_mode");
    if (mode != "nearest" && !isa<FloatType>(elem))
      return rewriter.notifyMatchFailure(
          op, "linear / cubic resize of a non-float tensor");
    bool crop = ctm == "tf_crop_and_resize";
    Value scales = adaptor.getScales(), sizes = adaptor.getSizes(),
          roi = adaptor.getRoi();
    // Opset 11-12 models pass an empty scales tensor next to sizes.
    auto isEmpty = [](Value v) {
      auto type = v ? dyn_cast<RankedTensorType>(v.getType()) : nullptr;
      return type && type.getNumElements() == 0 && type.hasStaticShape();
    };
    if (sizes && isEmpty(scales))
      scales = Value();
    if (!scales && !sizes)
      return rewriter.notifyMatchFailure(op, "needs scales or sizes");
    auto checkLength = [&](Value v, int64_t n) {
      auto type = v ? dyn_cast<RankedTensorType>(v.getType()) : nullptr;
      return type && type.getRank() == 1 &&
             (type.isDynamicDim(0) || type.getDimSize(0) == n);
    };
    if ((scales && !checkLength(scales, rank)) ||
        (sizes && !checkLength(sizes, rank)))
      return rewriter.notifyMatchFailure(
          op, "scales / sizes must have one entry per dim");
    if (crop && !checkLength(roi, 2 * rank))
      return rewriter.notifyMatchFailure(
          op, "tf_crop_and_resize needs a roi of 2 * rank entries");
    auto constScales =
        scales ? getConstantFloats(op.getScales()) : std::nullopt;
    if (!constScales)
      constScales = getConstantFloats(scales);
    auto constSizes = getConstantInts(op.getSizes());
    if (!constSizes)
      constSizes = getConstantInts(sizes);
    auto constRoi = getConstantFloats(op.getRoi());
    if (!constRoi)
      constRoi = getConstantFloats(roi);

    SmallVector<OpFoldResult> inDims = getDims(rewriter, loc, x);
    SmallVector<OpFoldResult> outDims;
    SmallVector<DimInfo> info(rank);
    for (int64_t d = 0; d < rank; ++d) {
      DimInfo &di = info[d];
      int64_t in = xType.getDimSize(d);
      // The output size.
      if (!resultType.isDynamicDim(d)) {
        outDims.push_back(rewriter.getIndexAttr(resultType.getDimSize(d)));
      } else if (constSizes) {
        outDims.push_back(rewriter.getIndexAttr((*constSizes)[d]));
      } else if (sizes) {
        outDims.push_back(extractAsIndex(rewriter, loc, sizes, d));
      } else {
        Value inF = indexToF64(
            rewriter, loc, getValueOrCreateConstantIndexOp(rewriter, loc,
                                                           inDims[d]));
        Value s = constScales ? f64(rewriter, loc, (*constScales)[d])
                              : extractF64(rewriter, loc, scales, d);
        Value size = arith::FPToSIOp::create(
            rewriter, loc, rewriter.getI64Type(),
            arith::MulFOp::create(rewriter, loc, inF, s));
        outDims.push_back(castToIndex(rewriter, loc, size));
      }
      std::optional<int64_t> out = getConstantIntValue(outDims[d]);
      // Which dims are resized.
      if (in == 1) {
        di.kind = DimKind::Zero;
        continue;
      }
      bool sameSize = !ShapedType::isDynamic(in) && out && *out == in;
      bool unitScale = sizes || !constScales || (*constScales)[d] == 1.0;
      bool fullRoi = !crop || !constRoi ||
                     ((*constRoi)[d] == 0.0 && (*constRoi)[d + rank] == 1.0);
      if (sameSize && unitScale && fullRoi) {
        di.kind = DimKind::Identity;
        continue;
      }
      di.kind = DimKind::Resized;
      di.inSize = getValueOrCreateConstantIndexOp(rewriter, loc, inDims[d]);
      di.outSize = getValueOrCreateConstantIndexOp(rewriter, loc, outDims[d]);
      di.inF = indexToF64(rewriter, loc, di.inSize);
      di.outIntF = indexToF64(rewriter, loc, di.outSize);
      if (scales)
        di.scale = constScales ? f64(rewriter, loc, (*constScales)[d])
                               : extractF64(rewriter, loc, scales, d);
      else
        di.scale = arith::DivFOp::create(rewriter, loc, di.outIntF, di.inF);
      if (crop) {
        di.roiStart = constRoi ? f64(rewriter, loc, (*constRoi)[d])
                               : extractF64(rewriter, loc, roi, d);
        di.roiEnd = constRoi ? f64(rewriter, loc, (*constRoi)[d + rank])
                             : extractF64(rewriter, loc, roi, d + rank);
      }
    }

    double cubicA = op.getCubicCoeffAAttr().getValueAsDouble();
    bool excludeOutside = op.getExcludeOutside() != 0;
    double extrapolation = op.getExtrapolationValueAttr().getValueAsDouble();
    Value init = createEmpty(rewriter, loc, resultType, outDims);
    SmallVector<utils::IteratorType> iterators(rank,
                                               utils::IteratorType::parallel);
    auto generic = linalg::GenericOp::create(
        rewriter, loc, TypeRange{resultType}, ValueRange{}, ValueRange{init},
        SmallVector<AffineMap>{rewriter.getMultiDimIdentityMap(rank)},
        iterators, [&](OpBuilder &b, Location l, ValueRange) {
          Value result =
              buildBody(b, l, x, info, mode, ctm, nearestMode, cubicA,
                        excludeOutside, extrapolation, elem);
          linalg::YieldOp::create(b, l, result);
        });
    rewriter.replaceOp(op, generic.getResult(0));
    return success();
  }

  /// The source coordinate of output index `o` along a resized dim.
  static Value sourceCoordinate(OpBuilder &b, Location l, const DimInfo &di,
                                Value o, StringRef ctm) {
    Value xo = indexToF64(b, l, o);
    Value half = f64(b, l, 0.5), one = f64(b, l, 1.0);
    // The reference's output length is scale * input length (a float).
    Value outF = arith::MulFOp::create(b, l, di.scale, di.inF);
    auto halfPixel = [&]() -> Value {
      Value v = arith::DivFOp::create(
          b, l, arith::AddFOp::create(b, l, xo, half), di.scale);
      return arith::SubFOp::create(b, l, v, half);
    };
    Value outIsOne = arith::CmpFOp::create(b, l, arith::CmpFPredicate::OEQ,
                                           di.outIntF, one);
    if (ctm == "half_pixel")
      return halfPixel();
    if (ctm == "half_pixel_symmetric") {
      Value adjustment = arith::DivFOp::create(b, l, di.outIntF, outF);
      Value center = arith::DivFOp::create(b, l, di.inF, f64(b, l, 2.0));
      Value offset = arith::MulFOp::create(
          b, l, center, arith::SubFOp::create(b, l, one, adjustment));
      return arith::AddFOp::create(b, l, offset, halfPixel());
    }
    if (ctm == "pytorch_half_pixel")
      return arith::SelectOp::create(b, l, outIsOne, f64(b, l, 0.0),
                                     halfPixel());
    if (ctm == "align_corners") {
      Value outFIsOne = arith::CmpFOp::create(
          b, l, arith::CmpFPredicate::OEQ, outF, one);
      Value v = arith::DivFOp::create(
          b, l,
          arith::MulFOp::create(b, l, xo,
                                arith::SubFOp::create(b, l, di.inF, one)),
          arith::SubFOp::create(b, l, outF, one));
      return arith::SelectOp::create(b, l, outFIsOne, f64(b, l, 0.0), v);
    }
    if (ctm == "asymmetric")
      return arith::DivFOp::create(b, l, xo, di.scale);
    if (ctm == "tf_half_pixel_for_nn")
      return arith::DivFOp::create(
          b, l, arith::AddFOp::create(b, l, xo, half), di.scale);
    // tf_crop_and_resize
    Value inM1 = arith::SubFOp::create(b, l, di.inF, one);
    Value width = arith::SubFOp::create(b, l, di.roiEnd, di.roiStart);
    Value single = arith::MulFOp::create(
        b, l,
        arith::MulFOp::create(
            b, l, half, arith::AddFOp::create(b, l, di.roiStart, di.roiEnd)),
        inM1);
    Value multi = arith::AddFOp::create(
        b, l, arith::MulFOp::create(b, l, di.roiStart, inM1),
        arith::DivFOp::create(
            b, l,
            arith::MulFOp::create(b, l,
                                  arith::MulFOp::create(b, l, xo, width),
                                  inM1),
            arith::SubFOp::create(b, l, outF, one)));
    Value outFIsOne =
        arith::CmpFOp::create(b, l, arith::CmpFPredicate::OEQ, outF, one);
    return arith::SelectOp::create(b, l, outFIsOne, single, multi);
  }

  /// min(max(i, 0), size - 1): a tap clamped into the input.
  static Value clampToSize(OpBuilder &b, Location l, Value i, Value size) {
    Value zero = arith::ConstantIndexOp::create(b, l, 0);
    Value last = arith::SubIOp::create(
        b, l, size, arith::ConstantIndexOp::create(b, l, 1));
    return arith::MinSIOp::create(b, l, arith::MaxSIOp::create(b, l, i, zero),
                                  last);
  }

  static Value buildBody(OpBuilder &b, Location l, Value x,
                         ArrayRef<DimInfo> info, StringRef mode,
                         StringRef ctm, StringRef nearestMode, double cubicA,
                         bool excludeOutside, double extrapolation,
                         Type elem) {
    int64_t rank = info.size();
    Type f64Type = b.getF64Type();
    Type i64 = b.getI64Type();
    // Per dim: the neighbour indices (clamped) and their weights (f64; none
    // for a single tap).
    SmallVector<SmallVector<Value>> taps(rank);
    SmallVector<SmallVector<Value>> weights(rank);
    Value outside;
    for (int64_t d = 0; d < rank; ++d) {
      const DimInfo &di = info[d];
      if (di.kind == DimKind::Zero) {
        taps[d] = {arith::ConstantIndexOp::create(b, l, 0)};
        continue;
      }
      Value o = linalg::IndexOp::create(b, l, d);
      if (di.kind == DimKind::Identity) {
        taps[d] = {o};
        continue;
      }
      Value xs = sourceCoordinate(b, l, di, o, ctm);
      if (ctm == "tf_crop_and_resize") {
        Value inM1 = arith::SubFOp::create(b, l, di.inF, f64(b, l, 1.0));
        Value out = arith::OrIOp::create(
            b, l,
            arith::CmpFOp::create(b, l, arith::CmpFPredicate::OLT, xs,
                                  f64(b, l, 0.0)),
            arith::CmpFOp::create(b, l, arith::CmpFPredicate::OGT, xs, inM1));
        outside = outside ? arith::OrIOp::create(b, l, outside, out).getResult()
                          : out;
      }
      Value x0F = math::FloorOp::create(b, l, xs);
      Value ratio = arith::SubFOp::create(b, l, xs, x0F);
      Value x0 = castToIndex(b, l, arith::FPToSIOp::create(b, l, i64, x0F));
      auto at = [&](int64_t offset) {
        Value i = arith::AddIOp::create(
            b, l, x0, arith::ConstantIndexOp::create(b, l, offset));
        return clampToSize(b, l, i, di.inSize);
      };
      if (mode == "nearest") {
        Value up;
        if (nearestMode == "round_prefer_floor")
          up = arith::CmpFOp::create(b, l, arith::CmpFPredicate::OGT, ratio,
                                     f64(b, l, 0.5));
        else if (nearestMode == "round_prefer_ceil")
          up = arith::CmpFOp::create(b, l, arith::CmpFPredicate::OGE, ratio,
                                     f64(b, l, 0.5));
        else if (nearestMode == "ceil")
          up = arith::CmpFOp::create(b, l, arith::CmpFPredicate::OGT, ratio,
                                     f64(b, l, 0.0));
        else
          up = arith::ConstantIntOp::create(b, l, 0, 1);
        Value i = arith::AddIOp::create(
            b, l, x0,
            arith::SelectOp::create(b, l, up,
                                    arith::ConstantIndexOp::create(b, l, 1),
                                    arith::ConstantIndexOp::create(b, l, 0)));
        taps[d] = {clampToSize(b, l, i, di.inSize)};
        continue;
      }
      Value one = f64(b, l, 1.0);
      if (mode == "linear") {
        taps[d] = {at(0), at(1)};
        weights[d] = {arith::SubFOp::create(b, l, one, ratio), ratio};
        continue;
      }
      // cubic: Keys kernel with coefficient A on x0 - 1 .. x0 + 2.
      Value a = f64(b, l, cubicA);
      auto mul = [&](Value p, Value q) -> Value {
        return arith::MulFOp::create(b, l, p, q);
      };
      auto add = [&](Value p, Value q) -> Value {
        return arith::AddFOp::create(b, l, p, q);
      };
      auto sub = [&](Value p, Value q) -> Value {
        return arith::SubFOp::create(b, l, p, q);
      };
      auto c = [&](double v) { return f64(b, l, v); };
      // |t| in (1, 2): ((A t - 5A) t + 8A) t - 4A
      auto far = [&](Value t) {
        return sub(mul(add(mul(sub(mul(a, t), mul(c(5), a)), t), mul(c(8), a)),
                       t),
                   mul(c(4), a));
      };
      // |t| <= 1: ((A + 2) t - (A + 3)) t t + 1
      auto near = [&](Value t) {
        return add(mul(mul(sub(mul(add(a, c(2)), t), add(a, c(3))), t), t),
                   c(1));
      };
      Value r1 = sub(one, ratio);
      SmallVector<Value> coeffs = {far(add(ratio, one)), near(ratio),
                                   near(r1), far(add(r1, one))};
      SmallVector<Value> idx = {at(-1), at(0), at(1), at(2)};
      if (excludeOutside) {
        Value total = c(0);
        for (int64_t k = 0; k < 4; ++k) {
          Value raw = arith::AddIOp::create(
              b, l, x0, arith::ConstantIndexOp::create(b, l, k - 1));
          Value in = isInRange(
              b, l, raw, arith::ConstantIndexOp::create(b, l, 0), di.inSize);
          coeffs[k] = arith::SelectOp::create(b, l, in, coeffs[k], c(0));
          total = add(total, coeffs[k]);
        }
        for (Value &coeff : coeffs)
          coeff = arith::DivFOp::create(b, l, coeff, total);
      }
      taps[d] = idx;
      weights[d] = coeffs;
    }

    Value result;
    if (mode == "nearest") {
      SmallVector<Value> indices;
      for (auto &t : taps)
        indices.push_back(t[0]);
      result = tensor::ExtractOp::create(b, l, x, indices);
    } else {
      // Sum over every combination of taps of (product of weights) * x.
      Value acc = f64(b, l, 0.0);
      SmallVector<int64_t> pos(rank, 0);
      while (true) {
        SmallVector<Value> indices;
        Value w;
        for (int64_t d = 0; d < rank; ++d) {
          indices.push_back(taps[d][pos[d]]);
          if (!weights[d].empty())
            w = w ? arith::MulFOp::create(b, l, w, weights[d][pos[d]])
                        .getResult()
                  : weights[d][pos[d]];
        }
        Value v = tensor::ExtractOp::create(b, l, x, indices);
        if (elem != f64Type)
          v = arith::ExtFOp::create(b, l, f64Type, v);
        acc = arith::AddFOp::create(
            b, l, acc, w ? arith::MulFOp::create(b, l, w, v).getResult() : v);
        int64_t d = rank - 1;
        while (d >= 0 && ++pos[d] == static_cast<int64_t>(taps[d].size()))
          pos[d--] = 0;
        if (d < 0)
          break;
      }
      result = elem != f64Type
                   ? arith::TruncFOp::create(b, l, elem, acc).getResult()
                   : acc;
    }
    if (outside) {
      Value fill = createConstant(b, l, elem, extrapolation);
      result = arith::SelectOp::create(b, l, outside, fill, result);
    }
    return result;
  }
};

} // namespace

void mlir::qopt::to_linalg::populateResizePatterns(
    const TypeConverter &converter, RewritePatternSet &patterns) {
  patterns.add<ResizeLowering>(converter, patterns.getContext());
}
