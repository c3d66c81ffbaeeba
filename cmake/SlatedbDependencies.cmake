# SPDX-License-Identifier: Apache-2.0
# Finds the libraries the core needs: the block codecs (snappy, zlib, lz4, zstd; zlib also
# computes the CRC32 checksums), xxhash (the memtable's key hash, header-only use),
# nlohmann-json (header-only), FlatBuffers (flatc and its header-only runtime). Natively they
# come from Debian packages; under Emscripten the codecs come from
# scripts/build-wasm-deps.sh, which builds them from Debian's source packages
# (<NAME>_INCLUDE_DIR and <NAME>_LIBRARY are passed by scripts/build-wasm.sh).

find_package(nlohmann_json 3 QUIET)
if(NOT nlohmann_json_FOUND)
  find_path(NLOHMANN_JSON_INCLUDE_DIR nlohmann/json.hpp REQUIRED)
  add_library(nlohmann_json::nlohmann_json INTERFACE IMPORTED)
  target_include_directories(nlohmann_json::nlohmann_json INTERFACE ${NLOHMANN_JSON_INCLUDE_DIR})
endif()

find_path(XXHASH_INCLUDE_DIR xxhash.h REQUIRED)

# FlatBuffers (the manifest, SST index/info and compactions encodings): flatc runs on the
# build host, also for the wasm build; the runtime is header-only (Debian:
# flatbuffers-compiler, libflatbuffers-dev).
find_program(FLATC_EXECUTABLE flatc REQUIRED)
find_path(FLATBUFFERS_INCLUDE_DIR flatbuffers/flatbuffers.h REQUIRED)

# The codecs: <NAME>_INCLUDE_DIR and <NAME>_LIBRARY for ZSTD, SNAPPY, LZ4 and ZLIB.
# The Emscripten toolchain confines searches to its sysroot, so there the build script
# passes both variables (cache hits skip the searches below).
foreach(_codec ZSTD:zstd.h:zstd SNAPPY:snappy-c.h:snappy LZ4:lz4.h:lz4 ZLIB:zlib.h:z)
  string(REPLACE ":" ";" _parts ${_codec})
  list(GET _parts 0 _name)
  list(GET _parts 1 _header)
  list(GET _parts 2 _lib)
  find_path(${_name}_INCLUDE_DIR ${_header} REQUIRED)
  find_library(${_name}_LIBRARY NAMES ${_lib} REQUIRED)
endforeach()
set(SLATEDB_CODEC_INCLUDE_DIRS
    ${ZSTD_INCLUDE_DIR} ${SNAPPY_INCLUDE_DIR} ${LZ4_INCLUDE_DIR} ${ZLIB_INCLUDE_DIR})
set(SLATEDB_CODEC_LIBRARIES ${ZSTD_LIBRARY} ${SNAPPY_LIBRARY} ${LZ4_LIBRARY} ${ZLIB_LIBRARY})
