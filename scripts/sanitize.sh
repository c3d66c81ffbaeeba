#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
#
# The tests under sanitizers, each sanitizer in its own build directory (g++ 12):
#   scripts/sanitize.sh asan   build-asan/: AddressSanitizer + UndefinedBehaviorSanitizer;
#                              slatedb_tests (every Catch2 test; the [s3] ones that need a
#                              server skip without one) and SANITIZE_SIM_SEEDS (default
#                              300) simulation seeds
#   scripts/sanitize.sh tsan   build-tsan/: ThreadSanitizer; slatedb_thread_tests, the test
#                              files that run real threads (tests/CMakeLists.txt): thread
#                              pool, BlockOn, the engine on a ThreadPoolExecutor, and with
#                              SLATEDB_S3_TEST_ENDPOINT set (scripts/s3-test-server.sh) the
#                              S3 store and engine over the libcurl transport
#   scripts/sanitize.sh asan|tsan build    only build (scripts/test.sh runs the binaries
#                                          as its own stages)
#   scripts/sanitize.sh asan|tsan test     only run what is built
# Any report fails the run: the binaries carry default options that make every finding
# fatal (tests/testutil/sanitizer_options.cc); *SAN_OPTIONS in the environment override
# them. Incremental: a second run only rebuilds what changed.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
mode="${1:-}"
step="${2:-all}"
case "$mode" in
  asan)
    # -fno-sanitize-recover: a UBSan finding stops the test instead of printing and going on.
    flags="-fsanitize=address,undefined -fno-sanitize-recover=undefined -fno-omit-frame-pointer"
    build="$ROOT/build-asan"
    targets=(slatedb_tests slatedb_sim)
    ;;
  tsan)
    flags="-fsanitize=thread -fno-omit-frame-pointer"
    build="$ROOT/build-tsan"
    targets=(slatedb_thread_tests)
    ;;
  *)
    echo "usage: scripts/sanitize.sh asan|tsan [build|test]" >&2
    exit 2
    ;;
esac
case "$step" in
  all | build | test) ;;
  *)
    echo "usage: scripts/sanitize.sh asan|tsan [build|test]" >&2
    exit 2
    ;;
esac

if [[ "$step" != test ]]; then
  "$ROOT/scripts/install-deps.sh"
  # -O1 -g1 instead of RelWithDebInfo's -O2 -g: half the compile time (a sanitizer build
  # costs 3x a plain one at -O2 -g), and line tables are all a report's stack needs.
  # -O2 would not buy coroutine tail calls either: g++ 12 makes none under ASan or TSan.
  cmake -S "$ROOT" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
    -DCMAKE_CXX_FLAGS="$flags" -DCMAKE_C_FLAGS="$flags" \
    -DCMAKE_CXX_FLAGS_RELWITHDEBINFO="-O1 -g1 -DNDEBUG" \
    -DCMAKE_C_FLAGS_RELWITHDEBINFO="-O1 -g1 -DNDEBUG" \
    -DSLATEDB_BUILD_BENCH=OFF -DSLATEDB_INSTALL=OFF >/dev/null
  # --quiet: no progress lines, but a failing compile still prints its errors.
  ninja -C "$build" -j"${JOBS:-2}" --quiet "${targets[@]}"
fi
[[ "$step" != build ]] || exit 0

if [[ "$mode" == asan ]]; then
  "$build/tests/slatedb_tests" --order lex
  "$build/tests/slatedb_sim" --seeds "${SANITIZE_SIM_SEEDS:-300}"
else
  "$build/tests/slatedb_thread_tests" --order lex
fi
