//===- HandlersShape.cpp - shape, indexing and constant ops ------*- C++ -*-===//
//
// Data movement operators. Where older opsets carried as attributes what
// newer ones take as inputs (Slice-1, Pad-2, Split-2), the attributes become
// constant operands so that one qopt op serves every opset. Squeeze and
// Unsqueeze go the other way: their constant axes inputs (opset 13) become
// the `axes` attribute.
//
//===----------------------------------------------------------------------===//

#include "OpBinder.h"
#include "TensorConversion.h"

using namespace mlir;
using namespace mlir::qopt;
using namespace mlir::qopt::onnx_import;

/// Squeeze-13 / Unsqueeze-13: constant axes input -> `axes` attribute.
template <typename OpTy>
static LogicalResult importAxesInputAsAttr(OpBinder &binder) {
  SmallVector<NamedAttribute> extra;
  if (binder.getInput(1)) {
    std::optional<SmallVector<int64_t>> axes = binder.getConstantIntsInput(1);
    if (!axes)
      return binder.unimplemented("run-time axes (axes must be a constant)");
    extra.push_back(binder.getBuilder().getNamedAttr(
        "axes", binder.getBuilder().getDenseI64ArrayAttr(*axes)));
  }
  return binder.buildOp(OpTy::getOperationName(), binder.getInput(0), extra);
}

/// Slice-1: starts/ends/axes attributes -> constant inputs.
static LogicalResult importSliceWithAttributes(OpBinder &binder) {
  std::optional<SmallVector<int64_t>> starts = binder.getIntsAttr("starts");
  std::optional<SmallVector<int64_t>> ends = binder.getIntsAttr("ends");
  if (!starts || !ends)
    return binder.unimplemented("Slice-1 without starts and ends");
  Value axes;
  if (std::optional<SmallVector<int64_t>> a = binder.getIntsAttr("axes"))
    axes = binder.createI64Constant(*a);
  OperationState state(binder.getLoc(), SliceOp::getOperationName());
  SmallVector<Value> operands{binder.getInput(0),
                              binder.createI64Constant(*starts),
                              binder.createI64Constant(*ends)};
  if (axes)
    operands.push_back(axes);
  SmallVector<NamedAttribute> extra{binder.getBuilder().getNamedAttr(
      "operandSegmentSizes",
      binder.getBuilder().getDenseI32ArrayAttr({1, 1, 1, axes ? 1 : 0, 0}))};
  return binder.buildOp(SliceOp::getOperationName(), operands, extra,
                        {"starts", "ends", "axes"});
}

/// Pad-2: pads / value attributes -> inputs.
static LogicalResult importPadWithAttributes(OpBinder &binder) {
  std::optional<SmallVector<int64_t>> pads = binder.getIntsAttr("pads");
  if (!pads)
    return binder.unimplemented("Pad-2 without pads");
  FailureOr<Type> type = binder.getResultType(0);
  if (failed(type))
    return failure();
  Type element = getElementTypeOrSelf(*type);
  if (!isa<FloatType>(element))
    return binder.unimplemented("Pad-2 on a non-float tensor");
  float value = binder.getFloatAttr("value").value_or(0.0f);
  Value constant = binder.createConstant(DenseElementsAttr::get(
      RankedTensorType::get({}, element),
      FloatAttr::get(element, static_cast<double>(value))));
  SmallVector<Value> operands{binder.getInput(0),
                              binder.createI64Constant(*pads), constant};
  SmallVector<NamedAttribute> extra{binder.getBuilder().getNamedAttr(
      "operandSegmentSizes",
      binder.getBuilder().getDenseI32ArrayAttr({1, 1, 1, 0}))};
  return binder.buildOp(PadOp::getOperationName(), operands, extra,
                        {"pads", "value"});
}

/// Split-2/11: optional `split` attribute -> constant input.
static LogicalResult importSplitWithAttribute(OpBinder &binder) {
  SmallVector<Value> operands{binder.getInput(0)};
  if (std::optional<SmallVector<int64_t>> split = binder.getIntsAttr("split"))
    operands.push_back(binder.createI64Constant(*split));
  return binder.buildOp(SplitOp::getOperationName(), operands, {}, {"split"});
}

/// Constant: one of value, value_float(s), value_int(s).
static LogicalResult importConstant(OpBinder &binder) {
  OpBuilder &b = binder.getBuilder();
  const onnx::NodeProto &node = binder.getNode();
  if (node.attribute_size() != 1)
    return binder.unimplemented("a Constant without exactly one value "
                                "attribute");
  const onnx::AttributeProto &attr = node.attribute(0);
  ElementsAttr value;
  if (attr.name() == "value") {
    std::string error;
    onnx::TensorProto tensor = attr.t();
    value = convertTensor(tensor, node.output(0), binder.getContext(),
                          binder.getTensorReadOptions(), error);
    if (!value)
      return binder.unimplemented("value " + error);
  } else if (attr.name() == "value_float") {
    value = DenseElementsAttr::get(RankedTensorType::get({}, b.getF32Type()),
                                   attr.f());
  } else if (attr.name() == "value_int") {
    value = DenseElementsAttr::get(RankedTensorType::get({}, b.getI64Type()),
                                   static_cast<int64_t>(attr.i()));
  } else if (attr.name() == "value_floats") {
    SmallVector<float> floats(attr.floats().begin(), attr.floats().end());
    value = DenseElementsAttr::get(
        RankedTensorType::get({int64_t(floats.size())}, b.getF32Type()),
        ArrayRef<float>(floats));
  } else if (attr.name() == "value_ints") {
    SmallVector<int64_t> ints(attr.ints().begin(), attr.ints().end());
    value = DenseElementsAttr::get(
        RankedTensorType::get({int64_t(ints.size())}, b.getI64Type()),
        ArrayRef<int64_t>(ints));
  } else {
    return binder.unimplemented("Constant attribute '" + attr.name() + "'");
  }
  return binder.setResults(binder.createConstant(value));
}

void onnx_import::populateShapeHandlers(OpHandlerRegistry &r) {
  r.onOp("Constant", 1, importConstant);
  r.onOp("Reshape", 5, generic<ReshapeOp>());
  r.onOp("Transpose", 1, generic<TransposeOp>());
  r.onOp("Flatten", 1, generic<FlattenOp>());
  r.onOp("Squeeze", 1, generic<SqueezeOp>());
  r.onOp("Squeeze", 13, importAxesInputAsAttr<SqueezeOp>);
  r.onOp("Unsqueeze", 1, generic<UnsqueezeOp>());
  r.onOp("Unsqueeze", 13, importAxesInputAsAttr<UnsqueezeOp>);
  r.onOp("Concat", 4, generic<ConcatOp>());
  r.onOp("Split", 2, importSplitWithAttribute);
  r.onOp("Split", 13, generic<SplitOp>());
  r.onOp("Slice", 1, importSliceWithAttributes);
  r.onOp("Slice", 10, generic<SliceOp>());
  r.onOp("Gather", 1, generic<GatherOp>());
  r.onOp("GatherElements", 11, generic<GatherElementsOp>());
  r.onOp("GatherND", 11, generic<GatherNDOp>());
  r.onOp("ScatterND", 11, generic<ScatterNDOp>());
  r.onOp("ScatterElements", 11, generic<ScatterElementsOp>());
  r.onOp("Expand", 8, generic<ExpandOp>());
  r.onOp("Tile", 6, generic<TileOp>());
  r.onOp("Pad", 2, importPadWithAttributes);
  r.onOp("Pad", 11, generic<PadOp>());
  r.onOp("Shape", 1, generic<ShapeOp>());
  r.onOp("Size", 1, generic<SizeOp>());
  r.onOp("ConstantOfShape", 9, generic<ConstantOfShapeOp>());
  r.onOp("Range", 11, generic<RangeOp>());
  r.onOp("Trilu", 14, generic<TriluOp>());
}
