#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
#
# Checks the core's locking with clang's thread-safety analysis: every source of
# slatedb_core is compiled (syntax and analysis only, no code generation) by clang++ with
# -Wthread-safety -Werror=thread-safety, so touching state marked GUARDED_BY without its
# lock, or calling a *Locked method (REQUIRES) without it, fails the build
# (core/src/util/thread_annotations.h, docs/architecture.md). Installs clang if missing.
#   scripts/thread-safety-check.sh
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BUILD="${TSA_BUILD_DIR:-$ROOT/build-tsa}"
if ! command -v clang++-14 >/dev/null && ! command -v clang++ >/dev/null; then
  apt-get -o DPkg::Lock::Timeout=900 install -y clang >/dev/null
fi
CXX_BIN="$(command -v clang++-14 || command -v clang++)"
C_BIN="$(command -v clang-14 || command -v clang)"
"$ROOT/scripts/install-deps.sh"
cmake -S "$ROOT" -B "$BUILD" -G Ninja -DCMAKE_BUILD_TYPE=Debug \
  -DCMAKE_CXX_COMPILER="$CXX_BIN" -DCMAKE_C_COMPILER="$C_BIN" \
  -DCMAKE_EXPORT_COMPILE_COMMANDS=ON \
  -DSLATEDB_BUILD_TESTS=OFF -DSLATEDB_BUILD_BENCH=OFF -DSLATEDB_INSTALL=OFF >/dev/null
ninja -C "$BUILD" slatedb_schemas >/dev/null  # the generated FlatBuffers headers
# One clang invocation per core source, two at a time; each prints its own diagnostics.
python3 - "$BUILD/compile_commands.json" "$ROOT/core/src/" <<'PY' |
import json, shlex, sys
commands, core = sys.argv[1], sys.argv[2]
for entry in json.load(open(commands)):
    if not entry["file"].startswith(core):
        continue
    args = shlex.split(entry["command"])
    # Drop the output file: analysis only.
    out = []
    skip = False
    for a in args:
        if skip:
            skip = False
            continue
        if a == "-o":
            skip = True
            continue
        out.append(a)
    out += ["-fsyntax-only", "-Wthread-safety", "-Werror=thread-safety"]
    print("cd %s && %s" % (shlex.quote(entry["directory"]), shlex.join(out)))
PY
  xargs -P "${JOBS:-2}" -I{} bash -c '{}'
echo "thread-safety analysis: OK"
