//===- NN.cpp - Softmax / LayerNormalization / ... -> linalg ------*- C++ -*-===//
//
// Normalizations and the softmax family as reductions plus elementwise
// generics (numerically stable: softmax subtracts the row max).
//
//===----------------------------------------------------------------------===//

#include "Utils.h"

#include "qopt/Conversion/QOptToLinalg/QOptToLinalg.h"
#include "qopt/Dialect/QOpt/IR/QOptDialect.h"

#include "mlir/Dialect/Math/IR/Math.h"

using namespace mlir;
using namespace mlir::qopt;
using namespace mlir::qopt::to_linalg;

namespace {

/// One generic over `type` (the dims of `full`'s first operand) reading the
/// `full` tensors with broadcasting and `reducedOperands` with the map that
/// drops `reduced` dims.
Value mapWithReduced(OpBuilder &b, Location loc, RankedTensorType type,
                     ValueRange full, ValueRange reducedOperands,
                     ArrayRef<int64_t> reduced, ScalarBuilder body) {
  return buildWithPartialOperands(
      b, loc, type, getDims(b, loc, full.front()), full, reducedOperands,
      getReducedMap(b.getContext(), type.getRank(), reduced), body);
}

template <typename OpTy, bool isLog>
struct SoftmaxLowering : OpConversionPattern<OpTy> {
  using OpConversionPattern<OpTy>::OpConversionPattern;
  LogicalResult
  matchAndRewrite(OpTy op, typename OpTy::Adaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    Value x = adaptor.getInput();
    auto type = dyn_cast<RankedTensorType>(x.getType());
    if (!type || !isa<FloatType>(type.getElementType()))
      return rewriter.notifyMatchFailure(op, "needs a ranked float tensor");
    Type elem = type.getElementType();
    int64_t axis = normalizeAxis(static_cast<int64_t>(op.getAxis()),
                                 type.getRank());
    SmallVector<int64_t> reduced = {axis};
    Value lowest = createLowestValue(rewriter, loc, elem, false);
    Value max = buildReduction(
        rewriter, loc, x, reduced, lowest,
        [](OpBuilder &b, Location l, Value v, Value acc) {
          return maxScalar(b, l, v, acc, /*isUnsignedInt=*/false);
        });
    Value shifted = mapWithReduced(
        rewriter, loc, type, {x}, {max}, reduced,
        [](OpBuilder &b, Location l, ValueRange args) -> Value {
          return arith::SubFOp::create(b, l, args[0], args[1]);
        });
    Value exp = mapWithReduced(
        rewriter, loc, type, {shifted}, {}, reduced,
        [](OpBuilder &b, Location l, ValueRange args) -> Value {
          return math::ExpOp::create(b, l, args[0]);
        });
    Value zero = createConstant(rewriter, loc, elem, 0.0);
    Value sum = buildReduction(rewriter, loc, exp, reduced, zero, addScalar);
    Value result;
    if (isLog)
      result = mapWithReduced(
          rewriter, loc, type, {shifted}, {sum}, reduced,
          [](OpBuilder &b, Location l, ValueRange args) -> Value {
            return arith::SubFOp::create(b, l, args[0],
                                         math::LogOp::create(b, l, args[1]));
          });
    else
      result = mapWithReduced(
          rewriter, loc, type, {exp}, {sum}, reduced,
          [](OpBuilder &b, Location l, ValueRange args) -> Value {
            return arith::DivFOp::create(b, l, args[0], args[1]);
          });
    rewriter.replaceOp(op, result);
    return success();
  }
};

struct LayerNormLowering : OpConversionPattern<LayerNormalizationOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(LayerNormalizationOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    Value x = adaptor.getX();
    auto type = dyn_cast<RankedTensorType>(x.getType());
    if (!type)
      return rewriter.notifyMatchFailure(op, "unranked input");
    Type elem = type.getElementType();
    int64_t rank = type.getRank();
    int64_t axis = normalizeAxis(static_cast<int64_t>(op.getAxis()), rank);
    auto reduced = llvm::to_vector(llvm::seq<int64_t>(axis, rank));
    // N = product of the normalized dims, as a float.
    Value count = productOfDims(rewriter, loc, x, reduced);
    Value countF = arith::UIToFPOp::create(
        rewriter, loc, elem,
        arith::IndexCastUIOp::create(rewriter, loc, rewriter.getI64Type(),
                                     count));
    CenteredMoments moments =
        buildCenteredMoments(rewriter, loc, x, reduced, countF);
    Value mean = moments.mean, centered = moments.centered,
          sq = moments.sumOfSquares;
    auto reducedType = cast<RankedTensorType>(sq.getType());
    double eps = op.getEpsilonAttr().getValueAsDouble();
    Value epsV = createConstant(rewriter, loc, elem, eps);
    Value invStd = buildElementwise(
        rewriter, loc, reducedType, {sq},
        [&](OpBuilder &b, Location l, ValueRange args) -> Value {
          Value var = arith::DivFOp::create(b, l, args[0], countF);
          return math::RsqrtOp::create(b, l,
                                       arith::AddFOp::create(b, l, var, epsV));
        });
    SmallVector<Value> full = {centered, adaptor.getScale()};
    if (adaptor.getB())
      full.push_back(adaptor.getB());
    bool hasBias = static_cast<bool>(adaptor.getB());
    Value y = mapWithReduced(
        rewriter, loc, type, full, {invStd}, reduced,
        [&](OpBuilder &b, Location l, ValueRange args) -> Value {
          Value r = arith::MulFOp::create(b, l, args[0], args.back());
          r = arith::MulFOp::create(b, l, r, args[1]);
          if (hasBias)
            r = arith::AddFOp::create(b, l, r, args[2]);
          return r;
        });
    SmallVector<Value> results = {y};
    if (op.getMean()) {
      auto keptType = cast<RankedTensorType>(
          getTypeConverter()->convertType(op.getMean().getType()));
      results.push_back(
          keepReducedDims(rewriter, loc, mean, keptType, reduced));
    }
    if (op.getInvStdDev()) {
      auto keptType = cast<RankedTensorType>(
          getTypeConverter()->convertType(op.getInvStdDev().getType()));
      results.push_back(
          keepReducedDims(rewriter, loc, invStd, keptType, reduced));
    }
    rewriter.replaceOp(op, results);
    return success();
  }
};

} // namespace

void mlir::qopt::populateQOptNNToLinalgPatterns(const TypeConverter &converter,
                                                RewritePatternSet &patterns) {
  patterns.add<SoftmaxLowering<SoftmaxOp, false>,
               SoftmaxLowering<LogSoftmaxOp, true>, LayerNormLowering>(
      converter, patterns.getContext());
}
