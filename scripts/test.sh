#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
#
# Every test: installs what is missing, then
#   1. checks that core/ includes no I/O or thread headers;
#   2. builds the native tree and runs the Catch2 suite (unit, conformance, engine, model);
#   2b. runs the [s3] tests against moto_server and a fault proxy on 127.0.0.1;
#   3. builds examples/cpp against the installed tree and runs it;
#   4. builds the Python package into .venv and runs pytest;
#   5. builds the Emscripten module and runs the Node tests (JS stores, engine smoke test,
#      the S3 store over fetch() against moto_server);
#   6. runs the browser tests in headless Chromium (scripts/test-browser.sh);
#   7. reliability (docs/testing.md): the deterministic simulation (2,000 seeds x 500
#      operations), crash tests killing a writer process with SIGKILL (local directory and
#      S3), every libFuzzer target for 10 s (clang, build-fuzz/).
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
stage "native build" scripts/build-native.sh
stage "C++ tests" build/tests/slatedb_tests --order lex
stage "S3 tests (moto_server, fault proxy)" scripts/s3-test-server.sh build/tests/slatedb_tests "[s3]"
stage "C++ embedding example" example
stage "Python package (pip install . + pytest, S3 on moto)" scripts/s3-test-server.sh scripts/test-python.sh
stage "wasm build" scripts/build-wasm.sh
stage "wasm tests (node --test, S3 over fetch on moto)" scripts/test-wasm.sh
stage "browser tests (headless Chromium: stores, demo, cross-runtime)" scripts/test-browser.sh
stage "simulation (2,000 seeds x 500 ops)" env SOAK_SEEDS=2000 scripts/soak.sh
stage "crash tests (SIGKILL; local dir + S3)" scripts/s3-test-server.sh scripts/crash-test.sh
stage "fuzzing (7 libFuzzer targets x 10 s)" scripts/fuzz.sh 10

echo "stages: $passed passed, $failed failed"
[[ $failed -eq 0 ]]
