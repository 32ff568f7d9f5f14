//===- ModelLoader.cpp - parse, check and shape-infer a model ----*- C++ -*-===//
//
// Everything here may call ONNX code that throws (the text parser, the
// checker, shape inference), so this translation unit alone is compiled with
// -fexceptions; every exception becomes one error message.
//
//===----------------------------------------------------------------------===//

#include "ModelLoader.h"

#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/Path.h"

#include <google/protobuf/io/coded_stream.h>
#include <onnx/checker.h>
#include <onnx/defs/parser.h>
#include <onnx/defs/schema.h>
#include <onnx/shape_inference/implementation.h>

#include <exception>
#include <map>

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

bool onnx_import::prepareModel(onnx::ModelProto &model,
                               const std::string &modelDir,
                               const ImportOptions &options,
                               std::string &error) {
  if (!model.has_ir_version() || model.ir_version() < 3) {
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

  try {
    onnx::checker::CheckerContext ctx;
    ctx.set_ir_version(static_cast<int>(model.ir_version()));
    ctx.set_opset_imports(opsets);
    ctx.set_model_dir(modelDir);
    ctx.set_schema_registry(onnx::OpSchemaRegistry::Instance());
    onnx::checker::LexicalScopeContext lex;
    onnx::checker::check_graph(model.graph(), ctx, lex);
  } catch (const std::exception &e) {
    error = "the ONNX checker rejects the model: " + firstLines(e.what());
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
