#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
#
# Runs a command with Azurite, Microsoft's Azure Storage emulator, serving Blob Storage on a
# free port of 127.0.0.1: installs the npm package `azurite` into build/azurite (once; or
# SLATEDB_AZURITE_DIR), starts azurite-blob with in-memory persistence (it checks every
# Shared Key signature, as Azure does), exports
#   SLATEDB_AZURE_TEST_ENDPOINT=http://127.0.0.1:<port>   the blob service; the account is
#                                  Azurite's well-known devstoreaccount1 and its key
# runs the command, and stops Azurite by PID when it exits, whatever happens. Containers are
# created by the tests themselves.
# Example: scripts/azure-test-server.sh build/tests/slatedb_tests "[azure]"
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
DIR="${SLATEDB_AZURITE_DIR:-$ROOT/build/azurite}"
AZURITE_VERSION="3.37.0"
BIN="$DIR/node_modules/.bin/azurite-blob"

if [[ ! -x "$BIN" ]]; then
  echo "[azure] installing azurite@$AZURITE_VERSION into $DIR"
  if ! command -v npm >/dev/null; then
    SUDO=""; [[ $(id -u) -ne 0 ]] && SUDO="sudo"
    $SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq nodejs npm >/dev/null
  fi
  mkdir -p "$DIR"
  npm install --silent --no-audit --no-fund --prefix "$DIR" "azurite@$AZURITE_VERSION" >/dev/null
fi

port="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()')"
workdir="$(mktemp -d)"
pid=""
cleanup() {
  if [[ -n "$pid" ]]; then kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; fi
  rm -rf "$workdir"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

(cd "$workdir" && exec "$BIN" --blobHost 127.0.0.1 --blobPort "$port" --inMemoryPersistence \
  --disableTelemetry --silent) >"$workdir/azurite.log" 2>&1 &
pid=$!
for _ in $(seq 1 300); do
  # Any HTTP answer (Azurite says 400 to a bare GET) means it is listening.
  if curl -s -o /dev/null "http://127.0.0.1:$port/"; then break; fi
  if ! kill -0 "$pid" 2>/dev/null; then
    echo "[azure] azurite exited early:"; cat "$workdir/azurite.log"; exit 1
  fi
  sleep 0.1
done
curl -s -o /dev/null "http://127.0.0.1:$port/" || { echo "[azure] azurite did not start:"; cat "$workdir/azurite.log"; exit 1; }

export SLATEDB_AZURE_TEST_ENDPOINT="http://127.0.0.1:$port"
echo "[azure] azurite-blob at $SLATEDB_AZURE_TEST_ENDPOINT"
"$@"
