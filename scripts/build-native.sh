#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
#
# Configures and builds the native tree (library, tests, benchmarks) in build/ and
# installs it into build/install. Incremental.
#   scripts/build-native.sh                 everything
#   scripts/build-native.sh T1 T2 ...       only these ninja targets (and what they need);
#                                           the CI builds its test binaries under
#                                           sanitizers instead (scripts/sanitize.sh)
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BUILD_DIR="${BUILD_DIR:-$ROOT/build}"
"$ROOT/scripts/install-deps.sh"
# SLATEDB_DEBUG_INFO=0 (scripts/test.sh exports it) leaves out -g: nothing in CI reads the
# debug information of this build, and writing it is about a quarter of the compile time.
opt="-O2 -g -DNDEBUG"
[[ "${SLATEDB_DEBUG_INFO:-1}" == 0 ]] && opt="-O2 -DNDEBUG"
cmake -S "$ROOT" -B "$BUILD_DIR" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DCMAKE_CXX_FLAGS_RELWITHDEBINFO="$opt" -DCMAKE_C_FLAGS_RELWITHDEBINFO="$opt" \
  -DSLATEDB_INSTALL=ON >/dev/null
ninja -C "$BUILD_DIR" -j"${JOBS:-$(nproc)}" "$@"
cmake --install "$BUILD_DIR" --prefix "$BUILD_DIR/install" >/dev/null
