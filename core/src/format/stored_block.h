// SPDX-License-Identifier: Apache-2.0
//
// How every section of an SST (each data block, the filter, the index, the stats) is
// stored: the raw bytes compressed with the SST's codec, then a u32 BE CRC32 of those
// stored (compressed) bytes:
//   payload = compress(raw) | u32 BE crc32(payload)
// The checksum is verified before anything is decompressed, so a decompressor only ever
// sees bytes a writer produced (or a CRC collision).
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "format/compression.h"
#include "slatedb/result.h"

namespace slatedb {

inline constexpr size_t kSectionChecksumBytes = 4;

// Appends sections of one SST. Holds the codec's context: keep one per SST being built.
class SectionEncoder {
 public:
  explicit SectionEncoder(CompressionCodec codec) : compressor_(codec) {}

  // Appends the stored form of `raw` to `dst`. Internal if the codec library fails.
  Status Append(std::string_view raw, std::string* dst);

 private:
  BlockCompressor compressor_;
};

// Verifies the checksum and decompresses. `what` names the section in errors ("index
// block"). Data on a checksum mismatch or a malformed or oversized payload.
Result<std::string> DecodeStoredSection(std::string_view stored, CompressionCodec codec,
                                        std::string_view what);

}  // namespace slatedb
