#!/usr/bin/env bash
# qopt vs ONNX Runtime (CPU) on the bench models, in one run.
#
#   bench/run.sh
#
# For each model: compile with qopt-compile, make a random input (fixed
# seed), check qopt's output against ORT's on that input (max abs diff), then
# time qopt-run --benchmark and bench/ort/ort-bench.js for 1 and 2 threads.
# Each measurement is repeated REPEATS times, qopt and ORT interleaved; the
# table shows the lowest median and flags a model/threads pair whose medians
# spread by more than 15 %.
#
# Environment:
#   QOPT_BUILD   build folder with bin/qopt-compile, bin/qopt-run (default build)
#   BENCH_DIR    where models, libraries, inputs and outputs go (default build/bench)
#   THREADS      thread counts to measure (default "1 2")
#   REPEATS      repeats per measurement (default 3)
#   RUNS_SCALE   multiplies the per-model run counts (default 1)
#   NICE         prefix for every measured command (default "nice -n 5")
#   PYTHON       python with numpy + onnx (default /usr/bin/python3)
#   ONLY         space-separated model names to measure (default: all)
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
BUILD="${QOPT_BUILD:-build}"
OUT="${BENCH_DIR:-build/bench}"
THREADS="${THREADS:-1 2}"
REPEATS="${REPEATS:-3}"
RUNS_SCALE="${RUNS_SCALE:-1}"
NICE="${NICE:-nice -n 5}"
PYTHON="${PYTHON:-/usr/bin/python3}"
ORT_DIR="$ROOT/bench/ort"
ORT_VERSION=1.30.0

say() { printf '== %s\n' "$*" >&2; }
die() { printf 'bench/run.sh: error: %s\n' "$*" >&2; exit 1; }

# ---- prerequisites ----------------------------------------------------------

command -v node >/dev/null || die "node not found (Node.js >= 18 is needed for bench/ort)"
command -v npm >/dev/null || die "npm not found"
"$PYTHON" -c 'import numpy, onnx' 2>/dev/null ||
  die "$PYTHON cannot import numpy and onnx (Debian: apt-get install python3-numpy python3-onnx)"

# The build tools may be mid-relink by a concurrent build: wait for them.
wait_for_tool() {
  local tool="$1" tries=0
  until [[ -x "$tool" ]] && "$tool" --help >/dev/null 2>&1; do
    tries=$((tries + 1))
    ((tries <= 10)) || die "$tool is missing or does not run (build qopt first: scripts/setup.sh)"
    say "$tool not ready; waiting 30 s (try $tries/10)"
    sleep 30
  done
}
QOPT_COMPILE="$BUILD/bin/qopt-compile"
QOPT_RUN="$BUILD/bin/qopt-run"
wait_for_tool "$QOPT_COMPILE"
wait_for_tool "$QOPT_RUN"

# onnxruntime-node, installed once (node_modules/ is git-ignored).
"$ROOT/scripts/install-ort.sh" || die "ONNX Runtime (onnxruntime-node $ORT_VERSION) is not available"
ORT_BENCH=(node "$ORT_DIR/ort-bench.js")

# qopt's thread control.
if [[ "$("$QOPT_RUN" --help 2>&1)" == *--threads* ]]; then
  QOPT_THREADS=flag
else
  QOPT_THREADS=none
fi

# ---- models, libraries, inputs ----------------------------------------------

mkdir -p "$OUT"
say "generating models into $OUT"
"$PYTHON" bench/make_models.py "$OUT" >&2
cp examples/tiny-gpt/tiny-gpt.onnx "$OUT/tiny-gpt.onnx"

# name | onnx | input shape | extra qopt-compile flags | qopt runs | ORT runs
# (run counts: about 0.3-2 s per measurement at the speeds seen so far)
# int8 rows: qopt compiles the float model with --precision=int8 calibrated
# on OUT/calibration-NAME (8 samples, default_rng(1)); ORT runs the QDQ
# model bench/make_qdq.py writes from qopt's report (same activation
# ranges; weights per tensor, the layout ORT's int8 MatMul kernels take).
# The 7th field names the ORT model when it differs from the qopt input.
# -dyn-int8 rows: the same qopt int8 build against the model ONNX Runtime's
# quantize_dynamic would write (bench/make_qdq.py --dynamic: u8 activations
# quantized at run time, s8 per-tensor weights), ORT's usual CPU int8 mode
# for transformers and, on this machine, its faster int8 path.
MODELS=(
  "mlp|mlp.onnx|32x1024||40|40"
  "cnn|cnn.onnx|1x3x64x64||100|2000"
  "tiny-gpt|tiny-gpt.onnx|1x128x32||1000|2000"
  "tiny-gpt@1x128x32|tiny-gpt.onnx|1x128x32|--input-shape=x:1x128x32|200|2000"
  "mlp-int8|mlp.onnx|32x1024|--precision=int8 --calibration=@CAL@ --report=@REPORT@|100|100|mlp-int8.qdq.onnx"
  "cnn-int8|cnn.onnx|1x3x64x64|--precision=int8 --calibration=@CAL@ --report=@REPORT@|100|2000|cnn-int8.qdq.onnx"
  "tiny-gpt-int8|tiny-gpt.onnx|1x128x32|--precision=int8 --calibration=@CAL@ --report=@REPORT@|1000|2000|tiny-gpt-int8.qdq.onnx"
  "gpt-256|gpt-256.onnx|1x128x256||100|100"
  "gpt-256-int8|gpt-256.onnx|1x128x256|--precision=int8 --calibration=@CAL@ --report=@REPORT@|200|100|gpt-256-int8.qdq.onnx"
  "gpt-1024|gpt-1024.onnx|1x32x1024||40|40"
  "gpt-1024-int8|gpt-1024.onnx|1x32x1024|--precision=int8 --calibration=@CAL@ --report=@REPORT@|100|100|gpt-1024-int8.qdq.onnx"
  "mlp-dyn-int8|mlp.onnx|32x1024|--precision=int8 --calibration=@CAL@|100|100|mlp.dyn.onnx"
  "tiny-gpt-dyn-int8|tiny-gpt.onnx|1x128x32|--precision=int8 --calibration=@CAL@|1000|2000|tiny-gpt.dyn.onnx"
  "gpt-256-dyn-int8|gpt-256.onnx|1x128x256|--precision=int8 --calibration=@CAL@|200|100|gpt-256.dyn.onnx"
  "gpt-1024-dyn-int8|gpt-1024.onnx|1x32x1024|--precision=int8 --calibration=@CAL@|100|100|gpt-1024.dyn.onnx"
)

if [[ -n "${ONLY:-}" ]]; then
  selected=()
  for entry in "${MODELS[@]}"; do
    [[ " $ONLY " == *" ${entry%%|*} "* ]] && selected+=("$entry")
  done
  ((${#selected[@]})) || die "ONLY='$ONLY' names no model (mlp cnn tiny-gpt tiny-gpt@1x128x32 gpt-256 gpt-1024, with -int8 or -dyn-int8)"
  MODELS=("${selected[@]}")
fi

say "making inputs (numpy default_rng(0), standard normal, float32) and int8 calibration sets (default_rng(1), 8 samples)"
"$PYTHON" - "$OUT" "${MODELS[@]}" <<'EOF'
import os
import sys
import numpy as np
out = sys.argv[1]
for entry in sys.argv[2:]:
    name, _, shape = entry.split("|")[:3]
    dims = tuple(int(d) for d in shape.split("x"))
    x = np.random.default_rng(0).standard_normal(dims).astype(np.float32)
    np.save(f"{out}/{name}.x.npy", x)
    if name.endswith("-int8"):
        cal = f"{out}/calibration-{name}"
        os.makedirs(cal, exist_ok=True)
        rng = np.random.default_rng(1)
        for i in range(8):
            np.savez(f"{cal}/s{i}.npz", x=rng.standard_normal(dims).astype(np.float32))
EOF

for entry in "${MODELS[@]}"; do
  IFS='|' read -r name onnx _ flags _ _ ortmodel <<<"$entry"
  flags="${flags//@CAL@/$OUT/calibration-$name}"
  flags="${flags//@REPORT@/$OUT/$name.report}"
  say "compiling $name: qopt-compile $onnx --target=cpu --emit=lib ${flags}"
  for attempt in 1 2 3; do
    # shellcheck disable=SC2086
    "$QOPT_COMPILE" "$OUT/$onnx" --target=cpu --emit=lib $flags -o "$OUT/$name.so" && break
    # A failure while the tool is being relinked is retried; a real one is not.
    if ((attempt == 3)) || { [[ -x "$QOPT_COMPILE" ]] && "$QOPT_COMPILE" --help >/dev/null 2>&1; }; then
      die "qopt-compile failed for $name"
    fi
    wait_for_tool "$QOPT_COMPILE"
  done
  if [[ "$ortmodel" == *.dyn.onnx ]]; then
    "$PYTHON" bench/make_qdq.py "$OUT/$onnx" - "$OUT/$ortmodel" --dynamic >&2 ||
      die "make_qdq.py --dynamic failed for $name"
  elif [[ -n "$ortmodel" ]]; then
    "$PYTHON" bench/make_qdq.py "$OUT/$onnx" "$OUT/$name.report/report.json" "$OUT/$ortmodel" \
      --per-tensor-weights >&2 || die "make_qdq.py failed for $name"
  fi
done

# ---- measurements -----------------------------------------------------------

median_of() { sed -n 's/.*median_ms=\([0-9.]*\).*/\1/p' <<<"$1"; }
# "peak base" resident set in MiB from a --benchmark line.
memory_of() { sed -n 's/.*peak_rss_mib=\([0-9.]*\) base_rss_mib=\([0-9.]*\).*/\1 \2/p' <<<"$1"; }

mkdir -p "$OUT/out"
RESULTS="$OUT/results.tsv"
: >"$RESULTS"
LOAD_BEFORE="$(cut -d' ' -f1-3 /proc/loadavg)"
say "load average before: $LOAD_BEFORE (nproc $(nproc))"

for entry in "${MODELS[@]}"; do
  IFS='|' read -r name onnx _ _ qruns oruns ortmodel <<<"$entry"
  [[ -n "$ortmodel" ]] && onnx="$ortmodel"
  qruns=$(( qruns * RUNS_SCALE ))
  oruns=$(( oruns * RUNS_SCALE ))
  input="$OUT/$name.x.npy"
  qout="$OUT/out/$name.qopt"
  rm -rf "$qout"
  "$QOPT_RUN" "$OUT/$name.so" --input "x=$input" --output-dir "$qout" >/dev/null ||
    die "qopt-run failed on $name"
  for t in $THREADS; do
    oout="$OUT/out/$name.ort.t$t"
    rm -rf "$oout"
    "${ORT_BENCH[@]}" "$OUT/$onnx" --input "x=$input" --threads="$t" --output-dir "$oout" ||
      die "ort-bench failed on $name"
    # qopt's threads: --threads if qopt-run has it; OMP_NUM_THREADS if the
    # library calls the OpenMP runtime; otherwise single-threaded, measured
    # once (at the first thread count) and reused for the others.
    qopt_cmd=("$QOPT_RUN" "$OUT/$name.so" --input "x=$input"
               --benchmark="$qruns" --warmup=$(( qruns / 10 + 2 )))
    qmode="$QOPT_THREADS"
    parallel=0
    [[ "$(nm -D "$OUT/$name.so" 2>/dev/null)" == *__kmpc_* ]] && parallel=1
    [[ "$qmode" == none ]] && ((parallel)) && qmode=omp
    case "$qmode" in
      flag) qopt_cmd+=(--threads="$t") ;;
      omp) qopt_cmd=(env OMP_NUM_THREADS="$t" "${qopt_cmd[@]}") ;;
    esac
    reuse=0
    [[ "$qmode" == none && "$t" != "${THREADS%% *}" ]] && reuse=1
    qmeds=() omeds=()
    for ((r = 1; r <= REPEATS; r++)); do
      if ((!reuse)); then
        line="$($NICE "${qopt_cmd[@]}")" || die "qopt-run --benchmark failed on $name"
        qmeds+=("$(median_of "$line")")
        qmem="$(memory_of "$line")"
      fi
      line="$($NICE "${ORT_BENCH[@]}" "$OUT/$onnx" --input "x=$input" --threads="$t" \
                --benchmark="$oruns" --warmup=$(( oruns / 10 + 2 )))" || die "ort-bench failed on $name"
      omeds+=("$(median_of "$line")")
      omem="$(memory_of "$line")"
    done
    if ((reuse)); then
      qmeds=("${QOPT_FIRST_MEDS[@]}") qmem="$QOPT_FIRST_MEM"
    else
      QOPT_FIRST_MEDS=("${qmeds[@]}") QOPT_FIRST_MEM="$qmem"
    fi
    qnote="-"
    if [[ "$qmode" == none ]]; then
      qnote="qopt-run has no --threads: qopt single-threaded"
    elif ((!parallel)); then
      qnote="qopt .so has no parallel loops (OpenMP): runs on 1 thread"
    fi
    printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$name" "$t" "$qruns/$oruns" \
      "${qmeds[*]}" "${omeds[*]}" "$qout/y.npy" "$oout/y.npy" "$qnote" \
      "${qmem:-0 0}" "${omem:-0 0}" >>"$RESULTS"
    say "$name threads=$t: qopt medians [${qmeds[*]}] ms, ORT medians [${omeds[*]}] ms"
  done
done
LOAD_AFTER="$(cut -d' ' -f1-3 /proc/loadavg)"

# ---- report -----------------------------------------------------------------

QOPT_VERSION="git $(git rev-parse --short HEAD 2>/dev/null || echo '?')"
git diff --quiet HEAD -- 2>/dev/null || QOPT_VERSION+=" + uncommitted changes"
QOPT_VERSION+=", qopt-compile built $(date -r "$QOPT_COMPILE" '+%F %T')"
"$PYTHON" - "$RESULTS" "$QOPT_THREADS" "$LOAD_BEFORE" "$LOAD_AFTER" "$QOPT_VERSION" <<'EOF'
import sys
import numpy as np

results, qthreads, load_before, load_after, qversion = sys.argv[1:6]
MLP_FLOP = 2 * 32 * (1024 * 4096 + 4096 * 4096 + 4096 * 1024)

rows = []
for line in open(results):
    name, t, runs, q, o, qpath, opath, qnote, qmem, omem = line.rstrip("\n").split("\t")
    qpeak, qbase = (float(v) for v in qmem.split())
    opeak, obase = (float(v) for v in omem.split())
    q = [float(v) for v in q.split()]
    o = [float(v) for v in o.split()]
    qy, oy = np.load(qpath), np.load(opath)
    if qy.shape != oy.shape:
        diff = f"shape {qy.shape} vs {oy.shape}"
    else:
        diff = f"{np.abs(qy.astype(np.float64) - oy.astype(np.float64)).max():.2e}"
        diff += f" (max abs y {np.abs(oy).max():.2g})"
    noisy = []
    if max(q) > 1.15 * min(q):
        noisy.append("qopt")
    if max(o) > 1.15 * min(o):
        noisy.append("ORT")
    qm, om = min(q), min(o)
    gf = ""
    if name == "mlp":
        gf = f"{MLP_FLOP / qm / 1e6:.1f} / {MLP_FLOP / om / 1e6:.1f}"
    notes = [] if qnote == "-" else [qnote]
    if noisy:
        notes.append("spread >15%: " + ",".join(noisy))
    mem = (f"{qpeak:.0f} ({qpeak - qbase:+.0f}) / {opeak:.0f} ({opeak - obase:+.0f})"
           if qpeak and opeak else "")
    rows.append([name, t, runs, f"{qm:.3f}", f"{om:.3f}", f"{om / qm:.2f}", gf, mem, diff,
                 "; ".join(notes)])

head = ["model", "threads", "runs qopt/ORT", "qopt median ms", "ORT median ms",
        "ratio ORT/qopt", "GFLOP/s qopt / ORT", "peak RSS MiB qopt / ORT (+ over base)",
        "max abs diff qopt vs ORT", "note"]
print()
print("| " + " | ".join(head) + " |")
print("|" + "|".join("---" for _ in head) + "|")
for r in rows:
    print("| " + " | ".join(str(c) for c in r) + " |")
print()
print("ratio > 1: qopt is faster. Medians: lowest of the repeats' medians.")
print("Peak RSS: the benchmark process's peak resident set (last repeat); in parentheses the "
      "growth over its resident set before the model/session was loaded.")
# int8 rows: qopt int8 (s8 per-channel weights) vs qopt fp32 in the same run;
# their ORT column is ORT on the QDQ model (per-tensor weights).
best = {(r[0], r[1]): float(r[3]) for r in rows}
ort_best = {(r[0], r[1]): float(r[4]) for r in rows}
speedups = []
for (name, t), qm in sorted(best.items()):
    base = name[:-len("-int8")] if name.endswith("-int8") else None
    if base and (base, t) in best:
        speedups.append(f"{base} {t} thr: qopt int8 {best[(base, t)] / qm:.2f}x qopt fp32, "
                        f"ORT int8 {ort_best[(base, t)] / ort_best[(name, t)]:.2f}x ORT fp32")
if speedups:
    print("int8 speed-ups over fp32 (same run): " + "; ".join(speedups))
if qthreads == "none":
    print("qopt-run has no --threads: qopt runs single-threaded; its threads=2 rows reuse "
          "the threads=1 qopt measurement.")
print(f"load average before: {load_before}; after: {load_after}")
print(f"qopt: {qversion}")
EOF
# The issue-7 summary per model family (stdout) and the plot.
echo
"$PYTHON" bench/plot.py "$RESULTS" "$OUT/plot.svg" || die "bench/plot.py failed"
