//===- HandlersQuantization.cpp - ONNX quantization operators ----*- C++ -*-===//
//
// QDQ (QuantizeLinear / DequantizeLinear) and QOperator (QLinearMatMul,
// QLinearConv, MatMulInteger, ConvInteger) models import op for op.
//
//===----------------------------------------------------------------------===//

#include "OpBinder.h"

using namespace mlir;
using namespace mlir::qopt;
using namespace mlir::qopt::onnx_import;

void onnx_import::populateQuantizationHandlers(OpHandlerRegistry &r) {
  // Opset 10 quantizes per tensor only; 13 adds `axis` (per axis).
  r.onOp("QuantizeLinear", 10, generic<QuantizeLinearOp>());
  r.onOp("DequantizeLinear", 10, generic<DequantizeLinearOp>());
  r.onOp("DynamicQuantizeLinear", 11, generic<DynamicQuantizeLinearOp>());
  r.onOp("MatMulInteger", 10, generic<MatMulIntegerOp>());
  r.onOp("QLinearMatMul", 10, generic<QLinearMatMulOp>());
  r.onOp("ConvInteger", 10, generic<ConvIntegerOp>());
  r.onOp("QLinearConv", 10, generic<QLinearConvOp>());
}
