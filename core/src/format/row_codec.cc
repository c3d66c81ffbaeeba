// SPDX-License-Identifier: Apache-2.0
//
// Row encoding and its strict decoder. The decoder accepts exactly what the encoder writes:
// unknown flags, a tombstone with a value or a flagged timestamp equal to kNoTimestamp are
// all corruption, which keeps the encoding canonical (decode then encode gives the input).
#include "format/row_codec.h"

#include "slatedb/result.h"
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
  size_t n = VarintLength(shared) + VarintLength(unshared) + VarintLength(value_len) + unshared +
             value_len + 8 + 1;
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
  PutBigEndian64(dst, row.seq);
  const uint8_t flags = FlagsOf(row);
  PutFixed8(dst, flags);
  if (flags & kRowFlagHasExpireTs) PutBigEndian64(dst, static_cast<uint64_t>(row.expire_ts));
  if (flags & kRowFlagHasCreateTs) PutBigEndian64(dst, static_cast<uint64_t>(row.create_ts));
}

namespace {

// The fields both codecs share after the key: u8 flags has been read; reads the timestamps
// it announces and fills everything of `row` but key and value.
Status DecodeFlagsAndTimestamps(std::string_view* in, uint64_t seq, uint8_t flags, RowView* row) {
  if (flags & ~kRowFlagsKnown) return Status::Data("row has unknown flag bits");
  const bool tombstone = flags & kRowFlagTombstone;
  const bool merge = flags & kRowFlagMerge;
  if (tombstone && merge) return Status::Data("row is both a tombstone and a merge operand");
  int64_t expire_ts = kNoTimestamp, create_ts = kNoTimestamp;
  uint64_t raw = 0;
  if (flags & kRowFlagHasExpireTs) {
    if (!GetBigEndian64(in, &raw)) return Status::Data("row expire_ts truncated");
    expire_ts = static_cast<int64_t>(raw);
    if (expire_ts == kNoTimestamp) return Status::Data("row expire_ts flagged but absent");
  }
  if (flags & kRowFlagHasCreateTs) {
    if (!GetBigEndian64(in, &raw)) return Status::Data("row create_ts truncated");
    create_ts = static_cast<int64_t>(raw);
    if (create_ts == kNoTimestamp) return Status::Data("row create_ts flagged but absent");
  }
  row->seq = seq;
  row->kind = tombstone ? RowKind::kTombstone : merge ? RowKind::kMerge : RowKind::kValue;
  row->expire_ts = expire_ts;
  row->create_ts = create_ts;
  return Status::Ok();
}

}  // namespace

Status DecodeRow(std::string_view* input, std::string* key, RowView* row) {
  std::string_view in = *input;
  uint32_t shared = 0, unshared = 0, value_len = 0;
  if (!GetVarint32(&in, &shared) || !GetVarint32(&in, &unshared) || !GetVarint32(&in, &value_len)) {
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
  if (!GetBigEndian64(&in, &seq) || !GetFixed8(&in, &flags)) {
    return Status::Data("row seq or flags truncated");
  }
  SLATEDB_RETURN_IF_ERROR(DecodeFlagsAndTimestamps(&in, seq, flags, row));
  if (row->kind == RowKind::kTombstone && value_len != 0) {
    return Status::Data("tombstone row carries a value");
  }
  row->key = *key;
  row->value = value;
  *input = in;
  return Status::Ok();
}

Status DecodeRowV0(std::string_view* input, std::string_view first_key, std::string* key,
                   RowView* row) {
  std::string_view in = *input;
  uint16_t prefix = 0, suffix = 0;
  if (!GetBigEndian16(&in, &prefix) || !GetBigEndian16(&in, &suffix)) {
    return Status::Data("v0 row header truncated");
  }
  if (prefix > first_key.size()) {
    return Status::Data("v0 row shares more key bytes than the block's first key");
  }
  if (suffix > in.size()) return Status::Data("v0 row key runs past the end of the block");
  key->assign(first_key.data(), prefix);
  key->append(in.data(), suffix);
  in.remove_prefix(suffix);
  uint64_t seq = 0;
  uint8_t flags = 0;
  if (!GetBigEndian64(&in, &seq) || !GetFixed8(&in, &flags)) {
    return Status::Data("v0 row seq or flags truncated");
  }
  SLATEDB_RETURN_IF_ERROR(DecodeFlagsAndTimestamps(&in, seq, flags, row));
  std::string_view value;
  if (row->kind != RowKind::kTombstone) {
    uint32_t value_len = 0;
    if (!GetBigEndian32(&in, &value_len)) return Status::Data("v0 row value length truncated");
    if (value_len > in.size()) return Status::Data("v0 row value runs past the end of the block");
    value = in.substr(0, value_len);
    in.remove_prefix(value_len);
  }
  row->key = *key;
  row->value = value;
  *input = in;
  return Status::Ok();
}

}  // namespace slatedb
