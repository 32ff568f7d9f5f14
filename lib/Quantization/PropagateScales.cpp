//===- PropagateScales.cpp - qopt-propagate-scales ----------------*- C++ -*-===//
//
// See Passes.td: observers reached through scale-preserving ops share the
// source observer's range; concats get one range for inputs and result.
//
//===----------------------------------------------------------------------===//

#include "qopt/Quantization/Passes.h"

namespace mlir::qopt {
#define GEN_PASS_DEF_PROPAGATESCALESPASS
#include "qopt/Quantization/Passes.h.inc"
} // namespace mlir::qopt

using namespace mlir;
using namespace mlir::qopt;

namespace {

/// The calibrated observer `value` reaches through scale-preserving,
/// single-input ops (operand 0 of each), or null. `nonNegative` is set when
/// a relu on the way needs a non-negative source range.
ObserveOp findSource(Value value, bool &throughRelu) {
  throughRelu = false;
  while (Operation *op = value.getDefiningOp()) {
    if (auto observer = dyn_cast<ObserveOp>(op))
      return observer.getRange() ? observer : ObserveOp();
    if (!isScalePreserving(op) || isa<ConcatOp>(op) ||
        op->getNumOperands() == 0)
      return nullptr;
    throughRelu |= isa<ReluOp>(op);
    value = op->getOperand(0);
  }
  return nullptr;
}

/// The observer of `value` itself or of a value it reaches through
/// scale-preserving single-input ops (looking up, as findSource does).
ObserveOp findObserverAbove(Value value) {
  bool throughRelu;
  if (auto observer = value.getDefiningOp<ObserveOp>())
    return observer.getRange() ? observer : ObserveOp();
  return findSource(value, throughRelu);
}

struct PropagateScalesPass
    : mlir::qopt::impl::PropagateScalesPassBase<PropagateScalesPass> {
  void share(ObserveOp target, ArrayRef<double> range, int64_t sourceId) {
    Builder b(target.getContext());
    target.setRangeAttr(b.getDenseF64ArrayAttr(range));
    target.setScaleSourceAttr(b.getI64IntegerAttr(sourceId));
  }

  void runOnOperation() override {
    func::FuncOp func = getOperation();
    // Concats first: their shared range is what the chains below pass on.
    func.walk([&](ConcatOp concat) {
      ObserveOp result;
      for (Operation *user : concat->getUsers())
        if (auto observer = dyn_cast<ObserveOp>(user))
          if (observer.getRange())
            result = observer;
      if (!result)
        return;
      SmallVector<ObserveOp> inputs;
      for (Value input : concat->getOperands()) {
        ObserveOp observer = findObserverAbove(input);
        if (!observer)
          return;
        inputs.push_back(observer);
      }
      ArrayRef<double> r = *result.getRange();
      double lo = r[0], hi = r[1];
      for (ObserveOp in : inputs) {
        lo = std::min(lo, (*in.getRange())[0]);
        hi = std::max(hi, (*in.getRange())[1]);
      }
      Builder b(&getContext());
      result.setRangeAttr(b.getDenseF64ArrayAttr({lo, hi}));
      for (ObserveOp in : inputs)
        if (in != result)
          share(in, {lo, hi}, result.getId());
    });
    // Chains, in program order, so a source already carries its final
    // (possibly shared) range when its consumers look it up.
    func.walk([&](ObserveOp observer) {
      if (!observer.getRange() || observer.getScaleSource())
        return;
      bool throughRelu = false;
      ObserveOp source = findSource(observer.getX(), throughRelu);
      if (!source)
        return;
      ArrayRef<double> range = *source.getRange();
      if (throughRelu && range[0] < 0)
        return; // keeps its own (non-negative) range
      int64_t root = source.getScaleSource().value_or(source.getId());
      share(observer, {range[0], range[1]}, root);
    });
  }
};

} // namespace
