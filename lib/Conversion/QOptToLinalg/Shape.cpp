//===- Shape.cpp - qopt shape / data-movement ops -> tensor -------*- C++ -*-===//
//
// Constant, Identity, Reshape, Flatten, Squeeze, Unsqueeze, Transpose,
// Split, Concat, Slice, Gather, Shape and Expand as tensor / linalg ops.
// Reshapes go through `tensor.reshape` with a computed shape, which keeps
// every ONNX case (0 = copy, -1 = infer, dynamic dims) on one path.
//
//===----------------------------------------------------------------------===//

#include "Utils.h"

#include "qopt/Conversion/QOptToLinalg/QOptToLinalg.h"
#include "qopt/Dialect/QOpt/IR/QOptDialect.h"

#include "mlir/Dialect/Arith/Utils/Utils.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/DialectResourceBlobManager.h"

using namespace mlir;
using namespace mlir::qopt;
using namespace mlir::qopt::to_linalg;

namespace {

RankedTensorType convertedRanked(const TypeConverter *converter, Type type) {
  return dyn_cast_or_null<RankedTensorType>(converter->convertType(type));
}

/// `tensor.reshape` of `src` to `type`, with `dims` giving every result dim.
Value reshapeTo(OpBuilder &b, Location loc, Value src, RankedTensorType type,
                ArrayRef<OpFoldResult> dims) {
  if (src.getType() == type)
    return src;
  SmallVector<Value> sizes;
  for (auto [i, dim] : llvm::enumerate(dims))
    sizes.push_back(type.isDynamicDim(i)
                        ? getValueOrCreateConstantIndexOp(b, loc, dim)
                        : arith::ConstantIndexOp::create(b, loc,
                                                         type.getDimSize(i))
                              .getResult());
  auto shapeType =
      RankedTensorType::get({type.getRank()}, b.getIndexType());
  Value shape = tensor::FromElementsOp::create(b, loc, shapeType, sizes);
  return tensor::ReshapeOp::create(b, loc, type, src, shape);
}

Value product(OpBuilder &b, Location loc, ArrayRef<OpFoldResult> dims) {
  Value p = arith::ConstantIndexOp::create(b, loc, 1);
  for (OpFoldResult d : dims)
    p = arith::MulIOp::create(b, loc, p,
                              getValueOrCreateConstantIndexOp(b, loc, d));
  return p;
}

struct ConstantLowering : OpConversionPattern<ConstantOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(ConstantOp op, OpAdaptor,
                  ConversionPatternRewriter &rewriter) const override {
    auto type = convertedRanked(getTypeConverter(), op.getType());
    if (!type)
      return rewriter.notifyMatchFailure(op, "unranked constant");
    Attribute value = op.getValue();
    TypedAttr converted;
    if (auto dense = dyn_cast<DenseElementsAttr>(value)) {
      converted = dense.getType() == type
                      ? dense
                      : dense.bitcast(type.getElementType()).reshape(type);
    } else if (auto resource = dyn_cast<DenseResourceElementsAttr>(value)) {
      converted =
          DenseResourceElementsAttr::get(type, resource.getRawHandle());
    } else {
      return rewriter.notifyMatchFailure(op, "unsupported constant kind");
    }
    rewriter.replaceOpWithNewOp<arith::ConstantOp>(op, type, converted);
    return success();
  }
};

/// Ops whose lowering is their operand (Identity; Dropout in inference).
template <typename OpTy>
struct ForwardLowering : OpConversionPattern<OpTy> {
  using OpConversionPattern<OpTy>::OpConversionPattern;
  LogicalResult
  matchAndRewrite(OpTy op, typename OpTy::Adaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    rewriter.replaceOp(op, adaptor.getOperands().front());
    return success();
  }
};

struct ReshapeLowering : OpConversionPattern<ReshapeOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(ReshapeOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    auto type = convertedRanked(getTypeConverter(), op.getType());
    auto srcType = dyn_cast<RankedTensorType>(adaptor.getData().getType());
    if (!type || !srcType)
      return rewriter.notifyMatchFailure(op, "unranked reshape");
    if (type.hasStaticShape()) {
      rewriter.replaceOp(op, reshapeTo(rewriter, loc, adaptor.getData(), type,
                                       getAsIndexOpFoldResult(
                                           getContext(), type.getShape())));
      return success();
    }
    // Runtime shape: d_i = (s_i == 0 && !allowzero) ? in_i : s_i; the -1
    // entry is numel / product(the others).
    Value data = adaptor.getData();
    SmallVector<OpFoldResult> inDims = getDims(rewriter, loc, data);
    Value numel = product(rewriter, loc, inDims);
    int64_t rank = type.getRank();
    SmallVector<Value> requested;
    Value zero = arith::ConstantIndexOp::create(rewriter, loc, 0);
    Value minusOne = arith::ConstantIndexOp::create(rewriter, loc, -1);
    Value one = arith::ConstantIndexOp::create(rewriter, loc, 1);
    for (int64_t i = 0; i < rank; ++i) {
      Value idx = arith::ConstantIndexOp::create(rewriter, loc, i);
      Value s = castToIndex(
          rewriter, loc,
          tensor::ExtractOp::create(rewriter, loc, adaptor.getShape(), idx));
      if (op.getAllowzero() == 0 && i < srcType.getRank()) {
        Value isZero = arith::CmpIOp::create(
            rewriter, loc, arith::CmpIPredicate::eq, s, zero);
        Value inDim = getValueOrCreateConstantIndexOp(rewriter, loc,
                                                      inDims[i]);
        s = arith::SelectOp::create(rewriter, loc, isZero, inDim, s);
      }
      requested.push_back(s);
    }
    Value known = one;
    for (Value s : requested) {
      Value isInfer = arith::CmpIOp::create(
          rewriter, loc, arith::CmpIPredicate::eq, s, minusOne);
      known = arith::MulIOp::create(
          rewriter, loc, known,
          arith::SelectOp::create(rewriter, loc, isInfer, one, s));
    }
    Value inferred = arith::DivUIOp::create(rewriter, loc, numel, known);
    SmallVector<OpFoldResult> dims;
    for (Value s : requested) {
      Value isInfer = arith::CmpIOp::create(
          rewriter, loc, arith::CmpIPredicate::eq, s, minusOne);
      dims.push_back(
          arith::SelectOp::create(rewriter, loc, isInfer, inferred, s)
              .getResult());
    }
    rewriter.replaceOp(op, reshapeTo(rewriter, loc, data, type, dims));
    return success();
  }
};

struct FlattenLowering : OpConversionPattern<FlattenOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(FlattenOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    auto type = convertedRanked(getTypeConverter(), op.getType());
    auto srcType = dyn_cast<RankedTensorType>(adaptor.getInput().getType());
    if (!type || !srcType)
      return rewriter.notifyMatchFailure(op, "unranked flatten");
    int64_t axis = normalizeAxis(static_cast<int64_t>(op.getAxis()),
                                 srcType.getRank());
    SmallVector<OpFoldResult> in = getDims(rewriter, loc, adaptor.getInput());
    SmallVector<OpFoldResult> dims = {
        product(rewriter, loc, ArrayRef(in).take_front(axis)),
        product(rewriter, loc, ArrayRef(in).drop_front(axis))};
    rewriter.replaceOp(op,
                       reshapeTo(rewriter, loc, adaptor.getInput(), type, dims));
    return success();
  }
};

struct SqueezeLowering : OpConversionPattern<SqueezeOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(SqueezeOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    auto type = convertedRanked(getTypeConverter(), op.getType());
    auto srcType = dyn_cast<RankedTensorType>(adaptor.getData().getType());
    if (!type || !srcType)
      return rewriter.notifyMatchFailure(op, "unranked squeeze");
    llvm::SmallDenseSet<int64_t> squeezed;
    if (auto axes = op.getAxes()) {
      for (int64_t a : *axes)
        squeezed.insert(normalizeAxis(a, srcType.getRank()));
    } else {
      for (auto [i, d] : llvm::enumerate(srcType.getShape()))
        if (d == 1)
          squeezed.insert(i);
    }
    SmallVector<OpFoldResult> in = getDims(rewriter, loc, adaptor.getData());
    SmallVector<OpFoldResult> dims;
    for (auto [i, d] : llvm::enumerate(in))
      if (!squeezed.contains(i))
        dims.push_back(d);
    if (static_cast<int64_t>(dims.size()) != type.getRank())
      return rewriter.notifyMatchFailure(op, "rank mismatch");
    rewriter.replaceOp(op,
                       reshapeTo(rewriter, loc, adaptor.getData(), type, dims));
    return success();
  }
};

struct UnsqueezeLowering : OpConversionPattern<UnsqueezeOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(UnsqueezeOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    auto type = convertedRanked(getTypeConverter(), op.getType());
    if (!type || !isa<RankedTensorType>(adaptor.getData().getType()))
      return rewriter.notifyMatchFailure(op, "unranked unsqueeze");
    llvm::SmallDenseSet<int64_t> inserted;
    for (int64_t a : op.getAxes())
      inserted.insert(normalizeAxis(a, type.getRank()));
    SmallVector<OpFoldResult> in = getDims(rewriter, loc, adaptor.getData());
    SmallVector<OpFoldResult> dims;
    unsigned next = 0;
    for (int64_t i = 0; i < type.getRank(); ++i)
      dims.push_back(inserted.contains(i) ? rewriter.getIndexAttr(1)
                                          : in[next++]);
    rewriter.replaceOp(op,
                       reshapeTo(rewriter, loc, adaptor.getData(), type, dims));
    return success();
  }
};

struct TransposeLowering : OpConversionPattern<TransposeOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(TransposeOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    auto type = convertedRanked(getTypeConverter(), op.getType());
    if (!type || !isa<RankedTensorType>(adaptor.getData().getType()))
      return rewriter.notifyMatchFailure(op, "unranked transpose");
    SmallVector<int64_t> perm;
    if (auto p = op.getPerm())
      perm.assign(p->begin(), p->end());
    else
      for (int64_t i = type.getRank() - 1; i >= 0; --i)
        perm.push_back(i);
    SmallVector<OpFoldResult> in = getDims(rewriter, loc, adaptor.getData());
    SmallVector<OpFoldResult> dims;
    for (int64_t p : perm)
      dims.push_back(in[p]);
    Value init = createEmpty(rewriter, loc, type, dims);
    rewriter.replaceOp(op, linalg::TransposeOp::create(rewriter, loc,
                                                       adaptor.getData(), init,
                                                       perm)
                               .getResult()[0]);
    return success();
  }
};

struct SplitLowering : OpConversionPattern<SplitOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(SplitOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    Value input = adaptor.getInput();
    auto srcType = dyn_cast<RankedTensorType>(input.getType());
    if (!srcType)
      return rewriter.notifyMatchFailure(op, "unranked split");
    int64_t rank = srcType.getRank();
    int64_t axis = normalizeAxis(static_cast<int64_t>(op.getAxis()), rank);
    unsigned n = op.getNumResults();
    std::optional<SmallVector<int64_t>> sizes;
    if (adaptor.getSplit()) {
      sizes = getConstantInts(adaptor.getSplit());
      if (!sizes)
        return rewriter.notifyMatchFailure(op, "run-time split sizes");
    }
    SmallVector<OpFoldResult> in = getDims(rewriter, loc, input);
    // Equal split: ceil(dim / n) each, the last one takes the rest.
    Value dim = getValueOrCreateConstantIndexOp(rewriter, loc, in[axis]);
    Value nVal = arith::ConstantIndexOp::create(rewriter, loc, n);
    Value chunk = arith::CeilDivUIOp::create(rewriter, loc, dim, nVal);
    OpFoldResult offset = rewriter.getIndexAttr(0);
    SmallVector<Value> results;
    for (unsigned i = 0; i < n; ++i) {
      auto type = convertedRanked(getTypeConverter(), op.getType(i));
      if (!type)
        return rewriter.notifyMatchFailure(op, "unranked result");
      OpFoldResult size;
      if (!type.isDynamicDim(axis))
        size = rewriter.getIndexAttr(type.getDimSize(axis));
      else if (sizes)
        size = rewriter.getIndexAttr((*sizes)[i]);
      else if (i + 1 < n)
        size = chunk;
      else
        size = arith::SubIOp::create(
                   rewriter, loc, dim,
                   getValueOrCreateConstantIndexOp(rewriter, loc, offset))
                   .getResult();
      SmallVector<OpFoldResult> offsets(rank, rewriter.getIndexAttr(0));
      SmallVector<OpFoldResult> shape = in;
      SmallVector<OpFoldResult> strides(rank, rewriter.getIndexAttr(1));
      offsets[axis] = offset;
      shape[axis] = size;
      results.push_back(tensor::ExtractSliceOp::create(
          rewriter, loc, type, input, offsets, shape, strides));
      offset = arith::AddIOp::create(
                   rewriter, loc,
                   getValueOrCreateConstantIndexOp(rewriter, loc, offset),
                   getValueOrCreateConstantIndexOp(rewriter, loc, size))
                   .getResult();
    }
    rewriter.replaceOp(op, results);
    return success();
  }
};

struct ConcatLowering : OpConversionPattern<ConcatOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(ConcatOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    auto type = convertedRanked(getTypeConverter(), op.getType());
    if (!type)
      return rewriter.notifyMatchFailure(op, "unranked concat");
    int64_t rank = type.getRank();
    int64_t axis = normalizeAxis(op.getAxis(), rank);
    SmallVector<Value> inputs(adaptor.getInputs());
    SmallVector<OpFoldResult> dims = getDims(rewriter, loc, inputs.front());
    Value total = arith::ConstantIndexOp::create(rewriter, loc, 0);
    for (Value v : inputs)
      total = arith::AddIOp::create(rewriter, loc, total,
                                    tensor::DimOp::create(rewriter, loc, v,
                                                          axis));
    dims[axis] = total;
    Value result = createEmpty(rewriter, loc, type, dims);
    Value offset = arith::ConstantIndexOp::create(rewriter, loc, 0);
    for (Value v : inputs) {
      SmallVector<OpFoldResult> offsets(rank, rewriter.getIndexAttr(0));
      SmallVector<OpFoldResult> strides(rank, rewriter.getIndexAttr(1));
      offsets[axis] = offset;
      result = tensor::InsertSliceOp::create(rewriter, loc, v, result, offsets,
                                             getDims(rewriter, loc, v),
                                             strides);
      offset = arith::AddIOp::create(rewriter, loc, offset,
                                     tensor::DimOp::create(rewriter, loc, v,
                                                           axis));
    }
    rewriter.replaceOp(op, result);
    return success();
  }
};

/// ONNX Slice with constant starts/ends/axes/steps (steps > 0).
struct SliceLowering : OpConversionPattern<SliceOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(SliceOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    auto type = convertedRanked(getTypeConverter(), op.getType());
    Value data = adaptor.getData();
    auto srcType = dyn_cast<RankedTensorType>(data.getType());
    if (!type || !srcType)
      return rewriter.notifyMatchFailure(op, "unranked slice");
    int64_t rank = srcType.getRank();
    auto starts = getConstantInts(adaptor.getStarts());
    auto ends = getConstantInts(adaptor.getEnds());
    if (!starts || !ends)
      return rewriter.notifyMatchFailure(op, "run-time starts / ends");
    SmallVector<int64_t> axes, steps(starts->size(), 1);
    if (adaptor.getAxes()) {
      auto a = getConstantInts(adaptor.getAxes());
      if (!a)
        return rewriter.notifyMatchFailure(op, "run-time axes");
      axes = *a;
    } else {
      for (int64_t i = 0, e = starts->size(); i < e; ++i)
        axes.push_back(i);
    }
    if (adaptor.getSteps()) {
      auto s = getConstantInts(adaptor.getSteps());
      if (!s)
        return rewriter.notifyMatchFailure(op, "run-time steps");
      steps = *s;
    }
    SmallVector<OpFoldResult> offsets(rank, rewriter.getIndexAttr(0));
    SmallVector<OpFoldResult> sizes = getDims(rewriter, loc, data);
    SmallVector<OpFoldResult> strides(rank, rewriter.getIndexAttr(1));
    for (auto [i, axisRaw] : llvm::enumerate(axes)) {
      int64_t axis = normalizeAxis(axisRaw, rank);
      int64_t step = steps[i];
      if (step <= 0)
        return rewriter.notifyMatchFailure(op, "non-positive step");
      int64_t start = (*starts)[i], end = (*ends)[i];
      // Clamp as ONNX does: negative values count from the end, then
      // clamp to [0, dim].
      auto clampIndex = [&](int64_t v) -> Value {
        Value dim = tensor::DimOp::create(rewriter, loc, data, axis);
        Value zero = arith::ConstantIndexOp::create(rewriter, loc, 0);
        Value r;
        if (v < 0) {
          int64_t mag = v == INT64_MIN ? INT64_MAX : -v;
          Value m = arith::ConstantIndexOp::create(rewriter, loc, mag);
          r = arith::SubIOp::create(rewriter, loc, dim,
                                    arith::MinSIOp::create(rewriter, loc, m,
                                                           dim));
        } else {
          Value c = arith::ConstantIndexOp::create(
              rewriter, loc, std::min<int64_t>(v, INT64_MAX / 2));
          r = arith::MinSIOp::create(rewriter, loc, c, dim);
        }
        return arith::MaxSIOp::create(rewriter, loc, r, zero);
      };
      Value s = clampIndex(start), e = clampIndex(end);
      Value len = arith::MaxSIOp::create(
          rewriter, loc, arith::SubIOp::create(rewriter, loc, e, s),
          arith::ConstantIndexOp::create(rewriter, loc, 0));
      Value count = arith::CeilDivSIOp::create(
          rewriter, loc, len,
          arith::ConstantIndexOp::create(rewriter, loc, step));
      offsets[axis] = s;
      sizes[axis] = count;
      strides[axis] = rewriter.getIndexAttr(step);
    }
    for (int64_t d = 0; d < rank; ++d)
      if (!type.isDynamicDim(d))
        sizes[d] = rewriter.getIndexAttr(type.getDimSize(d));
    rewriter.replaceOp(op, tensor::ExtractSliceOp::create(
                               rewriter, loc, type, data, offsets, sizes,
                               strides));
    return success();
  }
};

/// out[i.., j.., k..] = data[i.., indices[j..], k..] (negative indices wrap).
struct GatherLowering : OpConversionPattern<GatherOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(GatherOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    MLIRContext *ctx = getContext();
    auto type = convertedRanked(getTypeConverter(), op.getType());
    Value data = adaptor.getData(), indices = adaptor.getIndices();
    auto dataType = dyn_cast<RankedTensorType>(data.getType());
    auto idxType = dyn_cast<RankedTensorType>(indices.getType());
    if (!type || !dataType || !idxType)
      return rewriter.notifyMatchFailure(op, "unranked gather");
    int64_t r = dataType.getRank(), q = idxType.getRank();
    int64_t axis = normalizeAxis(static_cast<int64_t>(op.getAxis()), r);
    SmallVector<OpFoldResult> dataDims = getDims(rewriter, loc, data);
    SmallVector<OpFoldResult> idxDims = getDims(rewriter, loc, indices);
    SmallVector<OpFoldResult> dims(dataDims.begin(),
                                   dataDims.begin() + axis);
    dims.append(idxDims);
    dims.append(dataDims.begin() + axis + 1, dataDims.end());
    Value init = createEmpty(rewriter, loc, type, dims);
    int64_t outRank = type.getRank();
    SmallVector<AffineExpr> idxExprs;
    for (int64_t j = 0; j < q; ++j)
      idxExprs.push_back(getAffineDimExpr(axis + j, ctx));
    SmallVector<AffineMap> maps = {
        AffineMap::get(outRank, 0, idxExprs, ctx),
        AffineMap::getMultiDimIdentityMap(outRank, ctx)};
    SmallVector<utils::IteratorType> iterators(outRank,
                                               utils::IteratorType::parallel);
    Value axisDim = tensor::DimOp::create(rewriter, loc, data, axis);
    Value result =
        linalg::GenericOp::create(
            rewriter, loc, TypeRange{type}, ValueRange{indices},
            ValueRange{init}, maps, iterators,
            [&](OpBuilder &b, Location l, ValueRange args) {
              Value idx = castToIndex(b, l, args[0]);
              Value zero = arith::ConstantIndexOp::create(b, l, 0);
              Value neg = arith::CmpIOp::create(
                  b, l, arith::CmpIPredicate::slt, idx, zero);
              idx = arith::SelectOp::create(
                  b, l, neg, arith::AddIOp::create(b, l, idx, axisDim), idx);
              SmallVector<Value> coords;
              for (int64_t d = 0; d < axis; ++d)
                coords.push_back(linalg::IndexOp::create(b, l, d));
              coords.push_back(idx);
              for (int64_t d = axis + q; d < outRank; ++d)
                coords.push_back(linalg::IndexOp::create(b, l, d));
              Value v = tensor::ExtractOp::create(b, l, data, coords);
              linalg::YieldOp::create(b, l, v);
            })
            .getResult(0);
    rewriter.replaceOp(op, result);
    return success();
  }
};

struct ShapeLowering : OpConversionPattern<ShapeOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(ShapeOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    auto srcType = dyn_cast<RankedTensorType>(adaptor.getData().getType());
    auto type = convertedRanked(getTypeConverter(), op.getType());
    if (!srcType || !type)
      return rewriter.notifyMatchFailure(op, "unranked shape");
    int64_t rank = srcType.getRank();
    int64_t start = static_cast<int64_t>(op.getStart());
    int64_t end = op.getEnd() ? static_cast<int64_t>(*op.getEnd()) : rank;
    start = std::clamp<int64_t>(start < 0 ? start + rank : start, 0, rank);
    end = std::clamp<int64_t>(end < 0 ? end + rank : end, 0, rank);
    SmallVector<Value> values;
    for (int64_t d = start; d < end; ++d)
      values.push_back(castIndexTo(
          rewriter, loc, tensor::DimOp::create(rewriter, loc,
                                               adaptor.getData(), d),
          rewriter.getI64Type()));
    rewriter.replaceOpWithNewOp<tensor::FromElementsOp>(op, type, values);
    return success();
  }
};

struct ExpandLowering : OpConversionPattern<ExpandOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(ExpandOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    auto type = convertedRanked(getTypeConverter(), op.getType());
    Value input = adaptor.getInput();
    auto srcType = dyn_cast<RankedTensorType>(input.getType());
    if (!type || !srcType)
      return rewriter.notifyMatchFailure(op, "unranked expand");
    int64_t rank = type.getRank();
    auto shapeType = cast<RankedTensorType>(adaptor.getShape().getType());
    int64_t shapeLen = shapeType.getDimSize(0);
    SmallVector<OpFoldResult> dims;
    for (int64_t d = 0; d < rank; ++d) {
      if (!type.isDynamicDim(d)) {
        dims.push_back(rewriter.getIndexAttr(type.getDimSize(d)));
        continue;
      }
      // max(shape[d'], input dim d'') over what exists.
      Value size = arith::ConstantIndexOp::create(rewriter, loc, 1);
      int64_t sd = d - (rank - shapeLen);
      if (sd >= 0 && !ShapedType::isDynamic(shapeLen)) {
        Value idx = arith::ConstantIndexOp::create(rewriter, loc, sd);
        size = castToIndex(rewriter, loc,
                           tensor::ExtractOp::create(rewriter, loc,
                                                     adaptor.getShape(), idx));
      }
      int64_t id = d - (rank - srcType.getRank());
      if (id >= 0)
        size = arith::MaxSIOp::create(
            rewriter, loc, size,
            tensor::DimOp::create(rewriter, loc, input, id));
      dims.push_back(size);
    }
    Value init = createEmpty(rewriter, loc, type, dims);
    SmallVector<AffineMap> maps = {
        getBroadcastMap(getContext(), srcType, type),
        rewriter.getMultiDimIdentityMap(rank)};
    SmallVector<utils::IteratorType> iterators(rank,
                                               utils::IteratorType::parallel);
    rewriter.replaceOp(
        op, linalg::GenericOp::create(
                rewriter, loc, TypeRange{type}, ValueRange{input},
                ValueRange{init}, maps, iterators,
                [](OpBuilder &b, Location l, ValueRange args) {
                  linalg::YieldOp::create(b, l, args[0]);
                })
                .getResult(0));
    return success();
  }
};

} // namespace

void mlir::qopt::populateQOptShapeToLinalgPatterns(
    const TypeConverter &converter, RewritePatternSet &patterns) {
  patterns.add<ConstantLowering, ForwardLowering<IdentityOp>, ReshapeLowering,
               FlattenLowering, SqueezeLowering, UnsqueezeLowering,
               TransposeLowering, SplitLowering, ConcatLowering, SliceLowering,
               GatherLowering, ShapeLowering, ExpandLowering>(
      converter, patterns.getContext());
}
