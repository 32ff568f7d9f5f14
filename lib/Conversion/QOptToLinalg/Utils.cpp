//===- Utils.cpp - shared helpers of the qopt -> linalg lowering -*- C++ -*-===//
//
// See Utils.h.
//
//===----------------------------------------------------------------------===//

#include "Utils.h"

#include "qopt/Dialect/QOpt/IR/QOptDialect.h"

#include "mlir/Dialect/Arith/Utils/Utils.h"
#include "mlir/IR/Matchers.h"

#include <limits>

using namespace mlir;
using namespace mlir::qopt;
using namespace mlir::qopt::to_linalg;

//===----------------------------------------------------------------------===//
// Types, dims and init tensors
//===----------------------------------------------------------------------===//

bool to_linalg::isUnsigned(Type type) {
  auto intType = dyn_cast<IntegerType>(
      getStorageTypeOrSelf(getElementTypeOrSelf(type)));
  return intType && intType.isUnsigned();
}

RankedTensorType
to_linalg::getConvertedRankedType(const TypeConverter *converter, Type type) {
  return dyn_cast_or_null<RankedTensorType>(converter->convertType(type));
}

SmallVector<OpFoldResult> to_linalg::getDims(OpBuilder &b, Location loc,
                                             Value value) {
  return tensor::getMixedSizes(b, loc, value);
}

SmallVector<Value> to_linalg::getDimValues(OpBuilder &b, Location loc,
                                           Value value) {
  SmallVector<Value> dims;
  for (OpFoldResult d : getDims(b, loc, value))
    dims.push_back(getValueOrCreateConstantIndexOp(b, loc, d));
  return dims;
}

RankedTensorType to_linalg::getTypeFromDims(ArrayRef<OpFoldResult> dims,
                                            Type elem) {
  SmallVector<int64_t> shape;
  for (OpFoldResult d : dims)
    shape.push_back(getConstantIntValue(d).value_or(ShapedType::kDynamic));
  return RankedTensorType::get(shape, elem);
}

Value to_linalg::createEmpty(OpBuilder &b, Location loc, RankedTensorType type,
                             ArrayRef<OpFoldResult> dims) {
  SmallVector<Value> dynamic;
  for (auto [i, size] : llvm::enumerate(type.getShape()))
    if (ShapedType::isDynamic(size))
      dynamic.push_back(getValueOrCreateConstantIndexOp(b, loc, dims[i]));
  return tensor::EmptyOp::create(b, loc, type, dynamic);
}

Value to_linalg::fillTensor(OpBuilder &b, Location loc, RankedTensorType type,
                            ArrayRef<OpFoldResult> dims, Value value) {
  Value empty = createEmpty(b, loc, type, dims);
  return linalg::FillOp::create(b, loc, value, empty).getResult(0);
}

Value to_linalg::createZeroFilled(OpBuilder &b, Location loc,
                                  RankedTensorType type,
                                  ArrayRef<OpFoldResult> dims) {
  Value empty = createEmpty(b, loc, type, dims);
  Value zero = createConstant(b, loc, type.getElementType(), 0.0);
  return linalg::FillOp::create(b, loc, zero, empty).getResult(0);
}

Value to_linalg::reshapeWithSizes(OpBuilder &b, Location loc, Value src,
                                  RankedTensorType type,
                                  ArrayRef<OpFoldResult> sizes) {
  SmallVector<Value> values;
  for (OpFoldResult size : sizes)
    values.push_back(getValueOrCreateConstantIndexOp(b, loc, size));
  auto shapeType = RankedTensorType::get({type.getRank()}, b.getIndexType());
  Value shape = tensor::FromElementsOp::create(b, loc, shapeType, values);
  return tensor::ReshapeOp::create(b, loc, type, src, shape);
}

Value to_linalg::buildTranspose(OpBuilder &b, Location loc, Value x,
                                ArrayRef<int64_t> perm, RankedTensorType type) {
  SmallVector<OpFoldResult> in = getDims(b, loc, x), out;
  for (int64_t p : perm)
    out.push_back(in[p]);
  if (!type)
    type = getTypeFromDims(
        out, cast<RankedTensorType>(x.getType()).getElementType());
  Value init = createEmpty(b, loc, type, out);
  return linalg::TransposeOp::create(b, loc, x, init, perm)->getResult(0);
}

//===----------------------------------------------------------------------===//
// Broadcasting
//===----------------------------------------------------------------------===//

/// The size of a dim that the (operand, dim) `candidates` broadcast into:
/// the largest of their sizes that are not a static 1, or 1 without any.
static Value
buildBroadcastSize(OpBuilder &b, Location loc,
                   ArrayRef<std::pair<Value, int64_t>> candidates) {
  Value size;
  for (auto [operand, d] : candidates) {
    if (cast<RankedTensorType>(operand.getType()).getDimSize(d) == 1)
      continue;
    Value dim = tensor::DimOp::create(b, loc, operand, d);
    size = size ? arith::MaxUIOp::create(b, loc, size, dim).getResult() : dim;
  }
  if (!size)
    size = arith::ConstantIndexOp::create(b, loc, 1);
  return size;
}

SmallVector<OpFoldResult>
to_linalg::getBroadcastDims(OpBuilder &b, Location loc,
                            RankedTensorType resultType, ValueRange operands) {
  int64_t rank = resultType.getRank();
  SmallVector<OpFoldResult> dims;
  for (int64_t d = 0; d < rank; ++d) {
    if (!resultType.isDynamicDim(d)) {
      dims.push_back(b.getIndexAttr(resultType.getDimSize(d)));
      continue;
    }
    SmallVector<std::pair<Value, int64_t>> candidates;
    for (Value operand : operands) {
      auto type = cast<RankedTensorType>(operand.getType());
      int64_t od = d - (rank - type.getRank());
      if (od >= 0)
        candidates.push_back({operand, od});
    }
    dims.push_back(buildBroadcastSize(b, loc, candidates));
  }
  return dims;
}

AffineMap to_linalg::getBroadcastMap(MLIRContext *ctx, ShapedType operandType,
                                     RankedTensorType resultType) {
  int64_t rank = resultType.getRank();
  int64_t operandRank = operandType.getRank();
  SmallVector<AffineExpr> exprs;
  for (int64_t i = 0; i < operandRank; ++i) {
    int64_t d = i + rank - operandRank;
    if (operandType.getDimSize(i) == 1 && resultType.getDimSize(d) != 1)
      exprs.push_back(getAffineConstantExpr(0, ctx));
    else
      exprs.push_back(getAffineDimExpr(d, ctx));
  }
  return AffineMap::get(rank, 0, exprs, ctx);
}

//===----------------------------------------------------------------------===//
// Scalars
//===----------------------------------------------------------------------===//

Value to_linalg::createConstant(OpBuilder &b, Location loc, Type type,
                                double value) {
  if (auto floatType = dyn_cast<FloatType>(type))
    return arith::ConstantOp::create(b, loc, b.getFloatAttr(floatType, value));
  if (type.isIndex())
    return arith::ConstantIndexOp::create(b, loc,
                                          static_cast<int64_t>(value));
  return arith::ConstantOp::create(
      b, loc, b.getIntegerAttr(type, static_cast<int64_t>(value)));
}

/// The smallest (`highest` false) or the largest value of `elem`: -/+inf
/// for floats, the unsigned or signed integer bound otherwise.
static Value createExtremeValue(OpBuilder &b, Location loc, Type elem,
                                bool isUnsignedInt, bool highest) {
  if (isa<FloatType>(elem)) {
    double inf = std::numeric_limits<double>::infinity();
    return createConstant(b, loc, elem, highest ? inf : -inf);
  }
  unsigned width = elem.getIntOrFloatBitWidth();
  APInt v = isUnsignedInt ? (highest ? APInt::getMaxValue(width)
                                     : APInt::getMinValue(width))
                          : (highest ? APInt::getSignedMaxValue(width)
                                     : APInt::getSignedMinValue(width));
  return arith::ConstantOp::create(b, loc, b.getIntegerAttr(elem, v));
}

Value to_linalg::createLowestValue(OpBuilder &b, Location loc, Type elem,
                                   bool isUnsignedInt) {
  return createExtremeValue(b, loc, elem, isUnsignedInt, /*highest=*/false);
}

Value to_linalg::createHighestValue(OpBuilder &b, Location loc, Type elem,
                                    bool isUnsignedInt) {
  return createExtremeValue(b, loc, elem, isUnsignedInt, /*highest=*/true);
}

/// `FloatOp` on floats, else `SignedOp` or, for unsigned integers,
/// `UnsignedOp`.
template <typename FloatOp, typename SignedOp, typename UnsignedOp = SignedOp>
static Value createBinary(OpBuilder &b, Location loc, Value x, Value y,
                          bool isUnsignedInt = false) {
  if (isa<FloatType>(x.getType()))
    return FloatOp::create(b, loc, x, y);
  if (isUnsignedInt)
    return UnsignedOp::create(b, loc, x, y);
  return SignedOp::create(b, loc, x, y);
}

Value to_linalg::addScalar(OpBuilder &b, Location loc, Value x, Value y) {
  return createBinary<arith::AddFOp, arith::AddIOp>(b, loc, x, y);
}

Value to_linalg::mulScalar(OpBuilder &b, Location loc, Value x, Value y) {
  return createBinary<arith::MulFOp, arith::MulIOp>(b, loc, x, y);
}

Value to_linalg::maxScalar(OpBuilder &b, Location loc, Value x, Value y,
                           bool isUnsignedInt) {
  return createBinary<arith::MaximumFOp, arith::MaxSIOp, arith::MaxUIOp>(
      b, loc, x, y, isUnsignedInt);
}

Value to_linalg::minScalar(OpBuilder &b, Location loc, Value x, Value y,
                           bool isUnsignedInt) {
  return createBinary<arith::MinimumFOp, arith::MinSIOp, arith::MinUIOp>(
      b, loc, x, y, isUnsignedInt);
}

Value to_linalg::multiplyAccumulate(OpBuilder &b, Location loc, Value a,
                                    Value bv, Value acc) {
  Value product = mulScalar(b, loc, a, bv);
  return addScalar(b, loc, acc, product);
}

Value to_linalg::castIndexTo(OpBuilder &b, Location loc, Value index,
                             Type type) {
  return arith::IndexCastOp::create(b, loc, type, index);
}

Value to_linalg::castToIndex(OpBuilder &b, Location loc, Value value) {
  return arith::IndexCastOp::create(b, loc, b.getIndexType(), value);
}

Value to_linalg::indexToFloat(OpBuilder &b, Location loc, Value index,
                              Type floatType) {
  Value i64 = arith::IndexCastOp::create(b, loc, b.getI64Type(), index);
  return arith::SIToFPOp::create(b, loc, floatType, i64);
}

Value to_linalg::convertScalar(OpBuilder &b, Location loc, Value value,
                               Type from, Type to) {
  if (from == to)
    return value;
  auto fromInt = dyn_cast<IntegerType>(from);
  auto toInt = dyn_cast<IntegerType>(to);
  auto fromFloat = dyn_cast<FloatType>(from);
  auto toFloat = dyn_cast<FloatType>(to);
  Type toSignless = toInt ? b.getIntegerType(toInt.getWidth()) : to;
  if (fromFloat && toFloat) {
    if (fromFloat.getWidth() < toFloat.getWidth())
      return arith::ExtFOp::create(b, loc, toFloat, value);
    if (fromFloat.getWidth() > toFloat.getWidth())
      return arith::TruncFOp::create(b, loc, toFloat, value);
    // bf16 <-> f16: go through f32.
    Value wide = arith::ExtFOp::create(b, loc, b.getF32Type(), value);
    return arith::TruncFOp::create(b, loc, toFloat, wide);
  }
  if (fromFloat && toInt) {
    if (toInt.getWidth() == 1) {
      Value zero = createConstant(b, loc, fromFloat, 0.0);
      return arith::CmpFOp::create(b, loc, arith::CmpFPredicate::UNE, value,
                                   zero);
    }
    if (toInt.isUnsigned())
      return arith::FPToUIOp::create(b, loc, toSignless, value);
    return arith::FPToSIOp::create(b, loc, toSignless, value);
  }
  if (fromInt && toFloat) {
    if (fromInt.isUnsigned() || fromInt.getWidth() == 1)
      return arith::UIToFPOp::create(b, loc, toFloat, value);
    return arith::SIToFPOp::create(b, loc, toFloat, value);
  }
  if (fromInt && toInt) {
    if (toInt.getWidth() == 1) {
      Value zero = createConstant(b, loc, value.getType(), 0);
      return arith::CmpIOp::create(b, loc, arith::CmpIPredicate::ne, value,
                                   zero);
    }
    if (fromInt.getWidth() < toInt.getWidth()) {
      if (fromInt.isUnsigned() || fromInt.getWidth() == 1)
        return arith::ExtUIOp::create(b, loc, toSignless, value);
      return arith::ExtSIOp::create(b, loc, toSignless, value);
    }
    if (fromInt.getWidth() > toInt.getWidth())
      return arith::TruncIOp::create(b, loc, toSignless, value);
    return value; // same width, signedness only
  }
  return {};
}

//===----------------------------------------------------------------------===//
// Axes and index arithmetic
//===----------------------------------------------------------------------===//

int64_t to_linalg::normalizeAxis(int64_t axis, int64_t rank) {
  return axis < 0 ? axis + rank : axis;
}

Value to_linalg::wrapNegativeIndex(OpBuilder &b, Location loc, Value idx,
                                   Value dim) {
  Value zero = arith::ConstantIndexOp::create(b, loc, 0);
  Value neg =
      arith::CmpIOp::create(b, loc, arith::CmpIPredicate::slt, idx, zero);
  Value wrapped = arith::AddIOp::create(b, loc, idx, dim);
  return arith::SelectOp::create(b, loc, neg, wrapped, idx);
}

Value to_linalg::clampIndex(OpBuilder &b, Location loc, Value v, Value lo,
                            Value hi) {
  Value upper = arith::MinSIOp::create(b, loc, v, hi);
  return arith::MaxSIOp::create(b, loc, lo, upper);
}

Value to_linalg::isInRange(OpBuilder &b, Location loc, Value v, Value lo,
                           Value hi) {
  Value aboveLo =
      arith::CmpIOp::create(b, loc, arith::CmpIPredicate::sge, v, lo);
  Value belowHi =
      arith::CmpIOp::create(b, loc, arith::CmpIPredicate::slt, v, hi);
  return arith::AndIOp::create(b, loc, aboveLo, belowHi);
}

Value to_linalg::productOfDims(OpBuilder &b, Location loc, Value tensor,
                               ArrayRef<int64_t> dims) {
  Value count = arith::ConstantIndexOp::create(b, loc, 1);
  for (int64_t d : dims) {
    Value size = tensor::DimOp::create(b, loc, tensor, d);
    count = arith::MulIOp::create(b, loc, count, size);
  }
  return count;
}

Value to_linalg::productOf(OpBuilder &b, Location loc,
                           ArrayRef<OpFoldResult> sizes) {
  Value p = arith::ConstantIndexOp::create(b, loc, 1);
  for (OpFoldResult size : sizes) {
    Value v = getValueOrCreateConstantIndexOp(b, loc, size);
    p = arith::MulIOp::create(b, loc, p, v);
  }
  return p;
}

//===----------------------------------------------------------------------===//
// Constant operands and scalars read from tensors
//===----------------------------------------------------------------------===//

/// The elements of the constant (`arith.constant` or qopt.constant) that
/// defines `value`, if any.
static DenseElementsAttr getConstantElements(Value value) {
  if (!value)
    return {};
  Attribute attr;
  if (auto constant = value.getDefiningOp<ConstantOp>())
    attr = constant.getValue();
  else if (!matchPattern(value, m_Constant(&attr)))
    return {};
  return dyn_cast_or_null<DenseElementsAttr>(attr);
}

/// The elements of the constant that defines `value` when they are an
/// `AttrT` (DenseIntElementsAttr, DenseFPElementsAttr), each converted by
/// `convert`.
template <typename AttrT, typename T, typename ElementT, typename Convert>
static std::optional<SmallVector<T>> getConstantValues(Value value,
                                                       Convert convert) {
  auto elements = dyn_cast_or_null<AttrT>(getConstantElements(value));
  if (!elements)
    return std::nullopt;
  SmallVector<T> values;
  for (ElementT v : elements.template getValues<ElementT>())
    values.push_back(convert(v));
  return values;
}

std::optional<SmallVector<int64_t>> to_linalg::getConstantInts(Value value) {
  return getConstantValues<DenseIntElementsAttr, int64_t, APInt>(
      value, [](const APInt &v) { return v.getSExtValue(); });
}

std::optional<SmallVector<double>> to_linalg::getConstantFloats(Value value) {
  return getConstantValues<DenseFPElementsAttr, double, APFloat>(
      value, [](APFloat v) {
        bool lossy = false;
        v.convert(APFloat::IEEEdouble(), APFloat::rmNearestTiesToEven, &lossy);
        return v.convertToDouble();
      });
}

Value to_linalg::extractAsIndex(OpBuilder &b, Location loc, Value tensor,
                                ValueRange coords) {
  return castToIndex(b, loc, tensor::ExtractOp::create(b, loc, tensor, coords));
}

Value to_linalg::extractAsIndex(OpBuilder &b, Location loc, Value tensor,
                                int64_t position) {
  Value idx = arith::ConstantIndexOp::create(b, loc, position);
  return extractAsIndex(b, loc, tensor, ValueRange{idx});
}

Value to_linalg::extractAxis(OpBuilder &b, Location loc, Value axes,
                             int64_t position, int64_t rank) {
  Value axis = extractAsIndex(b, loc, axes, position);
  Value rankValue = arith::ConstantIndexOp::create(b, loc, rank);
  return wrapNegativeIndex(b, loc, axis, rankValue);
}

Value to_linalg::extractSingleElement(OpBuilder &b, Location loc,
                                      Value tensor) {
  auto type = cast<RankedTensorType>(tensor.getType());
  SmallVector<Value> indices;
  if (type.getRank() > 0)
    indices.assign(type.getRank(), arith::ConstantIndexOp::create(b, loc, 0));
  return tensor::ExtractOp::create(b, loc, tensor, indices);
}

//===----------------------------------------------------------------------===//
// All-parallel generics
//===----------------------------------------------------------------------===//

Value to_linalg::buildParallelGeneric(OpBuilder &b, Location loc, Value init,
                                      ValueRange inputs,
                                      ArrayRef<AffineMap> inputMaps,
                                      ScalarBuilder body) {
  auto type = cast<RankedTensorType>(init.getType());
  SmallVector<AffineMap> maps(inputMaps);
  maps.push_back(b.getMultiDimIdentityMap(type.getRank()));
  SmallVector<utils::IteratorType> iterators(type.getRank(),
                                             utils::IteratorType::parallel);
  return linalg::GenericOp::create(
             b, loc, TypeRange{type}, inputs, ValueRange{init}, maps, iterators,
             [&](OpBuilder &nb, Location nl, ValueRange args) {
               linalg::YieldOp::create(nb, nl, body(nb, nl, args.drop_back()));
             })
      .getResult(0);
}

Value to_linalg::buildParallelGeneric(OpBuilder &b, Location loc,
                                      RankedTensorType type,
                                      ArrayRef<OpFoldResult> dims,
                                      ValueRange inputs,
                                      ArrayRef<AffineMap> inputMaps,
                                      ScalarBuilder body) {
  Value init = createEmpty(b, loc, type, dims);
  return buildParallelGeneric(b, loc, init, inputs, inputMaps, body);
}

SmallVector<Value> to_linalg::getLoopIndices(OpBuilder &b, Location loc,
                                             int64_t rank) {
  SmallVector<Value> ivs;
  for (int64_t d = 0; d < rank; ++d)
    ivs.push_back(linalg::IndexOp::create(b, loc, d));
  return ivs;
}

Value to_linalg::buildIndexGeneric(OpBuilder &b, Location loc,
                                   RankedTensorType type,
                                   ArrayRef<OpFoldResult> dims,
                                   IndexBody body) {
  return buildParallelGeneric(
      b, loc, type, dims, {}, {},
      [&](OpBuilder &nb, Location nl, ValueRange) -> Value {
        SmallVector<Value> ivs = getLoopIndices(nb, nl, type.getRank());
        return body(nb, nl, ivs);
      });
}

Value to_linalg::buildElementwise(OpBuilder &b, Location loc,
                                  RankedTensorType resultType,
                                  ValueRange operands, ScalarBuilder body) {
  MLIRContext *ctx = b.getContext();
  SmallVector<OpFoldResult> dims =
      getBroadcastDims(b, loc, resultType, operands);
  SmallVector<AffineMap> maps;
  for (Value operand : operands)
    maps.push_back(
        getBroadcastMap(ctx, cast<ShapedType>(operand.getType()), resultType));
  return buildParallelGeneric(b, loc, resultType, dims, operands, maps, body);
}

Value to_linalg::divideByScalar(OpBuilder &b, Location loc, Value tensor,
                                Value scalar) {
  return buildElementwise(
      b, loc, cast<RankedTensorType>(tensor.getType()), {tensor},
      [&](OpBuilder &nb, Location nl, ValueRange args) -> Value {
        return arith::DivFOp::create(nb, nl, args[0], scalar);
      });
}

Value to_linalg::buildWithPartialOperands(OpBuilder &b, Location loc,
                                          RankedTensorType type,
                                          ArrayRef<OpFoldResult> dims,
                                          ValueRange full, ValueRange partial,
                                          AffineMap partialMap,
                                          ScalarBuilder body) {
  SmallVector<AffineMap> maps;
  SmallVector<Value> inputs;
  for (Value v : full) {
    maps.push_back(
        getBroadcastMap(b.getContext(), cast<ShapedType>(v.getType()), type));
    inputs.push_back(v);
  }
  for (Value v : partial) {
    maps.push_back(partialMap);
    inputs.push_back(v);
  }
  return buildParallelGeneric(b, loc, type, dims, inputs, maps, body);
}

//===----------------------------------------------------------------------===//
// Reductions
//===----------------------------------------------------------------------===//

AffineMap to_linalg::getReducedMap(MLIRContext *ctx, int64_t rank,
                                   ArrayRef<int64_t> reduced) {
  SmallVector<AffineExpr> exprs;
  for (int64_t d = 0; d < rank; ++d)
    if (!llvm::is_contained(reduced, d))
      exprs.push_back(getAffineDimExpr(d, ctx));
  return AffineMap::get(rank, 0, exprs, ctx);
}

void to_linalg::getReducedShape(RankedTensorType type,
                                ArrayRef<OpFoldResult> dims,
                                ArrayRef<int64_t> reduced,
                                SmallVectorImpl<int64_t> &reducedShape,
                                SmallVectorImpl<OpFoldResult> &reducedDims) {
  for (int64_t d = 0; d < type.getRank(); ++d) {
    if (llvm::is_contained(reduced, d))
      continue;
    reducedShape.push_back(type.getDimSize(d));
    reducedDims.push_back(dims[d]);
  }
}

Value to_linalg::buildReduction(OpBuilder &b, Location loc, Value input,
                                ArrayRef<int64_t> reduced, Value init,
                                CombineFn combine) {
  auto type = cast<RankedTensorType>(input.getType());
  int64_t rank = type.getRank();
  SmallVector<int64_t> shape;
  SmallVector<OpFoldResult> dims;
  getReducedShape(type, getDims(b, loc, input), reduced, shape, dims);
  SmallVector<utils::IteratorType> iterators;
  for (int64_t d = 0; d < rank; ++d)
    iterators.push_back(llvm::is_contained(reduced, d)
                            ? utils::IteratorType::reduction
                            : utils::IteratorType::parallel);
  auto resultType = RankedTensorType::get(shape, init.getType());
  Value filled = fillTensor(b, loc, resultType, dims, init);
  SmallVector<AffineMap> maps = {b.getMultiDimIdentityMap(rank),
                                 getReducedMap(b.getContext(), rank, reduced)};
  return linalg::GenericOp::create(
             b, loc, TypeRange{resultType}, ValueRange{input},
             ValueRange{filled}, maps, iterators,
             [&](OpBuilder &nb, Location nl, ValueRange args) {
               linalg::YieldOp::create(nb, nl,
                                       combine(nb, nl, args[0], args[1]));
             })
      .getResult(0);
}

std::pair<Value, Value> to_linalg::buildArgReduction(OpBuilder &b, Location loc,
                                                     Value input, int64_t axis,
                                                     Value values,
                                                     Value indices,
                                                     ArgCompareFn better) {
  int64_t rank = cast<RankedTensorType>(input.getType()).getRank();
  AffineMap reducedMap = getReducedMap(b.getContext(), rank, {axis});
  SmallVector<utils::IteratorType> iterators(rank,
                                             utils::IteratorType::parallel);
  iterators[axis] = utils::IteratorType::reduction;
  auto generic = linalg::GenericOp::create(
      b, loc, TypeRange{values.getType(), indices.getType()}, ValueRange{input},
      ValueRange{values, indices},
      SmallVector<AffineMap>{b.getMultiDimIdentityMap(rank), reducedMap,
                             reducedMap},
      iterators, [&](OpBuilder &nb, Location nl, ValueRange args) {
        Value v = args[0], best = args[1], bestIndex = args[2];
        Value i = castIndexTo(nb, nl, linalg::IndexOp::create(nb, nl, axis),
                              nb.getI64Type());
        Value take = better(nb, nl, v, i, best, bestIndex);
        Value value = arith::SelectOp::create(nb, nl, take, v, best);
        Value index = arith::SelectOp::create(nb, nl, take, i, bestIndex);
        linalg::YieldOp::create(nb, nl, ValueRange{value, index});
      });
  return {generic.getResult(0), generic.getResult(1)};
}

Value to_linalg::isFirstMaximum(OpBuilder &b, Location loc, Value v,
                                Value index, Value best, Value bestIndex,
                                bool isUnsignedInt) {
  Value greater, equal;
  if (isa<FloatType>(v.getType())) {
    greater = arith::CmpFOp::create(b, loc, arith::CmpFPredicate::OGT, v, best);
    equal = arith::CmpFOp::create(b, loc, arith::CmpFPredicate::OEQ, v, best);
  } else {
    greater = arith::CmpIOp::create(b, loc,
                                    isUnsignedInt ? arith::CmpIPredicate::ugt
                                                  : arith::CmpIPredicate::sgt,
                                    v, best);
    equal = arith::CmpIOp::create(b, loc, arith::CmpIPredicate::eq, v, best);
  }
  Value lower = arith::CmpIOp::create(b, loc, arith::CmpIPredicate::slt, index,
                                      bestIndex);
  Value earlier = arith::AndIOp::create(b, loc, equal, lower);
  Value zero = arith::ConstantIntOp::create(b, loc, bestIndex.getType(), 0);
  Value none =
      arith::CmpIOp::create(b, loc, arith::CmpIPredicate::slt, bestIndex, zero);
  Value wins = arith::OrIOp::create(b, loc, greater, earlier);
  return arith::OrIOp::create(b, loc, none, wins);
}

Value to_linalg::keepReducedDims(OpBuilder &b, Location loc, Value reducedValue,
                                 RankedTensorType keptType,
                                 ArrayRef<int64_t> reduced) {
  SmallVector<OpFoldResult> src = getDims(b, loc, reducedValue);
  SmallVector<OpFoldResult> sizes;
  unsigned next = 0;
  for (int64_t d = 0; d < keptType.getRank(); ++d)
    sizes.push_back(llvm::is_contained(reduced, d) ? b.getIndexAttr(1)
                                                   : src[next++]);
  return reshapeWithSizes(b, loc, reducedValue, keptType, sizes);
}

CenteredMoments to_linalg::buildCenteredMoments(OpBuilder &b, Location loc,
                                                Value x,
                                                ArrayRef<int64_t> reduced,
                                                Value count) {
  auto type = cast<RankedTensorType>(x.getType());
  Value zero = createConstant(b, loc, type.getElementType(), 0.0);
  Value sum = buildReduction(b, loc, x, reduced, zero, addScalar);
  Value mean = divideByScalar(b, loc, sum, count);
  SmallVector<OpFoldResult> dims = getDims(b, loc, x);
  Value centered = buildWithPartialOperands(
      b, loc, type, dims, {x}, {mean},
      getReducedMap(b.getContext(), type.getRank(), reduced),
      [](OpBuilder &nb, Location nl, ValueRange args) -> Value {
        return arith::SubFOp::create(nb, nl, args[0], args[1]);
      });
  Value sumOfSquares = buildReduction(
      b, loc, centered, reduced, zero,
      [](OpBuilder &nb, Location nl, Value v, Value acc) -> Value {
        Value square = arith::MulFOp::create(nb, nl, v, v);
        return arith::AddFOp::create(nb, nl, acc, square);
      });
  return {mean, centered, sumOfSquares, dims};
}

//===----------------------------------------------------------------------===//
// numpy matmul
//===----------------------------------------------------------------------===//

MatmulLayout MatmulLayout::get(RankedTensorType aType, RankedTensorType bType,
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

std::pair<AffineMap, AffineMap>
MatmulLayout::getOperandMaps(MLIRContext *ctx, RankedTensorType aType,
                             RankedTensorType bType,
                             RankedTensorType resultType) const {
  AffineExpr k = getAffineDimExpr(rank, ctx);
  // The batch dims of an operand with `matDims` matrix dims, right-aligned
  // in the result's batch dims.
  auto batch = [&](RankedTensorType type, int64_t matDims) {
    SmallVector<AffineExpr> exprs;
    int64_t own = type.getRank() - matDims;
    for (int64_t i = 0; i < own; ++i) {
      int64_t d = i + numBatch - own;
      bool broadcast = type.getDimSize(i) == 1 && resultType.getDimSize(d) != 1;
      exprs.push_back(broadcast ? getAffineConstantExpr(0, ctx)
                                : getAffineDimExpr(d, ctx));
    }
    return exprs;
  };
  SmallVector<AffineExpr> aExprs, bExprs;
  if (aVec) {
    aExprs = {k};
  } else {
    aExprs = batch(aType, 2);
    aExprs.append({getAffineDimExpr(*mPos, ctx), k});
  }
  if (bVec) {
    bExprs = {k};
  } else {
    bExprs = batch(bType, 2);
    bExprs.append({k, getAffineDimExpr(*nPos, ctx)});
  }
  return {AffineMap::get(getNumLoops(), 0, aExprs, ctx),
          AffineMap::get(getNumLoops(), 0, bExprs, ctx)};
}

AffineMap MatmulLayout::getResultMap(MLIRContext *ctx) const {
  return AffineMap::getMultiDimIdentityMap(getNumLoops(), ctx)
      .getMajorSubMap(rank);
}

SmallVector<utils::IteratorType> MatmulLayout::getIteratorTypes() const {
  SmallVector<utils::IteratorType> iterators(rank,
                                             utils::IteratorType::parallel);
  iterators.push_back(utils::IteratorType::reduction);
  return iterators;
}

SmallVector<OpFoldResult>
MatmulLayout::getResultDims(OpBuilder &b, Location loc, Value a, Value bv,
                            RankedTensorType resultType) const {
  auto aType = cast<RankedTensorType>(a.getType());
  auto bType = cast<RankedTensorType>(bv.getType());
  SmallVector<OpFoldResult> dims;
  for (int64_t d = 0; d < rank; ++d) {
    if (!resultType.isDynamicDim(d)) {
      dims.push_back(b.getIndexAttr(resultType.getDimSize(d)));
      continue;
    }
    if (mPos && d == *mPos) {
      dims.push_back(
          tensor::DimOp::create(b, loc, a, aType.getRank() - 2).getResult());
      continue;
    }
    if (nPos && d == *nPos) {
      dims.push_back(
          tensor::DimOp::create(b, loc, bv, bType.getRank() - 1).getResult());
      continue;
    }
    // A batch dim: the broadcast of A's and B's (right-aligned) batch dims.
    SmallVector<std::pair<Value, int64_t>> candidates;
    for (auto [operand, type, matDims] :
         {std::tuple{a, aType, aVec ? 1 : 2},
          std::tuple{bv, bType, bVec ? 1 : 2}}) {
      int64_t own = type.getRank() - matDims;
      int64_t i = d - (numBatch - own);
      if (i >= 0 && i < own)
        candidates.push_back({operand, i});
    }
    dims.push_back(buildBroadcastSize(b, loc, candidates));
  }
  return dims;
}
