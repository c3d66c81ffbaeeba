#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
#
# The remote benchmark (bench/remote_bench.py): random gets through our Python package and
# through upstream's slatedb==0.17.0 wheel, side by side, against the local S3 test server
# (moto behind scripts/s3-fault-proxy.py) with a fixed latency added to every request.
# Run by hand (it takes minutes); CI runs only `--smoke` (a tiny run checking the harness).
#
#   bench/run_remote_bench.sh                   1,000,000 keys, 20 ms, readers 1/8/64
#   bench/run_remote_bench.sh --keys 200000     any remote_bench.py `run` option
#   bench/run_remote_bench.sh --smoke           2,000 keys, 2 ms, readers 1 and 4, few gets
#   bench/run_remote_bench.sh --stock-moto ...  the test server without range-cheap reads
#
# Interpreters: ours is $SLATEDB_VENV (default .venv, built by scripts/python-venv.sh if it
# has no slatedb); upstream's is $SLATEDB_UPSTREAM_PYTHON, else build/oracle-0.17 (made by
# scripts/oracle-venv.sh where that script exists, else here: slatedb==0.17.0 from PyPI).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENV="${SLATEDB_VENV:-$ROOT/.venv}"
if ! "$VENV/bin/python" -c 'import slatedb' 2>/dev/null; then
  echo "[bench] building the Python package into $VENV (scripts/python-venv.sh)" >&2
  "$ROOT/scripts/python-venv.sh"
fi
UPSTREAM="${SLATEDB_UPSTREAM_PYTHON:-}"
if [[ -z "$UPSTREAM" ]]; then
  UPSTREAM="$ROOT/build/oracle-0.17/bin/python"
  if [[ -x "$ROOT/scripts/oracle-venv.sh" ]]; then
    "$ROOT/scripts/oracle-venv.sh" 0.17 >&2
  elif ! "$UPSTREAM" -c 'import slatedb.uniffi' 2>/dev/null; then
    echo "[bench] installing slatedb==0.17.0 into build/oracle-0.17" >&2
    python3 -m venv "$ROOT/build/oracle-0.17"
    "$UPSTREAM" -m pip install -q --disable-pip-version-check --only-binary slatedb "slatedb==0.17.0"
  fi
fi
# Stock moto copies the whole object on every GET, ranged or not, so a 4 KiB read of a 55 MB
# SST costs it tens to thousands of ms (scripts/moto_range_reads.py): by default the test
# server's reads cost what S3's do, independent of object size. --stock-moto measures with
# stock moto instead.
export SLATEDB_S3_TEST_FAST_READS=1
if [[ "${1:-}" == "--stock-moto" ]]; then
  shift
  export SLATEDB_S3_TEST_FAST_READS=0
fi
args=()
if [[ "${1:-}" == "--smoke" ]]; then
  shift
  args=(--keys 2000 --latency-ms 2 --concurrency 1,4 --gets-per-reader 10 --min-gets 20 --max-gets 40)
fi
exec "$ROOT/scripts/s3-test-server.sh" "$VENV/bin/python" "$ROOT/bench/remote_bench.py" run \
  --ours-python "$VENV/bin/python" --upstream-python "$UPSTREAM" "${args[@]}" "$@"
