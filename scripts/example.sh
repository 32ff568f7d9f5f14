#!/usr/bin/env bash
# The main job on the shipped example model (examples/tiny-gpt, one GPT-2
# style transformer block): set up and build if needed, then
#   1. import it and print the qopt IR summary,
#   2. compile it for this CPU into a shared library,
#   3. run it on a random input [1, 128, 32] through the runtime,
#   4. check the result against a numpy evaluation of the same ONNX graph,
#   5. report the latency (median of 200 runs after warm-up).
# Later stages (quantization, accuracy report) extend this script.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BUILD="${QOPT_BUILD_DIR:-$ROOT/build}"
"$ROOT/scripts/setup.sh"
MODEL="${1:-$ROOT/examples/tiny-gpt/tiny-gpt.onnx}"
WORK="$BUILD/example"
rm -rf "$WORK" && mkdir -p "$WORK"
PY=/usr/bin/python3

echo "== 1. qopt-compile --summary $MODEL"
"$BUILD/bin/qopt-compile" --summary "$MODEL"

echo "== 2. qopt-compile --target=cpu --emit=lib"
"$BUILD/bin/qopt-compile" "$MODEL" --target=cpu --emit=lib -o "$WORK/model.so"
"$BUILD/bin/qopt-run" "$WORK/model.so" --signature

echo "== 3. qopt-run on x[1, 128, 32]"
$PY -c "import numpy as np; np.save('$WORK/x.npy', np.random.default_rng(0).standard_normal((1, 128, 32), dtype=np.float32))"
"$BUILD/bin/qopt-run" "$WORK/model.so" --input x="$WORK/x.npy" --output-dir "$WORK/qopt"

echo "== 4. check against numpy (rtol 1e-4, atol 1e-5)"
$PY "$ROOT/test/e2e/Inputs/numpy_reference.py" "$MODEL" --input x="$WORK/x.npy" --output-dir "$WORK/numpy"
$PY "$ROOT/test/e2e/Inputs/compare.py" "$WORK/qopt" "$WORK/numpy"

echo "== 5. latency"
"$BUILD/bin/qopt-run" "$WORK/model.so" --input x="$WORK/x.npy" --benchmark=200 --warmup=20 --threads=1
