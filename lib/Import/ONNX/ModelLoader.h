//===- ModelLoader.h - parse, check and shape-infer a model --------*- C++ -*-===//
//
// The importer's only contact with ONNX code that throws: parsing, the
// checker, shape inference. ModelLoader.cpp is built with -fexceptions and
// turns every exception into an error message.
//
//===----------------------------------------------------------------------===//

#ifndef QOPT_LIB_IMPORT_ONNX_MODELLOADER_H
#define QOPT_LIB_IMPORT_ONNX_MODELLOADER_H

#include "qopt/Import/ONNX/ImportONNX.h"

#include <onnx/onnx_pb.h>

#include <string>

namespace mlir::qopt::onnx_import {

/// Parses `bytes` as a binary ModelProto, or as ONNX textual syntax when
/// `path` ends in .onnxtxt/.onnxtext/.txt or the bytes are not a valid
/// protobuf but look like text. Returns false and sets `error` on failure.
bool parseModel(llvm::StringRef bytes, llvm::StringRef path,
                onnx::ModelProto &model, std::string &error);

/// Checks the IR version and opsets, pins `options.inputShapes`, runs the
/// ONNX checker (with external data resolved against `modelDir`) and ONNX
/// shape inference (with data propagation). Returns false and sets `error`
/// on failure.
bool prepareModel(onnx::ModelProto &model, const std::string &modelDir,
                  const ImportOptions &options, std::string &error);

} // namespace mlir::qopt::onnx_import

#endif // QOPT_LIB_IMPORT_ONNX_MODELLOADER_H
