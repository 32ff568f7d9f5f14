# -*- Python -*-
# lit configuration for qopt: FileCheck tests of the dialect, the importer,
# passes and tools, plus the gtest unit tests.

import os

import lit.formats
import lit.util
from lit.llvm import llvm_config
from lit.llvm.subst import ToolSubst

config.name = "QOPT"
config.test_format = lit.formats.ShTest(not llvm_config.use_lit_shell)
config.suffixes = [".mlir", ".onnxtxt", ".test"]
config.excludes = ["Inputs", "CMakeLists.txt", "lit.cfg.py", "lit.site.cfg.py"]
config.test_source_root = os.path.dirname(__file__)
config.test_exec_root = os.path.join(config.qopt_obj_root, "test")

config.substitutions.append(("%PATH%", config.environment["PATH"]))
config.substitutions.append(("%python", config.python_executable))
config.substitutions.append(("%qopt_src", config.qopt_src_root))
# MLIR's ODS include folder (for mlir-tblgen in test/Docs).
config.substitutions.append(
    ("%mlir_include", os.path.normpath(os.path.join(config.llvm_tools_dir, "..", "include"))))
config.substitutions.append(
    ("%onnx_testdata", "/usr/share/libonnx-testdata/data/node"))
# Splits an .onnxtxt file into models at `# -----` lines. A substitution, so
# that the RUN line itself does not contain the marker.
config.substitutions.append(("%onnx_split", "--split-input-file='# -----'"))

llvm_config.with_system_environment(["HOME", "INCLUDE", "LIB", "TMP", "TEMP"])
llvm_config.use_default_substitutions()
# `not`, `count` and `split-file` at the start of a RUN line.
llvm_config.with_environment("PATH", config.llvm_tools_dir, append_path=True)

tool_dirs = [config.qopt_tools_dir, config.llvm_tools_dir]
tools = ["qopt-opt", "qopt-translate", "qopt-compile", "qopt-run", "qopt-unittests"]
llvm_config.add_tool_substitutions(tools, tool_dirs)

if os.path.isdir("/usr/share/libonnx-testdata/data/node"):
    config.available_features.add("onnx-testdata")

# The ONNX Python package, for tests that generate models with %python.
import subprocess
if subprocess.call([config.python_executable, "-c", "import onnx, numpy"],
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL) == 0:
    config.available_features.add("python-onnx")

# ONNX Runtime for Node (scripts/install-ort.sh), for tests that compare
# with ORT's results.
import subprocess
_ort = os.path.join(config.qopt_src_root, "bench", "ort")
try:
    if subprocess.run(["node", "-e", "require('onnxruntime-node')"], cwd=_ort,
                      stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                      timeout=60).returncode == 0:
        config.available_features.add("onnxruntime")
except (OSError, subprocess.TimeoutExpired):
    pass
config.substitutions.append(("%ort_bench", "node " + os.path.join(_ort, "ort-bench.js")))

# Headless Chromium (Debian's `chromium`), for the report.html rendering
# test; without it that test is UNSUPPORTED.
import shutil
_chromium = shutil.which("chromium") or shutil.which("chromium-browser")
if _chromium:
    config.available_features.add("chromium")
    config.substitutions.append(("%chromium", _chromium))

# CUDA: `ptxas` when a CUDA toolkit is found (the PTX the CUDA target emits
# is assembled to check it); `cuda-driver` when libcuda.so.1 loads, and
# `cuda-gpu` when it also reports a device (the GPU execution tests; CI has
# neither, and those tests are UNSUPPORTED there).
_toolkits = [os.environ.get("CUDA_HOME", ""), os.environ.get("CUDA_PATH", ""),
             "/usr/local/cuda"]
_ptxas = shutil.which("ptxas")
if _ptxas:
    _toolkits.append(os.path.dirname(os.path.dirname(_ptxas)))
for _dir in _toolkits:
    if _dir and os.path.isfile(os.path.join(_dir, "bin", "ptxas")):
        config.available_features.add("ptxas")
        config.substitutions.append(("%ptxas", os.path.join(_dir, "bin", "ptxas")))
        break
import ctypes
try:
    _cuda = ctypes.CDLL("libcuda.so.1")
    config.available_features.add("cuda-driver")
    _count = ctypes.c_int(0)
    if _cuda.cuInit(0) == 0 and _cuda.cuDeviceGetCount(ctypes.byref(_count)) == 0 \
            and _count.value > 0:
        config.available_features.add("cuda-gpu")
except OSError:
    pass
