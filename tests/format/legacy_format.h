// SPDX-License-Identifier: Apache-2.0
//
// Encoders for the format's read-only legacy layouts, written here from the format's
// description (docs/format.md) so tests and fuzz seeds can produce them: row codec v0 and
// block version 1 (SST format version 1). The engine never writes these.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "format/row.h"
#include "format/row_codec.h"
#include "util/coding.h"

namespace slatedb::testing {

// One v0 row: u16 prefix | u16 suffix_len | suffix | u64 seq | u8 flags | [expire] | [create]
// | [u32 value_len | value] (no value part for tombstones). `first_key` is the block's first
// key (empty for the first row).
inline void EncodeRowV0(const RowView& row, std::string_view first_key, std::string* dst) {
  const size_t prefix = first_key.empty() ? 0 : SharedPrefixLength(first_key, row.key);
  PutBigEndian16(dst, static_cast<uint16_t>(prefix));
  PutBigEndian16(dst, static_cast<uint16_t>(row.key.size() - prefix));
  dst->append(row.key.substr(prefix));
  PutBigEndian64(dst, row.seq);
  uint8_t flags = 0;
  if (row.kind == RowKind::kTombstone) flags |= kRowFlagTombstone;
  if (row.kind == RowKind::kMerge) flags |= kRowFlagMerge;
  if (row.expire_ts != kNoTimestamp) flags |= kRowFlagHasExpireTs;
  if (row.create_ts != kNoTimestamp) flags |= kRowFlagHasCreateTs;
  PutFixed8(dst, flags);
  if (row.expire_ts != kNoTimestamp) PutBigEndian64(dst, static_cast<uint64_t>(row.expire_ts));
  if (row.create_ts != kNoTimestamp) PutBigEndian64(dst, static_cast<uint64_t>(row.create_ts));
  if (row.kind != RowKind::kTombstone) {
    PutBigEndian32(dst, static_cast<uint32_t>(row.value.size()));
    dst->append(row.value);
  }
}

// A version-1 block: v0 rows | u16 offset per row | u16 row count.
inline std::string EncodeBlockV1(const std::vector<Row>& rows) {
  std::string out;
  std::vector<uint16_t> offsets;
  for (size_t i = 0; i < rows.size(); ++i) {
    offsets.push_back(static_cast<uint16_t>(out.size()));
    EncodeRowV0(rows[i].view(), i == 0 ? std::string_view() : rows[0].key, &out);
  }
  for (uint16_t o : offsets) PutBigEndian16(&out, o);
  PutBigEndian16(&out, static_cast<uint16_t>(offsets.size()));
  return out;
}

}  // namespace slatedb::testing
