#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
#
# The browser tests (web-demo/tests/): installs what is missing (Debian's chromium;
# playwright-core and typescript from npm into wasm/node_modules, as pinned by
# wasm/package-lock.json), then runs them with a local S3 server (scripts/s3-test-server.sh):
# ObjectStore conformance inside Chromium (memory, IndexedDB, S3 over fetch with CORS), the
# browser demo driven by playwright-core (screenshots in build/browser-artifacts/), and the
# cross-runtime test (a database written natively, read by wasm in Node and in Chromium).
# Needs the wasm module (scripts/build-wasm.sh). Safe to run twice.
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
exec "$ROOT/scripts/s3-test-server.sh" node --test "$ROOT/web-demo/tests/"
