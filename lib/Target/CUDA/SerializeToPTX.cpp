//===- SerializeToPTX.cpp - qopt-cuda-serialize-to-ptx -----------*- C++ -*-===//
//
// gpu.module -> gpu.binary with PTX from LLVM's NVPTX backend, without a
// CUDA toolkit; see Passes.td.
//
//===----------------------------------------------------------------------===//

#include "qopt/Target/CUDA/Passes.h"

#include "mlir/Target/LLVMIR/Export.h"
#include "llvm/IR/LegacyPassManager.h"
#include "llvm/IR/Module.h"
#include "llvm/MC/TargetRegistry.h"
#include "llvm/Passes/PassBuilder.h"
#include "llvm/Support/TargetSelect.h"
#include "llvm/Target/TargetMachine.h"
#include "llvm/Target/TargetOptions.h"

namespace mlir::qopt {
#define GEN_PASS_DEF_SERIALIZETOPTXPASS
#include "qopt/Target/CUDA/Passes.h.inc"
} // namespace mlir::qopt

extern "C" {
void LLVMInitializeNVPTXTargetInfo();
void LLVMInitializeNVPTXTarget();
void LLVMInitializeNVPTXTargetMC();
void LLVMInitializeNVPTXAsmPrinter();
}

using namespace mlir;

namespace {

/// PTX for `module` (already in the NVVM/LLVM dialects) on `target`.
FailureOr<std::string> generatePTX(gpu::GPUModuleOp module,
                                   NVVM::NVVMTargetAttr target) {
  static std::once_flag initialized;
  std::call_once(initialized, [] {
    LLVMInitializeNVPTXTargetInfo();
    LLVMInitializeNVPTXTarget();
    LLVMInitializeNVPTXTargetMC();
    LLVMInitializeNVPTXAsmPrinter();
  });
  llvm::LLVMContext context;
  std::unique_ptr<llvm::Module> llvmModule =
      translateModuleToLLVMIR(module, context, module.getName());
  if (!llvmModule)
    return module.emitError() << "cannot translate the GPU module to LLVM IR";
  llvm::Triple triple(target.getTriple());
  std::string error;
  const llvm::Target *llvmTarget =
      llvm::TargetRegistry::lookupTarget(triple, error);
  if (!llvmTarget)
    return module.emitError() << "no NVPTX backend in this LLVM: " << error;
  int opt = target.getO();
  auto level = opt >= 3   ? llvm::CodeGenOptLevel::Aggressive
               : opt == 2 ? llvm::CodeGenOptLevel::Default
               : opt == 1 ? llvm::CodeGenOptLevel::Less
                          : llvm::CodeGenOptLevel::None;
  std::unique_ptr<llvm::TargetMachine> machine(
      llvmTarget->createTargetMachine(triple, target.getChip(),
                                      target.getFeatures(),
                                      llvm::TargetOptions(), std::nullopt,
                                      std::nullopt, level));
  if (!machine)
    return module.emitError() << "cannot create an NVPTX target machine for "
                              << target.getChip();
  llvmModule->setDataLayout(machine->createDataLayout());
  llvmModule->setTargetTriple(triple);
  if (opt > 0) {
    llvm::LoopAnalysisManager lam;
    llvm::FunctionAnalysisManager fam;
    llvm::CGSCCAnalysisManager cgam;
    llvm::ModuleAnalysisManager mam;
    llvm::PassBuilder pb(machine.get());
    pb.registerModuleAnalyses(mam);
    pb.registerCGSCCAnalyses(cgam);
    pb.registerFunctionAnalyses(fam);
    pb.registerLoopAnalyses(lam);
    pb.crossRegisterProxies(lam, fam, cgam, mam);
    llvm::OptimizationLevel optLevel = opt >= 3   ? llvm::OptimizationLevel::O3
                                       : opt == 2 ? llvm::OptimizationLevel::O2
                                                  : llvm::OptimizationLevel::O1;
    pb.buildPerModuleDefaultPipeline(optLevel).run(*llvmModule, mam);
  }
  std::string ptx;
  {
    llvm::raw_string_ostream stream(ptx);
    llvm::buffer_ostream os(stream);
    llvm::legacy::PassManager pm;
    if (machine->addPassesToEmitFile(pm, os, nullptr,
                                     llvm::CodeGenFileType::AssemblyFile))
      return module.emitError() << "the NVPTX backend cannot emit PTX";
    pm.run(*llvmModule);
  }
  return ptx;
}

struct SerializeToPTXPass
    : mlir::qopt::impl::SerializeToPTXPassBase<SerializeToPTXPass> {
  void runOnOperation() override {
    SmallVector<gpu::GPUModuleOp> modules(
        getOperation().getOps<gpu::GPUModuleOp>());
    for (gpu::GPUModuleOp module : modules) {
      ArrayAttr targets = module.getTargetsAttr();
      auto target = targets && targets.size() == 1
                        ? dyn_cast<NVVM::NVVMTargetAttr>(targets[0])
                        : NVVM::NVVMTargetAttr();
      if (!target) {
        module.emitError() << "expects exactly one #nvvm.target";
        return signalPassFailure();
      }
      FailureOr<std::string> ptx = generatePTX(module, target);
      if (failed(ptx))
        return signalPassFailure();
      OpBuilder builder(module);
      MLIRContext *ctx = &getContext();
      auto object = gpu::ObjectAttr::get(
          ctx, target, gpu::CompilationTarget::Assembly,
          builder.getStringAttr(*ptx), DictionaryAttr(),
          gpu::KernelTableAttr());
      gpu::BinaryOp::create(builder, module.getLoc(), module.getName(),
                            Attribute(), builder.getArrayAttr({object}));
      module.erase();
    }
  }
};

} // namespace
