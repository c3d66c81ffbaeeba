// SPDX-License-Identifier: Apache-2.0
//
// SstInfo: what a reader needs to know about an SST before touching its blocks: its first
// and last entries, where the filter, index and stats sections are, the codec, the SST's
// kind and filter layout. Stored at the tail of every SST as the SsTableInfo FlatBuffer
// followed by a u32 BE CRC32 of it, and copied into manifests so readers can fetch index and
// filter without reading the tail first (docs/format.md).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "slatedb/options.h"
#include "slatedb/result.h"

namespace slatedb {

// The SST format version (= block format) this code writes; it reads 1 and 2.
inline constexpr uint16_t kSstFormatVersion = 2;

enum class SstType : uint8_t {
  kCompacted = 0,  // rows in internal order; L0 and sorted-run SSTs
  kWal = 1,        // rows in seq order (keys unsorted); WAL objects
};

// How the filter section is laid out: one bloom filter (read only), or named filters.
enum class FilterFormat : uint8_t { kLegacy = 0, kComposite = 1 };

struct SstInfo {
  // Compacted SSTs: the first and last keys. WAL SSTs: the first row's seq as 8 BE bytes,
  // and no last entry (empty).
  std::string first_entry;
  std::string last_entry;
  uint64_t index_offset = 0;
  uint64_t index_len = 0;      // includes the section's 4-byte checksum
  uint64_t filter_offset = 0;  // the end of the data blocks, even without a filter
  uint64_t filter_len = 0;     // 0: no filter
  uint64_t stats_offset = 0;
  uint64_t stats_len = 0;  // 0: no stats (WAL SSTs)
  CompressionCodec compression = CompressionCodec::kNone;
  SstType type = SstType::kCompacted;
  FilterFormat filter_format = FilterFormat::kComposite;
  // The block format (1 or 2). Not part of the info record: WAL SSTs take it from their
  // footer, compacted SSTs from the manifest entry that lists them.
  uint16_t format_version = kSstFormatVersion;

  bool has_filter() const { return filter_len != 0; }
  // Where the data blocks end: the filter, or else the index, follows them.
  uint64_t data_end() const { return has_filter() ? filter_offset : index_offset; }
  // Where the last section (index or stats) ends, i.e. where the info record starts in
  // SSTs laid out as the format writes them.
  uint64_t sections_end() const;
  // The object's size, approximately (the info record and footer add a few hundred bytes):
  // what compaction and GC size their decisions by.
  uint64_t approx_object_size() const { return sections_end() + 128; }

  friend bool operator==(const SstInfo&, const SstInfo&) = default;
};

// Checks the fields against each other: known enums, sections in layout order (data,
// filter, index, stats) without overflow, an index holding at least its checksum, a
// compacted SST's first entry not after its last. Data naming the first fault.
Status ValidateSstInfo(const SstInfo& info);

// The info record: the SsTableInfo FlatBuffer, then its u32 BE CRC32.
std::string EncodeSstInfoRecord(const SstInfo& info);
// Decodes and validates one record (checksum, FlatBuffer verification, fields). The
// result's format_version is left at its default for the caller to set. Data on any fault.
Result<SstInfo> DecodeSstInfoRecord(std::string_view record);

}  // namespace slatedb
