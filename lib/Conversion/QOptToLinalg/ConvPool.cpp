//===- ConvPool.cpp - Conv / pooling / normalization -> linalg ---*- C++ -*-===//
//
// Convolutions, pooling, the CNN normalizations and the spatial
// rearrangements.
//
// * Conv pads its input with `tensor.pad` (explicit pads or auto_pad) and
//   becomes a linalg named convolution where one fits (1/2/3-D NC... / FC...
//   layouts, depthwise, 2-D grouped via NGCHW / GFCHW); anything else
//   (unsigned operands, grouped 1-D / 3-D, 4-D and up) is one contraction
//   `linalg.generic`. The bias is broadcast into the accumulator.
// * ConvTranspose is a stride-1 convolution of the zero-stuffed, padded input
//   (a strided `tensor.insert_slice`) with the spatially flipped weight whose
//   in/out channels are swapped per group; negative effective pads (large
//   pads or output_shape) are a final `tensor.extract_slice`.
// * Max/AveragePool pad with the neutral element (ceil_mode extends the end)
//   and use `linalg.pooling_nc(h)w_max/sum` or a window `linalg.generic`;
//   AveragePool divides by the per-position count of (optionally pad)
//   elements; MaxPool's Indices come from a (value, index) reduction.
// * BatchNormalization (inference), InstanceNormalization, LpNormalization,
//   Hardmax and the Global pools are reductions plus elementwise generics;
//   DepthToSpace / SpaceToDepth are expand_shape + transpose + collapse_shape.
//
//===----------------------------------------------------------------------===//

#include "ConvUtils.h"
#include "Utils.h"

#include "qopt/Conversion/QOptToLinalg/QOptToLinalg.h"
#include "qopt/Dialect/QOpt/IR/QOptDialect.h"

#include "mlir/Dialect/Math/IR/Math.h"

#include <string>

using namespace mlir;
using namespace mlir::qopt;
using namespace mlir::qopt::to_linalg;

namespace {

//===----------------------------------------------------------------------===//
// Helpers
//===----------------------------------------------------------------------===//

/// tensor.expand_shape when every group has at most one dynamic size,
/// tensor.reshape otherwise (see the pitfall in LinearAlgebra.cpp).
Value expandTo(OpBuilder &b, Location loc, Value src,
               ArrayRef<ReassociationIndices> reassociation,
               ArrayRef<OpFoldResult> shape) {
  auto srcType = cast<RankedTensorType>(src.getType());
  RankedTensorType type = getTypeFromDims(shape, srcType.getElementType());
  bool simple = true;
  for (const ReassociationIndices &group : reassociation)
    if (llvm::count_if(group, [&](int64_t d) {
          return type.isDynamicDim(d);
        }) > 1)
      simple = false;
  if (simple)
    return tensor::ExpandShapeOp::create(b, loc, type, src, reassociation,
                                         shape);
  return reshapeWithSizes(b, loc, src, type, shape);
}

/// `result[d...] = vec[channelExpr(d...)]` converted from `from` to `to`: the
/// bias broadcast into a convolution accumulator.
Value broadcastChannel(OpBuilder &b, Location loc, RankedTensorType type,
                       ArrayRef<OpFoldResult> dims, Value vec,
                       AffineExpr channelExpr, Type from, Type to) {
  AffineMap map = AffineMap::get(type.getRank(), 0, channelExpr);
  return buildParallelGeneric(
      b, loc, type, dims, {vec}, {map},
      [&](OpBuilder &nb, Location nl, ValueRange args) -> Value {
        return convertScalar(nb, nl, args[0], from, to);
      });
}

//===----------------------------------------------------------------------===//
// Sliding windows (Conv and pools)
//===----------------------------------------------------------------------===//

/// The geometry of a sliding window over the spatial dims (2, 3, ...).
struct Window {
  SmallVector<int64_t> kernel, strides, dilations;
  /// Spatial input sizes, the ONNX pads (explicit or from auto_pad), the
  /// output sizes and the extra end padding that ceil_mode needs so that every
  /// window lies inside the padded input.
  SmallVector<OpFoldResult> in, lo, hi, out, extra;

  int64_t rank() const { return kernel.size(); }
  int64_t extent(int64_t i) const {
    return getWindowExtent(kernel[i], dilations[i]);
  }
  bool needsPadding() const {
    for (int64_t i = 0; i < rank(); ++i)
      if (!isZero(lo[i]) || !isZero(hi[i]) || !isZero(extra[i]))
        return true;
    return false;
  }
};

/// Fills `w` from the ONNX attributes; `why` says what is unsupported.
LogicalResult computeWindow(OpBuilder &b, Location loc, Value x,
                            RankedTensorType resultType,
                            ArrayRef<int64_t> kernel, StringRef autoPad,
                            std::optional<ArrayRef<int64_t>> pads,
                            std::optional<ArrayRef<int64_t>> strides,
                            std::optional<ArrayRef<int64_t>> dilations,
                            bool ceilMode, Window &w, std::string &why) {
  auto xType = cast<RankedTensorType>(x.getType());
  int64_t n = xType.getRank() - 2;
  if (n < 1) {
    why = "expects an input of rank >= 3 ([N, C, D1, ...])";
    return failure();
  }
  if (static_cast<int64_t>(kernel.size()) != n ||
      (strides && static_cast<int64_t>(strides->size()) != n) ||
      (dilations && static_cast<int64_t>(dilations->size()) != n) ||
      (pads && static_cast<int64_t>(pads->size()) != 2 * n)) {
    why = "kernel_shape / strides / dilations / pads do not match the "
          "number of spatial dims";
    return failure();
  }
  if (resultType.getRank() != n + 2) {
    why = "expects the result to have the input's rank";
    return failure();
  }
  IndexMath m(b, loc);
  w.kernel.assign(kernel.begin(), kernel.end());
  w.strides.assign(n, 1);
  w.dilations.assign(n, 1);
  if (strides)
    w.strides.assign(strides->begin(), strides->end());
  if (dilations)
    w.dilations.assign(dilations->begin(), dilations->end());
  for (int64_t i = 0; i < n; ++i)
    if (w.kernel[i] < 1 || w.strides[i] < 1 || w.dilations[i] < 1) {
      why = "expects positive kernel sizes, strides and dilations";
      return failure();
    }
  bool same = autoPad == "SAME_UPPER" || autoPad == "SAME_LOWER";
  if (!same && autoPad != "NOTSET" && autoPad != "VALID") {
    why = ("unknown auto_pad '" + autoPad + "'").str();
    return failure();
  }
  SmallVector<OpFoldResult> inDims = getDims(b, loc, x);
  for (int64_t i = 0; i < n; ++i) {
    OpFoldResult in = inDims[i + 2];
    int64_t s = w.strides[i], extent = w.extent(i);
    OpFoldResult lo = m.cst(0), hi = m.cst(0), out;
    if (same) {
      SamePadding pad =
          getSamePadding(m, in, s, extent, autoPad == "SAME_UPPER");
      lo = pad.lo;
      hi = pad.hi;
      out = pad.out;
    } else {
      if (autoPad == "NOTSET" && pads) {
        lo = m.cst((*pads)[i]);
        hi = m.cst((*pads)[i + n]);
      }
      out = getWindowOutputSize(m, in, lo, hi, s, extent, ceilMode);
    }
    if (!resultType.isDynamicDim(i + 2))
      out = m.cst(resultType.getDimSize(i + 2));
    OpFoldResult needed = getWindowSpan(m, out, s, extent);
    OpFoldResult extra = m.max(m.sub(needed, m.add(m.add(in, lo), hi)), 0);
    w.in.push_back(in);
    w.lo.push_back(lo);
    w.hi.push_back(hi);
    w.out.push_back(out);
    w.extra.push_back(extra);
  }
  return success();
}

/// `tensor.pad` of the spatial dims (2, 3, ...) of `x` by `lo` / `hi` with
/// `padValue`.
Value padSpatialDims(OpBuilder &b, Location loc, Value x,
                     ArrayRef<OpFoldResult> lo, ArrayRef<OpFoldResult> hi,
                     Value padValue) {
  SmallVector<OpFoldResult> low(2, b.getIndexAttr(0));
  SmallVector<OpFoldResult> high(2, b.getIndexAttr(0));
  low.append(lo.begin(), lo.end());
  high.append(hi.begin(), hi.end());
  return tensor::PadOp::create(b, loc, Type(), x, low, high, padValue);
}

/// Pads the spatial dims of `x` by (lo, hi + extra) with `padValue`.
Value padSpatial(OpBuilder &b, Location loc, Value x, const Window &w,
                 Value padValue) {
  if (!w.needsPadding())
    return x;
  IndexMath m(b, loc);
  SmallVector<OpFoldResult> hi;
  for (int64_t i = 0; i < w.rank(); ++i)
    hi.push_back(m.add(w.hi[i], w.extra[i]));
  return padSpatialDims(b, loc, x, w.lo, hi, padValue);
}

DenseIntElementsAttr i64Elements(OpBuilder &b, ArrayRef<int64_t> values) {
  return b.getI64TensorAttr(values);
}

//===----------------------------------------------------------------------===//
// Convolution core
//===----------------------------------------------------------------------===//

/// `init + conv(x, w)` where `x` is the padded input [N, C, ...], `w` the
/// weight [M, C/group, k...] and `init` the accumulator [N, M, out...].
/// The `*Orig` types are the unconverted element types (signedness).
FailureOr<Value> buildConvolution(OpBuilder &b, Location loc, Value x, Value w,
                                  Value init, int64_t group,
                                  ArrayRef<int64_t> strides,
                                  ArrayRef<int64_t> dilations, Type xOrig,
                                  Type wOrig, Type resOrig) {
  MLIRContext *ctx = b.getContext();
  auto xType = cast<RankedTensorType>(x.getType());
  auto wType = cast<RankedTensorType>(w.getType());
  auto initType = cast<RankedTensorType>(init.getType());
  int64_t n = xType.getRank() - 2;
  int64_t m = wType.getDimSize(0), cg = wType.getDimSize(1);
  bool named = !isUnsigned(xOrig) && !isUnsigned(wOrig);
  DenseIntElementsAttr sAttr = i64Elements(b, strides);
  DenseIntElementsAttr dAttr = i64Elements(b, dilations);
  SmallVector<Type> resultTypes = {initType};

  if (named && group == 1) {
    if (n == 1)
      return linalg::Conv1DNcwFcwOp::create(b, loc, resultTypes,
                                            ValueRange{x, w}, ValueRange{init},
                                            sAttr, dAttr)
          .getResult(0);
    if (n == 2)
      return linalg::Conv2DNchwFchwOp::create(b, loc, resultTypes,
                                              ValueRange{x, w},
                                              ValueRange{init}, sAttr, dAttr)
          .getResult(0);
    if (n == 3)
      return linalg::Conv3DNcdhwFcdhwOp::create(b, loc, resultTypes,
                                                ValueRange{x, w},
                                                ValueRange{init}, sAttr, dAttr)
          .getResult(0);
  }
  // Depthwise with multiplier 1: [C, 1, k...] -> [C, k...].
  if (named && group > 1 && cg == 1 && m == group && n <= 3) {
    SmallVector<ReassociationIndices> reassociation = {{0, 1}};
    for (int64_t i = 0; i < n; ++i)
      reassociation.push_back({i + 2});
    Value w2 = tensor::CollapseShapeOp::create(b, loc, w, reassociation);
    if (n == 1)
      return linalg::DepthwiseConv1DNcwCwOp::create(
                 b, loc, resultTypes, ValueRange{x, w2}, ValueRange{init},
                 sAttr, dAttr)
          .getResult(0);
    if (n == 2)
      return linalg::DepthwiseConv2DNchwChwOp::create(
                 b, loc, resultTypes, ValueRange{x, w2}, ValueRange{init},
                 sAttr, dAttr)
          .getResult(0);
    return linalg::DepthwiseConv3DNcdhwCdhwOp::create(
               b, loc, resultTypes, ValueRange{x, w2}, ValueRange{init}, sAttr,
               dAttr)
        .getResult(0);
  }
  if (group > 1 && (ShapedType::isDynamic(m) || ShapedType::isDynamic(cg) ||
                    m % group != 0))
    return failure();
  int64_t fg = group > 1 ? m / group : m;
  // 2-D grouped: NGCHW x GFCHW -> NGFHW.
  if (named && group > 1 && n == 2) {
    SmallVector<OpFoldResult> xDims = getDims(b, loc, x);
    SmallVector<OpFoldResult> wDims = getDims(b, loc, w);
    SmallVector<OpFoldResult> oDims = getDims(b, loc, init);
    Value x5 = expandTo(b, loc, x, {{0}, {1, 2}, {3}, {4}},
                        {xDims[0], b.getIndexAttr(group), b.getIndexAttr(cg),
                         xDims[2], xDims[3]});
    Value w5 = expandTo(b, loc, w, {{0, 1}, {2}, {3}, {4}},
                        {b.getIndexAttr(group), b.getIndexAttr(fg),
                         b.getIndexAttr(cg), wDims[2], wDims[3]});
    Value i5 = expandTo(b, loc, init, {{0}, {1, 2}, {3}, {4}},
                        {oDims[0], b.getIndexAttr(group), b.getIndexAttr(fg),
                         oDims[2], oDims[3]});
    Value y5 = linalg::Conv2DNgchwGfchwOp::create(
                   b, loc, TypeRange{i5.getType()}, ValueRange{x5, w5},
                   ValueRange{i5}, sAttr, dAttr)
                   .getResult(0);
    return tensor::CollapseShapeOp::create(
               b, loc, initType, y5,
               SmallVector<ReassociationIndices>{{0}, {1, 2}, {3}, {4}})
        .getResult();
  }
  // The general N-D grouped convolution as one contraction generic.
  ConvContraction conv =
      getConvContraction(ctx, group, fg, cg, strides, dilations);
  return linalg::GenericOp::create(
             b, loc, resultTypes, ValueRange{x, w}, ValueRange{init},
             SmallVector<AffineMap>{conv.input, conv.weight, conv.output},
             conv.iterators,
             [&](OpBuilder &nb, Location nl, ValueRange args) {
               Value xv = convertScalar(nb, nl, args[0], xOrig, resOrig);
               Value wv = convertScalar(nb, nl, args[1], wOrig, resOrig);
               linalg::YieldOp::create(
                   nb, nl, multiplyAccumulate(nb, nl, xv, wv, args[2]));
             })
      .getResult(0);
}

/// The accumulator [N, M, out...]: the bias broadcast along dim 1, or zero.
Value convAccumulator(OpBuilder &b, Location loc, RankedTensorType type,
                      ArrayRef<OpFoldResult> dims, Value bias, Type biasOrig,
                      Type resOrig) {
  if (!bias)
    return fillTensor(b, loc, type, dims,
                      createConstant(b, loc, type.getElementType(), 0.0));
  return broadcastChannel(b, loc, type, dims, bias,
                          getAffineDimExpr(1, b.getContext()), biasOrig,
                          resOrig);
}

struct ConvLowering : OpConversionPattern<ConvOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(ConvOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    Value x = adaptor.getX(), w = adaptor.getW(), bias = adaptor.getB();
    auto xType = dyn_cast<RankedTensorType>(x.getType());
    auto wType = dyn_cast<RankedTensorType>(w.getType());
    auto resultType = getConvertedRankedType(getTypeConverter(), op.getType());
    if (!xType || !wType || !resultType || xType.getRank() < 3 ||
        wType.getRank() != xType.getRank())
      return rewriter.notifyMatchFailure(op, "expects ranked X and W of the "
                                             "same rank >= 3");
    int64_t n = xType.getRank() - 2;
    SmallVector<int64_t> kernel;
    if (auto attr = op.getKernelShape())
      kernel.assign(attr->begin(), attr->end());
    else
      kernel.assign(wType.getShape().begin() + 2, wType.getShape().end());
    for (int64_t i = 0; i < n; ++i)
      if (ShapedType::isDynamic(kernel[i]) ||
          (!wType.isDynamicDim(i + 2) && wType.getDimSize(i + 2) != kernel[i]))
        return rewriter.notifyMatchFailure(
            op, "needs a static kernel that matches W");
    Window win;
    std::string why;
    if (failed(computeWindow(rewriter, loc, x, resultType, kernel,
                             op.getAutoPad(), op.getPads(), op.getStrides(),
                             op.getDilations(), /*ceilMode=*/false, win, why)))
      return rewriter.notifyMatchFailure(op, why);
    int64_t group = static_cast<int64_t>(op.getGroup());
    if (group < 1)
      return rewriter.notifyMatchFailure(op, "expects group >= 1");
    Type xOrig = getElementTypeOrSelf(op.getX().getType());
    Type wOrig = getElementTypeOrSelf(op.getW().getType());
    Type resOrig = getElementTypeOrSelf(op.getType());
    Value zero = createConstant(rewriter, loc, xType.getElementType(), 0.0);
    Value padded = padSpatial(rewriter, loc, x, win, zero);
    SmallVector<OpFoldResult> outDims = {getDims(rewriter, loc, x)[0],
                                         getDims(rewriter, loc, w)[0]};
    outDims.append(win.out.begin(), win.out.end());
    Value init = convAccumulator(
        rewriter, loc, resultType, outDims, bias,
        bias ? getElementTypeOrSelf(op.getB().getType()) : Type(), resOrig);
    FailureOr<Value> y =
        buildConvolution(rewriter, loc, padded, w, init, group, win.strides,
                         win.dilations, xOrig, wOrig, resOrig);
    if (failed(y))
      return rewriter.notifyMatchFailure(
          op, "grouped convolution needs static, divisible channel counts");
    rewriter.replaceOp(op, *y);
    return success();
  }
};

//===----------------------------------------------------------------------===//
// ConvTranspose
//===----------------------------------------------------------------------===//

struct ConvTransposeLowering : OpConversionPattern<ConvTransposeOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(ConvTransposeOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    IndexMath im(rewriter, loc);
    Value x = adaptor.getX(), w = adaptor.getW(), bias = adaptor.getB();
    auto xType = dyn_cast<RankedTensorType>(x.getType());
    auto wType = dyn_cast<RankedTensorType>(w.getType());
    auto resultType = getConvertedRankedType(getTypeConverter(), op.getType());
    if (!xType || !wType || !resultType || xType.getRank() < 3 ||
        wType.getRank() != xType.getRank() ||
        resultType.getRank() != xType.getRank())
      return rewriter.notifyMatchFailure(op, "expects ranked X, W and Y of "
                                             "the same rank >= 3");
    int64_t n = xType.getRank() - 2;
    int64_t group = static_cast<int64_t>(op.getGroup());
    int64_t c = wType.getDimSize(0), fg = wType.getDimSize(1);
    if (group < 1 || ShapedType::isDynamic(c) || ShapedType::isDynamic(fg) ||
        c % group != 0)
      return rewriter.notifyMatchFailure(
          op, "needs static weight channels divisible by group");
    int64_t cg = c / group, m = fg * group;
    SmallVector<int64_t> kernel(wType.getShape().begin() + 2,
                                wType.getShape().end());
    if (auto attr = op.getKernelShape())
      if (ArrayRef<int64_t>(kernel) != *attr)
        return rewriter.notifyMatchFailure(op,
                                           "kernel_shape does not match W");
    if (llvm::any_of(kernel, ShapedType::isDynamic))
      return rewriter.notifyMatchFailure(op, "needs a static kernel");
    auto attrOr = [&](std::optional<ArrayRef<int64_t>> attr, int64_t size,
                      int64_t dflt) -> std::optional<SmallVector<int64_t>> {
      if (!attr)
        return SmallVector<int64_t>(size, dflt);
      if (static_cast<int64_t>(attr->size()) != size)
        return std::nullopt;
      return SmallVector<int64_t>(attr->begin(), attr->end());
    };
    // Some exporters write output_shape with the N and C dims.
    std::optional<ArrayRef<int64_t>> outShapeAttr = op.getOutputShape();
    if (outShapeAttr && static_cast<int64_t>(outShapeAttr->size()) == n + 2)
      outShapeAttr = outShapeAttr->drop_front(2);
    auto strides = attrOr(op.getStrides(), n, 1);
    auto dilations = attrOr(op.getDilations(), n, 1);
    auto outPad = attrOr(op.getOutputPadding(), n, 0);
    auto pads = attrOr(op.getPads(), 2 * n, 0);
    auto outShape = attrOr(outShapeAttr, n, 0);
    if (!strides || !dilations || !outPad || !pads || !outShape)
      return rewriter.notifyMatchFailure(op, "attribute sizes do not match "
                                             "the spatial rank");
    StringRef autoPad = op.getAutoPad();
    bool same = autoPad == "SAME_UPPER" || autoPad == "SAME_LOWER";
    if (!same && autoPad != "NOTSET" && autoPad != "VALID")
      return rewriter.notifyMatchFailure(op, "unknown auto_pad");
    // output_shape (or SAME) derives the pads; explicit pads are ignored then.
    bool derivePads = same || op.getOutputShape().has_value();

    SmallVector<OpFoldResult> xDims = getDims(rewriter, loc, x);
    SmallVector<OpFoldResult> outSizes, loC, hiC, canvas, crop;
    bool needsCrop = false, allUnitStride = true;
    for (int64_t i = 0; i < n; ++i) {
      int64_t s = (*strides)[i], d = (*dilations)[i], k = kernel[i];
      OpFoldResult in = xDims[i + 2];
      // The stuffed input: in elements s apart.
      auto stuffedSize = [&] { return getWindowSpan(im, in, s, 1); };
      // full = s * (in - 1) + output_padding + (k - 1) * d + 1
      OpFoldResult full =
          getWindowSpan(im, in, s, (*outPad)[i] + getWindowExtent(k, d));
      OpFoldResult pb = im.cst(0), pe = im.cst(0);
      if (derivePads) {
        OpFoldResult target = op.getOutputShape()
                                  ? im.cst((*outShape)[i])
                                  : im.mul(in, s);
        std::tie(pb, pe) =
            splitSamePadding(im, im.sub(full, target), autoPad == "SAME_UPPER");
      } else if (autoPad == "NOTSET") {
        pb = im.cst((*pads)[i]);
        pe = im.cst((*pads)[i + n]);
      }
      OpFoldResult out = im.sub(im.sub(full, pb), pe);
      if (!resultType.isDynamicDim(i + 2))
        out = im.cst(resultType.getDimSize(i + 2));
      // The zero-stuffed input sits at `l` in a canvas of out + (k-1)*d.
      OpFoldResult l = im.sub(im.cst((k - 1) * d), pb);
      OpFoldResult h =
          im.sub(im.add(out, (k - 1) * d), im.add(l, stuffedSize()));
      OpFoldResult lc = im.max(l, 0), hc = im.max(h, 0);
      OpFoldResult cropAt = im.sub(lc, l);
      needsCrop |= !isZero(cropAt) || !isZero(im.sub(hc, h));
      loC.push_back(lc);
      hiC.push_back(hc);
      crop.push_back(cropAt);
      outSizes.push_back(out);
      canvas.push_back(im.add(im.add(lc, stuffedSize()), hc));
      allUnitStride &= s == 1;
    }

    Type elem = xType.getElementType();
    Value zero = createConstant(rewriter, loc, elem, 0.0);
    // The zero-stuffed, padded input.
    Value stuffed;
    bool noPadding = llvm::all_of(loC, isZero) && llvm::all_of(hiC, isZero);
    if (allUnitStride && noPadding) {
      stuffed = x;
    } else if (allUnitStride) {
      stuffed = padSpatialDims(rewriter, loc, x, loC, hiC, zero);
    } else {
      SmallVector<OpFoldResult> dims = {xDims[0], xDims[1]};
      dims.append(canvas.begin(), canvas.end());
      Value base =
          fillTensor(rewriter, loc, getTypeFromDims(dims, elem), dims, zero);
      SmallVector<OpFoldResult> offsets = {im.cst(0), im.cst(0)};
      offsets.append(loC.begin(), loC.end());
      SmallVector<OpFoldResult> steps = {im.cst(1), im.cst(1)};
      for (int64_t s : *strides)
        steps.push_back(im.cst(s));
      stuffed = tensor::InsertSliceOp::create(rewriter, loc, x, base, offsets,
                                              xDims, steps);
    }

    // The flipped weight with in/out channels swapped per group:
    // wt[o, i, k] = W[(o / fg) * cg + i, o % fg, K - 1 - k].
    SmallVector<OpFoldResult> wtDims = {im.cst(m), im.cst(cg)};
    for (int64_t k : kernel)
      wtDims.push_back(im.cst(k));
    auto wtType = getTypeFromDims(wtDims, wType.getElementType());
    // A gather (tensor.extract) rather than an indexing map with -k: tiling
    // assumes maps that grow with the loop indices.
    Value wt = buildParallelGeneric(
        rewriter, loc, wtType, wtDims, {}, {},
        [&](OpBuilder &b, Location l, ValueRange) -> Value {
          auto cstIdx = [&](int64_t v) -> Value {
            return arith::ConstantIndexOp::create(b, l, v);
          };
          Value o = linalg::IndexOp::create(b, l, 0);
          Value i = linalg::IndexOp::create(b, l, 1);
          SmallVector<Value> idx;
          if (group == 1) {
            idx = {i, o};
          } else {
            Value g = arith::DivUIOp::create(b, l, o, cstIdx(fg));
            idx = {arith::AddIOp::create(
                       b, l, arith::MulIOp::create(b, l, g, cstIdx(cg)), i),
                   arith::RemUIOp::create(b, l, o, cstIdx(fg))};
          }
          for (int64_t d = 0; d < n; ++d)
            idx.push_back(arith::SubIOp::create(
                b, l, cstIdx(kernel[d] - 1),
                linalg::IndexOp::create(b, l, 2 + d)));
          return tensor::ExtractOp::create(b, l, w, idx);
        });

    // Stride-1 convolution over the canvas, then the crop.
    SmallVector<OpFoldResult> fullDims = {xDims[0], im.cst(m)};
    for (int64_t i = 0; i < n; ++i)
      fullDims.push_back(im.sub(canvas[i], (kernel[i] - 1) * (*dilations)[i]));
    Type resOrig = getElementTypeOrSelf(op.getType());
    auto fullType = needsCrop
                        ? getTypeFromDims(fullDims, resultType.getElementType())
                        : resultType;
    if (!needsCrop)
      for (int64_t i = 0; i < n; ++i)
        fullDims[i + 2] = outSizes[i];
    Value init = convAccumulator(
        rewriter, loc, fullType, fullDims, bias,
        bias ? getElementTypeOrSelf(op.getB().getType()) : Type(), resOrig);
    SmallVector<int64_t> ones(n, 1);
    FailureOr<Value> y = buildConvolution(
        rewriter, loc, stuffed, wt, init, group, ones, *dilations,
        getElementTypeOrSelf(op.getX().getType()),
        getElementTypeOrSelf(op.getW().getType()), resOrig);
    if (failed(y))
      return rewriter.notifyMatchFailure(op, "unsupported grouping");
    Value result = *y;
    if (needsCrop) {
      SmallVector<OpFoldResult> offsets = {im.cst(0), im.cst(0)};
      offsets.append(crop.begin(), crop.end());
      SmallVector<OpFoldResult> sizes = {xDims[0], im.cst(m)};
      sizes.append(outSizes.begin(), outSizes.end());
      SmallVector<OpFoldResult> steps(n + 2, im.cst(1));
      result = tensor::ExtractSliceOp::create(rewriter, loc, resultType,
                                              result, offsets, sizes, steps);
    }
    rewriter.replaceOp(op, result);
    return success();
  }
};

//===----------------------------------------------------------------------===//
// Pooling
//===----------------------------------------------------------------------===//

enum class PoolKind { Max, Sum };

/// The loop nest of a pooling generic over (n, c, o1..ok, k1..kk): the maps
/// of the padded input, the window and the output, and the iterator types
/// (the kernel loops reduce).
struct PoolNest {
  AffineMap input, window, output;
  SmallVector<utils::IteratorType> iterators;
};

PoolNest getPoolNest(MLIRContext *ctx, const Window &w) {
  int64_t n = w.rank(), numLoops = 2 + 2 * n;
  auto dim = [&](int64_t i) { return getAffineDimExpr(i, ctx); };
  SmallVector<AffineExpr> xExprs = {dim(0), dim(1)};
  xExprs.append(getWindowInputExprs(ctx, 2, 2 + n, w.strides, w.dilations));
  SmallVector<AffineExpr> kExprs;
  SmallVector<AffineExpr> oExprs = {dim(0), dim(1)};
  for (int64_t i = 0; i < n; ++i) {
    kExprs.push_back(dim(2 + n + i));
    oExprs.push_back(dim(2 + i));
  }
  PoolNest nest;
  nest.input = AffineMap::get(numLoops, 0, xExprs, ctx);
  nest.window = AffineMap::get(numLoops, 0, kExprs, ctx);
  nest.output = AffineMap::get(numLoops, 0, oExprs, ctx);
  nest.iterators.assign(2 + n, utils::IteratorType::parallel);
  nest.iterators.append(n, utils::IteratorType::reduction);
  return nest;
}

/// The window operand of a pooling op (shape only): it gives the kernel
/// loops their sizes.
Value createWindowOperand(OpBuilder &b, Location loc, const Window &w,
                          Type elem) {
  return tensor::EmptyOp::create(b, loc, w.kernel, elem).getResult();
}

/// The window of MaxPool / AveragePool from their attributes.
template <typename PoolOp>
LogicalResult computePoolWindow(OpBuilder &b, Location loc, PoolOp op, Value x,
                                RankedTensorType resultType, Window &w,
                                std::string &why) {
  return computeWindow(b, loc, x, resultType, op.getKernelShape(),
                       op.getAutoPad(), op.getPads(), op.getStrides(),
                       op.getDilations(), op.getCeilMode() != 0, w, why);
}

/// The operands of a pooling op: the input padded with `neutral` and the
/// output [N, C, out...] (`outDims`) filled with it.
struct PoolOperands {
  Value padded, init;
  SmallVector<OpFoldResult> outDims;
};

PoolOperands preparePool(OpBuilder &b, Location loc, Value x, const Window &w,
                         RankedTensorType resultType, Value neutral) {
  PoolOperands p;
  p.padded = padSpatial(b, loc, x, w, neutral);
  SmallVector<OpFoldResult> xDims = getDims(b, loc, x);
  p.outDims = {xDims[0], xDims[1]};
  p.outDims.append(w.out.begin(), w.out.end());
  p.init = fillTensor(b, loc, resultType, p.outDims, neutral);
  return p;
}

/// Max or sum over the windows of the padded input `x` into `init`.
Value buildPooling(OpBuilder &b, Location loc, Value x, Value init,
                   const Window &w, PoolKind kind, bool isUnsignedInt) {
  MLIRContext *ctx = b.getContext();
  auto initType = cast<RankedTensorType>(init.getType());
  Type elem = initType.getElementType();
  int64_t n = w.rank();
  SmallVector<Type> resultTypes = {initType};
  if (!isUnsignedInt && n <= 2) {
    Value window = createWindowOperand(b, loc, w, elem);
    DenseIntElementsAttr sAttr = i64Elements(b, w.strides);
    DenseIntElementsAttr dAttr = i64Elements(b, w.dilations);
    SmallVector<Value> ins = {x, window};
    if (n == 2 && kind == PoolKind::Max)
      return linalg::PoolingNchwMaxOp::create(b, loc, resultTypes, ins,
                                              ValueRange{init}, sAttr, dAttr)
          .getResult(0);
    if (n == 2)
      return linalg::PoolingNchwSumOp::create(b, loc, resultTypes, ins,
                                              ValueRange{init}, sAttr, dAttr)
          .getResult(0);
    if (kind == PoolKind::Max)
      return linalg::PoolingNcwMaxOp::create(b, loc, resultTypes, ins,
                                             ValueRange{init}, sAttr, dAttr)
          .getResult(0);
    return linalg::PoolingNcwSumOp::create(b, loc, resultTypes, ins,
                                           ValueRange{init}, sAttr, dAttr)
        .getResult(0);
  }
  Value window = createWindowOperand(b, loc, w, elem);
  PoolNest nest = getPoolNest(ctx, w);
  return linalg::GenericOp::create(
             b, loc, resultTypes, ValueRange{x, window}, ValueRange{init},
             SmallVector<AffineMap>{nest.input, nest.window, nest.output},
             nest.iterators,
             [&](OpBuilder &nb, Location nl, ValueRange args) {
               Value r = kind == PoolKind::Max
                             ? maxScalar(nb, nl, args[0], args[2],
                                         isUnsignedInt)
                             : addScalar(nb, nl, args[0], args[2]);
               linalg::YieldOp::create(nb, nl, r);
             })
      .getResult(0);
}

/// MaxPool with Indices: one generic reducing (value, flat index) pairs. The
/// index is row-major over the unpadded input ([N, C, D1, ...]); the first
/// maximum in that order wins. storage_order 1 re-flattens the spatial part
/// column-major afterwards.
std::pair<Value, Value> buildMaxPoolWithIndices(
    OpBuilder &b, Location loc, Value x, Value padded, Value init,
    RankedTensorType idxType, ArrayRef<OpFoldResult> outDims, const Window &w,
    bool isUnsignedInt, bool columnMajor) {
  MLIRContext *ctx = b.getContext();
  auto initType = cast<RankedTensorType>(init.getType());
  Type elem = initType.getElementType();
  Type i64 = b.getI64Type();
  int64_t n = w.rank();
  Value idxInit =
      fillTensor(b, loc, idxType, outDims, createConstant(b, loc, i64, -1));
  SmallVector<Value> inSizes = getDimValues(b, loc, x);
  SmallVector<Value> lo;
  for (OpFoldResult l : w.lo)
    lo.push_back(getValueOrCreateConstantIndexOp(b, loc, l));

  Value window = createWindowOperand(b, loc, w, elem);
  PoolNest nest = getPoolNest(ctx, w);
  auto generic = linalg::GenericOp::create(
      b, loc, TypeRange{initType, idxType}, ValueRange{padded, window},
      ValueRange{init, idxInit},
      SmallVector<AffineMap>{nest.input, nest.window, nest.output, nest.output},
      nest.iterators, [&](OpBuilder &nb, Location nl, ValueRange args) {
        Value v = args[0], best = args[2], bestIdx = args[3];
        Value valid = arith::ConstantIntOp::create(nb, nl, 1, 1);
        Value flat = linalg::IndexOp::create(nb, nl, 0);
        flat = arith::AddIOp::create(
            nb, nl, arith::MulIOp::create(nb, nl, flat, inSizes[1]),
            linalg::IndexOp::create(nb, nl, 1));
        Value zeroIdx = arith::ConstantIndexOp::create(nb, nl, 0);
        for (int64_t i = 0; i < n; ++i) {
          // Input coordinate: o * s + k * d - lo.
          Value o = linalg::IndexOp::create(nb, nl, 2 + i);
          Value k = linalg::IndexOp::create(nb, nl, 2 + n + i);
          Value pos = arith::AddIOp::create(
              nb, nl,
              arith::MulIOp::create(
                  nb, nl, o,
                  arith::ConstantIndexOp::create(nb, nl, w.strides[i])),
              arith::MulIOp::create(
                  nb, nl, k,
                  arith::ConstantIndexOp::create(nb, nl, w.dilations[i])));
          pos = arith::SubIOp::create(nb, nl, pos, lo[i]);
          Value inside = isInRange(nb, nl, pos, zeroIdx, inSizes[i + 2]);
          valid = arith::AndIOp::create(nb, nl, valid, inside);
          flat = arith::AddIOp::create(
              nb, nl, arith::MulIOp::create(nb, nl, flat, inSizes[i + 2]),
              pos);
        }
        Value idx = arith::IndexCastOp::create(nb, nl, i64, flat);
        Value better =
            isFirstMaximum(nb, nl, v, idx, best, bestIdx, isUnsignedInt);
        better = arith::AndIOp::create(nb, nl, valid, better);
        linalg::YieldOp::create(
            nb, nl,
            ValueRange{arith::SelectOp::create(nb, nl, better, v, best),
                       arith::SelectOp::create(nb, nl, better, idx, bestIdx)});
      });
  Value values = generic.getResult(0), indices = generic.getResult(1);
  if (!columnMajor || n < 2)
    return {values, indices};
  // Row-major spatial offset -> column-major (the first spatial dim fastest).
  SmallVector<Value> spatial(inSizes.begin() + 2, inSizes.end());
  indices = buildParallelGeneric(
      b, loc, idxType, outDims, {indices},
      {b.getMultiDimIdentityMap(idxType.getRank())},
      [&](OpBuilder &nb, Location nl, ValueRange args) -> Value {
        Value r = arith::IndexCastOp::create(nb, nl, nb.getIndexType(),
                                             args[0]);
        Value size = arith::ConstantIndexOp::create(nb, nl, 1);
        for (Value s : spatial)
          size = arith::MulIOp::create(nb, nl, size, s);
        Value base = arith::SubIOp::create(
            nb, nl, r, arith::RemUIOp::create(nb, nl, r, size));
        Value rest = arith::RemUIOp::create(nb, nl, r, size);
        SmallVector<Value> coords(spatial.size());
        for (int64_t i = spatial.size() - 1; i >= 0; --i) {
          coords[i] = arith::RemUIOp::create(nb, nl, rest, spatial[i]);
          rest = arith::DivUIOp::create(nb, nl, rest, spatial[i]);
        }
        Value col = arith::ConstantIndexOp::create(nb, nl, 0);
        for (int64_t i = spatial.size() - 1; i >= 0; --i)
          col = arith::AddIOp::create(
              nb, nl, arith::MulIOp::create(nb, nl, col, spatial[i]),
              coords[i]);
        return arith::IndexCastOp::create(
            nb, nl, nb.getI64Type(),
            arith::AddIOp::create(nb, nl, base, col));
      });
  return {values, indices};
}

struct MaxPoolLowering : OpConversionPattern<MaxPoolOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(MaxPoolOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    Value x = adaptor.getX();
    auto xType = dyn_cast<RankedTensorType>(x.getType());
    auto resultType =
        getConvertedRankedType(getTypeConverter(), op.getY().getType());
    if (!xType || !resultType)
      return rewriter.notifyMatchFailure(op, "unranked max_pool");
    Window win;
    std::string why;
    if (failed(computePoolWindow(rewriter, loc, op, x, resultType, win, why)))
      return rewriter.notifyMatchFailure(op, why);
    bool uns = isUnsigned(op.getX().getType());
    Type elem = xType.getElementType();
    Value lowest = createLowestValue(rewriter, loc, elem, uns);
    auto [padded, init, outDims] =
        preparePool(rewriter, loc, x, win, resultType, lowest);
    if (!op.getIndices()) {
      rewriter.replaceOp(op, buildPooling(rewriter, loc, padded, init, win,
                                          PoolKind::Max, uns));
      return success();
    }
    auto idxType =
        getConvertedRankedType(getTypeConverter(), op.getIndices().getType());
    if (!idxType)
      return rewriter.notifyMatchFailure(op, "unranked Indices");
    auto [values, indices] = buildMaxPoolWithIndices(
        rewriter, loc, x, padded, init, idxType, outDims, win, uns,
        op.getStorageOrder() == 1);
    rewriter.replaceOp(op, ValueRange{values, indices});
    return success();
  }
};

/// AveragePool's divisor along spatial dim `i`: for each output position o,
/// the number of k in [0, K) whose element o * s + k * d (in the padded
/// frame) is counted, i.e. lies in [lo, lo + in) or, with count_include_pad,
/// in [0, lo + in + hi) (the ceil_mode extension never counts).
Value buildCountTable(OpBuilder &b, Location loc, const Window &w, int64_t i,
                      bool includePad, Type elem) {
  IndexMath im(b, loc);
  Value begin = im.value(includePad ? im.cst(0) : w.lo[i]);
  Value end = im.value(includePad ? im.add(im.add(w.in[i], w.lo[i]), w.hi[i])
                                  : im.add(w.in[i], w.lo[i]));
  RankedTensorType type = getTypeFromDims({w.out[i]}, elem);
  return buildParallelGeneric(
      b, loc, type, {w.out[i]}, {}, {},
      [&](OpBuilder &nb, Location l, ValueRange) -> Value {
        auto cst = [&](int64_t v) -> Value {
          return arith::ConstantIndexOp::create(nb, l, v);
        };
        Value zero = cst(0), one = cst(1), d = cst(w.dilations[i]);
        Value start = arith::MulIOp::create(
            nb, l, linalg::IndexOp::create(nb, l, 0), cst(w.strides[i]));
        Value kmin = arith::MaxSIOp::create(
            nb, l, zero,
            arith::CeilDivSIOp::create(
                nb, l, arith::SubIOp::create(nb, l, begin, start), d));
        Value last = arith::SubIOp::create(nb, l, end, one);
        Value kmax = arith::MinSIOp::create(
            nb, l, cst(w.kernel[i] - 1),
            arith::FloorDivSIOp::create(
                nb, l, arith::SubIOp::create(nb, l, last, start), d));
        Value count = arith::MaxSIOp::create(
            nb, l, zero,
            arith::AddIOp::create(
                nb, l, arith::SubIOp::create(nb, l, kmax, kmin), one));
        return indexToFloat(nb, l, count, elem);
      });
}

struct AveragePoolLowering : OpConversionPattern<AveragePoolOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(AveragePoolOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    Value x = adaptor.getX();
    auto xType = dyn_cast<RankedTensorType>(x.getType());
    auto resultType = getConvertedRankedType(getTypeConverter(), op.getType());
    if (!xType || !resultType || !isa<FloatType>(xType.getElementType()))
      return rewriter.notifyMatchFailure(op,
                                         "needs a ranked float tensor");
    Window win;
    std::string why;
    if (failed(computePoolWindow(rewriter, loc, op, x, resultType, win, why)))
      return rewriter.notifyMatchFailure(op, why);
    Type elem = xType.getElementType();
    Value zero = createConstant(rewriter, loc, elem, 0.0);
    auto [padded, init, outDims] =
        preparePool(rewriter, loc, x, win, resultType, zero);
    Value sum =
        buildPooling(rewriter, loc, padded, init, win, PoolKind::Sum, false);

    bool includePad = op.getCountIncludePad() != 0;
    int64_t n = win.rank(), rank = resultType.getRank();
    // The divisor is the product over the spatial dims of the number of
    // counted window elements: the kernel size where every window is full,
    // else a per-position table (a 1-D tensor per dim).
    int64_t constantCount = 1;
    SmallVector<Value> tables;
    SmallVector<AffineMap> maps = {rewriter.getMultiDimIdentityMap(rank)};
    for (int64_t i = 0; i < n; ++i) {
      bool full = isZero(win.extra[i]) &&
                  (includePad || (isZero(win.lo[i]) && isZero(win.hi[i])));
      if (full) {
        constantCount *= win.kernel[i];
        continue;
      }
      tables.push_back(buildCountTable(rewriter, loc, win, i, includePad,
                                       elem));
      maps.push_back(AffineMap::get(rank, 0,
                                    rewriter.getAffineDimExpr(2 + i)));
    }
    SmallVector<Value> inputs = {sum};
    inputs.append(tables.begin(), tables.end());
    Value result = buildParallelGeneric(
        rewriter, loc, resultType, outDims, inputs, maps,
        [&](OpBuilder &b, Location l, ValueRange args) -> Value {
          Value count = createConstant(b, l, elem,
                                       static_cast<double>(constantCount));
          for (Value c : args.drop_front())
            count = arith::MulFOp::create(b, l, count, c);
          return arith::DivFOp::create(b, l, args[0], count);
        });
    rewriter.replaceOp(op, result);
    return success();
  }
};

/// GlobalAveragePool / GlobalMaxPool: a reduction over dims 2.. kept as 1s.
template <typename OpTy, bool isMax>
struct GlobalPoolLowering : OpConversionPattern<OpTy> {
  using OpConversionPattern<OpTy>::OpConversionPattern;
  LogicalResult
  matchAndRewrite(OpTy op, typename OpTy::Adaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    Value x = adaptor.getX();
    auto xType = dyn_cast<RankedTensorType>(x.getType());
    auto resultType =
        getConvertedRankedType(this->getTypeConverter(), op.getType());
    if (!xType || !resultType || xType.getRank() < 3 ||
        resultType.getRank() != xType.getRank())
      return rewriter.notifyMatchFailure(op, "expects ranked [N, C, ...]");
    Type elem = xType.getElementType();
    if (!isMax && !isa<FloatType>(elem))
      return rewriter.notifyMatchFailure(op, "average of a non-float tensor");
    bool uns = isUnsigned(op.getX().getType());
    auto reduced = llvm::to_vector(llvm::seq<int64_t>(2, xType.getRank()));
    Value r;
    if (isMax) {
      r = buildReduction(rewriter, loc, x, reduced,
                         createLowestValue(rewriter, loc, elem, uns),
                         [&](OpBuilder &b, Location l, Value v, Value acc) {
                           return maxScalar(b, l, v, acc, uns);
                         });
    } else {
      r = buildReduction(rewriter, loc, x, reduced,
                         createConstant(rewriter, loc, elem, 0.0), addScalar);
      Value count = productOfDims(rewriter, loc, x, reduced);
      r = divideByScalar(rewriter, loc, r,
                         indexToFloat(rewriter, loc, count, elem));
    }
    rewriter.replaceOp(op,
                       keepReducedDims(rewriter, loc, r, resultType, reduced));
    return success();
  }
};

//===----------------------------------------------------------------------===//
// Normalizations
//===----------------------------------------------------------------------===//

struct BatchNormLowering : OpConversionPattern<BatchNormalizationOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(BatchNormalizationOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    Value x = adaptor.getX();
    auto xType = dyn_cast<RankedTensorType>(x.getType());
    if (!xType || xType.getRank() < 2)
      return rewriter.notifyMatchFailure(op, "expects ranked [N, C, ...]");
    Type elem = xType.getElementType();
    SmallVector<Value> params = {adaptor.getScale(), adaptor.getB(),
                                 adaptor.getInputMean(),
                                 adaptor.getInputVar()};
    SmallVector<Type> paramTypes;
    SmallVector<Value> origParams = {op.getScale(), op.getB(),
                                     op.getInputMean(), op.getInputVar()};
    for (Value v : origParams) {
      auto type = dyn_cast<RankedTensorType>(v.getType());
      if (!type || type.getRank() != 1)
        return rewriter.notifyMatchFailure(op, "expects 1-D parameters");
      paramTypes.push_back(type.getElementType());
    }
    Type xOrig = getElementTypeOrSelf(op.getX().getType());
    Value eps = createConstant(rewriter, loc, elem,
                               op.getEpsilonAttr().getValueAsDouble());
    AffineMap channelMap =
        AffineMap::get(xType.getRank(), 0,
                       getAffineDimExpr(1, getContext()));
    Value y = buildWithPartialOperands(
        rewriter, loc, xType, getDims(rewriter, loc, x), {x}, params,
        channelMap, [&](OpBuilder &b, Location l, ValueRange args) -> Value {
          SmallVector<Value> p;
          for (int i = 0; i < 4; ++i)
            p.push_back(convertScalar(b, l, args[1 + i], paramTypes[i], xOrig));
          // (x - mean) / sqrt(var + eps) * scale + B
          Value centered = arith::SubFOp::create(b, l, args[0], p[2]);
          Value denom = math::SqrtOp::create(
              b, l, arith::AddFOp::create(b, l, p[3], eps));
          Value normed = arith::DivFOp::create(b, l, centered, denom);
          return arith::AddFOp::create(
              b, l, arith::MulFOp::create(b, l, normed, p[0]), p[1]);
        });
    rewriter.replaceOp(op, y);
    return success();
  }
};

struct InstanceNormLowering : OpConversionPattern<InstanceNormalizationOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(InstanceNormalizationOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    MLIRContext *ctx = getContext();
    Value x = adaptor.getInput();
    auto xType = dyn_cast<RankedTensorType>(x.getType());
    if (!xType || xType.getRank() < 3)
      return rewriter.notifyMatchFailure(op, "expects ranked [N, C, D1, ...]");
    Type elem = xType.getElementType();
    int64_t rank = xType.getRank();
    auto reduced = llvm::to_vector(llvm::seq<int64_t>(2, rank));
    Value count = productOfDims(rewriter, loc, x, reduced);
    Value countF = indexToFloat(rewriter, loc, count, elem);
    CenteredMoments moments =
        buildCenteredMoments(rewriter, loc, x, reduced, countF);
    Value centered = moments.centered, sq = moments.sumOfSquares;
    auto statType = cast<RankedTensorType>(sq.getType());
    AffineMap statMap = getReducedMap(ctx, rank, reduced);
    ArrayRef<OpFoldResult> dims = moments.dims;
    Value eps = createConstant(rewriter, loc, elem,
                               op.getEpsilonAttr().getValueAsDouble());
    Value stdDev = buildElementwise(
        rewriter, loc, statType, {sq},
        [&](OpBuilder &b, Location l, ValueRange args) -> Value {
          Value var = arith::DivFOp::create(b, l, args[0], countF);
          return math::SqrtOp::create(b, l,
                                      arith::AddFOp::create(b, l, var, eps));
        });
    Type xOrig = getElementTypeOrSelf(op.getInput().getType());
    Type scaleOrig = getElementTypeOrSelf(op.getScale().getType());
    Type biasOrig = getElementTypeOrSelf(op.getB().getType());
    AffineMap channelMap = AffineMap::get(rank, 0, getAffineDimExpr(1, ctx));
    Value y = buildParallelGeneric(
        rewriter, loc, xType, dims,
        {centered, stdDev, adaptor.getScale(), adaptor.getB()},
        {rewriter.getMultiDimIdentityMap(rank), statMap, channelMap,
         channelMap},
        [&](OpBuilder &b, Location l, ValueRange args) -> Value {
          Value scale = convertScalar(b, l, args[2], scaleOrig, xOrig);
          Value bias = convertScalar(b, l, args[3], biasOrig, xOrig);
          Value normed = arith::DivFOp::create(b, l, args[0], args[1]);
          return arith::AddFOp::create(
              b, l, arith::MulFOp::create(b, l, normed, scale), bias);
        });
    rewriter.replaceOp(op, y);
    return success();
  }
};

struct LpNormLowering : OpConversionPattern<LpNormalizationOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(LpNormalizationOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    Value x = adaptor.getInput();
    auto xType = dyn_cast<RankedTensorType>(x.getType());
    if (!xType || xType.getRank() < 1)
      return rewriter.notifyMatchFailure(op, "expects a ranked tensor");
    int64_t p = static_cast<int64_t>(op.getP());
    if (p != 1 && p != 2)
      return rewriter.notifyMatchFailure(op, "p must be 1 or 2");
    int64_t rank = xType.getRank();
    int64_t axis = normalizeAxis(static_cast<int64_t>(op.getAxis()), rank);
    if (axis < 0 || axis >= rank)
      return rewriter.notifyMatchFailure(op, "axis out of range");
    Type elem = xType.getElementType();
    SmallVector<int64_t> reduced = {axis};
    Value norm = buildReduction(
        rewriter, loc, x, reduced, createConstant(rewriter, loc, elem, 0.0),
        [&](OpBuilder &b, Location l, Value v, Value acc) -> Value {
          Value t = p == 1 ? math::AbsFOp::create(b, l, v).getResult()
                           : arith::MulFOp::create(b, l, v, v).getResult();
          return arith::AddFOp::create(b, l, acc, t);
        });
    Value y = buildWithPartialOperands(
        rewriter, loc, xType, getDims(rewriter, loc, x), {x}, {norm},
        getReducedMap(getContext(), rank, reduced),
        [&](OpBuilder &b, Location l, ValueRange args) -> Value {
          Value n = args[1];
          if (p == 2)
            n = math::SqrtOp::create(b, l, n);
          return arith::DivFOp::create(b, l, args[0], n);
        });
    rewriter.replaceOp(op, y);
    return success();
  }
};

/// Hardmax: 1 at the first maximum along `axis`, 0 elsewhere.
struct HardmaxLowering : OpConversionPattern<HardmaxOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(HardmaxOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    Value x = adaptor.getInput();
    auto xType = dyn_cast<RankedTensorType>(x.getType());
    if (!xType || xType.getRank() < 1 ||
        !isa<FloatType>(xType.getElementType()))
      return rewriter.notifyMatchFailure(op, "needs a ranked float tensor");
    int64_t rank = xType.getRank();
    int64_t axis = normalizeAxis(static_cast<int64_t>(op.getAxis()), rank);
    Type elem = xType.getElementType();
    Type i64 = rewriter.getI64Type();
    SmallVector<int64_t> reduced = {axis};
    SmallVector<int64_t> shape;
    SmallVector<OpFoldResult> dims, inDims = getDims(rewriter, loc, x);
    getReducedShape(xType, inDims, reduced, shape, dims);
    auto valType = RankedTensorType::get(shape, elem);
    auto idxType = RankedTensorType::get(shape, i64);
    Value vals = fillTensor(rewriter, loc, valType, dims,
                            createLowestValue(rewriter, loc, elem, false));
    Value idxs = fillTensor(rewriter, loc, idxType, dims,
                            createConstant(rewriter, loc, i64, -1));
    Value argmax =
        buildArgReduction(rewriter, loc, x, axis, vals, idxs,
                          [](OpBuilder &b, Location l, Value v, Value i,
                             Value best, Value bestIdx) {
                            return isFirstMaximum(b, l, v, i, best, bestIdx,
                                                  /*isUnsignedInt=*/false);
                          })
            .second;
    AffineMap reducedMap = getReducedMap(getContext(), rank, reduced);
    Value one = createConstant(rewriter, loc, elem, 1.0);
    Value zero = createConstant(rewriter, loc, elem, 0.0);
    Value y = buildWithPartialOperands(
        rewriter, loc, xType, inDims, {}, {argmax}, reducedMap,
        [&](OpBuilder &b, Location l, ValueRange args) -> Value {
          Value i =
              castIndexTo(b, l, linalg::IndexOp::create(b, l, axis), i64);
          Value hit =
              arith::CmpIOp::create(b, l, arith::CmpIPredicate::eq, i, args[0]);
          return arith::SelectOp::create(b, l, hit, one, zero);
        });
    rewriter.replaceOp(op, y);
    return success();
  }
};

//===----------------------------------------------------------------------===//
// DepthToSpace / SpaceToDepth
//===----------------------------------------------------------------------===//

template <typename OpTy, bool toSpace>
struct BlockRearrangeLowering : OpConversionPattern<OpTy> {
  using OpConversionPattern<OpTy>::OpConversionPattern;
  LogicalResult
  matchAndRewrite(OpTy op, typename OpTy::Adaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    Value x = adaptor.getInput();
    auto xType = dyn_cast<RankedTensorType>(x.getType());
    auto resultType =
        getConvertedRankedType(this->getTypeConverter(), op.getType());
    int64_t bs = static_cast<int64_t>(op.getBlocksize());
    if (!xType || !resultType || xType.getRank() != 4 || bs < 1)
      return rewriter.notifyMatchFailure(op, "expects a 4-D input and "
                                             "blocksize >= 1");
    int64_t divided = toSpace ? 1 : 2, factor = toSpace ? bs * bs : bs;
    for (int64_t dim = divided; dim < (toSpace ? 2 : 4); ++dim)
      if (!xType.isDynamicDim(dim) && xType.getDimSize(dim) % factor != 0)
        return rewriter.notifyMatchFailure(
            op, "dimension not divisible by the block size");
    IndexMath im(rewriter, loc);
    SmallVector<OpFoldResult> d = getDims(rewriter, loc, x);
    OpFoldResult bsz = im.cst(bs);
    Value y;
    if constexpr (toSpace) {
      bool crd = false;
      if constexpr (std::is_same_v<OpTy, DepthToSpaceOp>)
        crd = op.getMode() == "CRD";
      OpFoldResult c = im.floorDiv(d[1], bs * bs);
      // DCR: [N, b, b, C', H, W]; CRD: [N, C', b, b, H, W].
      SmallVector<OpFoldResult> shape =
          crd ? SmallVector<OpFoldResult>{d[0], c, bsz, bsz, d[2], d[3]}
              : SmallVector<OpFoldResult>{d[0], bsz, bsz, c, d[2], d[3]};
      Value e = expandTo(rewriter, loc, x, {{0}, {1, 2, 3}, {4}, {5}}, shape);
      SmallVector<int64_t> perm =
          crd ? SmallVector<int64_t>{0, 1, 4, 2, 5, 3}
              : SmallVector<int64_t>{0, 3, 4, 1, 5, 2};
      Value t = buildTranspose(rewriter, loc, e, perm);
      y = tensor::CollapseShapeOp::create(
          rewriter, loc, resultType, t,
          SmallVector<ReassociationIndices>{{0}, {1}, {2, 3}, {4, 5}});
    } else {
      SmallVector<OpFoldResult> shape = {d[0], d[1], im.floorDiv(d[2], bs),
                                         bsz, im.floorDiv(d[3], bs), bsz};
      Value e = expandTo(rewriter, loc, x, {{0}, {1}, {2, 3}, {4, 5}}, shape);
      Value t = buildTranspose(rewriter, loc, e, {0, 3, 5, 1, 2, 4});
      y = tensor::CollapseShapeOp::create(
          rewriter, loc, resultType, t,
          SmallVector<ReassociationIndices>{{0}, {1, 2, 3}, {4}, {5}});
    }
    rewriter.replaceOp(op, y);
    return success();
  }
};

} // namespace

void mlir::qopt::populateQOptConvPoolToLinalgPatterns(
    const TypeConverter &converter, RewritePatternSet &patterns) {
  MLIRContext *ctx = patterns.getContext();
  patterns.add<ConvLowering, ConvTransposeLowering, MaxPoolLowering,
               AveragePoolLowering,
               GlobalPoolLowering<GlobalAveragePoolOp, false>,
               GlobalPoolLowering<GlobalMaxPoolOp, true>, BatchNormLowering,
               InstanceNormLowering, LpNormLowering, HardmaxLowering,
               BlockRearrangeLowering<DepthToSpaceOp, true>,
               BlockRearrangeLowering<SpaceToDepthOp, false>>(converter, ctx);
  populateResizePatterns(converter, patterns);
}
