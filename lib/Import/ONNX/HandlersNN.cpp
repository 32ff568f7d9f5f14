//===- HandlersNN.cpp - normalization, pooling, resize -----------*- C++ -*-===//
//
// BatchNormalization's training outputs are reported as unimplemented;
// LayerNormalization's optional Mean / InvStdDev outputs are imported.
//
//===----------------------------------------------------------------------===//

#include "OpBinder.h"

using namespace mlir;
using namespace mlir::qopt;
using namespace mlir::qopt::onnx_import;

static LogicalResult importLayerNorm(OpBinder &binder) {
  return binder.buildGeneric(LayerNormalizationOp::getOperationName());
}

static LogicalResult importBatchNorm(OpBinder &binder) {
  if (binder.getIntAttr("training_mode").value_or(0) != 0 ||
      binder.getNumOutputs() > 1)
    return binder.unimplemented("training mode (running mean/var outputs)");
  return binder.buildGeneric(BatchNormalizationOp::getOperationName(), {},
                             {"training_mode"});
}

void onnx_import::populateNNHandlers(OpHandlerRegistry &r) {
  r.onOp("LayerNormalization", 17, importLayerNorm);
  r.onOp("BatchNormalization", 9, importBatchNorm);
  r.onOp("InstanceNormalization", 6, generic<InstanceNormalizationOp>());
  r.onOp("LpNormalization", 1, generic<LpNormalizationOp>());
  // MaxPool-8 added the Indices output; AveragePool-7 count_include_pad.
  r.onOp("MaxPool", 8, generic<MaxPoolOp>());
  r.onOp("AveragePool", 7, generic<AveragePoolOp>());
  r.onOp("GlobalAveragePool", 1, generic<GlobalAveragePoolOp>());
  r.onOp("GlobalMaxPool", 1, generic<GlobalMaxPoolOp>());
  r.onOp("Resize", 11, generic<ResizeOp>());
  r.onOp("DepthToSpace", 1, generic<DepthToSpaceOp>());
  r.onOp("SpaceToDepth", 1, generic<SpaceToDepthOp>());
}
