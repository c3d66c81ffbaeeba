#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
#
# Builds the JavaScript package's module, wasm/dist/slatedb_wasm.mjs + slatedb_wasm.wasm (what
# ships), and the test module wasm/dist-test/slatedb_wasm_test.{mjs,wasm} (the same plus
# self-tests and benchmark loops, for wasm/tests and bench/wasm_bench.mjs). Then
# scripts/test-wasm.sh runs the tests.
#
#   1. installs what is missing (Debian: emscripten, cmake, ninja, xxhash, nlohmann-json);
#   2. scripts/build-wasm-deps.sh (the block codecs zstd, snappy, lz4, zlib for wasm, once);
#   3. emcmake cmake -S . -B build-wasm (Release, -O2, -mtail-call) and builds the targets
#      named as arguments (default: slatedb_wasm slatedb_wasm_test).
# Idempotent and incremental: a second run only rebuilds what changed.
#
# Environment: BUILD_DIR (default <repo>/build-wasm), SLATEDB_WASM_DEPS (default
# <repo>/build/wasm-deps), JOBS.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BUILD_DIR="${BUILD_DIR:-$ROOT/build-wasm}"
DEPS="${SLATEDB_WASM_DEPS:-$ROOT/build/wasm-deps}"
JOBS="${JOBS:-$(nproc 2>/dev/null || echo 2)}"
export SLATEDB_WASM_DEPS="$DEPS" JOBS
# emcc -O2 runs acorn-optimizer.js, which needs Debian's node-acorn; the machine's node
# does not search /usr/share/nodejs by itself.
export NODE_PATH="${NODE_PATH:+$NODE_PATH:}/usr/share/nodejs"

log() { printf '[build-wasm] %s\n' "$*"; }
t_start=$(date +%s)

# --- packages ----------------------------------------------------------------------------------
SUDO=""
if [[ $(id -u) -ne 0 ]] && command -v sudo >/dev/null; then SUDO="sudo"; fi
missing=()
for pkg in emscripten node-acorn cmake ninja-build libxxhash-dev nlohmann-json3-dev dpkg-dev \
           flatbuffers-compiler libflatbuffers-dev; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done
if [[ ${#missing[@]} -gt 0 ]]; then
  log "installing ${missing[*]}"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${missing[@]}"
fi
command -v node >/dev/null || { log "error: node (v20+) is required" >&2; exit 1; }

# --- the block codecs for wasm ------------------------------------------------------------------
"$ROOT/scripts/build-wasm-deps.sh"

# --- header-only dependencies --------------------------------------------------------------------
# The Emscripten toolchain file only searches its sysroot, and putting /usr/include on a
# wasm compile line would let host libc headers shadow the sysroot's. So expose exactly the
# header-only libraries through a directory of their own.
HDRS="$DEPS/include"
mkdir -p "$HDRS"
ln -sfn /usr/include/nlohmann "$HDRS/nlohmann"
ln -sfn /usr/include/xxhash.h "$HDRS/xxhash.h"
ln -sfn /usr/include/flatbuffers "$HDRS/flatbuffers"

# The toolchain file only searches its sysroot, so the codec paths are given directly
# (cache hits skip the search).
CODEC_ARGS=()
for pair in ZSTD:zstd SNAPPY:snappy LZ4:lz4 ZLIB:zlib; do
  name="${pair%%:*}"; lib="${pair##*:}"
  CODEC_ARGS+=("-D${name}_INCLUDE_DIR=$DEPS/$lib/include" "-D${name}_LIBRARY=$DEPS/$lib/lib/lib$lib.a")
done
# --- configure + build ---------------------------------------------------------------------------
if [[ ! -f "$BUILD_DIR/build.ninja" ]]; then
  log "configuring $BUILD_DIR"
  emcmake cmake -S "$ROOT" -B "$BUILD_DIR" -G Ninja \
    -DCMAKE_BUILD_TYPE=Release \
    -DCMAKE_C_FLAGS_RELEASE="-O2 -DNDEBUG" \
    -DCMAKE_CXX_FLAGS_RELEASE="-O2 -DNDEBUG" \
    "${CODEC_ARGS[@]}" \
    -DNLOHMANN_JSON_INCLUDE_DIR="$HDRS" \
    -DXXHASH_INCLUDE_DIR="$HDRS" \
    -DFLATBUFFERS_INCLUDE_DIR="$HDRS" \
    -DSLATEDB_BUILD_TESTS=OFF -DSLATEDB_BUILD_BENCH=OFF -DSLATEDB_INSTALL=OFF
else
  # Re-run CMake so new core sources (and the engine auto-detection) are picked up.
  cmake "$BUILD_DIR" -DFLATBUFFERS_INCLUDE_DIR="$HDRS" "${CODEC_ARGS[@]}" >/dev/null
fi
TARGETS=("$@")
[[ ${#TARGETS[@]} -gt 0 ]] || TARGETS=(slatedb_wasm slatedb_wasm_test)
log "building ${TARGETS[*]} (jobs=$JOBS)"
cmake --build "$BUILD_DIR" --target "${TARGETS[@]}" -j "$JOBS"
shipped="$ROOT/wasm/dist/slatedb_wasm.wasm"
if [[ -f "$shipped" ]]; then
  log "shipped module: $(stat -c %s "$shipped") bytes, $(gzip -9 -c "$shipped" | wc -c) gzipped (-9)"
fi
log "done in $(( $(date +%s) - t_start ))s"
