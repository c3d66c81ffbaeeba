// SPDX-License-Identifier: Apache-2.0
//
// BlockBuilder: accumulates rows into one data block. Keys are prefix-compressed against the
// previous row; every kBlockRestartInterval-th row is a restart point that stores its full key,
// so a reader can binary-search the restarts. Layout (docs/format-sst.md):
//   rows... | u32 restart_offset x R | u32 R      (all little-endian)
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "format/row.h"

namespace slatedb {

// Small on purpose: a point read decodes at most this many rows after its binary search of
// the restarts, and prefix compression gains little on the keys it would share.
inline constexpr uint32_t kBlockRestartInterval = 4;

class BlockBuilder {
 public:
  BlockBuilder() = default;
  BlockBuilder(const BlockBuilder&) = delete;
  BlockBuilder& operator=(const BlockBuilder&) = delete;

  // Appends a row. Rows are stored in the order added; a reader's Seek assumes internal
  // order, which the caller provides for compacted SSTs. REQUIRES: key and value sizes fit in
  // 32 bits and the block stays below 4 GiB.
  void Add(const RowView& row);

  // The size Finish() would return now.
  size_t EstimatedSize() const;
  // The size Finish() would return after Add(row); lets the caller close a block before a
  // row that would overflow it.
  size_t EstimatedSizeWith(const RowView& row) const;

  bool empty() const { return num_rows_ == 0; }
  size_t num_rows() const { return num_rows_; }

  // Returns the block's bytes (rows then the restart trailer) and leaves the builder empty,
  // as after Reset().
  std::string Finish();

  // Drops everything added since the last Finish()/Reset().
  void Reset();

 private:
  std::string buffer_;              // encoded rows
  std::vector<uint32_t> restarts_;  // offsets of the restart rows in buffer_
  std::string last_key_;
  size_t num_rows_ = 0;
};

}  // namespace slatedb
