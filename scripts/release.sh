#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
#
# Builds every release artefact for the version in VERSION into dist/, installs each the way
# its users would, and prints their SHA-256 checksums. It never publishes anything: the
# commands that would are printed at the end, for a person to run.
#
#   scripts/release.sh --dry-run          build and test the current version's artefacts
#   scripts/release.sh --bump X.Y.Z       first set the version (VERSION, wasm/package.json,
#                                         CHANGELOG's "Unreleased" heading), then the same
#
# Artefacts (dist/):
#   slatedb-X.Y.Z.tar.gz                          Python sdist
#   slatedb-X.Y.Z-cp3NN-...-manylinux_*.whl       Python wheel, built from that sdist and
#                                                 repaired by auditwheel (+ auditwheel-show.txt)
#   slatedb-wasm-X.Y.Z.tgz                        npm package (npm pack in wasm/)
#   slatedb-cpp-X.Y.Z-linux-x86_64.tar.gz         C++ install tree (headers, static
#                                                 libraries, CMake package, pkg-config)
#   SHA256SUMS
# Tests: scripts/test-wheel.sh (fresh venv outside the checkout, no compiler on PATH, seed
# README examples + S3 on moto), tests/packaging/npm (Node, esbuild, Vite, static directory
# in headless Chromium), scripts/test-cpp-consumers.sh (find_package with and without S3,
# pkg-config) against the unpacked C++ tarball.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
DIST="$ROOT/dist"
log() { printf '[release] %s\n' "$*"; }
usage() { echo "usage: $0 --dry-run | --bump X.Y.Z" >&2; exit 2; }

case "${1:-}" in
  --dry-run) ;;
  --bump)
    new="${2:-}"
    [[ "$new" =~ ^[0-9]+\.[0-9]+\.[0-9]+(-[0-9A-Za-z.-]+)?$ ]] || usage
    echo "$new" > "$ROOT/VERSION"
    "$ROOT/scripts/sync-version.sh"
    if grep -q '^## Unreleased' "$ROOT/CHANGELOG.md"; then
      sed -i "s/^## Unreleased\$/## Unreleased\n\n## $new ($(date -u +%Y-%m-%d))/" "$ROOT/CHANGELOG.md"
    fi
    log "version set to $new (VERSION, wasm/package.json, CHANGELOG.md); review and commit"
    ;;
  *) usage ;;
esac

version="$(head -n1 "$ROOT/VERSION")"
"$ROOT/scripts/sync-version.sh" --check
t0=$SECONDS
rm -rf "$DIST"
mkdir -p "$DIST"

# --- Python: sdist, then the wheel built from it ------------------------------------------------
OUT="$DIST" "$ROOT/scripts/build-wheel.sh" --from-sdist
wheel=("$DIST"/slatedb-"$version"-*manylinux*.whl)
"$ROOT/scripts/s3-test-server.sh" "$ROOT/scripts/test-wheel.sh" "${wheel[0]}"

# --- npm ---------------------------------------------------------------------------------------
npm_tests="$ROOT/tests/packaging/npm"
[[ -f "$npm_tests/node_modules/vite/package.json" ]] ||
  (cd "$npm_tests" && npm ci --no-audit --no-fund --loglevel=error)
(cd "$ROOT/wasm" && npm pack --silent --pack-destination "$DIST" >/dev/null)
tarball="$DIST/slatedb-wasm-$version.tgz"
[[ -f "$tarball" ]] || { log "error: npm pack wrote no $tarball"; exit 1; }
if [[ ! -x "${CHROMIUM:-/usr/bin/chromium}" ]]; then
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
fi
SLATEDB_NPM_TARBALL="$tarball" node --test "$npm_tests/"

# --- C++ install tree --------------------------------------------------------------------------
cpp_build="$ROOT/build/release-cpp"
cpp_name="slatedb-cpp-$version-linux-$(uname -m)"
stage="$(mktemp -d)"
trap 'rm -rf "$stage"' EXIT
"$ROOT/scripts/install-deps.sh" >/dev/null
cmake -S "$ROOT" -B "$cpp_build" -G Ninja -DCMAKE_BUILD_TYPE=Release -DSLATEDB_BUILD_TESTS=OFF \
  -DSLATEDB_BUILD_BENCH=OFF -DSLATEDB_INSTALL=ON >/dev/null
log "C++ library (Release)"
ninja -C "$cpp_build" -j"${JOBS:-$(nproc)}" >"$stage/cpp-build.log" 2>&1 ||
  { tail -50 "$stage/cpp-build.log"; exit 1; }
cmake --install "$cpp_build" --prefix "$stage/$cpp_name" >/dev/null
cp "$ROOT/LICENSE" "$ROOT/README.md" "$ROOT/CHANGELOG.md" "$stage/$cpp_name/"
tar -C "$stage" -czf "$DIST/$cpp_name.tar.gz" "$cpp_name"
# Consumers build against the tarball's content, unpacked elsewhere (the tree is relocatable).
mkdir "$stage/unpacked"
tar -C "$stage/unpacked" -xzf "$DIST/$cpp_name.tar.gz"
"$ROOT/scripts/s3-test-server.sh" "$ROOT/scripts/test-cpp-consumers.sh" "$stage/unpacked/$cpp_name"

# --- checksums ---------------------------------------------------------------------------------
(cd "$DIST" && sha256sum slatedb-* > SHA256SUMS)
log "artefacts for $version in $DIST ($((SECONDS - t0)) s):"
(cd "$DIST" && ls -l --block-size=K slatedb-* | awk '{print "  " $5 "\t" $9}')
log "SHA256SUMS:"
sed 's/^/  /' "$DIST/SHA256SUMS"
cat <<EOF
[release] to publish (not done by this script):
  git tag v$version && git push origin v$version
  python3 -m twine upload dist/slatedb-$version.tar.gz dist/slatedb-$version-*.whl
  npm publish dist/slatedb-wasm-$version.tgz
  attach dist/$cpp_name.tar.gz and dist/SHA256SUMS to the release
EOF
