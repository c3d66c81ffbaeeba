#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
#
# Crash tests with real processes: runs tests/crash/crash_writer (built as
# build/tests/crash_writer) and kills it with SIGKILL at random moments, over and over,
# against a local directory and (when SLATEDB_S3_TEST_ENDPOINT is set, as under
# scripts/s3-test-server.sh) against the local S3 server. Each new writer first reopens
# the database and checks every acknowledged write in the fsync'd ack log; a final
# --check-only run checks once more. Any lost acknowledged write fails the script.
# Then the same with compaction in its own process: a writer with compaction off
# (CRASH_COMPACTION=off) and `crash_writer --compactor`, each SIGKILLed at its own random
# moments while the writer loads (sometimes no compactor runs for a cycle); at the end a
# compactor runs again beside a last writer, and L0 must drain to l0_max_ssts.
#   scripts/s3-test-server.sh scripts/crash-test.sh            (the CI stage)
#   CRASH_KILLS_LOCAL=500 CRASH_KILLS_S3=0 scripts/crash-test.sh   (longer, local only)
# Environment: CRASH_WRITER (binary), CRASH_KILLS_LOCAL (default 60), CRASH_KILLS_S3
# (default 50), CRASH_KILLS_STANDALONE (writer kills with a standalone compactor, local
# directory, default 30), CRASH_SEED (default: from the clock; printed, and replays the kill timings).
set -uo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
WRITER="${CRASH_WRITER:-$ROOT/build/tests/crash_writer}"
KILLS_LOCAL="${CRASH_KILLS_LOCAL:-60}"
KILLS_S3="${CRASH_KILLS_S3:-50}"
KILLS_STANDALONE="${CRASH_KILLS_STANDALONE:-30}"
SEED="${CRASH_SEED:-$(date +%s)}"
RANDOM=$SEED
echo "crash-test: seed $SEED (CRASH_SEED=$SEED replays the kill timings)"

work="$(mktemp -d)"
pid=""
cpid=""
cleanup() {
  if [[ -n "$pid" ]]; then kill -9 "$pid" 2>/dev/null; wait "$pid" 2>/dev/null; fi
  if [[ -n "$cpid" ]]; then kill -9 "$cpid" 2>/dev/null; wait "$cpid" 2>/dev/null; fi
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

# sleep_ms <n>
sleep_ms() { sleep "$(printf '%d.%03d' $(($1 / 1000)) $(($1 % 1000)))"; }

compactor_kills=0
# Kills the standalone compactor (if it runs) with SIGKILL.
kill_compactor() {
  if [[ -n "$cpid" ]]; then
    if kill -0 "$cpid" 2>/dev/null; then
      kill -9 "$cpid" 2>/dev/null
      compactor_kills=$((compactor_kills + 1))
    fi
    wait "$cpid" 2>/dev/null
    cpid=""
  fi
}

# run_standalone <store> <ack log> <kills> <name>: the writer with compaction off, the
# compactor in a process of its own, killed independently.
run_standalone() {
  local store="$1" log="$2" kills="$3" name="$4" cycle rc out l0max
  : >"$log"
  export CRASH_COMPACTION=off
  for ((cycle = 1; cycle <= kills; cycle++)); do
    out="$work/$name.out"
    "$WRITER" "$store" "$log" "$cycle" >"$out" 2>&1 &
    pid=$!
    sleep_ms $((50 + RANDOM % 700))
    # While the writer loads: kill the compactor, and usually start a new one (one cycle
    # in four goes on without a compactor; the writer must not depend on one).
    kill_compactor
    if ((RANDOM % 4 != 0)); then
      "$WRITER" "$store" "$log" 0 --compactor >>"$work/$name.compactor" 2>&1 &
      cpid=$!
    fi
    sleep_ms $((50 + RANDOM % 900))
    if kill -0 "$pid" 2>/dev/null; then
      kill -9 "$pid" 2>/dev/null
      wait "$pid" 2>/dev/null
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
    # A compactor that exited on its own: only "no database yet" (3) is expected.
    if [[ -n "$cpid" ]] && ! kill -0 "$cpid" 2>/dev/null; then
      wait "$cpid"
      rc=$?
      cpid=""
      if [[ $rc -ne 3 ]]; then
        echo "crash-test [$name]: the compactor exited with $rc:"
        tail -5 "$work/$name.compactor"
        return 1
      fi
    fi
  done
  # A compactor runs again, beside a writer loading for 3 s, then a last check: nothing
  # acknowledged lost and L0 drained to l0_max_ssts.
  kill_compactor
  "$WRITER" "$store" "$log" 0 --compactor >>"$work/$name.compactor" 2>&1 &
  cpid=$!
  "$WRITER" "$store" "$log" $((kills + 1)) >"$out" 2>&1 &
  pid=$!
  sleep 3
  kill -9 "$pid" 2>/dev/null
  wait "$pid" 2>/dev/null
  pid=""
  l0max="$(awk '/^l0 /{if ($2 > m) m = $2} END {print m + 0}' "$out")"
  if ! "$WRITER" "$store" "$log" $((kills + 2)) --check-only >"$out" 2>&1; then
    echo "crash-test [$name]: final check failed:"
    cat "$out"
    return 1
  fi
  kill_compactor
  unset CRASH_COMPACTION
  echo "crash-test [$name]: $kills writer and $compactor_kills compactor SIGKILLs," \
    "$(grep -c '^[PD] ' "$log") acknowledged writes; L0 at most $l0max while a compactor" \
    "ran beside the last writer; final check: $(tr '\n' ' ' <"$out")"
}

if [[ "$KILLS_LOCAL" -gt 0 ]]; then
  run_cycles "$work/local" "$work/local.log" "$KILLS_LOCAL" local || exit 1
fi
if [[ "$KILLS_STANDALONE" -gt 0 ]]; then
  run_standalone "$work/standalone" "$work/standalone.log" "$KILLS_STANDALONE" standalone || exit 1
fi

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
echo "crash-test: $total_kills writer and $compactor_kills compactor SIGKILLs, no acknowledged write lost"
