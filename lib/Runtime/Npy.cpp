//===- Npy.cpp - numpy .npy reader and writer --------------------*- C++ -*-===//
//
// The .npy format: magic "\x93NUMPY", a version byte pair, a little-endian
// header length (2 bytes in v1, 4 in v2/v3), then a Python dict literal with
// 'descr', 'fortran_order' and 'shape', padded so the data is 64-byte
// aligned. We read little-endian / byte-order-free dtypes in C order.
//
//===----------------------------------------------------------------------===//

#include "qopt/Runtime/TensorIO.h"

#include <cstdlib>
#include <cstring>
#include <fstream>
#include <sstream>

using namespace qopt;

namespace {

struct DescrEntry {
  const char *descr;
  qopt_dtype dtype;
};

const DescrEntry kDescrs[] = {
    {"f4", QOPT_F32}, {"f2", QOPT_F16}, {"f8", QOPT_F64}, {"i1", QOPT_I8},
    {"u1", QOPT_U8},  {"i2", QOPT_I16}, {"u2", QOPT_U16}, {"i4", QOPT_I32},
    {"u4", QOPT_U32}, {"i8", QOPT_I64}, {"u8", QOPT_U64}, {"b1", QOPT_BOOL},
};

/// The value text after `'key':` in the header dict.
bool findValue(const std::string &header, const std::string &key,
               std::string &value) {
  size_t k = header.find("'" + key + "'");
  if (k == std::string::npos)
    return false;
  size_t colon = header.find(':', k);
  if (colon == std::string::npos)
    return false;
  size_t start = header.find_first_not_of(' ', colon + 1);
  if (start == std::string::npos)
    return false;
  size_t end;
  if (header[start] == '(')
    end = header.find(')', start) + 1;
  else if (header[start] == '\'')
    end = header.find('\'', start + 1) + 1;
  else
    end = header.find_first_of(",}", start);
  if (end == std::string::npos || end <= start)
    return false;
  value = header.substr(start, end - start);
  return true;
}

} // namespace

bool qopt::readFileBytes(const std::string &path, std::string &bytes,
                         std::string &error) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    error = path + ": cannot open";
    return false;
  }
  std::ostringstream ss;
  ss << in.rdbuf();
  bytes = ss.str();
  return true;
}

bool qopt::parseNpy(const std::string &bytes, const std::string &what,
                    qopt_tensor &tensor, std::string &error) {
  std::memset(&tensor, 0, sizeof(tensor));
  if (bytes.size() < 10 || bytes.compare(0, 6, "\x93NUMPY") != 0) {
    error = what + ": not a .npy file";
    return false;
  }
  unsigned major = static_cast<unsigned char>(bytes[6]);
  size_t headerLen, headerStart;
  if (major == 1) {
    headerLen = static_cast<unsigned char>(bytes[8]) |
                (static_cast<unsigned char>(bytes[9]) << 8);
    headerStart = 10;
  } else if (major == 2 || major == 3) {
    if (bytes.size() < 12) {
      error = what + ": truncated .npy header";
      return false;
    }
    headerLen = 0;
    for (int i = 3; i >= 0; --i)
      headerLen = (headerLen << 8) | static_cast<unsigned char>(bytes[8 + i]);
    headerStart = 12;
  } else {
    error = what + ": unsupported .npy version " + std::to_string(major);
    return false;
  }
  if (headerStart + headerLen > bytes.size()) {
    error = what + ": truncated .npy header";
    return false;
  }
  std::string header = bytes.substr(headerStart, headerLen);
  std::string descr, fortran, shape;
  if (!findValue(header, "descr", descr) ||
      !findValue(header, "fortran_order", fortran) ||
      !findValue(header, "shape", shape)) {
    error = what + ": malformed .npy header";
    return false;
  }
  if (fortran.find("True") != std::string::npos) {
    error = what + ": Fortran-order arrays are not supported "
                   "(save with np.ascontiguousarray)";
    return false;
  }
  // descr like '<f4', '|u1', '|b1'.
  std::string code = descr.size() >= 4 ? descr.substr(2, descr.size() - 3)
                                       : std::string();
  char order = descr.size() >= 2 ? descr[1] : '?';
  bool found = false;
  for (const DescrEntry &e : kDescrs)
    if (code == e.descr) {
      tensor.dtype = e.dtype;
      found = true;
    }
  if (!found || order == '>') {
    error = what + ": unsupported dtype " + descr;
    return false;
  }
  tensor.rank = 0;
  std::string dims = shape.substr(1, shape.size() - 2);
  std::stringstream ss(dims);
  std::string item;
  while (std::getline(ss, item, ',')) {
    if (item.find_first_not_of(' ') == std::string::npos)
      continue;
    if (tensor.rank >= QOPT_MAX_RANK) {
      error = what + ": rank above " + std::to_string(QOPT_MAX_RANK);
      return false;
    }
    tensor.dims[tensor.rank++] = std::strtoll(item.c_str(), nullptr, 10);
  }
  size_t size = qopt_tensor_num_elements(&tensor) * qopt_dtype_size(tensor.dtype);
  size_t dataStart = headerStart + headerLen;
  if (bytes.size() - dataStart < size) {
    error = what + ": truncated data (" + std::to_string(bytes.size() - dataStart) +
            " bytes, expected " + std::to_string(size) + ")";
    return false;
  }
  tensor.data = std::malloc(size ? size : 1);
  std::memcpy(tensor.data, bytes.data() + dataStart, size);
  return true;
}

bool qopt::readNpy(const std::string &path, qopt_tensor &tensor,
                   std::string &error) {
  std::string bytes;
  if (!readFileBytes(path, bytes, error))
    return false;
  return parseNpy(bytes, path, tensor, error);
}

bool qopt::serializeNpy(const qopt_tensor &tensor, std::string &bytes,
                        std::string &error) {
  const char *code = nullptr;
  for (const DescrEntry &e : kDescrs)
    if (e.dtype == tensor.dtype)
      code = e.descr;
  if (!code) {
    error = std::string("dtype ") + qopt_dtype_name(tensor.dtype) +
            " has no .npy equivalent";
    return false;
  }
  std::string shape = "(";
  for (int32_t i = 0; i < tensor.rank; ++i)
    shape += std::to_string(tensor.dims[i]) +
             (tensor.rank == 1 ? ",)" : i + 1 < tensor.rank ? ", " : ")");
  if (tensor.rank == 0)
    shape += ")";
  bool byteType = qopt_dtype_size(tensor.dtype) == 1;
  std::string header = std::string("{'descr': '") + (byteType ? "|" : "<") +
                       code + "', 'fortran_order': False, 'shape': " + shape +
                       ", }";
  size_t total = 10 + header.size() + 1;
  header.append((64 - total % 64) % 64, ' ');
  header.push_back('\n');
  bytes.assign("\x93NUMPY\x01\x00", 8);
  bytes.push_back(static_cast<char>(header.size() & 0xff));
  bytes.push_back(static_cast<char>((header.size() >> 8) & 0xff));
  bytes += header;
  bytes.append(static_cast<const char *>(tensor.data),
               qopt_tensor_num_elements(&tensor) *
                   qopt_dtype_size(tensor.dtype));
  return true;
}

bool qopt::writeNpy(const std::string &path, const qopt_tensor &tensor,
                    std::string &error) {
  std::string bytes;
  if (!serializeNpy(tensor, bytes, error)) {
    error = path + ": " + error;
    return false;
  }
  std::ofstream out(path, std::ios::binary);
  out.write(bytes.data(), bytes.size());
  if (!out) {
    error = path + ": cannot write";
    return false;
  }
  return true;
}
