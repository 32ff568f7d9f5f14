//===- Passes.h - CUDA target passes -----------------------------*- C++ -*-===//

#ifndef QOPT_TARGET_CUDA_PASSES_H
#define QOPT_TARGET_CUDA_PASSES_H

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/GPU/IR/GPUDialect.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Dialect/LLVMIR/NVVMDialect.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Pass/Pass.h"
#include "qopt/Dialect/QOpt/IR/QOptDialect.h"

namespace mlir::qopt {

#define GEN_PASS_DECL
#define GEN_PASS_REGISTRATION
#include "qopt/Target/CUDA/Passes.h.inc"

} // namespace mlir::qopt

#endif // QOPT_TARGET_CUDA_PASSES_H
