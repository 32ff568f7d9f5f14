//===- QOptDialect.cpp - qopt dialect registration --------------*- C++ -*-===//
//
// Registers the qopt dialect's ops and attributes, and materializes folded
// constants as qopt.constant.
//
//===----------------------------------------------------------------------===//

#include "qopt/Dialect/QOpt/IR/QOptDialect.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/DialectImplementation.h"
#include "llvm/ADT/TypeSwitch.h"

using namespace mlir;
using namespace mlir::qopt;

#include "qopt/Dialect/QOpt/IR/QOptDialect.cpp.inc"
#include "qopt/Dialect/QOpt/IR/QOptEnums.cpp.inc"

#define GET_ATTRDEF_CLASSES
#include "qopt/Dialect/QOpt/IR/QOptAttrs.cpp.inc"

void QOptDialect::initialize() {
  addOperations<
#define GET_OP_LIST
#include "qopt/Dialect/QOpt/IR/QOptOps.cpp.inc"
      >();
  addAttributes<
#define GET_ATTRDEF_LIST
#include "qopt/Dialect/QOpt/IR/QOptAttrs.cpp.inc"
      >();
}

Operation *QOptDialect::materializeConstant(OpBuilder &builder, Attribute value,
                                            Type type, Location loc) {
  auto elements = dyn_cast<ElementsAttr>(value);
  if (!elements || elements.getType() != type)
    return nullptr;
  return ConstantOp::create(builder, loc, type, elements);
}
