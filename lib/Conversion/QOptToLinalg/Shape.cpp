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

/// `tensor.reshape` of `src` to `type`, with `dims` giving every result dim
/// (static ones from `type`); `src` itself when it has `type`.
Value reshapeTo(OpBuilder &b, Location loc, Value src, RankedTensorType type,
                ArrayRef<OpFoldResult> dims) {
  if (src.getType() == type)
    return src;
  SmallVector<OpFoldResult> sizes;
  for (auto [i, dim] : llvm::enumerate(dims))
    sizes.push_back(type.isDynamicDim(i)
                        ? dim
                        : OpFoldResult(b.getIndexAttr(type.getDimSize(i))));
  return reshapeWithSizes(b, loc, src, type, sizes);
}

struct ConstantLowering : OpConversionPattern<ConstantOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(ConstantOp op, OpAdaptor,
                  ConversionPatternRewriter &rewriter) const override {
    auto type = getConvertedRankedType(getTypeConverter(), op.getType());
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
    auto type = getConvertedRankedType(getTypeConverter(), op.getType());
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
    Value numel = productOf(rewriter, loc, inDims);
    int64_t rank = type.getRank();
    SmallVector<Value> requested;
    Value zero = arith::ConstantIndexOp::create(rewriter, loc, 0);
    Value minusOne = arith::ConstantIndexOp::create(rewriter, loc, -1);
    Value one = arith::ConstantIndexOp::create(rewriter, loc, 1);
    for (int64_t i = 0; i < rank; ++i) {
      Value s = extractAsIndex(rewriter, loc, adaptor.getShape(), i);
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
    auto type = getConvertedRankedType(getTypeConverter(), op.getType());
    auto srcType = dyn_cast<RankedTensorType>(adaptor.getInput().getType());
    if (!type || !srcType)
      return rewriter.notifyMatchFailure(op, "unranked flatten");
    int64_t axis = normalizeAxis(static_cast<int64_t>(op.getAxis()),
                                 srcType.getRank());
    SmallVector<OpFoldResult> in = getDims(rewriter, loc, adaptor.getInput());
    SmallVector<OpFoldResult> dims = {
        productOf(rewriter, loc, ArrayRef(in).take_front(axis)),
        productOf(rewriter, loc, ArrayRef(in).drop_front(axis))};
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
    auto type = getConvertedRankedType(getTypeConverter(), op.getType());
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
    auto type = getConvertedRankedType(getTypeConverter(), op.getType());
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
    auto type = getConvertedRankedType(getTypeConverter(), op.getType());
    if (!type || !isa<RankedTensorType>(adaptor.getData().getType()))
      return rewriter.notifyMatchFailure(op, "unranked transpose");
    SmallVector<int64_t> perm;
    if (auto p = op.getPerm())
      perm.assign(p->begin(), p->end());
    else
      for (int64_t i = type.getRank() - 1; i >= 0; --i)
        perm.push_back(i);
    rewriter.replaceOp(
        op, buildTranspose(rewriter, loc, adaptor.getData(), perm, type));
    return success();
  }
};

/// Consecutive `tensor.extract_slice`s along the axis: sizes from the result
/// types where static, else from `split` (constant or read at run time), else
/// an equal split (ceil(dim / n), the last part takes the rest).
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
    // `split` sizes: compile-time constants, or read at run time.
    std::optional<SmallVector<int64_t>> sizes;
    Value runtimeSizes;
    if (adaptor.getSplit()) {
      sizes = getConstantInts(adaptor.getSplit());
      if (!sizes)
        runtimeSizes = adaptor.getSplit();
    }
    SmallVector<OpFoldResult> in = getDims(rewriter, loc, input);
    // Equal split: ceil(dim / n) each, the last one takes the rest.
    Value dim = getValueOrCreateConstantIndexOp(rewriter, loc, in[axis]);
    Value nVal = arith::ConstantIndexOp::create(rewriter, loc, n);
    Value chunk = arith::CeilDivUIOp::create(rewriter, loc, dim, nVal);
    OpFoldResult offset = rewriter.getIndexAttr(0);
    SmallVector<Value> results;
    for (unsigned i = 0; i < n; ++i) {
      auto type = getConvertedRankedType(getTypeConverter(), op.getType(i));
      if (!type)
        return rewriter.notifyMatchFailure(op, "unranked result");
      OpFoldResult size;
      if (!type.isDynamicDim(axis))
        size = rewriter.getIndexAttr(type.getDimSize(axis));
      else if (sizes)
        size = rewriter.getIndexAttr((*sizes)[i]);
      else if (runtimeSizes)
        size = extractAsIndex(rewriter, loc, runtimeSizes, i);
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
      // An empty part is a fresh empty tensor (an offset into an empty dim
      // would not verify).
      if (llvm::is_contained(type.getShape(), 0))
        results.push_back(createEmpty(rewriter, loc, type, shape));
      else
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
    auto type = getConvertedRankedType(getTypeConverter(), op.getType());
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

/// The first sliced index and the element count of one ONNX Slice axis of
/// size `dim`, clamped per ONNX at run time: negative starts/ends count from
/// the end, then start is clamped to [0, dim] (step > 0) or [0, dim - 1]
/// (step < 0) and end to [0, dim] or [-1, dim - 1]; count =
/// max(ceil((end - start) / step), 0).
std::pair<Value, Value> clampSliceAxis(OpBuilder &b, Location loc,
                                       Value start, Value end, Value step,
                                       Value dim) {
  Value zero = arith::ConstantIndexOp::create(b, loc, 0);
  Value one = arith::ConstantIndexOp::create(b, loc, 1);
  Value minusOne = arith::ConstantIndexOp::create(b, loc, -1);
  Value last = arith::SubIOp::create(b, loc, dim, one);
  Value forward =
      arith::CmpIOp::create(b, loc, arith::CmpIPredicate::sgt, step, zero);
  auto clamp = [&](Value v, Value lo, Value hi) {
    return clampIndex(b, loc, v, lo, hi);
  };
  start = wrapNegativeIndex(b, loc, start, dim);
  start = arith::SelectOp::create(b, loc, forward, clamp(start, zero, dim),
                                  clamp(start, zero, last));
  end = wrapNegativeIndex(b, loc, end, dim);
  end = arith::SelectOp::create(b, loc, forward, clamp(end, zero, dim),
                                clamp(end, minusOne, last));
  Value count = arith::CeilDivSIOp::create(
      b, loc, arith::SubIOp::create(b, loc, end, start), step);
  return {start, arith::MaxSIOp::create(b, loc, count, zero)};
}

/// ONNX Slice. Constant starts/ends/axes/steps with positive steps become
/// one strided `tensor.extract_slice`. Anything else (negative steps, or
/// starts/ends/axes/steps that are graph inputs) becomes a `linalg.generic`
/// reading data[start + i * step] per dim, clamped per ONNX at run time.
struct SliceLowering : OpConversionPattern<SliceOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(SliceOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    auto type = getConvertedRankedType(getTypeConverter(), op.getType());
    auto srcType = dyn_cast<RankedTensorType>(adaptor.getData().getType());
    if (!type || !srcType)
      return rewriter.notifyMatchFailure(op, "unranked slice");
    auto starts = getConstantInts(adaptor.getStarts());
    auto ends = getConstantInts(adaptor.getEnds());
    std::optional<SmallVector<int64_t>> axes, steps;
    if (starts) {
      axes.emplace();
      steps.emplace(starts->size(), 1);
      for (int64_t i = 0, e = starts->size(); i < e; ++i)
        axes->push_back(i);
    }
    if (adaptor.getAxes())
      axes = getConstantInts(adaptor.getAxes());
    if (adaptor.getSteps())
      steps = getConstantInts(adaptor.getSteps());
    if (starts && ends && axes && steps &&
        llvm::all_of(*steps, [](int64_t s) { return s > 0; }))
      return lowerStatic(op, adaptor, type, *starts, *ends, *axes, *steps,
                         rewriter);
    return lowerDynamic(op, adaptor, type, rewriter);
  }

  /// Constant parameters, positive steps: a strided extract_slice.
  LogicalResult lowerStatic(SliceOp op, OpAdaptor adaptor,
                            RankedTensorType type, ArrayRef<int64_t> starts,
                            ArrayRef<int64_t> ends, ArrayRef<int64_t> axes,
                            ArrayRef<int64_t> steps,
                            ConversionPatternRewriter &rewriter) const {
    Location loc = op.getLoc();
    Value data = adaptor.getData();
    int64_t rank = type.getRank();
    SmallVector<OpFoldResult> offsets(rank, rewriter.getIndexAttr(0));
    SmallVector<OpFoldResult> sizes = getDims(rewriter, loc, data);
    SmallVector<OpFoldResult> strides(rank, rewriter.getIndexAttr(1));
    for (auto [i, axisRaw] : llvm::enumerate(axes)) {
      int64_t axis = normalizeAxis(axisRaw, rank);
      int64_t step = steps[i];
      int64_t start = starts[i], end = ends[i];
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

  /// Run-time parameters or negative steps: per dim a (start, step, count)
  /// computed at run time (an axis read at run time selects its dim), then
  /// out[i] = data[start + i * step].
  LogicalResult lowerDynamic(SliceOp op, OpAdaptor adaptor,
                             RankedTensorType type,
                             ConversionPatternRewriter &rewriter) const {
    Location loc = op.getLoc();
    Value data = adaptor.getData();
    int64_t rank = type.getRank();
    auto startsType = cast<RankedTensorType>(adaptor.getStarts().getType());
    if (startsType.getRank() != 1 || startsType.isDynamicDim(0))
      return rewriter.notifyMatchFailure(op, "unknown number of sliced axes");
    int64_t n = startsType.getDimSize(0);
    std::optional<SmallVector<int64_t>> constAxes;
    if (adaptor.getAxes())
      constAxes = getConstantInts(adaptor.getAxes());
    Value zero = arith::ConstantIndexOp::create(rewriter, loc, 0);
    Value one = arith::ConstantIndexOp::create(rewriter, loc, 1);
    SmallVector<Value> dims = getDimValues(rewriter, loc, data);
    SmallVector<Value> starts(rank, zero), steps(rank, one), counts = dims;
    for (int64_t i = 0; i < n; ++i) {
      auto at = [&](Value t) { return extractAsIndex(rewriter, loc, t, i); };
      Value start = at(adaptor.getStarts()), end = at(adaptor.getEnds());
      Value step = adaptor.getSteps() ? at(adaptor.getSteps()) : one;
      if (!adaptor.getAxes() || constAxes) {
        int64_t axis =
            constAxes ? normalizeAxis((*constAxes)[i], rank) : i;
        auto [s, count] =
            clampSliceAxis(rewriter, loc, start, end, step, dims[axis]);
        starts[axis] = s;
        steps[axis] = step;
        counts[axis] = count;
        continue;
      }
      Value axis = extractAxis(rewriter, loc, adaptor.getAxes(), i, rank);
      SmallVector<Value> isAxis;
      Value dim = dims[0];
      for (int64_t d = 0; d < rank; ++d) {
        isAxis.push_back(arith::CmpIOp::create(
            rewriter, loc, arith::CmpIPredicate::eq, axis,
            arith::ConstantIndexOp::create(rewriter, loc, d)));
        dim = arith::SelectOp::create(rewriter, loc, isAxis[d], dims[d], dim);
      }
      auto [s, count] = clampSliceAxis(rewriter, loc, start, end, step, dim);
      for (int64_t d = 0; d < rank; ++d) {
        starts[d] =
            arith::SelectOp::create(rewriter, loc, isAxis[d], s, starts[d]);
        steps[d] =
            arith::SelectOp::create(rewriter, loc, isAxis[d], step, steps[d]);
        counts[d] = arith::SelectOp::create(rewriter, loc, isAxis[d], count,
                                            counts[d]);
      }
    }
    SmallVector<OpFoldResult> outDims;
    for (int64_t d = 0; d < rank; ++d)
      outDims.push_back(type.isDynamicDim(d)
                            ? OpFoldResult(counts[d])
                            : OpFoldResult(rewriter.getIndexAttr(
                                  type.getDimSize(d))));
    Value result = buildParallelGeneric(
        rewriter, loc, type, outDims, {}, {},
        [&](OpBuilder &b, Location l, ValueRange) -> Value {
          SmallVector<Value> coords;
          for (int64_t d = 0; d < rank; ++d)
            coords.push_back(arith::AddIOp::create(
                b, l, starts[d],
                arith::MulIOp::create(b, l, linalg::IndexOp::create(b, l, d),
                                      steps[d])));
          return tensor::ExtractOp::create(b, l, data, coords);
        });
    rewriter.replaceOp(op, result);
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
    auto type = getConvertedRankedType(getTypeConverter(), op.getType());
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
    AffineMap idxMap = AffineMap::get(outRank, 0, idxExprs, ctx);
    Value axisDim = tensor::DimOp::create(rewriter, loc, data, axis);
    Value result = buildParallelGeneric(
        rewriter, loc, init, {indices}, {idxMap},
        [&](OpBuilder &b, Location l, ValueRange args) -> Value {
          Value idx =
              wrapNegativeIndex(b, l, castToIndex(b, l, args[0]), axisDim);
          SmallVector<Value> coords;
          for (int64_t d = 0; d < axis; ++d)
            coords.push_back(linalg::IndexOp::create(b, l, d));
          coords.push_back(idx);
          for (int64_t d = axis + q; d < outRank; ++d)
            coords.push_back(linalg::IndexOp::create(b, l, d));
          return tensor::ExtractOp::create(b, l, data, coords);
        });
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
    auto type = getConvertedRankedType(getTypeConverter(), op.getType());
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
    auto type = getConvertedRankedType(getTypeConverter(), op.getType());
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
      if (sd >= 0 && !ShapedType::isDynamic(shapeLen))
        size = extractAsIndex(rewriter, loc, adaptor.getShape(), sd);
      int64_t id = d - (rank - srcType.getRank());
      if (id >= 0)
        size = arith::MaxSIOp::create(
            rewriter, loc, size,
            tensor::DimOp::create(rewriter, loc, input, id));
      dims.push_back(size);
    }
    rewriter.replaceOp(
        op, buildParallelGeneric(rewriter, loc, type, dims, {input},
                                 {getBroadcastMap(getContext(), srcType, type)},
                                 [](OpBuilder &, Location, ValueRange args) {
                                   return args[0];
                                 }));
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
