//===- CUDACodegen.cpp - CUDA toolkit discovery, PTX and the shim -*- C++ -*-===//
//
// See CUDACodegen.h.
//
//===----------------------------------------------------------------------===//

#include "qopt/Target/CUDA/CUDACodegen.h"

#include "CUDAShimSource.h"

#include "mlir/Dialect/GPU/IR/GPUDialect.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/Process.h"
#include "llvm/Support/Program.h"

using namespace mlir;
using namespace mlir::qopt;

static CUDAToolkit inspect(StringRef path) {
  CUDAToolkit toolkit;
  toolkit.path = path.str();
  auto exists = [&](StringRef relative) {
    SmallString<256> file(path);
    llvm::sys::path::append(file, relative);
    return llvm::sys::fs::exists(file);
  };
  toolkit.hasLibdevice = exists("nvvm/libdevice/libdevice.10.bc");
  toolkit.hasAssembler = exists("bin/ptxas") && exists("bin/fatbinary");
  return toolkit;
}

CUDAToolkit mlir::qopt::findCUDAToolkit(StringRef explicitPath) {
  if (!explicitPath.empty())
    return inspect(explicitPath);
  SmallVector<std::string> candidates;
  for (const char *var : {"CUDA_HOME", "CUDA_PATH"})
    if (std::optional<std::string> value = llvm::sys::Process::GetEnv(var))
      candidates.push_back(*value);
  candidates.push_back("/usr/local/cuda");
  if (llvm::ErrorOr<std::string> ptxas = llvm::sys::findProgramByName("ptxas"))
    candidates.push_back(
        llvm::sys::path::parent_path(llvm::sys::path::parent_path(*ptxas))
            .str());
  for (const std::string &candidate : candidates) {
    if (candidate.empty())
      continue;
    CUDAToolkit toolkit = inspect(candidate);
    if (toolkit.hasLibdevice || toolkit.hasAssembler)
      return toolkit;
  }
  return {};
}

unsigned mlir::qopt::getCUDAArchNumber(StringRef chip) {
  if (!chip.consume_front("sm_"))
    return 0;
  unsigned arch = 0;
  StringRef digits = chip.take_while([](char c) { return llvm::isDigit(c); });
  if (digits.empty() || digits.getAsInteger(10, arch))
    return 0;
  StringRef rest = chip.drop_front(digits.size());
  if (!rest.empty() && rest != "a" && rest != "f")
    return 0;
  return arch;
}

LogicalResult mlir::qopt::writePTX(ModuleOp module, llvm::raw_ostream &os,
                                   std::string &error) {
  unsigned count = 0;
  for (auto binary : module.getOps<gpu::BinaryOp>()) {
    for (Attribute attr : binary.getObjects()) {
      auto object = dyn_cast<gpu::ObjectAttr>(attr);
      if (!object || object.getFormat() != gpu::CompilationTarget::Assembly) {
        error = "GPU module '" + binary.getName().str() +
                "' was not serialized as PTX";
        return failure();
      }
      os << "// qopt: GPU module " << binary.getName() << "\n"
         << object.getObject().getValue();
      ++count;
    }
  }
  // A model that only moves data (Identity, Flatten, a constant) has no
  // kernels: its PTX is empty.
  if (count == 0)
    os << "// qopt: the model has no GPU kernels (it only copies data)\n";
  return success();
}

StringRef mlir::qopt::getCUDAShimSource() { return kCUDAShimSource; }
