#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
#
# Builds the Python package into the project venv (.venv) with `pip install .`
# (scripts/python-venv.sh: creates the venv and installs the test dependencies from PyPI when
# missing; the second run rebuilds incrementally) and runs its pytest suite and the tests of
# the `slatedb` command line it installs (tests/cli); arguments go to pytest.
#
# slatedb.uniffi is also checked against upstream's published 0.17.0 wheel: an oracle venv
# (build/oracle-0.17, scripts/oracle-venv.sh) runs the same scripts (test_uniffi_oracle.py fails on
# any difference) and the same test suite (python/tests/uniffi, which must describe upstream).
# The seed API (`from slatedb import SlateDB`) is checked the same way against slatedb 0.11.1
# (build/oracle-0.11): test_seed_oracle.py runs python/tests/oracle_seed under both.
# SLATEDB_SKIP_ORACLE=1 skips all of it (offline runs).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENV="${SLATEDB_VENV:-$ROOT/.venv}"
"$ROOT/scripts/python-venv.sh"
cd "$ROOT"
if [[ "${SLATEDB_SKIP_ORACLE:-0}" != 1 ]]; then
  ORACLE="$("$ROOT/scripts/oracle-venv.sh" 0.17 | tail -n 1)"
  ORACLE_011="$("$ROOT/scripts/oracle-venv.sh" 0.11 | tail -n 1)"
  export SLATEDB_ORACLE_017="$ORACLE" SLATEDB_ORACLE_011="$ORACLE_011" SLATEDB_REQUIRE_ORACLE=1
  # The uniffi suite against upstream first: a test that upstream fails describes something
  # upstream does not do.
  "$ORACLE" -m pytest -q -p no:cacheprovider --confcutdir=python/tests/uniffi python/tests/uniffi
fi
# In parallel (pytest-xdist): the suite mostly waits (WAL flush intervals, compactor polls,
# subprocesses), so three workers on two cores cut it from ~290 s to ~70 s. Every test
# uses its own directory or bucket. PYTEST_WORKERS=0 runs it in one process.
exec "$VENV/bin/python" -m pytest -q -n "${PYTEST_WORKERS:-3}" python/tests tests/cli "$@"
