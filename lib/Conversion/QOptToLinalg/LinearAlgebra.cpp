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

using namespace mlir;
using namespace mlir::qopt;
using namespace mlir::qopt::to_linalg;

namespace {

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
  Value init = createZeroFilled(b, loc, outType, dims);
  Value out = linalg::MatmulOp::create(b, loc, TypeRange{outType},
                                       ValueRange{a2, w}, ValueRange{init})
                  .getResult(0);
  if (rank <= 2)
    return out;
  // Expand back with tensor.reshape: MLIR 22's expand-strided-metadata
  // crashes on a memref.expand_shape group with two dynamic dims.
  SmallVector<OpFoldResult> outShape = getDims(b, loc, a);
  outShape.back() = dims[1];
  return reshapeWithSizes(b, loc, out, resultType, outShape);
}

/// The general numpy matmul as a contraction generic.
Value lowerMatMulGeneric(OpBuilder &b, Location loc, Value a, Value bv,
                         RankedTensorType resultType) {
  MLIRContext *ctx = b.getContext();
  auto aType = cast<RankedTensorType>(a.getType());
  auto bType = cast<RankedTensorType>(bv.getType());
  MatmulLayout l = MatmulLayout::get(aType, bType, resultType);
  auto [aMap, bMap] = l.getOperandMaps(ctx, aType, bType, resultType);
  SmallVector<AffineMap> maps = {aMap, bMap, l.getResultMap(ctx)};
  SmallVector<OpFoldResult> dims = l.getResultDims(b, loc, a, bv, resultType);
  Value init = createZeroFilled(b, loc, resultType, dims);
  return linalg::GenericOp::create(
             b, loc, TypeRange{resultType}, ValueRange{a, bv}, ValueRange{init},
             maps, l.getIteratorTypes(),
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
    auto resultType = getConvertedRankedType(getTypeConverter(), op.getType());
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
    auto resultType = getConvertedRankedType(getTypeConverter(), op.getType());
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
    Value init = createZeroFilled(rewriter, loc, resultType, dims);
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
          auto scale = [&](Value v, double s) -> Value {
            if (s == 1.0)
              return v;
            return mulScalar(b, l, v, createConstant(b, l, type, s));
          };
          Value y = scale(args[0], alpha);
          if (args.size() > 1)
            y = addScalar(b, l, y, scale(args[1], beta));
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
