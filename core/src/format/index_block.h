// SPDX-License-Identifier: Apache-2.0
//
// The index block: where each data block of an SST is stored and the first key in it, plus
// the SST's last key. Payload layout (before the stored-block envelope):
//   u32 num_blocks | (u64 offset | u32 stored_length | varint32 key_len | first_key) x n |
//   varint32 last_key_len | last_key
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "slatedb/result.h"

namespace slatedb {

// A stored block's position in the object (envelope included).
struct BlockHandle {
  uint64_t offset = 0;
  uint32_t length = 0;
  friend bool operator==(const BlockHandle&, const BlockHandle&) = default;
};

class IndexBuilder {
 public:
  // Blocks must be added in object order.
  void AddBlock(BlockHandle handle, std::string_view first_key);
  size_t num_blocks() const { return num_blocks_; }
  size_t EstimatedSize() const { return buffer_.size() + 4 + 5; }
  // The index payload; leaves the builder empty.
  std::string Finish(std::string_view last_key);

 private:
  std::string buffer_;
  uint32_t num_blocks_ = 0;
};

// A decoded index. Copyable and movable; keys are held inside it.
class SstIndex {
 public:
  // Parses an index payload (already out of its envelope). Data if it is malformed, empty, or
  // its blocks do not tile the object from offset 0 without gaps.
  static Result<SstIndex> Parse(std::string payload);

  size_t num_blocks() const { return entries_.size(); }
  // REQUIRES: i < num_blocks().
  BlockHandle block(size_t i) const { return {entries_[i].offset, entries_[i].length}; }
  std::string_view first_key(size_t i) const {
    return std::string_view(payload_).substr(entries_[i].key_pos, entries_[i].key_len);
  }
  std::string_view last_key() const {
    return std::string_view(payload_).substr(last_key_pos_, last_key_len_);
  }
  // Offset just past the last data block.
  uint64_t data_end() const;

  // The first block that may hold rows with `key`: the last block whose first key is < key,
  // else 0. Versions of one key may span blocks, so the caller continues into later blocks
  // until it sees a larger key. Meaningful for compacted SSTs only (WAL keys are unsorted).
  size_t FindBlock(std::string_view key) const;

 private:
  struct Entry {
    uint64_t offset;
    uint32_t length;
    uint32_t key_pos;  // into payload_, so moves (which may relocate SSO bytes) are safe
    uint32_t key_len;
  };
  SstIndex() = default;

  std::string payload_;
  std::vector<Entry> entries_;
  uint32_t last_key_pos_ = 0;
  uint32_t last_key_len_ = 0;
};

}  // namespace slatedb
