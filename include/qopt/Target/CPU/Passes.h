//===- Passes.h - CPU target passes ------------------------------*- C++ -*-===//

#ifndef QOPT_TARGET_CPU_PASSES_H
#define QOPT_TARGET_CPU_PASSES_H

#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Pass/Pass.h"

namespace mlir::qopt {

#define GEN_PASS_DECL
#define GEN_PASS_REGISTRATION
#include "qopt/Target/CPU/Passes.h.inc"

} // namespace mlir::qopt

#endif // QOPT_TARGET_CPU_PASSES_H
