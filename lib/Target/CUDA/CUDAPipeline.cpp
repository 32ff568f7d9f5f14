//===- CUDAPipeline.cpp - qopt -> NVVM/PTX + host code -----------*- C++ -*-===//
//
// See CUDAPipeline.h. Upstream passes are added by their registered names,
// as in the CPU pipeline.
//
//===----------------------------------------------------------------------===//

#include "qopt/Target/CUDA/CUDAPipeline.h"

#include "qopt/Target/CPU/CPUPipeline.h"
#include "qopt/Target/CPU/Passes.h"
#include "qopt/Target/CUDA/Passes.h"

#include "mlir/Pass/PassRegistry.h"
#include "llvm/ADT/StringExtras.h"
#include "mlir/Transforms/Passes.h"


using namespace mlir;
using namespace mlir::qopt;

static void addPipeline(OpPassManager &pm, const std::string &text) {
  addTextualPipeline(pm, text);
}

std::string mlir::qopt::getDefaultPTXFeatures(StringRef chip) {
  StringRef digits = chip;
  digits.consume_front("sm_");
  unsigned arch = 0;
  digits.take_while([](char c) { return llvm::isDigit(c); }).getAsInteger(10, arch);
  if (arch >= 120)
    return "+ptx87";
  if (arch >= 100)
    return "+ptx86";
  return "+ptx80";
}

void mlir::qopt::buildCUDALoweringPipeline(OpPassManager &pm,
                                           const CUDAPipelineOptions &options) {
  // Buffers, as on the CPU: the entry gets a C interface for the model ABI.
  pm.addPass(createMarkEntryPointsPass());
  addPipeline(pm, "eliminate-empty-tensors,empty-tensor-to-alloc-tensor,"
                  "one-shot-bufferize{bufferize-function-boundaries "
                  "function-boundary-type-conversion=identity-layout-map},"
                  "canonicalize,buffer-deallocation-pipeline,"
                  "convert-bufferization-to-memref,canonicalize");
  // GPU memory, one launch per linalg op, kernels outlined into a
  // gpu.module; the host's GPU calls chain on one stream.
  pm.addPass(createPlaceBuffersPass());
  MapToLaunchesPassOptions mapping;
  mapping.blockSize = options.blockSize;
  // Host emulation runs threads one after another: no warp-wide mma.
  mapping.tensorCores = !options.emulate;
  pm.addNestedPass<func::FuncOp>(createMapToLaunchesPass(mapping));
  if (options.emulate) {
    pm.addPass(createEmulateOnHostPass());
    CPUPipelineOptions host;
    host.vectorize = false;
    addPipeline(pm, "canonicalize,cse");
    buildCPUBufferLoweringPipeline(pm, host);
    return;
  }
  // Without libdevice, math functions become polynomials (upstream's
  // approximations, as on the CPU) and LLVM intrinsics NVPTX selects.
  if (!options.libdevice) {
    addPipeline(pm, "func.func(math-expand-ops)");
    pm.addNestedPass<func::FuncOp>(createExpandMathPass());
  }
  addPipeline(pm, "canonicalize,cse,gpu-kernel-outlining");
  pm.addPass(createMergeKernelModulesPass());
  addPipeline(pm, "func.func(gpu-async-region)");
  std::string features = options.features.empty()
                             ? getDefaultPTXFeatures(options.chip)
                             : std::string(options.features);
  addPipeline(pm, "nvvm-attach-target{chip=" + options.chip +
                      " features=" + features +
                      " O=" + std::to_string(options.optLevel) + "}");
  // Device code: kernels to NVVM + LLVM.
  addPipeline(pm, "gpu.module(expand-strided-metadata,lower-affine,"
                  "convert-scf-to-cf)");
  if (!options.libdevice)
    pm.nest<gpu::GPUModuleOp>().addPass(createMathToIntrinsicsPass());
  addPipeline(pm, "gpu.module(convert-gpu-to-nvvm,convert-arith-to-llvm,"
                  "convert-index-to-llvm,canonicalize,cse,"
                  "reconcile-unrealized-casts)");
  CheckDeviceCodePassOptions check;
  check.allowLibdevice = options.libdevice;
  pm.addPass(createCheckDeviceCodePass(check));
  // Host code: weights, GPU calls (mgpu*), everything else as on the CPU.
  pm.addPass(createLowerDeviceGlobalsPass());
  addPipeline(pm, "expand-strided-metadata,lower-affine,convert-scf-to-cf,"
                  "finalize-memref-to-llvm{use-generic-functions=true},"
                  "convert-math-to-llvm,convert-math-to-libm,"
                  "convert-arith-to-llvm,convert-index-to-llvm,"
                  "convert-cf-to-llvm,convert-func-to-llvm,gpu-to-llvm,"
                  "convert-ub-to-llvm,reconcile-unrealized-casts,canonicalize");
  if (!options.serialize)
    return;
  // Upstream's serializer wants a toolkit with libdevice (even for PTX);
  // without one, qopt's own makes the PTX. (cubin/fatbin without libdevice
  // are left to upstream, which reports what is missing.)
  if (!options.libdevice && options.format == "isa") {
    pm.addPass(createSerializeToPTXPass());
    return;
  }
  std::string binary = "gpu-module-to-binary{format=" + options.format;
  if (!options.toolkit.empty())
    binary += " toolkit=" + options.toolkit;
  addPipeline(pm, binary + "}");
}

void mlir::qopt::buildCUDAPipeline(OpPassManager &pm,
                                   const CUDAPipelineOptions &options) {
  // The tensor phase is the target-independent one the CPU pipeline
  // starts with (qopt -> linalg, elementwise fusion).
  CPUPipelineOptions tensor;
  tensor.fuseElementwise = options.fuseElementwise;
  buildCPUTensorPipeline(pm, tensor);
  buildCUDALoweringPipeline(pm, options);
}

void mlir::qopt::registerCUDAPipelines() {
  PassPipelineRegistration<CUDAPipelineOptions>(
      "qopt-cuda-pipeline",
      "Lower qopt IR to NVVM/PTX kernels and host code calling the mgpu* "
      "runtime",
      buildCUDAPipeline);
}
