//===- ModelLoader.cpp - parse, check and shape-infer a model ----*- C++ -*-===//
//
// Everything here may call ONNX code that throws (the text parser, the
// checker, shape inference), so this translation unit alone is compiled with
// -fexceptions; every exception becomes one error message.
//
//===----------------------------------------------------------------------===//

#include "ModelLoader.h"
#include "TensorConversion.h"

#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/Path.h"

#include <google/protobuf/io/coded_stream.h>
#include <onnx/checker.h>
#include <onnx/defs/parser.h>
#include <onnx/defs/schema.h>
#include <onnx/shape_inference/implementation.h>

#include <exception>
#include <map>
#include <unordered_set>

using namespace mlir::qopt;
using namespace mlir::qopt::onnx_import;

/// The newest IR version and ai.onnx opset the linked ONNX (1.12) knows.
static constexpr int64_t kMaxIRVersion = onnx::Version::IR_VERSION;

static bool looksLikeText(llvm::StringRef bytes) {
  llvm::StringRef head = bytes.take_front(256);
  return llvm::all_of(head, [](char c) {
    return llvm::isPrint(c) || llvm::isSpace(c);
  });
}

bool onnx_import::parseModel(llvm::StringRef bytes, llvm::StringRef path,
                             onnx::ModelProto &model, std::string &error) {
  if (bytes.empty()) {
    error = "the model file is empty";
    return false;
  }
  llvm::StringRef ext = llvm::sys::path::extension(path);
  bool textByName = ext == ".onnxtxt" || ext == ".onnxtext" || ext == ".txt";
  if (!textByName) {
    google::protobuf::io::CodedInputStream stream(
        reinterpret_cast<const uint8_t *>(bytes.data()),
        static_cast<int>(bytes.size()));
    stream.SetTotalBytesLimit(INT32_MAX);
    if (model.ParseFromCodedStream(&stream) &&
        stream.ConsumedEntireMessage())
      return true;
    if (!looksLikeText(bytes)) {
      error = "not a valid ONNX model: the protobuf does not parse (is the "
              "file truncated or not an ONNX model?)";
      return false;
    }
    model.Clear();
  }
  try {
    std::string text = bytes.str();
    onnx::Common::Status status = onnx::OnnxParser::Parse(model, text.c_str());
    if (!status.IsOK()) {
      error = "not valid ONNX textual syntax: " + status.ErrorMessage();
      return false;
    }
  } catch (const std::exception &e) {
    error = std::string("not valid ONNX textual syntax: ") + e.what();
    return false;
  }
  return true;
}

/// Returns the first line of an ONNX exception message (they append a long
/// "==> Context" dump).
static std::string firstLines(const char *what) {
  llvm::StringRef message(what);
  return message.split("\n\n==> Context").first.trim().str();
}

static bool pinInputShapes(onnx::ModelProto &model,
                           const std::vector<InputShape> &shapes,
                           std::string &error) {
  onnx::GraphProto *graph = model.mutable_graph();
  for (const InputShape &shape : shapes) {
    onnx::ValueInfoProto *input = nullptr;
    std::string names;
    for (onnx::ValueInfoProto &candidate : *graph->mutable_input()) {
      if (candidate.name() == shape.name)
        input = &candidate;
      names += (names.empty() ? "" : ", ") + candidate.name();
    }
    if (!input) {
      error = "--input-shape names '" + shape.name +
              "', which is not a graph input (inputs: " + names + ")";
      return false;
    }
    onnx::TypeProto_Tensor *tensor =
        input->mutable_type()->mutable_tensor_type();
    onnx::TensorShapeProto *declared = tensor->mutable_shape();
    if (declared->dim_size() != 0 &&
        declared->dim_size() != static_cast<int>(shape.dims.size())) {
      error = "--input-shape gives " + std::to_string(shape.dims.size()) +
              " dimensions for '" + shape.name + "', which has rank " +
              std::to_string(declared->dim_size());
      return false;
    }
    std::vector<onnx::TensorShapeProto_Dimension> old(
        declared->dim().begin(), declared->dim().end());
    for (size_t i = 0; i < shape.dims.size() && i < old.size(); ++i) {
      if (shape.dims[i] != InputShape::kDynamic && old[i].has_dim_value() &&
          old[i].dim_value() != shape.dims[i]) {
        error = "--input-shape gives dimension " + std::to_string(i) + " of '" +
                shape.name + "' as " + std::to_string(shape.dims[i]) +
                ", but the model fixes it to " +
                std::to_string(old[i].dim_value()) +
                " (only symbolic or unknown dimensions can be pinned)";
        return false;
      }
    }
    declared->clear_dim();
    for (size_t i = 0; i < shape.dims.size(); ++i) {
      onnx::TensorShapeProto_Dimension *dim = declared->add_dim();
      if (shape.dims[i] != InputShape::kDynamic)
        dim->set_dim_value(shape.dims[i]);
      else if (i < old.size())
        *dim = old[i];
    }
  }
  return true;
}

/// Refuses external data of `tensor` that lies outside the model's folder
/// (or is missing) before the checker runs: the checker only reports an
/// absolute location as a file that "doesn't exist" at a joined path.
static bool checkExternalLocation(const onnx::TensorProto &tensor,
                                  const std::string &what,
                                  const std::string &modelDir,
                                  std::string &error) {
  if (tensor.data_location() != onnx::TensorProto::EXTERNAL)
    return true;
  std::string location;
  for (const onnx::StringStringEntryProto &entry : tensor.external_data())
    if (entry.key() == "location")
      location = entry.value();
  std::string message;
  if (!resolveExternalDataPath(location, modelDir, message).empty())
    return true;
  error = what + ": " + message;
  return false;
}

/// Checks the external data locations of the initializers and of the tensor
/// attributes (e.g. Constant values) of the main graph's nodes.
static bool checkExternalData(const onnx::GraphProto &graph,
                              const std::string &modelDir, std::string &error) {
  for (const onnx::TensorProto &init : graph.initializer())
    if (!checkExternalLocation(init, "initializer '" + init.name() + "'",
                               modelDir, error))
      return false;
  for (int index = 0; index < graph.node_size(); ++index) {
    const onnx::NodeProto &node = graph.node(index);
    std::string name = node.name().empty()
                           ? node.op_type() + "_" + std::to_string(index)
                           : node.name();
    for (const onnx::AttributeProto &attr : node.attribute()) {
      std::string what = "node '" + name + "' (" + node.op_type() +
                         ") attribute '" + attr.name() + "'";
      if (attr.has_t() &&
          !checkExternalLocation(attr.t(), what, modelDir, error))
        return false;
      for (const onnx::TensorProto &tensor : attr.tensors())
        if (!checkExternalLocation(tensor, what, modelDir, error))
          return false;
    }
  }
  return true;
}

/// The name messages give node `index`: its own, or "<OpType>_<index>" as in
/// the importer's messages.
static std::string describeNode(const onnx::NodeProto &node, int index) {
  std::string name = node.name().empty()
                         ? node.op_type() + "_" + std::to_string(index)
                         : node.name();
  return "node '" + name + "' (" + node.op_type() + ")";
}

/// Refuses node inputs of the main graph that no graph input, initializer or
/// earlier node defines, with a message that names the node (the checker's
/// names only the op type).
static bool checkInputsDefined(const onnx::GraphProto &graph,
                               std::string &error) {
  std::unordered_set<std::string> defined, produced;
  for (const onnx::ValueInfoProto &input : graph.input())
    defined.insert(input.name());
  for (const onnx::TensorProto &init : graph.initializer())
    defined.insert(init.name());
  for (const onnx::SparseTensorProto &init : graph.sparse_initializer())
    defined.insert(init.values().name());
  for (const onnx::NodeProto &node : graph.node())
    produced.insert(node.output().begin(), node.output().end());
  for (int index = 0; index < graph.node_size(); ++index) {
    const onnx::NodeProto &node = graph.node(index);
    for (const std::string &input : node.input()) {
      if (input.empty() || defined.count(input))
        continue;
      error = describeNode(node, index) + " reads '" + input + "', which " +
              (produced.count(input)
                   ? "only a later node produces (the nodes must be in "
                     "topological order)"
                   : "is not a graph input, an initializer or a node output "
                     "(is an initializer missing?)");
      return false;
    }
    for (const std::string &output : node.output())
      if (!output.empty())
        defined.insert(output);
  }
  return true;
}

/// After the checker rejected the graph with `graphError`: the first node
/// the checker rejects on its own with the same message, described, or an
/// empty string. The checker's node messages show the node's name, which is
/// often empty.
static std::string
locateCheckerFailure(const onnx::GraphProto &graph,
                     const onnx::checker::CheckerContext &ctx,
                     const std::string &graphError) {
  onnx::checker::LexicalScopeContext lex;
  for (const onnx::ValueInfoProto &input : graph.input())
    lex.add(input.name());
  for (const onnx::TensorProto &init : graph.initializer())
    lex.add(init.name());
  for (const onnx::NodeProto &node : graph.node())
    for (const std::string &output : node.output())
      lex.add(output);
  for (int index = 0; index < graph.node_size(); ++index) {
    try {
      onnx::checker::check_node(graph.node(index), ctx, lex);
    } catch (const std::exception &e) {
      if (firstLines(e.what()) == graphError)
        return describeNode(graph.node(index), index);
    }
  }
  return "";
}

bool onnx_import::prepareModel(onnx::ModelProto &model,
                               const std::string &modelDir,
                               const ImportOptions &options,
                               std::string &error) {
  if (!model.has_ir_version()) {
    error = "the model sets no IR version (is it an ONNX model?): qopt "
            "reads IR versions 3 to " +
            std::to_string(kMaxIRVersion);
    return false;
  }
  if (model.ir_version() < 3) {
    error = "unsupported IR version " + std::to_string(model.ir_version()) +
            ": qopt reads IR versions 3 to " + std::to_string(kMaxIRVersion) +
            " (re-export the model with a current exporter)";
    return false;
  }
  if (model.ir_version() > kMaxIRVersion) {
    error = "IR version " + std::to_string(model.ir_version()) +
            " is newer than ONNX 1.12 reads (<= " +
            std::to_string(kMaxIRVersion) +
            "): re-export with an older IR version (e.g. torch.onnx.export "
            "opset_version <= 17)";
    return false;
  }
  std::unordered_map<std::string, int> opsets;
  for (const onnx::OperatorSetIdProto &opset : model.opset_import()) {
    std::string domain = opset.domain() == "ai.onnx" ? "" : opset.domain();
    opsets[domain] = static_cast<int>(opset.version());
  }
  auto onnxOpset = opsets.find("");
  if (onnxOpset != opsets.end()) {
    int newest =
        onnx::OpSchemaRegistry::DomainToVersionRange::Instance().Map().at("")
            .second;
    if (onnxOpset->second > newest) {
      error = "opset " + std::to_string(onnxOpset->second) +
              " of ai.onnx is newer than ONNX 1.12 knows (<= " +
              std::to_string(newest) +
              "): convert the model with onnx.version_converter or re-export "
              "with opset_version <= " +
              std::to_string(newest);
      return false;
    }
  }
  if (!pinInputShapes(model, options.inputShapes, error))
    return false;
  if (!checkExternalData(model.graph(), modelDir, error) ||
      !checkInputsDefined(model.graph(), error))
    return false;

  onnx::checker::CheckerContext ctx;
  ctx.set_ir_version(static_cast<int>(model.ir_version()));
  ctx.set_opset_imports(opsets);
  ctx.set_model_dir(modelDir);
  ctx.set_schema_registry(onnx::OpSchemaRegistry::Instance());
  try {
    onnx::checker::LexicalScopeContext lex;
    onnx::checker::check_graph(model.graph(), ctx, lex);
  } catch (const std::exception &e) {
    std::string message = firstLines(e.what());
    std::string node = locateCheckerFailure(model.graph(), ctx, message);
    error = "the ONNX checker rejects " +
            (node.empty() ? std::string("the model") : node) + ": " + message;
    return false;
  }

  try {
    onnx::ShapeInferenceOptions shapeOptions(/*check_type=*/false,
                                             /*strict_mode=*/0,
                                             /*data_prop=*/true);
    onnx::shape_inference::InferShapes(
        model, onnx::OpSchemaRegistry::Instance(), shapeOptions);
  } catch (const std::exception &e) {
    error = "ONNX shape inference fails: " + firstLines(e.what());
    return false;
  }
  return true;
}
