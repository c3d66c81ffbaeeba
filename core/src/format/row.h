// SPDX-License-Identifier: Apache-2.0
//
// Rows: one version of one key, as stored in memtables, WAL objects and SSTs. Ordered by
// (key ascending, seq descending): the newest version of a key comes first.
#pragma once

#include <cstdint>
#include <limits>
#include <string>
#include <string_view>

namespace slatedb {

enum class RowKind : uint8_t {
  kValue = 0,
  kTombstone = 1,
  kMerge = 2,  // a merge operand, folded onto older versions at read time
};

// Timestamp fields use this when absent.
inline constexpr int64_t kNoTimestamp = std::numeric_limits<int64_t>::min();

// A row whose bytes live elsewhere (a block, a memtable arena). Valid while they do.
struct RowView {
  std::string_view key;
  uint64_t seq = 0;
  RowKind kind = RowKind::kValue;
  std::string_view value;            // empty for tombstones
  int64_t expire_ts = kNoTimestamp;  // ms since epoch; the row is invisible from then on
  int64_t create_ts = kNoTimestamp;  // ms since epoch
};

// An owning row.
struct Row {
  std::string key;
  uint64_t seq = 0;
  RowKind kind = RowKind::kValue;
  std::string value;
  int64_t expire_ts = kNoTimestamp;
  int64_t create_ts = kNoTimestamp;

  RowView view() const { return RowView{key, seq, kind, value, expire_ts, create_ts}; }
  static Row From(const RowView& v) {
    return Row{std::string(v.key), v.seq, v.kind, std::string(v.value), v.expire_ts, v.create_ts};
  }
};

// Internal order: key ascending, then seq descending. Negative if a sorts before b.
inline int CompareInternal(std::string_view a_key, uint64_t a_seq, std::string_view b_key,
                           uint64_t b_seq) {
  int c = a_key.compare(b_key);
  if (c != 0) return c;
  if (a_seq == b_seq) return 0;
  return a_seq > b_seq ? -1 : 1;
}

}  // namespace slatedb
