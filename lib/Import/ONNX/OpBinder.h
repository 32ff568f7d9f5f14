//===- OpBinder.h - ONNX node handlers and their registry ---------*- C++ -*-===//
//
// Handlers turn one ONNX NodeProto into qopt ops. They are registered per
// (domain, op type, since-version) with `onOp` and receive an OpBinder that
// gives them the node's operands, attributes and result types, and takes
// their results. A handler that cannot import a node returns
// `binder.unimplemented(...)`; the importer reports all such nodes at once.
//
//===----------------------------------------------------------------------===//

#ifndef QOPT_LIB_IMPORT_ONNX_OPBINDER_H
#define QOPT_LIB_IMPORT_ONNX_OPBINDER_H

#include "qopt/Dialect/QOpt/IR/QOptDialect.h"
#include "qopt/Import/ONNX/ImportONNX.h"

#include "mlir/IR/Builders.h"
#include "llvm/ADT/StringMap.h"

#include <onnx/onnx_pb.h>

#include <functional>
#include <map>
#include <optional>
#include <string>

namespace mlir::qopt::onnx_import {

class GraphImporter;
struct TensorReadOptions;

/// The view of one ONNX node that a handler works with.
class OpBinder {
public:
  OpBinder(GraphImporter &importer, const onnx::NodeProto &node,
           OpBuilder &builder, Location loc, int64_t opsetVersion)
      : importer(importer), node(node), builder(builder), loc(loc),
        opsetVersion(opsetVersion) {}

  OpBuilder &getBuilder() { return builder; }
  Location getLoc() const { return loc; }
  MLIRContext *getContext() const { return loc.getContext(); }
  const onnx::NodeProto &getNode() const { return node; }
  int64_t getOpsetVersion() const { return opsetVersion; }

  /// Number of inputs the node lists (absent optional inputs included).
  unsigned getNumInputs() const { return node.input_size(); }
  /// Returns input `i`, or a null Value when it is absent (empty name or past
  /// the end).
  Value getInput(unsigned i) const;
  /// Returns the constant value of input `i` when it is produced by an
  /// initializer or Constant node.
  ElementsAttr getConstantInput(unsigned i) const;
  /// Reads a constant integer input as a list (e.g. Squeeze-13 axes).
  std::optional<SmallVector<int64_t>> getConstantIntsInput(unsigned i) const;

  /// Number of outputs the node lists, trailing absent ones dropped.
  unsigned getNumOutputs() const;
  /// The type ONNX shape inference recorded for output `i`.
  FailureOr<Type> getResultType(unsigned i);
  /// The types of all listed outputs.
  FailureOr<SmallVector<Type>> getResultTypes();

  /// Attribute lookup; std::nullopt when the node does not set it.
  const onnx::AttributeProto *getAttribute(StringRef name) const;
  std::optional<int64_t> getIntAttr(StringRef name) const;
  std::optional<float> getFloatAttr(StringRef name) const;
  std::optional<std::string> getStringAttr(StringRef name) const;
  std::optional<SmallVector<int64_t>> getIntsAttr(StringRef name) const;

  /// Converts every ONNX attribute of the node to an MLIR attribute of the
  /// same name (int -> i64, ints -> array<i64>, float -> f32,
  /// floats -> array<f32>, string -> string, tensor -> elements), except
  /// those listed in `skip`. Fails on attribute kinds qopt has no use for.
  LogicalResult convertAttributes(NamedAttrList &attrs,
                                  ArrayRef<StringRef> skip = {});

  /// Builds an op named `opName` from the node's present inputs (recording
  /// optional operand segments when the op has them), its converted
  /// attributes (plus `extraAttrs`) and its result types; binds its results
  /// to the node's outputs.
  LogicalResult buildGeneric(StringRef opName, ArrayRef<NamedAttribute> extraAttrs = {},
                             ArrayRef<StringRef> skipAttrs = {},
                             std::optional<unsigned> numInputs = std::nullopt);

  /// Builds an op named `opName` from explicit `operands` (for handlers that
  /// turn constant inputs into attributes), the node's attributes and its
  /// result types.
  LogicalResult buildOp(StringRef opName, ValueRange operands,
                        ArrayRef<NamedAttribute> extraAttrs = {},
                        ArrayRef<StringRef> skipAttrs = {});

  /// Where tensors with external data are read from (the model's folder).
  const TensorReadOptions &getTensorReadOptions() const;

  /// Creates a qopt.constant holding `value`.
  Value createConstant(ElementsAttr value);
  /// Creates an int64 constant: 1-D, or a scalar when `scalar` is set.
  Value createI64Constant(ArrayRef<int64_t> values, bool scalar = false);

  /// Binds the node's outputs to `values`, in order.
  LogicalResult setResults(ValueRange values);

  /// Records why the node cannot be imported and returns failure. The
  /// message should start with what is missing: "unimplemented: ...".
  LogicalResult unimplemented(const Twine &message);

private:
  LogicalResult buildWith(OperationState &state,
                          ArrayRef<NamedAttribute> extraAttrs,
                          ArrayRef<StringRef> skipAttrs);

  GraphImporter &importer;
  const onnx::NodeProto &node;
  OpBuilder &builder;
  Location loc;
  int64_t opsetVersion;
};

using OpHandler = std::function<LogicalResult(OpBinder &)>;

/// Handlers by (domain, op type), each list sorted by since-version.
class OpHandlerRegistry {
public:
  /// Registers `handler` for `opType` of `domain` ("" = ai.onnx) from opset
  /// `sinceVersion` on (until the next registered version).
  void onOp(StringRef opType, int64_t sinceVersion, OpHandler handler,
            StringRef domain = "");

  /// Returns the handler with the highest since-version <= `opsetVersion`.
  const OpHandler *lookup(StringRef domain, StringRef opType,
                          int64_t opsetVersion) const;

  /// All registered (domain, op type, since-version) triples.
  std::vector<SupportedOp> list() const;

private:
  std::map<std::pair<std::string, std::string>,
           std::map<int64_t, OpHandler>>
      handlers;
};

/// The number of operand groups of `OpTy` when it has optional operands
/// recorded with AttrSizedOperandSegments.
template <typename OpTy>
std::optional<unsigned> operandGroupCount() {
  if constexpr (OpTy::template hasTrait<OpTrait::AttrSizedOperandSegments>())
    return std::tuple_size_v<typename OpTy::Properties::operandSegmentSizesTy>;
  return std::nullopt;
}

/// A handler that builds `OpTy` from the node with buildGeneric.
template <typename OpTy>
OpHandler generic() {
  return [](OpBinder &binder) {
    return binder.buildGeneric(OpTy::getOperationName(), {}, {},
                               operandGroupCount<OpTy>());
  };
}

// Handler sets, one per op category (Handlers*.cpp).
void populateElementwiseHandlers(OpHandlerRegistry &registry);
void populateLinearAlgebraHandlers(OpHandlerRegistry &registry);
void populateNNHandlers(OpHandlerRegistry &registry);
void populateReductionHandlers(OpHandlerRegistry &registry);
void populateShapeHandlers(OpHandlerRegistry &registry);
void populateQuantizationHandlers(OpHandlerRegistry &registry);

/// The registry with every handler set.
const OpHandlerRegistry &getOpHandlerRegistry();

} // namespace mlir::qopt::onnx_import

#endif // QOPT_LIB_IMPORT_ONNX_OPBINDER_H
