// SPDX-License-Identifier: Apache-2.0
//
// zlib's crc32_z: a table-driven ("braided") CRC that runs at several GB/s natively and
// under Emscripten, and is zlib-compatible by definition. zlib is linked anyway for the
// Zlib block codec.
#include "util/checksum.h"

#include <zlib.h>

namespace slatedb {

uint32_t Crc32(std::string_view bytes) {
  uLong crc = crc32_z(0L, Z_NULL, 0);
  crc = crc32_z(crc, reinterpret_cast<const Bytef*>(bytes.data()), bytes.size());
  return static_cast<uint32_t>(crc);
}

}  // namespace slatedb
