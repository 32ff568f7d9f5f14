//===- NodeNames.h - the ONNX node name of an op -------------------*- C++ -*-===//
//
// The importer locates each op at NameLoc(node name, file location), fused
// with others after rewrites. Observers, the report and per-layer
// overrides (--keep-float) name ops by it.
//
//===----------------------------------------------------------------------===//

#ifndef QOPT_QUANTIZATION_NODENAMES_H
#define QOPT_QUANTIZATION_NODENAMES_H

#include "mlir/IR/Location.h"
#include "mlir/IR/Operation.h"

#include <string>

namespace mlir::qopt {

/// The name of the ONNX node `op` was imported from (its NameLoc, also
/// inside a FusedLoc); the op's name (`qopt.matmul`) when it has none.
inline std::string getNodeName(Operation *op) {
  Location loc = op->getLoc();
  if (auto fused = dyn_cast<FusedLoc>(loc))
    for (Location inner : fused.getLocations())
      if (isa<NameLoc>(inner)) {
        loc = inner;
        break;
      }
  if (auto named = dyn_cast<NameLoc>(loc))
    return named.getName().str();
  return op->getName().getStringRef().str();
}

} // namespace mlir::qopt

#endif // QOPT_QUANTIZATION_NODENAMES_H
