#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
#
# Crash tests with real processes: runs tests/crash/crash_writer (built as
# build/tests/crash_writer) and kills it with SIGKILL at random moments, over and over,
# against a local directory and (when SLATEDB_S3_TEST_ENDPOINT is set, as under
# scripts/s3-test-server.sh) against the local S3 server. Each new writer first reopens
# the database and checks every acknowledged write in the fsync'd ack log; a final
# --check-only run checks once more. Any lost acknowledged write fails the script.
#   scripts/s3-test-server.sh scripts/crash-test.sh            (the CI stage)
#   CRASH_KILLS_LOCAL=500 CRASH_KILLS_S3=0 scripts/crash-test.sh   (longer, local only)
# Environment: CRASH_WRITER (binary), CRASH_KILLS_LOCAL (default 60), CRASH_KILLS_S3
# (default 50), CRASH_SEED (default: from the clock; printed, and replays the kill timings).
set -uo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
WRITER="${CRASH_WRITER:-$ROOT/build/tests/crash_writer}"
KILLS_LOCAL="${CRASH_KILLS_LOCAL:-60}"
KILLS_S3="${CRASH_KILLS_S3:-50}"
SEED="${CRASH_SEED:-$(date +%s)}"
RANDOM=$SEED
echo "crash-test: seed $SEED (CRASH_SEED=$SEED replays the kill timings)"

work="$(mktemp -d)"
pid=""
cleanup() {
  if [[ -n "$pid" ]]; then kill -9 "$pid" 2>/dev/null; wait "$pid" 2>/dev/null; fi
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

total_kills=0
# run_cycles <store> <ack log> <kills> <name>
run_cycles() {
  local store="$1" log="$2" kills="$3" name="$4" cycle rc delay out
  : >"$log"
  for ((cycle = 1; cycle <= kills; cycle++)); do
    out="$work/$name.out"
    "$WRITER" "$store" "$log" "$cycle" >"$out" 2>&1 &
    pid=$!
    # 50..1500 ms: some kills land in the open and WAL replay, most while writing.
    delay=$((50 + RANDOM % 1450))
    sleep "$(printf '%d.%03d' $((delay / 1000)) $((delay % 1000)))"
    if kill -0 "$pid" 2>/dev/null; then
      kill -9 "$pid" 2>/dev/null
      wait "$pid" 2>/dev/null  # (quiet: the shell would report "Killed")
      rc=$?
      total_kills=$((total_kills + 1))
    else
      wait "$pid"
      rc=$?
    fi
    pid=""
    if [[ $rc -ne 137 ]]; then
      echo "crash-test [$name]: writer of cycle $cycle exited with $rc:"
      cat "$out"
      return 1
    fi
  done
  if ! "$WRITER" "$store" "$log" $((kills + 1)) --check-only >"$out" 2>&1; then
    echo "crash-test [$name]: final check failed:"
    cat "$out"
    return 1
  fi
  echo "crash-test [$name]: $kills cycles, $(grep -c '^[PD] ' "$log") acknowledged writes;" \
    "final check: $(tail -1 "$out")"
}

run_cycles "$work/local" "$work/local.log" "$KILLS_LOCAL" local || exit 1

if [[ "$KILLS_S3" -gt 0 && -n "${SLATEDB_S3_TEST_ENDPOINT:-}" ]]; then
  bucket="crash-test"
  key_id="${SLATEDB_S3_TEST_ACCESS_KEY_ID:-testing}" secret="${SLATEDB_S3_TEST_SECRET_ACCESS_KEY:-testing}"
  # The test server checks signatures: create the bucket with a signed request (curl's own
  # SigV4; 200 or 409 if it exists).
  code="$(curl -s -o /dev/null -w '%{http_code}' --aws-sigv4 "aws:amz:us-east-1:s3" \
    --user "$key_id:$secret" -H "x-amz-content-sha256: $(printf '' | sha256sum | cut -d' ' -f1)" \
    -X PUT "$SLATEDB_S3_TEST_ENDPOINT/$bucket")"
  [[ "$code" == 200 || "$code" == 409 ]] || { echo "crash-test: CreateBucket: HTTP $code"; exit 1; }
  export AWS_ENDPOINT_URL="$SLATEDB_S3_TEST_ENDPOINT" AWS_ALLOW_HTTP=true \
    AWS_ACCESS_KEY_ID="$key_id" AWS_SECRET_ACCESS_KEY="$secret" AWS_REGION=us-east-1 \
    AWS_VIRTUAL_HOSTED_STYLE_REQUEST=false
  run_cycles "s3://$bucket/run-$SEED-$$" "$work/s3.log" "$KILLS_S3" s3 || exit 1
elif [[ "$KILLS_S3" -gt 0 ]]; then
  echo "crash-test: SLATEDB_S3_TEST_ENDPOINT not set, S3 part skipped"
fi
echo "crash-test: $total_kills SIGKILLs, no acknowledged write lost"
