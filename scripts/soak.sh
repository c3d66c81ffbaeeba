#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
#
# The long simulation soak: SOAK_SEEDS seeds (default 100,000) of SOAK_OPS operations
# (default 500), split into one slice per job (SOAK_JOBS, default 2) running side by side.
#   scripts/soak.sh                       100,000 seeds from seed 1
#   SOAK_FIRST=200001 scripts/soak.sh     another range
# Each slice stops at its first failing seed and prints "replay with: slatedb_sim --seed N";
# the script fails if any slice failed. Logs: build/soak-<slice>.log.
set -uo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
SIM="${SLATEDB_SIM:-$ROOT/build/tests/slatedb_sim}"
SEEDS="${SOAK_SEEDS:-100000}"
FIRST="${SOAK_FIRST:-1}"
OPS="${SOAK_OPS:-500}"
JOBS="${SOAK_JOBS:-2}"
if [[ ! -x "$SIM" ]]; then
  echo "soak: $SIM not built (scripts/build-native.sh)" >&2
  exit 1
fi
per=$(((SEEDS + JOBS - 1) / JOBS))
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null; done; }
trap cleanup EXIT
trap 'exit 130' INT TERM
start=$SECONDS
for ((j = 0; j < JOBS; j++)); do
  first=$((FIRST + j * per))
  count=$per
  if ((j * per + count > SEEDS)); then count=$((SEEDS - j * per)); fi
  ((count > 0)) || continue
  "$SIM" --first-seed "$first" --seeds "$count" --ops "$OPS" >"$ROOT/build/soak-$j.log" 2>&1 &
  pids+=($!)
done
failed=0
for ((j = 0; j < ${#pids[@]}; j++)); do
  if ! wait "${pids[$j]}"; then
    failed=1
    grep -E "replay with|FAILED|with messages" -A4 "$ROOT/build/soak-$j.log" | head -20
  fi
  grep -h "^simulation:" "$ROOT/build/soak-$j.log" || true
done
pids=()
verdict=ok
[[ $failed -eq 0 ]] || verdict=FAILED
echo "soak: $SEEDS seeds x $OPS ops in $((SECONDS - start)) s: $verdict"
exit $failed
