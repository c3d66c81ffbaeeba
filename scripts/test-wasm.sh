#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
#
# The wasm package's Node tests (wasm/tests/), with a local S3 server so the S3-over-fetch
# tests run too (scripts/s3-test-server.sh). Installs the npm dev dependencies pinned by
# wasm/package-lock.json (typescript for the declaration check, playwright-core for the
# browser tests) if they are missing. Needs both modules: scripts/build-wasm.sh.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
if [[ ! -f "$ROOT/wasm/node_modules/playwright-core/index.mjs" || ! -f "$ROOT/wasm/node_modules/typescript/bin/tsc" ]]; then
  echo "[wasm] npm ci in wasm/ (playwright-core, typescript)"
  (cd "$ROOT/wasm" && npm ci --no-audit --no-fund --loglevel=error)
fi
for m in dist/slatedb_wasm.mjs dist-test/slatedb_wasm_test.mjs; do
  [[ -f "$ROOT/wasm/$m" ]] || { echo "[wasm] wasm/$m missing: run scripts/build-wasm.sh" >&2; exit 1; }
done
exec "$ROOT/scripts/s3-test-server.sh" node --test "$ROOT/wasm/tests/"
