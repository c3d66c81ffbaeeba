// SPDX-License-Identifier: Apache-2.0
#include "compaction/retention.h"

#include <optional>
#include <string>

namespace slatedb {

bool KeyRetention::Fold(const std::vector<RowView>& rows, size_t first, size_t last,
                        const RowView* base, Row* folded) const {
  if (options_.merge == nullptr || !*options_.merge) return false;
  const int64_t expire = rows[first].expire_ts;
  for (size_t i = first; i < last; ++i) {
    // Operands with different TTLs must expire separately: keep them apart.
    if (rows[i].expire_ts != expire) return false;
  }
  std::optional<std::string> acc;
  if (base != nullptr && base->kind == RowKind::kValue) {
    if (base->expire_ts != expire) return false;
    acc = std::string(base->value);
  }
  const MergeOperator& merge = *options_.merge;
  size_t i = last;
  if (!acc) {
    acc = std::string(rows[last - 1].value);  // the oldest operand starts the fold
    --i;
  }
  while (i > first) {
    --i;
    Result<std::string> r = merge(rows[i].key, std::string_view(*acc), rows[i].value);
    if (!r.ok()) return false;
    acc = std::move(*r);
  }
  folded->key = std::string(rows[first].key);
  folded->seq = rows[first].seq;
  folded->create_ts = rows[first].create_ts;
  folded->expire_ts = expire;
  folded->value = std::move(*acc);
  // Onto a value or a tombstone the result is complete; onto the end of history an older
  // run might still hold a base, so it stays an operand.
  folded->kind = base != nullptr ? RowKind::kValue : RowKind::kMerge;
  return true;
}

std::optional<RowView> ApplyTtl(const RowView& row, int64_t now_ms) {
  const bool expired =
      row.expire_ts != kNoTimestamp && now_ms != kNoTimestamp && row.expire_ts <= now_ms;
  if (!expired || row.kind == RowKind::kTombstone) return row;
  if (row.kind == RowKind::kMerge) return std::nullopt;
  RowView tomb = row;
  tomb.kind = RowKind::kTombstone;
  tomb.value = {};
  tomb.expire_ts = kNoTimestamp;
  return tomb;
}

void KeyRetention::Apply(const std::vector<RowView>& input, std::vector<Row>* out) const {
  // TTL first: expired values read as tombstones, expired operands as nothing.
  std::vector<RowView> rows;
  rows.reserve(input.size());
  for (const RowView& row : input) {
    if (std::optional<RowView> kept = ApplyTtl(row, options_.now_ms)) rows.push_back(*kept);
  }
  const size_t begin = out->size();
  size_t b = 0;
  while (b < rows.size() && rows[b].seq > options_.floor) out->push_back(Row::From(rows[b++]));
  if (b < rows.size()) {
    if (rows[b].kind != RowKind::kMerge) {
      out->push_back(Row::From(rows[b]));
    } else {
      size_t k = b;
      while (k < rows.size() && rows[k].kind == RowKind::kMerge) ++k;
      const RowView* base = k < rows.size() ? &rows[k] : nullptr;
      Row folded;
      if (Fold(rows, b, k, base, &folded)) {
        out->push_back(std::move(folded));
      } else {
        // Keep the operands and their base unfolded; anything older is hidden by the base.
        for (size_t i = b; i < k; ++i) out->push_back(Row::From(rows[i]));
        if (base != nullptr) out->push_back(Row::From(*base));
      }
    }
  }
  // A trailing tombstone at or below the floor hides nothing once no older run exists.
  if (options_.drop_tombstones && out->size() > begin && out->back().kind == RowKind::kTombstone &&
      out->back().seq <= options_.floor) {
    out->pop_back();
  }
}

}  // namespace slatedb
