#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
#
# Installs a built wheel the way a user would and runs the seed README's examples and the
# S3 tests against it:
#   * a fresh venv in a temporary directory outside the checkout;
#   * a PATH holding only that venv's bin/ (no gcc, g++, cc, c++ or clang: checked), so
#     nothing can be compiled, and pip may only take wheels (--only-binary :all:);
#   * the extension's libzstd and libcurl must resolve to the copies auditwheel put in the
#     wheel (ldd), not to this machine's;
#   * python/tests/{conftest,test_readme_examples,test_s3,s3_signing}.py copied next to the venv, so
#     `import slatedb` can only find the installed package; test_s3.py runs when
#     SLATEDB_S3_TEST_ENDPOINT is set (scripts/s3-test-server.sh does that).
# Usage: scripts/test-wheel.sh dist/slatedb-<version>-<tags>.whl
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
PYTHON="${PYTHON:-python3}"
wheel="$(realpath "${1:?usage: $0 WHEEL}")"
log() { printf '[test-wheel] %s\n' "$*"; }

work="$(mktemp -d /tmp/slatedb-wheel-test.XXXXXX)"
trap 'rm -rf "$work"' EXIT
case "$work" in "$ROOT"/*) log "error: $work is inside the checkout"; exit 1 ;; esac

# The interpreter itself, not a shim (pyenv) that would need the caller's PATH.
interpreter="$("$PYTHON" -c 'import sys; print(sys.executable)')"
"$interpreter" -m venv "$work/venv"
venv="$work/venv"
clean_env=(env -i HOME="${HOME:-/root}" PATH="$venv/bin" LANG=C.UTF-8 ${CI:+CI="$CI"}
           ${SLATEDB_S3_TEST_ENDPOINT:+SLATEDB_S3_TEST_ENDPOINT="$SLATEDB_S3_TEST_ENDPOINT"}
           ${SLATEDB_S3_TEST_PORT80_ENDPOINT:+SLATEDB_S3_TEST_PORT80_ENDPOINT="$SLATEDB_S3_TEST_PORT80_ENDPOINT"})

for tool in gcc g++ cc c++ clang clang++; do
  if "${clean_env[@]}" "$venv/bin/python" -c "import shutil, sys; sys.exit(shutil.which('$tool') is None)"; then
    log "error: $tool is on the test PATH"; exit 1
  fi
done

log "installing $(basename "$wheel") into $venv (no compiler on PATH)"
"${clean_env[@]}" "$venv/bin/python" -m pip install -q --disable-pip-version-check \
  --only-binary :all: "$wheel" "pytest>=8.3"

# Where the package and its native libraries come from.
"${clean_env[@]}" "$venv/bin/python" - "$venv" "$(head -n1 "$ROOT/VERSION")" <<'EOF'
import os, sys
import slatedb
venv, version = sys.argv[1], sys.argv[2]
assert slatedb.__file__.startswith(venv + "/"), slatedb.__file__
assert slatedb.__version__ == version, (slatedb.__version__, version)
print(f"[test-wheel] slatedb {slatedb.__version__} from {os.path.dirname(slatedb.__file__)}")
EOF
ext=("$venv"/lib/python3*/site-packages/slatedb/slatedb.cpython-*.so)
libs="$(ldd "${ext[0]}")"
for lib in libzstd libcurl; do
  line="$(grep "$lib" <<<"$libs" || true)"
  if [[ "$line" != *"=> $venv/"*"/slatedb.libs/$lib"* ]]; then
    log "error: $lib does not resolve inside the wheel: ${line:-not linked}"; exit 1
  fi
done
log "libzstd and libcurl resolve to the wheel's own copies (slatedb.libs/)"
for f in LICENSE bundled/libcurl4.copyright bundled/libzstd1.copyright; do
  ls "$venv"/lib/python3*/site-packages/slatedb-*.dist-info/licenses/"$f" >/dev/null ||
    { log "error: the installed wheel has no licenses/$f"; exit 1; }
done

mkdir "$work/tests"
cp "$ROOT"/python/tests/{conftest.py,test_readme_examples.py,test_s3.py,s3_signing.py} "$work/tests/"
# The repository's rule that a skip fails under CI=true (its root conftest.py), as a plugin.
cp "$ROOT/conftest.py" "$work/tests/ci_no_skips.py"
cd "$work/tests"
"${clean_env[@]}" "$venv/bin/python" -m pytest -q -p no:cacheprovider -p ci_no_skips .
