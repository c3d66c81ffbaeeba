#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
#
# Runs a command with a local Google Cloud Storage emulator: installs fake-gcs-server
# (github.com/fsouza/fake-gcs-server, through the Go module proxy) into build/gcs-server
# once (about 2.5 minutes on the CI machine, then cached), starts it on a free port of
# 127.0.0.1 (plain HTTP, in-memory backend), exports
#   SLATEDB_GCS_TEST_ENDPOINT=http://127.0.0.1:<port>
# runs the command, and stops the server by PID when it exits, whatever happens. The
# emulator accepts requests without credentials; tests point the store at it with
# storage_emulator_host (or object_store's gcs_base_url/disable_oauth key fields).
# Example: scripts/gcs-test-server.sh build/tests/slatedb_tests "[gcs]"
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
DIR="${SLATEDB_GCS_SERVER_DIR:-$ROOT/build/gcs-server}"
VERSION=v1.56.1
BIN="$DIR/bin/fake-gcs-server"

if [[ ! -x "$BIN" ]]; then
  echo "[gcs] installing fake-gcs-server $VERSION into $DIR"
  mkdir -p "$DIR"
  GOBIN="$DIR/bin" GOPATH="$DIR/gopath" GOFLAGS=-mod=mod \
    go install "github.com/fsouza/fake-gcs-server@$VERSION"
fi

port="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()')"
log="$(mktemp)"
"$BIN" -host 127.0.0.1 -port "$port" -scheme http -backend memory -log-level warn \
  -public-host "127.0.0.1:$port" >"$log" 2>&1 &
pid=$!
cleanup() {
  kill "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
  rm -f "$log"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

for _ in $(seq 1 100); do
  if curl -s -o /dev/null "http://127.0.0.1:$port/storage/v1/b"; then break; fi
  if ! kill -0 "$pid" 2>/dev/null; then echo "[gcs] fake-gcs-server exited:"; cat "$log"; exit 1; fi
  sleep 0.1
done
export SLATEDB_GCS_TEST_ENDPOINT="http://127.0.0.1:$port"
echo "[gcs] fake-gcs-server at $SLATEDB_GCS_TEST_ENDPOINT"
"$@"
