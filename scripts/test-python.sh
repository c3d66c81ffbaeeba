#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
#
# Builds the Python package into the project venv (.venv) with `pip install .`
# (scripts/python-venv.sh: creates the venv and installs the test dependencies from PyPI when
# missing) and runs its pytest suite; arguments go to pytest.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENV="${SLATEDB_VENV:-$ROOT/.venv}"
"$ROOT/scripts/python-venv.sh"
cd "$ROOT"
exec "$VENV/bin/python" -m pytest -q python/tests "$@"
