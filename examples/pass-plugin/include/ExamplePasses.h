//===- ExamplePasses.h - the example plugin's passes ------------*- C++ -*-===//

#ifndef QOPT_EXAMPLE_PASSES_H
#define QOPT_EXAMPLE_PASSES_H

namespace qopt_example {
/// Registers the plugin's passes (ExamplePasses.td) with MLIR's registry.
void registerPasses();
} // namespace qopt_example

#endif // QOPT_EXAMPLE_PASSES_H
