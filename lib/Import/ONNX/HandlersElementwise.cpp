//===- HandlersElementwise.cpp - elementwise and activation ops --*- C++ -*-===//
//
// ONNX arithmetic, comparison, logic, activation and softmax operators.
// Since-versions are those from which the ONNX semantics match the qopt op
// (e.g. Add from 7, when numpy broadcasting replaced the `broadcast`
// attribute).
//
//===----------------------------------------------------------------------===//

#include "OpBinder.h"

using namespace mlir;
using namespace mlir::qopt;
using namespace mlir::qopt::onnx_import;

/// Softmax-1/11 and friends flatten the input to 2-D at `axis` and normalize
/// each row: flatten, apply the opset-13 op on axis 1, reshape back.
template <typename OpTy>
static LogicalResult importCoercedSoftmax(OpBinder &binder) {
  Value input = binder.getInput(0);
  FailureOr<Type> resultType = binder.getResultType(0);
  if (failed(resultType))
    return failure();
  auto ranked = dyn_cast<RankedTensorType>(input.getType());
  if (!ranked)
    return binder.unimplemented("an input of unknown rank");
  int64_t rank = ranked.getRank();
  int64_t axis = binder.getIntAttr("axis").value_or(1);
  if (axis < 0)
    axis += rank;
  OpBuilder &b = binder.getBuilder();
  Location loc = binder.getLoc();
  if (axis == rank - 1) {
    auto op = OpTy::create(b, loc, *resultType, input, b.getI64IntegerAttr(-1));
    return binder.setResults(op->getResults());
  }
  auto dimProduct = [&](int64_t from, int64_t to) {
    int64_t n = 1;
    for (int64_t i = from; i < to; ++i) {
      if (ranked.isDynamicDim(i))
        return ShapedType::kDynamic;
      n *= ranked.getDimSize(i);
    }
    return n;
  };
  auto flatType = RankedTensorType::get(
      {dimProduct(0, axis), dimProduct(axis, rank)}, ranked.getElementType());
  Value flat =
      FlattenOp::create(b, loc, flatType, input, b.getI64IntegerAttr(axis));
  Value normalized = OpTy::create(b, loc, flatType, flat, b.getI64IntegerAttr(1));
  auto shapeType = RankedTensorType::get({rank}, b.getI64Type());
  Value shape = ShapeOp::create(b, loc, shapeType, input, b.getI64IntegerAttr(0),
                                IntegerAttr());
  auto reshaped = ReshapeOp::create(b, loc, *resultType, normalized, shape,
                                    b.getI64IntegerAttr(0));
  return binder.setResults(reshaped->getResults());
}

/// Clip-6 carries min and max as attributes; Clip-11 as optional inputs.
static LogicalResult importClipWithAttributes(OpBinder &binder) {
  OpBuilder &b = binder.getBuilder();
  auto scalar = [&](float v) {
    return binder.createConstant(DenseElementsAttr::get(
        RankedTensorType::get({}, b.getF32Type()), v));
  };
  Value min = scalar(binder.getFloatAttr("min").value_or(
      -std::numeric_limits<float>::max()));
  Value max = scalar(binder.getFloatAttr("max").value_or(
      std::numeric_limits<float>::max()));
  FailureOr<Type> type = binder.getResultType(0);
  if (failed(type))
    return failure();
  if (getElementTypeOrSelf(*type) != b.getF32Type())
    return binder.unimplemented("Clip-6 on a non-float32 tensor");
  auto clip = ClipOp::create(b, binder.getLoc(), *type, binder.getInput(0), min, max);
  return binder.setResults(clip->getResults());
}

/// Dropout in inference is the identity; the mask output and training mode
/// are not supported.
static LogicalResult importDropout(OpBinder &binder) {
  if (binder.getNumOutputs() > 1)
    return binder.unimplemented("the mask output (training only)");
  if (ElementsAttr training = binder.getConstantInput(2)) {
    if (!training.isSplat() || training.getSplatValue<bool>())
      return binder.unimplemented("training_mode = true");
  } else if (binder.getInput(2)) {
    return binder.unimplemented("a run-time training_mode input");
  }
  return binder.setResults(binder.getInput(0));
}

/// CastLike: cast to the element type of the second input.
static LogicalResult importCastLike(OpBinder &binder) {
  FailureOr<Type> type = binder.getResultType(0);
  if (failed(type))
    return failure();
  auto cast = CastOp::create(binder.getBuilder(), binder.getLoc(), *type,
                             binder.getInput(0));
  return binder.setResults(cast->getResults());
}

/// com.microsoft Gelu / FastGelu (optional bias input) -> qopt.gelu.
static OpHandler microsoftGelu(StringRef approximate) {
  std::string mode = approximate.str();
  return [mode](OpBinder &binder) -> LogicalResult {
    OpBuilder &b = binder.getBuilder();
    FailureOr<Type> type = binder.getResultType(0);
    if (failed(type))
      return failure();
    Value x = binder.getInput(0);
    if (Value bias = binder.getInput(1))
      x = AddOp::create(b, binder.getLoc(), *type, x, bias);
    auto gelu = GeluOp::create(b, binder.getLoc(), *type, x,
                               b.getStringAttr(mode));
    return binder.setResults(gelu->getResults());
  };
}

void onnx_import::populateElementwiseHandlers(OpHandlerRegistry &r) {
  // Binary arithmetic and comparison (numpy broadcasting from opset 7).
  r.onOp("Add", 7, generic<AddOp>());
  r.onOp("Sub", 7, generic<SubOp>());
  r.onOp("Mul", 7, generic<MulOp>());
  r.onOp("Div", 7, generic<DivOp>());
  r.onOp("Mod", 10, generic<ModOp>());
  r.onOp("Pow", 7, generic<PowOp>());
  r.onOp("PRelu", 7, generic<PReluOp>());
  r.onOp("Equal", 7, generic<EqualOp>());
  r.onOp("Less", 7, generic<LessOp>());
  r.onOp("LessOrEqual", 12, generic<LessOrEqualOp>());
  r.onOp("Greater", 7, generic<GreaterOp>());
  r.onOp("GreaterOrEqual", 12, generic<GreaterOrEqualOp>());
  r.onOp("And", 7, generic<AndOp>());
  r.onOp("Or", 7, generic<OrOp>());
  r.onOp("Xor", 7, generic<XorOp>());
  r.onOp("Not", 1, generic<NotOp>());
  r.onOp("Max", 8, generic<MaxOp>());
  r.onOp("Min", 8, generic<MinOp>());
  r.onOp("Sum", 8, generic<SumOp>());
  r.onOp("Mean", 8, generic<MeanOp>());
  r.onOp("Where", 9, generic<WhereOp>());

  // Unary math and activations.
  r.onOp("Neg", 6, generic<NegOp>());
  r.onOp("Abs", 6, generic<AbsOp>());
  r.onOp("Sqrt", 6, generic<SqrtOp>());
  r.onOp("Reciprocal", 6, generic<ReciprocalOp>());
  r.onOp("Exp", 6, generic<ExpOp>());
  r.onOp("Log", 6, generic<LogOp>());
  r.onOp("Erf", 9, generic<ErfOp>());
  r.onOp("Tanh", 6, generic<TanhOp>());
  r.onOp("Sigmoid", 6, generic<SigmoidOp>());
  r.onOp("Relu", 6, generic<ReluOp>());
  r.onOp("Floor", 6, generic<FloorOp>());
  r.onOp("Ceil", 6, generic<CeilOp>());
  r.onOp("Round", 11, generic<RoundOp>());
  r.onOp("Sign", 9, generic<SignOp>());
  r.onOp("Sin", 7, generic<SinOp>());
  r.onOp("Cos", 7, generic<CosOp>());
  r.onOp("Tan", 7, generic<TanOp>());
  r.onOp("Atan", 7, generic<AtanOp>());
  r.onOp("Softplus", 1, generic<SoftplusOp>());
  r.onOp("Softsign", 1, generic<SoftsignOp>());
  r.onOp("HardSwish", 14, generic<HardSwishOp>());
  r.onOp("IsNaN", 9, generic<IsNaNOp>());
  r.onOp("Identity", 1, generic<IdentityOp>());
  r.onOp("LeakyRelu", 6, generic<LeakyReluOp>());
  r.onOp("Elu", 6, generic<EluOp>());
  r.onOp("Selu", 6, generic<SeluOp>());
  r.onOp("Celu", 12, generic<CeluOp>());
  r.onOp("HardSigmoid", 6, generic<HardSigmoidOp>());
  r.onOp("ThresholdedRelu", 10, generic<ThresholdedReluOp>());
  r.onOp("Gelu", 20, generic<GeluOp>());
  r.onOp("Gelu", 1, microsoftGelu("none"), "com.microsoft");
  r.onOp("FastGelu", 1, microsoftGelu("tanh"), "com.microsoft");
  r.onOp("Clip", 6, importClipWithAttributes);
  r.onOp("Clip", 11, generic<ClipOp>());
  r.onOp("Dropout", 7, importDropout);

  // Casts: the target type is the result type ONNX inference recorded.
  r.onOp("Cast", 6, [](OpBinder &binder) {
    return binder.buildGeneric(CastOp::getOperationName(), {},
                               {"to", "saturate"});
  });
  r.onOp("CastLike", 15, importCastLike);

  // Softmax family: opset 13 normalizes along one axis; 1 and 11 coerce the
  // input to 2-D at `axis`.
  r.onOp("Softmax", 1, importCoercedSoftmax<SoftmaxOp>);
  r.onOp("Softmax", 13, generic<SoftmaxOp>());
  r.onOp("LogSoftmax", 1, importCoercedSoftmax<LogSoftmaxOp>);
  r.onOp("LogSoftmax", 13, generic<LogSoftmaxOp>());
  r.onOp("Hardmax", 1, importCoercedSoftmax<HardmaxOp>);
  r.onOp("Hardmax", 13, generic<HardmaxOp>());
}
