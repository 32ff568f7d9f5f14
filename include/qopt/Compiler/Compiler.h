//===- Compiler.h - the qopt-compile driver as a library ----------*- C++ -*-===//
//
// The compile phases as an enum the driver can stop after, the options of a
// compile, and the calls qopt-compile (and the Python package) make:
// import -> phases -> emit. Later phases (calibrate ... emit) plug into
// buildPhasePipeline as they land.
//
//===----------------------------------------------------------------------===//

#ifndef QOPT_COMPILER_COMPILER_H
#define QOPT_COMPILER_COMPILER_H

#include "qopt/Dialect/QOpt/IR/QOptDialect.h"
#include "qopt/Import/ONNX/ImportONNX.h"
#include "qopt/Quantization/PrecisionNames.h"
#include "qopt/Quantization/Statistics.h"
#include "qopt/Target/CPU/CPUCodegen.h"

#include "mlir/IR/BuiltinOps.h"
#include "mlir/Pass/PassManager.h"
#include "llvm/Support/JSON.h"
#include "llvm/Support/raw_ostream.h"

#include <map>
#include <optional>
#include <string>

namespace mlir::qopt {

/// Compile phases in the order they run (DESIGN.md, "Data flow").
enum class Phase {
  Import,    ///< ONNX -> qopt IR, canonicalized.
  Calibrate, ///< observers + calibration run -> statistics attributes.
  Assign,    ///< per-op precision.
  Smooth,    ///< SmoothQuant.
  Propagate, ///< scales/zero points on every quantized edge.
  Quantize,  ///< !quant.uniform types, integer ops.
  Lower,     ///< qopt -> linalg/tensor/arith -> LLVM or NVVM.
  Emit,      ///< object / PTX / shared library.
};

/// What `--emit=` asks for; each stops after one phase.
enum class EmitKind { Qopt, Calibrated, Quantized, Linalg, LLVM, PTX, Obj, Lib };

/// Parses an `--emit=` value; std::nullopt when unknown.
std::optional<EmitKind> parseEmitKind(llvm::StringRef name);
/// The artifact an output path asks for when `--emit=` is not given: `.so`
/// -> Lib, `.o` -> Obj, `.ll` -> LLVM, `.ptx` -> PTX, anything else (`.mlir`,
/// stdout) -> Qopt.
EmitKind getDefaultEmitKind(llvm::StringRef outputPath);
llvm::StringRef stringifyEmitKind(EmitKind kind);
/// The last phase that runs for `kind`.
Phase getStopPhase(EmitKind kind);
llvm::StringRef stringifyPhase(Phase phase);

enum class Target { CPU, CUDA };


std::optional<Target> parseTarget(llvm::StringRef name);

/// The calibration run (docs/quantization.md).
struct CalibrationOptions {
  /// --calibration=DIR: one .npz per sample (keys = graph input names) or
  /// ONNX test_data_set_* folders. Empty: no calibration.
  std::string dataDir;
  /// --calibration-samples=N: use the first N samples (0: all).
  int64_t maxSamples = 0;
  CalibrationMethod method;
  /// Show a progress bar when stderr is a terminal.
  bool progress = true;
  /// --report=DIR: report.json and report.html (Report.cpp).
  std::string reportPath;
};

/// --smoothquant[=ALPHA|auto] (qopt-smoothquant before quantization).
struct SmoothQuantOptions {
  bool enabled = false;
  /// auto: alpha per site, searched on the calibration activations.
  bool autoAlpha = false;
  double alpha = 0.5;
};

/// --precision=auto: a precision per layer from measured sensitivity, the
/// cheapest assignment (in weight bytes) that meets one budget.
struct AutoPrecisionOptions {
  bool enabled = false;
  /// --accuracy-budget=DB: the model output's SQNR vs fp32 must reach DB.
  std::optional<double> accuracyBudgetDb;
  /// --size-budget=MB: the weights must fit in MB (MiB).
  std::optional<double> sizeBudgetMB;
};

/// --target=cuda: the GPU architecture and where the CUDA toolkit is.
struct CUDATargetOptions {
  /// --cuda-arch: sm_80, sm_86, sm_89, sm_90, sm_90a, ...
  std::string arch = "sm_80";
  /// --cuda-toolkit: a CUDA toolkit folder; empty: looked up
  /// (findCUDAToolkit). Without one, kernels ship as PTX and math
  /// functions are expanded inline.
  std::string toolkit;
  /// --cuda-format: auto (fatbin with a toolkit, else PTX), ptx, cubin,
  /// fatbin.
  std::string format = "auto";
  /// Threads per block of the elementwise/reduction kernels.
  int64_t blockSize = 256;
  /// --cuda-emulate (testing): the kernels run as host loops in a CPU
  /// model (qopt-cuda-emulate-on-host).
  bool emulate = false;
};

struct CompileOptions {
  Target target = Target::CPU;
  CUDATargetOptions cuda;
  EmitKind emit = EmitKind::Qopt;
  ImportOptions import;
  CPUTargetOptions cpu;
  /// qopt-cpu-pipeline options ("min-parallel-work=65536 vectorize=false"),
  /// parsed when the pipeline is built; empty: the defaults.
  std::string cpuPipelineOptions;
  CalibrationOptions calibration;
  /// --precision: f32 (the model stays float), or the precision every
  /// quantizable op gets where it fits (qopt-assign-precision, then
  /// qopt-quantize). w8a8 (--precision=int8) needs calibration; the
  /// weight-only precisions, fp16 / bf16 and w8a8-dynamic do not.
  Precision precision = Precision::f32;
  /// w4a16: rows of K per scale; symmetric or asymmetric int4 codes.
  int64_t groupSize = 128;
  bool int4Symmetric = true;

  AutoPrecisionOptions autoPrecision;
  /// --plan=FILE: per-layer precisions from a JSON plan (qopt-assign-precision
  /// plan=); --plan-out=FILE: the plan this compile used.
  std::string planIn, planOut;

  bool isQuantized() const {
    return precision != Precision::f32 || autoPrecision.enabled ||
           !planIn.empty();
  }
  /// Static W8A8 (ranges from calibration), and auto (which measures).
  bool needsCalibration() const {
    return precision == Precision::w8a8 || autoPrecision.enabled;
  }
  /// --activation-symmetric: s8 activations with zero point 0 instead of u8.
  bool activationSymmetric = false;
  /// --keep-float: a regular expression over ONNX node names whose ops
  /// stay fp32 under --precision=int8 (qopt-assign-precision).
  std::string keepFloat;
  SmoothQuantOptions smoothQuant;
};

/// The largest int8 weight magnitude --precision=int8 uses on `cpu`: 127,
/// or 63 on targets with AVX2 but not AVX-512 VNNI, whose int8 kernel sums
/// byte pairs in i16 (exact when adjacent weights have |w0| + |w1| <= 128,
/// the choice ONNX Runtime calls reduce_range).
int64_t getInt8WeightMax(const CPUTargetOptions &cpu);

/// Adds the passes of every phase up to `stopAfter` to `pm`. Fails (with a
/// diagnostic on `context`) when a requested phase is not implemented yet.
LogicalResult buildPhasePipeline(OpPassManager &pm, const CompileOptions &options,
                                 Phase stopAfter, MLIRContext *context);

/// Phase::Calibrate on a module that went through the import phase: inserts
/// observers (qopt-insert-observers), compiles a copy that returns every
/// observed tensor for the host CPU, runs it over the calibration samples
/// and writes the statistics and the method's range onto the observers.
/// With `--smoothquant=auto` it also keeps a sample of the rows of every
/// tensor SmoothQuant could smooth and writes the alpha the search picks
/// (`smooth_alpha`) onto its observer. Fails with one diagnostic naming the
/// sample file on bad data.
LogicalResult calibrateModule(ModuleOp module, const CompileOptions &options);

/// Per-layer accuracy: compiles `reference` (float, calibrated) and
/// `quantized` (the same module after quantization) with every observed
/// tensor returned, runs both on the calibration samples and returns, per
/// observer id, the SQNR in dB of the quantized tensor against the float
/// one over all samples (+inf where they are identical), and the SQNR of
/// the model's outputs.
struct AccuracyMeasurement {
  std::map<int64_t, double> tensorSQNR;
  std::optional<double> outputSQNR;
};
FailureOr<AccuracyMeasurement> measureAccuracy(ModuleOp reference,
                                               ModuleOp quantized,
                                               const CompileOptions &options);

/// The float model's outputs on the calibration samples, kept to compare
/// candidate quantizations with (the sensitivity measurement of
/// `--precision=auto`).
class OutputReference {
public:
  ~OutputReference();
  static FailureOr<std::unique_ptr<OutputReference>>
  create(ModuleOp reference, const CompileOptions &options);
  /// SQNR in dB of `candidate`'s outputs against the reference's, over
  /// every calibration sample.
  FailureOr<double> measure(ModuleOp candidate);

private:
  OutputReference();
  struct Impl;
  std::unique_ptr<Impl> impl;
};

/// One quantizable op as the report and the precision plan see it.
struct LayerRecord {
  /// The ONNX node name and the qopt op.
  std::string name, op;
  Precision precision = Precision::f32;
  /// Elements of the constant weight (0 for attention's matmuls) and its
  /// bytes in fp32 and at `precision` (codes, scales, codebooks).
  int64_t parameters = 0;
  int64_t bytesFp32 = 0, bytesQuantized = 0;
  /// Observers of its activation input and of its result (-1: none).
  int64_t inputObserver = -1, outputObserver = -1;
  /// Output SQNR with only this layer quantized (--precision=auto).
  std::optional<double> sensitivityDb;
};

/// The quantizable ops of `module` after qopt-quantize, with their final
/// precisions and weight sizes.
std::vector<LayerRecord> collectLayers(ModuleOp module,
                                       const CompileOptions &options);

/// A layer's weight as [k, n]: n along its output-channel axis (1 when it
/// has none), k the other elements (what each output channel reduces).
struct WeightDims {
  int64_t k = 0, n = 0;
};
WeightDims getWeightDims(QuantizableOpInterface layer,
                         RankedTensorType weightType);

/// Bytes of a [k, n] weight stored at `precision` (codes, scales, zero
/// points, codebooks).
int64_t getWeightBytes(Precision precision, WeightDims dims,
                       const CompileOptions &options);

/// --precision=auto on `module` (calibrated; every quantizable op assigned
/// f32): measures each weight layer's sensitivity (the output SQNR on the
/// calibration samples with only that layer at a candidate precision,
/// compiled with `buildQuantize`), picks the assignment with the fewest
/// weight bytes that meets the budget (greedy by noise added per byte
/// saved, noise powers assumed additive), checks it by measuring the
/// whole plan (backing off while it misses an accuracy budget), writes the
/// decisions as qopt.precision attributes and returns the plan's record
/// (budget, predicted and measured SQNR, per layer the candidates'
/// sensitivities and the reason for the choice).
FailureOr<llvm::json::Object>
planPrecisions(ModuleOp module, const CompileOptions &options,
               llvm::function_ref<void(OpPassManager &)> buildQuantize);

/// Writes --plan-out=FILE: per layer its final precision (what --plan
/// reads back), with `auto`'s record when there is one.
LogicalResult writePlan(ModuleOp module, const CompileOptions &options,
                        ArrayRef<LayerRecord> layers,
                        const llvm::json::Object *autoRecord);

/// Writes --report=DIR: report.json (calibration settings; per observed
/// tensor its statistics, range, 8-bit parameters and SQNR; per layer its
/// precision, sizes, ranges, SQNR and sensitivity; the model-level
/// summary) and report.html (the same, self-contained, with an inline SVG
/// chart of per-layer error).
LogicalResult writeReport(ModuleOp module, const CompileOptions &options,
                          ArrayRef<LayerRecord> layers,
                          const AccuracyMeasurement *accuracy);

/// Imports `modelPath` and runs the phases `options.emit` needs. The
/// returned module is the IR to emit.
OwningOpRef<ModuleOp> compileModel(llvm::StringRef modelPath,
                                   const CompileOptions &options,
                                   MLIRContext *context,
                                   PassManager *passManager = nullptr);

/// Writes what `write` produces to `outputPath` ("-" = stdout) through a
/// temporary file renamed on success, so a failure leaves no partial file
/// (devices and pipes are written in place). Errors name the path, at
/// `loc`; `write` reports its own in its string argument.
LogicalResult writeFileAtomically(
    Location loc, llvm::StringRef outputPath,
    llvm::function_ref<LogicalResult(llvm::raw_pwrite_stream &, std::string &)>
        write);

/// Writes `module` as the artifact `options.emit` names to `outputPath`
/// ("-" = stdout). Files are written to a temporary name and renamed, so a
/// failed compile leaves no partial output.
LogicalResult emitArtifact(ModuleOp module, const CompileOptions &options,
                           llvm::StringRef outputPath);

/// Prints a human summary of an imported model: inputs/outputs with types,
/// op counts by kind, weights (count, parameters, bytes) and the ops
/// quantization can target.
void printModelSummary(ModuleOp module, llvm::raw_ostream &os);

} // namespace mlir::qopt

#endif // QOPT_COMPILER_COMPILER_H
