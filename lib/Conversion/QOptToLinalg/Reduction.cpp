//===- Reduction.cpp - ReduceX / ArgMax / ArgMin -> linalg --------*- C++ -*-===//
//
// Every ReduceX is (pre-map) -> reduction generic -> (post-map) -> keepdims
// reshape: ReduceL2 = sqrt(sum(x*x)), ReduceLogSumExp = log(sum(exp(x - max)))
// + max, and so on. ArgMax / ArgMin carry (value, index) through one
// reduction generic with two outputs.
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

enum class Combine { Sum, Max, Min, Prod };
enum class PreMap { None, Abs, Square, Exp };
enum class PostMap { None, Mean, Sqrt, Log };

struct ReduceKind {
  Combine combine;
  PreMap pre = PreMap::None;
  PostMap post = PostMap::None;
};

/// The neutral element of `combine`.
Value initValue(OpBuilder &b, Location loc, Type elem, Combine combine,
                bool isUnsignedInt) {
  switch (combine) {
  case Combine::Sum:
    return createConstant(b, loc, elem, 0.0);
  case Combine::Prod:
    return createConstant(b, loc, elem, 1.0);
  case Combine::Max:
    return createLowestValue(b, loc, elem, isUnsignedInt);
  case Combine::Min:
    return createHighestValue(b, loc, elem, isUnsignedInt);
  }
  llvm_unreachable("combine kind");
}

Value combineValues(OpBuilder &b, Location loc, Combine combine, Value x,
                    Value acc, bool isUnsignedInt) {
  switch (combine) {
  case Combine::Sum:
    return addScalar(b, loc, x, acc);
  case Combine::Prod:
    return mulScalar(b, loc, x, acc);
  case Combine::Max:
    return maxScalar(b, loc, x, acc, isUnsignedInt);
  case Combine::Min:
    return minScalar(b, loc, x, acc, isUnsignedInt);
  }
  llvm_unreachable("combine kind");
}

/// The reduced dims of a ReduceX op (sorted), or std::nullopt for the
/// no-op case (empty axes with noop_with_empty_axes).
std::optional<SmallVector<int64_t>> reducedDims(Operation *op, int64_t rank) {
  SmallVector<int64_t> dims;
  auto axes = op->getAttrOfType<DenseI64ArrayAttr>("axes");
  auto noop = op->getAttrOfType<IntegerAttr>("noop_with_empty_axes");
  if (!axes || axes.empty()) {
    if (noop && noop.getInt() != 0)
      return std::nullopt;
    for (int64_t d = 0; d < rank; ++d)
      dims.push_back(d);
    return dims;
  }
  for (int64_t a : axes.asArrayRef())
    dims.push_back(normalizeAxis(a, rank));
  llvm::sort(dims);
  dims.erase(std::unique(dims.begin(), dims.end()), dims.end());
  return dims;
}

class ReducePattern : public ConversionPattern {
public:
  ReducePattern(StringRef name, ReduceKind kind, const TypeConverter &tc,
                MLIRContext *ctx)
      : ConversionPattern(tc, name, 1, ctx), kind(kind) {}

  LogicalResult
  matchAndRewrite(Operation *op, ArrayRef<Value> operands,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op->getLoc();
    Value x = operands[0];
    auto type = dyn_cast<RankedTensorType>(x.getType());
    auto resultType =
        getConvertedRankedType(getTypeConverter(), op->getResult(0).getType());
    if (!type || !resultType)
      return rewriter.notifyMatchFailure(op, "unranked reduction");
    Type elem = type.getElementType();
    bool isUnsignedInt = isUnsigned(op->getOperand(0).getType());
    std::optional<SmallVector<int64_t>> reduced =
        reducedDims(op, type.getRank());
    if (!reduced) {
      // noop_with_empty_axes: only the element-wise pre-map applies.
      reduced.emplace();
    }

    // LogSumExp subtracts the max first for stability.
    Value shiftMax;
    if (kind.pre == PreMap::Exp && !reduced->empty()) {
      shiftMax = buildReduction(
          rewriter, loc, x, *reduced,
          initValue(rewriter, loc, elem, Combine::Max, false),
          [](OpBuilder &b, Location l, Value v, Value acc) -> Value {
            return arith::MaximumFOp::create(b, l, v, acc);
          });
      // Rows whose max is infinite would give inf - inf = nan: shift them by
      // 0 instead (an all -inf row then yields log(0) = -inf, as in ONNX).
      shiftMax = buildElementwise(
          rewriter, loc, cast<RankedTensorType>(shiftMax.getType()),
          {shiftMax}, [&](OpBuilder &b, Location l, ValueRange args) -> Value {
            Value m = args[0];
            Value inf = createConstant(b, l, elem,
                                       std::numeric_limits<double>::infinity());
            Value isInf = arith::CmpFOp::create(
                b, l, arith::CmpFPredicate::OEQ,
                math::AbsFOp::create(b, l, m), inf);
            return arith::SelectOp::create(
                b, l, isInf, createConstant(b, l, elem, 0.0), m);
          });
      x = buildWithPartialOperands(
          rewriter, loc, type, getDims(rewriter, loc, x), {x}, {shiftMax},
          getReducedMap(getContext(), type.getRank(), *reduced),
          [](OpBuilder &b, Location l, ValueRange args) -> Value {
            return arith::SubFOp::create(b, l, args[0], args[1]);
          });
    }

    if (kind.pre != PreMap::None)
      x = buildElementwise(
          rewriter, loc, type, {x},
          [&](OpBuilder &b, Location l, ValueRange args) -> Value {
            Value v = args[0];
            bool isFloat = isa<FloatType>(v.getType());
            switch (kind.pre) {
            case PreMap::Abs:
              if (!isFloat)
                return isUnsignedInt ? v
                                     : math::AbsIOp::create(b, l, v)
                                           .getResult();
              return math::AbsFOp::create(b, l, v);
            case PreMap::Square:
              return mulScalar(b, l, v, v);
            case PreMap::Exp:
              return math::ExpOp::create(b, l, v);
            case PreMap::None:
              break;
            }
            return v;
          });

    Value r = x;
    if (!reduced->empty())
      r = buildReduction(
          rewriter, loc, x, *reduced,
          initValue(rewriter, loc, elem, kind.combine, isUnsignedInt),
          [&](OpBuilder &b, Location l, Value v, Value acc) {
            return combineValues(b, l, kind.combine, v, acc, isUnsignedInt);
          });
    auto rType = cast<RankedTensorType>(r.getType());

    if (kind.post != PostMap::None || shiftMax) {
      Value count = productOfDims(rewriter, loc, operands[0], *reduced);
      Value countI64 = arith::IndexCastUIOp::create(
          rewriter, loc, rewriter.getI64Type(), count);
      SmallVector<Value> post = {r};
      if (shiftMax)
        post.push_back(shiftMax);
      r = buildElementwise(
          rewriter, loc, rType, post,
          [&](OpBuilder &b, Location l, ValueRange args) -> Value {
            Value v = args[0];
            bool isFloat = isa<FloatType>(v.getType());
            switch (kind.post) {
            case PostMap::Mean:
              if (isFloat)
                return arith::DivFOp::create(
                    b, l, v, arith::UIToFPOp::create(b, l, elem, countI64));
              {
                Value count = convertScalar(
                    b, l, countI64, b.getI64Type(),
                    getElementTypeOrSelf(op->getOperand(0).getType()));
                if (isUnsignedInt)
                  return arith::DivUIOp::create(b, l, v, count);
                return arith::DivSIOp::create(b, l, v, count);
              }
            case PostMap::Sqrt:
              if (!isFloat)
                return v;
              v = math::SqrtOp::create(b, l, v);
              break;
            case PostMap::Log:
              v = math::LogOp::create(b, l, v);
              break;
            case PostMap::None:
              break;
            }
            if (args.size() > 1)
              v = arith::AddFOp::create(b, l, v, args[1]);
            return v;
          });
    }

    if (rType.getRank() != resultType.getRank())
      r = keepReducedDims(rewriter, loc, r, resultType, *reduced);
    rewriter.replaceOp(op, r);
    return success();
  }

private:
  ReduceKind kind;
};

/// ArgMax / ArgMin: (value, index) pairs reduced together.
template <typename OpTy, bool isMax>
struct ArgReduceLowering : OpConversionPattern<OpTy> {
  using OpConversionPattern<OpTy>::OpConversionPattern;
  LogicalResult
  matchAndRewrite(OpTy op, typename OpTy::Adaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    Value x = adaptor.getData();
    auto type = dyn_cast<RankedTensorType>(x.getType());
    auto resultType =
        getConvertedRankedType(this->getTypeConverter(), op.getType());
    if (!type || !resultType)
      return rewriter.notifyMatchFailure(op, "unranked arg reduction");
    int64_t rank = type.getRank();
    int64_t axis = normalizeAxis(static_cast<int64_t>(op.getAxis()), rank);
    bool last = op.getSelectLastIndex() != 0;
    bool isUnsignedInt = isUnsigned(op.getData().getType());
    Type elem = type.getElementType();
    SmallVector<int64_t> reduced = {axis};
    SmallVector<int64_t> shape;
    SmallVector<OpFoldResult> dims;
    getReducedShape(type, getDims(rewriter, loc, x), reduced, shape, dims);
    auto valType = RankedTensorType::get(shape, elem);
    auto idxType = RankedTensorType::get(shape, rewriter.getI64Type());
    Value vals = fillTensor(rewriter, loc, valType, dims,
                            initValue(rewriter, loc, elem,
                                      isMax ? Combine::Max : Combine::Min,
                                      isUnsignedInt));
    Value idxs =
        fillTensor(rewriter, loc, idxType, dims,
                   createConstant(rewriter, loc, rewriter.getI64Type(), 0));
    auto better = [&](OpBuilder &b, Location l, Value v, Value i, Value best,
                      Value) -> Value {
      Value take;
      if (isa<FloatType>(elem)) {
        auto strict =
            isMax ? arith::CmpFPredicate::OGT : arith::CmpFPredicate::OLT;
        auto loose =
            isMax ? arith::CmpFPredicate::OGE : arith::CmpFPredicate::OLE;
        take = arith::CmpFOp::create(b, l, last ? loose : strict, v, best);
      } else {
        arith::CmpIPredicate strict, loose;
        if (isUnsignedInt) {
          strict =
              isMax ? arith::CmpIPredicate::ugt : arith::CmpIPredicate::ult;
          loose = isMax ? arith::CmpIPredicate::uge : arith::CmpIPredicate::ule;
        } else {
          strict =
              isMax ? arith::CmpIPredicate::sgt : arith::CmpIPredicate::slt;
          loose = isMax ? arith::CmpIPredicate::sge : arith::CmpIPredicate::sle;
        }
        take = arith::CmpIOp::create(b, l, last ? loose : strict, v, best);
      }
      // The first element always wins (init is only a placeholder).
      Value first =
          arith::CmpIOp::create(b, l, arith::CmpIPredicate::eq, i,
                                createConstant(b, l, b.getI64Type(), 0));
      return arith::OrIOp::create(b, l, take, first);
    };
    Value r =
        buildArgReduction(rewriter, loc, x, axis, vals, idxs, better).second;
    if (resultType.getRank() != idxType.getRank())
      r = keepReducedDims(rewriter, loc, r, resultType, reduced);
    rewriter.replaceOp(op, r);
    return success();
  }
};

} // namespace

void mlir::qopt::populateQOptReductionToLinalgPatterns(
    const TypeConverter &converter, RewritePatternSet &patterns) {
  MLIRContext *ctx = patterns.getContext();
  auto add = [&](StringRef name, ReduceKind kind) {
    patterns.add<ReducePattern>(name, kind, converter, ctx);
  };
  add(ReduceSumOp::getOperationName(), {Combine::Sum});
  add(ReduceMeanOp::getOperationName(),
      {Combine::Sum, PreMap::None, PostMap::Mean});
  add(ReduceMaxOp::getOperationName(), {Combine::Max});
  add(ReduceMinOp::getOperationName(), {Combine::Min});
  add(ReduceProdOp::getOperationName(), {Combine::Prod});
  add(ReduceL1Op::getOperationName(), {Combine::Sum, PreMap::Abs});
  add(ReduceL2Op::getOperationName(),
      {Combine::Sum, PreMap::Square, PostMap::Sqrt});
  add(ReduceSumSquareOp::getOperationName(), {Combine::Sum, PreMap::Square});
  add(ReduceLogSumOp::getOperationName(),
      {Combine::Sum, PreMap::None, PostMap::Log});
  add(ReduceLogSumExpOp::getOperationName(),
      {Combine::Sum, PreMap::Exp, PostMap::Log});
  patterns.add<ArgReduceLowering<ArgMaxOp, true>,
               ArgReduceLowering<ArgMinOp, false>>(converter, ctx);
}
