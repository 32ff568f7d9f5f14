//===- InitAll.cpp - register everything qopt provides ----------*- C++ -*-===//
//
// The dialects qopt IR uses and the passes its tools expose. Tools and the
// Python package call these instead of registering piecemeal.
//
//===----------------------------------------------------------------------===//

#include "qopt/InitAll.h"

#include "qopt/Dialect/QOpt/IR/QOptDialect.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Quant/IR/Quant.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/DialectRegistry.h"
#include "mlir/Transforms/Passes.h"

void mlir::qopt::registerAllDialects(DialectRegistry &registry) {
  registry.insert<QOptDialect, func::FuncDialect, quant::QuantDialect,
                  arith::ArithDialect, tensor::TensorDialect>();
}

void mlir::qopt::registerAllPasses() {
  // Upstream transforms used on qopt IR (canonicalize, cse, inline, ...).
  registerTransformsPasses();
}
