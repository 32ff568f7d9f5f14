//===- TensorConversion.h - ONNX types and tensors to MLIR ---------*- C++ -*-===//
//
// ONNX element types, value types and TensorProtos (initializers, Constant
// values, tensor attributes) converted to builtin types and ElementsAttrs.
//
//===----------------------------------------------------------------------===//

#ifndef QOPT_LIB_IMPORT_ONNX_TENSORCONVERSION_H
#define QOPT_LIB_IMPORT_ONNX_TENSORCONVERSION_H

#include "mlir/IR/BuiltinAttributeInterfaces.h"
#include "mlir/IR/BuiltinTypes.h"

#include <onnx/onnx_pb.h>

#include <string>

namespace mlir::qopt::onnx_import {

/// Maps an ONNX TensorProto::DataType to a builtin element type; null for
/// types qopt does not handle (string, complex).
Type convertElementType(int32_t dataType, MLIRContext *context);

/// The ONNX name of a TensorProto::DataType, for messages.
std::string dataTypeName(int32_t dataType);

/// Converts a tensor value type. Unknown dimensions become `?`; a missing
/// shape gives an unranked tensor. Returns null for non-tensor types.
TensorType convertValueType(const onnx::TypeProto &type, MLIRContext *context);

/// Where and how tensors are read.
struct TensorReadOptions {
  /// Folder external data paths are resolved against (the model's folder).
  std::string modelDir;
  /// Tensors with more elements become dense_resource blobs.
  int64_t inlineElementLimit = 16;
};

/// Converts `tensor` to an ElementsAttr. Raw data is moved out of the proto
/// into the resource blob (no second copy). `name` keys the blob. Returns
/// null and sets `error` on bad dims, short data, unsafe external paths or
/// unsupported element types.
ElementsAttr convertTensor(onnx::TensorProto &tensor, StringRef name,
                           MLIRContext *context,
                           const TensorReadOptions &options,
                           std::string &error);

/// Resolves an external data location against `modelDir`, refusing
/// absolute paths, `..` components and links that lead outside the folder.
/// Returns the path, or an empty string and sets `error`.
std::string resolveExternalDataPath(StringRef location, StringRef modelDir,
                                    std::string &error);

} // namespace mlir::qopt::onnx_import

#endif // QOPT_LIB_IMPORT_ONNX_TENSORCONVERSION_H
