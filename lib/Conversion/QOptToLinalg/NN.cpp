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

#include <limits>

using namespace mlir;
using namespace mlir::qopt;
using namespace mlir::qopt::to_linalg;

namespace {

Value maxCombine(OpBuilder &b, Location loc, Value x, Value acc) {
  return arith::MaximumFOp::create(b, loc, x, acc);
}
Value sumCombine(OpBuilder &b, Location loc, Value x, Value acc) {
  return arith::AddFOp::create(b, loc, x, acc);
}

/// One generic over `type` reading `full` tensors with the identity map and
/// `reducedOperands` with the map that drops `reduced` dims.
Value mapWithReduced(OpBuilder &b, Location loc, RankedTensorType type,
                     ValueRange full, ValueRange reducedOperands,
                     ArrayRef<int64_t> reduced, ScalarBuilder body) {
  int64_t rank = type.getRank();
  SmallVector<AffineMap> maps;
  SmallVector<Value> inputs;
  for (Value v : full) {
    maps.push_back(getBroadcastMap(b.getContext(),
                                   cast<ShapedType>(v.getType()), type));
    inputs.push_back(v);
  }
  for (Value v : reducedOperands) {
    maps.push_back(getReducedMap(b.getContext(), rank, reduced));
    inputs.push_back(v);
  }
  maps.push_back(b.getMultiDimIdentityMap(rank));
  Value init = createEmpty(b, loc, type, getDims(b, loc, full.front()));
  SmallVector<utils::IteratorType> iterators(rank,
                                             utils::IteratorType::parallel);
  return linalg::GenericOp::create(
             b, loc, TypeRange{type}, inputs, ValueRange{init}, maps,
             iterators,
             [&](OpBuilder &nb, Location nl, ValueRange args) {
               linalg::YieldOp::create(nb, nl, body(nb, nl, args.drop_back()));
             })
      .getResult(0);
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
    Value lowest = createConstant(rewriter, loc, elem,
                                  -std::numeric_limits<double>::infinity());
    Value max = buildReduction(rewriter, loc, x, reduced, lowest, maxCombine);
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
    Value sum = buildReduction(rewriter, loc, exp, reduced, zero, sumCombine);
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
    SmallVector<int64_t> reduced;
    for (int64_t d = axis; d < rank; ++d)
      reduced.push_back(d);
    // N = product of the normalized dims, as a float.
    Value count = arith::ConstantIndexOp::create(rewriter, loc, 1);
    for (int64_t d : reduced)
      count = arith::MulIOp::create(rewriter, loc, count,
                                    tensor::DimOp::create(rewriter, loc, x, d));
    Value countF = arith::UIToFPOp::create(
        rewriter, loc, elem,
        arith::IndexCastUIOp::create(rewriter, loc, rewriter.getI64Type(),
                                     count));
    Value zero = createConstant(rewriter, loc, elem, 0.0);
    Value sum = buildReduction(rewriter, loc, x, reduced, zero, sumCombine);
    auto reducedType = cast<RankedTensorType>(sum.getType());
    Value mean = buildElementwise(
        rewriter, loc, reducedType, {sum},
        [&](OpBuilder &b, Location l, ValueRange args) -> Value {
          return arith::DivFOp::create(b, l, args[0], countF);
        });
    Value centered = mapWithReduced(
        rewriter, loc, type, {x}, {mean}, reduced,
        [](OpBuilder &b, Location l, ValueRange args) -> Value {
          return arith::SubFOp::create(b, l, args[0], args[1]);
        });
    Value sq = buildReduction(
        rewriter, loc, centered, reduced, zero,
        [](OpBuilder &b, Location l, Value v, Value acc) -> Value {
          return arith::AddFOp::create(b, l, acc,
                                       arith::MulFOp::create(b, l, v, v));
        });
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
