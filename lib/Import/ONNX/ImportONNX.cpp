//===- ImportONNX.cpp - public importer entry points -------------*- C++ -*-===//
//
// importONNXModel/importONNXFile: parse -> prepare (checker, shape
// inference) -> GraphImporter. Also the `--input-shape` parser and the list
// of supported operators.
//
//===----------------------------------------------------------------------===//

#include "qopt/Import/ONNX/ImportONNX.h"

#include "GraphImporter.h"
#include "ModelLoader.h"

#include "mlir/IR/Diagnostics.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"

using namespace mlir;
using namespace mlir::qopt;

FailureOr<std::vector<InputShape>>
mlir::qopt::parseInputShapes(StringRef spec, std::string &error) {
  std::vector<InputShape> shapes;
  SmallVector<StringRef> entries;
  spec.split(entries, ',', -1, /*KeepEmpty=*/false);
  for (StringRef entry : entries) {
    auto [name, dims] = entry.trim().rsplit(':');
    if (name.empty() || dims.empty() || !entry.contains(':')) {
      error = "expected NAME:DIMS (e.g. input_ids:1x128), got '" +
              entry.str() + "'";
      return failure();
    }
    InputShape shape;
    shape.name = name.str();
    SmallVector<StringRef> parts;
    dims.split(parts, 'x');
    for (StringRef part : parts) {
      int64_t dim;
      if (part == "?") {
        shape.dims.push_back(InputShape::kDynamic);
      } else if (!part.getAsInteger(10, dim) && dim >= 0) {
        shape.dims.push_back(dim);
      } else {
        error = "bad dimension '" + part.str() + "' in '" + entry.str() +
                "' (use non-negative integers or ?)";
        return failure();
      }
    }
    shapes.push_back(std::move(shape));
  }
  return shapes;
}

OwningOpRef<ModuleOp> mlir::qopt::importONNXModel(StringRef bytes,
                                                  StringRef path,
                                                  MLIRContext *context,
                                                  const ImportOptions &options) {
  context->loadDialect<QOptDialect, func::FuncDialect>();
  Location fileLoc = FileLineColLoc::get(context, path, 0, 0);
  onnx::ModelProto model;
  std::string error;
  if (!onnx_import::parseModel(bytes, path, model, error) ||
      !onnx_import::prepareModel(
          model, llvm::sys::path::parent_path(path).str(), options, error)) {
    emitError(fileLoc) << error;
    return nullptr;
  }
  onnx_import::GraphImporter importer(context, path, options);
  return importer.importModel(model);
}

OwningOpRef<ModuleOp> mlir::qopt::importONNXFile(StringRef path,
                                                 MLIRContext *context,
                                                 const ImportOptions &options) {
  llvm::ErrorOr<std::unique_ptr<llvm::MemoryBuffer>> buffer =
      llvm::MemoryBuffer::getFile(path, /*IsText=*/false,
                                  /*RequiresNullTerminator=*/false);
  if (!buffer) {
    emitError(FileLineColLoc::get(context, path, 0, 0))
        << "cannot read the model: " << buffer.getError().message();
    return nullptr;
  }
  return importONNXModel((*buffer)->getBuffer(), path, context, options);
}

std::vector<SupportedOp> mlir::qopt::getSupportedONNXOps() {
  return onnx_import::getOpHandlerRegistry().list();
}
