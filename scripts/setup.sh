#!/usr/bin/env bash
# Install every Debian package qopt needs (skipping those already present) and
# build the project with ninja into ./build (or $QOPT_BUILD_DIR).
#
#   scripts/setup.sh            install + configure + build
#   QOPT_SKIP_BUILD=1 scripts/setup.sh   install only
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BUILD="${QOPT_BUILD_DIR:-$ROOT/build}"

PACKAGES=(
  # toolchain and build
  cmake ninja-build ccache clang-22 lld-22
  # OpenMP runtime the compiled models use for multithreading
  libomp-22-dev
  # LLVM / MLIR 22
  llvm-22-dev llvm-22-tools libmlir-22-dev mlir-22-tools
  # ONNX 1.12 + protobuf 3.21
  libonnx-dev libprotobuf-dev protobuf-compiler libonnx-testdata
  # unit tests
  libgtest-dev
  # Python side (test scripts, reference numerics)
  python3 python3-numpy python3-onnx
  # headless browser for the report.html rendering test (report-html.test)
  chromium
)

missing=()
for p in "${PACKAGES[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done

if ((${#missing[@]})); then
  echo "setup: installing ${missing[*]}"
  SUDO=""
  if [[ $(id -u) -ne 0 ]]; then SUDO="sudo"; fi
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update -qq
  $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
else
  echo "setup: all Debian packages present"
fi

if [[ "${QOPT_SKIP_BUILD:-0}" == "1" ]]; then exit 0; fi

if [[ ! -f "$BUILD/build.ninja" ]]; then
  echo "setup: configuring $BUILD"
  CC=clang-22 CXX=clang++-22 cmake -G Ninja -S "$ROOT" -B "$BUILD" \
    -DCMAKE_BUILD_TYPE=Release \
    -DMLIR_DIR=/usr/lib/llvm-22/lib/cmake/mlir \
    -DLLVM_EXTERNAL_LIT=/usr/lib/llvm-22/bin/lit \
    -DCMAKE_CXX_COMPILER_LAUNCHER=ccache
fi
echo "setup: building (ninja -C $BUILD)"
ninja -C "$BUILD"
