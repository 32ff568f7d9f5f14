//===- Plugin.cpp - the entry point qopt-opt's --load-pass-plugin calls ---===//

#include "ExamplePasses.h"

#include "mlir/Tools/Plugins/PassPlugin.h"

#include "llvm/Config/llvm-config.h"

extern "C" LLVM_ATTRIBUTE_WEAK ::mlir::PassPluginLibraryInfo
mlirGetPassPluginInfo() {
  return {MLIR_PLUGIN_API_VERSION, "QOptExamplePlugin", LLVM_VERSION_STRING,
          [] { qopt_example::registerPasses(); }};
}
