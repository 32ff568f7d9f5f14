//===- Compiler.cpp - phases, pipelines and artifacts ------------*- C++ -*-===//
//
// The driver logic behind qopt-compile. Each phase appends its passes to one
// PassManager, so `--mlir-print-ir-after-all` and `--mlir-timing` see the
// whole compile. Phases not built yet fail with a message that says so.
//
//===----------------------------------------------------------------------===//

#include "qopt/Compiler/Compiler.h"

#include "qopt/Dialect/QOpt/IR/QOptDialect.h"
#include "qopt/Quantization/Passes.h"
#include "qopt/Target/CPU/CPUPipeline.h"
#include "qopt/Target/CUDA/CUDACodegen.h"
#include "qopt/Target/CUDA/CUDAPipeline.h"

#include "mlir/IR/Diagnostics.h"
#include "mlir/Transforms/Passes.h"
#include "llvm/ADT/StringSwitch.h"
#include "llvm/Support/Regex.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/IR/LLVMContext.h"
#include "llvm/IR/Module.h"
#include "llvm/Support/FileUtilities.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/Program.h"

using namespace mlir;
using namespace mlir::qopt;

std::optional<EmitKind> mlir::qopt::parseEmitKind(StringRef name) {
  return llvm::StringSwitch<std::optional<EmitKind>>(name)
      .Case("qopt", EmitKind::Qopt)
      .Case("calibrated", EmitKind::Calibrated)
      .Case("quantized", EmitKind::Quantized)
      .Case("linalg", EmitKind::Linalg)
      .Case("llvm", EmitKind::LLVM)
      .Case("ptx", EmitKind::PTX)
      .Case("obj", EmitKind::Obj)
      .Case("lib", EmitKind::Lib)
      .Default(std::nullopt);
}

EmitKind mlir::qopt::getDefaultEmitKind(StringRef outputPath) {
  return llvm::StringSwitch<EmitKind>(llvm::sys::path::extension(outputPath))
      .Case(".so", EmitKind::Lib)
      .Case(".o", EmitKind::Obj)
      .Case(".ll", EmitKind::LLVM)
      .Case(".ptx", EmitKind::PTX)
      .Default(EmitKind::Qopt);
}

StringRef mlir::qopt::stringifyEmitKind(EmitKind kind) {
  switch (kind) {
  case EmitKind::Qopt:
    return "qopt";
  case EmitKind::Calibrated:
    return "calibrated";
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
  case EmitKind::Calibrated:
    return Phase::Calibrate;
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
  case Phase::Assign:
    return "assign";
  case Phase::Smooth:
    return "smooth";
  case Phase::Propagate:
    return "propagate";
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

/// The option combinations that cannot run up to `stopAfter`: one error at
/// `loc` (the model file) before anything is built or run.
static LogicalResult verifyPhaseOptions(const CompileOptions &options,
                                        Phase stopAfter, Location loc) {
  if (!options.keepFloat.empty() && !options.isQuantized())
    return emitError(loc) << "--keep-float needs a --precision other than "
                             "fp32";
  if (options.precision == Precision::fp8)
    return emitError(loc)
           << (options.target == Target::CUDA
                   ? "--precision=fp8 is not implemented yet for "
                     "--target=cuda (use --precision=bf16, fp16 or int8)"
                   : "--precision=fp8 needs a GPU with fp8 (sm_89 or newer, "
                     "--target=cuda); the CPU target has no fp8 arithmetic "
                     "(use --precision=bf16, fp16 or int8)");
  if (options.emit == EmitKind::PTX && options.target != Target::CUDA)
    return emitError(loc) << "--emit=ptx needs --target=cuda";
  if (options.autoPrecision.enabled &&
      options.autoPrecision.accuracyBudgetDb.has_value() ==
          options.autoPrecision.sizeBudgetMB.has_value())
    return emitError(loc) << "--precision=auto needs one budget: "
                             "--accuracy-budget=DB (minimum output SQNR vs "
                             "fp32) or --size-budget=MB (weights)";
  if (!options.autoPrecision.enabled &&
      (options.autoPrecision.accuracyBudgetDb ||
       options.autoPrecision.sizeBudgetMB))
    return emitError(loc) << "--accuracy-budget / --size-budget need "
                             "--precision=auto";
  if (options.autoPrecision.enabled && options.calibration.dataDir.empty())
    return emitError(loc) << "--precision=auto measures each layer's "
                             "sensitivity on calibration data "
                             "(--calibration=DIR)";
  if (!options.planOut.empty() && !options.isQuantized())
    return emitError(loc) << "--plan-out needs a quantized --precision (or "
                             "auto, or --plan)";
  if (options.smoothQuant.enabled && options.calibration.dataDir.empty())
    return emitError(loc) << "--smoothquant needs calibration data "
                             "(--calibration=DIR)";
  std::string regexError;
  if (!options.keepFloat.empty() &&
      !llvm::Regex(options.keepFloat).isValid(regexError))
    return emitError(loc) << "bad --keep-float='" << options.keepFloat
                          << "': " << regexError;
  if (stopAfter == Phase::Import)
    return success();
  bool calibrated = !options.calibration.dataDir.empty();
  if (options.needsCalibration() && !calibrated)
    return emitError(loc)
           << "--precision=int8 needs calibration data (--calibration=DIR); "
              "--precision=w8a8-dynamic computes activation scales at run "
              "time instead";
  if (stopAfter == Phase::Quantize && !options.isQuantized())
    return emitError(loc)
           << "--emit=quantized needs a quantized precision "
              "(--precision=int8 --calibration=DIR, w4a16, fp16, ...)";
  if (stopAfter == Phase::Calibrate && !calibrated)
    return emitError(loc) << "--emit=calibrated needs calibration data "
                             "(--calibration=DIR)";
  return success();
}

int64_t mlir::qopt::getInt8WeightMax(const CPUTargetOptions &cpu) {
  return !targetHasFeature(cpu, "avx512vnni") && targetHasFeature(cpu, "avx2")
             ? 63
             : 127;
}

/// The decisions made on the calibrated model before anything is
/// quantized: each op's precision and SmoothQuant. SmoothQuant also
/// runs on an fp32 compile, where it changes nothing but rounding: the
/// check that it is exact. With auto, the calibration run wrote each
/// site's alpha.
static void addDecisionPasses(OpPassManager &pm,
                              const CompileOptions &options) {
  auto addSmoothQuant = [&] {
    if (!options.smoothQuant.enabled)
      return;
    SmoothQuantPassOptions smoothOptions;
    smoothOptions.alpha = options.smoothQuant.alpha;
    pm.addNestedPass<func::FuncOp>(createSmoothQuantPass(smoothOptions));
  };
  // auto assigns fp32 everywhere and decides later, so SmoothQuant (which
  // skips tensors only f32 layers read) runs before that.
  if (options.autoPrecision.enabled)
    addSmoothQuant();
  if (options.isQuantized()) {
    // auto starts from all-fp32 (planPrecisions then decides); a plan file
    // assigns its layers, --precision the others.
    AssignPrecisionPassOptions assignOptions;
    assignOptions.precision =
        options.autoPrecision.enabled
            ? std::string("f32")
            : stringifyPrecision(options.precision).str();
    assignOptions.keepFloat = options.keepFloat;
    assignOptions.plan = options.planIn;
    pm.addNestedPass<func::FuncOp>(createAssignPrecisionPass(assignOptions));
  }
  if (!options.autoPrecision.enabled)
    addSmoothQuant();
}

/// The CUDA pipeline options `options` ask for: the architecture, the
/// toolkit (found or given) and the binary format it allows.
static LogicalResult getCUDAPipelineOptions(const CompileOptions &options,
                                            Location loc,
                                            CUDAPipelineOptions &result) {
  const CUDATargetOptions &cuda = options.cuda;
  unsigned arch = getCUDAArchNumber(cuda.arch);
  if (arch < 70)
    return emitError(loc) << "bad --cuda-arch='" << cuda.arch
                          << "' (expects sm_NN with NN >= 70: sm_80, sm_86, "
                             "sm_89, sm_90, sm_90a, ...)";
  if (!cuda.toolkit.empty() && !llvm::sys::fs::is_directory(cuda.toolkit))
    return emitError(loc) << "--cuda-toolkit='" << cuda.toolkit
                          << "' is not a folder";
  CUDAToolkit toolkit = findCUDAToolkit(cuda.toolkit);
  result.chip = cuda.arch;
  result.toolkit = toolkit.path;
  result.libdevice = toolkit.hasLibdevice;
  result.blockSize = cuda.blockSize;
  result.emulate = cuda.emulate;
  StringRef format = cuda.format;
  if (options.emit == EmitKind::PTX || format == "ptx")
    result.format = "isa";
  else if (format == "auto")
    result.format =
        toolkit.hasAssembler && toolkit.hasLibdevice ? "fatbin" : "isa";
  else if (format == "cubin" || format == "fatbin") {
    if (!toolkit.hasAssembler || !toolkit.hasLibdevice)
      return emitError(loc)
             << "--cuda-format=" << format
             << " needs ptxas, fatbinary and libdevice from a CUDA toolkit "
                "(none found; "
                "pass --cuda-toolkit=DIR, or use --cuda-format=ptx)";
    result.format = format == "cubin" ? "bin" : "fatbin";
  } else {
    return emitError(loc) << "bad --cuda-format='" << format
                          << "' (auto, ptx, cubin or fatbin)";
  }
  return success();
}

/// The tensor phase (shared with the CPU) and the CUDA lowering.
static LogicalResult buildCUDAPipelines(OpPassManager &pm,
                                        const CompileOptions &options,
                                        Location loc) {
  CUDAPipelineOptions cudaOptions;
  if (failed(getCUDAPipelineOptions(options, loc, cudaOptions)))
    return failure();
  CPUPipelineOptions tensor;
  buildCPUTensorPipeline(pm, tensor);
  if (options.emit == EmitKind::Linalg)
    return success();
  buildCUDALoweringPipeline(pm, cudaOptions);
  return success();
}

/// The phases after calibration: decisions (unless `decisions` is false:
/// an earlier pipeline ran them), quantization and lowering. `fuseQDQ`:
/// add qopt-fuse-qdq (false when an earlier pipeline already ran it).
static LogicalResult buildPostCalibrationPipeline(OpPassManager &pm,
                                                  const CompileOptions &options,
                                                  Phase stopAfter,
                                                  Location loc,
                                                  bool fuseQDQ = true,
                                                  bool decisions = true) {
  if (stopAfter == Phase::Calibrate)
    return success();
  // The int8 kernels follow the target CPU: vpdpbusd with AVX-512 VNNI;
  // else with AVX2 a kernel that sums byte pairs in i16, exact for weights
  // in [-63, 63] (any adjacent pair's |w0| + |w1| <= 128).
  bool cuda = options.target == Target::CUDA;
  bool vnni = !cuda && targetHasFeature(options.cpu, "avx512vnni");
  bool avx2 = !cuda && !vnni && targetHasFeature(options.cpu, "avx2");
  if (decisions)
    addDecisionPasses(pm, options);
  if (options.isQuantized()) {
    pm.addNestedPass<func::FuncOp>(createPropagateScalesPass());
    QuantizePassOptions quantizeOptions;
    quantizeOptions.activationSymmetric = options.activationSymmetric;
    // GPUs multiply int8 exactly into int32: the full [-127, 127].
    quantizeOptions.weightMax = cuda ? 127 : getInt8WeightMax(options.cpu);
    quantizeOptions.groupSize = options.groupSize;
    quantizeOptions.int4Symmetric = options.int4Symmetric;
    pm.addNestedPass<func::FuncOp>(createQuantizePass(quantizeOptions));
  }
  // Quantized matmuls (ours, or an imported QDQ model's) become integer
  // matmuls with a float epilogue.
  if (fuseQDQ) {
    FuseQDQPassOptions fuseOptions;
    fuseOptions.integerKernel = cuda || vnni || avx2;
    fuseOptions.pairwiseWeights = !cuda && !vnni;
    pm.addNestedPass<func::FuncOp>(createFuseQDQPass(fuseOptions));
  }
  if (stopAfter == Phase::Quantize)
    return success();
  if (cuda)
    return buildCUDAPipelines(pm, options, loc);
  CPUPipelineOptions cpuOptions;
  // An explicit vnni= / avx2-int8= in --cpu-pipeline-options overrides the
  // target's.
  cpuOptions.vnni = vnni;
  cpuOptions.avx2Int8 = avx2;
  cpuOptions.nativeRoundEven = targetHasFeature(options.cpu, "sse4.1");
  if (failed(cpuOptions.parseFromString(options.cpuPipelineOptions)))
    return emitError(loc)
           << "bad --cpu-pipeline-options='" << options.cpuPipelineOptions
           << "' (options: fuse-elementwise=<bool> min-parallel-work=<int> "
              "vectorize=<bool> vnni=<bool> avx2-int8=<bool> "
              "native-roundeven=<bool>)";
  buildCPUTensorPipeline(pm, cpuOptions);
  if (options.emit == EmitKind::Linalg)
    return success();
  buildCPULoweringPipeline(pm, cpuOptions);
  return success();
}

/// `options` for the pipelines after quantization: float from there on
/// (no precision, auto plan or plan file left to apply, so they add no
/// quantization passes again); SmoothQuant stays on for an fp32 compile
/// (where it is the only decision).
static CompileOptions withoutQuantization(const CompileOptions &options) {
  CompileOptions result = options;
  result.precision = Precision::f32;
  result.autoPrecision.enabled = false;
  result.planIn.clear();
  result.smoothQuant.enabled =
      !options.isQuantized() && options.smoothQuant.enabled;
  return result;
}

/// buildPhasePipeline, with errors reported at `loc` (the model file).
static LogicalResult buildPipeline(OpPassManager &pm,
                                   const CompileOptions &options,
                                   Phase stopAfter, Location loc) {
  // Import: the importer ran already; clean up what it produced.
  pm.addPass(createCanonicalizerPass());
  pm.addPass(createCSEPass());
  if (failed(verifyPhaseOptions(options, stopAfter, loc)))
    return failure();
  if (stopAfter == Phase::Import)
    return success();
  if (!options.calibration.dataDir.empty())
    pm.addNestedPass<func::FuncOp>(createInsertObserversPass());
  return buildPostCalibrationPipeline(pm, options, stopAfter, loc);
}

LogicalResult mlir::qopt::buildPhasePipeline(OpPassManager &pm,
                                             const CompileOptions &options,
                                             Phase stopAfter,
                                             MLIRContext *context) {
  return buildPipeline(pm, options, stopAfter, UnknownLoc::get(context));
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
  Phase stop = getStopPhase(options.emit);
  // Option errors name the model file (the module's location).
  Location loc = (*module)->getLoc();
  // One pass manager when nothing is calibrated or quantized; otherwise the
  // calibration run, the precision plan and the report sit between runs.
  if ((options.calibration.dataDir.empty() && !options.isQuantized()) ||
      stop == Phase::Import) {
    if (failed(buildPipeline(pm, options, stop, loc)) ||
        failed(pm.run(*module)))
      return nullptr;
    return module;
  }
  // The calibration run sits between pass-manager runs: import and
  // observers; then quantization; then lowering. The later pipelines are
  // built first, so a phase that cannot run fails before the calibration
  // run does. With --report on an int8 compile, each observed tensor of
  // the quantized model is compared with the float model's (per-layer
  // SQNR) between quantization and lowering.
  if (failed(verifyPhaseOptions(options, stop, loc)))
    return nullptr;
  // A quantized compile's decisions (precision, SmoothQuant) run before the
  // per-layer SQNR reference is taken, so the reference is the smoothed
  // float model.
  PassManager decisionPm(context), quantizePm(context), fusePm(context),
      lowerPm(context);
  CompileOptions quantizeOnly = options;
  quantizeOnly.emit = EmitKind::Quantized;
  for (PassManager *each : {&decisionPm, &quantizePm, &fusePm, &lowerPm})
    if (failed(applyPassManagerCLOptions(*each)))
      return nullptr;
  addDecisionPasses(decisionPm, options);
  // Quantization, then (after the report has read each layer's final
  // precision: qopt-fuse-qdq replaces the ops it rewrites) the integer ops.
  if (options.isQuantized() &&
      (failed(buildPostCalibrationPipeline(quantizePm, quantizeOnly,
                                           Phase::Quantize, loc,
                                           /*fuseQDQ=*/false,
                                           /*decisions=*/false)) ||
       failed(buildPostCalibrationPipeline(fusePm, withoutQuantization(options),
                                           Phase::Quantize, loc,
                                           /*fuseQDQ=*/true,
                                           /*decisions=*/false))))
    return nullptr;
  // With a quantized precision, fusePm runs qopt-fuse-qdq already.
  if (stop != Phase::Quantize &&
      failed(buildPostCalibrationPipeline(lowerPm, withoutQuantization(options),
                                          stop, loc,
                                          /*fuseQDQ=*/!options.isQuantized(),
                                          /*decisions=*/!options.isQuantized())))
    return nullptr;
  // Import clean-up, then observers (the options were verified above for
  // the real stop phase).
  if (failed(buildPipeline(pm, options, Phase::Import, loc)))
    return nullptr;
  if (!options.calibration.dataDir.empty())
    pm.addNestedPass<func::FuncOp>(createInsertObserversPass());
  if (failed(pm.run(*module)) || failed(calibrateModule(*module, options)))
    return nullptr;
  bool report = !options.calibration.reportPath.empty();
  std::optional<AccuracyMeasurement> accuracy;
  std::vector<LayerRecord> layers;
  std::optional<llvm::json::Object> autoRecord;
  if (stop != Phase::Calibrate && options.isQuantized()) {
    if (failed(decisionPm.run(*module)))
      return nullptr;
    if (options.autoPrecision.enabled) {
      FailureOr<llvm::json::Object> plan =
          planPrecisions(*module, options, [&](OpPassManager &each) {
            (void)buildPostCalibrationPipeline(each, quantizeOnly,
                                               Phase::Quantize, loc,
                                               /*fuseQDQ=*/true,
                                               /*decisions=*/false);
          });
      if (failed(plan))
        return nullptr;
      autoRecord = std::move(*plan);
    }
    OwningOpRef<ModuleOp> reference;
    if (report)
      reference = cast<ModuleOp>((*module)->clone());
    if (failed(quantizePm.run(*module)))
      return nullptr;
    layers = collectLayers(*module, options);
    // auto's per-layer sensitivity at the chosen precision.
    if (autoRecord)
      if (const llvm::json::Array *records = autoRecord->getArray("layers"))
        for (auto [layer, value] : llvm::zip(layers, *records))
          if (const llvm::json::Object *record = value.getAsObject())
            if (const llvm::json::Object *s =
                    record->getObject("sensitivity_db"))
              if (std::optional<double> db =
                      s->getNumber(getPrecisionName(layer.precision)))
                layer.sensitivityDb = *db;
    if (!options.planOut.empty() &&
        failed(writePlan(*module, options, layers,
                         autoRecord ? &*autoRecord : nullptr)))
      return nullptr;
    if (failed(fusePm.run(*module)))
      return nullptr;
    if (report) {
      FailureOr<AccuracyMeasurement> measured =
          measureAccuracy(*reference, *module, options);
      if (failed(measured))
        return nullptr;
      accuracy = std::move(*measured);
    }
  }
  if (report && failed(writeReport(*module, options, layers,
                                   accuracy ? &*accuracy : nullptr)))
    return nullptr;
  if (stop == Phase::Calibrate || stop == Phase::Quantize)
    return module;
  if (failed(lowerPm.run(*module)))
    return nullptr;
  return module;
}

/// True for an existing path that is not a regular file (a device such as
/// /dev/null, a pipe): output there must not go through a rename.
static bool isExistingNonRegularFile(StringRef path) {
  llvm::sys::fs::file_status status;
  return !llvm::sys::fs::status(path, status) &&
         llvm::sys::fs::exists(status) &&
         !llvm::sys::fs::is_regular_file(status);
}

LogicalResult mlir::qopt::writeFileAtomically(
    Location loc, StringRef outputPath,
    llvm::function_ref<LogicalResult(llvm::raw_pwrite_stream &, std::string &)>
        write) {
  std::string error;
  if (outputPath == "-") {
    llvm::raw_fd_ostream &os = llvm::outs();
    if (failed(write(os, error)))
      return emitError(loc) << error;
    return success();
  }
  // Devices and pipes (/dev/null, /dev/stdout, a FIFO) are written in place:
  // renaming a temporary file over them would replace them.
  if (isExistingNonRegularFile(outputPath)) {
    std::error_code ec;
    llvm::raw_fd_ostream os(outputPath, ec);
    if (ec)
      return emitError(loc) << "cannot write '" << outputPath
                            << "': " << ec.message();
    if (failed(write(os, error)))
      return emitError(loc) << "cannot write '" << outputPath
                            << "': " << error;
    return success();
  }
  llvm::Expected<llvm::sys::fs::TempFile> temp =
      llvm::sys::fs::TempFile::create(outputPath + ".tmp-%%%%%%");
  if (!temp) {
    std::string message = llvm::toString(temp.takeError());
    return emitError(loc) << "cannot write '" << outputPath
                          << "': " << message;
  }
  {
    llvm::raw_fd_ostream os(temp->FD, /*shouldClose=*/false);
    LogicalResult written = write(os, error);
    os.flush();
    if (failed(written) || os.has_error()) {
      std::string message = failed(written) ? error : os.error().message();
      os.clear_error();
      llvm::consumeError(temp->discard());
      return emitError(loc) << "cannot write '" << outputPath
                            << "': " << message;
    }
  }
  if (llvm::Error e = temp->keep(outputPath)) {
    std::string message = llvm::toString(std::move(e));
    return emitError(loc) << "cannot write '" << outputPath
                          << "': " << message;
  }
  return success();
}

LogicalResult mlir::qopt::emitArtifact(ModuleOp module,
                                       const CompileOptions &options,
                                       StringRef outputPath) {
  Location loc = module.getLoc();
  switch (options.emit) {
  case EmitKind::Qopt:
  case EmitKind::Calibrated:
  case EmitKind::Quantized:
  case EmitKind::Linalg:
    return writeFileAtomically(loc, outputPath,
                           [&](llvm::raw_pwrite_stream &os, std::string &) {
                             module.print(os);
                             return success();
                           });
  case EmitKind::PTX:
    return writeFileAtomically(
        loc, outputPath, [&](llvm::raw_pwrite_stream &os, std::string &error) {
          return writePTX(module, os, error);
        });
  case EmitKind::LLVM:
  case EmitKind::Obj:
  case EmitKind::Lib:
    break;
  }

  llvm::LLVMContext llvmContext;
  std::unique_ptr<llvm::Module> llvmModule =
      translateModelToLLVMIR(module, llvmContext, options.cpu);
  if (!llvmModule)
    return failure();
  if (options.emit == EmitKind::LLVM)
    return writeFileAtomically(loc, outputPath,
                           [&](llvm::raw_pwrite_stream &os, std::string &) {
                             llvmModule->print(os, nullptr);
                             return success();
                           });
  if (options.emit == EmitKind::Obj)
    return writeFileAtomically(
        loc, outputPath, [&](llvm::raw_pwrite_stream &os, std::string &error) {
          return emitObject(*llvmModule, options.cpu, os, error);
        });

  // Lib: object in a temporary file, link to a temporary library beside the
  // output, rename.
  if (outputPath == "-")
    return emitError(loc) << "--emit=lib needs an output file (-o model.so)";
  if (isExistingNonRegularFile(outputPath))
    return emitError(loc) << "--emit=lib writes a regular file; '" << outputPath
                          << "' is not one";
  SmallString<128> objectPath;
  int objectFD;
  if (std::error_code ec = llvm::sys::fs::createTemporaryFile(
          "qopt-model", "o", objectFD, objectPath))
    return emitError(loc) << "cannot create a temporary object file: "
                          << ec.message();
  llvm::FileRemover removeObject(objectPath);
  {
    llvm::raw_fd_ostream os(objectFD, /*shouldClose=*/true);
    std::string error;
    if (failed(emitObject(*llvmModule, options.cpu, os, error)))
      return emitError(loc) << error;
  }
  SmallString<128> tempLib(outputPath);
  tempLib += ".tmp-link";
  llvm::FileRemover removeTempLib(tempLib);
  std::string error;
  // CUDA models link the driver shim, told the kernels' architecture.
  bool cuda = options.target == Target::CUDA && !options.cuda.emulate;
  std::vector<std::string> shimFlags;
  if (cuda)
    shimFlags.push_back("-DQOPT_CUDA_ARCH=" +
                        std::to_string(getCUDAArchNumber(options.cuda.arch)));
  if (failed(linkSharedLibrary(objectPath, tempLib, usesOpenMP(*llvmModule),
                               error, cuda ? getCUDAShimSource() : "",
                               shimFlags)))
    return emitError(loc) << error;
  if (std::error_code ec = llvm::sys::fs::rename(tempLib, outputPath))
    return emitError(loc) << "cannot write '" << outputPath
                          << "': " << ec.message();
  return success();
}
