// SPDX-License-Identifier: Apache-2.0
//
// The binary encoding of one row inside a data block. Keys are prefix-compressed against the
// previous row of the block, so a decoder carries the previous key along:
//   varint32 shared | varint32 unshared | varint32 value_len | key suffix | value |
//   u64 seq | u8 flags | [i64 expire_ts] | [i64 create_ts]
// docs/format-sst.md is the reference; this file and it change together.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "format/row.h"
#include "slatedb/status.h"

namespace slatedb {

// Row flag bits. Any other bit set is corruption (a newer format would bump the version).
inline constexpr uint8_t kRowFlagTombstone = 0x01;
inline constexpr uint8_t kRowFlagMerge = 0x02;
inline constexpr uint8_t kRowFlagHasExpireTs = 0x04;
inline constexpr uint8_t kRowFlagHasCreateTs = 0x08;
inline constexpr uint8_t kRowFlagsKnown = 0x0f;

// Length of the common prefix of a and b.
size_t SharedPrefixLength(std::string_view a, std::string_view b);

// Bytes EncodeRow(row, shared, ...) appends. REQUIRES: shared <= row.key.size().
size_t EncodedRowSize(const RowView& row, size_t shared);

// Appends the encoding of `row`, whose first `shared` key bytes equal the previous row's.
// Tombstones are written with an empty value whatever row.value holds.
// REQUIRES: shared <= row.key.size(); key and value sizes fit in 32 bits.
void EncodeRow(const RowView& row, size_t shared, std::string* dst);

// Decodes one row from the front of `*input` and advances past it. `*key` holds the previous
// row's key on entry (empty for the first row of a restart run) and the row's full key on
// return; row->key views *key and row->value views the input. Returns Data naming the fault
// if the row is truncated or malformed; `*input`, `*key` and `*row` are then unspecified.
Status DecodeRow(std::string_view* input, std::string* key, RowView* row);

}  // namespace slatedb
