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
cmake -S "$ROOT" -B "$BUILD_DIR" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DSLATEDB_INSTALL=ON >/dev/null
ninja -C "$BUILD_DIR" -j"${JOBS:-$(nproc)}" "$@"
cmake --install "$BUILD_DIR" --prefix "$BUILD_DIR/install" >/dev/null
