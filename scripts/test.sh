#!/usr/bin/env bash
# The whole test suite: set up (Debian packages + build), then the ONNX
# backend node suite (import, compile for the CPU, run, compare: floors
# below), then lit (FileCheck tests, e2e tests, gtest unit tests). Output ends
# with lit's counts. Exit status is non-zero on any failure.
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

echo "== lit"
/usr/lib/llvm-22/bin/lit -sv "$BUILD/test" || status=1
exit $status
