//===- Passes.h - qopt quantization passes -----------------------*- C++ -*-===//

#ifndef QOPT_QUANTIZATION_PASSES_H
#define QOPT_QUANTIZATION_PASSES_H

#include "qopt/Dialect/QOpt/IR/QOptDialect.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Pass/Pass.h"

namespace mlir::qopt {

#define GEN_PASS_DECL
#define GEN_PASS_REGISTRATION
#include "qopt/Quantization/Passes.h.inc"

/// The result name qopt-expose-observers gives observer `id`.
std::string getObserverOutputName(int64_t id);

} // namespace mlir::qopt

#endif // QOPT_QUANTIZATION_PASSES_H
