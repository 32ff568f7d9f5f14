//===- CPUCodegen.cpp - LLVM dialect -> object -> shared library -*- C++ -*-===//
//
// See CPUCodegen.h.
//
//===----------------------------------------------------------------------===//

#include "qopt/Target/CPU/CPUCodegen.h"

#include "qopt/Target/CPU/ModelABI.h"

#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Target/LLVMIR/Export.h"
#include "llvm/IR/LegacyPassManager.h"
#include "llvm/IR/Module.h"
#include "llvm/MC/TargetRegistry.h"
#include "llvm/Passes/PassBuilder.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/FileUtilities.h"
#include "llvm/Support/Program.h"
#include "llvm/MC/MCSubtargetInfo.h"
#include "llvm/Support/TargetSelect.h"
#include "llvm/Target/TargetMachine.h"
#include "llvm/Target/TargetOptions.h"
#include "llvm/TargetParser/Host.h"

using namespace mlir;
using namespace mlir::qopt;

static std::unique_ptr<llvm::TargetMachine>
createTargetMachine(const CPUTargetOptions &options, std::string &error) {
  llvm::InitializeNativeTarget();
  llvm::InitializeNativeTargetAsmPrinter();
  std::string tripleName = llvm::sys::getDefaultTargetTriple();
  llvm::Triple triple(tripleName);
  const llvm::Target *target =
      llvm::TargetRegistry::lookupTarget(triple, error);
  if (!target)
    return nullptr;
  std::string cpu = options.cpu;
  std::string features;
  if (cpu == "native") {
    cpu = llvm::sys::getHostCPUName().str();
    llvm::StringMap<bool> hostFeatures = llvm::sys::getHostCPUFeatures();
    SmallVector<std::string> list;
    for (const auto &f : hostFeatures)
      list.push_back((f.second ? "+" : "-") + f.first().str());
    llvm::sort(list); // StringMap order is not deterministic
    features = llvm::join(list, ",");
  }
  llvm::TargetOptions targetOptions;
  // Fuse multiply + add into FMA (one rounding; what every fast GEMM does).
  targetOptions.AllowFPOpFusion = llvm::FPOpFusion::Fast;
  auto level = options.optLevel >= 3   ? llvm::CodeGenOptLevel::Aggressive
               : options.optLevel == 2 ? llvm::CodeGenOptLevel::Default
               : options.optLevel == 1 ? llvm::CodeGenOptLevel::Less
                                       : llvm::CodeGenOptLevel::None;
  std::unique_ptr<llvm::TargetMachine> machine(target->createTargetMachine(
      triple, cpu, features, targetOptions, llvm::Reloc::PIC_, std::nullopt,
      level));
  if (!machine)
    error = "cannot create a target machine for cpu '" + cpu + "'";
  return machine;
}

std::unique_ptr<llvm::Module>
mlir::qopt::translateModelToLLVMIR(ModuleOp module,
                                   llvm::LLVMContext &llvmContext,
                                   const CPUTargetOptions &options) {
  auto signature = module->getAttrOfType<StringAttr>(kModelSignatureAttrName);
  if (!signature) {
    module.emitError() << "missing " << kModelSignatureAttrName
                       << " (run qopt-record-model-signature before lowering)";
    return nullptr;
  }
  unsigned numInputs = 0;
  for (StringRef line : llvm::split(signature.getValue(), '\n'))
    if (line.starts_with("input\t"))
      ++numInputs;

  std::unique_ptr<llvm::Module> llvmModule =
      translateModuleToLLVMIR(module, llvmContext, "qopt-model");
  if (!llvmModule) {
    module.emitError() << "translation to LLVM IR failed";
    return nullptr;
  }
  std::string error;
  if (failed(addModelABI(*llvmModule, signature.getValue(), numInputs,
                         error))) {
    module.emitError() << error;
    return nullptr;
  }
  std::unique_ptr<llvm::TargetMachine> machine =
      createTargetMachine(options, error);
  if (!machine) {
    module.emitError() << error;
    return nullptr;
  }
  llvmModule->setDataLayout(machine->createDataLayout());
  llvmModule->setTargetTriple(machine->getTargetTriple());
  // Every function but the ABI is internal, so LLVM can inline and drop it.
  for (llvm::Function &fn : *llvmModule)
    if (!fn.isDeclaration() && !fn.getName().starts_with("qopt_model_"))
      fn.setLinkage(llvm::GlobalValue::InternalLinkage);
  // Tune every function for the chosen CPU.
  for (llvm::Function &fn : *llvmModule) {
    if (fn.isDeclaration())
      continue;
    fn.addFnAttr("target-cpu", machine->getTargetCPU());
    if (!machine->getTargetFeatureString().empty())
      fn.addFnAttr("target-features", machine->getTargetFeatureString());
  }

  llvm::LoopAnalysisManager lam;
  llvm::FunctionAnalysisManager fam;
  llvm::CGSCCAnalysisManager cgam;
  llvm::ModuleAnalysisManager mam;
  llvm::PipelineTuningOptions tuning;
  tuning.LoopVectorization = options.optLevel >= 2;
  tuning.SLPVectorization = options.optLevel >= 2;
  llvm::PassBuilder pb(machine.get(), tuning);
  pb.registerModuleAnalyses(mam);
  pb.registerCGSCCAnalyses(cgam);
  pb.registerFunctionAnalyses(fam);
  pb.registerLoopAnalyses(lam);
  pb.crossRegisterProxies(lam, fam, cgam, mam);
  llvm::OptimizationLevel level = options.optLevel >= 3 ? llvm::OptimizationLevel::O3
                                  : options.optLevel == 2 ? llvm::OptimizationLevel::O2
                                  : options.optLevel == 1 ? llvm::OptimizationLevel::O1
                                                          : llvm::OptimizationLevel::O0;
  llvm::ModulePassManager mpm = level == llvm::OptimizationLevel::O0
                                    ? pb.buildO0DefaultPipeline(level)
                                    : pb.buildPerModuleDefaultPipeline(level);
  mpm.run(*llvmModule, mam);
  return llvmModule;
}

bool mlir::qopt::targetHasFeature(const CPUTargetOptions &options,
                                  StringRef feature) {
  std::string error;
  std::unique_ptr<llvm::TargetMachine> machine =
      createTargetMachine(options, error);
  if (!machine)
    return false;
  const llvm::MCSubtargetInfo *info = machine->getMCSubtargetInfo();
  return info && info->checkFeatures(("+" + feature).str());
}

LogicalResult mlir::qopt::emitObject(llvm::Module &module,
                                     const CPUTargetOptions &options,
                                     llvm::raw_pwrite_stream &os,
                                     std::string &error) {
  std::unique_ptr<llvm::TargetMachine> machine =
      createTargetMachine(options, error);
  if (!machine)
    return failure();
  llvm::legacy::PassManager pm;
  if (machine->addPassesToEmitFile(pm, os, nullptr,
                                   llvm::CodeGenFileType::ObjectFile)) {
    error = "the target cannot emit object files";
    return failure();
  }
  pm.run(module);
  return success();
}

/// C support code linked into every model: the runtime helpers MLIR's
/// lowering calls (upstream ships them in libmlir_c_runner_utils, which a
/// deployed model must not depend on).
static const char kModelSupportSource[] = R"c(
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* Internal to the model: another model loaded into the same process has its
 * own copies. */
#define QOPT_INTERNAL __attribute__((visibility("hidden")))

/* Heap buffers (memref.alloc, lowered with use-generic-functions). A run
 * frees its intermediates before returning and the next run asks for the
 * same sizes again, so freed blocks are kept, keyed by exact size, and handed
 * out again: steady-state runs neither map fresh pages nor fault them in.
 * The cache holds at most kCacheSlots blocks and kCacheBytes bytes; it is
 * released when the model is unloaded. Every block starts with a header
 * {total size, offset to the user pointer} just below the user pointer. */
enum { kCacheSlots = 256 };
static const size_t kCacheBytes = (size_t)1 << 30;
static struct { char *block; size_t size; } cache[kCacheSlots];
static int cacheCount;
static size_t cacheTotal;
static pthread_mutex_t cacheLock = PTHREAD_MUTEX_INITIALIZER;

QOPT_INTERNAL void *_mlir_memref_to_llvm_aligned_alloc(uint64_t alignment, uint64_t size) {
  size_t header = alignment < 64 ? 64 : (size_t)alignment;
  size_t total = (header + (size_t)size + header - 1) / header * header;
  char *block = 0;
  pthread_mutex_lock(&cacheLock);
  for (int i = cacheCount - 1; i >= 0; --i) {
    if (cache[i].size != total || ((uintptr_t)cache[i].block % header) != 0)
      continue;
    block = cache[i].block;
    cacheTotal -= total;
    cache[i] = cache[--cacheCount];
    break;
  }
  pthread_mutex_unlock(&cacheLock);
  if (!block && !(block = (char *)aligned_alloc(header, total)))
    return 0;
  size_t *meta = (size_t *)(block + header) - 2;
  meta[0] = total;
  meta[1] = header;
  return block + header;
}

QOPT_INTERNAL void *_mlir_memref_to_llvm_alloc(uint64_t size) {
  return _mlir_memref_to_llvm_aligned_alloc(64, size);
}

QOPT_INTERNAL void _mlir_memref_to_llvm_free(void *ptr) {
  if (!ptr)
    return;
  size_t *meta = (size_t *)ptr - 2;
  size_t total = meta[0];
  char *block = (char *)ptr - meta[1];
  pthread_mutex_lock(&cacheLock);
  if (cacheCount < kCacheSlots && cacheTotal + total <= kCacheBytes) {
    cache[cacheCount].block = block;
    cache[cacheCount].size = total;
    ++cacheCount;
    cacheTotal += total;
    block = 0;
  }
  pthread_mutex_unlock(&cacheLock);
  free(block);
}

/* ABI: the runtime hands each result buffer back through this. */
void qopt_model_free_result(void *allocated) {
  _mlir_memref_to_llvm_free(allocated);
}

__attribute__((destructor)) static void releaseBufferCache(void) {
  for (int i = 0; i < cacheCount; ++i)
    free(cache[i].block);
  cacheCount = 0;
  cacheTotal = 0;
}

typedef struct { int64_t rank; void *descriptor; } qopt_unranked_memref;

/* memref.copy between layouts that are not both contiguous. Descriptor:
 * { void *allocated, *aligned; int64_t offset, sizes[rank], strides[rank]; } */
QOPT_INTERNAL void memrefCopy(int64_t elemSize, qopt_unranked_memref *src,
                qopt_unranked_memref *dst) {
  int64_t rank = src->rank;
  int64_t *s = (int64_t *)src->descriptor, *d = (int64_t *)dst->descriptor;
  char *sp = *(char **)(s + 1) + s[2] * elemSize;
  char *dp = *(char **)(d + 1) + d[2] * elemSize;
  int64_t *sizes = s + 3, *sstr = s + 3 + rank, *dstr = d + 3 + rank;
  /* Rows contiguous in both: one memcpy per innermost row. */
  int64_t row = 1, outer = rank;
  if (rank > 0 && sstr[rank - 1] == 1 && dstr[rank - 1] == 1) {
    row = sizes[rank - 1];
    outer = rank - 1;
  }
  int64_t index[64] = {0}, total = 1;
  for (int64_t i = 0; i < outer; ++i)
    total *= sizes[i];
  if (row == 0)
    return;
  for (int64_t n = 0; n < total; ++n) {
    int64_t so = 0, dof = 0;
    for (int64_t i = 0; i < outer; ++i) {
      so += index[i] * sstr[i];
      dof += index[i] * dstr[i];
    }
    memcpy(dp + dof * elemSize, sp + so * elemSize, row * elemSize);
    for (int64_t i = outer - 1; i >= 0; --i) {
      if (++index[i] < sizes[i])
        break;
      index[i] = 0;
    }
  }
}
)c";

bool mlir::qopt::usesOpenMP(const llvm::Module &module) {
  for (const llvm::Function &fn : module)
    if (fn.isDeclaration() && fn.getName().starts_with("__kmpc_"))
      return true;
  return false;
}

LogicalResult mlir::qopt::linkSharedLibrary(StringRef objectPath,
                                            StringRef outputPath,
                                            bool useOpenMP,
                                            std::string &error,
                                            StringRef extraSource,
                                            ArrayRef<std::string> extraFlags) {
  llvm::ErrorOr<std::string> cc = llvm::sys::findProgramByName("cc");
  if (!cc)
    cc = llvm::sys::findProgramByName("clang-22");
  if (!cc) {
    error = "no C compiler driver ('cc' or 'clang-22') on PATH to link the "
            "shared library (apt-get install gcc)";
    return failure();
  }
  SmallString<128> supportPath;
  int supportFD;
  if (std::error_code ec = llvm::sys::fs::createTemporaryFile(
          "qopt-model-support", "c", supportFD, supportPath)) {
    error = "cannot create a temporary file: " + ec.message();
    return failure();
  }
  llvm::FileRemover removeSupport(supportPath);
  {
    llvm::raw_fd_ostream os(supportFD, /*shouldClose=*/true);
    os << kModelSupportSource;
  }
  SmallString<128> extraPath;
  std::optional<llvm::FileRemover> removeExtra;
  if (!extraSource.empty()) {
    int extraFD;
    if (std::error_code ec = llvm::sys::fs::createTemporaryFile(
            "qopt-model-extra", "c", extraFD, extraPath)) {
      error = "cannot create a temporary file: " + ec.message();
      return failure();
    }
    removeExtra.emplace(extraPath);
    llvm::raw_fd_ostream os(extraFD, /*shouldClose=*/true);
    os << extraSource;
  }
  SmallVector<StringRef> args = {*cc,         "-shared",     "-O2",
                                 "-fPIC",     "-o",          outputPath,
                                 objectPath,  supportPath,   "-Wl,-O1",
                                 "-Wl,--build-id=none", "-s", "-lm"};
  for (const std::string &flag : extraFlags)
    args.push_back(flag);
  if (!extraSource.empty())
    args.append({extraPath, "-ldl"});
  // Multithreaded models call LLVM's OpenMP runtime (Debian libomp-22-dev).
  static constexpr StringLiteral kOpenMPDir = "/usr/lib/llvm-22/lib";
  std::string openMPRPath = ("-Wl,-rpath," + kOpenMPDir).str();
  std::string openMPLibDir = ("-L" + kOpenMPDir).str();
  if (useOpenMP) {
    if (!llvm::sys::fs::exists(kOpenMPDir + "/libomp.so")) {
      error = "the model is multithreaded but " + kOpenMPDir.str() +
              "/libomp.so is missing (apt-get install libomp-22-dev)";
      return failure();
    }
    args.append({openMPLibDir, "-lomp", openMPRPath});
  }
  std::string message;
  int rc = llvm::sys::ExecuteAndWait(*cc, args, std::nullopt, {}, 0, 0,
                                     &message);
  if (rc != 0) {
    error = "linking with '" + *cc + "' failed" +
            (message.empty() ? "" : ": " + message);
    return failure();
  }
  return success();
}
