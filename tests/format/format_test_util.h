// SPDX-License-Identifier: Apache-2.0
//
// Helpers shared by the format tests: deterministic row sets and a full decode of an SST
// object through the public reader functions, the way the engine reads it (info from the
// tail, then index, every block and the filter).
#pragma once

#include <cstdint>
#include <cstdio>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "format/row.h"
#include "format/sst_builder.h"
#include "format/sst_reader.h"
#include "slatedb/result.h"

namespace slatedb::testing {

inline bool SameRow(const Row& a, const Row& b) {
  return a.key == b.key && a.seq == b.seq && a.kind == b.kind && a.value == b.value &&
         a.expire_ts == b.expire_ts && a.create_ts == b.create_ts;
}

inline bool SameRows(const std::vector<Row>& a, const std::vector<Row>& b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (!SameRow(a[i], b[i])) return false;
  }
  return true;
}

// What a reader gives back for `row`: tombstones lose any value.
inline Row Stored(Row row) {
  if (row.kind == RowKind::kTombstone) row.value.clear();
  return row;
}

inline std::string Hex(std::string_view bytes) {
  static const char* kDigits = "0123456789abcdef";
  std::string out;
  for (unsigned char c : bytes) {
    out.push_back(kDigits[c >> 4]);
    out.push_back(kDigits[c & 15]);
  }
  return out;
}

inline std::string Unhex(std::string_view hex) {
  auto nibble = [](char c) { return c <= '9' ? c - '0' : c - 'a' + 10; };
  std::string out;
  for (size_t i = 0; i + 1 < hex.size(); i += 2) {
    out.push_back(static_cast<char>(nibble(hex[i]) * 16 + nibble(hex[i + 1])));
  }
  return out;
}

inline std::string KeyOf(int i) {
  char buf[32];
  std::snprintf(buf, sizeof(buf), "key%06d", i);
  return buf;
}

// A small deterministic generator (xorshift), so failures replay exactly.
class TestRandom {
 public:
  explicit TestRandom(uint64_t seed) : state_(seed * 0x9E3779B97F4A7C15ull + 1) {}
  uint64_t Next() {
    state_ ^= state_ << 13;
    state_ ^= state_ >> 7;
    state_ ^= state_ << 17;
    return state_;
  }
  uint32_t Uniform(uint32_t n) { return static_cast<uint32_t>(Next() % n); }
  std::string Bytes(size_t n) {
    std::string s(n, '\0');
    for (auto& c : s) c = static_cast<char>(Next() & 0xff);
    return s;
  }

 private:
  uint64_t state_;
};

// Rows in internal order: `num_keys` keys, each with 1..max_versions versions (newest
// first), mixed kinds and timestamps, values of 0..max_value bytes.
inline std::vector<Row> MakeSortedRows(int num_keys, int max_versions, size_t max_value,
                                       uint64_t seed) {
  TestRandom rnd(seed);
  std::vector<Row> rows;
  uint64_t seq = 1'000'000;
  for (int k = 0; k < num_keys; ++k) {
    const int versions = 1 + static_cast<int>(rnd.Uniform(static_cast<uint32_t>(max_versions)));
    for (int v = 0; v < versions; ++v) {
      Row row;
      row.key = KeyOf(k);
      row.seq = seq--;
      const uint32_t kind = rnd.Uniform(10);
      row.kind = kind == 0 ? RowKind::kTombstone : kind == 1 ? RowKind::kMerge : RowKind::kValue;
      if (row.kind != RowKind::kTombstone) {
        row.value = rnd.Bytes(rnd.Uniform(static_cast<uint32_t>(max_value + 1)));
      }
      if (rnd.Uniform(3) == 0) row.expire_ts = 1'700'000'000'000 + rnd.Uniform(1000);
      if (rnd.Uniform(2) == 0) row.create_ts = 1'600'000'000'000 + rnd.Uniform(1000);
      rows.push_back(std::move(row));
    }
  }
  // Sequence numbers were handed out descending across keys; internal order only needs them
  // descending within a key, which holds.
  return rows;
}

inline Result<EncodedSst> BuildSst(const std::vector<Row>& rows, const SstBuilderOptions& opts) {
  SstBuilder builder(opts);
  for (const Row& row : rows) builder.Add(row.view());
  return builder.Finish();
}

// Everything a reader can get out of an object.
struct DecodedSst {
  SstInfo info;
  std::vector<Row> rows;
  std::vector<BlockHandle> blocks;
  std::vector<std::string> index_keys;
  std::optional<BloomFilter> filter;
  std::optional<SstStats> stats;
};

// Decodes the whole object via the reader functions, the way the engine reads it (info
// from the tail, then index, every block, the filter and stats); the first error, if any.
// `format_version`, when given, overrides the footer's (a manifest chooses the block
// decoder of compacted SSTs).
inline Result<DecodedSst> DecodeWholeSst(std::string_view object,
                                         std::optional<uint16_t> format_version = {}) {
  DecodedSst out;
  SLATEDB_ASSIGN_OR_RETURN(out.info, DecodeSstInfoFromObject(object));
  if (format_version) out.info.format_version = *format_version;
  SLATEDB_ASSIGN_OR_RETURN(std::string_view stored_index,
                           SliceRange(object, 0, {out.info.index_offset, out.info.index_len}));
  SLATEDB_ASSIGN_OR_RETURN(SstIndex index, DecodeIndex(stored_index, out.info));
  for (size_t i = 0; i < index.num_blocks(); ++i) {
    const BlockHandle h = index.block(i);
    out.blocks.push_back(h);
    out.index_keys.emplace_back(index.first_key(i));
    SLATEDB_ASSIGN_OR_RETURN(std::string_view stored, SliceRange(object, 0, {h.offset, h.length}));
    SLATEDB_ASSIGN_OR_RETURN(Block block, DecodeDataBlock(stored, out.info));
    Block::Iterator it(&block);
    for (it.SeekToFirst(); it.Valid(); it.Next()) out.rows.push_back(Row::From(it.row()));
    SLATEDB_RETURN_IF_ERROR(it.status());
  }
  if (out.info.has_filter()) {
    SLATEDB_ASSIGN_OR_RETURN(std::string_view stored_filter,
                             SliceRange(object, 0, {out.info.filter_offset, out.info.filter_len}));
    SLATEDB_ASSIGN_OR_RETURN(out.filter, DecodeFilter(stored_filter, out.info));
    if (!out.filter) return Status::Data("filter section holds no bloom filter");
  }
  if (out.info.stats_len > 0) {
    SLATEDB_ASSIGN_OR_RETURN(std::string_view stored_stats,
                             SliceRange(object, 0, {out.info.stats_offset, out.info.stats_len}));
    SLATEDB_ASSIGN_OR_RETURN(SstStats stats, DecodeStats(stored_stats, out.info));
    if (stats.rows() != out.rows.size()) return Status::Data("row count differs from the stats");
    if (stats.blocks.size() != out.blocks.size()) {
      return Status::Data("block count differs from the stats");
    }
    out.stats = std::move(stats);
  }
  return out;
}

// The bytes of a file under tests/format/data (fixtures written by upstream SlateDB).
std::string ReadFixture(const std::string& name);

}  // namespace slatedb::testing
