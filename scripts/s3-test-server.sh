#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
#
# Runs a command with a local S3 server that checks every signature, as real ones do:
# installs moto[server] (and with it botocore) from PyPI into a project venv
# (build/s3-venv, once), starts moto_server and, in front of it, scripts/s3-fault-proxy.py
# with --verify (botocore recomputes each request's SigV4 signature and refuses unsigned,
# wrongly signed or tampered requests with 403, and Range numbers above 2^63-1 with 416),
# all on free ports of 127.0.0.1, and exports
#   SLATEDB_S3_TEST_ENDPOINT=http://127.0.0.1:<port>   the verifying front end
#   SLATEDB_S3_TEST_PROXY=http://127.0.0.1:<port>      the same plus fault injection
#   SLATEDB_S3_TEST_PORT80_ENDPOINT=http://127.x.y.z:80 the verifying front end on port 80 of
#                                   a random loopback address, for endpoints written with
#                                   their default port (only when run as root; else unset)
#   SLATEDB_S3_TEST_ACCESS_KEY_ID / SLATEDB_S3_TEST_SECRET_ACCESS_KEY  the key pair it accepts
# runs the command, and stops every server by PID when it exits, whatever happens. moto
# itself is never exported: tests create their buckets with signed requests.
# SLATEDB_S3_TEST_FAST_READS=1 runs moto through scripts/moto_range_reads.py, whose GETs do
# not copy the whole object (benchmarks: bench/run_remote_bench.sh sets it).
# Example: scripts/s3-test-server.sh build/tests/slatedb_tests "[s3]"
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENV="${SLATEDB_S3_VENV:-$ROOT/build/s3-venv}"
PYTHON="${PYTHON:-python3}"

if [[ ! -x "$VENV/bin/moto_server" ]] || ! "$VENV/bin/python" -c 'import botocore' 2>/dev/null; then
  echo "[s3] installing moto[server] into $VENV"
  if ! "$PYTHON" -c 'import ensurepip, venv' 2>/dev/null; then
    SUDO=""; [[ $(id -u) -ne 0 ]] && SUDO="sudo"
    $SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq python3-venv >/dev/null
  fi
  rm -rf "$VENV"
  "$PYTHON" -m venv "$VENV"
  "$VENV/bin/pip" install -q --disable-pip-version-check 'moto[server]'
fi

free_port() {
  "$VENV/bin/python" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'
}

pids=()
logdir="$(mktemp -d)"
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  rm -rf "$logdir"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

wait_for() {  # url name pid
  for _ in $(seq 1 200); do
    if curl -s -o /dev/null "$1"; then return 0; fi
    if ! kill -0 "$3" 2>/dev/null; then
      echo "[s3] $2 exited early:"; cat "$logdir/$2.log"; return 1
    fi
    sleep 0.1
  done
  echo "[s3] $2 did not start:"; cat "$logdir/$2.log"; return 1
}

moto_port="$(free_port)"
if [[ "${SLATEDB_S3_TEST_FAST_READS:-0}" == 1 ]]; then
  # Reads whose cost does not grow with the object's size, as S3's (scripts/moto_range_reads.py).
  "$VENV/bin/python" "$ROOT/scripts/moto_range_reads.py" -H 127.0.0.1 -p "$moto_port" \
    >"$logdir/moto.log" 2>&1 &
else
  "$VENV/bin/moto_server" -H 127.0.0.1 -p "$moto_port" >"$logdir/moto.log" 2>&1 &
fi
pids+=($!)
wait_for "http://127.0.0.1:$moto_port/" moto "${pids[-1]}"

ACCESS_KEY=testing
SECRET_KEY=testing
start_proxy() {  # name host port [extra args]: a verifying front end of moto
  local name="$1" host="$2" port="$3"
  shift 3
  "$VENV/bin/python" "$ROOT/scripts/s3-fault-proxy.py" --host "$host" "$port" "$moto_port" \
    --verify "$ACCESS_KEY:$SECRET_KEY" "$@" >"$logdir/$name.log" 2>&1 &
  pids+=($!)
  wait_for "http://$host:$port/__faults__?reset=1" "$name" "${pids[-1]}"
}

endpoint_port="$(free_port)"
start_proxy endpoint 127.0.0.1 "$endpoint_port"
proxy_port="$(free_port)"
start_proxy proxy 127.0.0.1 "$proxy_port"

unset SLATEDB_S3_TEST_PORT80_ENDPOINT
if [[ $(id -u) -eq 0 ]]; then
  # Port 80 needs root. A random loopback address keeps clear of anything on 127.0.0.1:80.
  port80_host="127.$((RANDOM % 200 + 20)).$((RANDOM % 250 + 1)).$((RANDOM % 250 + 1))"
  if start_proxy port80 "$port80_host" 80; then
    export SLATEDB_S3_TEST_PORT80_ENDPOINT="http://$port80_host:80"
  else
    echo "[s3] no verifying front end on $port80_host:80; default-port tests will skip"
  fi
fi

export SLATEDB_S3_TEST_ENDPOINT="http://127.0.0.1:$endpoint_port"
export SLATEDB_S3_TEST_PROXY="http://127.0.0.1:$proxy_port"
export SLATEDB_S3_TEST_ACCESS_KEY_ID="$ACCESS_KEY" SLATEDB_S3_TEST_SECRET_ACCESS_KEY="$SECRET_KEY"
echo "[s3] moto_server behind SigV4-verifying front ends: $SLATEDB_S3_TEST_ENDPOINT," \
  "fault proxy $SLATEDB_S3_TEST_PROXY${SLATEDB_S3_TEST_PORT80_ENDPOINT:+, $SLATEDB_S3_TEST_PORT80_ENDPOINT}"
"$@"
