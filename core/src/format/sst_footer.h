// SPDX-License-Identifier: Apache-2.0
//
// The fixed-size footer that ends every SST and makes it self-describing from its tail:
//   u64 info_offset | u32 info_length | u16 format_version | u32 magic ("SLDB")
// A reader that knows the object size reads the footer, then the SstInfo record it points at.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "slatedb/result.h"

namespace slatedb {

inline constexpr size_t kSstFooterBytes = 18;
// "SLDB" as stored (little-endian u32).
inline constexpr uint32_t kSstMagic = 0x42444c53;
// No valid SstInfo record is this large (two 64 KiB keys plus fixed fields); a footer that
// claims more is corrupt, and a reader never fetches more than this for the record.
inline constexpr uint32_t kMaxSstInfoBytes = 256 * 1024;

struct FooterLocation {
  uint64_t info_offset = 0;
  uint32_t info_length = 0;
  uint16_t format_version = 0;
};

// Appends the footer.
void EncodeFooter(const FooterLocation& location, std::string* dst);

// Parses the footer from the last kSstFooterBytes of an object of `object_size` bytes
// (`footer` may be longer: its last bytes are used). Data if the magic is wrong, the version
// unknown, or the record it points at does not end exactly where the footer begins.
Result<FooterLocation> DecodeFooter(std::string_view footer, uint64_t object_size);

// How many bytes from the end of the object hold the info record and the footer.
inline uint64_t SstTailBytesNeeded(const FooterLocation& location) {
  return uint64_t{location.info_length} + kSstFooterBytes;
}

}  // namespace slatedb
