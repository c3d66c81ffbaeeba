// SPDX-License-Identifier: Apache-2.0
//
// Row encoding and its strict decoder. The decoder accepts exactly what the encoder writes:
// unknown flags, a tombstone with a value or a flagged timestamp equal to kNoTimestamp are
// all corruption, which keeps the encoding canonical (decode then encode gives the input).
#include "format/row_codec.h"

#include "util/coding.h"

namespace slatedb {

size_t SharedPrefixLength(std::string_view a, std::string_view b) {
  const size_t n = a.size() < b.size() ? a.size() : b.size();
  size_t i = 0;
  while (i < n && a[i] == b[i]) ++i;
  return i;
}

namespace {

uint8_t FlagsOf(const RowView& row) {
  uint8_t flags = 0;
  if (row.kind == RowKind::kTombstone) flags |= kRowFlagTombstone;
  if (row.kind == RowKind::kMerge) flags |= kRowFlagMerge;
  if (row.expire_ts != kNoTimestamp) flags |= kRowFlagHasExpireTs;
  if (row.create_ts != kNoTimestamp) flags |= kRowFlagHasCreateTs;
  return flags;
}

std::string_view StoredValue(const RowView& row) {
  return row.kind == RowKind::kTombstone ? std::string_view() : row.value;
}

}  // namespace

size_t EncodedRowSize(const RowView& row, size_t shared) {
  const size_t unshared = row.key.size() - shared;
  const size_t value_len = StoredValue(row).size();
  size_t n = VarintLength(shared) + VarintLength(unshared) + VarintLength(value_len) +
             unshared + value_len + 8 + 1;
  if (row.expire_ts != kNoTimestamp) n += 8;
  if (row.create_ts != kNoTimestamp) n += 8;
  return n;
}

void EncodeRow(const RowView& row, size_t shared, std::string* dst) {
  const std::string_view value = StoredValue(row);
  const std::string_view suffix = row.key.substr(shared);
  PutVarint32(dst, static_cast<uint32_t>(shared));
  PutVarint32(dst, static_cast<uint32_t>(suffix.size()));
  PutVarint32(dst, static_cast<uint32_t>(value.size()));
  dst->append(suffix.data(), suffix.size());
  dst->append(value.data(), value.size());
  PutFixed64(dst, row.seq);
  const uint8_t flags = FlagsOf(row);
  PutFixed8(dst, flags);
  if (flags & kRowFlagHasExpireTs) PutFixed64(dst, static_cast<uint64_t>(row.expire_ts));
  if (flags & kRowFlagHasCreateTs) PutFixed64(dst, static_cast<uint64_t>(row.create_ts));
}

Status DecodeRow(std::string_view* input, std::string* key, RowView* row) {
  std::string_view in = *input;
  uint32_t shared = 0, unshared = 0, value_len = 0;
  if (!GetVarint32(&in, &shared) || !GetVarint32(&in, &unshared) ||
      !GetVarint32(&in, &value_len)) {
    return Status::Data("row header truncated or malformed");
  }
  if (shared > key->size()) return Status::Data("row shares more key bytes than the previous key");
  // Compare in 64 bits: unshared + value_len may overflow 32.
  if (static_cast<uint64_t>(unshared) + value_len > in.size()) {
    return Status::Data("row key or value runs past the end of the block");
  }
  key->resize(shared);
  key->append(in.data(), unshared);
  in.remove_prefix(unshared);
  const std::string_view value = in.substr(0, value_len);
  in.remove_prefix(value_len);

  uint64_t seq = 0;
  uint8_t flags = 0;
  if (!GetFixed64(&in, &seq) || !GetFixed8(&in, &flags)) {
    return Status::Data("row seq or flags truncated");
  }
  if (flags & ~kRowFlagsKnown) return Status::Data("row has unknown flag bits");
  const bool tombstone = flags & kRowFlagTombstone;
  const bool merge = flags & kRowFlagMerge;
  if (tombstone && merge) return Status::Data("row is both a tombstone and a merge operand");
  if (tombstone && value_len != 0) return Status::Data("tombstone row carries a value");

  int64_t expire_ts = kNoTimestamp, create_ts = kNoTimestamp;
  uint64_t raw = 0;
  if (flags & kRowFlagHasExpireTs) {
    if (!GetFixed64(&in, &raw)) return Status::Data("row expire_ts truncated");
    expire_ts = static_cast<int64_t>(raw);
    if (expire_ts == kNoTimestamp) return Status::Data("row expire_ts flagged but absent");
  }
  if (flags & kRowFlagHasCreateTs) {
    if (!GetFixed64(&in, &raw)) return Status::Data("row create_ts truncated");
    create_ts = static_cast<int64_t>(raw);
    if (create_ts == kNoTimestamp) return Status::Data("row create_ts flagged but absent");
  }

  row->key = *key;
  row->seq = seq;
  row->kind = tombstone ? RowKind::kTombstone : merge ? RowKind::kMerge : RowKind::kValue;
  row->value = value;
  row->expire_ts = expire_ts;
  row->create_ts = create_ts;
  *input = in;
  return Status::Ok();
}

}  // namespace slatedb
