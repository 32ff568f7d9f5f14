//===- GraphImporter.h - one ONNX graph to one func.func -----------*- C++ -*-===//
//
// Walks the main graph: inputs become function arguments, initializers
// qopt.constant ops, nodes are dispatched to their handlers, outputs are
// returned. Handler failures and missing handlers are collected and reported
// together.
//
//===----------------------------------------------------------------------===//

#ifndef QOPT_LIB_IMPORT_ONNX_GRAPHIMPORTER_H
#define QOPT_LIB_IMPORT_ONNX_GRAPHIMPORTER_H

#include "OpBinder.h"
#include "TensorConversion.h"

#include "mlir/IR/BuiltinOps.h"
#include "llvm/ADT/StringSet.h"

namespace mlir::qopt::onnx_import {

class GraphImporter {
public:
  GraphImporter(MLIRContext *context, StringRef path,
                const ImportOptions &options);

  /// Imports `model` (after prepareModel) into a new module.
  OwningOpRef<ModuleOp> importModel(onnx::ModelProto &model);

  // Used by OpBinder.
  Value lookupValue(StringRef name) const;
  void bindValue(StringRef name, Value value) { values[name] = value; }
  const onnx::TypeProto *lookupType(StringRef name) const;
  MLIRContext *getContext() const { return context; }
  const TensorReadOptions &getTensorReadOptions() const { return readOptions; }
  void recordFailure(const onnx::NodeProto &node, StringRef name,
                     int64_t opset, const Twine &message);
  /// Location of a node: its name (or "<OpType>_<index>") inside the file.
  Location nodeLocation(const onnx::NodeProto &node, size_t index) const;
  Location fileLocation() const;

private:
  LogicalResult importGraph(onnx::GraphProto &graph, ModuleOp module,
                            const llvm::StringMap<int64_t> &opsets);
  /// Lists nodes that no handler covers; true when there are any (and
  /// emits the error).
  bool reportUnsupportedNodes(const onnx::GraphProto &graph,
                              const llvm::StringMap<int64_t> &opsets);

  MLIRContext *context;
  std::string path;
  const ImportOptions &options;
  TensorReadOptions readOptions;
  llvm::StringMap<Value> values;
  llvm::StringMap<const onnx::TypeProto *> types;
  std::vector<std::string> failures;
};

} // namespace mlir::qopt::onnx_import

#endif // QOPT_LIB_IMPORT_ONNX_GRAPHIMPORTER_H
