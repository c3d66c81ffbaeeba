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
  backward_ = false;
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
  if (backward_) [[unlikely]] {
    if (interval_pos_ + 1 < interval_.size()) return ServeInterval(interval_pos_ + 1);
    // Past the interval: forward decoding goes on from its end, the last row as the
    // previous key (key_ holds it already).
    backward_ = false;
    next_offset_ = interval_end_;
  }
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
  uint32_t restart = 0;
  if (!LastRestartBelow(target, 0, &scratch, &restart)) return;
  SeekToRestart(restart);
  while (valid_ && std::string_view(key_).compare(target) < 0) ParseNextRow();
}

bool Block::Iterator::LastRestartBelow(std::string_view target, uint32_t first,
                                       std::string* scratch, uint32_t* out) {
  uint32_t left = first, right = num_offsets_ - 1;
  while (left < right) {
    const uint32_t mid = left + (right - left + 1) / 2;
    std::string_view key;
    if (!KeyAt(mid, scratch, &key)) return false;
    if (key.compare(target) < 0) {
      left = mid;
    } else {
      right = mid - 1;
    }
  }
  *out = left;
  return true;
}

void Block::Iterator::SeekForward(std::string_view target) {
  // v1 rows are each addressable, so Seek is as cheap; a backward or finished iterator has
  // no forward position to continue from.
  if (v1_ || backward_ || !valid_) return Seek(target);
  if (std::string_view(key_).compare(target) >= 0) return;
  // Dense reads (the next key wanted is the next row) stop after one row.
  ParseNextRow();
  if (!valid_ || std::string_view(key_).compare(target) >= 0) return;
  // The first restart after the current row (at or past next_offset_, where the next row
  // starts): offsets only, no key decoding.
  uint32_t lo = 0, hi = num_offsets_;
  while (lo < hi) {
    const uint32_t mid = lo + (hi - lo) / 2;
    if (Offset(mid) < next_offset_) {
      lo = mid + 1;
    } else {
      hi = mid;
    }
  }
  std::string scratch;
  std::string_view key;
  if (lo < num_offsets_) {
    if (!KeyAt(lo, &scratch, &key)) return;
    if (key.compare(target) < 0) {
      // The target lies beyond that restart: the last restart whose key is < target, as in
      // Seek, searched among the later ones only.
      uint32_t restart = lo;
      if (!LastRestartBelow(target, lo, &scratch, &restart)) return;
      SeekToRestart(restart);
    }
  }
  // Within one restart interval (at most 16 rows) of the first row >= target.
  while (valid_ && std::string_view(key_).compare(target) < 0) ParseNextRow();
}

}  // namespace slatedb

namespace slatedb {

bool Block::Iterator::DecodeInterval(uint32_t index) {
  // v2 only: a v1 block addresses every row, so it never decodes intervals.
  const size_t limit = index + 1 < num_offsets_ ? Offset(index + 1) : rows_.size();
  interval_.clear();
  interval_keys_.clear();
  SeekToRestart(index);
  while (valid_) {
    interval_.push_back(IntervalRow{interval_keys_.size(), key_.size(), row_});
    interval_keys_.append(key_);
    if (next_offset_ >= limit) break;
    ParseNextRow();
  }
  if (!status_.ok()) return false;
  interval_restart_ = index;
  interval_end_ = next_offset_;
  backward_ = true;
  return !interval_.empty();
}

void Block::Iterator::ServeInterval(size_t pos) {
  interval_pos_ = pos;
  const IntervalRow& r = interval_[pos];
  key_.assign(interval_keys_, r.key_begin, r.key_len);
  row_ = r.row;
  valid_ = true;
}

void Block::Iterator::SeekToLast() {
  status_ = Status::Ok();
  if (num_offsets_ == 0) {
    valid_ = false;
    return;
  }
  if (v1_) return SeekToRestart(num_offsets_ - 1);
  if (!DecodeInterval(num_offsets_ - 1)) {
    valid_ = false;
    return;
  }
  ServeInterval(interval_.size() - 1);
}

void Block::Iterator::SeekBefore(std::string_view target) {
  status_ = Status::Ok();
  valid_ = false;
  if (num_offsets_ == 0) return;
  std::string scratch;
  if (v1_) {
    // Every row is addressable: the row before the first one whose key is >= target.
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
    if (lo == 0) return;
    return SeekToRestart(lo - 1);
  }
  // The last restart whose key is < target holds the answer: the next restart's key is
  // >= target, so every row from there on is too.
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
  if (!DecodeInterval(left)) {
    valid_ = false;
    return;
  }
  size_t pos = interval_.size();
  while (pos > 0) {
    const IntervalRow& r = interval_[pos - 1];
    if (std::string_view(interval_keys_).substr(r.key_begin, r.key_len).compare(target) < 0) break;
    --pos;
  }
  if (pos == 0) {
    valid_ = false;  // restart 0's key is >= target: no row before it
    return;
  }
  ServeInterval(pos - 1);
}

void Block::Iterator::Prev() {
  if (!valid_) return;
  if (v1_) {
    // The current row is next_row_ - 1.
    if (next_row_ < 2) {
      valid_ = false;
      return;
    }
    return SeekToRestart(next_row_ - 2);
  }
  if (!backward_) {
    // Coming from forward iteration: find the current row's interval, then step back.
    const std::string current = key_;
    const uint64_t seq = row_.seq;
    uint32_t restart = 0;
    while (restart + 1 < num_offsets_ && Offset(restart + 1) < next_offset_) ++restart;
    if (!DecodeInterval(restart)) {
      valid_ = false;
      return;
    }
    size_t pos = 0;
    while (pos < interval_.size()) {
      const IntervalRow& r = interval_[pos];
      if (std::string_view(interval_keys_).substr(r.key_begin, r.key_len) == current &&
          r.row.seq == seq) {
        break;
      }
      ++pos;
    }
    interval_pos_ = pos;
  }
  if (interval_pos_ > 0) return ServeInterval(interval_pos_ - 1);
  if (interval_restart_ == 0 || !DecodeInterval(interval_restart_ - 1)) {
    valid_ = false;
    return;
  }
  ServeInterval(interval_.size() - 1);
}

}  // namespace slatedb
