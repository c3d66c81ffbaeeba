#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
#
# The browser tests (web-demo/tests/): installs what is missing (Debian's chromium;
# playwright-core and typescript from npm into wasm/node_modules, as pinned by
# wasm/package-lock.json), then runs them with a local S3 server (scripts/s3-test-server.sh):
# ObjectStore conformance inside Chromium (memory, IndexedDB, S3 over fetch with CORS), the
# browser demo driven by playwright-core (screenshots in build/browser-artifacts/), and the
# cross-runtime test (a database written natively, read by wasm in Node and in Chromium;
# the native writer is the Python package, built into .venv first if missing). Needs the
# wasm module (scripts/build-wasm.sh). Safe to run twice.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
SUDO=""
if [[ $(id -u) -ne 0 ]] && command -v sudo >/dev/null; then SUDO="sudo"; fi

if [[ ! -x "${CHROMIUM:-/usr/bin/chromium}" ]]; then
  echo "[browser] installing chromium (Debian)"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq chromium >/dev/null
fi
if [[ ! -f "$ROOT/wasm/node_modules/playwright-core/index.mjs" || ! -f "$ROOT/wasm/node_modules/typescript/bin/tsc" ]]; then
  echo "[browser] npm ci in wasm/ (playwright-core, typescript)"
  (cd "$ROOT/wasm" && npm ci --no-audit --no-fund --loglevel=error)
fi
# The cross-runtime test writes with the Python package: build it if this clone has none yet,
# so the test runs rather than skips in a fresh clone.
VENV="${SLATEDB_VENV:-$ROOT/.venv}"
if ! "$VENV/bin/python" -c 'import slatedb' 2>/dev/null; then
  echo "[browser] building the Python package into $VENV (scripts/python-venv.sh) for the cross-runtime test"
  "$ROOT/scripts/python-venv.sh"
fi
export SLATEDB_PYTHON="$VENV/bin/python"
exec "$ROOT/scripts/s3-test-server.sh" node --test "$ROOT/web-demo/tests/"
