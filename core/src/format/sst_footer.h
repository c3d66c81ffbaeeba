// SPDX-License-Identifier: Apache-2.0
//
// The 10-byte footer that ends every SST and makes it self-describing from its tail:
//   u64 BE offset of the info record | u16 BE SST format version
// The info record runs from that offset to the footer (docs/format.md).
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "slatedb/result.h"

namespace slatedb {

inline constexpr size_t kSstFooterBytes = 10;
// No info record is larger (two 64 KiB keys plus fixed fields); a footer that implies more
// is corrupt, and a reader never fetches more than this for the record.
inline constexpr uint64_t kMaxSstInfoBytes = 256 * 1024;

struct SstFooter {
  uint64_t info_offset = 0;
  uint16_t format_version = 0;
};

void EncodeSstFooter(const SstFooter& footer, std::string* dst);

// Parses the footer from the last kSstFooterBytes of `tail`, the end of an object of
// `object_size` bytes. Data if the object is too short to be an SST, the version is not 1
// or 2 ("unsupported SST format version N"), or the record it points at would be empty,
// larger than kMaxSstInfoBytes or outside the object.
Result<SstFooter> DecodeSstFooter(std::string_view tail, uint64_t object_size);

}  // namespace slatedb
