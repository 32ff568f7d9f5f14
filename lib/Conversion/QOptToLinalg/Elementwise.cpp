//===- Elementwise.cpp - qopt elementwise ops -> linalg.generic --*- C++ -*-===//
//
// Every elementwise qopt op becomes one `linalg.generic` with numpy
// broadcasting maps; the op's scalar semantics (ONNX) are written once per op
// as a ScalarFn on the block arguments. Integer signedness is read from the
// original (unconverted) operand types.
//
//===----------------------------------------------------------------------===//

#include "Utils.h"

#include "qopt/Conversion/QOptToLinalg/QOptToLinalg.h"
#include "qopt/Dialect/QOpt/IR/QOptDialect.h"

#include "mlir/Dialect/Math/IR/Math.h"

#include <cmath>

using namespace mlir;
using namespace mlir::qopt;
using namespace mlir::qopt::to_linalg;

namespace {

/// What a scalar body sees: the builder, the original op (attributes,
/// original element types) and the block arguments.
struct ScalarContext {
  OpBuilder &b;
  Location loc;
  Operation *op;
  ValueRange args;

  /// Original (signedness-aware) element type of operand `i` / the result.
  Type operandType(unsigned i) const {
    return getElementTypeOrSelf(op->getOperand(i).getType());
  }
  Type resultType() const {
    return getElementTypeOrSelf(op->getResult(0).getType());
  }
  bool isFloat() const { return isa<FloatType>(args[0].getType()); }
  bool isUnsignedOperand() const { return isUnsigned(operandType(0)); }
  Value constant(double value) const {
    return createConstant(b, loc, args[0].getType(), value);
  }
  double floatAttr(StringRef name, double fallback) const {
    if (auto attr = op->getAttrOfType<FloatAttr>(name))
      return attr.getValueAsDouble();
    return fallback;
  }
};

using ScalarFn = std::function<Value(const ScalarContext &)>;

/// Lowers any elementwise op (all operands broadcast to the result).
class ElementwisePattern : public ConversionPattern {
public:
  ElementwisePattern(StringRef opName, ScalarFn fn,
                     const TypeConverter &converter, MLIRContext *ctx)
      : ConversionPattern(converter, opName, /*benefit=*/1, ctx),
        fn(std::move(fn)) {}

  LogicalResult
  matchAndRewrite(Operation *op, ArrayRef<Value> operands,
                  ConversionPatternRewriter &rewriter) const override {
    auto resultType =
        getConvertedRankedType(getTypeConverter(), op->getResult(0).getType());
    if (!resultType)
      return rewriter.notifyMatchFailure(op, "result is not a ranked tensor");
    for (Value operand : operands)
      if (!isa<RankedTensorType>(operand.getType()))
        return rewriter.notifyMatchFailure(op, "unranked operand");
    Value result = buildElementwise(
        rewriter, op->getLoc(), resultType, operands,
        [&](OpBuilder &b, Location loc, ValueRange args) {
          return fn(ScalarContext{b, loc, op, args});
        });
    rewriter.replaceOp(op, result);
    return success();
  }

private:
  ScalarFn fn;
};

//===----------------------------------------------------------------------===//
// Scalar semantics
//===----------------------------------------------------------------------===//

// The shared scalar arithmetic (Utils.h) with the context's builder and,
// for max / min, the signedness of operand 0.
Value add(const ScalarContext &c, Value x, Value y) {
  return addScalar(c.b, c.loc, x, y);
}
Value mul(const ScalarContext &c, Value x, Value y) {
  return mulScalar(c.b, c.loc, x, y);
}
Value maxOf(const ScalarContext &c, Value x, Value y) {
  return maxScalar(c.b, c.loc, x, y, c.isUnsignedOperand());
}
Value minOf(const ScalarContext &c, Value x, Value y) {
  return minScalar(c.b, c.loc, x, y, c.isUnsignedOperand());
}
Value fcmp(const ScalarContext &c, arith::CmpFPredicate p, Value x, Value y) {
  return arith::CmpFOp::create(c.b, c.loc, p, x, y);
}

Value compare(const ScalarContext &c, arith::CmpFPredicate fp,
              arith::CmpIPredicate sp, arith::CmpIPredicate up) {
  Value x = c.args[0], y = c.args[1];
  if (c.isFloat())
    return fcmp(c, fp, x, y);
  return arith::CmpIOp::create(c.b, c.loc, c.isUnsignedOperand() ? up : sp, x,
                               y);
}

Value sigmoid(const ScalarContext &c, Value x) {
  Value one = c.constant(1.0);
  Value negX = arith::NegFOp::create(c.b, c.loc, x);
  Value e = math::ExpOp::create(c.b, c.loc, negX);
  return arith::DivFOp::create(c.b, c.loc, one,
                               arith::AddFOp::create(c.b, c.loc, one, e));
}

/// ONNX Mod: fmod=1 is C fmod (sign of the dividend); fmod=0 (integers) is
/// Python's % (sign of the divisor).
Value modScalar(const ScalarContext &c) {
  Value x = c.args[0], y = c.args[1];
  int64_t fmod = 0;
  if (auto attr = c.op->getAttrOfType<IntegerAttr>("fmod"))
    fmod = attr.getInt();
  if (c.isFloat()) {
    Value r = arith::RemFOp::create(c.b, c.loc, x, y);
    if (fmod)
      return r;
    Value zero = c.constant(0.0);
    Value rNonZero = fcmp(c, arith::CmpFPredicate::UNE, r, zero);
    Value rNeg = fcmp(c, arith::CmpFPredicate::OLT, r, zero);
    Value yNeg = fcmp(c, arith::CmpFPredicate::OLT, y, zero);
    Value differ = arith::XOrIOp::create(c.b, c.loc, rNeg, yNeg);
    Value fix = arith::AndIOp::create(c.b, c.loc, rNonZero, differ);
    return arith::SelectOp::create(c.b, c.loc, fix,
                                   arith::AddFOp::create(c.b, c.loc, r, y), r);
  }
  if (c.isUnsignedOperand())
    return arith::RemUIOp::create(c.b, c.loc, x, y);
  Value r = arith::RemSIOp::create(c.b, c.loc, x, y);
  if (fmod)
    return r;
  Value zero = c.constant(0);
  auto icmp = [&](arith::CmpIPredicate p, Value a, Value b2) {
    return arith::CmpIOp::create(c.b, c.loc, p, a, b2).getResult();
  };
  Value rNonZero = icmp(arith::CmpIPredicate::ne, r, zero);
  Value differ = arith::XOrIOp::create(
      c.b, c.loc, icmp(arith::CmpIPredicate::slt, r, zero),
      icmp(arith::CmpIPredicate::slt, y, zero));
  Value fix = arith::AndIOp::create(c.b, c.loc, rNonZero, differ);
  return arith::SelectOp::create(c.b, c.loc, fix,
                                 arith::AddIOp::create(c.b, c.loc, r, y), r);
}

Value powScalar(const ScalarContext &c) {
  Value x = c.args[0], y = c.args[1];
  Type xType = x.getType();
  if (isa<FloatType>(xType)) {
    y = convertScalar(c.b, c.loc, y, c.operandType(1), c.operandType(0));
    return math::PowFOp::create(c.b, c.loc, x, y);
  }
  // Integer base: compute in f64 like ONNX Runtime and truncate back.
  Type f64 = c.b.getF64Type();
  Value xf = convertScalar(c.b, c.loc, x, c.operandType(0), f64);
  Value yf = convertScalar(c.b, c.loc, y, c.operandType(1), f64);
  Value r = math::PowFOp::create(c.b, c.loc, xf, yf);
  return convertScalar(c.b, c.loc, r, f64, c.operandType(0));
}

Value gelu(const ScalarContext &c) {
  Value x = c.args[0];
  Value half = c.constant(0.5), one = c.constant(1.0);
  Value inner;
  auto approx = c.op->getAttrOfType<StringAttr>("approximate");
  if (approx && approx.getValue() == "tanh") {
    // tanh(sqrt(2/pi) * (x + 0.044715 x^3))
    Value x3 = mul(c, mul(c, x, x), x);
    Value t = add(c, x, mul(c, c.constant(0.044715), x3));
    inner = math::TanhOp::create(
        c.b, c.loc, mul(c, c.constant(std::sqrt(2.0 / M_PI)), t));
  } else {
    inner = math::ErfOp::create(c.b, c.loc,
                                mul(c, x, c.constant(M_SQRT1_2)));
  }
  return mul(c, mul(c, half, x), add(c, one, inner));
}

Value sign(const ScalarContext &c) {
  Value x = c.args[0];
  Value zero = c.constant(0), one = c.constant(1), minusOne = c.constant(-1);
  Value pos, neg;
  if (c.isFloat()) {
    pos = fcmp(c, arith::CmpFPredicate::OGT, x, zero);
    neg = fcmp(c, arith::CmpFPredicate::OLT, x, zero);
  } else {
    pos = arith::CmpIOp::create(c.b, c.loc,
                                c.isUnsignedOperand()
                                    ? arith::CmpIPredicate::ugt
                                    : arith::CmpIPredicate::sgt,
                                x, zero);
    neg = c.isUnsignedOperand()
              ? createConstant(c.b, c.loc, c.b.getI1Type(), 0)
              : arith::CmpIOp::create(c.b, c.loc, arith::CmpIPredicate::slt,
                                      x, zero)
                    .getResult();
  }
  Value r = arith::SelectOp::create(c.b, c.loc, neg, minusOne, zero);
  return arith::SelectOp::create(c.b, c.loc, pos, one, r);
}

Value clip(const ScalarContext &c) {
  auto clipOp = cast<ClipOp>(c.op);
  Value x = c.args[0];
  unsigned next = 1;
  if (clipOp.getMin())
    x = maxOf(c, x, c.args[next++]);
  if (clipOp.getMax())
    x = minOf(c, x, c.args[next++]);
  return x;
}

template <typename FOp, typename IOp>
ScalarFn binary() {
  return [](const ScalarContext &c) -> Value {
    if (c.isFloat())
      return FOp::create(c.b, c.loc, c.args[0], c.args[1]);
    return IOp::create(c.b, c.loc, c.args[0], c.args[1]);
  };
}

template <typename FOp>
ScalarFn unaryFloat() {
  return [](const ScalarContext &c) -> Value {
    return FOp::create(c.b, c.loc, c.args[0]);
  };
}

/// Folds a variadic op's operands with `combine`.
ScalarFn variadic(Value (*combine)(const ScalarContext &, Value, Value),
                  bool mean = false) {
  return [combine, mean](const ScalarContext &c) -> Value {
    Value acc = c.args[0];
    for (Value v : c.args.drop_front())
      acc = combine(c, acc, v);
    if (mean)
      acc = arith::DivFOp::create(c.b, c.loc, acc,
                                  c.constant(static_cast<double>(
                                      c.args.size())));
    return acc;
  };
}

} // namespace

void mlir::qopt::populateQOptElementwiseToLinalgPatterns(
    const TypeConverter &converter, RewritePatternSet &patterns) {
  MLIRContext *ctx = patterns.getContext();
  auto add = [&](StringRef name, ScalarFn fn) {
    patterns.add<ElementwisePattern>(name, std::move(fn), converter, ctx);
  };
  using FP = arith::CmpFPredicate;
  using IP = arith::CmpIPredicate;

  add(AddOp::getOperationName(), binary<arith::AddFOp, arith::AddIOp>());
  add(SubOp::getOperationName(), binary<arith::SubFOp, arith::SubIOp>());
  add(MulOp::getOperationName(), binary<arith::MulFOp, arith::MulIOp>());
  add(DivOp::getOperationName(), [](const ScalarContext &c) -> Value {
    if (c.isFloat())
      return arith::DivFOp::create(c.b, c.loc, c.args[0], c.args[1]);
    if (c.isUnsignedOperand())
      return arith::DivUIOp::create(c.b, c.loc, c.args[0], c.args[1]);
    return arith::DivSIOp::create(c.b, c.loc, c.args[0], c.args[1]);
  });
  add(ModOp::getOperationName(), modScalar);
  add(PowOp::getOperationName(), powScalar);
  add(PReluOp::getOperationName(), [](const ScalarContext &c) -> Value {
    Value x = c.args[0];
    if (c.isUnsignedOperand()) // never negative
      return x;
    Value neg = c.isFloat()
                    ? fcmp(c, FP::OLT, x, c.constant(0.0))
                    : arith::CmpIOp::create(c.b, c.loc, IP::slt, x,
                                            c.constant(0))
                          .getResult();
    return arith::SelectOp::create(c.b, c.loc, neg,
                                   ::mul(c, x, c.args[1]), x);
  });

  add(EqualOp::getOperationName(), [](const ScalarContext &c) {
    return compare(c, FP::OEQ, IP::eq, IP::eq);
  });
  add(LessOp::getOperationName(), [](const ScalarContext &c) {
    return compare(c, FP::OLT, IP::slt, IP::ult);
  });
  add(LessOrEqualOp::getOperationName(), [](const ScalarContext &c) {
    return compare(c, FP::OLE, IP::sle, IP::ule);
  });
  add(GreaterOp::getOperationName(), [](const ScalarContext &c) {
    return compare(c, FP::OGT, IP::sgt, IP::ugt);
  });
  add(GreaterOrEqualOp::getOperationName(), [](const ScalarContext &c) {
    return compare(c, FP::OGE, IP::sge, IP::uge);
  });
  add(AndOp::getOperationName(), binary<arith::AndIOp, arith::AndIOp>());
  add(OrOp::getOperationName(), binary<arith::OrIOp, arith::OrIOp>());
  add(XorOp::getOperationName(), binary<arith::XOrIOp, arith::XOrIOp>());
  add(NotOp::getOperationName(), [](const ScalarContext &c) -> Value {
    return arith::XOrIOp::create(
        c.b, c.loc, c.args[0], createConstant(c.b, c.loc, c.b.getI1Type(), 1));
  });

  add(MaxOp::getOperationName(), variadic(maxOf));
  add(MinOp::getOperationName(), variadic(minOf));
  add(SumOp::getOperationName(), variadic(::add));
  add(MeanOp::getOperationName(), variadic(::add, /*mean=*/true));
  add(WhereOp::getOperationName(), [](const ScalarContext &c) -> Value {
    return arith::SelectOp::create(c.b, c.loc, c.args[0], c.args[1],
                                   c.args[2]);
  });
  add(ClipOp::getOperationName(), clip);
  add(CastOp::getOperationName(), [](const ScalarContext &c) -> Value {
    return convertScalar(c.b, c.loc, c.args[0], c.operandType(0),
                         c.resultType());
  });

  add(NegOp::getOperationName(), [](const ScalarContext &c) -> Value {
    if (c.isFloat())
      return arith::NegFOp::create(c.b, c.loc, c.args[0]);
    return arith::SubIOp::create(c.b, c.loc, c.constant(0), c.args[0]);
  });
  add(AbsOp::getOperationName(), [](const ScalarContext &c) -> Value {
    if (c.isFloat())
      return math::AbsFOp::create(c.b, c.loc, c.args[0]);
    if (c.isUnsignedOperand())
      return c.args[0];
    return math::AbsIOp::create(c.b, c.loc, c.args[0]);
  });
  add(SqrtOp::getOperationName(), unaryFloat<math::SqrtOp>());
  add(ExpOp::getOperationName(), unaryFloat<math::ExpOp>());
  add(LogOp::getOperationName(), unaryFloat<math::LogOp>());
  add(ErfOp::getOperationName(), unaryFloat<math::ErfOp>());
  add(TanhOp::getOperationName(), unaryFloat<math::TanhOp>());
  add(FloorOp::getOperationName(), unaryFloat<math::FloorOp>());
  add(CeilOp::getOperationName(), unaryFloat<math::CeilOp>());
  add(RoundOp::getOperationName(), unaryFloat<math::RoundEvenOp>());
  add(SinOp::getOperationName(), unaryFloat<math::SinOp>());
  add(CosOp::getOperationName(), unaryFloat<math::CosOp>());
  add(TanOp::getOperationName(), unaryFloat<math::TanOp>());
  add(AtanOp::getOperationName(), unaryFloat<math::AtanOp>());
  add(SignOp::getOperationName(), sign);
  add(ReciprocalOp::getOperationName(), [](const ScalarContext &c) -> Value {
    return arith::DivFOp::create(c.b, c.loc, c.constant(1.0), c.args[0]);
  });
  add(SigmoidOp::getOperationName(), [](const ScalarContext &c) {
    return sigmoid(c, c.args[0]);
  });
  add(ReluOp::getOperationName(), [](const ScalarContext &c) {
    return maxOf(c, c.args[0], c.constant(0));
  });
  add(LeakyReluOp::getOperationName(), [](const ScalarContext &c) -> Value {
    Value x = c.args[0];
    Value neg = fcmp(c, FP::OLT, x, c.constant(0.0));
    Value scaled = ::mul(c, x, c.constant(c.floatAttr("alpha", 0.01)));
    return arith::SelectOp::create(c.b, c.loc, neg, scaled, x);
  });
  add(EluOp::getOperationName(), [](const ScalarContext &c) -> Value {
    Value x = c.args[0];
    Value neg = fcmp(c, FP::OLT, x, c.constant(0.0));
    Value em1 = arith::SubFOp::create(
        c.b, c.loc, math::ExpOp::create(c.b, c.loc, x), c.constant(1.0));
    return arith::SelectOp::create(
        c.b, c.loc, neg, ::mul(c, c.constant(c.floatAttr("alpha", 1.0)), em1),
        x);
  });
  add(CeluOp::getOperationName(), [](const ScalarContext &c) -> Value {
    // max(0, x) + min(0, alpha * (exp(x / alpha) - 1))
    Value x = c.args[0];
    Value alpha = c.constant(c.floatAttr("alpha", 1.0));
    Value e = math::ExpOp::create(
        c.b, c.loc, arith::DivFOp::create(c.b, c.loc, x, alpha));
    Value em1 = arith::SubFOp::create(c.b, c.loc, e, c.constant(1.0));
    return ::add(c, maxOf(c, x, c.constant(0.0)),
                 minOf(c, c.constant(0.0), ::mul(c, alpha, em1)));
  });
  add(SeluOp::getOperationName(), [](const ScalarContext &c) -> Value {
    Value x = c.args[0];
    Value alpha = c.constant(c.floatAttr("alpha", 1.67326319217681884765625));
    Value gamma = c.constant(c.floatAttr("gamma", 1.05070102214813232421875));
    Value neg = arith::SubFOp::create(
        c.b, c.loc, ::mul(c, alpha, math::ExpOp::create(c.b, c.loc, x)),
        alpha);
    Value isPos = fcmp(c, FP::OGT, x, c.constant(0.0));
    return ::mul(c, gamma,
                 arith::SelectOp::create(c.b, c.loc, isPos, x, neg));
  });
  add(ThresholdedReluOp::getOperationName(),
      [](const ScalarContext &c) -> Value {
        Value x = c.args[0];
        Value above =
            fcmp(c, FP::OGT, x, c.constant(c.floatAttr("alpha", 1.0)));
        return arith::SelectOp::create(c.b, c.loc, above, x, c.constant(0.0));
      });
  add(HardSigmoidOp::getOperationName(), [](const ScalarContext &c) -> Value {
    Value y = ::add(c, ::mul(c, c.constant(c.floatAttr("alpha", 0.2)), c.args[0]),
                    c.constant(c.floatAttr("beta", 0.5)));
    return minOf(c, maxOf(c, y, c.constant(0.0)), c.constant(1.0));
  });
  add(HardSwishOp::getOperationName(), [](const ScalarContext &c) -> Value {
    Value x = c.args[0];
    Value y = ::add(c, ::mul(c, c.constant(1.0 / 6.0), x), c.constant(0.5));
    y = minOf(c, maxOf(c, y, c.constant(0.0)), c.constant(1.0));
    return ::mul(c, x, y);
  });
  add(SoftplusOp::getOperationName(), [](const ScalarContext &c) -> Value {
    return math::Log1pOp::create(c.b, c.loc,
                                 math::ExpOp::create(c.b, c.loc, c.args[0]));
  });
  add(SoftsignOp::getOperationName(), [](const ScalarContext &c) -> Value {
    Value x = c.args[0];
    Value d = ::add(c, c.constant(1.0), math::AbsFOp::create(c.b, c.loc, x));
    return arith::DivFOp::create(c.b, c.loc, x, d);
  });
  add(GeluOp::getOperationName(), gelu);
  add(IsNaNOp::getOperationName(), [](const ScalarContext &c) {
    return fcmp(c, FP::UNO, c.args[0], c.args[0]);
  });
}
