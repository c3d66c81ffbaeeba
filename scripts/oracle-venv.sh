#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
#
# Creates the oracle venvs that differential tests compare this package against:
# build/oracle-0.17 (upstream slatedb==0.17.0: `from slatedb.uniffi import ...`) and
# build/oracle-0.11 (slatedb==0.11.1: `from slatedb import SlateDB`), each from PyPI with
# pytest and pytest-asyncio. Idempotent: an existing venv with the right version is kept.
#
#   scripts/oracle-venv.sh [0.17|0.11 ...]     (default: both)
#
# Prints the interpreter path of each venv.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
PYTHON="${PYTHON:-python3}"
versions=("$@")
[[ ${#versions[@]} -eq 0 ]] && versions=(0.17 0.11)
for v in "${versions[@]}"; do
  case "$v" in
    0.17) pin="slatedb==0.17.0" ;;
    0.11) pin="slatedb==0.11.1" ;;
    *) echo "unknown oracle version: $v" >&2; exit 2 ;;
  esac
  venv="$ROOT/build/oracle-$v"
  if ! "$venv/bin/python" -c "import importlib.metadata as m; assert m.version('slatedb') == '${pin#slatedb==}'" 2>/dev/null; then
    rm -rf "$venv"
    "$PYTHON" -m venv "$venv"
    "$venv/bin/python" -m pip install -q --upgrade pip >/dev/null
    "$venv/bin/python" -m pip install -q "$pin" "pytest>=8.3" "pytest-asyncio>=0.25"
  fi
  echo "$venv/bin/python"
done
