// SPDX-License-Identifier: Apache-2.0
//
// SstInfo: what a reader needs to know about an SST before touching its blocks (key range,
// seq range, where the index and filter are). Stored near the tail of every SST in a binary
// record with its own checksum, and embedded as JSON in the manifest so a reader can fetch
// index + filter in one range GET without reading the footer first.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include <nlohmann/json_fwd.hpp>

#include "slatedb/options.h"
#include "slatedb/result.h"

namespace slatedb {

// The SST format version this code writes, and the only one it reads.
inline constexpr uint16_t kSstFormatVersion = 1;

enum class SstType : uint8_t {
  kCompacted = 0,  // rows in internal order; L0 and sorted-run SSTs
  kWal = 1,        // rows in seq order (keys unsorted); WAL objects
};

struct SstInfo {
  uint64_t object_size = 0;  // bytes of the whole object
  uint16_t format_version = kSstFormatVersion;
  SstType type = SstType::kCompacted;
  CompressionCodec compression = CompressionCodec::kNone;  // codec the writer was set to
  std::string first_key;  // smallest key in the SST (for WAL SSTs too: keys are unsorted)
  std::string last_key;   // largest key in the SST
  uint64_t num_rows = 0;
  uint32_t num_blocks = 0;  // data blocks
  uint64_t min_seq = 0;
  uint64_t max_seq = 0;
  std::optional<int64_t> min_create_ts;  // over rows that carry one; both set or neither
  std::optional<int64_t> max_create_ts;
  uint64_t index_offset = 0;  // stored index block
  uint32_t index_length = 0;
  uint64_t filter_offset = 0;  // stored filter block; both 0 when the SST has no filter
  uint32_t filter_length = 0;

  bool has_filter() const { return filter_length != 0; }
  // Where the data blocks end: the filter, or else the index, follows them.
  uint64_t data_end() const { return has_filter() ? filter_offset : index_offset; }
  // Offset of the SstInfo record (it follows the index).
  uint64_t info_offset() const { return index_offset + index_length; }

  friend bool operator==(const SstInfo&, const SstInfo&) = default;
};

// Checks the fields against each other and the format: supported version, known enums,
// index and filter inside the object, ordered ranges. Data naming the first fault.
Status ValidateSstInfo(const SstInfo& info);

// The binary SstInfo record (fields, then a u64 XXH3 checksum of them).
std::string EncodeSstInfo(const SstInfo& info);
// Decodes and validates exactly one record. Data on any fault.
Result<SstInfo> DecodeSstInfo(std::string_view record);

// JSON form for the manifest (sst_info_json.cc). Keys are base64 strings; create_ts fields
// are omitted when absent. FromJson validates as DecodeSstInfo does and reports Data on a
// missing or ill-typed field.
nlohmann::json SstInfoToJson(const SstInfo& info);
Result<SstInfo> SstInfoFromJson(const nlohmann::json& json);

}  // namespace slatedb
