//===- QOptDialect.h - qopt dialect -------------------------------*- C++ -*-===//
//
// The qopt dialect: graph-level ops with ONNX semantics. Include this header
// to use the dialect, its attributes, interfaces and ops.
//
//===----------------------------------------------------------------------===//

#ifndef QOPT_DIALECT_QOPT_IR_QOPTDIALECT_H
#define QOPT_DIALECT_QOPT_IR_QOPTDIALECT_H

#include "mlir/Bytecode/BytecodeOpInterface.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Quant/IR/Quant.h"
#include "mlir/Dialect/Traits.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/Dialect.h"
#include "mlir/IR/OpDefinition.h"
#include "mlir/IR/OpImplementation.h"
#include "mlir/IR/SymbolTable.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"

#include "qopt/Dialect/QOpt/IR/QOptDialect.h.inc"
#include "qopt/Dialect/QOpt/IR/QOptEnums.h.inc"

#define GET_ATTRDEF_CLASSES
#include "qopt/Dialect/QOpt/IR/QOptAttrs.h.inc"

#include "qopt/Dialect/QOpt/IR/QOptInterfaces.h.inc"

namespace mlir::qopt {
/// Marks an op whose result may carry its input's quantization scale and zero
/// point unchanged (see QOpt_ScalePreserving in QOptBase.td).
template <typename ConcreteType>
class ScalePreservingTrait
    : public ::mlir::OpTrait::TraitBase<ConcreteType, ScalePreservingTrait> {};

/// Returns true when `op` passes its input's quantization scale through.
inline bool isScalePreserving(Operation *op) {
  return op->hasTrait<ScalePreservingTrait>();
}

/// The storage integer type of a `!quant` element type as the dialect
/// spells ONNX's: ui8 for `!quant.uniform<u8:...>`, signless i8 for
/// `!quant.uniform<i8:...>`; any other type as is.
Type getStorageTypeOrSelf(Type type);
} // namespace mlir::qopt

#define GET_OP_CLASSES
#include "qopt/Dialect/QOpt/IR/QOptOps.h.inc"

#endif // QOPT_DIALECT_QOPT_IR_QOPTDIALECT_H
