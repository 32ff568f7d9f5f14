#!/usr/bin/env bash
# The whole test suite: set up (Debian packages + build), then the ONNX
# backend node suite (import, compile for the CPU, run, compare: floors
# below), the same through the CUDA target's program in host emulation, the
# CUDA PTX sweep (PTX of every node test, assembled by ptxas when a CUDA
# toolkit is present), then lit (FileCheck tests, e2e tests, gtest unit
# tests). Output ends with lit's counts. Exit status is non-zero on any
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

echo "== lit"
/usr/lib/llvm-22/bin/lit -sv "$BUILD/test" || status=1
exit $status
