#!/usr/bin/env bash
# The whole test suite: set up (Debian packages + build), then the ONNX
# backend node-suite import measure, then lit (FileCheck tests and the gtest
# unit tests). Output ends with lit's counts. Exit status is non-zero on any
# failure.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BUILD="${QOPT_BUILD_DIR:-$ROOT/build}"
"$ROOT/scripts/setup.sh"

status=0
echo "== ONNX backend node suite (import)"
/usr/bin/python3 "$ROOT/scripts/node-suite.py" --build "$BUILD" \
  --min-imported 650 | sed -n '1p;$p' || status=1

echo "== lit"
/usr/lib/llvm-22/bin/lit -sv "$BUILD/test" || status=1
exit $status
