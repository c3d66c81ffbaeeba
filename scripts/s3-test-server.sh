#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
#
# Runs a command with a local S3 server: installs moto[server] from PyPI into a project
# venv (build/s3-venv, once), starts moto_server and the fault proxy
# (scripts/s3-fault-proxy.py) on free ports of 127.0.0.1, exports
#   SLATEDB_S3_TEST_ENDPOINT=http://127.0.0.1:<moto port>
#   SLATEDB_S3_TEST_PROXY=http://127.0.0.1:<proxy port>
# runs the command, and stops both servers by PID when it exits, whatever happens.
# Example: scripts/s3-test-server.sh build/tests/slatedb_tests "[s3]"
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENV="${SLATEDB_S3_VENV:-$ROOT/build/s3-venv}"
PYTHON="${PYTHON:-python3}"

if [[ ! -x "$VENV/bin/moto_server" ]]; then
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
"$VENV/bin/moto_server" -H 127.0.0.1 -p "$moto_port" >"$logdir/moto.log" 2>&1 &
pids+=($!)
wait_for "http://127.0.0.1:$moto_port/" moto "${pids[-1]}"

proxy_port="$(free_port)"
"$VENV/bin/python" "$ROOT/scripts/s3-fault-proxy.py" "$proxy_port" "$moto_port" \
  >"$logdir/proxy.log" 2>&1 &
pids+=($!)
wait_for "http://127.0.0.1:$proxy_port/__faults__?reset=1" proxy "${pids[-1]}"

export SLATEDB_S3_TEST_ENDPOINT="http://127.0.0.1:$moto_port"
export SLATEDB_S3_TEST_PROXY="http://127.0.0.1:$proxy_port"
echo "[s3] moto_server on $SLATEDB_S3_TEST_ENDPOINT, fault proxy on $SLATEDB_S3_TEST_PROXY"
"$@"
