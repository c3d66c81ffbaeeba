// SPDX-License-Identifier: Apache-2.0
//
// SstMemoryIterator: the index, then one decoded block at a time.
#include "format/sst_iterator.h"

#include "format/sst_reader.h"

namespace slatedb {

Result<std::unique_ptr<SstMemoryIterator>> SstMemoryIterator::Open(std::string object_bytes) {
  SLATEDB_ASSIGN_OR_RETURN(SstInfo info, DecodeSstInfoFromObject(object_bytes));
  SLATEDB_ASSIGN_OR_RETURN(std::string_view stored_index,
                           SliceRange(object_bytes, 0, {info.index_offset, info.index_len}));
  SLATEDB_ASSIGN_OR_RETURN(SstIndex index, DecodeIndex(stored_index, info));
  return std::unique_ptr<SstMemoryIterator>(
      new SstMemoryIterator(std::move(object_bytes), std::move(info), std::move(index)));
}

bool SstMemoryIterator::LoadBlock(size_t i) {
  iter_.reset();
  block_.reset();
  block_index_ = i;
  const BlockHandle handle = index_.block(i);
  Result<std::string_view> stored = SliceRange(object_, 0, {handle.offset, handle.length});
  if (!stored.ok()) {
    status_ = stored.status();
    return false;
  }
  Result<Block> block = DecodeDataBlock(*stored, info_);
  if (!block.ok()) {
    status_ = block.status();
    return false;
  }
  block_.emplace(std::move(block).value());
  // The iterator points into *block_, which stays put until the next LoadBlock.
  iter_.emplace(&*block_);
  return true;
}

void SstMemoryIterator::SkipEmptyBlocks() {
  while (iter_.has_value() && !iter_->Valid()) {
    if (!iter_->status().ok()) {
      status_ = iter_->status();
      iter_.reset();
      return;
    }
    if (block_index_ + 1 >= index_.num_blocks()) return;
    if (!LoadBlock(block_index_ + 1)) return;
    iter_->SeekToFirst();
  }
}

void SstMemoryIterator::SeekToFirst() {
  status_ = Status::Ok();
  if (!LoadBlock(0)) return;
  iter_->SeekToFirst();
  SkipEmptyBlocks();
}

void SstMemoryIterator::Seek(std::string_view key) {
  status_ = Status::Ok();
  if (!LoadBlock(index_.FindBlock(key))) return;
  iter_->Seek(key);
  SkipEmptyBlocks();
}

void SstMemoryIterator::Next() {
  if (!Valid()) return;
  iter_->Next();
  SkipEmptyBlocks();
}

}  // namespace slatedb
