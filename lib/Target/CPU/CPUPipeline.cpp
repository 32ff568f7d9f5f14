//===- CPUPipeline.cpp - qopt -> LLVM dialect for the host CPU ---*- C++ -*-===//
//
// See CPUPipeline.h. The upstream passes are added by their registered
// pipeline names, which is stable across MLIR releases where the C++ factory
// names are not.
//
//===----------------------------------------------------------------------===//

#include "qopt/Target/CPU/CPUPipeline.h"

#include "qopt/Conversion/Passes.h"
#include "qopt/Target/CPU/Passes.h"

#include "mlir/InitAllPasses.h"
#include "mlir/Pass/PassRegistry.h"

#include <mutex>
#include "mlir/Transforms/Passes.h"

using namespace mlir;
using namespace mlir::qopt;

namespace {

/// Appends a textual pipeline; the pass names are qopt's own choice, so a
/// failure here is a programming error.
void addPipeline(OpPassManager &pm, StringRef text) {
  // Textual pipelines resolve names through the global registry; make sure
  // upstream's passes are in it whoever calls (tools, tests, Python).
  static std::once_flag registered;
  std::call_once(registered, [] { mlir::registerAllPasses(); });
  if (failed(parsePassPipeline(text, pm, llvm::errs())))
    llvm::report_fatal_error("qopt: bad built-in pipeline: " + text);
}

} // namespace

void mlir::qopt::buildCPUTensorPipeline(OpPassManager &pm,
                                        const CPUPipelineOptions &options) {
  pm.addPass(createRecordModelSignaturePass());
  pm.addPass(createConvertQOptToLinalgPass());
  pm.addPass(createCanonicalizerPass());
  pm.addPass(createCSEPass());
  if (options.fuseElementwise) {
    addPipeline(pm, "func.func(linalg-fuse-elementwise-ops)");
    pm.addPass(createCanonicalizerPass());
    pm.addPass(createCSEPass());
  }
}

void mlir::qopt::buildCPULoweringPipeline(OpPassManager &pm,
                                          const CPUPipelineOptions &options) {
  pm.addPass(createMarkEntryPointsPass());
  addPipeline(pm, "eliminate-empty-tensors,empty-tensor-to-alloc-tensor,"
                  "one-shot-bufferize{bufferize-function-boundaries "
                  "function-boundary-type-conversion=identity-layout-map},"
                  "canonicalize");
  addPipeline(pm, "buffer-deallocation-pipeline,convert-bufferization-to-memref");
  addPipeline(pm, "func.func(convert-linalg-to-loops),"
                  "expand-strided-metadata,lower-affine,convert-scf-to-cf,"
                  "canonicalize,cse");
  addPipeline(pm, "func.func(math-expand-ops),convert-math-to-llvm,"
                  "convert-math-to-libm,"
                  "finalize-memref-to-llvm,convert-arith-to-llvm,"
                  "convert-index-to-llvm,convert-cf-to-llvm,"
                  "convert-func-to-llvm,convert-ub-to-llvm,"
                  "reconcile-unrealized-casts,canonicalize");
}

void mlir::qopt::buildCPUPipeline(OpPassManager &pm,
                                  const CPUPipelineOptions &options) {
  buildCPUTensorPipeline(pm, options);
  buildCPULoweringPipeline(pm, options);
}

void mlir::qopt::registerCPUPipelines() {
  PassPipelineRegistration<CPUPipelineOptions>(
      "qopt-cpu-pipeline",
      "Lower qopt IR to the LLVM dialect for the host CPU",
      buildCPUPipeline);
}
