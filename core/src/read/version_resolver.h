// SPDX-License-Identifier: Apache-2.0
//
// VersionResolver: turns the versions of one key, fed newest first from every layer, into
// the value a reader sees. Versions above the read's sequence cap are skipped; an expired
// value reads as a tombstone and hides older versions; an expired merge operand is
// skipped; operands collected above a value, tombstone or the end of history are folded
// oldest to newest through the merge operator.
#pragma once

#include <algorithm>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "format/row.h"
#include "slatedb/clock.h"
#include "slatedb/options.h"
#include "util/merge_failure.h"

namespace slatedb {

// Where a visible value came from: its newest contributing version (for a merged value, the
// newest operand).
struct VersionMeta {
  uint64_t seq = 0;
  int64_t create_ts = kNoTimestamp;
  int64_t expire_ts = kNoTimestamp;
};

class VersionResolver {
 public:
  // "Now" for expiry is read from `clock` (raised to `tick_floor`) on first need, once: most
  // reads meet no TTL and skip the clock entirely.
  VersionResolver(uint64_t max_seq, Clock* clock, int64_t tick_floor)
      : max_seq_(max_seq), clock_(clock), tick_floor_(tick_floor) {}

  // Starts over for another key.
  void Reset() {
    operands_.clear();
    resolved_ = false;
    has_base_ = false;
    base_.clear();
    newest_.reset();
  }

  // Feeds the next older version. Returns true once no older version can matter.
  bool Add(const RowView& row) {
    if (resolved_ || row.seq > max_seq_) return resolved_;
    bool expired = row.expire_ts != kNoTimestamp && row.expire_ts <= NowMs();
    switch (row.kind) {
      case RowKind::kMerge:
        if (!expired) {
          operands_.emplace_back(row.value);
          NoteNewest(row);
        }
        return false;
      case RowKind::kValue:
        if (!expired) {
          NoteNewest(row);
          has_base_ = true;
          base_.assign(row.value);
        }
        resolved_ = true;
        return true;
      case RowKind::kTombstone:
        resolved_ = true;
        return true;
    }
    return false;
  }

  bool resolved() const { return resolved_; }
  // The newest version that contributes to the visible value, if any was fed.
  const std::optional<VersionMeta>& newest_visible() const { return newest_; }
  // True if anything visible was seen (a value or an operand).
  bool has_visible() const { return has_base_ || !operands_.empty(); }

  // The visible value after all versions were fed (or resolution). Invalid if operands need
  // a merge operator and there is none.
  // Marks the key resolved: later (older) versions are ignored.
  Result<std::optional<std::string>> Finish(std::string_view key, const MergeOperator& merge) {
    resolved_ = true;
    if (operands_.empty()) {
      if (!has_base_) return std::optional<std::string>();
      return std::optional<std::string>(std::move(base_));
    }
    if (!merge) {
      return Status::Invalid("key has merge operands but the database has no merge operator");
    }
    std::optional<std::string> acc;
    if (has_base_) acc = std::move(base_);
    for (auto it = operands_.rbegin(); it != operands_.rend(); ++it) {
      std::optional<std::string_view> existing;
      if (acc) existing = std::string_view(*acc);
      Result<std::string> merged = merge(key, existing, *it);
      if (!merged.ok()) return MergeOperatorFailure(merged.status());
      acc = std::move(*merged);
    }
    return acc;
  }

 private:
  void NoteNewest(const RowView& row) {
    if (!newest_) newest_ = VersionMeta{row.seq, row.create_ts, row.expire_ts};
  }
  int64_t NowMs() {
    if (now_ms_ == kNoTimestamp) now_ms_ = std::max(clock_->NowMillis(), tick_floor_);
    return now_ms_;
  }

  uint64_t max_seq_;
  Clock* clock_;
  int64_t tick_floor_;
  int64_t now_ms_ = kNoTimestamp;
  std::vector<std::string> operands_;  // newest first
  bool resolved_ = false;
  bool has_base_ = false;
  std::string base_;
  std::optional<VersionMeta> newest_;
};

// The same resolution for versions fed oldest first (descending scans, whose sources walk
// backward): each value, tombstone or expired value starts the key's history over, and
// operands collect above it. All versions of a key are fed before Finish.
class VersionFolder {
 public:
  VersionFolder(uint64_t max_seq, Clock* clock, int64_t tick_floor)
      : max_seq_(max_seq), clock_(clock), tick_floor_(tick_floor) {}

  // Starts over for another key.
  void Reset() { Restart(); }

  // Feeds the next newer version.
  void Add(const RowView& row) {
    if (row.seq > max_seq_) return;
    bool expired = row.expire_ts != kNoTimestamp && row.expire_ts <= NowMs();
    switch (row.kind) {
      case RowKind::kMerge:
        if (!expired) {
          operands_.emplace_back(row.value);
          newest_ = VersionMeta{row.seq, row.create_ts, row.expire_ts};
        }
        return;
      case RowKind::kValue:
        Restart();
        if (!expired) {
          has_base_ = true;
          base_.assign(row.value);
          newest_ = VersionMeta{row.seq, row.create_ts, row.expire_ts};
        }
        return;
      case RowKind::kTombstone:
        Restart();
        return;
    }
  }

  // The newest version that contributes to the visible value, if any.
  const std::optional<VersionMeta>& newest_visible() const { return newest_; }

  // The visible value of the versions fed (as VersionResolver::Finish).
  Result<std::optional<std::string>> Finish(std::string_view key, const MergeOperator& merge) {
    if (operands_.empty()) {
      if (!has_base_) return std::optional<std::string>();
      return std::optional<std::string>(std::move(base_));
    }
    if (!merge) {
      return Status::Invalid("key has merge operands but the database has no merge operator");
    }
    std::optional<std::string> acc;
    if (has_base_) acc = std::move(base_);
    for (const std::string& operand : operands_) {
      std::optional<std::string_view> existing;
      if (acc) existing = std::string_view(*acc);
      Result<std::string> merged = merge(key, existing, operand);
      if (!merged.ok()) return MergeOperatorFailure(merged.status());
      acc = std::move(*merged);
    }
    return acc;
  }

 private:
  void Restart() {
    operands_.clear();
    has_base_ = false;
    newest_.reset();
  }
  int64_t NowMs() {
    if (now_ms_ == kNoTimestamp) now_ms_ = std::max(clock_->NowMillis(), tick_floor_);
    return now_ms_;
  }

  uint64_t max_seq_;
  Clock* clock_;
  int64_t tick_floor_;
  int64_t now_ms_ = kNoTimestamp;
  std::vector<std::string> operands_;  // oldest first
  bool has_base_ = false;
  std::string base_;
  std::optional<VersionMeta> newest_;
};

}  // namespace slatedb
