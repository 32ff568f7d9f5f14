//===- ImportONNX.h - ONNX model to qopt IR ------------------------*- C++ -*-===//
//
// Public entry points of the ONNX importer: read a model (binary protobuf
// `.onnx` or ONNX textual syntax `.onnxtxt`), validate it, run ONNX shape
// inference, and build a module with one `func.func @main` of qopt ops.
//
//===----------------------------------------------------------------------===//

#ifndef QOPT_IMPORT_ONNX_IMPORTONNX_H
#define QOPT_IMPORT_ONNX_IMPORTONNX_H

#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/OwningOpRef.h"
#include "mlir/Support/LLVM.h"
#include "llvm/ADT/StringRef.h"

#include <cstdint>
#include <string>
#include <vector>

namespace mlir::qopt {

/// A shape the user pins for one graph input (`--input-shape=name:1x128`);
/// kDynamic entries (`?`) stay dynamic.
struct InputShape {
  static constexpr int64_t kDynamic = -1;
  std::string name;
  std::vector<int64_t> dims;
};

struct ImportOptions {
  /// Shapes that replace the declared shapes of graph inputs before shape
  /// inference runs.
  std::vector<InputShape> inputShapes;
  /// Initializers with more elements than this become `dense_resource` blobs;
  /// smaller ones stay inline `dense<...>` so that folders can see them.
  int64_t inlineElementLimit = 16;
};

/// Parses `--input-shape` values: `name:1x128` (several separated by `,`),
/// `?` for a dimension that stays dynamic. Returns an error message on bad
/// syntax.
FailureOr<std::vector<InputShape>> parseInputShapes(llvm::StringRef spec,
                                                    std::string &error);

/// Imports the model held in `bytes`; `path` names it in diagnostics and
/// anchors external data (which must stay inside the model's folder). The
/// format (binary or text) is detected from the extension and the content.
/// Errors are emitted as MLIR diagnostics on `context`.
OwningOpRef<ModuleOp> importONNXModel(llvm::StringRef bytes,
                                      llvm::StringRef path,
                                      MLIRContext *context,
                                      const ImportOptions &options = {});

/// Reads the file at `path` and imports it.
OwningOpRef<ModuleOp> importONNXFile(llvm::StringRef path, MLIRContext *context,
                                     const ImportOptions &options = {});

/// One supported ONNX operator: domain ("" for ai.onnx), type, and the
/// oldest opset version the handler accepts.
struct SupportedOp {
  std::string domain;
  std::string opType;
  int64_t sinceVersion;
};

/// Lists the operators the importer handles, sorted by domain and type.
std::vector<SupportedOp> getSupportedONNXOps();

/// Registers the `import-onnx` translation for qopt-translate.
void registerImportONNXTranslation();

} // namespace mlir::qopt

#endif // QOPT_IMPORT_ONNX_IMPORTONNX_H
