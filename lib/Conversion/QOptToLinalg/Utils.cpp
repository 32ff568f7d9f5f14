//===- Utils.cpp - shared helpers of the qopt -> linalg lowering -*- C++ -*-===//
//
// See Utils.h.
//
//===----------------------------------------------------------------------===//

#include "Utils.h"

#include "qopt/Dialect/QOpt/IR/QOptDialect.h"

#include "mlir/Dialect/Arith/Utils/Utils.h"
#include "mlir/IR/Matchers.h"

using namespace mlir;
using namespace mlir::qopt;
using namespace mlir::qopt::to_linalg;

bool to_linalg::isUnsigned(Type type) {
  auto intType = dyn_cast<IntegerType>(getElementTypeOrSelf(type));
  return intType && intType.isUnsigned();
}

SmallVector<OpFoldResult> to_linalg::getDims(OpBuilder &b, Location loc,
                                             Value value) {
  return tensor::getMixedSizes(b, loc, value);
}

Value to_linalg::createEmpty(OpBuilder &b, Location loc, RankedTensorType type,
                             ArrayRef<OpFoldResult> dims) {
  SmallVector<Value> dynamic;
  for (auto [i, size] : llvm::enumerate(type.getShape()))
    if (ShapedType::isDynamic(size))
      dynamic.push_back(getValueOrCreateConstantIndexOp(b, loc, dims[i]));
  return tensor::EmptyOp::create(b, loc, type, dynamic);
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
    Value size;
    for (Value operand : operands) {
      auto type = cast<RankedTensorType>(operand.getType());
      int64_t od = d - (rank - type.getRank());
      if (od < 0 || type.getDimSize(od) == 1)
        continue;
      Value dim = tensor::DimOp::create(b, loc, operand, od);
      size = size ? arith::MaxUIOp::create(b, loc, size, dim).getResult()
                  : dim;
    }
    if (!size)
      size = arith::ConstantIndexOp::create(b, loc, 1);
    dims.push_back(size);
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

Value to_linalg::buildElementwise(OpBuilder &b, Location loc,
                                  RankedTensorType resultType,
                                  ValueRange operands, ScalarBuilder body) {
  MLIRContext *ctx = b.getContext();
  SmallVector<OpFoldResult> dims =
      getBroadcastDims(b, loc, resultType, operands);
  Value init = createEmpty(b, loc, resultType, dims);
  SmallVector<AffineMap> maps;
  for (Value operand : operands)
    maps.push_back(getBroadcastMap(
        ctx, cast<ShapedType>(operand.getType()), resultType));
  maps.push_back(b.getMultiDimIdentityMap(resultType.getRank()));
  SmallVector<utils::IteratorType> iterators(resultType.getRank(),
                                             utils::IteratorType::parallel);
  auto generic = linalg::GenericOp::create(
      b, loc, TypeRange{resultType}, operands, ValueRange{init}, maps,
      iterators, [&](OpBuilder &nb, Location nl, ValueRange args) {
        Value result = body(nb, nl, args.drop_back());
        linalg::YieldOp::create(nb, nl, result);
      });
  return generic.getResult(0);
}

int64_t to_linalg::normalizeAxis(int64_t axis, int64_t rank) {
  return axis < 0 ? axis + rank : axis;
}

std::optional<SmallVector<int64_t>> to_linalg::getConstantInts(Value value) {
  Attribute attr;
  if (auto constant = value.getDefiningOp<ConstantOp>())
    attr = constant.getValue();
  else if (!matchPattern(value, m_Constant(&attr)))
    return std::nullopt;
  auto elements = dyn_cast_or_null<DenseIntElementsAttr>(attr);
  if (!elements)
    return std::nullopt;
  SmallVector<int64_t> values;
  for (const APInt &v : elements.getValues<APInt>())
    values.push_back(v.getSExtValue());
  return values;
}

Value to_linalg::castIndexTo(OpBuilder &b, Location loc, Value index,
                             Type type) {
  return arith::IndexCastOp::create(b, loc, type, index);
}

Value to_linalg::castToIndex(OpBuilder &b, Location loc, Value value) {
  return arith::IndexCastOp::create(b, loc, b.getIndexType(), value);
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

AffineMap to_linalg::getReducedMap(MLIRContext *ctx, int64_t rank,
                                   ArrayRef<int64_t> reduced) {
  SmallVector<AffineExpr> exprs;
  for (int64_t d = 0; d < rank; ++d)
    if (!llvm::is_contained(reduced, d))
      exprs.push_back(getAffineDimExpr(d, ctx));
  return AffineMap::get(rank, 0, exprs, ctx);
}

Value to_linalg::buildReduction(OpBuilder &b, Location loc, Value input,
                                ArrayRef<int64_t> reduced, Value init,
                                CombineFn combine) {
  auto type = cast<RankedTensorType>(input.getType());
  int64_t rank = type.getRank();
  SmallVector<int64_t> shape;
  SmallVector<OpFoldResult> dims;
  SmallVector<OpFoldResult> inDims = getDims(b, loc, input);
  SmallVector<utils::IteratorType> iterators;
  for (int64_t d = 0; d < rank; ++d) {
    bool isReduced = llvm::is_contained(reduced, d);
    iterators.push_back(isReduced ? utils::IteratorType::reduction
                                  : utils::IteratorType::parallel);
    if (isReduced)
      continue;
    shape.push_back(type.getDimSize(d));
    dims.push_back(inDims[d]);
  }
  auto resultType = RankedTensorType::get(shape, init.getType());
  Value empty = createEmpty(b, loc, resultType, dims);
  Value filled = linalg::FillOp::create(b, loc, init, empty).getResult(0);
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

Value to_linalg::keepReducedDims(OpBuilder &b, Location loc,
                                 Value reducedValue,
                                 RankedTensorType keptType,
                                 ArrayRef<int64_t> reduced) {
  auto srcType = cast<RankedTensorType>(reducedValue.getType());
  SmallVector<OpFoldResult> src = getDims(b, loc, reducedValue);
  SmallVector<Value> sizes;
  unsigned next = 0;
  for (int64_t d = 0; d < keptType.getRank(); ++d) {
    if (llvm::is_contained(reduced, d)) {
      sizes.push_back(arith::ConstantIndexOp::create(b, loc, 1));
      continue;
    }
    sizes.push_back(getValueOrCreateConstantIndexOp(b, loc, src[next++]));
  }
  (void)srcType;
  auto shapeType = RankedTensorType::get({keptType.getRank()}, b.getIndexType());
  Value shape = tensor::FromElementsOp::create(b, loc, shapeType, sizes);
  return tensor::ReshapeOp::create(b, loc, keptType, reducedValue, shape);
}
