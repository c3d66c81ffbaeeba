#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
#
# The test suites under sanitizers, each in its own build directory (g++ 12):
#   scripts/sanitize.sh asan   build-asan/: AddressSanitizer + UndefinedBehaviorSanitizer;
#                              every Catch2 test but [slow] (the [s3] ones that need a
#                              server skip without one) and SANITIZE_SIM_SEEDS (default
#                              300) simulation seeds
#   scripts/sanitize.sh tsan   build-tsan/: ThreadSanitizer; the tests that run real threads:
#                              [platform] (thread pool, BlockOn, curl transport), [db] (the
#                              engine on a ThreadPoolExecutor), and with SLATEDB_S3_TEST_ENDPOINT
#                              set (scripts/s3-test-server.sh) the S3 store tests
# Any report fails the run (halt_on_error). Incremental: a second run only rebuilds what
# changed.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
mode="${1:-}"
case "$mode" in
  asan)
    flags="-fsanitize=address,undefined -fno-sanitize-recover=undefined -fno-omit-frame-pointer"
    build="$ROOT/build-asan"
    targets=(slatedb_tests slatedb_sim)
    ;;
  tsan)
    flags="-fsanitize=thread -fno-omit-frame-pointer"
    build="$ROOT/build-tsan"
    targets=(slatedb_tests)
    ;;
  *)
    echo "usage: scripts/sanitize.sh asan|tsan" >&2
    exit 2
    ;;
esac
"$ROOT/scripts/install-deps.sh"
cmake -S "$ROOT" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DCMAKE_CXX_FLAGS="$flags" -DCMAKE_C_FLAGS="$flags" \
  -DSLATEDB_BUILD_BENCH=OFF -DSLATEDB_INSTALL=OFF >/dev/null
ninja -C "$build" -j"${JOBS:-2}" "${targets[@]}" >/dev/null

if [[ "$mode" == asan ]]; then
  export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1}"
  export UBSAN_OPTIONS="${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}"
  "$build/tests/slatedb_tests" "~[slow]" --order lex
  "$build/tests/slatedb_sim" --seeds "${SANITIZE_SIM_SEEDS:-300}"
else
  # second_deadlock_stack helps read lock-order reports; halt_on_error makes any race fatal.
  export TSAN_OPTIONS="${TSAN_OPTIONS:-halt_on_error=1:second_deadlock_stack=1}"
  "$build/tests/slatedb_tests" "[platform],[db]~[slow]" --order lex
  if [[ -n "${SLATEDB_S3_TEST_ENDPOINT:-}" ]]; then
    "$build/tests/slatedb_tests" "s3 store*,engine on s3*" --order lex
  fi
fi
