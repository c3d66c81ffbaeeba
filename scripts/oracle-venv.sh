#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
#
# Creates the venvs holding upstream SlateDB's published Python wheels, the oracles that tests
# compare against (prebuilt wheels from PyPI: no Rust toolchain):
#   build/oracle-0.17   slatedb==0.17.0  (`from slatedb.uniffi import ...`; the stored format)
#   build/oracle-0.11   slatedb==0.11.1  (`from slatedb import SlateDB`; the seed Python API)
# each with pytest and pytest-asyncio. Idempotent: a venv whose slatedb already has the pinned
# version is left alone (a marker file records a completed install).
#
#   scripts/oracle-venv.sh            both
#   scripts/oracle-venv.sh 0.17       only the 0.17 venv (or 0.11)
#
# Prints the interpreter path of each venv on stdout (progress goes to stderr), e.g.
#   ORACLE="$(scripts/oracle-venv.sh 0.17 | tail -n 1)"
# Environment: SLATEDB_ORACLE_DIR (default <repo>/build), PYTHON (default python3).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
DIR="${SLATEDB_ORACLE_DIR:-$ROOT/build}"
PYTHON="${PYTHON:-python3}"

declare -A PINS=([0.17]="0.17.0" [0.11]="0.11.1")
wanted=("$@")
[[ ${#wanted[@]} -eq 0 ]] && wanted=(0.17 0.11)

ensure_venv_support() {
  if ! "$PYTHON" -c 'import ensurepip, venv' 2>/dev/null; then
    # Debian's system Python keeps venv support in a separate package.
    local sudo=""; [[ $(id -u) -ne 0 ]] && sudo="sudo"
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq python3-venv >/dev/null
  fi
}

for series in "${wanted[@]}"; do
  version="${PINS[$series]:-}"
  if [[ -z "$version" ]]; then
    echo "oracle-venv: unknown series '$series' (known: ${!PINS[*]})" >&2
    exit 2
  fi
  venv="$DIR/oracle-$series"
  marker="$venv/.slatedb-$version"
  if [[ -f "$marker" && -x "$venv/bin/python" ]]; then
    echo "$venv/bin/python"
    continue
  fi
  echo "[oracle] creating $venv (slatedb==$version from PyPI)" >&2
  ensure_venv_support
  rm -rf "$venv"
  "$PYTHON" -m venv "$venv"
  # --only-binary: the wheel is prebuilt; never fall back to building Rust from an sdist.
  "$venv/bin/python" -m pip install -q --disable-pip-version-check --only-binary slatedb \
    "slatedb==$version" "pytest>=8.3" "pytest-asyncio>=0.25"
  "$venv/bin/python" - "$version" <<'EOF'
import importlib.metadata, sys
got = importlib.metadata.version("slatedb")
if got != sys.argv[1]:
    sys.exit(f"oracle-venv: installed slatedb {got}, wanted {sys.argv[1]}")
EOF
  touch "$marker"
  echo "$venv/bin/python"
done
