//===- Runtime.cpp - load and run qopt-compiled models -----------*- C++ -*-===//
//
// Implements qopt_runtime.h with libc/libstdc++ and dlopen only. A compiled
// model exports qopt_model_abi_version / qopt_model_signature /
// qopt_model_run (include/qopt/Target/CPU/ModelABI.h); this file parses the
// signature, validates inputs, builds memref descriptors, calls the model
// and copies the results into caller-owned tensors.
//
//===----------------------------------------------------------------------===//

#include "qopt/Runtime/qopt_runtime.h"

#include <dlfcn.h>

#include <algorithm>
#include <cstdarg>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <map>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

namespace {

struct TensorDecl {
  std::string name;
  qopt_dtype dtype;
  std::vector<int64_t> dims;
  std::vector<std::string> params;
  std::vector<const char *> paramPtrs;
  qopt_tensor_info info;
};

using AbiVersionFn = int32_t (*)();
using SignatureFn = const char *(*)();
using RunFn = void (*)(void **);
using FreeResultFn = void (*)(void *);
// CUDA models (lib/Runtime/CUDAShim.c).
using CudaInitFn = int (*)(int32_t, char *, size_t);
using CudaLastErrorFn = const char *(*)();
using CudaBeginRunFn = void (*)();
using CudaEndRunFn = double (*)();

std::vector<std::string> split(const std::string &text, char sep) {
  std::vector<std::string> parts;
  std::string current;
  for (char c : text) {
    if (c == sep) {
      parts.push_back(current);
      current.clear();
    } else {
      current.push_back(c);
    }
  }
  parts.push_back(current);
  return parts;
}

void formatInto(std::string &out, const char *fmt, ...) {
  char buffer[1024];
  va_list args;
  va_start(args, fmt);
  vsnprintf(buffer, sizeof(buffer), fmt, args);
  va_end(args);
  out = buffer;
}

std::string shapeString(const int64_t *dims, int32_t rank) {
  std::string s = "[";
  for (int32_t i = 0; i < rank; ++i) {
    if (i)
      s += ", ";
    s += dims[i] < 0 ? std::string("?") : std::to_string(dims[i]);
  }
  return s + "]";
}

} // namespace

struct qopt_model {
  void *handle = nullptr;
  RunFn run = nullptr;
  FreeResultFn freeResult = nullptr;
  CudaLastErrorFn cudaLastError = nullptr;
  CudaBeginRunFn cudaBeginRun = nullptr;
  CudaEndRunFn cudaEndRun = nullptr;
  double lastDeviceMs = -1;
  std::vector<TensorDecl> inputs, outputs;
  std::string lastError;
};

extern "C" {

size_t qopt_dtype_size(qopt_dtype dtype) {
  switch (dtype) {
  case QOPT_F64:
  case QOPT_I64:
  case QOPT_U64:
    return 8;
  case QOPT_F32:
  case QOPT_I32:
  case QOPT_U32:
    return 4;
  case QOPT_F16:
  case QOPT_BF16:
  case QOPT_I16:
  case QOPT_U16:
    return 2;
  case QOPT_I8:
  case QOPT_U8:
  case QOPT_BOOL:
    return 1;
  }
  return 0;
}

static const char *const kDtypeNames[] = {"f32", "f16", "bf16", "f64", "i8",
                                          "u8",  "i16", "u16",  "i32", "u32",
                                          "i64", "u64", "bool"};

const char *qopt_dtype_name(qopt_dtype dtype) {
  int i = static_cast<int>(dtype);
  if (i < 0 || i > QOPT_BOOL)
    return "?";
  return kDtypeNames[i];
}

int qopt_dtype_from_name(const char *name) {
  for (int i = 0; i <= QOPT_BOOL; ++i)
    if (std::strcmp(kDtypeNames[i], name) == 0)
      return i;
  return -1;
}

int64_t qopt_tensor_num_elements(const qopt_tensor *tensor) {
  int64_t n = 1;
  for (int32_t i = 0; i < tensor->rank; ++i)
    n *= tensor->dims[i];
  return n;
}

void qopt_tensor_release(qopt_tensor *tensor) {
  if (!tensor)
    return;
  std::free(tensor->data);
  tensor->data = nullptr;
}

static bool parseSignature(const char *text, qopt_model &model,
                           std::string &error) {
  std::vector<std::string> lines = split(text, '\n');
  if (lines.empty() || lines[0] != "qopt-model-signature 1") {
    error = "unsupported signature header '" +
            (lines.empty() ? std::string() : lines[0]) + "'";
    return false;
  }
  for (size_t l = 1; l < lines.size(); ++l) {
    if (lines[l].empty())
      continue;
    std::vector<std::string> f = split(lines[l], '\t');
    if (f.size() != 5 || (f[0] != "input" && f[0] != "output")) {
      error = "malformed signature line " + std::to_string(l + 1);
      return false;
    }
    TensorDecl decl;
    decl.name = f[1];
    int dtype = qopt_dtype_from_name(f[2].c_str());
    if (dtype < 0) {
      error = "unknown dtype '" + f[2] + "'";
      return false;
    }
    decl.dtype = static_cast<qopt_dtype>(dtype);
    if (!f[3].empty())
      for (const std::string &d : split(f[3], ','))
        decl.dims.push_back(std::strtoll(d.c_str(), nullptr, 10));
    if (decl.dims.size() > QOPT_MAX_RANK) {
      error = "rank above QOPT_MAX_RANK";
      return false;
    }
    decl.params = decl.dims.empty() ? std::vector<std::string>()
                                    : split(f[4], ',');
    decl.params.resize(decl.dims.size());
    (f[0] == "input" ? model.inputs : model.outputs).push_back(std::move(decl));
  }
  for (auto *list : {&model.inputs, &model.outputs})
    for (TensorDecl &decl : *list) {
      for (const std::string &p : decl.params)
        decl.paramPtrs.push_back(p.c_str());
      decl.info = {decl.name.c_str(), decl.dtype,
                   static_cast<int32_t>(decl.dims.size()), decl.dims.data(),
                   decl.paramPtrs.data()};
    }
  return true;
}

qopt_status qopt_model_load(const char *path, qopt_model **out, char *error,
                            size_t errorSize) {
  return qopt_model_load_device(path, 0, out, error, errorSize);
}

qopt_status qopt_model_load_device(const char *path, int32_t device,
                                   qopt_model **out, char *error,
                                   size_t errorSize) {
  *out = nullptr;
  auto fail = [&](qopt_status status, const std::string &message) {
    if (error && errorSize)
      std::snprintf(error, errorSize, "%s: %s", path, message.c_str());
    return status;
  };
  // dlopen searches the library path for names without a slash; a model
  // path is always a file path.
  std::string file = path;
  if (file.find('/') == std::string::npos)
    file = "./" + file;
  void *handle = dlopen(file.c_str(), RTLD_NOW | RTLD_LOCAL);
  if (!handle) {
    const char *why = dlerror();
    return fail(QOPT_ERROR_LOAD, why ? why : "dlopen failed");
  }
  auto version = reinterpret_cast<AbiVersionFn>(
      dlsym(handle, "qopt_model_abi_version"));
  auto signature =
      reinterpret_cast<SignatureFn>(dlsym(handle, "qopt_model_signature"));
  auto run = reinterpret_cast<RunFn>(dlsym(handle, "qopt_model_run"));
  auto freeResult =
      reinterpret_cast<FreeResultFn>(dlsym(handle, "qopt_model_free_result"));
  if (!version || !signature || !run) {
    dlclose(handle);
    return fail(QOPT_ERROR_LOAD,
                "not a qopt model (missing qopt_model_* symbols; compile it "
                "with qopt-compile --emit=lib)");
  }
  if (version() != QOPT_RUNTIME_ABI_VERSION) {
    int32_t v = version();
    dlclose(handle);
    return fail(QOPT_ERROR_LOAD, "model ABI version " + std::to_string(v) +
                                     ", this runtime reads version " +
                                     std::to_string(QOPT_RUNTIME_ABI_VERSION) +
                                     " (recompile the model)");
  }
  if (!freeResult) {
    dlclose(handle);
    return fail(QOPT_ERROR_LOAD, "the model lacks qopt_model_free_result "
                                 "(recompile it with qopt-compile)");
  }
  auto model = std::make_unique<qopt_model>();
  model->handle = handle;
  model->run = run;
  model->freeResult = freeResult;
  std::string message;
  if (!parseSignature(signature(), *model, message)) {
    dlclose(handle);
    return fail(QOPT_ERROR_SIGNATURE, "bad model signature: " + message);
  }
  // A CUDA model opens the driver and its device now, so a machine without
  // one fails here, once, rather than on every run.
  if (auto cudaInit =
          reinterpret_cast<CudaInitFn>(dlsym(handle, "qopt_cuda_init"))) {
    model->cudaLastError = reinterpret_cast<CudaLastErrorFn>(
        dlsym(handle, "qopt_cuda_last_error"));
    model->cudaBeginRun = reinterpret_cast<CudaBeginRunFn>(
        dlsym(handle, "qopt_cuda_begin_run"));
    model->cudaEndRun =
        reinterpret_cast<CudaEndRunFn>(dlsym(handle, "qopt_cuda_end_run"));
    if (!model->cudaLastError || !model->cudaBeginRun || !model->cudaEndRun) {
      dlclose(handle);
      return fail(QOPT_ERROR_LOAD, "a CUDA model without the qopt_cuda_* "
                                   "entry points (recompile it)");
    }
    char cudaError[512] = {0};
    if (cudaInit(device, cudaError, sizeof(cudaError)) != 0) {
      dlclose(handle);
      return fail(QOPT_ERROR_DEVICE, cudaError);
    }
  }
  *out = model.release();
  return QOPT_OK;
}

void qopt_model_free(qopt_model *model) {
  if (!model)
    return;
  if (model->handle)
    dlclose(model->handle);
  delete model;
}

int32_t qopt_model_num_inputs(const qopt_model *model) {
  return static_cast<int32_t>(model->inputs.size());
}
int32_t qopt_model_num_outputs(const qopt_model *model) {
  return static_cast<int32_t>(model->outputs.size());
}
const qopt_tensor_info *qopt_model_input(const qopt_model *model, int32_t i) {
  if (i < 0 || i >= qopt_model_num_inputs(model))
    return nullptr;
  return &model->inputs[i].info;
}
const qopt_tensor_info *qopt_model_output(const qopt_model *model,
                                          int32_t i) {
  if (i < 0 || i >= qopt_model_num_outputs(model))
    return nullptr;
  return &model->outputs[i].info;
}
qopt_status qopt_model_set_num_threads(qopt_model *model, int32_t n) {
  if (n < 1) {
    model->lastError = "the thread count must be >= 1, got " + std::to_string(n);
    return QOPT_ERROR_INPUT;
  }
  // The model links LLVM's OpenMP runtime when it has parallel loops; the
  // lookup through its handle finds it among the model's dependencies.
  using SetThreadsFn = void (*)(int);
  auto setThreads =
      reinterpret_cast<SetThreadsFn>(dlsym(model->handle, "omp_set_num_threads"));
  if (setThreads)
    setThreads(n);
  return QOPT_OK;
}

const char *qopt_model_target(const qopt_model *model) {
  return model->cudaLastError ? "cuda" : "cpu";
}

double qopt_model_last_device_ms(const qopt_model *model) {
  return model->lastDeviceMs;
}

const char *qopt_model_last_error(const qopt_model *model) {
  return model ? model->lastError.c_str() : "no model";
}

static bool checkInputs(qopt_model *model, const qopt_tensor *inputs,
                        int32_t count) {
  std::string &error = model->lastError;
  if (count != qopt_model_num_inputs(model)) {
    formatInto(error, "the model takes %d input(s), got %d",
               qopt_model_num_inputs(model), count);
    return false;
  }
  std::map<std::string, std::pair<int64_t, std::string>> symbols;
  for (int32_t i = 0; i < count; ++i) {
    const TensorDecl &decl = model->inputs[i];
    const qopt_tensor &t = inputs[i];
    int32_t rank = static_cast<int32_t>(decl.dims.size());
    std::string want = shapeString(decl.dims.data(), rank);
    if (t.dtype != decl.dtype) {
      formatInto(error, "input '%s': expects dtype %s, got %s",
                 decl.name.c_str(), qopt_dtype_name(decl.dtype),
                 qopt_dtype_name(t.dtype));
      return false;
    }
    if (t.rank != rank) {
      formatInto(error, "input '%s': expects rank %d %s, got rank %d %s",
                 decl.name.c_str(), rank, want.c_str(), t.rank,
                 shapeString(t.dims, t.rank < 0 ? 0 : t.rank).c_str());
      return false;
    }
    if (!t.data && qopt_tensor_num_elements(&t) > 0) {
      formatInto(error, "input '%s': data is NULL", decl.name.c_str());
      return false;
    }
    for (int32_t d = 0; d < rank; ++d) {
      if (t.dims[d] < 0 || (decl.dims[d] >= 0 && t.dims[d] != decl.dims[d])) {
        formatInto(error, "input '%s': expects shape %s, got %s",
                   decl.name.c_str(), want.c_str(),
                   shapeString(t.dims, rank).c_str());
        return false;
      }
      const std::string &param = decl.params[d];
      if (decl.dims[d] >= 0 || param.empty())
        continue;
      auto [it, inserted] =
          symbols.emplace(param, std::make_pair(t.dims[d], decl.name));
      if (!inserted && it->second.first != t.dims[d]) {
        formatInto(error,
                   "input '%s': dim '%s' is %lld, but input '%s' has it %lld",
                   decl.name.c_str(), param.c_str(), (long long)t.dims[d],
                   it->second.second.c_str(), (long long)it->second.first);
        return false;
      }
    }
  }
  return true;
}

qopt_status qopt_model_run(qopt_model *model, const qopt_tensor *inputs,
                           int32_t numInputs, qopt_tensor *outputs) {
  if (!checkInputs(model, inputs, numInputs))
    return QOPT_ERROR_INPUT;
  // Input descriptors: {allocated, aligned, offset, sizes[R], strides[R]}.
  std::vector<std::vector<int64_t>> descriptors(numInputs);
  std::vector<void *> args(1 + numInputs);
  for (int32_t i = 0; i < numInputs; ++i) {
    const qopt_tensor &t = inputs[i];
    std::vector<int64_t> &desc = descriptors[i];
    desc.resize(3 + 2 * t.rank);
    std::memcpy(&desc[0], &t.data, sizeof(void *));
    std::memcpy(&desc[1], &t.data, sizeof(void *));
    desc[2] = 0;
    int64_t stride = 1;
    for (int32_t d = t.rank - 1; d >= 0; --d) {
      desc[3 + d] = t.dims[d];
      desc[3 + t.rank + d] = stride;
      stride *= t.dims[d];
    }
    args[1 + i] = desc.data();
  }
  size_t resultWords = 0;
  for (const TensorDecl &decl : model->outputs)
    resultWords += 3 + 2 * decl.dims.size();
  std::vector<int64_t> results(resultWords, 0);
  args[0] = results.data();
  if (model->cudaBeginRun)
    model->cudaBeginRun();
  model->run(args.data());
  const char *deviceError = nullptr;
  if (model->cudaEndRun) {
    model->lastDeviceMs = model->cudaEndRun();
    deviceError = model->cudaLastError();
  }

  // Copy every result into a dense caller-owned buffer; free the model's.
  // After a device error the results hold nothing useful: they are freed,
  // not copied.
  size_t offsetWords = 0;
  qopt_status status = QOPT_OK;
  // Free each model allocation once, and never an input's memory (the model
  // owns its results, but a defensive runtime costs nothing here).
  std::vector<void *> freed;
  for (int32_t i = 0; i < numInputs; ++i)
    freed.push_back(inputs[i].data);
  for (size_t o = 0; o < model->outputs.size(); ++o) {
    const TensorDecl &decl = model->outputs[o];
    int32_t rank = static_cast<int32_t>(decl.dims.size());
    const int64_t *desc = &results[offsetWords];
    offsetWords += 3 + 2 * rank;
    void *allocated, *aligned;
    std::memcpy(&allocated, &desc[0], sizeof(void *));
    std::memcpy(&aligned, &desc[1], sizeof(void *));
    qopt_tensor &out = outputs[o];
    out.dtype = decl.dtype;
    out.rank = rank;
    int64_t count = 1;
    for (int32_t d = 0; d < rank; ++d) {
      out.dims[d] = desc[3 + d];
      count *= desc[3 + d];
    }
    size_t elem = qopt_dtype_size(decl.dtype);
    out.data = deviceError
                   ? nullptr
                   : std::malloc(count * elem > 0 ? count * elem : 1);
    if (!out.data && !deviceError) {
      status = QOPT_ERROR_MEMORY;
      model->lastError = "out of memory for output '" + decl.name + "'";
    } else if (out.data) {
      const char *base =
          static_cast<const char *>(aligned) + desc[2] * elem;
      bool contiguous = true;
      int64_t expected = 1;
      for (int32_t d = rank - 1; d >= 0; --d) {
        if (out.dims[d] != 1 && desc[3 + rank + d] != expected)
          contiguous = false;
        expected *= out.dims[d];
      }
      if (contiguous && expected > 0)
        std::memcpy(out.data, base, expected * elem);
      std::vector<int64_t> index(rank, 0);
      char *dst = static_cast<char *>(out.data);
      for (int64_t n = 0; !contiguous && n < count; ++n) {
        int64_t off = 0;
        for (int32_t d = 0; d < rank; ++d)
          off += index[d] * desc[3 + rank + d];
        std::memcpy(dst + n * elem, base + off * elem, elem);
        for (int32_t d = rank - 1; d >= 0; --d) {
          if (++index[d] < out.dims[d])
            break;
          index[d] = 0;
        }
      }
    }
    if (std::find(freed.begin(), freed.end(), allocated) == freed.end()) {
      freed.push_back(allocated);
      model->freeResult(allocated);
    }
  }
  if (deviceError) {
    model->lastError = deviceError;
    return QOPT_ERROR_DEVICE;
  }
  return status;
}

} // extern "C"
