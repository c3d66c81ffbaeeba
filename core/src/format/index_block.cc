// SPDX-License-Identifier: Apache-2.0
#include "format/index_block.h"

#include "fb/sst_generated.h"
#include "format/flatbuffer_util.h"

namespace slatedb {

std::string IndexSeparator(std::string_view prev, std::string_view next) {
  const size_t n = prev.size() < next.size() ? prev.size() : next.size();
  for (size_t j = 0; j < n; ++j) {
    if (prev[j] != next[j]) return std::string(next.substr(0, j + 1));
  }
  if (prev.size() >= next.size()) return std::string(next);  // equal keys
  return std::string(next.substr(0, prev.size() + 1));
}

void IndexBuilder::AddBlock(uint64_t offset, std::string_view first_key) {
  offsets_.push_back(offset);
  keys_.append(first_key.data(), first_key.size());
  key_ends_.push_back(static_cast<uint32_t>(keys_.size()));
}

std::string IndexBuilder::Finish() {
  flatbuffers::FlatBufferBuilder fbb(EstimatedSize());
  std::vector<flatbuffers::Offset<fb::BlockEntry>> entries;
  entries.reserve(offsets_.size());
  uint32_t begin = 0;
  for (size_t i = 0; i < offsets_.size(); ++i) {
    auto key = fbb.CreateVector(reinterpret_cast<const uint8_t*>(keys_.data()) + begin,
                                key_ends_[i] - begin);
    entries.push_back(fb::CreateBlockEntry(fbb, offsets_[i], key));
    begin = key_ends_[i];
  }
  fbb.Finish(fb::CreateSstIndex(fbb, fbb.CreateVector(entries)));
  offsets_.clear();
  key_ends_.clear();
  keys_.clear();
  return FinishedBytes(fbb);
}

Result<SstIndex> SstIndex::Parse(std::string_view payload, uint64_t data_end, bool sorted_keys) {
  std::vector<uint64_t> storage;
  const fb::SstIndex* root = VerifiedRoot<fb::SstIndex>(payload, &storage);
  if (root == nullptr) return Status::Data("index: not a valid SsTableIndex FlatBuffer");
  const auto* blocks = root->blocks();
  if (blocks == nullptr || blocks->size() == 0) return Status::Data("index: no data blocks");
  SstIndex index;
  index.data_end_ = data_end;
  index.offsets_.reserve(blocks->size());
  index.key_ends_.reserve(blocks->size());
  std::string_view previous_key;
  for (flatbuffers::uoffset_t i = 0; i < blocks->size(); ++i) {
    const fb::BlockEntry* entry = blocks->Get(i);
    const uint64_t offset = entry->offset();
    if (i == 0 ? offset != 0 : offset <= index.offsets_.back()) {
      return Status::Data("index: block offsets not increasing from 0");
    }
    if (i > 0 && offset - index.offsets_.back() < 4) {
      return Status::Data("index: block shorter than its checksum");
    }
    const std::string_view key = BytesOf(entry->first_key());
    if (sorted_keys && i > 0 && key < previous_key) {
      return Status::Data("index: block keys out of order");
    }
    if (index.keys_.size() + key.size() > UINT32_MAX) return Status::Data("index: keys too large");
    index.offsets_.push_back(offset);
    index.keys_.append(key.data(), key.size());
    index.key_ends_.push_back(static_cast<uint32_t>(index.keys_.size()));
    previous_key = key;
  }
  if (data_end < index.offsets_.back() || data_end - index.offsets_.back() < 4) {
    return Status::Data("index: last block does not end where the data ends");
  }
  return index;
}

size_t SstIndex::FindBlock(std::string_view key) const {
  // First block whose key is >= key; the one before it is the answer.
  size_t lo = 0, hi = offsets_.size();
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
