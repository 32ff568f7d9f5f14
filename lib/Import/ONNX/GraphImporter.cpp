//===- GraphImporter.cpp - one ONNX graph to one func.func -------*- C++ -*-===//
//
// Builds `func.func @main` from the model's main graph. Argument and result
// attributes keep the ONNX names (`qopt.name`) and symbolic dimension names
// (`qopt.dim_params`); module attributes keep the opsets and producer.
//
//===----------------------------------------------------------------------===//

#include "GraphImporter.h"

#include "qopt/Dialect/QOpt/IR/QOptDialect.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/Verifier.h"
#include "llvm/Support/Path.h"

using namespace mlir;
using namespace mlir::qopt;
using namespace mlir::qopt::onnx_import;

GraphImporter::GraphImporter(MLIRContext *context, StringRef path,
                             const ImportOptions &options)
    : context(context), path(path.str()), options(options) {
  readOptions.modelDir = llvm::sys::path::parent_path(path).str();
  readOptions.inlineElementLimit = options.inlineElementLimit;
}

Location GraphImporter::fileLocation() const {
  return FileLineColLoc::get(context, path, 0, 0);
}

/// The node's name, or "<OpType>_<index>" for unnamed nodes.
static std::string nodeName(const onnx::NodeProto &node, size_t index) {
  return node.name().empty() ? node.op_type() + "_" + std::to_string(index)
                             : node.name();
}

Location GraphImporter::nodeLocation(const onnx::NodeProto &node,
                                     size_t index) const {
  return NameLoc::get(StringAttr::get(context, nodeName(node, index)),
                      fileLocation());
}

Value GraphImporter::lookupValue(StringRef name) const {
  auto it = values.find(name);
  return it == values.end() ? Value() : it->second;
}

const onnx::TypeProto *GraphImporter::lookupType(StringRef name) const {
  auto it = types.find(name);
  return it == types.end() ? nullptr : it->second;
}

static std::string describeNode(const onnx::NodeProto &node, StringRef name,
                                int64_t opset) {
  std::string domain =
      node.domain().empty() || node.domain() == "ai.onnx" ? ""
                                                          : node.domain() + ".";
  return "node '" + name.str() + "' (" + domain + node.op_type() +
         ", opset " + std::to_string(opset) + ")";
}

void GraphImporter::recordFailure(const onnx::NodeProto &node, StringRef name,
                                  int64_t opset, const Twine &message) {
  failures.push_back(describeNode(node, name, opset) + ": " + message.str());
}

static int64_t opsetFor(const onnx::NodeProto &node,
                        const llvm::StringMap<int64_t> &opsets) {
  std::string domain = node.domain() == "ai.onnx" ? "" : node.domain();
  auto it = opsets.find(domain);
  return it == opsets.end() ? -1 : it->second;
}

bool GraphImporter::reportUnsupportedNodes(
    const onnx::GraphProto &graph, const llvm::StringMap<int64_t> &opsets) {
  const OpHandlerRegistry &registry = getOpHandlerRegistry();
  std::vector<std::string> lines;
  for (auto [index, node] : llvm::enumerate(graph.node())) {
    int64_t opset = opsetFor(node, opsets);
    std::string domain = node.domain() == "ai.onnx" ? "" : node.domain();
    if (!registry.lookup(domain, node.op_type(), opset))
      lines.push_back(describeNode(node, nodeName(node, index), opset));
  }
  if (lines.empty())
    return false;
  InFlightDiagnostic diag = emitError(fileLocation())
                            << lines.size()
                            << " ONNX node(s) use operators qopt cannot "
                               "import:";
  for (const std::string &line : lines)
    diag << "\n  " << line;
  diag << "\n(`qopt-translate --list-onnx-ops` lists the supported operators "
          "and opset versions; an older opset may be converted with "
          "onnx.version_converter)";
  return true;
}

LogicalResult
GraphImporter::importGraph(onnx::GraphProto &graph, ModuleOp module,
                           const llvm::StringMap<int64_t> &opsets) {
  for (const onnx::ValueInfoProto &info : graph.input())
    types[info.name()] = &info.type();
  for (const onnx::ValueInfoProto &info : graph.value_info())
    types[info.name()] = &info.type();
  for (const onnx::ValueInfoProto &info : graph.output())
    types[info.name()] = &info.type();

  llvm::StringSet<> initializerNames;
  for (const onnx::TensorProto &init : graph.initializer())
    initializerNames.insert(init.name());

  // Function signature: graph inputs that are not initializers.
  SmallVector<Type> argTypes;
  SmallVector<DictionaryAttr> argAttrs;
  SmallVector<std::string> argNames;
  Builder b(context);
  auto namedType = [&](const onnx::ValueInfoProto &info,
                       SmallVectorImpl<Type> &typeList,
                       SmallVectorImpl<DictionaryAttr> &attrList) {
    TensorType type = convertValueType(info.type(), context);
    if (!type) {
      emitError(fileLocation())
          << "graph input/output '" << info.name()
          << "' is not a tensor of a supported element type";
      return failure();
    }
    SmallVector<NamedAttribute> attrs{
        b.getNamedAttr("qopt.name", b.getStringAttr(info.name()))};
    if (info.type().tensor_type().has_shape()) {
      SmallVector<Attribute> params;
      bool any = false;
      for (const auto &dim : info.type().tensor_type().shape().dim()) {
        params.push_back(b.getStringAttr(dim.dim_param()));
        any |= !dim.dim_param().empty();
      }
      if (any)
        attrs.push_back(
            b.getNamedAttr("qopt.dim_params", b.getArrayAttr(params)));
    }
    typeList.push_back(type);
    attrList.push_back(b.getDictionaryAttr(attrs));
    return success();
  };
  for (const onnx::ValueInfoProto &info : graph.input()) {
    if (initializerNames.contains(info.name()))
      continue;
    if (failed(namedType(info, argTypes, argAttrs)))
      return failure();
    argNames.push_back(info.name());
  }
  SmallVector<Type> resultTypes;
  SmallVector<DictionaryAttr> resultAttrs;
  for (const onnx::ValueInfoProto &info : graph.output())
    if (failed(namedType(info, resultTypes, resultAttrs)))
      return failure();

  OpBuilder builder(module.getBodyRegion());
  auto func = func::FuncOp::create(builder, fileLocation(), "main",
                                   builder.getFunctionType(argTypes,
                                                           resultTypes));
  func.setAllArgAttrs(argAttrs);
  func.setAllResultAttrs(resultAttrs);
  Block *entry = func.addEntryBlock();
  builder.setInsertionPointToStart(entry);
  for (auto [name, arg] : llvm::zip(argNames, entry->getArguments()))
    values[name] = arg;

  // Initializers.
  for (onnx::TensorProto &init : *graph.mutable_initializer()) {
    std::string error;
    ElementsAttr value =
        convertTensor(init, init.name(), context, readOptions, error);
    if (!value)
      return emitError(fileLocation())
             << "initializer '" << init.name() << "' " << error;
    values[init.name()] =
        ConstantOp::create(builder, NameLoc::get(b.getStringAttr(init.name()),
                                                 fileLocation()),
                           value);
  }

  // Nodes, in order (the checker verified the topological order).
  const OpHandlerRegistry &registry = getOpHandlerRegistry();
  for (auto [index, node] : llvm::enumerate(graph.node())) {
    int64_t opset = opsetFor(node, opsets);
    std::string domain = node.domain() == "ai.onnx" ? "" : node.domain();
    const OpHandler *handler = registry.lookup(domain, node.op_type(), opset);
    // Skip nodes downstream of a failed one; the first failure is reported.
    bool inputsReady = llvm::all_of(node.input(), [&](const std::string &in) {
      return in.empty() || values.count(in);
    });
    if (!handler || !inputsReady)
      continue;
    OpBinder binder(*this, node, builder, nodeLocation(node, index), opset);
    (void)(*handler)(binder);
  }
  if (!failures.empty()) {
    InFlightDiagnostic diag = emitError(fileLocation())
                              << failures.size()
                              << " ONNX node(s) could not be imported:";
    for (const std::string &line : failures)
      diag << "\n  " << line;
    return failure();
  }

  SmallVector<Value> results;
  for (const onnx::ValueInfoProto &info : graph.output()) {
    Value value = lookupValue(info.name());
    if (!value)
      return emitError(fileLocation())
             << "graph output '" << info.name() << "' is not produced";
    if (value.getType() != resultTypes[results.size()]) {
      // Shape inference may know more or less than the declared output
      // type; keep the function type consistent with what is returned.
      resultTypes[results.size()] = value.getType();
    }
    results.push_back(value);
  }
  func::ReturnOp::create(builder, fileLocation(), results);
  func.setFunctionType(builder.getFunctionType(argTypes, resultTypes));
  return success();
}

OwningOpRef<ModuleOp> GraphImporter::importModel(onnx::ModelProto &model) {
  llvm::StringMap<int64_t> opsets;
  for (const onnx::OperatorSetIdProto &opset : model.opset_import())
    opsets[opset.domain() == "ai.onnx" ? "" : opset.domain()] =
        opset.version();
  if (reportUnsupportedNodes(model.graph(), opsets))
    return nullptr;

  Builder b(context);
  OwningOpRef<ModuleOp> module = ModuleOp::create(fileLocation());
  SmallVector<NamedAttribute> opsetAttrs;
  for (const auto &entry : opsets)
    opsetAttrs.push_back(b.getNamedAttr(
        entry.first().empty() ? "ai.onnx" : entry.first(),
        b.getI64IntegerAttr(entry.second)));
  (*module)->setAttr("qopt.opset_import", b.getDictionaryAttr(opsetAttrs));
  (*module)->setAttr("qopt.ir_version",
                     b.getI64IntegerAttr(model.ir_version()));
  if (!model.producer_name().empty())
    (*module)->setAttr("qopt.producer",
                       b.getStringAttr(StringRef(model.producer_name() + " " +
                                                 model.producer_version())
                                           .rtrim()));
  if (!model.graph().name().empty())
    (*module)->setAttr("qopt.graph_name",
                       b.getStringAttr(model.graph().name()));

  if (failed(importGraph(*model.mutable_graph(), *module, opsets)))
    return nullptr;
  if (failed(verify(*module)))
    return nullptr;
  return module;
}
