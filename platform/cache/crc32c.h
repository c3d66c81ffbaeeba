// SPDX-License-Identifier: Apache-2.0
//
// CRC-32C (Castagnoli), the checksum of the persistent cache's part files. Software,
// table-driven (eight bytes per step); the cache verifies only the chunks a read serves,
// so its cost is per byte returned, not per byte cached. Internal to platform/.
#pragma once

#include <cstdint>
#include <string_view>

namespace slatedb::cache {

// CRC-32C of `bytes`, continuing from `crc` (0 to start).
uint32_t Crc32c(std::string_view bytes, uint32_t crc = 0);

}  // namespace slatedb::cache
