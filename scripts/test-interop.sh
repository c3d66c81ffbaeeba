#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
#
# Interop with upstream SlateDB: databases written by the published slatedb 0.17.0 wheel are
# read by our Python package, our Node package (the wasm build) and our C++ library, and a
# page in headless Chromium; databases our package writes are read, continued, compacted and
# garbage-collected by upstream and read back by us; live readers follow the other side's
# writer; each side's writer fences the other's. On a local directory and on the S3 test
# server (moto). See tests/interop/ and docs/testing.md.
#
# Installs what is missing, reusing what earlier CI stages built:
#   build/oracle-0.17   slatedb==0.17.0 from PyPI (scripts/oracle-venv.sh)
#   .venv               our package (scripts/test-python.sh builds it; built here if absent)
#   wasm/dist           the wasm module (scripts/build-wasm.sh; built here if absent)
#   build/tests/interop_dump   the C++ reader (scripts/build-native.sh interop_dump)
#   chromium, playwright-core  as scripts/test-browser.sh installs them
# then runs `pytest tests/interop` under scripts/s3-test-server.sh. Arguments go to pytest
# (e.g. -k fencing). Safe to run twice.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
VENV="${SLATEDB_VENV:-$ROOT/.venv}"
log() { printf '[interop] %s\n' "$*"; }

"$ROOT/scripts/oracle-venv.sh" 0.17

if ! "$VENV/bin/python" -c 'import slatedb' 2>/dev/null; then
  log "building our Python package into $VENV"
  [[ -x "$VENV/bin/python" ]] || python3 -m venv "$VENV"
  "$VENV/bin/python" -m pip install -q --disable-pip-version-check "$ROOT"
fi
"$VENV/bin/python" -c 'import pytest' 2>/dev/null ||
  "$VENV/bin/python" -m pip install -q --disable-pip-version-check "pytest>=8.3" "pytest-asyncio>=0.25"

[[ -f "$ROOT/wasm/dist/slatedb_wasm.wasm" ]] || "$ROOT/scripts/build-wasm.sh"

SUDO=""
if [[ $(id -u) -ne 0 ]] && command -v sudo >/dev/null; then SUDO="sudo"; fi
if [[ ! -x "${CHROMIUM:-/usr/bin/chromium}" ]]; then
  log "installing chromium (Debian)"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq chromium >/dev/null
fi
if [[ ! -f "$ROOT/wasm/node_modules/playwright-core/index.mjs" ]]; then
  log "npm ci in wasm/ (playwright-core)"
  (cd "$ROOT/wasm" && npm ci --no-audit --no-fund --loglevel=error)
fi

JOBS="${JOBS:-2}" "$ROOT/scripts/build-native.sh" interop_dump >/dev/null

export SLATEDB_ORACLE_PYTHON="$ROOT/build/oracle-0.17/bin/python"
export SLATEDB_PYTHON="$VENV/bin/python"
export SLATEDB_INTEROP_DUMP="$ROOT/build/tests/interop_dump"
exec "$ROOT/scripts/s3-test-server.sh" "$VENV/bin/python" -m pytest -q --tb=short -p no:cacheprovider \
  "$ROOT/tests/interop" "$@"
