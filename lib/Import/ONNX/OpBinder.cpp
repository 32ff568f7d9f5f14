//===- OpBinder.cpp - the view of an ONNX node handlers use ------*- C++ -*-===//
//
// Operand, attribute and type access for handlers, the generic op builder
// most handlers use, and the handler registry.
//
//===----------------------------------------------------------------------===//

#include "OpBinder.h"
#include "GraphImporter.h"

using namespace mlir;
using namespace mlir::qopt;
using namespace mlir::qopt::onnx_import;

//===----------------------------------------------------------------------===//
// OpBinder
//===----------------------------------------------------------------------===//

Value OpBinder::getInput(unsigned i) const {
  if (i >= static_cast<unsigned>(node.input_size()) || node.input(i).empty())
    return nullptr;
  return importer.lookupValue(node.input(i));
}

ElementsAttr OpBinder::getConstantInput(unsigned i) const {
  Value value = getInput(i);
  if (!value)
    return nullptr;
  if (auto constant = value.getDefiningOp<ConstantOp>())
    return constant.getValue();
  return nullptr;
}

std::optional<SmallVector<int64_t>>
OpBinder::getConstantIntsInput(unsigned i) const {
  ElementsAttr value = getConstantInput(i);
  if (!value || !isa<IntegerType>(value.getElementType()))
    return std::nullopt;
  auto dense = dyn_cast<DenseIntElementsAttr>(value);
  if (!dense)
    return std::nullopt;
  SmallVector<int64_t> ints;
  for (const APInt &v : dense.getValues<APInt>())
    ints.push_back(v.getSExtValue());
  return ints;
}

unsigned OpBinder::getNumOutputs() const {
  unsigned n = node.output_size();
  while (n > 0 && node.output(n - 1).empty())
    --n;
  return n;
}

FailureOr<Type> OpBinder::getResultType(unsigned i) {
  const std::string &name = node.output(i);
  const onnx::TypeProto *type = importer.lookupType(name);
  if (!type) {
    (void)unimplemented("ONNX shape inference gives no type for output '" +
                        name +
                        "' (declare its type in the graph's value_info, or "
                        "check that the node's input shapes are compatible)");
    return failure();
  }
  TensorType converted = convertValueType(*type, getContext());
  if (!converted) {
    (void)unimplemented("output '" + name +
                        "' is not a tensor of a supported element type");
    return failure();
  }
  return Type(converted);
}

FailureOr<SmallVector<Type>> OpBinder::getResultTypes() {
  SmallVector<Type> types;
  for (unsigned i = 0, e = getNumOutputs(); i < e; ++i) {
    if (node.output(i).empty())
      return unimplemented("absent optional output " + Twine(i) +
                           " before a present one");
    FailureOr<Type> type = getResultType(i);
    if (failed(type))
      return failure();
    types.push_back(*type);
  }
  return types;
}

const onnx::AttributeProto *OpBinder::getAttribute(StringRef name) const {
  for (const onnx::AttributeProto &attr : node.attribute())
    if (attr.name() == name)
      return &attr;
  return nullptr;
}

std::optional<int64_t> OpBinder::getIntAttr(StringRef name) const {
  const onnx::AttributeProto *attr = getAttribute(name);
  if (!attr || attr->type() != onnx::AttributeProto::INT)
    return std::nullopt;
  return attr->i();
}

std::optional<float> OpBinder::getFloatAttr(StringRef name) const {
  const onnx::AttributeProto *attr = getAttribute(name);
  if (!attr || attr->type() != onnx::AttributeProto::FLOAT)
    return std::nullopt;
  return attr->f();
}

std::optional<std::string> OpBinder::getStringAttr(StringRef name) const {
  const onnx::AttributeProto *attr = getAttribute(name);
  if (!attr || attr->type() != onnx::AttributeProto::STRING)
    return std::nullopt;
  return attr->s();
}

std::optional<SmallVector<int64_t>>
OpBinder::getIntsAttr(StringRef name) const {
  const onnx::AttributeProto *attr = getAttribute(name);
  if (!attr || attr->type() != onnx::AttributeProto::INTS)
    return std::nullopt;
  return SmallVector<int64_t>(attr->ints().begin(), attr->ints().end());
}

LogicalResult OpBinder::convertAttributes(NamedAttrList &attrs,
                                          ArrayRef<StringRef> skip) {
  Builder b(getContext());
  for (const onnx::AttributeProto &attr : node.attribute()) {
    if (llvm::is_contained(skip, attr.name()))
      continue;
    StringAttr name = b.getStringAttr(attr.name());
    switch (attr.type()) {
    case onnx::AttributeProto::INT:
      attrs.set(name, b.getI64IntegerAttr(attr.i()));
      break;
    case onnx::AttributeProto::FLOAT:
      attrs.set(name, b.getF32FloatAttr(attr.f()));
      break;
    case onnx::AttributeProto::STRING:
      attrs.set(name, b.getStringAttr(attr.s()));
      break;
    case onnx::AttributeProto::INTS:
      attrs.set(name, b.getDenseI64ArrayAttr(SmallVector<int64_t>(
                          attr.ints().begin(), attr.ints().end())));
      break;
    case onnx::AttributeProto::FLOATS:
      attrs.set(name, b.getDenseF32ArrayAttr(SmallVector<float>(
                          attr.floats().begin(), attr.floats().end())));
      break;
    case onnx::AttributeProto::TENSOR: {
      std::string error;
      onnx::TensorProto tensor = attr.t();
      ElementsAttr value =
          convertTensor(tensor, node.name() + "." + attr.name(), getContext(),
                        importer.getTensorReadOptions(), error);
      if (!value)
        return unimplemented("tensor attribute '" + attr.name() + "' " +
                             error);
      attrs.set(name, value);
      break;
    }
    default:
      return unimplemented("attribute '" + attr.name() +
                           "' has a kind qopt does not read");
    }
  }
  return success();
}

LogicalResult OpBinder::buildGeneric(StringRef opName,
                                     ArrayRef<NamedAttribute> extraAttrs,
                                     ArrayRef<StringRef> skipAttrs,
                                     std::optional<unsigned> numInputs) {
  OperationState state(loc, opName);
  std::optional<RegisteredOperationName> info = state.name.getRegisteredInfo();
  assert(info && "handler builds an unregistered op");

  unsigned inputs = numInputs.value_or(getNumInputs());
  if (getNumInputs() > inputs)
    return unimplemented(Twine(getNumInputs()) + " inputs (qopt reads " +
                         Twine(inputs) + ")");
  SmallVector<int32_t> segments;
  bool sawAbsent = false, absentBeforePresent = false;
  for (unsigned i = 0; i < inputs; ++i) {
    Value value = getInput(i);
    segments.push_back(value ? 1 : 0);
    if (value) {
      absentBeforePresent |= sawAbsent;
      state.addOperands(value);
    } else {
      sawAbsent = true;
    }
  }
  if (info->hasTrait<OpTrait::AttrSizedOperandSegments>()) {
    state.addAttribute("operandSegmentSizes",
                       DenseI32ArrayAttr::get(getContext(), segments));
  } else if (absentBeforePresent) {
    return unimplemented("an absent optional input before a present one");
  }

  return buildWith(state, extraAttrs, skipAttrs);
}

LogicalResult OpBinder::buildOp(StringRef opName, ValueRange operands,
                                ArrayRef<NamedAttribute> extraAttrs,
                                ArrayRef<StringRef> skipAttrs) {
  OperationState state(loc, opName);
  state.addOperands(operands);
  return buildWith(state, extraAttrs, skipAttrs);
}

LogicalResult OpBinder::buildWith(OperationState &state,
                                  ArrayRef<NamedAttribute> extraAttrs,
                                  ArrayRef<StringRef> skipAttrs) {
  std::optional<RegisteredOperationName> info = state.name.getRegisteredInfo();
  assert(info && "handler builds an unregistered op");
  NamedAttrList attrs;
  if (failed(convertAttributes(attrs, skipAttrs)))
    return failure();
  for (NamedAttribute attr : extraAttrs)
    attrs.set(attr.getName(), attr.getValue());
  // Reject attributes the op does not define: their semantics would be lost.
  ArrayRef<StringAttr> known = info->getAttributeNames();
  for (NamedAttribute attr : attrs)
    if (!llvm::is_contained(known, attr.getName()) &&
        attr.getName() != "operandSegmentSizes" &&
        attr.getName() != "resultSegmentSizes")
      return unimplemented("attribute '" + attr.getName().str() + "'");
  state.addAttributes(attrs);

  FailureOr<SmallVector<Type>> types = getResultTypes();
  if (failed(types))
    return failure();
  state.addTypes(*types);
  Operation *op = builder.create(state);
  return setResults(op->getResults());
}

const TensorReadOptions &OpBinder::getTensorReadOptions() const {
  return importer.getTensorReadOptions();
}

Value OpBinder::createConstant(ElementsAttr value) {
  return ConstantOp::create(builder, loc, value);
}

Value OpBinder::createI64Constant(ArrayRef<int64_t> values, bool scalar) {
  auto type = RankedTensorType::get(
      scalar ? ArrayRef<int64_t>{} : ArrayRef<int64_t>{int64_t(values.size())},
      builder.getI64Type());
  return createConstant(DenseIntElementsAttr::get(type, values));
}

LogicalResult OpBinder::setResults(ValueRange results) {
  for (auto [i, value] : llvm::enumerate(results))
    if (i < static_cast<size_t>(node.output_size()) &&
        !node.output(i).empty())
      importer.bindValue(node.output(i), value);
  return success();
}

LogicalResult OpBinder::unimplemented(const Twine &message) {
  importer.recordFailure(node, cast<NameLoc>(loc).getName().getValue(),
                         opsetVersion, "unimplemented: " + message);
  return failure();
}

//===----------------------------------------------------------------------===//
// OpHandlerRegistry
//===----------------------------------------------------------------------===//

void OpHandlerRegistry::onOp(StringRef opType, int64_t sinceVersion,
                             OpHandler handler, StringRef domain) {
  handlers[{domain.str(), opType.str()}][sinceVersion] = std::move(handler);
}

const OpHandler *OpHandlerRegistry::lookup(StringRef domain, StringRef opType,
                                           int64_t opsetVersion) const {
  auto it = handlers.find({domain.str(), opType.str()});
  if (it == handlers.end())
    return nullptr;
  auto upper = it->second.upper_bound(opsetVersion);
  if (upper == it->second.begin())
    return nullptr;
  return &std::prev(upper)->second;
}

std::vector<SupportedOp> OpHandlerRegistry::list() const {
  std::vector<SupportedOp> ops;
  for (const auto &[key, versions] : handlers)
    ops.push_back({key.first, key.second, versions.begin()->first});
  return ops;
}

const OpHandlerRegistry &onnx_import::getOpHandlerRegistry() {
  static const OpHandlerRegistry registry = [] {
    OpHandlerRegistry r;
    populateElementwiseHandlers(r);
    populateLinearAlgebraHandlers(r);
    populateNNHandlers(r);
    populateReductionHandlers(r);
    populateShapeHandlers(r);
    populateQuantizationHandlers(r);
    return r;
  }();
  return registry;
}
