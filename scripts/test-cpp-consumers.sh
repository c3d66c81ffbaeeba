#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
#
# Builds programs against an installed tree (default build/install, written by
# scripts/build-native.sh) from directories outside the checkout, as another project would:
#   1. examples/cpp with find_package(slatedb CONFIG): runs it twice (the second run finds
#      the first's data) and checks it does not link libcurl (S3 is a component);
#   2. the same program compiled with `pkg-config --cflags --libs slatedb`;
#   3. tests/packaging/cpp with find_package(slatedb CONFIG COMPONENTS S3), and the same
#      source with `pkg-config slatedb-s3`; both run against the local S3 server when
#      SLATEDB_S3_TEST_ENDPOINT is set (scripts/s3-test-server.sh).
# Usage: scripts/test-cpp-consumers.sh [PREFIX]
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
PREFIX="$(realpath "${1:-$ROOT/build/install}")"
CXX="${CXX:-c++}"
log() { printf '[cpp-consumers] %s\n' "$*"; }
[[ -f "$PREFIX/lib/cmake/slatedb/slatedbConfig.cmake" ]] ||
  { log "error: no installed package in $PREFIX (scripts/build-native.sh installs one)"; exit 1; }

work="$(mktemp -d /tmp/slatedb-consumers.XXXXXX)"
trap 'rm -rf "$work"' EXIT
cp -r "$ROOT/examples/cpp" "$work/example"
cp -r "$ROOT/tests/packaging/cpp" "$work/s3"

run_twice() {  # binary
  local data="$work/data-$(basename "$1")"
  "$1" "$data" >/dev/null && "$1" "$data" | grep -q "run 2" ||
    { log "error: $1 did not find its first run's data"; return 1; }
}

log "find_package(slatedb CONFIG)"
cmake -S "$work/example" -B "$work/example-build" -G Ninja -DCMAKE_PREFIX_PATH="$PREFIX" >/dev/null
ninja -C "$work/example-build" >/dev/null
run_twice "$work/example-build/slatedb_example"
if ldd "$work/example-build/slatedb_example" | grep -q libcurl; then
  log "error: a consumer without the S3 component links libcurl"; exit 1
fi

log "pkg-config slatedb"
export PKG_CONFIG_PATH="$PREFIX/lib/pkgconfig"
[[ "$(pkg-config --modversion slatedb)" == "$(head -n1 "$ROOT/VERSION")" ]] ||
  { log "error: pkg-config reports version $(pkg-config --modversion slatedb)"; exit 1; }
# shellcheck disable=SC2046
"$CXX" -std=c++20 -O1 "$work/example/main.cc" -o "$work/example-pc" $(pkg-config --cflags --libs slatedb)
run_twice "$work/example-pc"

log "find_package(slatedb CONFIG COMPONENTS S3) and pkg-config slatedb-s3"
cmake -S "$work/s3" -B "$work/s3-build" -G Ninja -DCMAKE_PREFIX_PATH="$PREFIX" >/dev/null
ninja -C "$work/s3-build" >/dev/null
# shellcheck disable=SC2046
"$CXX" -std=c++20 -O1 "$work/s3/s3_consumer.cc" -o "$work/s3-pc" $(pkg-config --cflags --libs slatedb-s3)
if [[ -n "${SLATEDB_S3_TEST_ENDPOINT:-}" ]]; then
  bucket="consumer-$RANDOM$RANDOM"
  # The test server refuses unsigned requests: the bucket is created with the package
  # tests' stand-alone SigV4 signer.
  PYTHONPATH="$ROOT/python/tests" python3 -c \
    'import os, sys, s3_signing; s3_signing.create_bucket(os.environ["SLATEDB_S3_TEST_ENDPOINT"], sys.argv[1])' \
    "$bucket"
  export AWS_ENDPOINT_URL="$SLATEDB_S3_TEST_ENDPOINT" AWS_ALLOW_HTTP=true AWS_REGION=us-east-1 \
         AWS_ACCESS_KEY_ID="${SLATEDB_S3_TEST_ACCESS_KEY_ID:-testing}" \
         AWS_SECRET_ACCESS_KEY="${SLATEDB_S3_TEST_SECRET_ACCESS_KEY:-testing}"
  "$work/s3-build/s3_consumer" "s3://$bucket/cmake"
  "$work/s3-pc" "s3://$bucket/pkg-config"
else
  log "no SLATEDB_S3_TEST_ENDPOINT: S3 consumers built, not run"
fi
log "ok"
