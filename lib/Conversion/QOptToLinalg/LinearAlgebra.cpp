//===- LinearAlgebra.cpp - MatMul / Gemm -> linalg ----------------*- C++ -*-===//
//
// MatMul with a 2-D right operand (the weight of a linear layer, the common
// case in transformers) becomes one `linalg.matmul` on the collapsed
// activation; every other MatMul (batched, broadcast, 1-D) and Gemm become a
// contraction `linalg.generic`, which tiling and vectorization handle alike.
//
//===----------------------------------------------------------------------===//

#include "Utils.h"

#include "qopt/Conversion/QOptToLinalg/QOptToLinalg.h"
#include "qopt/Dialect/QOpt/IR/QOptDialect.h"

#include "mlir/Dialect/Arith/Utils/Utils.h"

using namespace mlir;
using namespace mlir::qopt;
using namespace mlir::qopt::to_linalg;

namespace {

Value zeroFilled(OpBuilder &b, Location loc, RankedTensorType type,
                 ArrayRef<OpFoldResult> dims) {
  Value empty = createEmpty(b, loc, type, dims);
  Value zero = createConstant(b, loc, type.getElementType(), 0.0);
  return linalg::FillOp::create(b, loc, zero, empty).getResult(0);
}

/// acc + a * b in the element type of acc.
Value multiplyAccumulate(OpBuilder &b, Location loc, Value a, Value bv,
                         Value acc) {
  if (isa<FloatType>(acc.getType()))
    return arith::AddFOp::create(b, loc, acc,
                                 arith::MulFOp::create(b, loc, a, bv));
  return arith::AddIOp::create(b, loc, acc,
                               arith::MulIOp::create(b, loc, a, bv));
}

/// [..., M, K] x [K, N]: collapse the leading dims of A, linalg.matmul,
/// expand back.
Value lowerMatMulWith2DWeight(OpBuilder &b, Location loc, Value a, Value w,
                              RankedTensorType resultType) {
  auto aType = cast<RankedTensorType>(a.getType());
  int64_t rank = aType.getRank();
  Value a2 = a;
  if (rank > 2) {
    ReassociationIndices lead;
    for (int64_t i = 0; i < rank - 1; ++i)
      lead.push_back(i);
    a2 = tensor::CollapseShapeOp::create(
        b, loc, a, SmallVector<ReassociationIndices>{lead, {rank - 1}});
  }
  auto a2Type = cast<RankedTensorType>(a2.getType());
  auto wType = cast<RankedTensorType>(w.getType());
  auto outType = RankedTensorType::get(
      {a2Type.getDimSize(0), wType.getDimSize(1)},
      resultType.getElementType());
  SmallVector<OpFoldResult> dims = {tensor::getMixedSize(b, loc, a2, 0),
                                    tensor::getMixedSize(b, loc, w, 1)};
  Value init = zeroFilled(b, loc, outType, dims);
  Value out = linalg::MatmulOp::create(b, loc, TypeRange{outType},
                                       ValueRange{a2, w}, ValueRange{init})
                  .getResult(0);
  if (rank <= 2)
    return out;
  // Expand back with tensor.reshape: MLIR 22's expand-strided-metadata
  // crashes on a memref.expand_shape group with two dynamic dims.
  SmallVector<OpFoldResult> outShape = getDims(b, loc, a);
  outShape.back() = dims[1];
  SmallVector<Value> sizes;
  for (OpFoldResult d : outShape)
    sizes.push_back(getValueOrCreateConstantIndexOp(b, loc, d));
  Value shape = tensor::FromElementsOp::create(
      b, loc, RankedTensorType::get({rank}, b.getIndexType()), sizes);
  return tensor::ReshapeOp::create(b, loc, resultType, out, shape);
}

/// The general numpy matmul as a contraction generic.
Value lowerMatMulGeneric(OpBuilder &b, Location loc, Value a, Value bv,
                         RankedTensorType resultType) {
  MLIRContext *ctx = b.getContext();
  auto aType = cast<RankedTensorType>(a.getType());
  auto bType = cast<RankedTensorType>(bv.getType());
  bool aVec = aType.getRank() == 1, bVec = bType.getRank() == 1;
  int64_t rank = resultType.getRank();
  int64_t numBatch = rank - (aVec ? 0 : 1) - (bVec ? 0 : 1);
  int64_t mPos = numBatch, nPos = numBatch + (aVec ? 0 : 1);
  AffineExpr k = getAffineDimExpr(rank, ctx);

  auto batchExprs = [&](RankedTensorType type, int64_t matDims) {
    SmallVector<AffineExpr> exprs;
    int64_t own = type.getRank() - matDims;
    for (int64_t i = 0; i < own; ++i) {
      int64_t d = i + numBatch - own;
      if (type.getDimSize(i) == 1 && resultType.getDimSize(d) != 1)
        exprs.push_back(getAffineConstantExpr(0, ctx));
      else
        exprs.push_back(getAffineDimExpr(d, ctx));
    }
    return exprs;
  };
  SmallVector<AffineExpr> aExprs, bExprs;
  if (aVec) {
    aExprs = {k};
  } else {
    aExprs = batchExprs(aType, 2);
    aExprs.append({getAffineDimExpr(mPos, ctx), k});
  }
  if (bVec) {
    bExprs = {k};
  } else {
    bExprs = batchExprs(bType, 2);
    bExprs.append({k, getAffineDimExpr(nPos, ctx)});
  }
  SmallVector<AffineMap> maps = {
      AffineMap::get(rank + 1, 0, aExprs, ctx),
      AffineMap::get(rank + 1, 0, bExprs, ctx),
      AffineMap::getMultiDimIdentityMap(rank + 1, ctx).getMajorSubMap(rank)};

  // Result dims: batch dims broadcast; M from A, N from B.
  SmallVector<OpFoldResult> dims;
  for (int64_t d = 0; d < rank; ++d) {
    if (!resultType.isDynamicDim(d)) {
      dims.push_back(b.getIndexAttr(resultType.getDimSize(d)));
      continue;
    }
    Value size;
    if (!aVec && d == mPos) {
      size = tensor::DimOp::create(b, loc, a, aType.getRank() - 2);
    } else if (!bVec && d == nPos) {
      size = tensor::DimOp::create(b, loc, bv, bType.getRank() - 1);
    } else {
      for (auto [operand, type, matDims] :
           {std::tuple{a, aType, aVec ? 1 : 2},
            std::tuple{bv, bType, bVec ? 1 : 2}}) {
        int64_t own = type.getRank() - matDims;
        int64_t i = d - (numBatch - own);
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
  Value init = zeroFilled(b, loc, resultType, dims);
  SmallVector<utils::IteratorType> iterators(rank,
                                             utils::IteratorType::parallel);
  iterators.push_back(utils::IteratorType::reduction);
  return linalg::GenericOp::create(
             b, loc, TypeRange{resultType}, ValueRange{a, bv},
             ValueRange{init}, maps, iterators,
             [](OpBuilder &nb, Location nl, ValueRange args) {
               linalg::YieldOp::create(
                   nb, nl, multiplyAccumulate(nb, nl, args[0], args[1],
                                              args[2]));
             })
      .getResult(0);
}

struct MatMulLowering : OpConversionPattern<MatMulOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(MatMulOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    auto resultType = dyn_cast_or_null<RankedTensorType>(
        getTypeConverter()->convertType(op.getType()));
    auto aType = dyn_cast<RankedTensorType>(adaptor.getA().getType());
    auto bType = dyn_cast<RankedTensorType>(adaptor.getB().getType());
    if (!resultType || !aType || !bType)
      return rewriter.notifyMatchFailure(op, "unranked operands");
    Value result;
    if (bType.getRank() == 2 && aType.getRank() >= 2)
      result = lowerMatMulWith2DWeight(rewriter, op.getLoc(), adaptor.getA(),
                                       adaptor.getB(), resultType);
    else
      result = lowerMatMulGeneric(rewriter, op.getLoc(), adaptor.getA(),
                                  adaptor.getB(), resultType);
    rewriter.replaceOp(op, result);
    return success();
  }
};

struct GemmLowering : OpConversionPattern<GemmOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(GemmOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    MLIRContext *ctx = getContext();
    auto resultType = dyn_cast_or_null<RankedTensorType>(
        getTypeConverter()->convertType(op.getType()));
    Value a = adaptor.getA(), bv = adaptor.getB();
    if (!resultType || !isa<RankedTensorType>(a.getType()) ||
        !isa<RankedTensorType>(bv.getType()))
      return rewriter.notifyMatchFailure(op, "unranked operands");
    bool transA = op.getTransA() != 0, transB = op.getTransB() != 0;
    AffineExpr m = getAffineDimExpr(0, ctx), n = getAffineDimExpr(1, ctx),
               k = getAffineDimExpr(2, ctx);
    SmallVector<AffineMap> maps = {
        AffineMap::get(3, 0, transA ? ArrayRef<AffineExpr>{k, m}
                                    : ArrayRef<AffineExpr>{m, k},
                       ctx),
        AffineMap::get(3, 0, transB ? ArrayRef<AffineExpr>{n, k}
                                    : ArrayRef<AffineExpr>{k, n},
                       ctx),
        AffineMap::get(3, 0, {m, n}, ctx)};
    SmallVector<OpFoldResult> dims = {
        tensor::getMixedSize(rewriter, loc, a, transA ? 1 : 0),
        tensor::getMixedSize(rewriter, loc, bv, transB ? 0 : 1)};
    Value init = zeroFilled(rewriter, loc, resultType, dims);
    Value product =
        linalg::GenericOp::create(
            rewriter, loc, TypeRange{resultType}, ValueRange{a, bv},
            ValueRange{init}, maps,
            {utils::IteratorType::parallel, utils::IteratorType::parallel,
             utils::IteratorType::reduction},
            [](OpBuilder &nb, Location nl, ValueRange args) {
              linalg::YieldOp::create(
                  nb, nl,
                  multiplyAccumulate(nb, nl, args[0], args[1], args[2]));
            })
            .getResult(0);

    double alpha = op.getAlphaAttr().getValueAsDouble();
    double beta = op.getBetaAttr().getValueAsDouble();
    Value c = adaptor.getC();
    if (alpha == 1.0 && (!c || beta == 0.0)) {
      rewriter.replaceOp(op, product);
      return success();
    }
    SmallVector<Value> operands = {product};
    if (c && beta != 0.0)
      operands.push_back(c);
    Value result = buildElementwise(
        rewriter, loc, resultType, operands,
        [&](OpBuilder &b, Location l, ValueRange args) -> Value {
          Type type = args[0].getType();
          bool isFloat = isa<FloatType>(type);
          auto scale = [&](Value v, double s) -> Value {
            if (s == 1.0)
              return v;
            Value cst = createConstant(b, l, type, s);
            return isFloat ? arith::MulFOp::create(b, l, v, cst).getResult()
                           : arith::MulIOp::create(b, l, v, cst).getResult();
          };
          Value y = scale(args[0], alpha);
          if (args.size() > 1) {
            Value cv = scale(args[1], beta);
            y = isFloat ? arith::AddFOp::create(b, l, y, cv).getResult()
                        : arith::AddIOp::create(b, l, y, cv).getResult();
          }
          return y;
        });
    rewriter.replaceOp(op, result);
    return success();
  }
};

} // namespace

void mlir::qopt::populateQOptLinearAlgebraToLinalgPatterns(
    const TypeConverter &converter, RewritePatternSet &patterns) {
  patterns.add<MatMulLowering, GemmLowering>(converter, patterns.getContext());
}
