//===- InitAll.h - register everything qopt provides --------------*- C++ -*-===//
//
// One place that registers the dialects, passes and pipelines qopt's tools
// and library users need.
//
//===----------------------------------------------------------------------===//

#ifndef QOPT_INITALL_H
#define QOPT_INITALL_H

namespace mlir {
class DialectRegistry;
} // namespace mlir

namespace mlir::qopt {

/// Adds the qopt dialect and the upstream dialects qopt IR uses.
void registerAllDialects(DialectRegistry &registry);

/// Registers qopt's passes and the upstream passes its pipelines use.
void registerAllPasses();

} // namespace mlir::qopt

#endif // QOPT_INITALL_H
