#!/usr/bin/env bash
# The main job on the shipped example model (examples/tiny-gpt): set up and
# build if needed, import the model and print the qopt IR summary.
# Later stages (compile, run, accuracy/speed report) extend this script.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BUILD="${QOPT_BUILD_DIR:-$ROOT/build}"
"$ROOT/scripts/setup.sh"
MODEL="${1:-$ROOT/examples/tiny-gpt/tiny-gpt.onnx}"
echo "== qopt-compile --summary $MODEL"
"$BUILD/bin/qopt-compile" --summary "$MODEL"
