#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
#
# Every test: installs what is missing, then
#   1. checks that core/ includes no I/O or thread headers;
#   2. builds the native library, the crash writer and the benchmarks (build/), and the
#      test binaries under AddressSanitizer + UndefinedBehaviorSanitizer (build-asan/);
#      runs the Catch2 suite (unit, conformance, engine, model) from the ASan build;
#   2b. runs the [s3] tests against moto_server behind front ends that verify every SigV4
#      signature with botocore (one of them injecting faults) on 127.0.0.1 (ASan);
#   2c. builds the tests that run real threads under ThreadSanitizer (build-tsan/) and
#      runs them;
#   3. builds examples/cpp against the installed tree and runs it;
#   4. builds the Python package into .venv and runs pytest; a smoke run of the remote
#      benchmark (bench/run_remote_bench.sh --smoke: ours and upstream slatedb 0.17 from
#      PyPI, 2,000 keys, checks every value read);
#   5. builds the Emscripten module and runs the Node tests (JS stores, engine smoke test,
#      the S3 store over fetch() against moto_server);
#   6. runs the browser tests in headless Chromium (scripts/test-browser.sh);
#   7. reliability (docs/testing.md): the deterministic simulation (2,000 seeds x 500
#      operations; 400 more under ASan+UBSan), crash tests killing a writer process with SIGKILL (local
#      directory and S3), every libFuzzer target for 10 s (clang, build-fuzz/).
# Safe to run twice. Ends with one "N passed, N failed" line over the stages.
set -uo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
passed=0
failed=0
stage() {
  local name="$1"; shift
  echo "=== $name"
  local start=$SECONDS
  if "$@"; then
    passed=$((passed + 1)); echo "=== $name: ok ($((SECONDS - start)) s)"
  else
    failed=$((failed + 1)); echo "=== $name: FAILED ($((SECONDS - start)) s)"
  fi
}

example() {
  cmake -S examples/cpp -B build/example -G Ninja -DCMAKE_PREFIX_PATH="$ROOT/build/install" \
    >/dev/null && ninja -C build/example >/dev/null || return 1
  local dir; dir="$(mktemp -d)"
  build/example/slatedb_example "$dir" && build/example/slatedb_example "$dir" | grep -q "run 2"
  local rc=$?
  rm -rf "$dir"
  return $rc
}

stage "core has no I/O or thread headers" scripts/check-core-headers.sh
# The plain build is only for what must run uninstrumented: the installed library the
# example links, the simulation's 2,000 seeds (5x slower under ASan), the crash writer
# (killed by timing), the benchmarks (compiled, not run). The Catch2 tests are built
# under sanitizers instead (docs/testing.md, "Sanitizers").
stage "native build (library, simulation, crash writer, benchmarks)" scripts/build-native.sh \
  slatedb_core slatedb_platform_memory slatedb_platform slatedb_sim crash_writer \
  core_bench s3_bench compaction_bench txn_bench
stage "ASan+UBSan build (slatedb_tests, slatedb_sim)" scripts/sanitize.sh asan build
stage "C++ tests (ASan+UBSan)" build-asan/tests/slatedb_tests --order lex
stage "S3 tests (ASan+UBSan; moto_server behind SigV4-verifying front ends, fault proxy)" \
  scripts/s3-test-server.sh build-asan/tests/slatedb_tests "[s3]"
stage "TSan build (slatedb_thread_tests)" scripts/sanitize.sh tsan build
# Without an S3 server: the S3 store tests under TSan end, now and then, with a "thread
# leak" report for a pool worker at exit that is not understood yet (docs/testing.md).
stage "threaded tests under TSan" build-tsan/tests/slatedb_thread_tests --order lex
stage "C++ embedding example" example
stage "Python package (pip install . + pytest, S3 on moto)" scripts/s3-test-server.sh scripts/test-python.sh
stage "remote benchmark smoke (ours and slatedb 0.17, with and without the disk cache)" \
  bench/run_remote_bench.sh --smoke
stage "wasm build" scripts/build-wasm.sh
stage "wasm tests (node --test, S3 over fetch on moto)" scripts/test-wasm.sh
stage "browser tests (headless Chromium: stores, demo, cross-runtime)" scripts/test-browser.sh
stage "simulation (2,000 seeds x 500 ops)" env SOAK_SEEDS=2000 scripts/soak.sh
# Under ASan+UBSan the simulation runs 5x slower, so fewer seeds, from another range.
stage "simulation under ASan+UBSan (400 seeds x 500 ops)" \
  env SLATEDB_SIM=build-asan/tests/slatedb_sim SOAK_FIRST=1000001 SOAK_SEEDS=400 scripts/soak.sh
stage "crash tests (SIGKILL; local dir + S3)" scripts/s3-test-server.sh scripts/crash-test.sh
stage "fuzzing (7 libFuzzer targets x 10 s)" scripts/fuzz.sh 10

echo "stages: $passed passed, $failed failed"
[[ $failed -eq 0 ]]
