#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
#
# The demo: builds SlateDB, builds the example application in examples/cpp against the
# installed library (as any CMake project would), and runs it on a local directory.
# Run it twice to see the database remember the first run.
#
#   scripts/demo.sh [DIRECTORY]      (default: /tmp/slatedb-demo)
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
"$ROOT/scripts/build-native.sh" >/dev/null
cmake -S "$ROOT/examples/cpp" -B "$ROOT/build/example" -G Ninja \
  -DCMAKE_PREFIX_PATH="$ROOT/build/install" >/dev/null
ninja -C "$ROOT/build/example" >/dev/null
"$ROOT/build/example/slatedb_example" "${1:-/tmp/slatedb-demo}"
