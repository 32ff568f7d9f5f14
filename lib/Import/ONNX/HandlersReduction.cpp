//===- HandlersReduction.cpp - reductions, ArgMax, TopK, CumSum --*- C++ -*-===//
//
// Reductions carry their axes as an attribute. Older opsets give `axes` as
// an attribute already; ReduceSum-13 (and every reduction from opset 18)
// gives it as an input, which must then be a constant.
//
//===----------------------------------------------------------------------===//

#include "OpBinder.h"

using namespace mlir;
using namespace mlir::qopt;
using namespace mlir::qopt::onnx_import;

/// Handler for reductions whose axes come as input 1.
template <typename OpTy>
static LogicalResult importReduceAxesInput(OpBinder &binder) {
  SmallVector<NamedAttribute> extra;
  if (binder.getInput(1)) {
    std::optional<SmallVector<int64_t>> axes = binder.getConstantIntsInput(1);
    if (!axes)
      return binder.unimplemented("run-time axes (axes must be a constant)");
    if (!axes->empty())
      extra.push_back(binder.getBuilder().getNamedAttr(
          "axes", binder.getBuilder().getDenseI64ArrayAttr(*axes)));
  }
  return binder.buildOp(OpTy::getOperationName(), binder.getInput(0), extra);
}

template <typename OpTy>
static void onReduce(OpHandlerRegistry &r, StringRef name,
                     int64_t axesInputSince) {
  r.onOp(name, 1, generic<OpTy>());
  r.onOp(name, axesInputSince, importReduceAxesInput<OpTy>);
}

void onnx_import::populateReductionHandlers(OpHandlerRegistry &r) {
  onReduce<ReduceSumOp>(r, "ReduceSum", 13);
  onReduce<ReduceMeanOp>(r, "ReduceMean", 18);
  onReduce<ReduceMaxOp>(r, "ReduceMax", 18);
  onReduce<ReduceMinOp>(r, "ReduceMin", 18);
  onReduce<ReduceProdOp>(r, "ReduceProd", 18);
  onReduce<ReduceL1Op>(r, "ReduceL1", 18);
  onReduce<ReduceL2Op>(r, "ReduceL2", 18);
  onReduce<ReduceSumSquareOp>(r, "ReduceSumSquare", 18);
  onReduce<ReduceLogSumOp>(r, "ReduceLogSum", 18);
  onReduce<ReduceLogSumExpOp>(r, "ReduceLogSumExp", 18);
  r.onOp("ArgMax", 11, generic<ArgMaxOp>());
  r.onOp("ArgMin", 11, generic<ArgMinOp>());
  r.onOp("TopK", 10, generic<TopKOp>());
  r.onOp("CumSum", 11, generic<CumSumOp>());
}
