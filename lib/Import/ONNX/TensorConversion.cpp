//===- TensorConversion.cpp - ONNX types and tensors to MLIR -----*- C++ -*-===//
//
// Element type mapping (int8 -> i8, uint8 -> ui8, bool -> i1, ...), value
// types with symbolic dimensions as `?`, and TensorProto contents: raw data,
// typed fields and external data files. Large tensors become dense_resource
// blobs that take over the protobuf's buffer instead of copying it.
//
//===----------------------------------------------------------------------===//

#include "TensorConversion.h"

#include "mlir/IR/AsmState.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/DialectResourceBlobManager.h"
#include "mlir/IR/BuiltinDialect.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"

#include "llvm/ADT/StringExtras.h"

#include <cstring>

using namespace mlir;
using namespace mlir::qopt;
using namespace mlir::qopt::onnx_import;

Type onnx_import::convertElementType(int32_t dataType, MLIRContext *ctx) {
  using TP = onnx::TensorProto;
  switch (dataType) {
  case TP::FLOAT:
    return Float32Type::get(ctx);
  case TP::DOUBLE:
    return Float64Type::get(ctx);
  case TP::FLOAT16:
    return Float16Type::get(ctx);
  case TP::BFLOAT16:
    return BFloat16Type::get(ctx);
  case TP::BOOL:
    return IntegerType::get(ctx, 1);
  case TP::INT8:
    return IntegerType::get(ctx, 8);
  case TP::INT16:
    return IntegerType::get(ctx, 16);
  case TP::INT32:
    return IntegerType::get(ctx, 32);
  case TP::INT64:
    return IntegerType::get(ctx, 64);
  case TP::UINT8:
    return IntegerType::get(ctx, 8, IntegerType::Unsigned);
  case TP::UINT16:
    return IntegerType::get(ctx, 16, IntegerType::Unsigned);
  case TP::UINT32:
    return IntegerType::get(ctx, 32, IntegerType::Unsigned);
  case TP::UINT64:
    return IntegerType::get(ctx, 64, IntegerType::Unsigned);
  default:
    return nullptr;
  }
}

std::string onnx_import::dataTypeName(int32_t dataType) {
  if (onnx::TensorProto_DataType_IsValid(dataType))
    return onnx::TensorProto_DataType_Name(
        static_cast<onnx::TensorProto_DataType>(dataType));
  return "data type " + std::to_string(dataType);
}

TensorType onnx_import::convertValueType(const onnx::TypeProto &type,
                                         MLIRContext *ctx) {
  if (!type.has_tensor_type())
    return nullptr;
  const onnx::TypeProto_Tensor &tensor = type.tensor_type();
  Type element = convertElementType(tensor.elem_type(), ctx);
  if (!element)
    return nullptr;
  if (!tensor.has_shape())
    return UnrankedTensorType::get(element);
  SmallVector<int64_t> dims;
  for (const onnx::TensorShapeProto_Dimension &dim : tensor.shape().dim())
    dims.push_back(dim.has_dim_value() && dim.dim_value() >= 0
                       ? dim.dim_value()
                       : ShapedType::kDynamic);
  return RankedTensorType::get(dims, element);
}

std::string onnx_import::resolveExternalDataPath(StringRef location,
                                                 StringRef modelDir,
                                                 std::string &error) {
  if (location.empty() || llvm::sys::path::is_absolute(location) ||
      location.starts_with("~")) {
    error = "external data location '" + location.str() +
            "' must be a path relative to the model's folder: qopt reads "
            "external data only from inside that folder (move the data file "
            "next to the model and save the model with a relative location)";
    return "";
  }
  for (StringRef component : llvm::make_range(
           llvm::sys::path::begin(location), llvm::sys::path::end(location)))
    if (component == "..") {
      error = "external data location '" + location.str() +
              "' leaves the model's folder ('..' is not allowed): move the "
              "data file next to the model and save the model with a "
              "relative location";
      return "";
    }
  SmallString<256> path(modelDir);
  llvm::sys::path::append(path, location);
  SmallString<256> realPath, realDir;
  if (llvm::sys::fs::real_path(path, realPath) ||
      llvm::sys::fs::real_path(modelDir.empty() ? "." : modelDir, realDir)) {
    error = "external data file '" + path.str().str() +
            "' does not exist (locations are relative to the model's folder; "
            "copy the data file there with the model)";
    return "";
  }
  StringRef dirRef(realDir);
  if (!StringRef(realPath).starts_with(dirRef) ||
      (realPath.size() > dirRef.size() &&
       !llvm::sys::path::is_separator(realPath[dirRef.size()]))) {
    error = "external data location '" + location.str() +
            "' resolves outside the model's folder (through a link): copy "
            "the data file into the model's folder instead of linking it";
    return "";
  }
  return path.str().str();
}

/// Reads the external data of `tensor` into `out`.
static bool readExternalData(const onnx::TensorProto &tensor,
                             const TensorReadOptions &options,
                             std::string &out, std::string &error) {
  std::string location;
  uint64_t offset = 0;
  std::optional<uint64_t> length;
  for (const onnx::StringStringEntryProto &entry : tensor.external_data()) {
    if (entry.key() == "location")
      location = entry.value();
    else if (entry.key() == "offset")
      offset = std::strtoull(entry.value().c_str(), nullptr, 10);
    else if (entry.key() == "length")
      length = std::strtoull(entry.value().c_str(), nullptr, 10);
  }
  std::string path =
      resolveExternalDataPath(location, options.modelDir, error);
  if (path.empty())
    return false;
  llvm::ErrorOr<std::unique_ptr<llvm::MemoryBuffer>> buffer =
      llvm::MemoryBuffer::getFile(path, /*IsText=*/false,
                                  /*RequiresNullTerminator=*/false);
  if (!buffer) {
    error = "cannot read external data file '" + path +
            "': " + buffer.getError().message();
    return false;
  }
  uint64_t size = (*buffer)->getBufferSize();
  uint64_t count = length.value_or(size > offset ? size - offset : 0);
  if (offset > size || count > size - offset) {
    error = "external data file '" + path + "' holds " + std::to_string(size) +
            " bytes, but the tensor needs bytes " + std::to_string(offset) +
            " to " + std::to_string(offset + count);
    return false;
  }
  out.assign((*buffer)->getBufferStart() + offset, count);
  return true;
}

/// Copies a typed repeated field into `bytes` as `T`.
template <typename T, typename Field>
static void packField(const Field &field, std::string &bytes) {
  bytes.resize(field.size() * sizeof(T));
  char *dst = bytes.data();
  for (const auto &v : field) {
    T value = static_cast<T>(v);
    std::memcpy(dst, &value, sizeof(T));
    dst += sizeof(T);
  }
}

/// Packs the typed data fields of `tensor` into little-endian bytes of its
/// element type. int8/int16/uint8/uint16/bool/float16/bfloat16 live in
/// int32_data, with float16/bfloat16 as their bit patterns.
static bool packTypedData(const onnx::TensorProto &tensor, std::string &bytes,
                          std::string &error) {
  using TP = onnx::TensorProto;
  switch (tensor.data_type()) {
  case TP::FLOAT:
    packField<float>(tensor.float_data(), bytes);
    return true;
  case TP::DOUBLE:
    packField<double>(tensor.double_data(), bytes);
    return true;
  case TP::INT64:
    packField<int64_t>(tensor.int64_data(), bytes);
    return true;
  case TP::UINT32:
  case TP::UINT64:
    if (tensor.data_type() == TP::UINT32)
      packField<uint32_t>(tensor.uint64_data(), bytes);
    else
      packField<uint64_t>(tensor.uint64_data(), bytes);
    return true;
  case TP::INT32:
    packField<int32_t>(tensor.int32_data(), bytes);
    return true;
  case TP::INT16:
  case TP::UINT16:
  case TP::FLOAT16:
  case TP::BFLOAT16:
    packField<uint16_t>(tensor.int32_data(), bytes);
    return true;
  case TP::INT8:
  case TP::UINT8:
  case TP::BOOL:
    packField<uint8_t>(tensor.int32_data(), bytes);
    return true;
  default:
    error = "tensors of type " + dataTypeName(tensor.data_type()) +
            " are not supported";
    return false;
  }
}

static std::string sanitizeBlobName(StringRef name) {
  std::string out;
  for (char c : name)
    out.push_back(llvm::isAlnum(c) || c == '_' || c == '.' ? c : '_');
  if (out.empty() || llvm::isDigit(out.front()))
    out.insert(out.begin(), '_');
  return out;
}

ElementsAttr onnx_import::convertTensor(onnx::TensorProto &tensor,
                                        StringRef name, MLIRContext *ctx,
                                        const TensorReadOptions &options,
                                        std::string &error) {
  Type element = convertElementType(tensor.data_type(), ctx);
  if (!element) {
    error = "tensors of type " + dataTypeName(tensor.data_type()) +
            " are not supported";
    return nullptr;
  }
  SmallVector<int64_t> dims;
  int64_t numElements = 1;
  for (int64_t dim : tensor.dims()) {
    if (dim < 0) {
      error = "has a negative dimension (" + std::to_string(dim) + ")";
      return nullptr;
    }
    dims.push_back(dim);
    numElements *= dim;
  }
  auto type = RankedTensorType::get(dims, element);
  int64_t elementBytes =
      element.isInteger(1) ? 1 : (element.getIntOrFloatBitWidth() + 7) / 8;
  uint64_t expectedBytes = static_cast<uint64_t>(numElements) * elementBytes;

  // Take the bytes out of the proto: raw data is released (moved), external
  // data is read, typed fields are packed.
  std::unique_ptr<std::string> bytes;
  if (tensor.data_location() == onnx::TensorProto::EXTERNAL) {
    bytes = std::make_unique<std::string>();
    if (!readExternalData(tensor, options, *bytes, error))
      return nullptr;
  } else if (tensor.has_raw_data()) {
    bytes.reset(tensor.release_raw_data());
  } else {
    bytes = std::make_unique<std::string>();
    if (!packTypedData(tensor, *bytes, error))
      return nullptr;
  }
  if (bytes->size() != expectedBytes) {
    error = "holds " + std::to_string(bytes->size()) + " bytes of data, but " +
            "its dims and type need " + std::to_string(expectedBytes);
    return nullptr;
  }

  if (element.isInteger(1)) {
    SmallVector<bool> values;
    for (char c : *bytes)
      values.push_back(c != 0);
    return DenseElementsAttr::get(type, values);
  }
  if (numElements <= options.inlineElementLimit) {
    ArrayRef<char> raw(bytes->data(), bytes->size());
    return DenseElementsAttr::getFromRawBuffer(type, raw);
  }
  std::string *owned = bytes.release();
  AsmResourceBlob blob(
      ArrayRef<char>(owned->data(), owned->size()),
      /*dataAlignment=*/static_cast<size_t>(elementBytes),
      [owned](void *, size_t, size_t) { delete owned; },
      /*dataIsMutable=*/false);
  return DenseResourceElementsAttr::get(type, sanitizeBlobName(name),
                                        std::move(blob));
}
