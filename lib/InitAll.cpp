//===- InitAll.cpp - register qopt and the upstream pieces it uses -*- C++ -*-===//
//
// The tools and the compiler library register dialects, interfaces and passes
// through these calls only. qopt lowers through most of upstream MLIR (linalg,
// bufferization, vector, LLVM, NVVM), so the upstream registries are pulled in
// whole; with libMLIR.so this costs no link time.
//
//===----------------------------------------------------------------------===//

#include "qopt/InitAll.h"

#include "qopt/Conversion/Passes.h"
#include "qopt/Dialect/QOpt/IR/QOptDialect.h"
#include "qopt/Quantization/Passes.h"
#include "qopt/Target/CPU/CPUPipeline.h"
#include "qopt/Target/CPU/Passes.h"
#include "qopt/Target/CUDA/CUDAPipeline.h"
#include "qopt/Target/CUDA/Passes.h"

#include "mlir/IR/DialectRegistry.h"
#include "mlir/InitAllDialects.h"
#include "mlir/InitAllExtensions.h"
#include "mlir/InitAllPasses.h"
#include "mlir/Target/LLVMIR/Dialect/All.h"

void mlir::qopt::registerAllDialects(DialectRegistry &registry) {
  registry.insert<QOptDialect>();
  mlir::registerAllDialects(registry);
  mlir::registerAllExtensions(registry);
  mlir::registerAllToLLVMIRTranslations(registry);
}

void mlir::qopt::registerAllPasses() {
  mlir::registerAllPasses();
  registerQOptConversionPasses();
  registerQOptQuantizationPasses();
  registerQOptCPUPasses();
  registerCPUPipelines();
  registerQOptCUDAPasses();
  registerCUDAPipelines();
}
