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

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/InitAllPasses.h"
#include "mlir/Pass/PassRegistry.h"

#include <mutex>
#include "mlir/Transforms/Passes.h"

using namespace mlir;
using namespace mlir::qopt;

void mlir::qopt::addTextualPipeline(OpPassManager &pm, StringRef text) {
  // Textual pipelines resolve names through the global registry; make sure
  // upstream's passes are in it whoever calls (tools, tests, Python).
  static std::once_flag registered;
  std::call_once(registered, [] { mlir::registerAllPasses(); });
  if (failed(parsePassPipeline(text, pm, llvm::errs())))
    llvm::report_fatal_error("qopt: bad built-in pipeline: " + text);
}

static void addPipeline(OpPassManager &pm, StringRef text) {
  addTextualPipeline(pm, text);
}

void mlir::qopt::buildCPUTensorPipeline(OpPassManager &pm,
                                        const CPUPipelineOptions &options) {
  pm.addPass(createRecordModelSignaturePass());
  pm.addPass(createConvertQOptToLinalgPass());
  pm.addPass(createCanonicalizerPass());
  pm.addPass(createCSEPass());
  if (options.fuseElementwise) {
    pm.addNestedPass<func::FuncOp>(createFuseElementwisePass());
    pm.addPass(createCanonicalizerPass());
    pm.addPass(createCSEPass());
  }
}

/// Register-tiled, vectorized linalg (tensors); scalar otherwise.
static void addCodegenStrategy(OpPassManager &pm,
                               const CPUPipelineOptions &options) {
  if (!options.vectorize)
    return;
  TileAndVectorizePassOptions tiling;
  tiling.minParallelWork = options.minParallelWork;
  tiling.vnni = options.vnni;
  tiling.avx2Int8 = options.avx2Int8;
  pm.addNestedPass<func::FuncOp>(createTileAndVectorizePass(tiling));
  pm.addPass(createCanonicalizerPass());
  pm.addPass(createCSEPass());
  // Keep contraction accumulators in registers across the K loop: hoist the
  // tile's transfer_read/transfer_write pair into loop-carried vectors.
  pm.addPass(createLoopInvariantCodeMotionPass());
  pm.addNestedPass<func::FuncOp>(createHoistAccumulatorsPass());
  pm.addPass(createCanonicalizerPass());
}

void mlir::qopt::buildCPULoweringPipeline(OpPassManager &pm,
                                          const CPUPipelineOptions &options) {
  addCodegenStrategy(pm, options);
  pm.addPass(createMarkEntryPointsPass());
  addPipeline(pm, "eliminate-empty-tensors,empty-tensor-to-alloc-tensor,"
                  "one-shot-bufferize{bufferize-function-boundaries "
                  "function-boundary-type-conversion=identity-layout-map},"
                  "canonicalize");
  addPipeline(pm, "buffer-deallocation-pipeline,convert-bufferization-to-memref");
  buildCPUBufferLoweringPipeline(pm, options);
}

void mlir::qopt::buildCPUBufferLoweringPipeline(
    OpPassManager &pm, const CPUPipelineOptions &options) {
  pm.addNestedPass<func::FuncOp>(createLowerTargetOpsPass());
  if (options.vectorize) {
    pm.addNestedPass<func::FuncOp>(createParallelizeLoopsPass());
    // Canonicalization inlines the memref.alloca_scope wrappers the OpenMP
    // conversion adds (their bodies allocate nothing), which scf-to-cf would
    // otherwise break into invalid multi-block regions.
    addPipeline(pm, "convert-scf-to-openmp,canonicalize");
  }
  addPipeline(pm, "func.func(convert-linalg-to-loops),"
                  "func.func(lower-vector-mask),"
                  "func.func(lower-vector-multi-reduction),"
                  "convert-vector-to-scf{full-unroll=true},"
                  "expand-strided-metadata,lower-affine,convert-scf-to-cf,"
                  "canonicalize,cse");
  pm.addNestedPass<func::FuncOp>(createExpandMathPass());
  addPipeline(pm, "convert-vector-to-llvm{vector-contract-lowering="
                  "outerproduct vector-transpose-lowering=shuffle1d}");
  // With SSE4.1 roundeven (quantize_linear's rounding) is one instruction
  // (vroundps / vrndscaleps), so math-expand-ops leaves it alone; without
  // it LLVM would call libm per element, so it is expanded too.
  addPipeline(pm, options.nativeRoundEven
                      ? "func.func(math-expand-ops{ops=ctlz,tan,sinh,cosh,"
                        "asinh,acosh,atanh,tanh,fma,ceil,exp2,fpowi,powf,"
                        "round,rsqrt,clampf})"
                      : "func.func(math-expand-ops)");
  addPipeline(pm, "convert-math-to-llvm,"
                  "convert-math-to-libm,"
                  "finalize-memref-to-llvm{use-generic-functions=true},"
                  "convert-arith-to-llvm,"
                  "convert-index-to-llvm,convert-cf-to-llvm,"
                  "convert-func-to-llvm,convert-ub-to-llvm,"
                  "convert-openmp-to-llvm,"
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
