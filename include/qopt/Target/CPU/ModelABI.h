//===- ModelABI.h - the compiled model's C ABI, compiler side ----*- C++ -*-===//
//
// A compiled model (a shared library) exports, with C linkage:
//
//   int32_t     qopt_model_abi_version(void);   // QOPT_MODEL_ABI_VERSION
//   const char *qopt_model_signature(void);     // the signature text
//   void        qopt_model_run(void **args);
//   void        qopt_model_free_result(void *allocated);
//
// `args[0]` points to the results (memref descriptors, one after another, in
// output order); `args[1 + i]` points to input i's memref descriptor. A
// rank-R descriptor is { void *allocated, void *aligned, int64_t offset,
// int64_t sizes[R], int64_t strides[R] }. Results are allocated by the
// model's own buffer cache; the caller hands each `allocated` back through
// qopt_model_free_result (defined in the model's C support code). include/qopt/Runtime/qopt_runtime.h
// is the loader side; docs/runtime.md the full description.
//
//===----------------------------------------------------------------------===//

#ifndef QOPT_TARGET_CPU_MODELABI_H
#define QOPT_TARGET_CPU_MODELABI_H

#include "mlir/Dialect/Func/IR/FuncOps.h"

#include <string>

namespace llvm {
class Module;
} // namespace llvm

namespace mlir::qopt {

inline constexpr int kModelABIVersion = 2;
/// The version on the signature text's first line (its format, independent
/// of the entry points).
inline constexpr int kModelSignatureVersion = 1;
inline constexpr llvm::StringLiteral kModelSignatureAttrName =
    "qopt.model_signature";

/// The signature text of `main` (see RecordModelSignaturePass); fails with a
/// diagnostic on an unranked or unsupported argument type.
FailureOr<std::string> buildModelSignature(func::FuncOp main);

/// Adds qopt_model_abi_version / qopt_model_signature / qopt_model_run to an
/// LLVM module that holds `_mlir_ciface_main`. `numInputs` is the number of
/// model inputs.
LogicalResult addModelABI(llvm::Module &module, llvm::StringRef signature,
                          unsigned numInputs, std::string &error);

} // namespace mlir::qopt

#endif // QOPT_TARGET_CPU_MODELABI_H
