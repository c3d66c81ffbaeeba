// SPDX-License-Identifier: Apache-2.0
//
// The stats section of a compacted SST: the SstStats FlatBuffer with row counts by kind,
// raw key and value bytes, and the counts of each data block (docs/format.md). Readers do
// not need it to read rows; it is written for tools and for the format's other readers.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "format/row.h"
#include "slatedb/result.h"

namespace slatedb {

struct BlockStats {
  uint16_t num_puts = 0;
  uint16_t num_deletes = 0;
  uint16_t num_merges = 0;
  friend bool operator==(const BlockStats&, const BlockStats&) = default;
};

struct SstStats {
  uint64_t num_puts = 0;
  uint64_t num_deletes = 0;
  uint64_t num_merges = 0;
  uint64_t key_bytes = 0;          // sum of key lengths over all rows
  uint64_t value_bytes = 0;        // sum of value lengths (tombstones: 0)
  std::vector<BlockStats> blocks;  // one per data block

  uint64_t rows() const { return num_puts + num_deletes + num_merges; }
  // Counts `row` into the totals and into the last entry of `blocks`.
  void Count(const RowView& row);
  friend bool operator==(const SstStats&, const SstStats&) = default;
};

std::string EncodeSstStats(const SstStats& stats);
// Data if `payload` is not a valid SstStats FlatBuffer.
Result<SstStats> DecodeSstStats(std::string_view payload);

}  // namespace slatedb
