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

/// Writes the calibration part of --report.
LogicalResult writeReport(Location loc, StringRef path, ArrayRef<ObserveOp> ops,
                          const CalibrationOptions &options,
                          int64_t numSamples) {
  llvm::json::Array tensors;
  for (ObserveOp op : ops) {
    llvm::json::Object entry{{"id", op.getId()}, {"name", op.getName()}};
    if (op.getMin()) {
      entry["min"] = op.getMin()->convertToDouble();
      entry["max"] = op.getMax()->convertToDouble();
    }
    if (std::optional<ArrayRef<double>> range = op.getRange()) {
      entry["method"] = op.getMethod()->str();
      entry["range"] = llvm::json::Array{(*range)[0], (*range)[1]};
      QuantParams u8 = computeQuantParams((*range)[0], (*range)[1], false);
      QuantParams s8 = computeQuantParams((*range)[0], (*range)[1], true);
      entry["u8"] = llvm::json::Object{{"scale", u8.scale},
                                       {"zero_point", u8.zeroPoint}};
      entry["s8"] = llvm::json::Object{{"scale", s8.scale},
                                       {"zero_point", s8.zeroPoint}};
    }
    if (std::optional<int64_t> axis = op.getChannelAxis())
      entry["channel_axis"] = *axis;
    tensors.push_back(std::move(entry));
  }
  llvm::json::Object report{
      {"calibration",
       llvm::json::Object{{"data", options.dataDir},
                          {"samples", numSamples},
                          {"method", options.method.str()}}},
      {"tensors", std::move(tensors)}};
  std::error_code ec;
  llvm::raw_fd_ostream os(path, ec);
  if (ec)
    return emitError(loc) << "cannot write --report='" << path
                          << "': " << ec.message();
  os << llvm::formatv("{0:2}", llvm::json::Value(std::move(report))) << "\n";
  return success();
}

} // namespace

LogicalResult mlir::qopt::calibrateModule(ModuleOp module,
                                          const CompileOptions &options) {
  Location loc = module.getLoc();
  MLIRContext *context = module.getContext();
  const CalibrationOptions &calibration = options.calibration;
  SmallVector<ObserveOp> observers;
  module.walk([&](ObserveOp op) { observers.push_back(op); });
  if (observers.empty()) {
    // Nothing to quantize: nothing to measure.
    return success();
  }
  std::vector<std::string> samplePaths;
  if (failed(listSamples(loc, calibration.dataDir, samplePaths)))
    return failure();
  if (calibration.maxSamples > 0 &&
      static_cast<int64_t>(samplePaths.size()) > calibration.maxSamples)
    samplePaths.resize(calibration.maxSamples);

  // The calibration build: every observed tensor becomes an output; the
  // host CPU; the pipeline options of the real compile.
  OwningOpRef<ModuleOp> instrumented(cast<ModuleOp>(module->clone()));
  CPUPipelineOptions pipelineOptions;
  if (failed(pipelineOptions.parseFromString(options.cpuPipelineOptions)))
    return emitError(loc) << "bad --cpu-pipeline-options='"
                          << options.cpuPipelineOptions << "'";
  PassManager pm(context);
  pm.addPass(createExposeObserversPass());
  buildCPUPipeline(pm, pipelineOptions);
  if (failed(pm.run(*instrumented)))
    return emitError(loc) << "cannot compile the calibration build";
  SmallString<128> libPath;
  if (std::error_code ec = llvm::sys::fs::createTemporaryFile(
          "qopt-calibration", "so", libPath))
    return emitError(loc) << "cannot create a temporary file: "
                          << ec.message();
  llvm::FileRemover removeLib(libPath);
  CompileOptions libOptions;
  libOptions.emit = EmitKind::Lib;
  if (failed(emitArtifact(*instrumented, libOptions, libPath)))
    return failure();

  qopt_model *model = nullptr;
  char loadError[512] = {0};
  if (qopt_model_load(libPath.c_str(), &model, loadError, sizeof(loadError)) !=
      QOPT_OK)
    return emitError(loc) << "cannot load the calibration build: "
                          << loadError;
  llvm::scope_exit freeModel([&] { qopt_model_free(model); });

  // Output index -> statistics of the observer it returns.
  std::map<int64_t, ObserveOp> byId;
  for (ObserveOp op : observers)
    byId[op.getId()] = op;
  int32_t numOutputs = qopt_model_num_outputs(model);
  std::vector<std::pair<int32_t, ObserveOp>> observed;
  std::map<int64_t, TensorStatistics> stats;
  for (int32_t o = 0; o < numOutputs; ++o) {
    StringRef name = qopt_model_output(model, o)->name;
    for (auto &[id, op] : byId)
      if (name == getObserverOutputName(id)) {
        observed.push_back({o, op});
        stats.emplace(id, TensorStatistics(op.getChannelAxis().value_or(-1)));
      }
  }

  bool showProgress = calibration.progress && llvm::errs().is_displayed();
  auto start = std::chrono::steady_clock::now();
  int64_t total = samplePaths.size(), done = 0;
  std::vector<qopt_tensor> outputs(numOutputs);
  for (const std::string &path : samplePaths) {
    Sample sample;
    if (failed(readSample(loc, path, model, sample)))
      return failure();
    if (qopt_model_run(model, sample.inputs.data(),
                       static_cast<int32_t>(sample.inputs.size()),
                       outputs.data()) != QOPT_OK)
      return emitError(loc) << "calibration sample '" << path
                            << "': " << qopt_model_last_error(model);
    llvm::scope_exit releaseOutputs([&] {
      for (qopt_tensor &t : outputs)
        qopt_tensor_release(&t);
    });
    for (auto &[index, op] : observed) {
      const qopt_tensor &t = outputs[index];
      if (t.dtype != QOPT_F32)
        return emitError(op.getLoc())
               << "observer " << op.getId() << " ('" << op.getName()
               << "') is not f32; calibration measures f32 tensors only";
      if (std::optional<std::string> error = stats.at(op.getId()).update(
              static_cast<const float *>(t.data),
              ArrayRef<int64_t>(t.dims, t.rank)))
        return emitError(op.getLoc())
               << "calibration sample '" << path << "', tensor '"
               << op.getName() << "': " << *error;
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

  Builder builder(context);
  for (auto &[index, op] : observed) {
    const TensorStatistics &s = stats.at(op.getId());
    op.setMinAttr(builder.getF64FloatAttr(s.getMin()));
    op.setMaxAttr(builder.getF64FloatAttr(s.getMax()));
    op.setSamplesAttr(builder.getI64IntegerAttr(s.getSamples()));
    if (!s.getChannelAbsmax().empty())
      op.setChannelAbsmaxAttr(
          builder.getDenseF32ArrayAttr(s.getChannelAbsmax()));
    auto [lo, hi] = s.computeRange(calibration.method);
    op.setMethodAttr(builder.getStringAttr(calibration.method.str()));
    op.setRangeAttr(builder.getDenseF64ArrayAttr({lo, hi}));
  }
  if (!calibration.reportPath.empty())
    return writeReport(loc, calibration.reportPath, observers, calibration,
                       total);
  return success();
}
