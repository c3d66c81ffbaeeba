// SPDX-License-Identifier: Apache-2.0
//
// Retention: which versions of one key a compaction writes (spec/engine.md §10.4).
// Given a key's versions newest first it keeps
//  - every version above the retention floor (a live snapshot may read each of them);
//  - the newest version at or below the floor (what readers at the floor see), with the
//    merge operands it starts folded through the merge operator onto their base;
//  - nothing older.
// Expired values become tombstones (so an older value cannot resurface); expired merge
// operands are dropped. A tombstone left at the end of the history is dropped when the
// output is the oldest sorted run, where nothing older can exist.
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

#include "format/row.h"
#include "slatedb/options.h"

namespace slatedb {

struct RetentionOptions {
  // Versions with seq > floor are all kept. UINT64_MAX: no snapshot needs old versions.
  uint64_t floor = UINT64_MAX;
  // "Now" for TTL: values with expire_ts <= now_ms are expired.
  int64_t now_ms = kNoTimestamp;
  bool drop_tombstones = false;
  const MergeOperator* merge = nullptr;  // may be null or empty: operands are kept as is
};

// The TTL rule, as upstream SlateDB applies it when it writes rows to L0 or compacts them
// (never on read): a value with expire_ts <= now_ms becomes a tombstone (keeping its seq and
// create_ts, so an older value cannot resurface); an expired merge operand is dropped
// (nullopt). Other rows, and any row when now_ms is kNoTimestamp, pass unchanged.
std::optional<RowView> ApplyTtl(const RowView& row, int64_t now_ms);

class KeyRetention {
 public:
  explicit KeyRetention(RetentionOptions options) : options_(std::move(options)) {}

  // `versions`: one key, newest first. Appends the rows to write to `out`, newest first.
  void Apply(const std::vector<RowView>& versions, std::vector<Row>* out) const;

 private:
  // Folds operands[first..last) (newest first) onto `base` (nullptr: end of history).
  // False if it cannot (no operator, differing TTLs, operator error).
  bool Fold(const std::vector<RowView>& rows, size_t first, size_t last, const RowView* base,
            Row* folded) const;

  RetentionOptions options_;
};

}  // namespace slatedb
