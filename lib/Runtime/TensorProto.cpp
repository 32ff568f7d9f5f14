//===- TensorProto.cpp - ONNX TensorProto (.pb) reader -----------*- C++ -*-===//
//
// Reads the `input_N.pb` / `output_N.pb` files of ONNX's test-data folders:
// raw_data or the typed repeated fields, for the dtypes the runtime knows.
//
//===----------------------------------------------------------------------===//

#include "qopt/Runtime/TensorIO.h"

#include <onnx/onnx_pb.h>

#include <cstdlib>
#include <cstring>
#include <fstream>

namespace {

bool mapDataType(int32_t type, qopt_dtype &dtype) {
  using TP = onnx::TensorProto;
  switch (type) {
  case TP::FLOAT: dtype = QOPT_F32; return true;
  case TP::FLOAT16: dtype = QOPT_F16; return true;
  case TP::BFLOAT16: dtype = QOPT_BF16; return true;
  case TP::DOUBLE: dtype = QOPT_F64; return true;
  case TP::INT8: dtype = QOPT_I8; return true;
  case TP::UINT8: dtype = QOPT_U8; return true;
  case TP::INT16: dtype = QOPT_I16; return true;
  case TP::UINT16: dtype = QOPT_U16; return true;
  case TP::INT32: dtype = QOPT_I32; return true;
  case TP::UINT32: dtype = QOPT_U32; return true;
  case TP::INT64: dtype = QOPT_I64; return true;
  case TP::UINT64: dtype = QOPT_U64; return true;
  case TP::BOOL: dtype = QOPT_BOOL; return true;
  default: return false;
  }
}

template <typename Src>
void store(void *data, int64_t i, qopt_dtype dtype, Src v) {
  switch (dtype) {
  case QOPT_F32: static_cast<float *>(data)[i] = static_cast<float>(v); break;
  case QOPT_F64: static_cast<double *>(data)[i] = static_cast<double>(v); break;
  case QOPT_I8: static_cast<int8_t *>(data)[i] = static_cast<int8_t>(v); break;
  case QOPT_U8: static_cast<uint8_t *>(data)[i] = static_cast<uint8_t>(v); break;
  case QOPT_BOOL: static_cast<uint8_t *>(data)[i] = v != 0; break;
  case QOPT_I16: static_cast<int16_t *>(data)[i] = static_cast<int16_t>(v); break;
  case QOPT_U16:
  case QOPT_F16:
  case QOPT_BF16:
    static_cast<uint16_t *>(data)[i] = static_cast<uint16_t>(v);
    break;
  case QOPT_I32: static_cast<int32_t *>(data)[i] = static_cast<int32_t>(v); break;
  case QOPT_U32: static_cast<uint32_t *>(data)[i] = static_cast<uint32_t>(v); break;
  case QOPT_I64: static_cast<int64_t *>(data)[i] = static_cast<int64_t>(v); break;
  case QOPT_U64: static_cast<uint64_t *>(data)[i] = static_cast<uint64_t>(v); break;
  }
}

} // namespace

bool qopt::readTensorProto(const std::string &path, qopt_tensor &tensor,
                           std::string &name, std::string &error) {
  std::memset(&tensor, 0, sizeof(tensor));
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    error = path + ": cannot open";
    return false;
  }
  onnx::TensorProto proto;
  if (!proto.ParseFromIstream(&in)) {
    error = path + ": not a TensorProto";
    return false;
  }
  name = proto.name();
  if (!mapDataType(proto.data_type(), tensor.dtype)) {
    error = path + ": unsupported data_type " +
            std::to_string(proto.data_type());
    return false;
  }
  if (proto.dims_size() > QOPT_MAX_RANK) {
    error = path + ": rank above " + std::to_string(QOPT_MAX_RANK);
    return false;
  }
  tensor.rank = proto.dims_size();
  for (int i = 0; i < proto.dims_size(); ++i)
    tensor.dims[i] = proto.dims(i);
  int64_t count = qopt_tensor_num_elements(&tensor);
  size_t size = count * qopt_dtype_size(tensor.dtype);
  tensor.data = std::calloc(size ? size : 1, 1);
  if (proto.has_raw_data()) {
    if (proto.raw_data().size() != size) {
      error = path + ": raw_data has " + std::to_string(proto.raw_data().size()) +
              " bytes, expected " + std::to_string(size);
      qopt_tensor_release(&tensor);
      return false;
    }
    std::memcpy(tensor.data, proto.raw_data().data(), size);
    return true;
  }
  int64_t n = 0;
  auto check = [&](int64_t have) {
    if (have == count)
      return true;
    error = path + ": has " + std::to_string(have) + " values, expected " +
            std::to_string(count);
    qopt_tensor_release(&tensor);
    return false;
  };
  switch (tensor.dtype) {
  case QOPT_F32:
    if (!check(proto.float_data_size()))
      return false;
    for (float v : proto.float_data())
      store(tensor.data, n++, tensor.dtype, v);
    return true;
  case QOPT_F64:
    if (!check(proto.double_data_size()))
      return false;
    for (double v : proto.double_data())
      store(tensor.data, n++, tensor.dtype, v);
    return true;
  case QOPT_I64:
    if (!check(proto.int64_data_size()))
      return false;
    for (int64_t v : proto.int64_data())
      store(tensor.data, n++, tensor.dtype, v);
    return true;
  case QOPT_U32:
  case QOPT_U64:
    if (!check(proto.uint64_data_size()))
      return false;
    for (uint64_t v : proto.uint64_data())
      store(tensor.data, n++, tensor.dtype, v);
    return true;
  default: // the narrow types live in int32_data
    if (!check(proto.int32_data_size()))
      return false;
    for (int32_t v : proto.int32_data())
      store(tensor.data, n++, tensor.dtype, v);
    return true;
  }
}
