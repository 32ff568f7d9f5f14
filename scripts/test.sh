#!/usr/bin/env bash
# The whole test suite: set up (Debian packages + build), then the ONNX
# backend node suite (import, compile for the CPU, run, compare: floors
# below), the same through the CUDA target's program in host emulation, the
# CUDA PTX sweep (PTX of every node test, assembled by ptxas when a CUDA
# toolkit is present), the out-of-tree pass plugin example (built with its
# own CMake, then its lit test), then lit (FileCheck tests, e2e tests, gtest
# unit tests). Output ends with lit's counts. Exit status is non-zero on any
# failure. No GPU is needed (tests that need one are UNSUPPORTED).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BUILD="${QOPT_BUILD_DIR:-$ROOT/build}"
"$ROOT/scripts/setup.sh"

# ONNX Runtime (npm) for the tests that compare QDQ models with it; without
# it those tests report UNSUPPORTED and the rest still run.
"$ROOT/scripts/install-ort.sh" ||
  echo "== ONNX Runtime unavailable: the QDQ-vs-ORT tests will be skipped"

status=0
echo "== ONNX backend node suite (import, compile, run, compare)"
/usr/bin/python3 "$ROOT/scripts/node-suite.py" --build "$BUILD" --run \
  --min-imported 650 --min-passed 645 > "$BUILD/node-suite.txt" || status=1
sed -n '1p;/CRASH/p;/FAILED/p' "$BUILD/node-suite.txt"
echo "(failures by op: $BUILD/node-suite.txt)"

echo "== ONNX backend node suite, CUDA target in host emulation (--cuda-emulate)"
/usr/bin/python3 "$ROOT/scripts/node-suite.py" --build "$BUILD" --run \
  --compile-flags="--target=cuda --cuda-emulate" \
  --min-imported 650 --min-passed 638 > "$BUILD/node-suite-cuda.txt" || status=1
sed -n '1p;/CRASH/p;/FAILED/p' "$BUILD/node-suite-cuda.txt"
echo "(failures by op: $BUILD/node-suite-cuda.txt)"

echo "== CUDA PTX sweep (qopt-compile --target=cuda --emit=ptx; ptxas)"
/usr/bin/python3 "$ROOT/scripts/cuda-ptx-sweep.py" --build "$BUILD" \
  --min-assembled 590 > "$BUILD/cuda-ptx-sweep.txt" || status=1
sed -n '1p;/CRASH/p;/FAILED/p' "$BUILD/cuda-ptx-sweep.txt"

echo "== examples/pass-plugin (its own CMake project against the installed MLIR, and its lit test)"
{
  cmake -G Ninja -S "$ROOT/examples/pass-plugin" -B "$BUILD/pass-plugin" \
    -DMLIR_DIR=/usr/lib/llvm-22/lib/cmake/mlir -DCMAKE_CXX_COMPILER=clang++-22 \
    -DCMAKE_BUILD_TYPE=Release > "$BUILD/pass-plugin.log" 2>&1 &&
    ninja -C "$BUILD/pass-plugin" >> "$BUILD/pass-plugin.log" 2>&1 &&
    /usr/lib/llvm-22/bin/lit -sv --param qopt_opt="$BUILD/bin/qopt-opt" \
      --param plugin="$BUILD/pass-plugin/QOptExamplePlugin.so" "$ROOT/examples/pass-plugin/test"
} || { status=1; tail -20 "$BUILD/pass-plugin.log"; }

echo "== lit"
/usr/lib/llvm-22/bin/lit -sv "$BUILD/test" || status=1
exit $status
