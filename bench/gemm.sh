#!/usr/bin/env bash
# Per-GEMM-shape throughput of qopt's CPU code against this machine's
# measured peak (bench/peak/peak.c, built and run in the same run).
#
#   bench/gemm.sh [OUT=build/bench-gemm]      (THREADS="1 2", RUNS=200, REPEATS=3)
#
# Shapes: Y[M, N] = X[M, K] @ W[K, N] with W constant, M in {1, 32, 128},
# K = N in {256, 1024, 4096}. Each is compiled fp32 and int8 (W8A8, four
# calibration samples) with qopt-compile --target=cpu and timed with
# qopt-run --benchmark (REPEATS times; the lowest median counts, since this
# shared VM at times takes the second core away for a while); the table
# gives that median, GOP/s (2*M*K*N per run) and the fraction of the
# measured peak (fp32: FMA GFLOP/s, int8: vpdpbusd GOP/s, at the same
# thread count). Prints markdown.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
OUT="${1:-$ROOT/build/bench-gemm}"
BUILD="${QOPT_BUILD:-$ROOT/build}"
PYTHON="${PYTHON:-/usr/bin/python3}"
THREADS="${THREADS:-1 2}"
RUNS="${RUNS:-200}"
REPEATS="${REPEATS:-3}"
CC="${CC:-clang-22}"
mkdir -p "$OUT"

"$CC" -O2 -march=native -pthread "$ROOT/bench/peak/peak.c" -o "$OUT/peak"
SHAPES=""
for m in 1 32 128; do for kn in 256 1024 4096; do SHAPES+="${m}x${kn}x${kn},"; done; done
"$PYTHON" "$ROOT/bench/make_gemms.py" "$OUT" "${SHAPES%,}"

peak_table="$("$OUT/peak" "$(nproc)")"
echo "$peak_table"
echo
# peak <fp32|int8> <threads>: the 512-bit figure at that thread count.
peak() {
  local row
  if [[ $1 == fp32 ]]; then row="fp32 FMA, 512-bit"; else row="int8 VNNI, 512-bit"; fi
  echo "$peak_table" | awk -F'|' -v r="$row" -v t="$2" \
    'index($2, r) { gsub(/ /, "", $3); gsub(/ /, "", $4); print (t == 1 ? $3 : $4) }'
}

echo "| M | K = N | precision | threads | median ms | GOP/s | % of peak |"
echo "|---|---|---|---|---|---|---|"
for shape in ${SHAPES//,/ }; do
  IFS=x read -r m k n <<<"$shape"
  name="gemm-$shape"
  for p in fp32 int8; do
    flags=()
    [[ $p == int8 ]] && flags=(--precision=int8 "--calibration=$OUT/cal-$name")
    "$BUILD/bin/qopt-compile" "$OUT/$name.onnx" "${flags[@]}" -o "$OUT/$name-$p.so"
    for t in $THREADS; do
      ms=""
      for ((r = 0; r < REPEATS; r++)); do
        line="$("$BUILD/bin/qopt-run" "$OUT/$name-$p.so" --input "x=$OUT/$name-x.npy" \
          --benchmark="$RUNS" --threads="$t")"
        m1="$(sed -n 's/.*median_ms=\([0-9.]*\).*/\1/p' <<<"$line")"
        if [[ -z "$ms" ]] || awk -v a="$m1" -v b="$ms" 'BEGIN { exit !(a < b) }'; then ms="$m1"; fi
      done
      "$PYTHON" - "$m" "$k" "$n" "$p" "$t" "$ms" "$(peak "$p" "$t")" <<'PY'
import sys
m, k, n = (int(v) for v in sys.argv[1:4])
p, t, ms, peak = sys.argv[4], sys.argv[5], float(sys.argv[6]), float(sys.argv[7])
gops = 2 * m * k * n / (ms * 1e-3) / 1e9
print(f"| {m} | {k} | {p} | {t} | {ms:.4f} | {gops:.1f} | {100 * gops / peak:.1f} % |")
PY
    done
  done
done
