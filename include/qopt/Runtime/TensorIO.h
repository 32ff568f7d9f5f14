//===- TensorIO.h - .npy and ONNX TensorProto files --------------*- C++ -*-===//
//
// Reading and writing the tensor files qopt-run and the tests use: numpy's
// .npy (versions 1-3, little-endian, C order) and ONNX TensorProto `.pb`
// (the backend test-data layout). Tensors are qopt_tensor with malloc'ed
// data (release with qopt_tensor_release). No LLVM/MLIR dependency.
//
//===----------------------------------------------------------------------===//

#ifndef QOPT_RUNTIME_TENSORIO_H
#define QOPT_RUNTIME_TENSORIO_H

#include "qopt/Runtime/qopt_runtime.h"

#include <string>
#include <vector>

namespace qopt {

/// Reads the whole file at `path` into `bytes`; false with `error` set
/// ("PATH: cannot open") on failure.
bool readFileBytes(const std::string &path, std::string &bytes,
                   std::string &error);

/// Reads a .npy file; false with `error` set on failure.
bool readNpy(const std::string &path, qopt_tensor &tensor, std::string &error);
/// Parses .npy bytes (`what` names them in errors).
bool parseNpy(const std::string &bytes, const std::string &what,
              qopt_tensor &tensor, std::string &error);
/// Writes a .npy (version 1.0) file.
/// The bytes of a .npy (version 1.0) file holding `tensor`.
bool serializeNpy(const qopt_tensor &tensor, std::string &bytes,
                  std::string &error);
bool writeNpy(const std::string &path, const qopt_tensor &tensor,
              std::string &error);
struct NamedTensor {
  std::string name;
  qopt_tensor tensor;
};

/// Reads an .npz archive written by np.savez (stored members, ZIP64 aware);
/// names drop the ".npy" suffix. Compressed archives are refused.
bool readNpz(const std::string &path, std::vector<NamedTensor> &tensors,
             std::string &error);

/// Writes an .npz archive (stored members "<name>.npy", as np.savez does)
/// that np.load reads back. Sizes must fit 32-bit zip fields (< 4 GiB).
bool writeNpz(const std::string &path, const std::vector<NamedTensor> &tensors,
              std::string &error);

/// Reads an ONNX TensorProto (.pb); `name` receives its name.
bool readTensorProto(const std::string &path, qopt_tensor &tensor,
                     std::string &name, std::string &error);

} // namespace qopt

#endif // QOPT_RUNTIME_TENSORIO_H
