//===- qopt-opt.cpp - run passes on qopt IR ----------------------*- C++ -*-===//
//
// The `mlir-opt` of qopt: parses MLIR with the qopt and upstream dialects,
// runs passes and pipelines given on the command line, prints the result.
//
//===----------------------------------------------------------------------===//

#include "qopt/InitAll.h"

#include "mlir/IR/DialectRegistry.h"
#include "mlir/Tools/mlir-opt/MlirOptMain.h"

int main(int argc, char **argv) {
  mlir::DialectRegistry registry;
  mlir::qopt::registerAllDialects(registry);
  mlir::qopt::registerAllPasses();
  return mlir::asMainReturnCode(
      mlir::MlirOptMain(argc, argv, "qopt optimizer driver\n", registry));
}
