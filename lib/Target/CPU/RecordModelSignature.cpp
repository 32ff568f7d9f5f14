//===- RecordModelSignature.cpp - qopt-record-model-signature ----*- C++ -*-===//
//
// Stores the entry function's signature (names, ONNX element types, dims,
// symbolic dim names) as text in the module attribute qopt.model_signature,
// before lowering turns the types signless.
//
//===----------------------------------------------------------------------===//

#include "qopt/Target/CPU/Passes.h"
#include "qopt/Target/CPU/ModelABI.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"

namespace mlir::qopt {
#define GEN_PASS_DEF_RECORDMODELSIGNATUREPASS
#include "qopt/Target/CPU/Passes.h.inc"
} // namespace mlir::qopt

using namespace mlir;

namespace {
struct RecordModelSignaturePass
    : mlir::qopt::impl::RecordModelSignaturePassBase<
          RecordModelSignaturePass> {
  void runOnOperation() override {
    ModuleOp module = getOperation();
    auto main = module.lookupSymbol<func::FuncOp>("main");
    if (!main) {
      module.emitError() << "expects a func.func @main (the imported graph)";
      return signalPassFailure();
    }
    FailureOr<std::string> text = qopt::buildModelSignature(main);
    if (failed(text))
      return signalPassFailure();
    module->setAttr(qopt::kModelSignatureAttrName,
                    StringAttr::get(&getContext(), *text));
  }
};
} // namespace
