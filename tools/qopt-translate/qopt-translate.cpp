//===- qopt-translate.cpp - translations into and out of qopt IR -*- C++ -*-===//
//
// `qopt-translate --import-onnx model.onnx` prints the imported qopt IR;
// `--list-onnx-ops` prints the ONNX operators the importer handles.
//
//===----------------------------------------------------------------------===//

#include "qopt/Import/ONNX/ImportONNX.h"

#include "mlir/Tools/mlir-translate/MlirTranslateMain.h"
#include "llvm/Support/raw_ostream.h"

#include <cstring>

int main(int argc, char **argv) {
  for (int i = 1; i < argc; ++i) {
    if (std::strcmp(argv[i], "--list-onnx-ops") == 0) {
      for (const mlir::qopt::SupportedOp &op : mlir::qopt::getSupportedONNXOps())
        llvm::outs() << (op.domain.empty() ? "ai.onnx" : op.domain) << " "
                     << op.opType << " since opset " << op.sinceVersion
                     << "\n";
      return 0;
    }
  }
  mlir::qopt::registerImportONNXTranslation();
  return mlir::failed(
      mlir::mlirTranslateMain(argc, argv, "qopt translation driver\n"));
}
