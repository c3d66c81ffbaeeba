#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
#
# The packaging tests: what each kind of user installs, installed the way they would.
#   1. the version in VERSION is the one in wasm/package.json (scripts/sync-version.sh);
#   2. Python: scripts/build-wheel.sh (sdist + auditwheel-repaired wheel, built from the
#      checkout, incrementally), then scripts/test-wheel.sh installs the wheel into a fresh
#      venv outside the checkout with no compiler on PATH and runs the seed README's
#      examples and the S3 tests (moto, scripts/s3-test-server.sh);
#   3. npm: `npm pack` in wasm/ (its prepack builds the module), then
#      tests/packaging/npm/ (node --test): the tarball under Node, esbuild, Vite and as a
#      static directory, in headless Chromium;
#   4. C++: scripts/test-cpp-consumers.sh against build/install (find_package with and
#      without the S3 component, pkg-config).
# Needs build/install (scripts/build-native.sh). Artefacts go to build/packaging/.
# Environment: SLATEDB_PACKAGING_OUT (default build/packaging), CHROMIUM.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
OUT="${SLATEDB_PACKAGING_OUT:-$ROOT/build/packaging}"
VENV="${SLATEDB_VENV:-$ROOT/.venv}"  # the project venv scripts/build-wheel.sh fills
log() { printf '[packaging] %s\n' "$*"; }
SUDO=""
if [[ $(id -u) -ne 0 ]] && command -v sudo >/dev/null; then SUDO="sudo"; fi
mkdir -p "$OUT"

"$ROOT/scripts/sync-version.sh" --check

# --- Python ------------------------------------------------------------------------------------
OUT="$OUT" "$ROOT/scripts/build-wheel.sh"
# The sdist carries what a build from source reads, and none of the rest of the repository.
python3 - "$OUT"/slatedb-"$(head -n1 "$ROOT/VERSION")".tar.gz <<'EOF'
import sys, tarfile
names = {n.split("/", 1)[1] for n in tarfile.open(sys.argv[1]).getnames() if "/" in n}
need = ["LICENSE", "VERSION", "pyproject.toml", "CMakeLists.txt", "PKG-INFO",
        "core/CMakeLists.txt", "platform/CMakeLists.txt", "python/CMakeLists.txt",
        "python/slatedb/__init__.py", "python/tests/test_readme_examples.py"]
missing = [n for n in need if n not in names]
schemas = [n for n in names if n.startswith("core/schemas/") and n.endswith(".fbs")]
stray = sorted({n.split("/")[0] for n in names} & {"build", "wasm", "web-demo", "tests", "bench", "dist"})
assert not missing and schemas and not stray, (missing, schemas, stray)
print(f"[packaging] sdist: {len(names)} files, {len(schemas)} schemas, no build or test trees")
EOF
# ... and configures: CMake finds every source file the Python build lists, and the build
# steps that run scripts (the core header check, flatc) succeed. (scripts/release.sh builds
# the wheel from the sdist in full.)
sdist_dir="$(mktemp -d)"
tar -C "$sdist_dir" -xzf "$OUT"/slatedb-"$(head -n1 "$ROOT/VERSION")".tar.gz
src=("$sdist_dir"/slatedb-*)
cmake -S "${src[0]}" -B "$sdist_dir/build" -G Ninja -DSLATEDB_BUILD_PYTHON=ON \
  -DSLATEDB_BUILD_TESTS=OFF -DSLATEDB_BUILD_BENCH=OFF -DSLATEDB_INSTALL=OFF \
  -DPython_EXECUTABLE="$VENV/bin/python" \
  -Dpybind11_DIR="$("$VENV/bin/python" -m pybind11 --cmakedir)" >"$sdist_dir/configure.log" 2>&1 ||
  { cat "$sdist_dir/configure.log"; exit 1; }
ninja -C "$sdist_dir/build" slatedb_check_core_headers slatedb_schemas >/dev/null
rm -rf "$sdist_dir"
log "sdist: configures, header check and flatc run"
wheel=("$OUT"/slatedb-*manylinux*.whl)
log "wheel: $(basename "${wheel[0]}") ($(du -k "${wheel[0]}" | cut -f1) KiB)"
grep -A1 "consistent with" "$OUT/auditwheel-show.txt" | tr '\n' ' '; echo "(auditwheel show: $OUT/auditwheel-show.txt)"
"$ROOT/scripts/s3-test-server.sh" "$ROOT/scripts/test-wheel.sh" "${wheel[0]}"

# --- npm ---------------------------------------------------------------------------------------
if [[ ! -x "${CHROMIUM:-/usr/bin/chromium}" ]]; then
  log "installing chromium (Debian)"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq chromium >/dev/null
fi
npm_tests="$ROOT/tests/packaging/npm"
if [[ ! -f "$npm_tests/node_modules/vite/package.json" || ! -f "$npm_tests/node_modules/esbuild/package.json" ]]; then
  log "npm ci in tests/packaging/npm (esbuild, vite, playwright-core)"
  (cd "$npm_tests" && npm ci --no-audit --no-fund --loglevel=error)
fi
rm -f "$OUT"/slatedb-wasm-*.tgz
(cd "$ROOT/wasm" && npm pack --silent --pack-destination "$OUT" >/dev/null)
tarball=("$OUT"/slatedb-wasm-*.tgz)
log "npm: $(basename "${tarball[0]}") ($(du -k "${tarball[0]}" | cut -f1) KiB)"
SLATEDB_NPM_TARBALL="${tarball[0]}" node --test "$npm_tests/"

# --- C++ ---------------------------------------------------------------------------------------
"$ROOT/build/install/bin/slatedb" --version >/dev/null  # the installed command line runs
"$ROOT/scripts/s3-test-server.sh" "$ROOT/scripts/test-cpp-consumers.sh" "$ROOT/build/install"
