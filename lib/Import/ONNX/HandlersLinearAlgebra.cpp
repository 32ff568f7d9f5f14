//===- HandlersLinearAlgebra.cpp - MatMul, Gemm, Conv, Einsum ----*- C++ -*-===//
//
// The weight-carrying ONNX operators map one to one onto qopt ops.
//
//===----------------------------------------------------------------------===//

#include "OpBinder.h"

using namespace mlir;
using namespace mlir::qopt;
using namespace mlir::qopt::onnx_import;

void onnx_import::populateLinearAlgebraHandlers(OpHandlerRegistry &r) {
  r.onOp("MatMul", 1, generic<MatMulOp>());
  // Gemm-7 made broadcasting of C unidirectional; Gemm-11 made C optional.
  r.onOp("Gemm", 7, generic<GemmOp>());
  r.onOp("Conv", 1, generic<ConvOp>());
  r.onOp("ConvTranspose", 1, generic<ConvTransposeOp>());
  r.onOp("Einsum", 12, generic<EinsumOp>());
}
