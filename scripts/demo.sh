#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
#
# The demo: installs the build dependencies, builds the Python package into the project
# venv (.venv) with `pip install .`, and runs examples/quickstart.py on a local directory.
# Run it twice to see the database remember the first run.
#
#   scripts/demo.sh [DIRECTORY]      (default: /tmp/slatedb-demo)
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENV="${SLATEDB_VENV:-$ROOT/.venv}"
"$ROOT/scripts/install-deps.sh" >/dev/null
if [[ ! -x "$VENV/bin/python" ]]; then
  if ! python3 -m venv "$VENV" 2>/dev/null; then
    SUDO=""; [[ $(id -u) -ne 0 ]] && SUDO="sudo"
    $SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq python3-venv >/dev/null
    python3 -m venv "$VENV"
  fi
fi
echo "[demo] building the slatedb package (first run takes a few minutes)"
"$VENV/bin/python" -m pip install -q "$ROOT"
exec "$VENV/bin/python" "$ROOT/examples/quickstart.py" "${1:-/tmp/slatedb-demo}"
