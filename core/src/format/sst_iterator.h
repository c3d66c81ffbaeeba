// SPDX-License-Identifier: Apache-2.0
//
// SstMemoryIterator: a synchronous iterator over every row of an SST held wholly in memory,
// in stored order. Used for WAL replay (whole WAL objects are fetched anyway) and tests; the
// engine's read path fetches blocks itself through sst_reader.h.
#pragma once

#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "format/block.h"
#include "format/index_block.h"
#include "format/row.h"
#include "format/sst_info.h"
#include "slatedb/result.h"

namespace slatedb {

class SstMemoryIterator {
 public:
  // Decodes the info and index (Data if corrupt); blocks are read with the decoder of the
  // footer's format version. Blocks are decoded as iteration reaches them; a corrupt block
  // ends iteration with a Data status(). A zero-byte object (a WAL fence) is not an SST:
  // callers skip those before opening.
  static Result<std::unique_ptr<SstMemoryIterator>> Open(std::string object_bytes);

  SstMemoryIterator(const SstMemoryIterator&) = delete;
  SstMemoryIterator& operator=(const SstMemoryIterator&) = delete;

  const SstInfo& info() const { return info_; }

  void SeekToFirst();
  // Positions at the first row whose key is >= key. Compacted SSTs only (WAL rows are not
  // sorted by key).
  void Seek(std::string_view key);
  // REQUIRES: Valid().
  void Next();

  bool Valid() const { return iter_.has_value() && iter_->Valid(); }
  // REQUIRES: Valid(). Views stay valid until the iterator moves.
  RowView row() const { return iter_->row(); }
  const Status& status() const { return status_; }

 private:
  SstMemoryIterator(std::string object, SstInfo info, SstIndex index)
      : object_(std::move(object)), info_(std::move(info)), index_(std::move(index)) {}

  // Loads data block `i` and leaves iter_ unpositioned; false (status_ set) on failure.
  bool LoadBlock(size_t i);
  // Moves to the first row of later blocks while the current one is exhausted.
  void SkipEmptyBlocks();

  std::string object_;
  SstInfo info_;
  SstIndex index_;
  size_t block_index_ = 0;
  std::optional<Block> block_;
  std::optional<Block::Iterator> iter_;
  Status status_;
};

}  // namespace slatedb
