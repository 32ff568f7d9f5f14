//===- CPUPipeline.h - qopt -> LLVM dialect for the host CPU -----*- C++ -*-===//
//
// The CPU pipeline in the shape of upstream's GPUToNVVMPipeline: an options
// struct, build functions for its two halves (tensor level: lower qopt to
// linalg and fuse; buffer level: bufferize and lower to the LLVM dialect) and
// one registration (`qopt-opt --qopt-cpu-pipeline`).
//
//===----------------------------------------------------------------------===//

#ifndef QOPT_TARGET_CPU_CPUPIPELINE_H
#define QOPT_TARGET_CPU_CPUPIPELINE_H

#include "mlir/Pass/PassManager.h"
#include "mlir/Pass/PassOptions.h"

namespace mlir::qopt {

struct CPUPipelineOptions : public PassPipelineOptions<CPUPipelineOptions> {
  PassOptions::Option<bool> fuseElementwise{
      *this, "fuse-elementwise",
      llvm::cl::desc("Fuse elementwise linalg ops into their producers"),
      llvm::cl::init(true)};
  PassOptions::Option<int64_t> minParallelWork{
      *this, "min-parallel-work",
      llvm::cl::desc("Ops with less work (loop-range product; contractions "
                     "count 1/16 per iteration, integer ones 1/64) stay "
                     "single-threaded"),
      llvm::cl::init(32768)};
  PassOptions::Option<bool> vnni{
      *this, "vnni",
      llvm::cl::desc("The target has AVX-512 VNNI (u8 x s8 matmuls use "
                     "vpdpbusd); qopt-compile sets it from --cpu"),
      llvm::cl::init(false)};
  PassOptions::Option<bool> avx2Int8{
      *this, "avx2-int8",
      llvm::cl::desc("Without vnni: u8 x s8 matmuls / convs whose weights' "
                     "byte pairs fit i16 sums use the AVX2 kernels; "
                     "qopt-compile sets it from --cpu"),
      llvm::cl::init(false)};
  PassOptions::Option<bool> nativeRoundEven{
      *this, "native-roundeven",
      llvm::cl::desc("The target rounds half to even in one instruction "
                     "(SSE4.1): math.roundeven stays an LLVM intrinsic; "
                     "qopt-compile sets it from --cpu"),
      llvm::cl::init(true)};
  PassOptions::Option<bool> vectorize{
      *this, "vectorize",
      llvm::cl::desc("Tile and vectorize linalg ops (off: scalar loops)"),
      llvm::cl::init(true)};
};

/// Appends the textual pass pipeline `text` (upstream passes by their
/// registered names, which are stable across MLIR releases where the C++
/// factories are not) to `pm`. The text is qopt's own: a parse failure is a
/// programming error and aborts.
void addTextualPipeline(OpPassManager &pm, llvm::StringRef text);

/// qopt -> linalg on tensors, canonicalized and fused.
void buildCPUTensorPipeline(OpPassManager &pm,
                            const CPUPipelineOptions &options);

/// linalg on tensors -> bufferized loops -> the LLVM dialect. The entry
/// function gets a C interface (`_mlir_ciface_main`) that the emitted
/// `qopt_model_run` wrapper calls.
void buildCPULoweringPipeline(OpPassManager &pm,
                              const CPUPipelineOptions &options);

/// The part of buildCPULoweringPipeline after bufferization: bufferized
/// loops and linalg ops on memrefs -> the LLVM dialect (the CUDA target's
/// host emulation reuses it).
void buildCPUBufferLoweringPipeline(OpPassManager &pm,
                                    const CPUPipelineOptions &options);

/// Both halves.
void buildCPUPipeline(OpPassManager &pm, const CPUPipelineOptions &options);

/// Registers `qopt-cpu-pipeline`.
void registerCPUPipelines();

} // namespace mlir::qopt

#endif // QOPT_TARGET_CPU_CPUPIPELINE_H
