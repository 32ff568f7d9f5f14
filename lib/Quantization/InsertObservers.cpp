//===- InsertObservers.cpp - qopt-insert-observers ---------------*- C++ -*-===//
//
// See Passes.td. Every float tensor a quantizable op reads as an activation
// or produces gets one qopt.observe, numbered in program order.
//
//===----------------------------------------------------------------------===//

#include "qopt/Quantization/Passes.h"
#include "qopt/Quantization/NodeNames.h"

#include "mlir/IR/Matchers.h"

namespace mlir::qopt {
#define GEN_PASS_DEF_INSERTOBSERVERSPASS
#include "qopt/Quantization/Passes.h.inc"
} // namespace mlir::qopt

using namespace mlir;
using namespace mlir::qopt;

namespace {

/// The ONNX name of `value`: the argument's qopt.name, or the producing
/// node's name (NameLoc) with `:N` for result N of a multi-result node.
std::string getValueName(Value value) {
  if (auto arg = dyn_cast<BlockArgument>(value)) {
    if (auto func =
            dyn_cast<func::FuncOp>(arg.getOwner()->getParentOp()))
      if (auto name = func.getArgAttrOfType<StringAttr>(arg.getArgNumber(),
                                                        "qopt.name"))
        return name.getValue().str();
    return "arg" + std::to_string(arg.getArgNumber());
  }
  auto result = cast<OpResult>(value);
  Operation *op = result.getOwner();
  std::string name = getNodeName(op);
  if (op->getNumResults() > 1)
    name += ":" + std::to_string(result.getResultNumber());
  return name;
}

bool isObservableFloat(Value value) {
  auto type = dyn_cast<TensorType>(value.getType());
  return type && isa<FloatType>(type.getElementType()) &&
         !matchPattern(value, m_Constant());
}

struct InsertObserversPass
    : mlir::qopt::impl::InsertObserversPassBase<InsertObserversPass> {
  void runOnOperation() override {
    func::FuncOp func = getOperation();
    OpBuilder builder(&getContext());
    int64_t nextId = 0;
    func.walk([&](ObserveOp op) {
      nextId = std::max(nextId, static_cast<int64_t>(op.getId()) + 1);
    });
    // One observer per value; a value already observed is reused.
    llvm::DenseMap<Value, ObserveOp> observers;
    auto observe = [&](Value value, int64_t channelAxis) -> ObserveOp {
      if (auto existing = value.getDefiningOp<ObserveOp>())
        return existing;
      if (ObserveOp known = observers.lookup(value))
        return known;
      if (auto arg = dyn_cast<BlockArgument>(value))
        builder.setInsertionPointToStart(arg.getOwner());
      else
        builder.setInsertionPointAfter(value.getDefiningOp());
      auto op = ObserveOp::create(
          builder, value.getLoc(), value, builder.getI64IntegerAttr(nextId++),
          builder.getStringAttr(getValueName(value)),
          channelAxis >= 0 ? builder.getI64IntegerAttr(channelAxis)
                           : IntegerAttr(),
          FloatAttr(), FloatAttr(), IntegerAttr(), DenseF32ArrayAttr(),
          DenseF32ArrayAttr(), StringAttr(), DenseF64ArrayAttr(),
          IntegerAttr(), FloatAttr(), UnitAttr());
      observers[value] = op;
      return op;
    };
    func.walk([&](QuantizableOpInterface quantizable) {
      Operation *op = quantizable.getOperation();
      // Activations: the declared ones, and a weight operand that is not a
      // constant (attention's K and V).
      SmallVector<unsigned> operands =
          quantizable.getActivationOperandIndices();
      unsigned weight = quantizable.getWeightOperandIndex();
      if (!llvm::is_contained(operands, weight))
        operands.push_back(weight);
      llvm::sort(operands);
      for (unsigned index : operands) {
        if (index >= op->getNumOperands())
          continue;
        Value value = op->getOperand(index);
        if (!isObservableFloat(value))
          continue;
        int64_t axis = quantizable.getReductionChannelAxis(index);
        // Already observed as a producer's result: add the axis this
        // consumer reduces over (the first consumer's, when several).
        if (auto existing = value.getDefiningOp<ObserveOp>()) {
          if (!existing.getChannelAxis() && axis >= 0)
            existing.setChannelAxis(axis);
          continue;
        }
        ObserveOp observer = observe(value, axis);
        op->setOperand(index, observer.getResult());
      }
      for (Value result : op->getResults()) {
        if (!isObservableFloat(result))
          continue;
        bool observed = llvm::any_of(result.getUsers(), [](Operation *user) {
          return isa<ObserveOp>(user);
        });
        if (observed || result.use_empty())
          continue;
        ObserveOp observer = observe(result, -1);
        result.replaceAllUsesExcept(observer.getResult(), observer);
      }
    });
  }
};

} // namespace
