// SPDX-License-Identifier: Apache-2.0
//
// Reading an SST, as pure functions over byte strings: the caller (the engine, with its
// object-store range GETs and caches) decides which bytes to fetch; these check and decode
// them. Every function returns Data, never crashes, on corrupt or truncated input.
#pragma once

#include <cstdint>
#include <string_view>

#include "format/block.h"
#include "format/bloom_filter.h"
#include "format/index_block.h"
#include "format/sst_footer.h"
#include "format/sst_info.h"
#include "slatedb/result.h"

namespace slatedb {

// Decodes the SstInfo from the last `tail.size()` bytes of an object of `object_size` bytes.
// Read kSstFooterBytes first (or any larger guess), then SstTailBytesNeeded(DecodeFooter(..)).
// Invalid if the tail is longer than the object or too short to hold the info record; Data if
// the footer or record is corrupt or disagrees with object_size.
Result<SstInfo> DecodeSstInfoFromTail(std::string_view tail, uint64_t object_size);

// The same over a whole object in memory.
Result<SstInfo> DecodeSstInfoFromObject(std::string_view object);

// [offset, offset + length) of an object.
struct ByteRange {
  uint64_t offset = 0;
  uint64_t length = 0;
};

// The filter and index blocks, adjacent in the object: one range GET fetches both.
ByteRange MetadataRange(const SstInfo& info);

// Slices `range` out of `bytes`, which hold the object from `bytes_offset` on. Data if the
// range is not wholly inside (a corrupt handle must never read out of bounds).
Result<std::string_view> SliceRange(std::string_view bytes, uint64_t bytes_offset,
                                    ByteRange range);

// Decodes a stored index block (checksum-verified). The second form also checks it against
// the info: block count, where the data ends, last key (and first key, for compacted SSTs).
Result<SstIndex> DecodeIndex(std::string_view stored_index_bytes);
Result<SstIndex> DecodeIndex(std::string_view stored_index_bytes, const SstInfo& info);

// Verifies, decompresses (zstd output capped at kMaxDecodedBlockBytes) and parses one stored
// data block.
Result<Block> DecodeDataBlock(std::string_view stored_block_bytes);

// Verifies and parses a stored filter block.
Result<BloomFilter> DecodeFilter(std::string_view stored_filter_bytes);

}  // namespace slatedb
