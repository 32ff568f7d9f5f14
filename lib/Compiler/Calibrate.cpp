//===- Calibrate.cpp - the calibration run ------------------------*- C++ -*-===//
//
// Phase::Calibrate (see Compiler.h): a copy of the module returns every
// observed tensor (qopt-expose-observers), is compiled for the host CPU with
// the normal pipeline, loaded with the runtime and run over the samples;
// TensorStatistics accumulate per observer; the method's range and the
// statistics are written onto the original module's observers.
//
//===----------------------------------------------------------------------===//

#include "qopt/Compiler/Compiler.h"

#include "qopt/Dialect/QOpt/IR/QOptDialect.h"
#include "qopt/Quantization/Passes.h"
#include "qopt/Quantization/SmoothQuant.h"
#include "qopt/Runtime/TensorIO.h"
#include "qopt/Runtime/qopt_runtime.h"
#include "qopt/Target/CPU/CPUPipeline.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/ScopeExit.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/FileUtilities.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/JSON.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/raw_ostream.h"

#include <chrono>
#include <cmath>
#include <limits>
#include <map>

using namespace mlir;
using namespace mlir::qopt;
using ::qopt::NamedTensor;
using ::qopt::readNpz;
using ::qopt::readTensorProto;

namespace {

/// Owns the tensors of one sample (released on destruction).
struct Sample {
  std::vector<qopt_tensor> inputs;
  ~Sample() {
    for (qopt_tensor &t : inputs)
      qopt_tensor_release(&t);
  }
};

std::string describe(qopt_dtype dtype, const int64_t *dims, int32_t rank) {
  std::string text = std::string(qopt_dtype_name(dtype)) + " [";
  for (int32_t i = 0; i < rank; ++i) {
    if (i)
      text += ",";
    text += dims[i] < 0 ? "?" : std::to_string(dims[i]);
  }
  return text + "]";
}

/// The samples of a calibration folder: its .npz files and test_data_set_*
/// folders, in name order.
LogicalResult listSamples(Location loc, StringRef dir,
                          std::vector<std::string> &samples) {
  if (!llvm::sys::fs::is_directory(dir))
    return emitError(loc) << "--calibration='" << dir
                          << "' is not a directory (it should hold one .npz "
                             "per sample or ONNX test_data_set_* folders)";
  std::error_code ec;
  for (llvm::sys::fs::directory_iterator it(dir, ec), end; it != end && !ec;
       it.increment(ec)) {
    StringRef path = it->path();
    StringRef name = llvm::sys::path::filename(path);
    bool isDir = llvm::sys::fs::is_directory(path);
    if ((!isDir && name.ends_with(".npz")) ||
        (isDir && name.starts_with("test_data_set")))
      samples.push_back(path.str());
  }
  if (ec)
    return emitError(loc) << "cannot list --calibration='" << dir
                          << "': " << ec.message();
  if (samples.empty())
    return emitError(loc) << "--calibration='" << dir
                          << "' holds no .npz samples or test_data_set_* "
                             "folders";
  llvm::sort(samples);
  return success();
}

/// Reads one sample into `sample.inputs` in the model's input order and
/// checks names, dtypes and shapes against the model's signature.
LogicalResult readSample(Location loc, const std::string &path,
                         qopt_model *model, Sample &sample) {
  auto fail = [&](const Twine &message) {
    return emitError(loc) << "calibration sample '" << path << "': "
                          << message;
  };
  int32_t numInputs = qopt_model_num_inputs(model);
  std::vector<NamedTensor> named;
  std::string error;
  if (llvm::sys::fs::is_directory(path)) {
    // input_0.pb, input_1.pb, ...: by name when the proto has one, else by
    // position.
    for (int32_t i = 0;; ++i) {
      std::string file = path + "/input_" + std::to_string(i) + ".pb";
      if (!llvm::sys::fs::exists(file))
        break;
      NamedTensor t;
      if (!readTensorProto(file, t.tensor, t.name, error))
        return fail(error);
      if (t.name.empty() && i < numInputs)
        t.name = qopt_model_input(model, i)->name;
      named.push_back(std::move(t));
    }
  } else if (!readNpz(path, named, error)) {
    return fail(error);
  }
  sample.inputs.assign(numInputs, qopt_tensor{});
  // Ownership moves into `sample` as tensors are matched; the rest is
  // released here.
  llvm::scope_exit releaseRest([&] {
    for (NamedTensor &t : named)
      qopt_tensor_release(&t.tensor);
  });
  std::vector<std::string> extra;
  std::vector<bool> found(numInputs, false);
  for (NamedTensor &t : named) {
    int32_t index = -1;
    for (int32_t i = 0; i < numInputs; ++i)
      if (t.name == qopt_model_input(model, i)->name)
        index = i;
    if (index < 0) {
      extra.push_back(t.name);
      continue;
    }
    const qopt_tensor_info *info = qopt_model_input(model, index);
    bool shapeOk = t.tensor.rank == info->rank;
    for (int32_t d = 0; shapeOk && d < info->rank; ++d)
      shapeOk = info->dims[d] < 0 || info->dims[d] == t.tensor.dims[d];
    if (t.tensor.dtype != info->dtype || !shapeOk)
      return fail("input '" + t.name + "' is " +
                  describe(t.tensor.dtype, t.tensor.dims, t.tensor.rank) +
                  ", the model expects " +
                  describe(info->dtype, info->dims, info->rank));
    sample.inputs[index] = t.tensor;
    t.tensor = qopt_tensor{};
    found[index] = true;
  }
  std::vector<std::string> missing;
  for (int32_t i = 0; i < numInputs; ++i)
    if (!found[i])
      missing.push_back(qopt_model_input(model, i)->name);
  if (!missing.empty() || !extra.empty()) {
    std::string message;
    if (!missing.empty())
      message += "missing input(s) " + llvm::join(missing, ", ");
    if (!extra.empty())
      message += std::string(message.empty() ? "" : "; ") +
                 "unknown name(s) " + llvm::join(extra, ", ");
    std::vector<std::string> expected;
    for (int32_t i = 0; i < numInputs; ++i)
      expected.push_back(qopt_model_input(model, i)->name);
    return fail(message + " (the model's inputs: " +
                llvm::join(expected, ", ") + ")");
  }
  return success();
}

/// A copy of a module that returns every observed tensor, compiled for the
/// host CPU and loaded: the calibration build, and the builds the per-layer
/// accuracy measurement compares.
struct InstrumentedModel {
  SmallString<128> libPath;
  qopt_model *model = nullptr;
  /// (output index, observer id) of every observed tensor.
  std::vector<std::pair<int32_t, int64_t>> observed;

  ~InstrumentedModel() {
    if (model)
      qopt_model_free(model);
    if (!libPath.empty())
      llvm::sys::fs::remove(libPath);
  }

  /// `exposeObservers` false: the plain model (its outputs only).
  LogicalResult build(ModuleOp module, const CompileOptions &options,
                      bool exposeObservers = true) {
    Location loc = module.getLoc();
    OwningOpRef<ModuleOp> instrumented(cast<ModuleOp>(module->clone()));
    CPUPipelineOptions pipelineOptions;
    if (failed(pipelineOptions.parseFromString(options.cpuPipelineOptions)))
      return emitError(loc) << "bad --cpu-pipeline-options='"
                            << options.cpuPipelineOptions << "'";
    PassManager pm(module.getContext());
    if (exposeObservers)
      pm.addPass(createExposeObserversPass());
    buildCPUPipeline(pm, pipelineOptions);
    if (failed(pm.run(*instrumented)))
      return emitError(loc) << "cannot compile the instrumented (calibration) "
                               "build of the model";
    if (std::error_code ec = llvm::sys::fs::createTemporaryFile(
            "qopt-calibration", "so", libPath))
      return emitError(loc) << "cannot create a temporary file: "
                            << ec.message();
    // The host CPU, whatever --cpu says: the build runs here.
    CompileOptions libOptions;
    libOptions.emit = EmitKind::Lib;
    if (failed(emitArtifact(*instrumented, libOptions, libPath)))
      return failure();
    char loadError[512] = {0};
    if (qopt_model_load(libPath.c_str(), &model, loadError,
                        sizeof(loadError)) != QOPT_OK)
      return emitError(loc) << "cannot load the calibration build: "
                            << loadError;
    std::map<std::string, int64_t> ids;
    module.walk([&](ObserveOp op) {
      ids[getObserverOutputName(op.getId())] = op.getId();
    });
    for (int32_t o = 0, e = qopt_model_num_outputs(model); o < e; ++o) {
      auto it = ids.find(qopt_model_output(model, o)->name);
      if (it != ids.end())
        observed.push_back({o, it->second});
      else
        modelOutputs.push_back(o);
    }
    return success();
  }

  /// The indices of the model's own outputs (not observed tensors).
  std::vector<int32_t> modelOutputs;

  /// Runs one sample; `outputs` must be released by the caller.
  LogicalResult run(Location loc, const std::string &path, Sample &sample,
                    std::vector<qopt_tensor> &outputs) {
    outputs.assign(qopt_model_num_outputs(model), qopt_tensor{});
    if (qopt_model_run(model, sample.inputs.data(),
                       static_cast<int32_t>(sample.inputs.size()),
                       outputs.data()) != QOPT_OK)
      return emitError(loc) << "calibration sample '" << path
                            << "': " << qopt_model_last_error(model);
    return success();
  }
};

void releaseAll(std::vector<qopt_tensor> &tensors) {
  for (qopt_tensor &t : tensors)
    qopt_tensor_release(&t);
}

/// The sample files of `options` (first --calibration-samples of them).
LogicalResult getSamplePaths(Location loc, const CalibrationOptions &options,
                             std::vector<std::string> &paths) {
  if (failed(listSamples(loc, options.dataDir, paths)))
    return failure();
  if (options.maxSamples > 0 &&
      static_cast<int64_t>(paths.size()) > options.maxSamples)
    paths.resize(options.maxSamples);
  return success();
}

/// Adds sum(x^2) and sum((x - y)^2) over n values.
void addEnergy(const float *x, const float *y, int64_t n,
               std::pair<double, double> &energy) {
  for (int64_t i = 0; i < n; ++i) {
    double d = static_cast<double>(x[i]) - y[i];
    energy.first += static_cast<double>(x[i]) * x[i];
    energy.second += d * d;
  }
}

/// Two tensors SQNR can compare: f32 of the same size.
bool areComparable(const qopt_tensor &a, const qopt_tensor &b) {
  return a.dtype == QOPT_F32 && b.dtype == QOPT_F32 &&
         qopt_tensor_num_elements(&a) == qopt_tensor_num_elements(&b);
}

/// addEnergy of two comparable tensors.
void addEnergy(const qopt_tensor &a, const qopt_tensor &b,
               std::pair<double, double> &energy) {
  addEnergy(static_cast<const float *>(a.data),
            static_cast<const float *>(b.data), qopt_tensor_num_elements(&a),
            energy);
}

/// SQNR in dB of (signal, noise) energies: +inf without noise.
double toDecibels(std::pair<double, double> energy) {
  return energy.second == 0  ? std::numeric_limits<double>::infinity()
         : energy.first == 0 ? -std::numeric_limits<double>::infinity()
                             : 10.0 * std::log10(energy.first / energy.second);
}

std::map<int64_t, ObserveOp> getObservers(ModuleOp module) {
  std::map<int64_t, ObserveOp> byId;
  module.walk([&](ObserveOp op) { byId[op.getId()] = op; });
  return byId;
}

/// The rows (last-axis vectors) of a tensor SmoothQuant could smooth that
/// the `--smoothquant=auto` search measures on: at most kMaxRows in all,
/// evenly spaced within each sample, so every sample contributes.
struct RowSample {
  static constexpr int64_t kMaxRows = 128;
  int64_t channels = 0;
  int64_t perSample = 0;
  std::vector<float> rows;

  void add(const qopt_tensor &t) {
    int64_t count = qopt_tensor_num_elements(&t);
    if (channels <= 0 || t.rank < 1 || t.dims[t.rank - 1] != channels)
      return;
    int64_t numRows = count / channels;
    int64_t take = std::min(numRows, perSample);
    const float *data = static_cast<const float *>(t.data);
    for (int64_t i = 0; i < take; ++i) {
      int64_t r = i * numRows / take;
      rows.insert(rows.end(), data + r * channels, data + (r + 1) * channels);
    }
  }
};

/// `--smoothquant=auto`: for every tensor qopt-smoothquant will smooth, the
/// alpha with the smallest int8 output error on the sampled rows.
void searchSmoothingAlphas(std::map<int64_t, ObserveOp> &byId,
                           std::map<int64_t, RowSample> &rows,
                           const CompileOptions &options) {
  Builder builder(byId.begin()->second.getContext());
  for (auto &[id, sample] : rows) {
    ObserveOp observer = byId[id];
    std::string whyNot;
    FailureOr<SmoothingSite> site = findSmoothingSite(observer, whyNot);
    if (failed(site) || sample.rows.empty())
      continue;
    SiteSamples samples;
    samples.channels = sample.channels;
    samples.rows = std::move(sample.rows);
    // Output channels are sampled too: the error of 128 of them ranks the
    // alphas like the error of all, at a fraction of the cost.
    samples.weights = getSiteWeights(*site, /*maxColumns=*/128);
    samples.weightAbsmax = getWeightChannelAbsmax(*site);
    double alpha =
        searchSmoothingAlpha(observer, samples, options.activationSymmetric,
                             getInt8WeightMax(options.cpu));
    observer.setSmoothAlphaAttr(builder.getF64FloatAttr(alpha));
  }
}

} // namespace

LogicalResult mlir::qopt::calibrateModule(ModuleOp module,
                                          const CompileOptions &options) {
  Location loc = module.getLoc();
  const CalibrationOptions &calibration = options.calibration;
  std::map<int64_t, ObserveOp> byId = getObservers(module);
  if (byId.empty())
    return success(); // Nothing to quantize: nothing to measure.
  std::vector<std::string> samplePaths;
  if (failed(getSamplePaths(loc, calibration, samplePaths)))
    return failure();
  InstrumentedModel build;
  if (failed(build.build(module, options)))
    return failure();
  std::map<int64_t, TensorStatistics> stats;
  for (auto &[index, id] : build.observed)
    stats.emplace(id,
                  TensorStatistics(byId[id].getChannelAxis().value_or(-1)));
  // --smoothquant=auto measures on rows of the tensors it may smooth: those
  // with channel statistics along a static last axis.
  std::map<int64_t, RowSample> rows;
  if (options.smoothQuant.enabled && options.smoothQuant.autoAlpha) {
    for (auto &[index, id] : build.observed) {
      auto type = dyn_cast<RankedTensorType>(byId[id].getType());
      std::optional<int64_t> axis = byId[id].getChannelAxis();
      if (!type || !axis || *axis != type.getRank() - 1 ||
          type.isDynamicDim(*axis))
        continue;
      RowSample &sample = rows[id];
      sample.channels = type.getDimSize(*axis);
      sample.perSample =
          std::max<int64_t>(1, llvm::divideCeil(RowSample::kMaxRows,
                                                samplePaths.size()));
    }
  }

  bool showProgress = calibration.progress && llvm::errs().is_displayed();
  auto start = std::chrono::steady_clock::now();
  int64_t total = samplePaths.size(), done = 0;
  std::vector<qopt_tensor> outputs;
  for (const std::string &path : samplePaths) {
    Sample sample;
    if (failed(readSample(loc, path, build.model, sample)) ||
        failed(build.run(loc, path, sample, outputs)))
      return failure();
    llvm::scope_exit releaseOutputs([&] { releaseAll(outputs); });
    for (auto &[index, id] : build.observed) {
      ObserveOp op = byId[id];
      const qopt_tensor &t = outputs[index];
      if (t.dtype != QOPT_F32)
        return emitError(op.getLoc())
               << "observer " << id << " ('" << op.getName()
               << "') is not f32; calibration measures f32 tensors only";
      if (std::optional<std::string> error = stats.at(id).update(
              static_cast<const float *>(t.data),
              ArrayRef<int64_t>(t.dims, t.rank)))
        return emitError(op.getLoc())
               << "calibration sample '" << path << "', tensor '"
               << op.getName() << "': " << *error;
      if (auto it = rows.find(id); it != rows.end())
        it->second.add(t);
    }
    ++done;
    if (showProgress) {
      double seconds = std::chrono::duration<double>(
                           std::chrono::steady_clock::now() - start)
                           .count();
      llvm::errs() << llvm::formatv(
          "\rcalibrating: {0}/{1} samples, {2:f1} samples/s", done, total,
          seconds > 0 ? done / seconds : 0.0);
    }
  }
  if (showProgress)
    llvm::errs() << "\n";

  Builder builder(module.getContext());
  for (auto &[index, id] : build.observed) {
    ObserveOp op = byId[id];
    const TensorStatistics &s = stats.at(id);
    op.setMinAttr(builder.getF64FloatAttr(s.getMin()));
    op.setMaxAttr(builder.getF64FloatAttr(s.getMax()));
    op.setSamplesAttr(builder.getI64IntegerAttr(s.getSamples()));
    if (!s.getChannelMin().empty()) {
      op.setChannelMinAttr(builder.getDenseF32ArrayAttr(s.getChannelMin()));
      op.setChannelMaxAttr(builder.getDenseF32ArrayAttr(s.getChannelMax()));
    }
    auto [lo, hi] = s.computeRange(calibration.method);
    op.setMethodAttr(builder.getStringAttr(calibration.method.str()));
    op.setRangeAttr(builder.getDenseF64ArrayAttr({lo, hi}));
  }
  if (!rows.empty())
    searchSmoothingAlphas(byId, rows, options);
  return success();
}

FailureOr<AccuracyMeasurement>
mlir::qopt::measureAccuracy(ModuleOp reference, ModuleOp quantized,
                            const CompileOptions &options) {
  Location loc = quantized.getLoc();
  std::vector<std::string> samplePaths;
  if (failed(getSamplePaths(loc, options.calibration, samplePaths)))
    return failure();
  InstrumentedModel ref, quant;
  if (failed(ref.build(reference, options)) ||
      failed(quant.build(quantized, options)))
    return failure();
  // id -> (sum ref^2, sum (ref - quant)^2) over every sample.
  std::map<int64_t, std::pair<double, double>> energy;
  std::pair<double, double> outputEnergy;
  std::map<int64_t, int32_t> quantIndex;
  for (auto &[index, id] : quant.observed)
    quantIndex[id] = index;
  std::vector<qopt_tensor> refOut, quantOut;
  for (const std::string &path : samplePaths) {
    Sample sample;
    if (failed(readSample(loc, path, ref.model, sample)) ||
        failed(ref.run(loc, path, sample, refOut)))
      return failure();
    llvm::scope_exit releaseRef([&] { releaseAll(refOut); });
    if (failed(quant.run(loc, path, sample, quantOut)))
      return failure();
    llvm::scope_exit releaseQuant([&] { releaseAll(quantOut); });
    for (auto &[index, id] : ref.observed) {
      auto it = quantIndex.find(id);
      if (it == quantIndex.end())
        continue;
      const qopt_tensor &a = refOut[index], &b = quantOut[it->second];
      if (areComparable(a, b))
        addEnergy(a, b, energy[id]);
    }
    for (int32_t o : ref.modelOutputs)
      if (o < static_cast<int32_t>(quantOut.size()) &&
          areComparable(refOut[o], quantOut[o]))
        addEnergy(refOut[o], quantOut[o], outputEnergy);
  }
  AccuracyMeasurement result;
  for (auto &[id, e] : energy)
    result.tensorSQNR[id] = toDecibels(e);
  if (!ref.modelOutputs.empty())
    result.outputSQNR = toDecibels(outputEnergy);
  return result;
}

struct mlir::qopt::OutputReference::Impl {
  CompileOptions options;
  std::vector<std::string> samplePaths;
  InstrumentedModel model;
  /// Per sample, the model's outputs (f32 ones; others are skipped).
  std::vector<std::vector<std::vector<float>>> outputs;
};

mlir::qopt::OutputReference::OutputReference() = default;
mlir::qopt::OutputReference::~OutputReference() = default;

FailureOr<std::unique_ptr<OutputReference>>
mlir::qopt::OutputReference::create(ModuleOp reference,
                                    const CompileOptions &options) {
  std::unique_ptr<OutputReference> result(new OutputReference());
  result->impl = std::make_unique<Impl>();
  Impl &impl = *result->impl;
  impl.options = options;
  Location loc = reference.getLoc();
  if (failed(getSamplePaths(loc, options.calibration, impl.samplePaths)) ||
      failed(impl.model.build(reference, options, /*exposeObservers=*/false)))
    return failure();
  std::vector<qopt_tensor> outputs;
  for (const std::string &path : impl.samplePaths) {
    Sample sample;
    if (failed(readSample(loc, path, impl.model.model, sample)) ||
        failed(impl.model.run(loc, path, sample, outputs)))
      return failure();
    llvm::scope_exit release([&] { releaseAll(outputs); });
    std::vector<std::vector<float>> kept;
    for (const qopt_tensor &t : outputs) {
      const float *data = static_cast<const float *>(t.data);
      kept.emplace_back();
      if (t.dtype == QOPT_F32)
        kept.back().assign(data, data + qopt_tensor_num_elements(&t));
    }
    impl.outputs.push_back(std::move(kept));
  }
  return result;
}

FailureOr<double> mlir::qopt::OutputReference::measure(ModuleOp candidate) {
  Location loc = candidate.getLoc();
  InstrumentedModel model;
  if (failed(model.build(candidate, impl->options, /*exposeObservers=*/false)))
    return failure();
  std::pair<double, double> energy;
  std::vector<qopt_tensor> outputs;
  for (size_t s = 0; s < impl->samplePaths.size(); ++s) {
    Sample sample;
    const std::string &path = impl->samplePaths[s];
    if (failed(readSample(loc, path, model.model, sample)) ||
        failed(model.run(loc, path, sample, outputs)))
      return failure();
    llvm::scope_exit release([&] { releaseAll(outputs); });
    for (size_t o = 0; o < outputs.size() && o < impl->outputs[s].size();
         ++o) {
      const std::vector<float> &ref = impl->outputs[s][o];
      const qopt_tensor &t = outputs[o];
      if (t.dtype != QOPT_F32 ||
          static_cast<int64_t>(ref.size()) != qopt_tensor_num_elements(&t))
        continue;
      addEnergy(ref.data(), static_cast<const float *>(t.data), ref.size(),
                energy);
    }
  }
  return toDecibels(energy);
}
