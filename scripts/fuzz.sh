#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
#
# Builds the libFuzzer targets (fuzz/) with clang, ASan and UBSan in build-fuzz/ and runs
# each for a bounded time from its checked-in seed corpus (fuzz/corpus/<target>/).
#   scripts/fuzz.sh                 every target for 6 s (the CI stage)
#   scripts/fuzz.sh 600             every target for 10 minutes (a longer run)
#   scripts/fuzz.sh 3600 fuzz_sst   one target for an hour
#   scripts/fuzz.sh --seeds         regenerate fuzz/corpus from the engine's encoders (and
#                                   the upstream objects in tests/format/data)
# New inputs found are kept in build-fuzz/corpus/<target>/ (not in the repository); a crash
# leaves build-fuzz/crash-* / leak-* files and fails the script. Replay one with
#   build-fuzz/fuzz/<target> <file>
# Build note: FUZZING_BUILD_MODE_UNSAFE_FOR_PRODUCTION makes stored checksums always match
# (util/checksum.h) so mutations reach the decoders; these binaries are for fuzzing only.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BUILD="${FUZZ_BUILD_DIR:-$ROOT/build-fuzz}"
CXX_BIN="${FUZZ_CXX:-$(command -v clang++-14 || command -v clang++)}"
C_BIN="${FUZZ_CC:-$(command -v clang-14 || command -v clang)}"
if [[ -z "$CXX_BIN" ]]; then
  echo "fuzz.sh: clang++ not found (apt-get install -y clang)" >&2
  exit 1
fi
# -fno-sanitize=function: clang 14 cannot emit that check in coroutines ("Cannot represent
# a difference across sections").
flags="-fsanitize=fuzzer-no-link,address,undefined -fno-sanitize=function"
flags+=" -fno-sanitize-recover=undefined"
flags+=" -DFUZZING_BUILD_MODE_UNSAFE_FOR_PRODUCTION -fno-omit-frame-pointer"
# -O1 -gline-tables-only instead of RelWithDebInfo's -O2 -g: the build was most of this
# stage's time in CI, and a crash report's stack needs only line tables.
cmake -S "$ROOT" -B "$BUILD" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DCMAKE_CXX_COMPILER="$CXX_BIN" -DCMAKE_C_COMPILER="$C_BIN" \
  -DCMAKE_CXX_FLAGS="$flags" -DCMAKE_C_FLAGS="$flags" \
  -DCMAKE_CXX_FLAGS_RELWITHDEBINFO="-O1 -gline-tables-only -DNDEBUG" \
  -DCMAKE_C_FLAGS_RELWITHDEBINFO="-O1 -gline-tables-only -DNDEBUG" \
  -DSLATEDB_BUILD_FUZZ=ON -DSLATEDB_BUILD_TESTS=OFF -DSLATEDB_BUILD_BENCH=OFF \
  -DSLATEDB_INSTALL=OFF >/dev/null
ninja -C "$BUILD" -j"${JOBS:-2}" fuzz_all fuzz_make_seeds >/dev/null

if [[ "${1:-}" == "--seeds" ]]; then
  rm -rf "$ROOT/fuzz/corpus"
  "$BUILD/fuzz/fuzz_make_seeds" "$ROOT/fuzz/corpus" "$ROOT/tests/format/data"
  echo "seed corpora written to fuzz/corpus"
  exit 0
fi

seconds="${1:-6}"
shift || true
targets=("$@")
if [[ ${#targets[@]} -eq 0 ]]; then
  targets=(fuzz_block fuzz_sst fuzz_wal fuzz_filter fuzz_index fuzz_sst_meta fuzz_codec
           fuzz_manifest fuzz_compactions fuzz_seq_tracker fuzz_s3_xml fuzz_s3_config)
fi
export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1}"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}"
total=0
for t in "${targets[@]}"; do
  work="$BUILD/corpus/$t"
  mkdir -p "$work"
  log="$BUILD/$t.log"
  # Runs in $BUILD so crash-* files land there. Memory limits: the format admits one decoded
  # block of up to kMaxDecodedBlockBytes (1 GiB + 1 MiB, a block holding a maximal value), so
  # a well-formed input may legitimately make a decoder allocate that much once. Any single
  # allocation above it (-malloc_limit_mb) means a decoder trusted a length it should not have.
  # The RSS limit sits above that allocation plus ASan's quarantine and allocator caches, which
  # level off near 520 MB after a minute of fuzz_block; a limit of 1024 MB failed at random
  # when a large legitimate decode met a full quarantine.
  if ! (cd "$BUILD" && "$BUILD/fuzz/$t" -max_total_time="$seconds" -print_final_stats=1 \
        -malloc_limit_mb=1100 -rss_limit_mb=2560 -max_len=65536 -timeout=10 \
        "$work" "$ROOT/fuzz/corpus/$t" \
        >"$log" 2>&1); then
    tail -40 "$log"
    echo "fuzz.sh: $t FAILED (log: $log)" >&2
    exit 1
  fi
  runs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$log" | grep -o '[0-9]*$' || echo 0)
  total=$((total + runs))
  echo "$t: $runs executions in ${seconds} s, corpus $(ls "$work" | wc -l) files"
done
echo "fuzz: ${#targets[@]} targets, $total executions"
