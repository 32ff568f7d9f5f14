//===- MarkEntryPoints.cpp - the qopt-mark-entry-points pass -----*- C++ -*-===//
//
// Public functions get `llvm.emit_c_interface` (and lose the qopt argument
// attributes, already recorded in the model signature) so the model ABI wrapper can
// call them with memref descriptors passed by pointer.
//
//===----------------------------------------------------------------------===//

#include "qopt/Target/CPU/Passes.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"

namespace mlir::qopt {
#define GEN_PASS_DEF_MARKENTRYPOINTSPASS
#include "qopt/Target/CPU/Passes.h.inc"
} // namespace mlir::qopt

using namespace mlir;

namespace {
struct MarkEntryPointsPass
    : mlir::qopt::impl::MarkEntryPointsPassBase<MarkEntryPointsPass> {
  void runOnOperation() override {
    for (auto func : getOperation().getOps<func::FuncOp>())
      if (func.isPublic() && !func.isExternal()) {
        func->setAttr(LLVM::LLVMDialect::getEmitCWrapperAttrName(),
                      UnitAttr::get(&getContext()));
        // qopt.name / qopt.dim_params live on in qopt.model_signature; LLVM
        // has no use for them.
        for (unsigned i = 0; i < func.getNumArguments(); ++i)
          func.setArgAttrs(i, ArrayRef<NamedAttribute>{});
        for (unsigned i = 0; i < func.getNumResults(); ++i)
          func.setResultAttrs(i, ArrayRef<NamedAttribute>{});
      }
  }
};
} // namespace
