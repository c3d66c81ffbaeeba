// SPDX-License-Identifier: Apache-2.0
//
// xxhash used header-only: XXH_INLINE_ALL keeps its symbols private to this file, so the
// core needs no xxhash library at link time (and none under Emscripten).
#include "util/checksum.h"

#define XXH_INLINE_ALL
#include <xxhash.h>

namespace slatedb {

uint64_t Checksum64(std::string_view bytes) {
  return static_cast<uint64_t>(XXH3_64bits(bytes.data(), bytes.size()));
}

}  // namespace slatedb
