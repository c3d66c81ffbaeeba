// SPDX-License-Identifier: Apache-2.0
//
// SstBuilder: turns a stream of rows into one SST object (compacted SSTs and WAL objects share
// the format). Layout: data blocks | [filter block] | index block | SstInfo record | footer;
// every block in the stored-block envelope (stored_block.h). docs/format-sst.md has details.
#pragma once

#include <cstdint>
#include <string>

#include "format/block_builder.h"
#include "format/bloom_filter.h"
#include "format/index_block.h"
#include "format/row.h"
#include "format/sst_info.h"
#include "format/stored_block.h"
#include "slatedb/options.h"
#include "slatedb/result.h"

namespace slatedb {

struct SstBuilderOptions {
  // A data block is closed when the next row would take it past this size (before
  // compression). A row larger than this gets a block of its own.
  uint32_t block_size_bytes = 4096;
  // Bloom filter bits per distinct key; 0 builds no filter.
  uint32_t bloom_bits_per_key = 10;
  // SSTs with fewer rows get no filter (a filter would cost more than it saves).
  uint32_t min_filter_keys = 1000;
  CompressionCodec compression = CompressionCodec::kZstd;
  int zstd_level = 3;
  // kWal: rows in any order, never a filter.
  SstType type = SstType::kCompacted;
};

struct EncodedSst {
  std::string data;  // the whole object
  SstInfo info;      // as stored in it
};

class SstBuilder {
 public:
  explicit SstBuilder(const SstBuilderOptions& options);
  SstBuilder(const SstBuilder&) = delete;
  SstBuilder& operator=(const SstBuilder&) = delete;

  // Appends a row. REQUIRES for kCompacted: strictly increasing internal order (key asc, seq
  // desc). A violated requirement, an oversized key or value, or an Add after Finish is
  // recorded and reported by status() and Finish(); the row is dropped.
  void Add(const RowView& row);

  // Approximate size of the object Finish() would produce now (before compression of the
  // open block). Used to cut SSTs and WAL objects at a target size.
  uint64_t EstimatedSize() const;
  uint64_t num_rows() const { return num_rows_; }
  // First error recorded by Add(), or OK.
  const Status& status() const { return status_; }

  // Completes the object. Invalid if no rows were added or after a previous Finish; the error
  // recorded by Add() if any. The builder cannot be reused.
  Result<EncodedSst> Finish();

 private:
  void FlushBlock();

  SstBuilderOptions options_;
  BlockBuilder block_;
  IndexBuilder index_;
  BloomFilterBuilder filter_;
  BlockEncoder encoder_;
  std::string data_;             // stored blocks so far
  std::string block_first_key_;  // first key of the open block
  std::string last_key_;         // previous row's key
  uint64_t last_seq_ = 0;
  std::string min_key_, max_key_;
  uint64_t num_rows_ = 0;
  uint64_t min_seq_ = 0, max_seq_ = 0;
  int64_t min_create_ts_ = 0, max_create_ts_ = 0;
  bool has_create_ts_ = false;
  bool finished_ = false;
  Status status_;
};

}  // namespace slatedb
