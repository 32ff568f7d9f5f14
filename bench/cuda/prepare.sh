#!/usr/bin/env bash
# bench/cuda, step 1 (on the build machine: qopt-compile needs LLVM/MLIR):
# the bench models (MLP, CNN, tiny-gpt) and GEMMs, compiled for the GPU in
# fp32 and int8 and for this CPU (whose outputs are the reference the GPU
# results are checked against), with their inputs, into OUT.
#
#   bench/cuda/prepare.sh [OUT=build/bench-cuda] [ARCH=sm_90]
#
# Step 2 runs on the GPU machine: python3 bench/cuda/run.py OUT
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
OUT="${1:-$ROOT/build/bench-cuda}"
ARCH="${2:-sm_90}"
BUILD="${QOPT_BUILD:-$ROOT/build}"
PYTHON="${PYTHON:-/usr/bin/python3}"
mkdir -p "$OUT"
"$PYTHON" "$ROOT/bench/make_models.py" "$OUT"
cp "$ROOT/examples/tiny-gpt/tiny-gpt.onnx" "$OUT/"
"$PYTHON" "$ROOT/bench/make_gemms.py" "$OUT"
"$PYTHON" - "$OUT" <<'PY'
import os, sys
import numpy as np
out = sys.argv[1]
rng = np.random.default_rng(0)
for name, shape in (("mlp", (32, 1024)), ("cnn", (1, 3, 64, 64)), ("tiny-gpt", (1, 128, 32))):
    np.save(os.path.join(out, f"{name}-x.npy"), rng.standard_normal(shape).astype(np.float32))
    cal = os.path.join(out, f"cal-{name}")
    os.makedirs(cal, exist_ok=True)
    for i in range(4):
        np.savez(os.path.join(cal, f"s{i}.npz"), x=rng.standard_normal(shape).astype(np.float32))
PY
models="mlp cnn tiny-gpt $(cd "$OUT" && ls gemm-*.onnx | sed 's/\.onnx$//')"
for m in $models; do
  for p in fp32 int8; do
    flags=()
    [[ $p == int8 ]] && flags=(--precision=int8 "--calibration=$OUT/cal-$m")
    echo "== $m $p" >&2
    "$BUILD/bin/qopt-compile" "$OUT/$m.onnx" --target=cuda --cuda-arch="$ARCH" \
      "${flags[@]}" -o "$OUT/$m-$p-cuda.so"
    "$BUILD/bin/qopt-compile" "$OUT/$m.onnx" "${flags[@]}" -o "$OUT/$m-$p-cpu.so"
    "$BUILD/bin/qopt-run" "$OUT/$m-$p-cpu.so" --input "x=$OUT/$m-x.npy" \
      --output-dir "$OUT/$m-$p-ref"
  done
done
cp "$BUILD/lib/libqopt_runtime.so" "$OUT/"
echo "prepared $OUT for $ARCH; on the GPU machine: python3 bench/cuda/run.py $OUT" >&2
