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
#include "qopt/Quantization/Statistics.h"
#include "qopt/Target/CPU/CPUCodegen.h"

#include "mlir/IR/BuiltinOps.h"
#include "mlir/Pass/PassManager.h"
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

/// `--precision=` names: fp32, int8 (= w8a8), w8a8, w8a16, w4a16, fp16,
/// bf16, fp8, w8a8-dynamic, w4-lut, w8-lut, ternary.
std::optional<Precision> parsePrecisionName(llvm::StringRef name);
/// The `--precision=` name of `precision` (fp32, w8a8, fp16, w4-lut, ...).
std::string getPrecisionName(Precision precision);
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
  /// --report=FILE.json: per observed tensor, its statistics and range.
  std::string reportPath;
};

/// --smoothquant[=ALPHA|auto] (qopt-smoothquant before quantization).
struct SmoothQuantOptions {
  bool enabled = false;
  /// auto: alpha per site, searched on the calibration activations.
  bool autoAlpha = false;
  double alpha = 0.5;
};

struct CompileOptions {
  Target target = Target::CPU;
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

  bool isQuantized() const { return precision != Precision::f32; }
  /// Static W8A8: activation ranges come from calibration.
  bool needsCalibration() const { return precision == Precision::w8a8; }
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
/// one over all samples (+inf where they are identical).
FailureOr<std::map<int64_t, double>>
measureObserverSQNR(ModuleOp reference, ModuleOp quantized,
                    const CompileOptions &options);

/// Writes --report: the calibration settings and, per observer, its
/// statistics, range, 8-bit parameters and (when `sqnr` is given) its SQNR.
LogicalResult writeQuantizationReport(ModuleOp module,
                                      const CompileOptions &options,
                                      const std::map<int64_t, double> *sqnr);

/// Imports `modelPath` and runs the phases `options.emit` needs. The
/// returned module is the IR to emit.
OwningOpRef<ModuleOp> compileModel(llvm::StringRef modelPath,
                                   const CompileOptions &options,
                                   MLIRContext *context,
                                   PassManager *passManager = nullptr);

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
