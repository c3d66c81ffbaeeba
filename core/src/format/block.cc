// SPDX-License-Identifier: Apache-2.0
//
// Block parsing and iteration. Every read is bounds-checked against the row region; restart
// rows are decoded with an empty previous key, so one that claims a shared prefix is caught
// as corruption.
#include "format/block.h"

#include "format/row_codec.h"
#include "util/coding.h"

namespace slatedb {

Result<Block> Block::Parse(std::string bytes) {
  if (bytes.size() < 4) return Status::Data("block shorter than its restart count");
  const uint32_t num_restarts = DecodeFixed32(bytes.data() + bytes.size() - 4);
  const uint64_t trailer = 4 + 4 * static_cast<uint64_t>(num_restarts);
  if (trailer > bytes.size()) return Status::Data("block restart array runs past its start");
  const size_t rows_size = bytes.size() - static_cast<size_t>(trailer);
  if (num_restarts == 0 && rows_size != 0) return Status::Data("block has rows but no restarts");
  if (num_restarts > 0 && rows_size == 0) return Status::Data("block has restarts but no rows");
  const char* restarts = bytes.data() + rows_size;
  uint64_t previous = 0;
  for (uint32_t i = 0; i < num_restarts; ++i) {
    const uint32_t offset = DecodeFixed32(restarts + 4 * static_cast<size_t>(i));
    if (i == 0 ? offset != 0 : offset <= previous) {
      return Status::Data("block restart offsets not increasing from 0");
    }
    if (offset >= rows_size) return Status::Data("block restart offset past the rows");
    previous = offset;
  }
  return Block(std::move(bytes), rows_size, num_restarts);
}

Block::Iterator::Iterator(const Block* block)
    : rows_(block->data_.data(), block->rows_size_),
      restarts_(block->data_.data() + block->rows_size_),
      num_restarts_(block->num_restarts_) {}

void Block::Iterator::Corrupt(Status status) {
  valid_ = false;
  status_ = std::move(status);
  next_offset_ = rows_.size();
}

void Block::Iterator::ParseNextRow() {
  if (!status_.ok() || next_offset_ >= rows_.size()) {
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
  key_.clear();
  next_offset_ = DecodeFixed32(restarts_ + 4 * static_cast<size_t>(index));
  ParseNextRow();
}

void Block::Iterator::SeekToFirst() {
  status_ = Status::Ok();
  if (num_restarts_ == 0) {
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

bool Block::Iterator::RestartKey(uint32_t index, std::string_view* key) {
  const uint32_t offset = DecodeFixed32(restarts_ + 4 * static_cast<size_t>(index));
  std::string_view in = rows_.substr(offset);
  uint32_t shared = 0, unshared = 0, value_len = 0;
  if (!GetVarint32(&in, &shared) || !GetVarint32(&in, &unshared) ||
      !GetVarint32(&in, &value_len)) {
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
  if (num_restarts_ == 0) {
    valid_ = false;
    return;
  }
  // Find the last restart whose key is < target: every row >= target lies at or after it,
  // including older versions of target that precede a restart keyed exactly target.
  uint32_t left = 0, right = num_restarts_ - 1;
  while (left < right) {
    const uint32_t mid = left + (right - left + 1) / 2;
    std::string_view key;
    if (!RestartKey(mid, &key)) return;
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

namespace slatedb {

bool Block::Iterator::DecodeInterval(uint32_t index) {
  const size_t limit = index + 1 < num_restarts_
                           ? DecodeFixed32(restarts_ + 4 * static_cast<size_t>(index + 1))
                           : rows_.size();
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
  if (num_restarts_ == 0 || !DecodeInterval(num_restarts_ - 1)) {
    valid_ = false;
    return;
  }
  ServeInterval(interval_.size() - 1);
}

void Block::Iterator::SeekBefore(std::string_view target) {
  status_ = Status::Ok();
  valid_ = false;
  if (num_restarts_ == 0) return;
  // The last restart whose key is < target holds the answer: the next restart's key is
  // >= target, so every row from there on is too.
  uint32_t left = 0, right = num_restarts_ - 1;
  while (left < right) {
    const uint32_t mid = left + (right - left + 1) / 2;
    std::string_view key;
    if (!RestartKey(mid, &key)) return;
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
  if (!backward_) {
    // Coming from forward iteration: find the current row's interval, then step back.
    const std::string current = key_;
    const uint64_t seq = row_.seq;
    uint32_t restart = 0;
    while (restart + 1 < num_restarts_ &&
           DecodeFixed32(restarts_ + 4 * static_cast<size_t>(restart + 1)) < next_offset_) {
      ++restart;
    }
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
