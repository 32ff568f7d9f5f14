//===- DataMovement.cpp - gather / scatter / pad / ... -> linalg ---*- C++ -*-===//
//
// Index-computing ops. Most are one `linalg.generic` over the result whose
// body computes source coordinates from `linalg.index` and reads them with
// `tensor.extract` (GatherElements, GatherND, Tile, Pad, Trilu, Range,
// CumSum); Einsum is one contraction generic built from the equation. The
// scatters and TopK need sequential semantics and are `scf.for` nests that
// carry the result tensor (`tensor.extract` / `tensor.insert`).
//
//===----------------------------------------------------------------------===//

#include "Utils.h"

#include "qopt/Conversion/QOptToLinalg/QOptToLinalg.h"
#include "qopt/Dialect/QOpt/IR/QOptDialect.h"

#include "mlir/Dialect/Arith/Utils/Utils.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/SCF/IR/SCF.h"

#include <map>

using namespace mlir;
using namespace mlir::qopt;
using namespace mlir::qopt::to_linalg;

namespace {

//===----------------------------------------------------------------------===//
// Helpers
//===----------------------------------------------------------------------===//

Value cIndex(OpBuilder &b, Location loc, int64_t v) {
  return arith::ConstantIndexOp::create(b, loc, v);
}

using LoopBody = llvm::function_ref<SmallVector<Value>(
    OpBuilder &, Location, ValueRange ivs, ValueRange iterArgs)>;

/// An `scf.for` nest over [0, ubs) carrying `init`; returns the final values
/// (the body runs once when `ubs` is empty).
SmallVector<Value> buildLoops(OpBuilder &b, Location loc, ArrayRef<Value> ubs,
                              ValueRange init, LoopBody body) {
  if (ubs.empty())
    return body(b, loc, ValueRange{}, init);
  SmallVector<Value> lbs(ubs.size(), cIndex(b, loc, 0));
  SmallVector<Value> steps(ubs.size(), cIndex(b, loc, 1));
  scf::LoopNest nest = scf::buildLoopNest(
      b, loc, lbs, ubs, steps, init,
      [&](OpBuilder &nb, Location nl, ValueRange ivs, ValueRange args) {
        return scf::ValueVector(body(nb, nl, ivs, args));
      });
  return SmallVector<Value>(nest.results);
}

/// The `k` coordinates indices[prefix..., 0..k-1] (GatherND / ScatterND
/// index tuples), negative ones wrapped by the sizes `dims`.
SmallVector<Value> readIndexTuple(OpBuilder &b, Location loc, Value indices,
                                  ValueRange prefix, int64_t k,
                                  ArrayRef<Value> dims) {
  SmallVector<Value> idxCoords(prefix.begin(), prefix.end());
  idxCoords.push_back(Value());
  SmallVector<Value> coords;
  for (int64_t j = 0; j < k; ++j) {
    idxCoords.back() = cIndex(b, loc, j);
    Value idx = extractAsIndex(b, loc, indices, idxCoords);
    coords.push_back(wrapNegativeIndex(b, loc, idx, dims[j]));
  }
  return coords;
}

/// The scatter reductions of ONNX: `old (op) update`.
std::optional<Value> combineScatter(OpBuilder &b, Location loc,
                                    StringRef reduction, Value old,
                                    Value update, bool isUnsignedInt) {
  if (reduction == "none")
    return update;
  if (reduction == "add")
    return addScalar(b, loc, old, update);
  if (reduction == "mul")
    return mulScalar(b, loc, old, update);
  if (reduction == "max")
    return maxScalar(b, loc, old, update, isUnsignedInt);
  if (reduction == "min")
    return minScalar(b, loc, old, update, isUnsignedInt);
  return std::nullopt;
}

bool isKnownReduction(StringRef r) {
  return llvm::is_contained({"none", "add", "mul", "max", "min"}, r);
}

/// `dest` with `update` stored at `coords`, combined by `reduction` with the
/// element there (one step of a scatter).
Value scatterElement(OpBuilder &b, Location loc, StringRef reduction,
                     Value dest, ValueRange coords, Value update,
                     bool isUnsignedInt) {
  Value old = reduction == "none"
                  ? Value()
                  : tensor::ExtractOp::create(b, loc, dest, coords).getResult();
  Value v = *combineScatter(b, loc, reduction, old, update, isUnsignedInt);
  return tensor::InsertOp::create(b, loc, v, dest, coords);
}

//===----------------------------------------------------------------------===//
// Gathers
//===----------------------------------------------------------------------===//

/// out[i] = data[i with i[axis] replaced by indices[i]] (out has the shape
/// of indices).
struct GatherElementsLowering : OpConversionPattern<GatherElementsOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(GatherElementsOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    auto type = getConvertedRankedType(getTypeConverter(), op.getType());
    Value data = adaptor.getData(), indices = adaptor.getIndices();
    auto dataType = dyn_cast<RankedTensorType>(data.getType());
    if (!type || !dataType || !isa<RankedTensorType>(indices.getType()))
      return rewriter.notifyMatchFailure(op, "unranked gather_elements");
    int64_t rank = type.getRank();
    int64_t axis = normalizeAxis(static_cast<int64_t>(op.getAxis()), rank);
    Value init = createEmpty(rewriter, loc, type, getDims(rewriter, loc,
                                                          indices));
    Value axisDim = tensor::DimOp::create(rewriter, loc, data, axis);
    Value result = buildParallelGeneric(
        rewriter, loc, init, {indices}, {rewriter.getMultiDimIdentityMap(rank)},
        [&](OpBuilder &b, Location l, ValueRange args) -> Value {
          SmallVector<Value> coords = getLoopIndices(b, l, rank);
          coords[axis] =
              wrapNegativeIndex(b, l, castToIndex(b, l, args[0]), axisDim);
          return tensor::ExtractOp::create(b, l, data, coords);
        });
    rewriter.replaceOp(op, result);
    return success();
  }
};

/// With b = batch_dims and k = indices.shape[-1]:
///   out[i0..i(q-2), j..] = data[i0..i(b-1), indices[i0..i(q-2), 0..k-1], j..]
struct GatherNDLowering : OpConversionPattern<GatherNDOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(GatherNDOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    auto type = getConvertedRankedType(getTypeConverter(), op.getType());
    Value data = adaptor.getData(), indices = adaptor.getIndices();
    auto dataType = dyn_cast<RankedTensorType>(data.getType());
    auto idxType = dyn_cast<RankedTensorType>(indices.getType());
    if (!type || !dataType || !idxType)
      return rewriter.notifyMatchFailure(op, "unranked gather_nd");
    int64_t r = dataType.getRank(), q = idxType.getRank();
    int64_t batch = static_cast<int64_t>(op.getBatchDims());
    int64_t k = idxType.getDimSize(q - 1);
    if (ShapedType::isDynamic(k))
      return rewriter.notifyMatchFailure(op, "dynamic index depth");
    if (type.getRank() != q - 1 + r - batch - k)
      return rewriter.notifyMatchFailure(op, "unexpected result rank");
    SmallVector<OpFoldResult> dataDims = getDims(rewriter, loc, data);
    SmallVector<OpFoldResult> dims = getDims(rewriter, loc, indices);
    dims.pop_back();
    dims.append(dataDims.begin() + batch + k, dataDims.end());
    SmallVector<Value> dataDimValues = getDimValues(rewriter, loc, data);
    Value result = buildIndexGeneric(
        rewriter, loc, type, dims,
        [&](OpBuilder &b, Location l, ArrayRef<Value> ivs) -> Value {
          SmallVector<Value> coords(ivs.take_front(batch));
          coords.append(
              readIndexTuple(b, l, indices, ivs.take_front(q - 1), k,
                             ArrayRef<Value>(dataDimValues).drop_front(batch)));
          coords.append(ivs.begin() + q - 1, ivs.end());
          return tensor::ExtractOp::create(b, l, data, coords);
        });
    rewriter.replaceOp(op, result);
    return success();
  }
};

//===----------------------------------------------------------------------===//
// Scatters: copy of data, then a sequential loop nest over the updates.
//===----------------------------------------------------------------------===//

/// out = data; for every position i of updates:
///   out[i with i[axis] = indices[i]] (reduction)= updates[i]
struct ScatterElementsLowering : OpConversionPattern<ScatterElementsOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(ScatterElementsOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    auto type = getConvertedRankedType(getTypeConverter(), op.getType());
    Value data = adaptor.getData(), indices = adaptor.getIndices(),
          updates = adaptor.getUpdates();
    if (!type || !isa<RankedTensorType>(data.getType()) ||
        !isa<RankedTensorType>(indices.getType()))
      return rewriter.notifyMatchFailure(op, "unranked scatter_elements");
    StringRef reduction = op.getReduction();
    if (!isKnownReduction(reduction))
      return rewriter.notifyMatchFailure(op, "unknown reduction");
    bool isUnsignedInt = isUnsigned(op.getData().getType());
    int64_t rank = type.getRank();
    int64_t axis = normalizeAxis(static_cast<int64_t>(op.getAxis()), rank);
    Value axisDim = tensor::DimOp::create(rewriter, loc, data, axis);
    SmallVector<Value> ubs = getDimValues(rewriter, loc, indices);
    SmallVector<Value> result = buildLoops(
        rewriter, loc, ubs, ValueRange{data},
        [&](OpBuilder &b, Location l, ValueRange ivs,
            ValueRange args) -> SmallVector<Value> {
          SmallVector<Value> coords(ivs);
          coords[axis] = wrapNegativeIndex(
              b, l, extractAsIndex(b, l, indices, ivs), axisDim);
          Value update = tensor::ExtractOp::create(b, l, updates, ivs);
          return {scatterElement(b, l, reduction, args[0], coords, update,
                                 isUnsignedInt)};
        });
    rewriter.replaceOp(op, result.front());
    return success();
  }
};

/// out = data; for every position (i, j) of updates (i over
/// indices.shape[:-1], j over data.shape[k:]):
///   out[indices[i, 0..k-1], j] (reduction)= updates[i, j]
struct ScatterNDLowering : OpConversionPattern<ScatterNDOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(ScatterNDOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    auto type = getConvertedRankedType(getTypeConverter(), op.getType());
    Value data = adaptor.getData(), indices = adaptor.getIndices(),
          updates = adaptor.getUpdates();
    auto idxType = dyn_cast<RankedTensorType>(indices.getType());
    auto updType = dyn_cast<RankedTensorType>(updates.getType());
    if (!type || !idxType || !updType ||
        !isa<RankedTensorType>(data.getType()))
      return rewriter.notifyMatchFailure(op, "unranked scatter_nd");
    StringRef reduction = op.getReduction();
    if (!isKnownReduction(reduction))
      return rewriter.notifyMatchFailure(op, "unknown reduction");
    int64_t q = idxType.getRank();
    int64_t k = idxType.getDimSize(q - 1);
    if (ShapedType::isDynamic(k))
      return rewriter.notifyMatchFailure(op, "dynamic index depth");
    if (updType.getRank() != q - 1 + type.getRank() - k)
      return rewriter.notifyMatchFailure(op, "unexpected updates rank");
    bool isUnsignedInt = isUnsigned(op.getData().getType());
    SmallVector<Value> dataDims = getDimValues(rewriter, loc, data);
    SmallVector<Value> ubs = getDimValues(rewriter, loc, updates);
    SmallVector<Value> result = buildLoops(
        rewriter, loc, ubs, ValueRange{data},
        [&](OpBuilder &b, Location l, ValueRange ivs,
            ValueRange args) -> SmallVector<Value> {
          SmallVector<Value> coords =
              readIndexTuple(b, l, indices, ivs.take_front(q - 1), k, dataDims);
          llvm::append_range(coords, ivs.drop_front(q - 1));
          Value update = tensor::ExtractOp::create(b, l, updates, ivs);
          return {scatterElement(b, l, reduction, args[0], coords, update,
                                 isUnsignedInt)};
        });
    rewriter.replaceOp(op, result.front());
    return success();
  }
};

//===----------------------------------------------------------------------===//
// Generators: Trilu, ConstantOfShape, Range, Size
//===----------------------------------------------------------------------===//

/// Keeps x[..., i, j] where j - i >= k (upper) or j - i <= k (lower), else 0.
struct TriluLowering : OpConversionPattern<TriluOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(TriluOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    auto type = getConvertedRankedType(getTypeConverter(), op.getType());
    if (!type || type.getRank() < 2)
      return rewriter.notifyMatchFailure(op, "trilu needs rank >= 2");
    int64_t rank = type.getRank();
    bool upper = op.getUpper() != 0;
    Value k =
        adaptor.getK()
            ? castToIndex(rewriter, loc,
                          extractSingleElement(rewriter, loc, adaptor.getK()))
            : cIndex(rewriter, loc, 0);
    Value zero = createConstant(rewriter, loc, type.getElementType(), 0.0);
    Value result = buildElementwise(
        rewriter, loc, type, ValueRange{adaptor.getInput()},
        [&](OpBuilder &b, Location l, ValueRange args) -> Value {
          Value row = linalg::IndexOp::create(b, l, rank - 2);
          Value col = linalg::IndexOp::create(b, l, rank - 1);
          Value diff = arith::SubIOp::create(b, l, col, row);
          Value keep = arith::CmpIOp::create(
              b, l,
              upper ? arith::CmpIPredicate::sge : arith::CmpIPredicate::sle,
              diff, k);
          return arith::SelectOp::create(b, l, keep, args[0], zero);
        });
    rewriter.replaceOp(op, result);
    return success();
  }
};

/// A tensor of the run-time shape `input`, filled with `value` (default
/// f32 0).
struct ConstantOfShapeLowering : OpConversionPattern<ConstantOfShapeOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(ConstantOfShapeOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    auto type = getConvertedRankedType(getTypeConverter(), op.getType());
    if (!type)
      return rewriter.notifyMatchFailure(op, "unranked constant_of_shape");
    Type elem = type.getElementType();
    TypedAttr scalar = rewriter.getZeroAttr(elem);
    if (ElementsAttr value = op.getValueAttr()) {
      auto dense = dyn_cast<DenseElementsAttr>(value);
      if (!dense || dense.getNumElements() != 1)
        return rewriter.notifyMatchFailure(op, "value is not one element");
      if (isa<FloatType>(elem))
        scalar = FloatAttr::get(elem, *dense.getValues<APFloat>().begin());
      else if (isa<IntegerType>(elem))
        scalar = IntegerAttr::get(elem, *dense.getValues<APInt>().begin());
      else
        return rewriter.notifyMatchFailure(op, "unsupported element type");
    }
    SmallVector<OpFoldResult> dims;
    for (int64_t d = 0; d < type.getRank(); ++d)
      dims.push_back(
          type.isDynamicDim(d)
              ? OpFoldResult(
                    extractAsIndex(rewriter, loc, adaptor.getInput(), d))
              : OpFoldResult(rewriter.getIndexAttr(type.getDimSize(d))));
    Value empty = createEmpty(rewriter, loc, type, dims);
    Value fill = arith::ConstantOp::create(rewriter, loc, scalar);
    rewriter.replaceOp(
        op, linalg::FillOp::create(rewriter, loc, fill, empty).getResult(0));
    return success();
  }
};

/// out[i] = start + i * delta for i < max(ceil((limit - start) / delta), 0).
struct RangeLowering : OpConversionPattern<RangeOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(RangeOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    auto type = getConvertedRankedType(getTypeConverter(), op.getType());
    if (!type || type.getRank() != 1)
      return rewriter.notifyMatchFailure(op, "range result is not 1-D");
    Type elem = type.getElementType();
    bool isFloat = isa<FloatType>(elem);
    Value start = extractSingleElement(rewriter, loc, adaptor.getStart());
    Value limit = extractSingleElement(rewriter, loc, adaptor.getLimit());
    Value delta = extractSingleElement(rewriter, loc, adaptor.getDelta());
    OpFoldResult count = rewriter.getIndexAttr(type.getDimSize(0));
    if (type.isDynamicDim(0)) {
      Value n;
      if (isFloat) {
        Value q = arith::DivFOp::create(
            rewriter, loc, arith::SubFOp::create(rewriter, loc, limit, start),
            delta);
        q = math::CeilOp::create(rewriter, loc, q);
        n = castToIndex(rewriter, loc,
                        arith::FPToSIOp::create(rewriter, loc,
                                                rewriter.getI64Type(), q));
      } else {
        n = castToIndex(
            rewriter, loc,
            arith::CeilDivSIOp::create(
                rewriter, loc,
                arith::SubIOp::create(rewriter, loc, limit, start), delta));
      }
      count = arith::MaxSIOp::create(rewriter, loc, n,
                                     cIndex(rewriter, loc, 0))
                  .getResult();
    }
    Value result = buildIndexGeneric(
        rewriter, loc, type, {count},
        [&](OpBuilder &b, Location l, ArrayRef<Value> ivs) -> Value {
          Value i = isFloat ? indexToFloat(b, l, ivs[0], elem)
                            : castIndexTo(b, l, ivs[0], elem);
          return multiplyAccumulate(b, l, i, delta, start);
        });
    rewriter.replaceOp(op, result);
    return success();
  }
};

/// The element count as a 0-d int64 tensor.
struct SizeLowering : OpConversionPattern<SizeOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(SizeOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    auto type = getConvertedRankedType(getTypeConverter(), op.getType());
    if (!type || !isa<RankedTensorType>(adaptor.getData().getType()))
      return rewriter.notifyMatchFailure(op, "unranked size");
    Value n = cIndex(rewriter, loc, 1);
    for (Value d : getDimValues(rewriter, loc, adaptor.getData()))
      n = arith::MulIOp::create(rewriter, loc, n, d);
    Value v = castIndexTo(rewriter, loc, n, type.getElementType());
    rewriter.replaceOpWithNewOp<tensor::FromElementsOp>(op, type,
                                                        ValueRange{v});
    return success();
  }
};

//===----------------------------------------------------------------------===//
// Tile, Pad
//===----------------------------------------------------------------------===//

/// out[i] = in[i mod in.shape], out.shape = in.shape * repeats.
struct TileLowering : OpConversionPattern<TileOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(TileOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    auto type = getConvertedRankedType(getTypeConverter(), op.getType());
    Value input = adaptor.getInput();
    if (!type || !isa<RankedTensorType>(input.getType()))
      return rewriter.notifyMatchFailure(op, "unranked tile");
    SmallVector<Value> in = getDimValues(rewriter, loc, input);
    SmallVector<OpFoldResult> dims;
    for (int64_t d = 0; d < type.getRank(); ++d) {
      if (!type.isDynamicDim(d)) {
        dims.push_back(rewriter.getIndexAttr(type.getDimSize(d)));
        continue;
      }
      Value repeat = extractAsIndex(rewriter, loc, adaptor.getRepeats(), d);
      dims.push_back(
          arith::MulIOp::create(rewriter, loc, in[d], repeat).getResult());
    }
    Value result = buildIndexGeneric(
        rewriter, loc, type, dims,
        [&](OpBuilder &b, Location l, ArrayRef<Value> ivs) -> Value {
          SmallVector<Value> coords;
          for (auto [iv, size] : llvm::zip(ivs, in))
            coords.push_back(arith::RemUIOp::create(b, l, iv, size));
          return tensor::ExtractOp::create(b, l, input, coords);
        });
    rewriter.replaceOp(op, result);
    return success();
  }
};

/// out[i] = in[src(i - pads_begin)] where src maps outside positions per
/// mode: constant (the value), edge (clamp), reflect (mirror without
/// repeating the border, periodically for wide pads). Negative pads crop.
/// `pads` and `axes` may be run-time values.
struct PadLowering : OpConversionPattern<PadOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(PadOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    auto type = getConvertedRankedType(getTypeConverter(), op.getType());
    Value data = adaptor.getData(), pads = adaptor.getPads();
    auto padsType = dyn_cast<RankedTensorType>(pads.getType());
    if (!type || !padsType || !isa<RankedTensorType>(data.getType()))
      return rewriter.notifyMatchFailure(op, "unranked pad");
    StringRef mode = op.getMode();
    if (mode != "constant" && mode != "edge" && mode != "reflect")
      return rewriter.notifyMatchFailure(op, "unsupported pad mode");
    if (padsType.isDynamicDim(0))
      return rewriter.notifyMatchFailure(op, "dynamic number of pads");
    int64_t rank = type.getRank();
    int64_t n = padsType.getDimSize(0) / 2;
    if (!adaptor.getAxes() && n != rank)
      return rewriter.notifyMatchFailure(op, "pads do not match the rank");

    // Per-dim begin / end pads; an axis given at run time selects its dim.
    Value zero = cIndex(rewriter, loc, 0);
    SmallVector<Value> begin(rank, zero), end(rank, zero);
    std::optional<SmallVector<int64_t>> constAxes;
    if (adaptor.getAxes())
      constAxes = getConstantInts(adaptor.getAxes());
    for (int64_t i = 0; i < n; ++i) {
      Value b = extractAsIndex(rewriter, loc, pads, i);
      Value e = extractAsIndex(rewriter, loc, pads, i + n);
      if (!adaptor.getAxes() || constAxes) {
        int64_t axis =
            constAxes ? normalizeAxis((*constAxes)[i], rank) : i;
        begin[axis] = b;
        end[axis] = e;
        continue;
      }
      Value axis = extractAxis(rewriter, loc, adaptor.getAxes(), i, rank);
      for (int64_t d = 0; d < rank; ++d) {
        Value is = arith::CmpIOp::create(rewriter, loc,
                                         arith::CmpIPredicate::eq, axis,
                                         cIndex(rewriter, loc, d));
        begin[d] = arith::SelectOp::create(rewriter, loc, is, b, begin[d]);
        end[d] = arith::SelectOp::create(rewriter, loc, is, e, end[d]);
      }
    }
    SmallVector<Value> in = getDimValues(rewriter, loc, data);
    SmallVector<OpFoldResult> dims;
    for (int64_t d = 0; d < rank; ++d)
      dims.push_back(
          type.isDynamicDim(d)
              ? OpFoldResult(arith::AddIOp::create(
                    rewriter, loc, in[d],
                    arith::AddIOp::create(rewriter, loc, begin[d], end[d])))
              : OpFoldResult(rewriter.getIndexAttr(type.getDimSize(d))));
    Value padValue;
    if (mode == "constant")
      padValue =
          adaptor.getConstantValue()
              ? extractSingleElement(rewriter, loc, adaptor.getConstantValue())
              : createConstant(rewriter, loc, type.getElementType(), 0.0);

    Value result = buildIndexGeneric(
        rewriter, loc, type, dims,
        [&](OpBuilder &b, Location l, ArrayRef<Value> ivs) -> Value {
          Value c0 = cIndex(b, l, 0), c1 = cIndex(b, l, 1);
          SmallVector<Value> src;
          Value inBounds;
          for (int64_t d = 0; d < rank; ++d) {
            Value s = arith::SubIOp::create(b, l, ivs[d], begin[d]);
            Value last = arith::SubIOp::create(b, l, in[d], c1);
            if (mode == "edge") {
              s = clampIndex(b, l, s, c0, last);
            } else if (mode == "reflect") {
              // period 2 * (n - 1); positions in [n, period) mirror back.
              Value period = arith::MaxSIOp::create(
                  b, l, arith::AddIOp::create(b, l, last, last), c1);
              Value m = arith::RemSIOp::create(b, l, s, period);
              Value neg = arith::CmpIOp::create(
                  b, l, arith::CmpIPredicate::slt, m, c0);
              m = arith::SelectOp::create(
                  b, l, neg, arith::AddIOp::create(b, l, m, period), m);
              Value high = arith::CmpIOp::create(
                  b, l, arith::CmpIPredicate::sge, m, in[d]);
              s = arith::SelectOp::create(
                  b, l, high, arith::SubIOp::create(b, l, period, m), m);
            } else {
              Value ok = isInRange(b, l, s, c0, in[d]);
              inBounds =
                  inBounds ? arith::AndIOp::create(b, l, inBounds, ok) : ok;
            }
            src.push_back(s);
          }
          if (!inBounds)
            return tensor::ExtractOp::create(b, l, data, src);
          // Constant mode: read only in bounds (the input may be empty).
          auto ifOp = scf::IfOp::create(
              b, l, inBounds,
              [&](OpBuilder &tb, Location tl) {
                scf::YieldOp::create(
                    tb, tl, ValueRange{tensor::ExtractOp::create(tb, tl, data,
                                                                 src)});
              },
              [&](OpBuilder &eb, Location el) {
                scf::YieldOp::create(eb, el, ValueRange{padValue});
              });
          return ifOp.getResult(0);
        });
    rewriter.replaceOp(op, result);
    return success();
  }
};

//===----------------------------------------------------------------------===//
// CumSum, TopK
//===----------------------------------------------------------------------===//

/// out[i] = sum of x[i with i[axis] = j] over j in [0, i[axis]] (exclusive:
/// [0, i[axis]); reverse: [i[axis], n) / (i[axis], n)). The axis may be a
/// run-time value; each output element sums its own range (O(n^2) along the
/// axis, but parallel over the output).
struct CumSumLowering : OpConversionPattern<CumSumOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(CumSumOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    auto type = getConvertedRankedType(getTypeConverter(), op.getType());
    Value x = adaptor.getX();
    if (!type || !isa<RankedTensorType>(x.getType()))
      return rewriter.notifyMatchFailure(op, "unranked cum_sum");
    int64_t rank = type.getRank();
    if (rank == 0)
      return rewriter.notifyMatchFailure(op, "cum_sum of a scalar");
    bool exclusive = op.getExclusive() != 0, reverse = op.getReverse() != 0;
    Type elem = type.getElementType();
    std::optional<int64_t> constAxis;
    if (auto a = getConstantInts(adaptor.getAxis()); a && a->size() == 1)
      constAxis = normalizeAxis((*a)[0], rank);
    Value axis;
    if (!constAxis)
      axis = wrapNegativeIndex(
          rewriter, loc,
          castToIndex(rewriter, loc,
                      extractSingleElement(rewriter, loc, adaptor.getAxis())),
          cIndex(rewriter, loc, rank));
    SmallVector<Value> in = getDimValues(rewriter, loc, x);
    // `values[axis]` for a compile-time or run-time axis.
    auto pick = [&](OpBuilder &b, Location l, ArrayRef<Value> values) {
      if (constAxis)
        return values[*constAxis];
      Value v = values[0];
      for (int64_t d = 1; d < rank; ++d)
        v = arith::SelectOp::create(
            b, l,
            arith::CmpIOp::create(b, l, arith::CmpIPredicate::eq, axis,
                                  cIndex(b, l, d)),
            values[d], v);
      return v;
    };
    Value result = buildIndexGeneric(
        rewriter, loc, type, getDims(rewriter, loc, x),
        [&](OpBuilder &b, Location l, ArrayRef<Value> ivs) -> Value {
          Value i = pick(b, l, ivs), n = pick(b, l, in);
          Value next = arith::AddIOp::create(b, l, i, cIndex(b, l, 1));
          Value lb = reverse ? (exclusive ? next : i) : cIndex(b, l, 0);
          Value ub = reverse ? n : (exclusive ? i : next);
          Value init = createConstant(b, l, elem, 0.0);
          auto loop = scf::ForOp::create(
              b, l, lb, ub, cIndex(b, l, 1), ValueRange{init},
              [&](OpBuilder &lb2, Location ll, Value j, ValueRange acc) {
                SmallVector<Value> coords;
                for (int64_t d = 0; d < rank; ++d) {
                  if (constAxis) {
                    coords.push_back(d == *constAxis ? j : ivs[d]);
                    continue;
                  }
                  Value is = arith::CmpIOp::create(
                      lb2, ll, arith::CmpIPredicate::eq, axis,
                      cIndex(lb2, ll, d));
                  coords.push_back(
                      arith::SelectOp::create(lb2, ll, is, j, ivs[d]));
                }
                Value v = tensor::ExtractOp::create(lb2, ll, x, coords);
                Value sum = addScalar(lb2, ll, acc[0], v);
                scf::YieldOp::create(lb2, ll, ValueRange{sum});
              });
          return loop.getResult(0);
        });
    rewriter.replaceOp(op, result);
    return success();
  }
};

/// Selection: for every slice along `axis`, pick K times the element that
/// comes first in the order (value desc / asc, then index asc) among those
/// after the previous pick. O(K * n) per slice; the output is always sorted.
struct TopKLowering : OpConversionPattern<TopKOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(TopKOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    auto valType =
        getConvertedRankedType(getTypeConverter(), op.getValues().getType());
    auto idxType =
        getConvertedRankedType(getTypeConverter(), op.getIndices().getType());
    Value x = adaptor.getX();
    if (!valType || !idxType || !isa<RankedTensorType>(x.getType()))
      return rewriter.notifyMatchFailure(op, "unranked top_k");
    int64_t rank = valType.getRank();
    if (rank == 0)
      return rewriter.notifyMatchFailure(op, "top_k of a scalar");
    int64_t axis = normalizeAxis(static_cast<int64_t>(op.getAxis()), rank);
    bool largest = op.getLargest() != 0;
    bool isUnsignedInt = isUnsigned(op.getX().getType());
    Type elem = valType.getElementType();
    bool isFloat = isa<FloatType>(elem);
    Value k = castToIndex(rewriter, loc,
                          extractSingleElement(rewriter, loc, adaptor.getK()));
    SmallVector<Value> in = getDimValues(rewriter, loc, x);
    SmallVector<OpFoldResult> dims = getAsOpFoldResult(in);
    dims[axis] = k;
    Value values = createEmpty(rewriter, loc, valType, dims);
    Value indices = createEmpty(rewriter, loc, idxType, dims);

    // (a, ia) comes before (b, ib) in the output order.
    auto precedes = [&](OpBuilder &b, Location l, Value a, Value ia, Value bv,
                        Value ib) -> Value {
      Value better, equal;
      if (isFloat) {
        better = arith::CmpFOp::create(
            b, l, largest ? arith::CmpFPredicate::OGT
                          : arith::CmpFPredicate::OLT,
            a, bv);
        equal = arith::CmpFOp::create(b, l, arith::CmpFPredicate::OEQ, a, bv);
      } else {
        arith::CmpIPredicate p =
            largest ? (isUnsignedInt ? arith::CmpIPredicate::ugt
                                     : arith::CmpIPredicate::sgt)
                    : (isUnsignedInt ? arith::CmpIPredicate::ult
                                     : arith::CmpIPredicate::slt);
        better = arith::CmpIOp::create(b, l, p, a, bv);
        equal = arith::CmpIOp::create(b, l, arith::CmpIPredicate::eq, a, bv);
      }
      Value lower =
          arith::CmpIOp::create(b, l, arith::CmpIPredicate::slt, ia, ib);
      return arith::OrIOp::create(b, l, better,
                                  arith::AndIOp::create(b, l, equal, lower));
    };

    SmallVector<Value> ubs = in;
    ubs[axis] = cIndex(rewriter, loc, 1);
    SmallVector<Value> result = buildLoops(
        rewriter, loc, ubs, ValueRange{values, indices},
        [&](OpBuilder &b, Location l, ValueRange ivs,
            ValueRange outs) -> SmallVector<Value> {
          Value c0 = cIndex(b, l, 0), c1 = cIndex(b, l, 1);
          Value none = cIndex(b, l, -1);
          Value zeroVal = createConstant(b, l, elem, 0.0);
          Value falseVal = arith::ConstantIntOp::create(b, l, 0, 1);
          auto picks = scf::ForOp::create(
              b, l, c0, k, c1,
              ValueRange{outs[0], outs[1], zeroVal, none},
              [&](OpBuilder &tb, Location tl, Value t, ValueRange st) {
                Value prev = st[2], prevIdx = st[3];
                auto scan = scf::ForOp::create(
                    tb, tl, c0, in[axis], c1,
                    ValueRange{zeroVal, none, falseVal},
                    [&](OpBuilder &sb, Location sl, Value j, ValueRange best) {
                      SmallVector<Value> coords(ivs);
                      coords[axis] = j;
                      Value v = tensor::ExtractOp::create(sb, sl, x, coords);
                      Value first = arith::CmpIOp::create(
                          sb, sl, arith::CmpIPredicate::slt, prevIdx, c0);
                      Value after = arith::OrIOp::create(
                          sb, sl, first,
                          precedes(sb, sl, prev, prevIdx, v, j));
                      Value beats = arith::OrIOp::create(
                          sb, sl,
                          arith::XOrIOp::create(
                              sb, sl, best[2],
                              arith::ConstantIntOp::create(sb, sl, 1, 1)),
                          precedes(sb, sl, v, j, best[0], best[1]));
                      Value take = arith::AndIOp::create(sb, sl, after, beats);
                      scf::YieldOp::create(
                          sb, sl,
                          ValueRange{
                              arith::SelectOp::create(sb, sl, take, v,
                                                      best[0]),
                              arith::SelectOp::create(sb, sl, take, j,
                                                      best[1]),
                              arith::OrIOp::create(sb, sl, take, best[2])});
                    });
                Value bestVal = scan.getResult(0), bestIdx = scan.getResult(1);
                SmallVector<Value> coords(ivs);
                coords[axis] = t;
                Value vals = tensor::InsertOp::create(tb, tl, bestVal, st[0],
                                                      coords);
                Value idxs = tensor::InsertOp::create(
                    tb, tl,
                    castIndexTo(tb, tl, bestIdx, idxType.getElementType()),
                    st[1], coords);
                scf::YieldOp::create(tb, tl,
                                     ValueRange{vals, idxs, bestVal, bestIdx});
              });
          return {picks.getResult(0), picks.getResult(1)};
        });
    rewriter.replaceOp(op, result);
    return success();
  }
};

//===----------------------------------------------------------------------===//
// Einsum
//===----------------------------------------------------------------------===//

/// Einsum as one `linalg.generic`: one loop per distinct label (output
/// labels first, parallel; the others reduction), every input read through
/// the map of its labels (a repeated label reads a diagonal), the body
/// multiplies the inputs and accumulates into a zero-filled output. `...`
/// stands for right-aligned shared dims; size-1 dims broadcast.
struct EinsumLowering : OpConversionPattern<EinsumOp> {
  using OpConversionPattern::OpConversionPattern;

  /// Labels are letters; the ellipsis dims get labels 256 + position.
  static constexpr int kEllipsisBase = 256;

  /// The labels of `term` for an operand of `rank` (ellipsis expanded,
  /// right-aligned in `numEllipsis` dims); std::nullopt if malformed.
  static std::optional<SmallVector<int>>
  parseTerm(StringRef term, int64_t rank, int64_t numEllipsis) {
    SmallVector<int> labels;
    size_t dots = term.find("...");
    int64_t letters = llvm::count_if(term, [](char c) { return isalpha(c); });
    for (size_t i = 0; i < term.size(); ++i) {
      if (i == dots) {
        int64_t count = rank - letters;
        if (count < 0 || count > numEllipsis)
          return std::nullopt;
        for (int64_t e = numEllipsis - count; e < numEllipsis; ++e)
          labels.push_back(kEllipsisBase + e);
        i += 2;
        continue;
      }
      if (!isalpha(term[i]))
        return std::nullopt;
      labels.push_back(term[i]);
    }
    if (static_cast<int64_t>(labels.size()) != rank)
      return std::nullopt;
    return labels;
  }

  LogicalResult
  matchAndRewrite(EinsumOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    MLIRContext *ctx = getContext();
    auto type = getConvertedRankedType(getTypeConverter(), op.getType());
    SmallVector<Value> inputs(adaptor.getInputs());
    if (!type || inputs.empty() || llvm::any_of(inputs, [](Value v) {
          return !isa<RankedTensorType>(v.getType());
        }))
      return rewriter.notifyMatchFailure(op, "unranked einsum");
    std::string equation;
    for (char c : op.getEquation())
      if (c != ' ')
        equation.push_back(c);
    auto [lhs, rhs] = StringRef(equation).split("->");
    bool explicitOutput = StringRef(equation).contains("->");
    SmallVector<StringRef> terms;
    lhs.split(terms, ',');
    if (terms.size() != inputs.size())
      return rewriter.notifyMatchFailure(op, "one term per input expected");

    // Parse the inputs; the ellipsis covers the most dims any input gives it.
    int64_t numEllipsis = 0;
    for (auto [term, v] : llvm::zip(terms, inputs))
      if (term.contains("..."))
        numEllipsis = std::max<int64_t>(
            numEllipsis,
            cast<RankedTensorType>(v.getType()).getRank() -
                llvm::count_if(term, [](char c) { return isalpha(c); }));
    SmallVector<SmallVector<int>> inLabels;
    for (auto [term, v] : llvm::zip(terms, inputs)) {
      auto labels = parseTerm(
          term, cast<RankedTensorType>(v.getType()).getRank(), numEllipsis);
      if (!labels)
        return rewriter.notifyMatchFailure(op, "malformed input term");
      inLabels.push_back(*labels);
    }
    SmallVector<int> outLabels;
    if (explicitOutput) {
      auto labels = parseTerm(rhs, type.getRank(), numEllipsis);
      if (!labels)
        return rewriter.notifyMatchFailure(op, "malformed output term");
      outLabels = *labels;
    } else {
      // Implicit: the ellipsis dims, then the letters used once, sorted.
      std::map<int, int> uses;
      for (ArrayRef<int> labels : inLabels)
        for (int label : labels)
          ++uses[label];
      for (int64_t e = 0; e < numEllipsis; ++e)
        outLabels.push_back(kEllipsisBase + e);
      for (auto [label, count] : uses)
        if (label < kEllipsisBase && count == 1)
          outLabels.push_back(label);
    }
    if (static_cast<int64_t>(outLabels.size()) != type.getRank())
      return rewriter.notifyMatchFailure(op, "output rank mismatch");

    // Loops: output labels, then the summed ones in order of appearance.
    SmallVector<int> loops;
    for (int label : outLabels) {
      if (llvm::is_contained(loops, label))
        return rewriter.notifyMatchFailure(op, "repeated output label");
      loops.push_back(label);
    }
    int64_t numParallel = loops.size();
    for (ArrayRef<int> labels : inLabels)
      for (int label : labels)
        if (!llvm::is_contained(loops, label))
          loops.push_back(label);
    auto loopOf = [&](int label) {
      return static_cast<unsigned>(llvm::find(loops, label) - loops.begin());
    };

    // The size of each loop: the first operand dim that is not a static 1.
    SmallVector<std::pair<int64_t, int64_t>> source(loops.size(), {-1, -1});
    for (auto [i, labels] : llvm::enumerate(inLabels)) {
      auto t = cast<RankedTensorType>(inputs[i].getType());
      for (auto [d, label] : llvm::enumerate(labels)) {
        auto &src = source[loopOf(label)];
        if (src.first < 0 || (t.getDimSize(d) != 1 &&
                              cast<RankedTensorType>(
                                  inputs[src.first].getType())
                                      .getDimSize(src.second) == 1))
          src = {static_cast<int64_t>(i), static_cast<int64_t>(d)};
      }
    }
    if (llvm::any_of(source, [](auto src) { return src.first < 0; }))
      return rewriter.notifyMatchFailure(op, "output label not in inputs");
    auto isBroadcast = [&](int64_t i, int64_t d, unsigned loop) {
      auto [si, sd] = source[loop];
      auto t = cast<RankedTensorType>(inputs[i].getType());
      return t.getDimSize(d) == 1 &&
             cast<RankedTensorType>(inputs[si].getType()).getDimSize(sd) != 1;
    };

    SmallVector<AffineMap> maps;
    for (auto [i, labels] : llvm::enumerate(inLabels)) {
      SmallVector<AffineExpr> exprs;
      for (auto [d, label] : llvm::enumerate(labels))
        exprs.push_back(isBroadcast(i, d, loopOf(label))
                            ? getAffineConstantExpr(0, ctx)
                            : getAffineDimExpr(loopOf(label), ctx));
      maps.push_back(AffineMap::get(loops.size(), 0, exprs, ctx));
    }
    SmallVector<AffineExpr> outExprs;
    SmallVector<OpFoldResult> dims;
    for (int64_t d = 0; d < numParallel; ++d) {
      outExprs.push_back(getAffineDimExpr(d, ctx));
      auto [si, sd] = source[d];
      dims.push_back(tensor::getMixedSize(rewriter, loc, inputs[si], sd));
    }
    maps.push_back(AffineMap::get(loops.size(), 0, outExprs, ctx));
    SmallVector<utils::IteratorType> iterators(loops.size(),
                                               utils::IteratorType::reduction);
    for (int64_t d = 0; d < numParallel; ++d)
      iterators[d] = utils::IteratorType::parallel;

    Type elem = type.getElementType();
    Value init = fillTensor(rewriter, loc, type, dims,
                            createConstant(rewriter, loc, elem, 0.0));
    Value result =
        linalg::GenericOp::create(
            rewriter, loc, TypeRange{type}, inputs, ValueRange{init}, maps,
            iterators,
            [&](OpBuilder &b, Location l, ValueRange args) {
              Value prod = args[0];
              for (Value v : args.drop_front().drop_back())
                prod = mulScalar(b, l, prod, v);
              linalg::YieldOp::create(b, l, addScalar(b, l, args.back(), prod));
            })
            .getResult(0);
    rewriter.replaceOp(op, result);
    return success();
  }
};

} // namespace

void mlir::qopt::populateQOptDataMovementToLinalgPatterns(
    const TypeConverter &converter, RewritePatternSet &patterns) {
  patterns.add<GatherElementsLowering, GatherNDLowering,
               ScatterElementsLowering, ScatterNDLowering, TriluLowering,
               ConstantOfShapeLowering, RangeLowering, SizeLowering,
               TileLowering, PadLowering, CumSumLowering, TopKLowering,
               EinsumLowering>(converter, patterns.getContext());
}
