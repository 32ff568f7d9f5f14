//===- ScalarConstant.h - rank-0 qopt.constant ---------------------*- C++ -*-===//
//
// The quantization passes build scales and zero points as rank-0 constants.
//
//===----------------------------------------------------------------------===//

#ifndef QOPT_LIB_QUANTIZATION_SCALARCONSTANT_H
#define QOPT_LIB_QUANTIZATION_SCALARCONSTANT_H

#include "qopt/Dialect/QOpt/IR/QOptDialect.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinAttributes.h"

namespace mlir::qopt {

/// A `qopt.constant` of type tensor<elem> holding `value`.
inline Value createScalarConstant(OpBuilder &b, Location loc, Type elem,
                                  Attribute value) {
  return ConstantOp::create(
      b, loc, DenseElementsAttr::get(RankedTensorType::get({}, elem), value));
}

} // namespace mlir::qopt

#endif // QOPT_LIB_QUANTIZATION_SCALARCONSTANT_H
