#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
#
# Builds libzstd for wasm32 (Emscripten) from Debian's source package, into
#   build/wasm-deps/zstd/{include/zstd.h,include/zstd_errors.h,lib/libzstd.a}
# Emscripten 3.1.6 has no zstd port and we never vendor sources, so:
#   1. make sure a deb-src entry exists for the Debian mirror the machine already uses,
#   2. `apt-get source libzstd` into build/wasm-deps/src (never committed: build/ is ignored),
#   3. compile lib/{common,compress,decompress} with emcc -O2 (static; no programs, threads,
#      legacy formats, deprecated API, dictionary builder or x86 assembly) and emar them.
#
# Idempotent: does nothing when the prefix already holds the library (delete it, or pass
# --force, to rebuild). Needs root only for the one-time apt steps.
#
# Environment: SLATEDB_WASM_DEPS (default <repo>/build/wasm-deps), JOBS (default nproc).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
DEPS="${SLATEDB_WASM_DEPS:-$ROOT/build/wasm-deps}"
PREFIX="$DEPS/zstd"
SRC_PARENT="$DEPS/src"
JOBS="${JOBS:-$(nproc 2>/dev/null || echo 2)}"
FORCE=0
[[ "${1:-}" == "--force" ]] && FORCE=1

log() { printf '[build-wasm-zstd] %s\n' "$*"; }

if [[ $FORCE -eq 0 && -f "$PREFIX/lib/libzstd.a" && -f "$PREFIX/include/zstd.h" ]]; then
  log "already built: $PREFIX (pass --force to rebuild)"
  exit 0
fi

SUDO=""
if [[ $(id -u) -ne 0 ]]; then
  command -v sudo >/dev/null && SUDO="sudo"
fi

# --- tools -------------------------------------------------------------------------------
need_pkgs=()
command -v emcc >/dev/null || need_pkgs+=(emscripten)
command -v dpkg-source >/dev/null || need_pkgs+=(dpkg-dev)
command -v xz >/dev/null || need_pkgs+=(xz-utils)
if [[ ${#need_pkgs[@]} -gt 0 ]]; then
  log "installing ${need_pkgs[*]}"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${need_pkgs[@]}"
fi

# --- deb-src entry for the mirror already in use -------------------------------------------
# Prints "URI SUITE..." for the first enabled `deb` entry (deb822 .sources or one-line
# sources.list) that carries the `main` component of a Debian (non-security) archive.
find_mirror() {
  local f
  for f in /etc/apt/sources.list.d/*.sources; do
    [[ -f "$f" ]] || continue
    awk '
      function flush() {
        if (types ~ /(^| )deb( |$)/ && comps ~ /(^| )main( |$)/ && uris != "" &&
            uris !~ /security/ && enabled != "no" && !done) { print uris "|" suites "|" signed; done = 1 }
        types = ""; uris = ""; suites = ""; comps = ""; signed = ""; enabled = ""
      }
      /^[ \t]*$/ { flush(); next }
      /^[ \t]*#/ { next }
      tolower($1) == "types:" { $1 = ""; types = $0 }
      tolower($1) == "uris:" { uris = $2 }
      tolower($1) == "suites:" { $1 = ""; sub(/^ +/, ""); suites = $0 }
      tolower($1) == "components:" { $1 = ""; comps = $0 }
      tolower($1) == "signed-by:" { signed = $2 }
      tolower($1) == "enabled:" { enabled = tolower($2) }
      END { flush() }
    ' "$f"
  done
  local l
  for l in /etc/apt/sources.list /etc/apt/sources.list.d/*.list; do
    [[ -f "$l" ]] || continue
    awk '$1 == "deb" && $0 ~ / main/ && $0 !~ /security/ {
           i = 2; if ($2 ~ /^\[/) { while ($i !~ /\]$/) i++; i++ }
           print $i "|" $(i + 1) "|"; exit }' "$l"
  done
}

have_deb_src() {
  grep -rqsE '^[[:space:]]*(deb-src[[:space:]]|Types:.*deb-src)' \
    /etc/apt/sources.list /etc/apt/sources.list.d/ 2>/dev/null
}

ensure_deb_src() {
  if have_deb_src; then
    return 0
  fi
  local line uri suites signed
  line="$(find_mirror | head -n1)"
  if [[ -z "$line" ]]; then
    log "error: found no enabled Debian 'deb ... main' entry in /etc/apt/sources.list{,.d}" >&2
    exit 1
  fi
  IFS='|' read -r uri suites signed <<<"$line"
  local out=/etc/apt/sources.list.d/slatedb-deb-src.sources
  log "adding deb-src for $uri ($suites) in $out"
  {
    echo "# Added by slatedb scripts/build-wasm-zstd.sh: source packages for wasm dependencies."
    echo "Types: deb-src"
    echo "URIs: $uri"
    echo "Suites: $suites"
    echo "Components: main"
    [[ -n "$signed" ]] && echo "Signed-By: $signed"
  } | $SUDO tee "$out" >/dev/null
  $SUDO apt-get update -qq
}

# --- source ----------------------------------------------------------------------------------
mkdir -p "$SRC_PARENT"
find_src() { find "$SRC_PARENT" -maxdepth 3 -path '*/lib/zstd.h' -printf '%h\n' | head -n1; }
LIBDIR="$(find_src || true)"
if [[ -z "$LIBDIR" ]]; then
  ensure_deb_src
  log "apt-get source libzstd -> $SRC_PARENT"
  if ! (cd "$SRC_PARENT" && apt-get source -qq libzstd); then
    # The deb-src entry may predate the last `apt-get update`.
    $SUDO apt-get update -qq
    (cd "$SRC_PARENT" && apt-get source -qq libzstd)
  fi
  LIBDIR="$(find_src)"
fi
[[ -n "$LIBDIR" ]] || { log "error: no lib/zstd.h under $SRC_PARENT" >&2; exit 1; }
log "source: $LIBDIR"

# --- compile -----------------------------------------------------------------------------------
export NODE_PATH="${NODE_PATH:+$NODE_PATH:}/usr/share/nodejs"
OBJ="$DEPS/zstd-obj"
rm -rf "$OBJ" "$PREFIX.tmp"
mkdir -p "$OBJ" "$PREFIX.tmp/lib" "$PREFIX.tmp/include"

# ZSTD_MULTITHREAD stays undefined (single-threaded library); no legacy decoders.
CFLAGS=(-O2 -mtail-call -DNDEBUG -DZSTD_DISABLE_ASM=1 -DZSTD_LEGACY_SUPPORT=0
        -I"$LIBDIR" -I"$LIBDIR/common")
mapfile -t SOURCES < <(ls "$LIBDIR"/common/*.c "$LIBDIR"/compress/*.c "$LIBDIR"/decompress/*.c)
log "compiling ${#SOURCES[@]} files with emcc ${CFLAGS[*]} (jobs=$JOBS)"
start=$(date +%s)
printf '%s\n' "${SOURCES[@]}" | xargs -P "$JOBS" -I{} sh -c \
  'f="$1"; shift; o="$0/$(basename "$(dirname "$f")")_$(basename "$f" .c).o"; emcc "$@" -c "$f" -o "$o"' \
  "$OBJ" {} "${CFLAGS[@]}"
emar rcs "$PREFIX.tmp/lib/libzstd.a" "$OBJ"/*.o
cp "$LIBDIR/zstd.h" "$LIBDIR/zdict.h" "$LIBDIR/zstd_errors.h" "$PREFIX.tmp/include/"
rm -rf "$PREFIX" "$OBJ"
mv "$PREFIX.tmp" "$PREFIX"
log "built $PREFIX/lib/libzstd.a in $(( $(date +%s) - start ))s"
