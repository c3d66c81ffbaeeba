// SPDX-License-Identifier: Apache-2.0
//
// Reading an SST, as pure functions over byte strings: the caller (the engine, with its
// object-store range GETs and caches) decides which bytes to fetch; these check and decode
// them. Every function returns Data, never crashes, on corrupt or truncated input.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

#include "format/block.h"
#include "format/bloom_filter.h"
#include "format/filter_set.h"
#include "format/index_block.h"
#include "format/sst_footer.h"
#include "format/sst_info.h"
#include "format/sst_stats.h"
#include "slatedb/result.h"

namespace slatedb {

// Decodes the SstInfo from the last `tail.size()` bytes of an object of `object_size` bytes
// (read kSstFooterBytes first, or any larger guess; the record is at most kMaxSstInfoBytes).
// The result's format_version is the footer's. Invalid if the tail is longer than the
// object or does not reach back to the record; Data if the object is not an SST of a
// supported version or its footer or record is corrupt or inconsistent with its size.
Result<SstInfo> DecodeSstInfoFromTail(std::string_view tail, uint64_t object_size);

// The same over a whole object in memory.
Result<SstInfo> DecodeSstInfoFromObject(std::string_view object);

// [offset, offset + length) of an object.
struct ByteRange {
  uint64_t offset = 0;
  uint64_t length = 0;
};

// The filter and index sections, adjacent in the object: one range GET fetches both.
ByteRange MetadataRange(const SstInfo& info);

// Slices `range` out of `bytes`, which hold the object from `bytes_offset` on. Data if the
// range is not wholly inside (a corrupt handle must never read out of bounds).
Result<std::string_view> SliceRange(std::string_view bytes, uint64_t bytes_offset, ByteRange range);

// Decodes the stored index section (checksum, codec, FlatBuffer) against the info.
Result<SstIndex> DecodeIndex(std::string_view stored_index, const SstInfo& info);

// Verifies, decompresses and parses one stored data block, with the block decoder of
// info.format_version.
Result<Block> DecodeDataBlock(std::string_view stored_block, const SstInfo& info);

// Verifies and parses the stored filter section: the SST's whole-key bloom filter, or
// nullopt if the section holds none this reader knows.
Result<std::optional<BloomFilter>> DecodeFilter(std::string_view stored_filter,
                                                const SstInfo& info);

// Verifies and parses the stored filter section: the filters in it that `policies` read
// (format/filter_set.h). No policies: no filters, and the section is not even checked.
Result<SstFilters> DecodeFilters(std::string_view stored_filter, const SstInfo& info,
                                 const std::vector<FilterPolicy>& policies);

// Verifies and parses the stored stats section.
Result<SstStats> DecodeStats(std::string_view stored_stats, const SstInfo& info);

}  // namespace slatedb
