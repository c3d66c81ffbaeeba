// SPDX-License-Identifier: Apache-2.0
//
// BlockBuilder: accumulates rows into one data block of the SST format's block version 2
// (docs/format.md). Keys are prefix-compressed against the previous row (row codec v2);
// every kBlockRestartInterval-th row is a restart point that stores its full key, so a
// reader can binary-search the restarts. Layout, integers big-endian:
//   rows... | u16 restart_offset x R | u16 R
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "format/row.h"

namespace slatedb {

// Fixed by the format (readers do not depend on it, but writers agree on it).
inline constexpr uint32_t kBlockRestartInterval = 16;

class BlockBuilder {
 public:
  // `block_size` is the limit WouldFit enforces.
  explicit BlockBuilder(size_t block_size) : block_size_(block_size) {}
  BlockBuilder(const BlockBuilder&) = delete;
  BlockBuilder& operator=(const BlockBuilder&) = delete;

  // The format's block-full rule: an empty block accepts any row (even one larger than the
  // block size); otherwise the row fits if the block's size with it, counting a new restart
  // offset when the row starts a restart run, stays within the block size.
  bool WouldFit(const RowView& row) const;

  // Appends a row. Rows are stored in the order added; a reader's Seek assumes internal
  // order, which the caller provides for compacted SSTs. REQUIRES: WouldFit(row), so
  // restart offsets fit in 16 bits; key and value sizes fit in 32 bits.
  void Add(const RowView& row);

  // The size Finish() would return now.
  size_t CurrentSize() const { return buffer_.size() + 2 * restarts_.size() + 2; }
  bool empty() const { return num_rows_ == 0; }
  size_t num_rows() const { return num_rows_; }
  const std::string& last_key() const { return last_key_; }

  // Returns the block's bytes (rows then the restart trailer) and leaves the builder empty.
  std::string Finish();

 private:
  bool AtRestart() const { return num_rows_ % kBlockRestartInterval == 0; }

  size_t block_size_;
  std::string buffer_;              // encoded rows
  std::vector<uint16_t> restarts_;  // offsets of the restart rows in buffer_
  std::string last_key_;
  size_t num_rows_ = 0;
};

}  // namespace slatedb
