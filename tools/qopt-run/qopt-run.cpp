//===- qopt-run.cpp - run a qopt-compiled model ------------------*- C++ -*-===//
//
//   qopt-run model.so --input NAME=x.npy ... [--inputs all.npz] [--output-dir DIR]
//   qopt-run model.so --test-data test_data_set_0 [--rtol R --atol A]
//   qopt-run model.so --input ... --benchmark=N [--warmup=W] [--threads=T]
//   qopt-run model.so --signature
//
// Uses only the runtime (qopt_runtime.h) and tensor I/O; no LLVM/MLIR.
//
//===----------------------------------------------------------------------===//

#include "qopt/Runtime/TensorIO.h"
#include "qopt/Runtime/qopt_runtime.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <dirent.h>
#include <string>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>
#include <vector>

namespace {

/// The process's resident set now, in MiB (/proc/self/statm; 0 if unknown).
double currentRssMiB() {
  long pages = 0, resident = 0;
  FILE *statm = std::fopen("/proc/self/statm", "r");
  if (!statm)
    return 0;
  if (std::fscanf(statm, "%ld %ld", &pages, &resident) != 2)
    resident = 0;
  std::fclose(statm);
  return double(resident) * double(sysconf(_SC_PAGESIZE)) / (1024.0 * 1024.0);
}

/// The process's peak resident set so far, in MiB.
double peakRssMiB() {
  struct rusage usage;
  getrusage(RUSAGE_SELF, &usage);
  return double(usage.ru_maxrss) / 1024.0; // KiB on Linux
}

void usage() {
  std::fprintf(
      stderr,
      "usage: qopt-run MODEL.so [--input NAME=FILE.npy]... [--inputs FILE.npz]\n"
      "                [--output-dir DIR] [--output-npz FILE.npz]\n"
      "                [--test-data DIR [--rtol R] [--atol A]]\n"
      "                [--benchmark=N [--warmup=W]] [--threads=T] [--device=D]\n"
      "                [--signature]\n");
}

struct Tensors {
  std::vector<qopt_tensor> list;
  ~Tensors() {
    for (qopt_tensor &t : list)
      qopt_tensor_release(&t);
  }
};

double toDouble(const qopt_tensor &t, int64_t i) {
  const void *d = t.data;
  switch (t.dtype) {
  case QOPT_F32: return static_cast<const float *>(d)[i];
  case QOPT_F64: return static_cast<const double *>(d)[i];
  case QOPT_I8: return static_cast<const int8_t *>(d)[i];
  case QOPT_U8: return static_cast<const uint8_t *>(d)[i];
  case QOPT_BOOL: return static_cast<const uint8_t *>(d)[i] != 0;
  case QOPT_I16: return static_cast<const int16_t *>(d)[i];
  case QOPT_U16: return static_cast<const uint16_t *>(d)[i];
  case QOPT_I32: return static_cast<const int32_t *>(d)[i];
  case QOPT_U32: return static_cast<const uint32_t *>(d)[i];
  case QOPT_I64: return static_cast<double>(static_cast<const int64_t *>(d)[i]);
  case QOPT_U64: return static_cast<double>(static_cast<const uint64_t *>(d)[i]);
  case QOPT_F16:
  case QOPT_BF16: {
    uint16_t h = static_cast<const uint16_t *>(d)[i];
    uint32_t bits;
    if (t.dtype == QOPT_BF16) {
      bits = static_cast<uint32_t>(h) << 16;
    } else {
      uint32_t sign = (h & 0x8000u) << 16, exp = (h >> 10) & 0x1f,
               mant = h & 0x3ff;
      if (exp == 0) {
        float f = std::ldexp(static_cast<float>(mant), -24);
        return sign ? -f : f;
      }
      bits = sign | ((exp == 31 ? 255 : exp + 112) << 23) | (mant << 13);
    }
    float f;
    std::memcpy(&f, &bits, 4);
    return f;
  }
  }
  return 0;
}

bool isFloat(qopt_dtype t) {
  return t == QOPT_F32 || t == QOPT_F64 || t == QOPT_F16 || t == QOPT_BF16;
}

std::string shapeOf(const qopt_tensor &t) {
  std::string s = "[";
  for (int32_t i = 0; i < t.rank; ++i)
    s += (i ? "x" : "") + std::to_string(t.dims[i]);
  return s + "]";
}

/// Compares `got` to `want`; prints one line; true when within tolerance.
bool compare(const std::string &name, const qopt_tensor &got,
             const qopt_tensor &want, double rtol, double atol) {
  if (got.dtype != want.dtype || got.rank != want.rank ||
      !std::equal(got.dims, got.dims + got.rank, want.dims)) {
    std::printf("%s: FAIL shape/dtype %s %s vs expected %s %s\n", name.c_str(),
                qopt_dtype_name(got.dtype), shapeOf(got).c_str(),
                qopt_dtype_name(want.dtype), shapeOf(want).c_str());
    return false;
  }
  int64_t n = qopt_tensor_num_elements(&got), bad = 0;
  double maxAbs = 0, maxRel = 0;
  bool exact = !isFloat(got.dtype);
  for (int64_t i = 0; i < n; ++i) {
    double g = toDouble(got, i), w = toDouble(want, i);
    if (std::isnan(w) && std::isnan(g))
      continue;
    if (std::isinf(w) && g == w)
      continue;
    double diff = std::fabs(g - w);
    if (std::isnan(diff))
      diff = INFINITY;
    maxAbs = std::max(maxAbs, diff);
    if (w != 0)
      maxRel = std::max(maxRel, diff / std::fabs(w));
    if (exact ? diff != 0 : diff > atol + rtol * std::fabs(w))
      ++bad;
  }
  std::printf("%s: %s max_abs=%.3g max_rel=%.3g mismatched=%lld/%lld\n",
              name.c_str(), bad ? "FAIL" : "PASS", maxAbs, maxRel,
              (long long)bad, (long long)n);
  return bad == 0;
}

std::vector<std::string> listPrefixed(const std::string &dir,
                                      const std::string &prefix) {
  std::vector<std::string> files;
  for (int i = 0;; ++i) {
    std::string path = dir + "/" + prefix + std::to_string(i) + ".pb";
    struct stat st;
    if (stat(path.c_str(), &st) != 0)
      break;
    files.push_back(path);
  }
  return files;
}

} // namespace

int main(int argc, char **argv) {
  if (argc < 2 || !std::strcmp(argv[1], "--help")) {
    usage();
    return argc < 2 ? 2 : 0;
  }
  std::string modelPath = argv[1], outputDir, outputNpz, testData;
  std::vector<std::pair<std::string, std::string>> inputFiles;
  std::vector<std::string> npzFiles;
  int benchmark = 0, warmup = 3, threads = 0, device = 0;
  double rtol = 1e-3, atol = 1e-4;
  bool signature = false;
  for (int i = 2; i < argc; ++i) {
    std::string arg = argv[i];
    auto value = [&](const std::string &flag) -> const char * {
      if (arg.rfind(flag + "=", 0) == 0)
        return argv[i] + flag.size() + 1;
      if (arg == flag && i + 1 < argc)
        return argv[++i];
      return nullptr;
    };
    const char *v;
    if ((v = value("--input"))) {
      std::string s = v;
      size_t eq = s.find('=');
      if (eq == std::string::npos) {
        std::fprintf(stderr, "qopt-run: --input needs NAME=FILE.npy\n");
        return 2;
      }
      inputFiles.emplace_back(s.substr(0, eq), s.substr(eq + 1));
    } else if ((v = value("--inputs"))) {
      npzFiles.push_back(v);
    } else if ((v = value("--output-npz"))) {
      outputNpz = v;
    } else if ((v = value("--output-dir"))) {
      outputDir = v;
    } else if ((v = value("--test-data"))) {
      testData = v;
    } else if ((v = value("--benchmark"))) {
      benchmark = std::atoi(v);
    } else if ((v = value("--device"))) {
      device = std::atoi(v);
    } else if ((v = value("--threads"))) {
      threads = std::atoi(v);
    } else if ((v = value("--warmup"))) {
      warmup = std::atoi(v);
    } else if ((v = value("--rtol"))) {
      rtol = std::atof(v);
    } else if ((v = value("--atol"))) {
      atol = std::atof(v);
    } else if (arg == "--signature") {
      signature = true;
    } else {
      std::fprintf(stderr, "qopt-run: unknown argument '%s'\n", arg.c_str());
      usage();
      return 2;
    }
  }

  char error[1024];
  qopt_model *model = nullptr;
  double baseRss = currentRssMiB();
  if (qopt_model_load_device(modelPath.c_str(), device, &model, error,
                             sizeof(error)) != QOPT_OK) {
    std::fprintf(stderr, "qopt-run: %s\n", error);
    return 1;
  }
  int32_t numInputs = qopt_model_num_inputs(model);
  int32_t numOutputs = qopt_model_num_outputs(model);
  if (threads != 0 && qopt_model_set_num_threads(model, threads) != QOPT_OK) {
    std::fprintf(stderr, "qopt-run: --threads: %s\n",
                 qopt_model_last_error(model));
    return 2;
  }
  auto printInfo = [](const char *kind, const qopt_tensor_info *info) {
    std::printf("%s %s %s [", kind, info->name, qopt_dtype_name(info->dtype));
    for (int32_t d = 0; d < info->rank; ++d) {
      if (d)
        std::printf(", ");
      if (info->dims[d] >= 0)
        std::printf("%lld", (long long)info->dims[d]);
      else
        std::printf("%s", info->dim_params[d][0] ? info->dim_params[d] : "?");
    }
    std::printf("]\n");
  };
  if (signature) {
    for (int32_t i = 0; i < numInputs; ++i)
      printInfo("input", qopt_model_input(model, i));
    for (int32_t i = 0; i < numOutputs; ++i)
      printInfo("output", qopt_model_output(model, i));
    qopt_model_free(model);
    return 0;
  }

  // Inputs: from --input NAME=FILE or the test-data folder.
  Tensors inputs, expected;
  inputs.list.resize(numInputs);
  std::string message;
  if (!testData.empty()) {
    std::vector<std::string> files = listPrefixed(testData, "input_");
    if (static_cast<int32_t>(files.size()) != numInputs) {
      std::fprintf(stderr, "qopt-run: %s has %zu input_*.pb, the model takes %d\n",
                   testData.c_str(), files.size(), numInputs);
      return 1;
    }
    for (int32_t i = 0; i < numInputs; ++i) {
      std::string name;
      if (!qopt::readTensorProto(files[i], inputs.list[i], name, message)) {
        std::fprintf(stderr, "qopt-run: %s\n", message.c_str());
        return 1;
      }
      // ONNX's test generator stores bfloat16 data as UINT16.
      if (inputs.list[i].dtype == QOPT_U16 &&
          qopt_model_input(model, i)->dtype == QOPT_BF16)
        inputs.list[i].dtype = QOPT_BF16;
    }
    for (const std::string &f : listPrefixed(testData, "output_")) {
      qopt_tensor t;
      std::string name;
      if (!qopt::readTensorProto(f, t, name, message)) {
        std::fprintf(stderr, "qopt-run: %s\n", message.c_str());
        return 1;
      }
      int32_t o = static_cast<int32_t>(expected.list.size());
      if (t.dtype == QOPT_U16 && o < numOutputs &&
          qopt_model_output(model, o)->dtype == QOPT_BF16)
        t.dtype = QOPT_BF16;
      expected.list.push_back(t);
    }
  } else {
    std::vector<bool> given(numInputs, false);
    for (const std::string &npz : npzFiles) {
      std::vector<qopt::NamedTensor> members;
      if (!qopt::readNpz(npz, members, message)) {
        std::fprintf(stderr, "qopt-run: %s\n", message.c_str());
        return 1;
      }
      for (qopt::NamedTensor &m : members) {
        int32_t index = -1;
        for (int32_t i = 0; i < numInputs; ++i)
          if (m.name == qopt_model_input(model, i)->name)
            index = i;
        if (index < 0) {
          std::fprintf(stderr, "qopt-run: %s: the model has no input '%s'\n",
                       npz.c_str(), m.name.c_str());
          for (qopt::NamedTensor &r : members)
            qopt_tensor_release(&r.tensor);
          return 1;
        }
        qopt_tensor_release(&inputs.list[index]);
        inputs.list[index] = m.tensor;
        m.tensor.data = nullptr;
        given[index] = true;
      }
    }
    for (auto &[name, file] : inputFiles) {
      int32_t index = -1;
      for (int32_t i = 0; i < numInputs; ++i)
        if (name == qopt_model_input(model, i)->name)
          index = i;
      if (index < 0) {
        std::fprintf(stderr, "qopt-run: the model has no input '%s'\n",
                     name.c_str());
        return 1;
      }
      if (!qopt::readNpy(file, inputs.list[index], message)) {
        std::fprintf(stderr, "qopt-run: %s\n", message.c_str());
        return 1;
      }
      given[index] = true;
    }
    for (int32_t i = 0; i < numInputs; ++i)
      if (!given[i]) {
        std::fprintf(stderr, "qopt-run: missing --input %s=FILE.npy\n",
                     qopt_model_input(model, i)->name);
        return 1;
      }
  }

  Tensors outputs;
  outputs.list.resize(numOutputs);
  auto runOnce = [&]() {
    for (qopt_tensor &t : outputs.list)
      qopt_tensor_release(&t);
    return qopt_model_run(model, inputs.list.data(), numInputs,
                          outputs.list.data());
  };
  if (runOnce() != QOPT_OK) {
    std::fprintf(stderr, "qopt-run: %s: %s\n", modelPath.c_str(),
                 qopt_model_last_error(model));
    return 1;
  }

  int status = 0;
  if (!expected.list.empty()) {
    if (expected.list.size() != outputs.list.size()) {
      std::printf("FAIL: %zu expected outputs, the model has %zu\n",
                  expected.list.size(), outputs.list.size());
      status = 1;
    }
    for (size_t i = 0; i < std::min(expected.list.size(), outputs.list.size());
         ++i)
      if (!compare(qopt_model_output(model, i)->name, outputs.list[i],
                   expected.list[i], rtol, atol))
        status = 1;
    std::printf("%s\n", status ? "FAIL" : "PASS");
  }
  if (!outputDir.empty()) {
    mkdir(outputDir.c_str(), 0755);
    for (int32_t i = 0; i < numOutputs; ++i) {
      std::string path =
          outputDir + "/" + qopt_model_output(model, i)->name + ".npy";
      if (!qopt::writeNpy(path, outputs.list[i], message)) {
        std::fprintf(stderr, "qopt-run: %s\n", message.c_str());
        status = 1;
      }
    }
  }
  if (!outputNpz.empty()) {
    std::vector<qopt::NamedTensor> named;
    for (int32_t i = 0; i < numOutputs; ++i)
      named.push_back({qopt_model_output(model, i)->name, outputs.list[i]});
    if (!qopt::writeNpz(outputNpz, named, message)) {
      std::fprintf(stderr, "qopt-run: %s\n", message.c_str());
      status = 1;
    }
  }
  if (benchmark > 0) {
    for (int i = 0; i < warmup; ++i)
      runOnce();
    // CUDA models: the device time of each run (CUDA events around its
    // copies and kernels) is printed too.
    std::vector<double> times, deviceTimes;
    for (int i = 0; i < benchmark; ++i) {
      auto start = std::chrono::steady_clock::now();
      if (runOnce() != QOPT_OK) {
        std::fprintf(stderr, "qopt-run: %s: %s\n", modelPath.c_str(),
                     qopt_model_last_error(model));
        return 1;
      }
      auto end = std::chrono::steady_clock::now();
      times.push_back(
          std::chrono::duration<double, std::milli>(end - start).count());
      deviceTimes.push_back(qopt_model_last_device_ms(model));
    }
    std::sort(times.begin(), times.end());
    std::sort(deviceTimes.begin(), deviceTimes.end());
    std::printf("runs=%d min_ms=%.4f median_ms=%.4f max_ms=%.4f", benchmark,
                times.front(), times[times.size() / 2], times.back());
    if (deviceTimes.front() >= 0)
      std::printf(" device_min_ms=%.4f device_median_ms=%.4f",
                  deviceTimes.front(), deviceTimes[deviceTimes.size() / 2]);
    // Memory: the process's peak resident set, and its resident set before
    // the model was loaded (qopt-run itself and the inputs).
    std::printf(" peak_rss_mib=%.1f base_rss_mib=%.1f", peakRssMiB(), baseRss);
    std::printf("\n");
  }
  qopt_model_free(model);
  return status;
}
