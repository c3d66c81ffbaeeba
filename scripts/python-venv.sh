#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
#
# Makes the project venv (.venv, or SLATEDB_VENV) with the Python package built from this
# tree (`pip install .`) and the test dependencies. Creates the venv when missing (installing
# Debian's python3-venv if the system Python lacks it); a second run rebuilds incrementally
# (scikit-build-core keeps build/python/). Used by scripts/test-python.sh and by
# scripts/test-browser.sh (the cross-runtime test writes with the Python package).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENV="${SLATEDB_VENV:-$ROOT/.venv}"
PYTHON="${PYTHON:-python3}"
if [[ ! -x "$VENV/bin/python" ]]; then
  if ! "$PYTHON" -m venv "$VENV" 2>/dev/null; then
    # Debian's system Python keeps venv support in a separate package.
    SUDO=""; [[ $(id -u) -ne 0 ]] && SUDO="sudo"
    $SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq python3-venv >/dev/null
    "$PYTHON" -m venv "$VENV"
  fi
fi
"$VENV/bin/python" -m pip install -q --upgrade pip >/dev/null
"$VENV/bin/python" -m pip install -q "pytest>=8.3" "pytest-asyncio>=0.25" "pytest-xdist>=3.6" \
  "scikit-build-core>=0.10" "pybind11>=2.12"
# Without build isolation: the build tools are the venv's, at a fixed path, so the compile
# commands stay the same between runs and scripts/build-wheel.sh reuses these objects.
"$VENV/bin/python" -m pip install -q --no-build-isolation "$ROOT"
