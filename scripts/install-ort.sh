#!/usr/bin/env bash
# Installs ONNX Runtime for Node (onnxruntime-node 1.30.0, CPU binaries in
# the npm package) into bench/ort/node_modules, once. Used by bench/run.sh
# (the speed peer) and scripts/test.sh (the QDQ tests compare with ORT).
# Exit status: 0 when ORT loads afterwards, 1 otherwise (with the reason).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
ORT_DIR="$ROOT/bench/ort"
ORT_VERSION=1.30.0
say() { printf '== %s\n' "$*" >&2; }

command -v node >/dev/null && command -v npm >/dev/null || {
  say "node/npm not found: ONNX Runtime is not installed (Debian: apt-get install nodejs npm)"
  exit 1
}
ort_installed() {
  (cd "$ORT_DIR" && node -e "
    const v = require('onnxruntime-node/package.json').version;
    if (v !== '$ORT_VERSION') process.exit(1);
    require('onnxruntime-node');" 2>/dev/null)
}
if ort_installed; then
  exit 0
fi
say "installing onnxruntime-node $ORT_VERSION into bench/ort (npm)"
(cd "$ORT_DIR" && npm install --no-audit --no-fund --save-exact \
   --onnxruntime-node-install=skip "onnxruntime-node@$ORT_VERSION" >&2) || {
  say "npm install failed in bench/ort"
  exit 1
}
ort_installed || {
  say "onnxruntime-node $ORT_VERSION does not load after npm install; try: (cd bench/ort && node -e \"require('onnxruntime-node')\")"
  exit 1
}
