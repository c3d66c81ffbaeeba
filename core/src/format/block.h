// SPDX-License-Identifier: Apache-2.0
//
// Block: one decoded (checksum-verified, decompressed) data block and its iterator, for both
// block versions of the format (docs/format.md):
//   version 2: rows in codec v2 | u16 restart offset x R | u16 R       (restart every 16 rows)
//   version 1: rows in codec v0 | u16 row offset x N     | u16 N       (one offset per row)
// Integers big-endian. Parse validates the trailer up front; rows are validated as the
// iterator decodes them, and a malformed row stops iteration with a Data status rather than
// yielding garbage.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "format/row.h"
#include "slatedb/result.h"

namespace slatedb {

// The block versions (= SST format versions) this code reads; it writes kBlockFormatV2.
inline constexpr uint16_t kBlockFormatV1 = 1;
inline constexpr uint16_t kBlockFormatV2 = 2;

class Block {
 public:
  // Takes a block's decoded bytes. Data if the version is unknown, the trailer is truncated,
  // or its offsets are out of range or not strictly increasing from 0.
  static Result<Block> Parse(std::string bytes, uint16_t format_version);

  Block(Block&&) = default;
  Block& operator=(Block&&) = default;
  Block(const Block&) = delete;
  Block& operator=(const Block&) = delete;

  // Bytes held, for cache accounting.
  size_t size() const { return data_.size(); }
  uint16_t format_version() const { return version_; }
  // Restart points (v2) or rows (v1).
  uint32_t num_offsets() const { return num_offsets_; }

  // Iterates a block. The block must stay alive, and not be moved, while iterators over it
  // exist. Iterators may be copied and moved freely.
  class Iterator {
   public:
    explicit Iterator(const Block* block);

    // Positions at the first row (invalid if the block is empty).
    void SeekToFirst();
    // Positions at the first row whose key is >= key. Assumes rows in internal order (the
    // result is unspecified, but memory-safe, for the unsorted rows of WAL SSTs).
    void Seek(std::string_view key);
    // Seek(key) for a reader moving forward through the block (a sorted multi-key lookup):
    // REQUIRES every row before the current one to be < key (true after Seek or
    // SeekForward to a smaller key and any Next() calls over rows < key). Continues decoding
    // from the current row while key lies in its restart interval, else binary-searches only
    // the restarts after it. Same result as Seek(key).
    void SeekForward(std::string_view key);
    // REQUIRES: Valid().
    void Next();

    // Backward iteration. Version 2 rows are prefix-compressed against the row before them,
    // so a row cannot be decoded from its end: moving backward decodes one restart interval
    // at a time into a small buffer (every row once) and serves it from its end. Version 1
    // rows are each addressable (their prefix is the block's first key), so they are decoded
    // one at a time. Next() after a backward positioning continues forward from the current
    // row.
    //
    // Positions at the last row (invalid if the block is empty).
    void SeekToLast();
    // Positions at the last row whose key is < key (invalid if there is none). Assumes rows
    // in internal order, as Seek.
    void SeekBefore(std::string_view key);
    // REQUIRES: Valid().
    void Prev();

    // False at the end and after an error; see status().
    bool Valid() const { return valid_; }
    // REQUIRES: Valid(). The value views into the block, the key into this iterator: valid
    // until the iterator is repositioned or destroyed.
    RowView row() const {
      RowView r = row_;
      r.key = key_;  // re-derived on each call so copies and moves never leave it dangling
      return r;
    }
    // OK unless a malformed row was met; iteration then stops.
    const Status& status() const { return status_; }

   private:
    size_t Offset(uint32_t index) const;
    // Decodes the row at next_offset_ (v2: previous key in key_) or row next_row_ (v1).
    void ParseNextRow();
    void SeekToRestart(uint32_t index);
    // The full key of restart `index` (v2) or row `index` (v1); false (status_ set) if
    // malformed. `*scratch` may back the returned view.
    bool KeyAt(uint32_t index, std::string* scratch, std::string_view* key);
    // The last restart at or after `first` whose key is < target (or `first` if none is),
    // into *out; false if a key cannot be decoded. Seek and SeekForward both search so.
    bool LastRestartBelow(std::string_view target, uint32_t first, std::string* scratch,
                          uint32_t* out);
    // v1: the block's first key, decoded once.
    bool LoadFirstKey();
    void Corrupt(Status status);
    // Decodes restart interval `index` into interval_; false if it is empty or malformed.
    bool DecodeInterval(uint32_t index);
    // Makes interval_ entry `pos` the current row.
    void ServeInterval(size_t pos);

    // One decoded row of the restart interval being walked backward.
    struct IntervalRow {
      size_t key_begin;  // into interval_keys_
      size_t key_len;
      RowView row;  // key unused
    };

    std::string_view rows_;  // the row region of the block
    const char* offsets_;    // the trailer's offset array
    uint32_t num_offsets_;
    bool v1_;
    size_t next_offset_ = 0;  // v2
    uint32_t next_row_ = 0;   // v1
    std::string first_key_;   // v1
    bool first_key_loaded_ = false;
    std::string key_;  // the current row's full key
    RowView row_;      // the current row; its key field is not used (see row())
    bool valid_ = false;
    Status status_;
    // Backward state: the decoded interval, its restart index, and the row served from it.
    bool backward_ = false;
    uint32_t interval_restart_ = 0;
    size_t interval_pos_ = 0;
    size_t interval_end_ = 0;  // offset just past the interval's rows
    std::vector<IntervalRow> interval_;
    std::string interval_keys_;
  };

 private:
  Block(std::string data, size_t rows_size, uint32_t num_offsets, uint16_t version)
      : data_(std::move(data)),
        rows_size_(rows_size),
        num_offsets_(num_offsets),
        version_(version) {}

  std::string data_;
  size_t rows_size_;
  uint32_t num_offsets_;
  uint16_t version_;
};

}  // namespace slatedb
