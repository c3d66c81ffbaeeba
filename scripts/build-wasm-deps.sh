#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
#
# Builds the block codecs of the SST format for wasm32 (Emscripten) from Debian's source
# packages, into
#   build/wasm-deps/<lib>/{include/...,lib/lib<lib>.a}   for lib in zstd snappy lz4 zlib
# Emscripten 3.1.6 has no ports of these and we never vendor sources, so:
#   1. make sure a deb-src entry exists for the Debian mirror the machine already uses,
#   2. `apt-get source <package>` into build/wasm-deps/src (never committed: build/ is
#      ignored),
#   3. compile the library sources the core needs with emcc -O2 (static; no programs,
#      threads, assembly, legacy formats or optional APIs) and emar them:
#        zstd    lib/{common,compress,decompress} (libzstd)
#        snappy  snappy.cc, snappy-sinksource.cc, snappy-stubs-internal.cc, snappy-c.cc
#                (snappy-stubs-public.h generated from its template)
#        lz4     lib/lz4.c (the block format only)
#        zlib    the deflate/inflate core and crc32 (no gz* file functions)
#
# Idempotent: does nothing for a library whose prefix already holds it (delete it, or pass
# --force, to rebuild all). Needs root only for the one-time apt steps.
#
# Environment: SLATEDB_WASM_DEPS (default <repo>/build/wasm-deps), JOBS (default nproc).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
DEPS="${SLATEDB_WASM_DEPS:-$ROOT/build/wasm-deps}"
SRC_PARENT="$DEPS/src"
JOBS="${JOBS:-$(nproc 2>/dev/null || echo 2)}"
FORCE=0
[[ "${1:-}" == "--force" ]] && FORCE=1

log() { printf '[build-wasm-deps] %s\n' "$*" >&2; }

built() { [[ $FORCE -eq 0 && -f "$DEPS/$1/lib/lib$1.a" ]]; }
if built zstd && built snappy && built lz4 && built zlib; then
  log "already built: $DEPS/{zstd,snappy,lz4,zlib} (pass --force to rebuild)"
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
    echo "# Added by slatedb scripts/build-wasm-deps.sh: source packages for wasm dependencies."
    echo "Types: deb-src"
    echo "URIs: $uri"
    echo "Suites: $suites"
    echo "Components: main"
    [[ -n "$signed" ]] && echo "Signed-By: $signed"
  } | $SUDO tee "$out" >/dev/null
  $SUDO apt-get update -qq >&2
}

# --- sources ---------------------------------------------------------------------------------
mkdir -p "$SRC_PARENT"
# The unpacked source directory of a package: the directory holding `marker`.
find_src() { find "$SRC_PARENT" -maxdepth 3 -path "*/$1" -printf '%h\n' | head -n1; }
fetch() {  # package marker
  local dir
  dir="$(find_src "$2" || true)"
  if [[ -z "$dir" ]]; then
    ensure_deb_src
    log "apt-get source $1 -> $SRC_PARENT"
    if ! (cd "$SRC_PARENT" && apt-get source -qq "$1" >&2); then
      # The deb-src entry may predate the last `apt-get update`.
      $SUDO apt-get update -qq >&2
      (cd "$SRC_PARENT" && apt-get source -qq "$1" >&2)
    fi
    dir="$(find_src "$2")"
  fi
  [[ -n "$dir" ]] || { log "error: no $2 under $SRC_PARENT" >&2; exit 1; }
  printf '%s' "$dir"
}

export NODE_PATH="${NODE_PATH:+$NODE_PATH:}/usr/share/nodejs"
COMMON_FLAGS=(-O2 -mtail-call -DNDEBUG)

# compile <lib> <compiler> <flags...> -- <sources...>: objects into $DEPS/<lib>-obj, then
# lib<lib>.a into $DEPS/<lib>.tmp/lib (the caller adds headers and moves it in place).
compile() {
  local lib="$1" cc="$2"
  shift 2
  local flags=()
  while [[ "$1" != "--" ]]; do flags+=("$1"); shift; done
  shift
  local obj="$DEPS/$lib-obj"
  rm -rf "$obj" "$DEPS/$lib.tmp"
  mkdir -p "$obj" "$DEPS/$lib.tmp/lib" "$DEPS/$lib.tmp/include"
  log "$lib: compiling $# files with $cc ${flags[*]} (jobs=$JOBS)"
  printf '%s\n' "$@" | xargs -P "$JOBS" -I{} sh -c \
    'f="$1"; shift; cc="$1"; shift; o="$0/$(basename "$(dirname "$f")")_$(basename "$f").o"; "$cc" "$@" -c "$f" -o "$o"' \
    "$obj" {} "$cc" "${flags[@]}"
  emar rcs "$DEPS/$lib.tmp/lib/lib$lib.a" "$obj"/*.o
  rm -rf "$obj"
}

install_lib() {  # lib: replaces $DEPS/<lib> with what compile() and the caller staged
  rm -rf "$DEPS/$1"
  mv "$DEPS/$1.tmp" "$DEPS/$1"
  log "built $DEPS/$1/lib/lib$1.a"
}

start=$(date +%s)

if ! built zstd; then
  dir="$(fetch libzstd lib/zstd.h)"
  mapfile -t sources < <(ls "$dir"/common/*.c "$dir"/compress/*.c "$dir"/decompress/*.c)
  # ZSTD_MULTITHREAD stays undefined (single-threaded library); no legacy decoders.
  compile zstd emcc "${COMMON_FLAGS[@]}" -DZSTD_DISABLE_ASM=1 -DZSTD_LEGACY_SUPPORT=0 \
    -I"$dir" -I"$dir/common" -- "${sources[@]}"
  cp "$dir/zstd.h" "$dir/zdict.h" "$dir/zstd_errors.h" "$DEPS/zstd.tmp/include/"
  install_lib zstd
fi

if ! built snappy; then
  dir="$(fetch snappy snappy-c.h)"
  # The public stubs header is a CMake template: fill in what Emscripten's libc has.
  version="$(sed -n 's/^project(Snappy VERSION \([0-9.]*\).*/\1/p' "$dir/CMakeLists.txt")"
  IFS=. read -r major minor patch <<<"${version:-1.1.9}"
  gen="$DEPS/snappy-gen"
  mkdir -p "$gen"
  sed -e 's/${HAVE_SYS_UIO_H_01}/1/' -e "s/\${PROJECT_VERSION_MAJOR}/$major/" \
      -e "s/\${PROJECT_VERSION_MINOR}/$minor/" -e "s/\${PROJECT_VERSION_PATCH}/$patch/" \
      "$dir/snappy-stubs-public.h.in" >"$gen/snappy-stubs-public.h"
  compile snappy em++ "${COMMON_FLAGS[@]}" -std=c++17 -fno-exceptions -fno-rtti \
    -DHAVE_BUILTIN_CTZ=1 -DHAVE_BUILTIN_EXPECT=1 -DHAVE_ATTRIBUTE_ALWAYS_INLINE=1 \
    -DSNAPPY_HAVE_SSSE3=0 -DSNAPPY_HAVE_BMI2=0 -I"$dir" -I"$gen" -- \
    "$dir/snappy.cc" "$dir/snappy-sinksource.cc" "$dir/snappy-stubs-internal.cc" "$dir/snappy-c.cc"
  cp "$dir/snappy-c.h" "$dir/snappy.h" "$dir/snappy-sinksource.h" "$gen/snappy-stubs-public.h" \
     "$DEPS/snappy.tmp/include/"
  rm -rf "$gen"
  install_lib snappy
fi

if ! built lz4; then
  dir="$(fetch lz4 lib/lz4.h)"
  compile lz4 emcc "${COMMON_FLAGS[@]}" -I"$dir" -- "$dir/lz4.c"
  cp "$dir/lz4.h" "$DEPS/lz4.tmp/include/"
  install_lib lz4
fi

if ! built zlib; then
  dir="$(fetch zlib deflate.c)"
  sources=()
  for f in adler32 crc32 deflate inflate inffast inftrees trees zutil compress uncompr; do
    sources+=("$dir/$f.c")
  done
  compile zlib emcc "${COMMON_FLAGS[@]}" -I"$dir" -- "${sources[@]}"
  cp "$dir/zlib.h" "$dir/zconf.h" "$DEPS/zlib.tmp/include/"
  install_lib zlib
fi

log "done in $(( $(date +%s) - start ))s"
