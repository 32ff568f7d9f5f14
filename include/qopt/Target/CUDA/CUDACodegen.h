//===- CUDACodegen.h - CUDA toolkit discovery, PTX and the shim --*- C++ -*-===//
//
// What the CUDA target needs beyond the pipeline: where a CUDA toolkit is
// (ptxas and fatbinary for cubins/fatbins, libdevice for math functions),
// the PTX of a lowered module (--emit=ptx), and the driver shim every CUDA
// model links (lib/Runtime/CUDAShim.c).
//
//===----------------------------------------------------------------------===//

#ifndef QOPT_TARGET_CUDA_CUDACODEGEN_H
#define QOPT_TARGET_CUDA_CUDACODEGEN_H

#include "mlir/IR/BuiltinOps.h"
#include "llvm/Support/raw_ostream.h"

#include <string>

namespace mlir::qopt {

struct CUDAToolkit {
  /// The toolkit folder; empty when none was found.
  std::string path;
  bool hasLibdevice = false;
  /// ptxas and fatbinary both present (cubin and fatbin output).
  bool hasAssembler = false;
};

/// `explicitPath` when given (it must exist), else $CUDA_HOME, $CUDA_PATH,
/// /usr/local/cuda, the folder above a `ptxas` on PATH: the first that
/// holds bin/ptxas or nvvm/libdevice.
CUDAToolkit findCUDAToolkit(llvm::StringRef explicitPath);

/// The compute capability of "sm_90a" as 90; 0 when the name is not sm_NN.
unsigned getCUDAArchNumber(llvm::StringRef chip);

/// Writes the PTX of every gpu.binary (serialized with format=isa) in
/// `module` (only a comment when the model has no kernels); fails when a
/// binary holds no PTX.
LogicalResult writePTX(ModuleOp module, llvm::raw_ostream &os,
                       std::string &error);

/// The driver shim's C source (lib/Runtime/CUDAShim.c).
llvm::StringRef getCUDAShimSource();

} // namespace mlir::qopt

#endif // QOPT_TARGET_CUDA_CUDACODEGEN_H
