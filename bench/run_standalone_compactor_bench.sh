#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
#
# Where compaction runs, measured (docs/operations.md, "A standalone compactor"): a writer
# loading keys on the S3 test server (moto behind the verifying proxy) with its own
# compactor, then a writer with compaction off and `slatedb compactor run` as a second
# process. Prints each run's summary line (bench/load_bench.cc): load throughput, L0 max
# and mean, write stalls, and how long L0 took to drain after the load.
#   bench/run_standalone_compactor_bench.sh [KEYS]        (default 1,000,000)
# Run by hand, never in CI. Needs build/bench/load_bench and build/tools/cli/slatedb
# (ninja -C build load_bench slatedb_cli). BENCH_MAX_SECONDS (default 0: no limit) stops
# each load early.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
if [[ -z "${SLATEDB_S3_TEST_ENDPOINT:-}" ]]; then
  exec "$ROOT/scripts/s3-test-server.sh" "$ROOT/bench/run_standalone_compactor_bench.sh" "$@"
fi
KEYS="${1:-1000000}"
MAX_SECONDS="${BENCH_MAX_SECONDS:-0}"
LOAD="$ROOT/build/bench/load_bench"
CLI="$ROOT/build/tools/cli/slatedb"
[[ -x "$LOAD" && -x "$CLI" ]] || { echo "build load_bench and slatedb_cli first" >&2; exit 1; }

bucket="bench"
key_id="${SLATEDB_S3_TEST_ACCESS_KEY_ID:-testing}" secret="${SLATEDB_S3_TEST_SECRET_ACCESS_KEY:-testing}"
code="$(curl -s -o /dev/null -w '%{http_code}' --aws-sigv4 "aws:amz:us-east-1:s3" \
  --user "$key_id:$secret" -H "x-amz-content-sha256: $(printf '' | sha256sum | cut -d' ' -f1)" \
  -X PUT "$SLATEDB_S3_TEST_ENDPOINT/$bucket")"
[[ "$code" == 200 || "$code" == 409 ]] || { echo "CreateBucket: HTTP $code" >&2; exit 1; }
export AWS_ENDPOINT_URL="$SLATEDB_S3_TEST_ENDPOINT" AWS_ALLOW_HTTP=true \
  AWS_ACCESS_KEY_ID="$key_id" AWS_SECRET_ACCESS_KEY="$secret" AWS_REGION=us-east-1 \
  AWS_VIRTUAL_HOSTED_STYLE_REQUEST=false

out="$ROOT/build/standalone-bench"
mkdir -p "$out"
compactor_pid=""
cleanup() { if [[ -n "$compactor_pid" ]]; then kill "$compactor_pid" 2>/dev/null || true; fi; }
trap cleanup EXIT

echo "== in-process compactor, $KEYS keys"
"$LOAD" --store "s3://$bucket/inproc-$$" --keys "$KEYS" --compaction on \
  --max-seconds "$MAX_SECONDS" | tee "$out/inproc.log" | grep summary

echo "== writer with compaction off + standalone compactor process, $KEYS keys"
url="s3://$bucket/standalone-$$"
"$LOAD" --store "$url" --keys 0 --compaction off >/dev/null  # creates the database
"$CLI" --url "$url" --path loaddb compactor run --poll-interval 500ms --report-interval 5s \
  >"$out/compactor.log" 2>&1 &
compactor_pid=$!
"$LOAD" --store "$url" --keys "$KEYS" --compaction off --max-seconds "$MAX_SECONDS" \
  | tee "$out/standalone.log" | grep summary
kill -INT "$compactor_pid"
wait "$compactor_pid" || { echo "the compactor exited with $?:"; tail -5 "$out/compactor.log"; }
compactor_pid=""
tail -2 "$out/compactor.log"
echo "logs (one L0 sample a second): $out"
