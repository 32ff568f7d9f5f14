//===- Compiler.cpp - phases, pipelines and artifacts ------------*- C++ -*-===//
//
// The driver logic behind qopt-compile. Each phase appends its passes to one
// PassManager, so `--mlir-print-ir-after-all` and `--mlir-timing` see the
// whole compile. Phases not built yet fail with a message that says so.
//
//===----------------------------------------------------------------------===//

#include "qopt/Compiler/Compiler.h"

#include "qopt/Dialect/QOpt/IR/QOptDialect.h"

#include "mlir/IR/Diagnostics.h"
#include "mlir/Transforms/Passes.h"
#include "llvm/ADT/StringSwitch.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"

using namespace mlir;
using namespace mlir::qopt;

std::optional<EmitKind> mlir::qopt::parseEmitKind(StringRef name) {
  return llvm::StringSwitch<std::optional<EmitKind>>(name)
      .Case("qopt", EmitKind::Qopt)
      .Case("quantized", EmitKind::Quantized)
      .Case("linalg", EmitKind::Linalg)
      .Case("llvm", EmitKind::LLVM)
      .Case("ptx", EmitKind::PTX)
      .Case("obj", EmitKind::Obj)
      .Case("lib", EmitKind::Lib)
      .Default(std::nullopt);
}

StringRef mlir::qopt::stringifyEmitKind(EmitKind kind) {
  switch (kind) {
  case EmitKind::Qopt:
    return "qopt";
  case EmitKind::Quantized:
    return "quantized";
  case EmitKind::Linalg:
    return "linalg";
  case EmitKind::LLVM:
    return "llvm";
  case EmitKind::PTX:
    return "ptx";
  case EmitKind::Obj:
    return "obj";
  case EmitKind::Lib:
    return "lib";
  }
  llvm_unreachable("unknown emit kind");
}

Phase mlir::qopt::getStopPhase(EmitKind kind) {
  switch (kind) {
  case EmitKind::Qopt:
    return Phase::Import;
  case EmitKind::Quantized:
    return Phase::Quantize;
  case EmitKind::Linalg:
  case EmitKind::LLVM:
    return Phase::Lower;
  case EmitKind::PTX:
  case EmitKind::Obj:
  case EmitKind::Lib:
    return Phase::Emit;
  }
  llvm_unreachable("unknown emit kind");
}

StringRef mlir::qopt::stringifyPhase(Phase phase) {
  switch (phase) {
  case Phase::Import:
    return "import";
  case Phase::Calibrate:
    return "calibrate";
  case Phase::Smooth:
    return "smooth";
  case Phase::Propagate:
    return "propagate";
  case Phase::Assign:
    return "assign";
  case Phase::Quantize:
    return "quantize";
  case Phase::Lower:
    return "lower";
  case Phase::Emit:
    return "emit";
  }
  llvm_unreachable("unknown phase");
}

std::optional<Target> mlir::qopt::parseTarget(StringRef name) {
  return llvm::StringSwitch<std::optional<Target>>(name)
      .Case("cpu", Target::CPU)
      .Case("cuda", Target::CUDA)
      .Default(std::nullopt);
}

LogicalResult mlir::qopt::buildPhasePipeline(OpPassManager &pm,
                                             const CompileOptions &options,
                                             Phase stopAfter,
                                             MLIRContext *context) {
  // Import: the importer ran already; clean up what it produced.
  pm.addPass(createCanonicalizerPass());
  pm.addPass(createCSEPass());
  if (stopAfter == Phase::Import)
    return success();
  // Every later phase arrives with its own issue; refuse clearly until then.
  return emitError(UnknownLoc::get(context))
         << "--emit=" << stringifyEmitKind(options.emit)
         << " needs the '" << stringifyPhase(stopAfter)
         << "' phase, which qopt does not implement yet (available: "
            "--emit=qopt)";
}

OwningOpRef<ModuleOp> mlir::qopt::compileModel(StringRef modelPath,
                                               const CompileOptions &options,
                                               MLIRContext *context,
                                               PassManager *passManager) {
  OwningOpRef<ModuleOp> module =
      importONNXFile(modelPath, context, options.import);
  if (!module)
    return nullptr;
  PassManager localPm(context);
  PassManager &pm = passManager ? *passManager : localPm;
  if (failed(buildPhasePipeline(pm, options, getStopPhase(options.emit),
                                context)) ||
      failed(pm.run(*module)))
    return nullptr;
  return module;
}

LogicalResult mlir::qopt::emitArtifact(ModuleOp module,
                                       const CompileOptions &options,
                                       StringRef outputPath) {
  if (options.emit != EmitKind::Qopt)
    return module.emitError() << "--emit=" << stringifyEmitKind(options.emit)
                              << " is not implemented yet";
  if (outputPath == "-") {
    module.print(llvm::outs());
    return success();
  }
  // Write next to the destination, then rename: no partial files.
  llvm::Expected<llvm::sys::fs::TempFile> temp =
      llvm::sys::fs::TempFile::create(outputPath + ".tmp-%%%%%%");
  if (!temp) {
    std::string message = llvm::toString(temp.takeError());
    return module.emitError() << "cannot write '" << outputPath
                              << "': " << message;
  }
  {
    llvm::raw_fd_ostream os(temp->FD, /*shouldClose=*/false);
    module.print(os);
    os.flush();
    if (os.has_error()) {
      std::string message = os.error().message();
      os.clear_error();
      llvm::consumeError(temp->discard());
      return module.emitError()
             << "cannot write '" << outputPath << "': " << message;
    }
  }
  if (llvm::Error error = temp->keep(outputPath)) {
    std::string message = llvm::toString(std::move(error));
    return module.emitError()
           << "cannot write '" << outputPath << "': " << message;
  }
  return success();
}
