// SPDX-License-Identifier: Apache-2.0
//
// Index block build and parse.
#include "format/index_block.h"

#include "format/stored_block.h"
#include "util/coding.h"

namespace slatedb {

void IndexBuilder::AddBlock(BlockHandle handle, std::string_view first_key) {
  PutFixed64(&buffer_, handle.offset);
  PutFixed32(&buffer_, handle.length);
  PutLengthPrefixed(&buffer_, first_key);
  ++num_blocks_;
}

std::string IndexBuilder::Finish(std::string_view last_key) {
  std::string out;
  out.reserve(buffer_.size() + 4 + VarintLength(last_key.size()) + last_key.size());
  PutFixed32(&out, num_blocks_);
  out += buffer_;
  PutLengthPrefixed(&out, last_key);
  buffer_.clear();
  num_blocks_ = 0;
  return out;
}

Result<SstIndex> SstIndex::Parse(std::string payload) {
  SstIndex index;
  index.payload_ = std::move(payload);
  const std::string_view all(index.payload_);
  std::string_view in = all;
  auto pos = [&](std::string_view part) { return static_cast<uint32_t>(part.data() - all.data()); };

  uint32_t count = 0;
  if (!GetFixed32(&in, &count)) return Status::Data("index block: truncated block count");
  if (count == 0) return Status::Data("index block: no data blocks");
  // Each entry takes at least 13 bytes; this bounds the reservation by the input size.
  if (count > in.size() / 13) return Status::Data("index block: block count exceeds its size");
  index.entries_.reserve(count);
  uint64_t expected_offset = 0;
  for (uint32_t i = 0; i < count; ++i) {
    Entry e{};
    std::string_view key;
    if (!GetFixed64(&in, &e.offset) || !GetFixed32(&in, &e.length) ||
        !GetLengthPrefixed(&in, &key)) {
      return Status::Data("index block: entry truncated");
    }
    if (e.offset != expected_offset) return Status::Data("index block: blocks not contiguous");
    if (e.length < kStoredBlockTrailerBytes) return Status::Data("index block: block too short");
    expected_offset = e.offset + e.length;
    e.key_pos = pos(key);
    e.key_len = static_cast<uint32_t>(key.size());
    index.entries_.push_back(e);
  }
  std::string_view last_key;
  if (!GetLengthPrefixed(&in, &last_key)) return Status::Data("index block: last key truncated");
  if (!in.empty()) return Status::Data("index block: trailing bytes");
  index.last_key_pos_ = pos(last_key);
  index.last_key_len_ = static_cast<uint32_t>(last_key.size());
  return index;
}

uint64_t SstIndex::data_end() const {
  const Entry& last = entries_.back();
  return last.offset + last.length;
}

size_t SstIndex::FindBlock(std::string_view key) const {
  // First block whose first key is >= key; the one before it is the answer.
  size_t lo = 0, hi = entries_.size();
  while (lo < hi) {
    const size_t mid = lo + (hi - lo) / 2;
    if (first_key(mid).compare(key) < 0) {
      lo = mid + 1;
    } else {
      hi = mid;
    }
  }
  return lo == 0 ? 0 : lo - 1;
}

}  // namespace slatedb
