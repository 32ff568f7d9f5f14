//===- ExposeObservers.cpp - qopt-expose-observers ---------------*- C++ -*-===//
//
// See Passes.td. The calibration build returns every observed tensor.
//
//===----------------------------------------------------------------------===//

#include "qopt/Quantization/Passes.h"

namespace mlir::qopt {
#define GEN_PASS_DEF_EXPOSEOBSERVERSPASS
#include "qopt/Quantization/Passes.h.inc"
} // namespace mlir::qopt

using namespace mlir;
using namespace mlir::qopt;

std::string mlir::qopt::getObserverOutputName(int64_t id) {
  return "qopt.observer." + std::to_string(id);
}

namespace {
struct ExposeObserversPass
    : mlir::qopt::impl::ExposeObserversPassBase<ExposeObserversPass> {
  void runOnOperation() override {
    auto main = getOperation().lookupSymbol<func::FuncOp>("main");
    if (!main || main.isExternal()) {
      getOperation().emitError()
          << "qopt-expose-observers needs a function @main with a body";
      return signalPassFailure();
    }
    std::map<int64_t, ObserveOp> byId;
    WalkResult walk = main.walk([&](ObserveOp op) {
      if (!byId.emplace(op.getId(), op).second) {
        op.emitOpError() << "duplicates observer id " << op.getId();
        return WalkResult::interrupt();
      }
      return WalkResult::advance();
    });
    if (walk.wasInterrupted())
      return signalPassFailure();
    if (byId.empty())
      return;
    auto ret = cast<func::ReturnOp>(main.getBody().back().getTerminator());
    SmallVector<Value> results(ret.getOperands());
    SmallVector<Type> types(main.getFunctionType().getResults());
    unsigned first = results.size();
    for (auto &[id, op] : byId) {
      results.push_back(op.getX());
      types.push_back(op.getX().getType());
    }
    OpBuilder builder(ret);
    func::ReturnOp::create(builder, ret.getLoc(), results);
    ret.erase();
    main.setType(FunctionType::get(&getContext(),
                                   main.getFunctionType().getInputs(), types));
    unsigned index = first;
    for (auto &[id, op] : byId)
      main.setResultAttr(index++, "qopt.name",
                         builder.getStringAttr(getObserverOutputName(id)));
  }
};
} // namespace
