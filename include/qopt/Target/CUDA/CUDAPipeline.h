//===- CUDAPipeline.h - qopt -> NVVM/PTX + host code for NVIDIA GPUs -*- C++ -*-===//
//
// The CUDA pipeline in the shape of upstream's GPUToNVVMPipeline: an options
// struct, build functions for the phases (tensor level: shared with the CPU
// target; buffers: bufferize, place buffers in GPU memory, map linalg ops to
// launches; device: outline kernels and lower them to NVVM; host: lower the
// launches to the mgpu* runtime calls and serialize the GPU modules) and one
// registration (`qopt-opt --qopt-cuda-pipeline`).
//
//===----------------------------------------------------------------------===//

#ifndef QOPT_TARGET_CUDA_CUDAPIPELINE_H
#define QOPT_TARGET_CUDA_CUDAPIPELINE_H

#include "mlir/Pass/PassManager.h"
#include "mlir/Pass/PassOptions.h"

namespace mlir::qopt {

struct CUDAPipelineOptions : public PassPipelineOptions<CUDAPipelineOptions> {
  PassOptions::Option<std::string> chip{
      *this, "chip", llvm::cl::desc("GPU architecture (sm_80, sm_90, ...)"),
      llvm::cl::init("sm_80")};
  PassOptions::Option<std::string> features{
      *this, "features",
      llvm::cl::desc("PTX features (+ptx80, ...); empty: the lowest PTX ISA "
                     "the chip needs (getDefaultPTXFeatures)"),
      llvm::cl::init("")};
  PassOptions::Option<int64_t> optLevel{
      *this, "opt-level", llvm::cl::desc("Device code optimization level"),
      llvm::cl::init(3)};
  PassOptions::Option<std::string> format{
      *this, "format",
      llvm::cl::desc("GPU binary format: isa (PTX, JIT-compiled by the "
                     "driver), bin (cubin) or fatbin (both need ptxas)"),
      llvm::cl::init("isa")};
  PassOptions::Option<std::string> toolkit{
      *this, "toolkit",
      llvm::cl::desc("CUDA toolkit folder (ptxas, fatbinary, libdevice); "
                     "empty: none"),
      llvm::cl::init("")};
  PassOptions::Option<bool> libdevice{
      *this, "libdevice",
      llvm::cl::desc("Math functions call libdevice (linked from the "
                     "toolkit); off: expanded inline"),
      llvm::cl::init(false)};
  PassOptions::Option<int64_t> blockSize{
      *this, "block-size", llvm::cl::desc("Threads per block"),
      llvm::cl::init(256)};
  PassOptions::Option<bool> fuseElementwise{
      *this, "fuse-elementwise",
      llvm::cl::desc("Fuse elementwise linalg ops into their producers"),
      llvm::cl::init(true)};
  PassOptions::Option<bool> emulate{
      *this, "emulate",
      llvm::cl::desc("Testing: run the kernels as host loops "
                     "(qopt-cuda-emulate-on-host) and lower everything for "
                     "the CPU; the result is a CPU model"),
      llvm::cl::init(false)};
  PassOptions::Option<bool> serialize{
      *this, "serialize",
      llvm::cl::desc("Serialize the GPU modules (gpu-module-to-binary); off "
                     "stops with the kernels in the NVVM dialect"),
      llvm::cl::init(true)};
};

/// The PTX feature the chip needs at least: "+ptx80" up to sm_90a,
/// "+ptx86" for sm_100 / sm_101, "+ptx87" for sm_120.
std::string getDefaultPTXFeatures(llvm::StringRef chip);

/// Bufferize, put buffers in GPU memory, map linalg ops to kernels, lower
/// the kernels to NVVM and the host to the LLVM dialect, and serialize.
void buildCUDALoweringPipeline(OpPassManager &pm,
                               const CUDAPipelineOptions &options);

/// The shared tensor phase (qopt -> fused linalg) and the lowering.
void buildCUDAPipeline(OpPassManager &pm, const CUDAPipelineOptions &options);

/// Registers `qopt-cuda-pipeline`.
void registerCUDAPipelines();

} // namespace mlir::qopt

#endif // QOPT_TARGET_CUDA_CUDAPIPELINE_H
