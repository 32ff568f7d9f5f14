//===- qopt-compile.cpp - compile an ONNX model --------------------*- C++ -*-===//
//
// `qopt-compile model.onnx --target=cpu --emit=qopt -o out.mlir`: parses
// options and calls the Compiler library (import, phases, emit).
//
//===----------------------------------------------------------------------===//

#include "qopt/Compiler/Compiler.h"
#include "qopt/InitAll.h"

#include "mlir/IR/AsmState.h"
#include "mlir/IR/DialectRegistry.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/Pass/PassManager.h"
#include "mlir/Support/FileUtilities.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/InitLLVM.h"
#include "llvm/Support/SourceMgr.h"
#include "llvm/Support/ToolOutputFile.h"

#include <cmath>
#include <tuple>

using namespace mlir;
using namespace mlir::qopt;
namespace cl = llvm::cl;

int main(int argc, char **argv) {
  llvm::InitLLVM init(argc, argv);
  cl::OptionCategory category("qopt-compile options");
  cl::opt<std::string> input(cl::Positional, cl::desc("<model.onnx|.onnxtxt>"),
                             cl::Required, cl::cat(category));
  cl::opt<std::string> output("o", cl::desc("Output file ('-' = stdout)"),
                              cl::value_desc("file"), cl::init("-"), cl::cat(category));
  cl::opt<std::string> target("target", cl::desc("cpu | cuda"),
                              cl::init("cpu"), cl::cat(category));
  cl::opt<std::string> cpu(
      "cpu",
      cl::desc("CPU to generate code for: native (the host) or an LLVM CPU "
               "name (znver4, x86-64-v3, ...)"),
      cl::init("native"), cl::cat(category));
  cl::opt<std::string> cudaArch(
      "cuda-arch",
      cl::desc("--target=cuda: GPU architecture (sm_80, sm_86, sm_89, sm_90, "
               "sm_90a, ...)"),
      cl::init("sm_80"), cl::cat(category));
  cl::opt<std::string> cudaToolkit(
      "cuda-toolkit",
      cl::desc("--target=cuda: CUDA toolkit folder (ptxas, fatbinary, "
               "libdevice); default: $CUDA_HOME, $CUDA_PATH, /usr/local/cuda, "
               "ptxas on PATH"),
      cl::value_desc("dir"), cl::init(""), cl::cat(category));
  cl::opt<std::string> cudaFormat(
      "cuda-format",
      cl::desc("--target=cuda: auto (fatbin with a toolkit, else PTX the "
               "driver compiles) | ptx | cubin | fatbin"),
      cl::init("auto"), cl::cat(category));
  cl::opt<bool> cudaEmulate(
      "cuda-emulate",
      cl::desc("--target=cuda, testing: build a CPU model that runs the GPU "
               "program's kernels as host loops (checks the CUDA lowering "
               "without a GPU)"),
      cl::init(false), cl::cat(category));
  cl::opt<std::string> emit(
      "emit",
      cl::desc("qopt | calibrated | quantized | linalg | llvm | ptx | obj | "
               "lib (default: "
               "from -o's extension: .so lib, .o obj, .ll llvm, .ptx ptx, "
               "otherwise qopt)"),
      cl::init(""), cl::cat(category));
  cl::opt<std::string> calibrationDir(
      "calibration",
      cl::desc("Calibration data: a folder with one .npz per sample (keys = "
               "input names) or ONNX test_data_set_* folders"),
      cl::value_desc("dir"), cl::init(""), cl::cat(category));
  cl::opt<int64_t> calibrationSamples(
      "calibration-samples",
      cl::desc("Use the first N calibration samples (default: all)"),
      cl::value_desc("N"), cl::init(0), cl::cat(category));
  cl::opt<std::string> calibrationMethod(
      "calibration-method",
      cl::desc("minmax | percentile[=99.99] | entropy | mse (default "
               "minmax)"),
      cl::init("minmax"), cl::cat(category));
  cl::opt<std::string> precision(
      "precision",
      cl::desc("fp32 (default) | int8 (= w8a8): weights s8 per output "
               "channel, activations u8 per tensor from --calibration | "
               "w8a8-dynamic: activation scales per token at run time | "
               "w8a16 | w4a16: int4 weights, per-group scales | fp16 | bf16 | "
               "w4-lut | w8-lut: k-means codebooks per channel | ternary | "
               "fp8 (GPU only) | auto: per layer, from measured sensitivity "
               "under --accuracy-budget or --size-budget"),
      cl::init("fp32"), cl::cat(category));
  cl::opt<std::string> accuracyBudget(
      "accuracy-budget",
      cl::desc("--precision=auto: the smallest model whose output SQNR vs "
               "fp32 (on the calibration data) is at least DB"),
      cl::value_desc("dB"), cl::init(""), cl::cat(category));
  cl::opt<std::string> sizeBudget(
      "size-budget",
      cl::desc("--precision=auto: the most accurate model whose weights fit "
               "in MB (MiB)"),
      cl::value_desc("MB"), cl::init(""), cl::cat(category));
  cl::opt<std::string> planIn(
      "plan",
      cl::desc("JSON plan: per-layer precisions ({\"layers\": [{\"name\", "
               "\"precision\"}]}, e.g. a --plan-out file); layers it does "
               "not name get --precision"),
      cl::value_desc("file.json"), cl::init(""), cl::cat(category));
  cl::opt<std::string> planOut(
      "plan-out",
      cl::desc("Write the per-layer precisions this compile used (with "
               "--precision=auto: sensitivities and reasons) as a JSON plan"),
      cl::value_desc("file.json"), cl::init(""), cl::cat(category));
  cl::opt<int64_t> groupSize(
      "group-size",
      cl::desc("w4a16: rows of K per scale (default 128; K itself when "
               "smaller)"),
      cl::init(128), cl::cat(category));
  cl::opt<bool> int4Asymmetric(
      "int4-asymmetric",
      cl::desc("w4a16: asymmetric int4 codes with a zero point per group "
               "(default: symmetric)"),
      cl::init(false), cl::cat(category));
  cl::opt<bool> activationSymmetric(
      "activation-symmetric",
      cl::desc("int8: symmetric s8 activations (zero point 0) instead of "
               "asymmetric u8"),
      cl::init(false), cl::cat(category));
  cl::opt<std::string> keepFloat(
      "keep-float",
      cl::desc("int8: ops whose ONNX node name matches this regular "
               "expression (the whole name) stay fp32"),
      cl::value_desc("regex"), cl::init(""), cl::cat(category));
  cl::opt<std::string> smoothQuant(
      "smoothquant",
      cl::desc("int8: SmoothQuant before quantization, with migration "
               "strength ALPHA in [0, 1] (0.5 when no value is given), or "
               "'auto': alpha per layer from a search on the calibration data"),
      cl::value_desc("alpha|auto"), cl::ValueOptional, cl::init(""),
      cl::cat(category));
  cl::opt<std::string> reportPath(
      "report",
      cl::desc("Write DIR/report.json and DIR/report.html: per layer its "
               "precision, sizes, ranges and SQNR vs fp32 (with a chart), per "
               "observed tensor its calibration statistics"),
      cl::value_desc("dir"), cl::init(""), cl::cat(category));
  cl::opt<std::string> cpuPipelineOptions(
      "cpu-pipeline-options",
      cl::desc("qopt-cpu-pipeline options, e.g. \"min-parallel-work=65536 "
               "fuse-elementwise=false\""),
      cl::init(""), cl::cat(category));
  cl::opt<std::string> inputShapes(
      "input-shape", cl::desc("Pin input shapes: NAME:1x128[,NAME:...]"),
      cl::init(""), cl::cat(category));
  cl::opt<bool> timing("timing",
                       cl::desc("Print the time of each phase and pass "
                                "(same as --mlir-timing)"),
                       cl::init(false), cl::cat(category));
  cl::opt<bool> summary("summary",
                        cl::desc("Print a summary of the imported model "
                                 "instead of the IR"),
                        cl::init(false), cl::cat(category));
  // Pass names must be registered for --mlir-print-ir-after=<pass>.
  registerAllPasses();
  registerAsmPrinterCLOptions();
  registerMLIRContextCLOptions();
  registerPassManagerCLOptions();
  registerDefaultTimingManagerCLOptions();
  // LLVM's codegen flags stay usable but only ours show in --help
  // (--help-hidden lists the MLIR pass-manager and timing options).
  cl::HideUnrelatedOptions(category);
  cl::ParseCommandLineOptions(argc, argv, "qopt compiler\n");

  CompileOptions options;
  std::optional<Target> parsedTarget = parseTarget(target);
  std::optional<EmitKind> parsedEmit =
      emit.empty() ? getDefaultEmitKind(output) : parseEmitKind(emit);
  if (!parsedTarget || !parsedEmit) {
    llvm::errs() << "qopt-compile: unknown "
                 << (!parsedTarget ? "--target=" + target : "--emit=" + emit)
                 << " (see --help)\n";
    return 1;
  }
  options.target = *parsedTarget;
  options.emit = *parsedEmit;
  options.cpu.cpu = cpu;
  options.cuda.arch = cudaArch;
  options.cuda.toolkit = cudaToolkit;
  options.cuda.format = cudaFormat;
  options.cuda.emulate = cudaEmulate;
  options.cpuPipelineOptions = cpuPipelineOptions;
  std::optional<CalibrationMethod> method =
      CalibrationMethod::parse(calibrationMethod);
  if (!method) {
    llvm::errs() << "qopt-compile: unknown --calibration-method="
                 << calibrationMethod
                 << " (minmax, percentile[=P] with 50 < P <= 100, entropy, "
                    "mse)\n";
    return 1;
  }
  if (calibrationSamples < 0) {
    llvm::errs() << "qopt-compile: --calibration-samples must be >= 0\n";
    return 1;
  }
  if (!reportPath.empty() && calibrationDir.empty()) {
    llvm::errs() << "qopt-compile: --report needs --calibration=DIR (the "
                    "report describes the calibration)\n";
    return 1;
  }
  std::optional<Precision> parsedPrecision =
      precision == "auto" ? std::optional<Precision>(Precision::f32)
                          : parsePrecisionName(precision);
  if (!parsedPrecision) {
    llvm::errs() << "qopt-compile: unknown --precision=" << precision
                 << " (fp32, int8, w8a8, w8a8-dynamic, w8a16, w4a16, fp16, "
                    "bf16, fp8, w4-lut, w8-lut, ternary, auto)\n";
    return 1;
  }
  options.autoPrecision.enabled = precision == "auto";
  for (auto [flag, text, target] :
       {std::make_tuple("--accuracy-budget", &accuracyBudget,
                        &options.autoPrecision.accuracyBudgetDb),
        std::make_tuple("--size-budget", &sizeBudget,
                        &options.autoPrecision.sizeBudgetMB)}) {
    if (text->empty())
      continue;
    double value;
    if (StringRef(*text).getAsDouble(value) || !std::isfinite(value) ||
        (target == &options.autoPrecision.sizeBudgetMB && value <= 0)) {
      llvm::errs() << "qopt-compile: bad " << flag << "=" << *text
                   << " (a number" << (target == &options.autoPrecision.sizeBudgetMB ? " > 0" : "")
                   << ")\n";
      return 1;
    }
    *target = value;
  }
  options.planIn = planIn;
  options.planOut = planOut;
  if (groupSize < 1) {
    llvm::errs() << "qopt-compile: --group-size must be >= 1\n";
    return 1;
  }
  options.precision = *parsedPrecision;
  options.groupSize = groupSize;
  options.int4Symmetric = !int4Asymmetric;
  options.activationSymmetric = activationSymmetric;
  options.keepFloat = keepFloat;
  if (smoothQuant.getNumOccurrences()) {
    options.smoothQuant.enabled = true;
    double alpha = 0.5;
    if (smoothQuant == "auto") {
      options.smoothQuant.autoAlpha = true;
    } else if (!smoothQuant.empty() &&
               (StringRef(smoothQuant).getAsDouble(alpha) ||
                !(alpha >= 0.0 && alpha <= 1.0))) {
      llvm::errs() << "qopt-compile: bad --smoothquant=" << smoothQuant
                   << " (a migration strength in [0, 1], or auto)\n";
      return 1;
    }
    options.smoothQuant.alpha = alpha;
  }
  options.calibration.dataDir = calibrationDir;
  options.calibration.maxSamples = calibrationSamples;
  options.calibration.method = *method;
  options.calibration.reportPath = reportPath;
  if (!inputShapes.empty()) {
    std::string error;
    FailureOr<std::vector<InputShape>> shapes =
        parseInputShapes(inputShapes, error);
    if (failed(shapes)) {
      llvm::errs() << "qopt-compile: --input-shape: " << error << "\n";
      return 1;
    }
    options.import.inputShapes = std::move(*shapes);
  }

  DialectRegistry registry;
  registerAllDialects(registry);
  MLIRContext context(registry);
  // Diagnostics name the ONNX node and file; dumping the failing op (often
  // the whole lowered module) buries that message.
  context.printOpOnDiagnostic(false);
  llvm::SourceMgr sourceMgr;
  SourceMgrDiagnosticHandler diagnostics(sourceMgr, &context);

  PassManager pm(&context);
  if (failed(applyPassManagerCLOptions(pm)))
    return 1;
  DefaultTimingManager timingManager;
  applyDefaultTimingManagerCLOptions(timingManager);
  if (timing)
    timingManager.setEnabled(true);
  TimingScope rootTiming = timingManager.getRootScope();
  pm.enableTiming(rootTiming);

  OwningOpRef<ModuleOp> module = compileModel(input, options, &context, &pm);
  if (!module)
    return 1;
  if (summary) {
    // The summary replaces the IR, so it goes where -o says.
    std::string error;
    std::unique_ptr<llvm::ToolOutputFile> file = openOutputFile(output, &error);
    if (!file) {
      llvm::errs() << "qopt-compile: " << error << "\n";
      return 1;
    }
    printModelSummary(*module, file->os());
    file->keep();
    return 0;
  }
  return failed(emitArtifact(*module, options, output)) ? 1 : 0;
}
