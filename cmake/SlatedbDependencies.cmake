# SPDX-License-Identifier: Apache-2.0
# Finds the libraries the core needs: zstd (compression), xxhash (checksums, header-only
# use), nlohmann-json (header-only), FlatBuffers (flatc and its header-only runtime). Natively they come from Debian
# packages; under Emscripten zstd comes from scripts/build-wasm-zstd.sh (ZSTD_ROOT).

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

if(EMSCRIPTEN)
  set(ZSTD_ROOT "" CACHE PATH "Prefix holding include/zstd.h and lib/libzstd.a built for wasm")
  # The Emscripten toolchain confines searches to its sysroot; ZSTD_ROOT lies outside it.
  find_path(ZSTD_INCLUDE_DIR zstd.h PATHS ${ZSTD_ROOT}/include
            NO_DEFAULT_PATH NO_CMAKE_FIND_ROOT_PATH REQUIRED)
  find_library(ZSTD_LIBRARY NAMES libzstd.a zstd PATHS ${ZSTD_ROOT}/lib
               NO_DEFAULT_PATH NO_CMAKE_FIND_ROOT_PATH REQUIRED)
else()
  find_path(ZSTD_INCLUDE_DIR zstd.h REQUIRED)
  find_library(ZSTD_LIBRARY NAMES zstd REQUIRED)
endif()
