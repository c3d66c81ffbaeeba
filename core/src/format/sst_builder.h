// SPDX-License-Identifier: Apache-2.0
//
// SstBuilder: turns a stream of rows into one SST object of format version 2 (compacted
// SSTs and WAL objects share the format; docs/format.md):
//   data blocks | [filter] | index | [stats] | info record | footer
// Each block and section is stored compressed with the SST's codec and followed by its
// CRC32 (stored_block.h).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "format/block_builder.h"
#include "format/bloom_filter.h"
#include "format/filter_set.h"
#include "format/index_block.h"
#include "format/row.h"
#include "format/sst_info.h"
#include "format/sst_stats.h"
#include "format/stored_block.h"
#include "slatedb/options.h"
#include "slatedb/result.h"

namespace slatedb {

// WAL SSTs use blocks of this size whatever the settings say (the format's writers agree
// on it; readers do not depend on it).
inline constexpr uint32_t kWalBlockSizeBytes = 65535;

struct SstBuilderOptions {
  // A data block is closed when the next row would take it past this size (before
  // compression); a row larger than this gets a block of its own. Compacted SSTs only.
  uint32_t block_size_bytes = 4096;
  // One filter per policy, in this order, in the composite filter section (compacted SSTs
  // only); empty builds no filter section. Default: one whole-key bloom filter, 10 bits.
  std::vector<FilterPolicy> filter_policies = FilterPoliciesFromBits(10);
  // SSTs with fewer rows get no filter (a filter would cost more than it saves).
  uint32_t min_filter_keys = 1000;
  CompressionCodec compression = CompressionCodec::kNone;
  // kWal: rows in seq order, keyed by seq in the index, no filter and no stats.
  SstType type = SstType::kCompacted;
};

struct EncodedSst {
  std::string data;  // the whole object
  SstInfo info;      // as stored in it (format_version 2)
};

class SstBuilder {
 public:
  explicit SstBuilder(const SstBuilderOptions& options);
  SstBuilder(const SstBuilder&) = delete;
  SstBuilder& operator=(const SstBuilder&) = delete;

  // Appends a row. REQUIRES for kCompacted: strictly increasing internal order (key asc, seq
  // desc). A violated requirement, an empty or oversized key, an oversized value, or an Add
  // after Finish is recorded and reported by status() and Finish(); the row is dropped.
  void Add(const RowView& row);

  // Approximate size of the object Finish() would produce now (before compression of the
  // open block). Used to cut SSTs and WAL objects at a target size.
  uint64_t EstimatedSize() const;
  uint64_t num_rows() const { return stats_.rows(); }
  // First error recorded by Add(), or OK.
  const Status& status() const { return status_; }

  // Completes the object. Invalid if no rows were added or after a previous Finish; the error
  // recorded by Add() if any. The builder cannot be reused.
  Result<EncodedSst> Finish();

 private:
  void FlushBlock();
  void Fail(Status s) {
    if (status_.ok()) status_ = std::move(s);
  }

  SstBuilderOptions options_;
  BlockBuilder block_;
  IndexBuilder index_;
  std::vector<PolicyFilterBuilder> filters_;  // one per policy (compacted SSTs)
  SectionEncoder encoder_;
  SstStats stats_;
  std::string data_;             // stored blocks so far
  std::string block_index_key_;  // index key of the open block
  std::string prev_block_last_key_;
  std::string first_entry_;
  std::string last_key_;  // previous row's key
  uint64_t last_seq_ = 0;
  bool finished_ = false;
  Status status_;
};

}  // namespace slatedb
