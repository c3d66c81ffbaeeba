// SPDX-License-Identifier: Apache-2.0
//
// Block parsing and iteration. Every read is bounds-checked against the row region; v2
// restart rows are decoded with an empty previous key, so one that claims a shared prefix is
// caught as corruption.
#include "format/block.h"

#include "format/row_codec.h"
#include "util/coding.h"

namespace slatedb {

Result<Block> Block::Parse(std::string bytes, uint16_t format_version) {
  if (format_version != kBlockFormatV1 && format_version != kBlockFormatV2) {
    return Status::Data("unsupported block format version " + std::to_string(format_version));
  }
  if (bytes.size() < 2) return Status::Data("data block shorter than its offset count");
  const uint32_t count = DecodeBigEndian16(bytes.data() + bytes.size() - 2);
  const uint64_t trailer = 2 + 2 * static_cast<uint64_t>(count);
  if (trailer > bytes.size()) return Status::Data("data block offsets run past its start");
  const size_t rows_size = bytes.size() - static_cast<size_t>(trailer);
  if (count == 0 && rows_size != 0) return Status::Data("data block has rows but no offsets");
  if (count > 0 && rows_size == 0) return Status::Data("data block has offsets but no rows");
  const char* offsets = bytes.data() + rows_size;
  uint32_t previous = 0;
  for (uint32_t i = 0; i < count; ++i) {
    const uint32_t offset = DecodeBigEndian16(offsets + 2 * static_cast<size_t>(i));
    if (i == 0 ? offset != 0 : offset <= previous) {
      return Status::Data("data block offsets not increasing from 0");
    }
    if (offset >= rows_size) return Status::Data("data block offset past the rows");
    previous = offset;
  }
  return Block(std::move(bytes), rows_size, count, format_version);
}

Block::Iterator::Iterator(const Block* block)
    : rows_(block->data_.data(), block->rows_size_),
      offsets_(block->data_.data() + block->rows_size_),
      num_offsets_(block->num_offsets_),
      v1_(block->version_ == kBlockFormatV1) {}

size_t Block::Iterator::Offset(uint32_t index) const {
  return DecodeBigEndian16(offsets_ + 2 * static_cast<size_t>(index));
}

void Block::Iterator::Corrupt(Status status) {
  valid_ = false;
  status_ = std::move(status);
  next_offset_ = rows_.size();
  next_row_ = num_offsets_;
}

bool Block::Iterator::LoadFirstKey() {
  if (first_key_loaded_) return true;
  std::string_view in = rows_;
  RowView row;
  Status s = DecodeRowV0(&in, std::string_view(), &first_key_, &row);
  if (!s.ok()) {
    Corrupt(s.WithContext("data block"));
    return false;
  }
  first_key_loaded_ = true;
  return true;
}

void Block::Iterator::ParseNextRow() {
  if (!status_.ok()) {
    valid_ = false;
    return;
  }
  if (v1_) {
    if (next_row_ >= num_offsets_) {
      valid_ = false;
      return;
    }
    if (next_row_ > 0 && !LoadFirstKey()) return;
    std::string_view in = rows_.substr(Offset(next_row_));
    Status s = DecodeRowV0(&in, next_row_ == 0 ? std::string_view() : std::string_view(first_key_),
                           &key_, &row_);
    if (!s.ok()) return Corrupt(s.WithContext("data block"));
    ++next_row_;
    valid_ = true;
    return;
  }
  if (next_offset_ >= rows_.size()) {
    valid_ = false;
    return;
  }
  std::string_view in = rows_.substr(next_offset_);
  Status s = DecodeRow(&in, &key_, &row_);
  if (!s.ok()) return Corrupt(s.WithContext("data block"));
  next_offset_ = rows_.size() - in.size();
  valid_ = true;
}

void Block::Iterator::SeekToRestart(uint32_t index) {
  if (v1_) {
    next_row_ = index;
  } else {
    key_.clear();
    next_offset_ = Offset(index);
  }
  ParseNextRow();
}

void Block::Iterator::SeekToFirst() {
  status_ = Status::Ok();
  if (num_offsets_ == 0) {
    valid_ = false;
    return;
  }
  SeekToRestart(0);
}

void Block::Iterator::Next() {
  if (!valid_) return;
  ParseNextRow();
}

bool Block::Iterator::KeyAt(uint32_t index, std::string* scratch, std::string_view* key) {
  if (v1_) {
    if (index > 0 && !LoadFirstKey()) return false;
    std::string_view in = rows_.substr(Offset(index));
    uint16_t prefix = 0, suffix = 0;
    if (!GetBigEndian16(&in, &prefix) || !GetBigEndian16(&in, &suffix) ||
        prefix > (index == 0 ? 0 : first_key_.size()) || suffix > in.size()) {
      Corrupt(Status::Data("data block: row key header malformed"));
      return false;
    }
    scratch->assign(first_key_.data(), prefix);
    scratch->append(in.data(), suffix);
    *key = *scratch;
    return true;
  }
  std::string_view in = rows_.substr(Offset(index));
  uint32_t shared = 0, unshared = 0, value_len = 0;
  if (!GetVarint32(&in, &shared) || !GetVarint32(&in, &unshared) || !GetVarint32(&in, &value_len)) {
    Corrupt(Status::Data("data block: restart row header truncated or malformed"));
    return false;
  }
  if (shared != 0) {
    Corrupt(Status::Data("data block: restart row shares a key prefix"));
    return false;
  }
  if (unshared > in.size()) {
    Corrupt(Status::Data("data block: restart row key runs past the end of the block"));
    return false;
  }
  *key = in.substr(0, unshared);
  return true;
}

void Block::Iterator::Seek(std::string_view target) {
  status_ = Status::Ok();
  if (num_offsets_ == 0) {
    valid_ = false;
    return;
  }
  std::string scratch;
  if (v1_) {
    // Every row is addressable: the first row whose key is >= target.
    uint32_t lo = 0, hi = num_offsets_;
    while (lo < hi) {
      const uint32_t mid = lo + (hi - lo) / 2;
      std::string_view key;
      if (!KeyAt(mid, &scratch, &key)) return;
      if (key.compare(target) < 0) {
        lo = mid + 1;
      } else {
        hi = mid;
      }
    }
    next_row_ = lo;
    ParseNextRow();
    return;
  }
  // Find the last restart whose key is < target: every row >= target lies at or after it,
  // including older versions of target that precede a restart keyed exactly target.
  uint32_t left = 0, right = num_offsets_ - 1;
  while (left < right) {
    const uint32_t mid = left + (right - left + 1) / 2;
    std::string_view key;
    if (!KeyAt(mid, &scratch, &key)) return;
    if (key.compare(target) < 0) {
      left = mid;
    } else {
      right = mid - 1;
    }
  }
  SeekToRestart(left);
  while (valid_ && std::string_view(key_).compare(target) < 0) ParseNextRow();
}

}  // namespace slatedb
