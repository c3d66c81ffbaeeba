// SPDX-License-Identifier: Apache-2.0
//
// MergingIterator: the one merge of sorted row sources in the engine (LevelDB's
// table/merger.cc shape). Scans of the writer and of readers, and compaction, read their
// memtables and SSTs through it. It yields every version of every source in internal
// order, or in its exact reverse for descending scans, so a VersionResolver (forward) or a
// VersionFolder (reverse) can be fed straight from it.
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

// The order a merge yields rows in. Ascending is internal order (key ascending, newest
// version first); descending is its exact reverse (key descending, oldest version first),
// which is what sources that walk backward produce. Sources must produce their rows in the
// merge's order.
enum class ScanDirection { kAscending, kDescending };

// True if `a` comes before `b` in `direction`.
inline bool RowBefore(const RowView& a, const RowView& b, ScanDirection direction) {
  int c = CompareInternal(a.key, a.seq, b.key, b.seq);
  return direction == ScanDirection::kAscending ? c < 0 : c > 0;
}

class MergingIterator {
 public:
  enum class State { kRow, kEnd, kNeedIo, kError };

  explicit MergingIterator(std::vector<std::unique_ptr<RowSource>> sources,
                           ScanDirection direction = ScanDirection::kAscending)
      : sources_(std::move(sources)), direction_(direction) {}

  // Positions every source (RowSource::Seek: ascending, the first row with key >= `key`;
  // descending, the last row with key < `key`, or the last row if `key` is empty).
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
