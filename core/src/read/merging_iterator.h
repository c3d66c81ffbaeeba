// SPDX-License-Identifier: Apache-2.0
//
// MergingIterator: the one merge of sorted row sources in the engine (LevelDB's
// table/merger.cc shape). Scans of the writer and of readers, and compaction, read their
// memtables and SSTs through it. It yields every version of every source in internal
// order: by key in the scan's direction, and within a key newest (highest seq) first, so a
// VersionResolver can be fed straight from it.
//
// It is positioned synchronously: Peek stops with kNeedIo when a source must fetch bytes
// first (that source may hold the next row in order), and DoIo fetches them. The sources
// are few (memtables, L0 SSTs, one per sorted run), so the smallest is found by a pass over
// them, as LevelDB does, rather than a heap.
#pragma once

#include <cstddef>
#include <memory>
#include <string_view>
#include <vector>

#include "format/row.h"
#include "read/row_source.h"
#include "slatedb/task.h"

namespace slatedb {

// The order of keys a merge yields. Sources must produce their rows in the same order.
// (Row sources only move forward, so scans are ascending; the merge is ready for sources
// that walk backwards.)
enum class ScanDirection { kAscending, kDescending };

// True if `a` comes before `b` in `direction`: key in that direction, then seq descending.
inline bool RowBefore(const RowView& a, const RowView& b, ScanDirection direction) {
  int c = a.key.compare(b.key);
  if (c != 0) return direction == ScanDirection::kAscending ? c < 0 : c > 0;
  return a.seq > b.seq;
}

class MergingIterator {
 public:
  enum class State { kRow, kEnd, kNeedIo, kError };

  explicit MergingIterator(std::vector<std::unique_ptr<RowSource>> sources,
                           ScanDirection direction = ScanDirection::kAscending)
      : sources_(std::move(sources)), direction_(direction) {}

  // Positions every source at the first row with key >= `key`.
  void Seek(std::string_view key) {
    for (auto& source : sources_) source->Seek(key);
    current_ = nullptr;
  }

  // Finds the next row in order. kRow: row() is it; kNeedIo: call DoIo, then Peek again;
  // kError: status() says why.
  State Peek() {
    current_ = nullptr;
    for (auto& source : sources_) {
      if (source->NeedsIo()) return State::kNeedIo;
      if (!source->status().ok()) {
        failed_ = source.get();
        return State::kError;
      }
      if (!source->Valid()) continue;
      if (current_ == nullptr || RowBefore(source->row(), current_->row(), direction_)) {
        current_ = source.get();
      }
    }
    return current_ == nullptr ? State::kEnd : State::kRow;
  }

  // REQUIRES: the last Peek returned kRow. Valid until Next or Seek.
  RowView row() const { return current_->row(); }
  // Consumes row(). REQUIRES: the last Peek returned kRow.
  void Next() {
    current_->Next();
    current_ = nullptr;
  }

  // Fetches what the sources that stopped at Peek need, stopping at the first failure.
  Task<Status> DoIo();

  // Why Peek returned kError.
  const Status& status() const;

  ScanDirection direction() const { return direction_; }

 private:
  std::vector<std::unique_ptr<RowSource>> sources_;
  ScanDirection direction_;
  RowSource* current_ = nullptr;
  RowSource* failed_ = nullptr;
};

}  // namespace slatedb
