// SPDX-License-Identifier: Apache-2.0
//
// The index section of an SST: the SsTableIndex FlatBuffer, one entry per data block with
// the block's offset and a key that bounds it from below (docs/format.md):
//   compacted SSTs: block 0 has the empty key; block i > 0 the shortest separator S with
//                   P < S <= F, P the last key of block i-1 and F the first key of block i
//                   (S = F when P = F, i.e. when a key's versions span the two blocks);
//   WAL SSTs:       the first row's seq as 8 big-endian bytes.
// A block runs from its offset to the next block's, the last one to the end of the data.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "slatedb/result.h"

namespace slatedb {

// A stored block's position in the object (payload and checksum).
struct BlockHandle {
  uint64_t offset = 0;
  uint64_t length = 0;
  friend bool operator==(const BlockHandle&, const BlockHandle&) = default;
};

// The format's separator between the last key of one block (`prev`) and the first key of
// the next (`next`). REQUIRES: prev <= next.
std::string IndexSeparator(std::string_view prev, std::string_view next);

class IndexBuilder {
 public:
  // Blocks must be added in object order.
  void AddBlock(uint64_t offset, std::string_view first_key);
  size_t num_blocks() const { return offsets_.size(); }
  // Bytes the encoded index takes, about.
  size_t EstimatedSize() const { return keys_.size() + 24 * offsets_.size() + 16; }
  // The SsTableIndex FlatBuffer; leaves the builder empty.
  std::string Finish();

 private:
  std::vector<uint64_t> offsets_;
  std::vector<uint32_t> key_ends_;  // keys_ holds the keys back to back
  std::string keys_;
};

// A decoded index. Copyable and movable; keys are held inside it.
class SstIndex {
 public:
  // Parses an index payload (out of its stored envelope) of an SST whose data blocks end at
  // `data_end`. Data if it is not a valid SsTableIndex, has no blocks, its offsets do not
  // start at 0 and increase, a block is too short to hold its checksum, or (when
  // `sorted_keys`, for compacted SSTs) its keys decrease.
  static Result<SstIndex> Parse(std::string_view payload, uint64_t data_end, bool sorted_keys);

  size_t num_blocks() const { return offsets_.size(); }
  // REQUIRES: i < num_blocks().
  BlockHandle block(size_t i) const {
    const uint64_t end = i + 1 < offsets_.size() ? offsets_[i + 1] : data_end_;
    return {offsets_[i], end - offsets_[i]};
  }
  std::string_view first_key(size_t i) const {
    const uint32_t begin = i == 0 ? 0 : key_ends_[i - 1];
    return std::string_view(keys_).substr(begin, key_ends_[i] - begin);
  }
  uint64_t data_end() const { return data_end_; }

  // The first block that may hold rows with `key`: the last block whose index key is
  // < key, else 0. Versions of one key may span blocks, so the caller continues into later
  // blocks while their index key equals the key. Compacted SSTs only.
  size_t FindBlock(std::string_view key) const;

 private:
  SstIndex() = default;

  std::vector<uint64_t> offsets_;
  std::vector<uint32_t> key_ends_;
  std::string keys_;
  uint64_t data_end_ = 0;
};

}  // namespace slatedb
