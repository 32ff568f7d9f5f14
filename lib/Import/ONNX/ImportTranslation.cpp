//===- ImportTranslation.cpp - the import-onnx translation -------*- C++ -*-===//
//
// `qopt-translate --import-onnx model.onnx` with `--input-shape` and
// `--list-onnx-ops`.
//
//===----------------------------------------------------------------------===//

#include "qopt/Import/ONNX/ImportONNX.h"

#include "qopt/InitAll.h"

#include "mlir/IR/DialectRegistry.h"
#include "mlir/Tools/mlir-translate/Translation.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/ManagedStatic.h"
#include "llvm/Support/SourceMgr.h"

using namespace mlir;
using namespace mlir::qopt;

namespace {
struct ImportTranslationOptions {
  llvm::cl::opt<std::string> inputShapes{
      "input-shape",
      llvm::cl::desc("Pin graph input shapes before shape inference: "
                     "NAME:DxDx... (comma separated; ? keeps a dim dynamic)"),
      llvm::cl::init("")};
};
} // namespace

static llvm::ManagedStatic<ImportTranslationOptions> translationOptions;

void mlir::qopt::registerImportONNXTranslation() {
  *translationOptions; // register the options with the command line
  TranslateToMLIRRegistration registration(
      "import-onnx", "import an ONNX model (.onnx or .onnxtxt) into qopt IR",
      [](llvm::SourceMgr &sourceMgr,
         MLIRContext *context) -> OwningOpRef<Operation *> {
        const llvm::MemoryBuffer *buffer =
            sourceMgr.getMemoryBuffer(sourceMgr.getMainFileID());
        ImportOptions options;
        if (!translationOptions->inputShapes.empty()) {
          std::string error;
          FailureOr<std::vector<InputShape>> shapes =
              parseInputShapes(translationOptions->inputShapes, error);
          if (failed(shapes)) {
            emitError(UnknownLoc::get(context)) << "--input-shape: " << error;
            return nullptr;
          }
          options.inputShapes = std::move(*shapes);
        }
        OwningOpRef<ModuleOp> module =
            importONNXModel(buffer->getBuffer(),
                            buffer->getBufferIdentifier(), context, options);
        return OwningOpRef<Operation *>(module.release());
      },
      [](DialectRegistry &registry) { registerAllDialects(registry); });
}
