//===- CPUCodegen.h - LLVM dialect -> object -> shared library ---*- C++ -*-===//
//
// The last CPU phase: translate the lowered module to LLVM IR, add the model
// ABI, optimize, emit an object for the chosen CPU and link a shared library
// with the system toolchain (`cc -shared`).
//
//===----------------------------------------------------------------------===//

#ifndef QOPT_TARGET_CPU_CPUCODEGEN_H
#define QOPT_TARGET_CPU_CPUCODEGEN_H

#include "mlir/IR/BuiltinOps.h"
#include "llvm/Support/raw_ostream.h"

#include <memory>
#include <string>

namespace llvm {
class LLVMContext;
class Module;
} // namespace llvm

namespace mlir::qopt {

struct CPUTargetOptions {
  /// `native` (the host), or an LLVM CPU name (`znver4`, `x86-64-v3`, ...).
  std::string cpu = "native";
  /// LLVM optimization level (0-3).
  unsigned optLevel = 3;
};

/// Whether the CPU `options` selects has `feature` (an LLVM feature name
/// such as "avx512vnni"); false when no target machine can be made.
bool targetHasFeature(const CPUTargetOptions &options, llvm::StringRef feature);

/// Translates a module in the LLVM dialect (with qopt.model_signature) to an
/// optimized LLVM module carrying the model ABI. Null with a diagnostic on
/// failure.
std::unique_ptr<llvm::Module>
translateModelToLLVMIR(ModuleOp module, llvm::LLVMContext &llvmContext,
                       const CPUTargetOptions &options);

/// Writes `module` as an object file for `options.cpu`.
LogicalResult emitObject(llvm::Module &module, const CPUTargetOptions &options,
                         llvm::raw_pwrite_stream &os, std::string &error);

/// Links `objectPath` into the shared library `outputPath` (`cc -shared`),
/// with LLVM's OpenMP runtime (libomp) when `useOpenMP`. `extraSource` is
/// more C support code compiled in with `extraFlags` (the CUDA target's
/// driver shim).
LogicalResult linkSharedLibrary(llvm::StringRef objectPath,
                                llvm::StringRef outputPath, bool useOpenMP,
                                std::string &error,
                                llvm::StringRef extraSource = {},
                                llvm::ArrayRef<std::string> extraFlags = {});

/// True when the module calls into the OpenMP runtime (__kmpc_*).
bool usesOpenMP(const llvm::Module &module);

} // namespace mlir::qopt

#endif // QOPT_TARGET_CPU_CPUCODEGEN_H
