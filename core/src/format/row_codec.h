// SPDX-License-Identifier: Apache-2.0
//
// The encodings of one row inside a data block (docs/format.md; this file and it change
// together). Integers are big-endian.
//
// Row codec v2 (blocks of SST format version 2, the one written): the key is
// prefix-compressed against the previous row of the block, so a decoder carries it along:
//   varint shared | varint unshared | varint value_len | key suffix | value |
//   u64 seq | u8 flags | [i64 expire_ts] | [i64 create_ts]
// Row codec v0 (blocks of SST format version 1, read only): the key shares a prefix with
// the FIRST key of its block:
//   u16 prefix_len | u16 suffix_len | key suffix | u64 seq | u8 flags | [i64 expire_ts] |
//   [i64 create_ts] | [u32 value_len | value]   (the value part is absent for tombstones)
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "format/row.h"
#include "slatedb/status.h"

namespace slatedb {

// Row flag bits (both codecs). Any other bit set, or tombstone and merge together, is
// corruption.
inline constexpr uint8_t kRowFlagTombstone = 0x01;
inline constexpr uint8_t kRowFlagHasExpireTs = 0x02;
inline constexpr uint8_t kRowFlagHasCreateTs = 0x04;
inline constexpr uint8_t kRowFlagMerge = 0x08;
inline constexpr uint8_t kRowFlagsKnown = 0x0f;

// Length of the common prefix of a and b.
size_t SharedPrefixLength(std::string_view a, std::string_view b);

// Bytes EncodeRow(row, shared, ...) appends (codec v2). REQUIRES: shared <= row.key.size().
size_t EncodedRowSize(const RowView& row, size_t shared);

// Appends the v2 encoding of `row`, whose first `shared` key bytes equal the previous row's.
// Tombstones are written with an empty value whatever row.value holds.
// REQUIRES: shared <= row.key.size(); key and value sizes fit in 32 bits.
void EncodeRow(const RowView& row, size_t shared, std::string* dst);

// Decodes one v2 row from the front of `*input` and advances past it. `*key` holds the
// previous row's key on entry (empty for the first row of a restart run) and the row's full
// key on return; row->key views *key and row->value views the input. Returns Data naming
// the fault if the row is truncated or malformed; `*input`, `*key` and `*row` are then
// unspecified.
Status DecodeRow(std::string_view* input, std::string* key, RowView* row);

// Decodes one v0 row from the front of `*input`. `first_key` is the block's first key
// (empty while decoding that first row); `*key` receives the row's full key, which
// row->key views. Same error contract as DecodeRow.
Status DecodeRowV0(std::string_view* input, std::string_view first_key, std::string* key,
                   RowView* row);

}  // namespace slatedb
