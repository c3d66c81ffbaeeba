// SPDX-License-Identifier: Apache-2.0
//
// Row codecs and data blocks of both versions: the byte layout the format prescribes, every
// flag combination, restart points every 16 rows, the block-full rule, Seek to every key /
// between keys / past the end, and malformed blocks reported as Data rather than misread.
#include <catch2/catch.hpp>

#include <algorithm>
#include <string>
#include <vector>

#include "format/block.h"
#include "format/block_builder.h"
#include "format/row_codec.h"
#include "format_test_util.h"
#include "legacy_format.h"
#include "slatedb/options.h"
#include "util/coding.h"

namespace slatedb {
namespace {

using testing::KeyOf;
using testing::SameRow;
using testing::SameRows;
using testing::Stored;
using testing::Unhex;

Block MustParse(std::string bytes, uint16_t version = kBlockFormatV2) {
  Result<Block> block = Block::Parse(std::move(bytes), version);
  REQUIRE(block.ok());
  return std::move(block).value();
}

std::vector<Row> ReadAll(const Block& block, Status* status = nullptr) {
  std::vector<Row> rows;
  Block::Iterator it(&block);
  for (it.SeekToFirst(); it.Valid(); it.Next()) rows.push_back(Row::From(it.row()));
  if (status != nullptr) *status = it.status();
  return rows;
}

std::string BuildV2(const std::vector<Row>& rows, size_t block_size = 1 << 20) {
  BlockBuilder builder(block_size);
  for (const Row& row : rows) {
    REQUIRE(builder.WouldFit(row.view()));
    builder.Add(row.view());
  }
  return builder.Finish();
}

std::vector<Row> EveryFlagCombination() {
  std::vector<Row> rows;
  int i = 0;
  for (RowKind kind : {RowKind::kValue, RowKind::kTombstone, RowKind::kMerge}) {
    for (bool expire : {false, true}) {
      for (bool create : {false, true}) {
        for (bool empty_value : {false, true}) {
          Row row;
          row.key = KeyOf(i);
          row.seq = 1000 + i;
          row.kind = kind;
          if (!empty_value) row.value = "value-" + std::to_string(i);
          if (expire) row.expire_ts = -5 + i;  // negative timestamps are legal values
          if (create) row.create_ts = INT64_MAX - i;
          rows.push_back(row);
          ++i;
        }
      }
    }
  }
  return rows;
}

std::vector<Row> Expected(const std::vector<Row>& rows) {
  std::vector<Row> out;
  for (const Row& row : rows) out.push_back(Stored(row));
  return out;
}

TEST_CASE("row codec v2 writes the format's bytes", "[format]") {
  // varint shared | varint unshared | varint value_len | suffix | value | u64 BE seq |
  // u8 flags | [i64 BE expire] | [i64 BE create]; flags: tombstone 1, expire 2, create 4,
  // merge 8.
  std::string put;
  EncodeRow(Row{"key00001", 0x0102, RowKind::kValue, "v", kNoTimestamp, 0x1a2b}.view(), 5, &put);
  CHECK(testing::Hex(put) ==
        "05"
        "03"
        "01"
        "303031"
        "76"
        "0000000000000102"
        "04"
        "0000000000001a2b");
  std::string del;
  EncodeRow(Row{"k", 7, RowKind::kTombstone, "ignored", kNoTimestamp, 9}.view(), 0, &del);
  CHECK(testing::Hex(del) ==
        "00"
        "01"
        "00"
        "6b"
        "0000000000000007"
        "05"
        "0000000000000009");
  std::string merge;
  EncodeRow(Row{"m", 3, RowKind::kMerge, "+", 20, 10}.view(), 0, &merge);
  CHECK(testing::Hex(merge) ==
        "00"
        "01"
        "01"
        "6d"
        "2b"
        "0000000000000003"
        "0e"
        "0000000000000014"
        "000000000000000a");
  std::string ttl;
  EncodeRow(Row{"t", 1, RowKind::kValue, "", 5, kNoTimestamp}.view(), 0, &ttl);
  CHECK(testing::Hex(ttl) ==
        "00"
        "01"
        "00"
        "74"
        "0000000000000001"
        "02"
        "0000000000000005");
  // A long suffix takes a multi-byte varint.
  std::string long_key;
  EncodeRow(Row{std::string(200, 'k'), 1, RowKind::kValue, ""}.view(), 0, &long_key);
  CHECK(testing::Hex(long_key.substr(0, 4)) == "00c80100");
}

TEST_CASE("row codec v2 round-trips every flag combination", "[format]") {
  for (const Row& row : EveryFlagCombination()) {
    for (size_t shared : {size_t{0}, size_t{3}, row.key.size()}) {
      std::string buf;
      EncodeRow(row.view(), shared, &buf);
      CHECK(buf.size() == EncodedRowSize(row.view(), shared));
      std::string key = row.key.substr(0, shared) + "garbage-beyond-shared";
      std::string_view in = buf;
      RowView view;
      REQUIRE(DecodeRow(&in, &key, &view).ok());
      CHECK(in.empty());
      CHECK(SameRow(Row::From(view), Stored(row)));
    }
  }
}

TEST_CASE("row codec v0 decodes the format's legacy bytes", "[format]") {
  // u16 BE prefix (shared with the block's FIRST key) | u16 BE suffix length | suffix |
  // u64 BE seq | u8 flags | [expire] | [create] | u32 BE value length | value.
  const std::string first = Unhex(
      "0000"
      "0004"
      "61626364"
      "0000000000000009"
      "04"
      "0000000000000064"
      "00000002"
      "7676");
  std::string_view in = first;
  std::string key;
  RowView row;
  REQUIRE(DecodeRowV0(&in, std::string_view(), &key, &row).ok());
  CHECK(in.empty());
  CHECK(Row::From(row).key == "abcd");
  CHECK(row.seq == 9);
  CHECK(row.create_ts == 100);
  CHECK(row.value == "vv");
  // A tombstone sharing "ab" with the first key: no value part at all.
  const std::string tomb = Unhex(
      "0002"
      "0001"
      "7a"
      "0000000000000008"
      "01");
  in = tomb;
  REQUIRE(DecodeRowV0(&in, "abcd", &key, &row).ok());
  CHECK(in.empty());
  CHECK(key == "abz");
  CHECK(row.kind == RowKind::kTombstone);
  // Every row of every kind round-trips through the test encoder.
  std::vector<Row> rows = EveryFlagCombination();
  for (const Row& r : rows) {
    std::string buf;
    testing::EncodeRowV0(r.view(), rows[0].key, &buf);
    std::string_view view_in = buf;
    RowView decoded;
    REQUIRE(DecodeRowV0(&view_in, rows[0].key, &key, &decoded).ok());
    CHECK(view_in.empty());
    CHECK(SameRow(Row::From(decoded), Stored(r)));
  }
  // Prefix longer than the first key, and every truncation, are Data.
  const std::string too_long = Unhex(
      "0009"
      "0000"
      "0000000000000008"
      "01");
  in = too_long;
  CHECK(DecodeRowV0(&in, "abcd", &key, &row).code() == StatusCode::kData);
  for (size_t n = 0; n < first.size(); ++n) {
    std::string_view cut(first.data(), n);
    CHECK(DecodeRowV0(&cut, std::string_view(), &key, &row).code() == StatusCode::kData);
  }
}

TEST_CASE("row codecs reject every truncation and malformed flags", "[format]") {
  Row row{"some-key", 42, RowKind::kValue, "some-value", 7, 8};
  std::string buf;
  EncodeRow(row.view(), 0, &buf);
  for (size_t n = 0; n < buf.size(); ++n) {
    std::string_view in(buf.data(), n);
    std::string key;
    RowView view;
    CHECK(DecodeRow(&in, &key, &view).code() == StatusCode::kData);
  }
  // The flags byte sits right after seq; set each bad combination in turn.
  const size_t flags_at = 3 + row.key.size() + row.value.size() + 8;
  auto with_flags = [&](uint8_t flags) {
    std::string bad = buf;
    bad[flags_at] = static_cast<char>(flags);
    std::string_view in = bad;
    std::string key;
    RowView view;
    return DecodeRow(&in, &key, &view);
  };
  CHECK(with_flags(0x10).code() == StatusCode::kData);  // unknown bit
  CHECK(with_flags(0x80).code() == StatusCode::kData);
  CHECK(with_flags(kRowFlagTombstone | kRowFlagMerge).code() == StatusCode::kData);
  CHECK(with_flags(kRowFlagTombstone | kRowFlagHasExpireTs | kRowFlagHasCreateTs).code() ==
        StatusCode::kData);  // a tombstone whose value_len is not 0
  // A shared prefix longer than the previous key.
  std::string shared_buf;
  EncodeRow(row.view(), 4, &shared_buf);
  std::string_view in = shared_buf;
  std::string short_key = "abc";
  RowView view;
  CHECK(DecodeRow(&in, &short_key, &view).code() == StatusCode::kData);
}

TEST_CASE("block v2 layout: restarts every 16 rows, u16 BE trailer", "[format]") {
  std::vector<Row> rows;
  for (int i = 0; i < 40; ++i) rows.push_back(Row{KeyOf(i), 100, RowKind::kValue, "x"});
  const std::string bytes = BuildV2(rows);
  const uint16_t count = DecodeBigEndian16(bytes.data() + bytes.size() - 2);
  REQUIRE(count == 3);  // rows 0, 16 and 32
  const size_t trailer = bytes.size() - 2 - 2 * count;
  std::vector<uint16_t> restarts;
  for (size_t i = 0; i < count; ++i)
    restarts.push_back(DecodeBigEndian16(bytes.data() + trailer + 2 * i));
  CHECK(restarts[0] == 0);
  // Each restart row stores its whole key (shared = 0); the rows between share a prefix.
  std::string_view rows_region(bytes.data(), trailer);
  std::string prev;
  size_t offset = 0;
  for (int i = 0; i < 40; ++i) {
    std::string_view in = rows_region.substr(offset);
    uint32_t shared = 0;
    std::string_view peek = in;
    REQUIRE(GetVarint32(&peek, &shared));
    if (i % 16 == 0) {
      CHECK(offset == restarts[i / 16]);
      CHECK(shared == 0);
    } else {
      CHECK(shared == SharedPrefixLength(KeyOf(i - 1), KeyOf(i)));
      CHECK(shared > 0);
    }
    RowView row;
    REQUIRE(DecodeRow(&in, &prev, &row).ok());
    offset = rows_region.size() - in.size();
  }
  CHECK(offset == trailer);
  Block block = MustParse(bytes);
  CHECK(block.num_offsets() == 3);
  CHECK(SameRows(ReadAll(block), rows));
}

TEST_CASE("block v2 round-trips rows with every flag combination", "[format]") {
  const std::vector<Row> rows = EveryFlagCombination();
  BlockBuilder builder(1 << 20);
  for (const Row& row : rows) builder.Add(row.view());
  const size_t size = builder.CurrentSize();
  std::string bytes = builder.Finish();
  CHECK(bytes.size() == size);
  CHECK(builder.empty());
  Block block = MustParse(std::move(bytes));
  Status status;
  CHECK(SameRows(ReadAll(block, &status), Expected(rows)));
  CHECK(status.ok());
}

TEST_CASE("block-full rule: size with the row (and a new restart offset) within the block",
          "[format]") {
  testing::TestRandom rnd(7);
  for (size_t block_size : {64, 256, 1024, 4096}) {
    BlockBuilder builder(block_size);
    int added = 0;
    for (int i = 0; i < 2000; ++i) {
      Row row{KeyOf(i), static_cast<uint64_t>(i), RowKind::kValue, rnd.Bytes(rnd.Uniform(40))};
      // What the rule says, computed independently.
      const bool restart = added % kBlockRestartInterval == 0;
      const size_t shared = restart ? 0 : SharedPrefixLength(builder.last_key(), row.key);
      const size_t with =
          builder.CurrentSize() + EncodedRowSize(row.view(), shared) + (restart ? 2 : 0);
      const bool fits = builder.empty() || with <= block_size;
      REQUIRE(builder.WouldFit(row.view()) == fits);
      if (!fits) {
        const size_t before = builder.CurrentSize();
        CHECK(builder.Finish().size() == before);
        CHECK(before <= block_size);
        added = 0;
      }
      builder.Add(row.view());
      ++added;
    }
  }
  // An empty block takes a row larger than the block; nothing else fits after it.
  BlockBuilder small(100);
  Row big{"big", 1, RowKind::kValue, std::string(500, 'v')};
  REQUIRE(small.WouldFit(big.view()));
  small.Add(big.view());
  CHECK_FALSE(small.WouldFit(Row{"c", 1, RowKind::kValue, ""}.view()));
  Block block = MustParse(small.Finish());
  CHECK(SameRows(ReadAll(block), {big}));
}

TEST_CASE("block with 64 KiB keys and empty values", "[format]") {
  std::vector<Row> rows;
  rows.push_back(Row{std::string(kMaxKeyBytes, 'k'), 3, RowKind::kValue, ""});
  rows.push_back(Row{std::string(kMaxKeyBytes - 1, 'k') + "l", 2, RowKind::kValue, "v"});
  rows.push_back(Row{std::string(kMaxKeyBytes, 'z'), 1, RowKind::kTombstone, ""});
  std::sort(rows.begin(), rows.end(), [](const Row& a, const Row& b) {
    return CompareInternal(a.key, a.seq, b.key, b.seq) < 0;
  });
  // One row per block at 64 KiB, as the block-full rule gives.
  for (const Row& row : rows) {
    Block block = MustParse(BuildV2({row}, 65536));
    CHECK(SameRows(ReadAll(block), {row}));
    Block::Iterator it(&block);
    it.Seek(row.key);
    REQUIRE(it.Valid());
    CHECK(it.row().key == row.key);
  }
}

TEST_CASE("empty blocks parse and iterate nothing", "[format]") {
  for (uint16_t version : {kBlockFormatV1, kBlockFormatV2}) {
    Block block = MustParse(std::string("\x00\x00", 2), version);
    Block::Iterator it(&block);
    it.SeekToFirst();
    CHECK_FALSE(it.Valid());
    it.Seek("a");
    CHECK_FALSE(it.Valid());
    CHECK(it.status().ok());
  }
}

std::vector<Row> VersionedRows() {
  // Several versions per key so versions straddle restart points.
  std::vector<Row> rows;
  uint64_t seq = 100000;
  for (int k = 0; k < 200; ++k) {
    for (int v = 0; v < 1 + k % 5; ++v) {
      rows.push_back(Row{KeyOf(k * 2), seq--, RowKind::kValue, "v" + std::to_string(v)});
    }
  }
  return rows;
}

void CheckSeeks(const Block& block, const std::vector<Row>& rows) {
  Block::Iterator it(&block);
  for (size_t i = 0; i < rows.size(); ++i) {
    if (i > 0 && rows[i].key == rows[i - 1].key) continue;
    it.Seek(rows[i].key);  // lands on the newest version
    REQUIRE(it.Valid());
    CHECK(it.row().key == rows[i].key);
    CHECK(it.row().seq == rows[i].seq);
  }
  for (int k = 0; k < 200; ++k) {
    it.Seek(KeyOf(k * 2 + 1));  // between keys: the next key's newest version
    if (k == 199) {
      CHECK_FALSE(it.Valid());
    } else {
      REQUIRE(it.Valid());
      CHECK(it.row().key == KeyOf(k * 2 + 2));
    }
  }
  it.Seek("");
  REQUIRE(it.Valid());
  CHECK(it.row().key == rows.front().key);
  it.Seek("zzz");
  CHECK_FALSE(it.Valid());
  CHECK(it.status().ok());
  it.Seek(KeyOf(100));  // Seek then Next walks the rest in order
  size_t count = 0;
  for (; it.Valid(); it.Next()) ++count;
  size_t expected = 0;
  for (const Row& r : rows) expected += r.key >= KeyOf(100) ? 1 : 0;
  CHECK(count == expected);
}

TEST_CASE("block Seek finds every key, keys between, and past the end (v2 and v1)", "[format]") {
  const std::vector<Row> rows = VersionedRows();
  Block v2 = MustParse(BuildV2(rows));
  REQUIRE(v2.num_offsets() > 10);
  CheckSeeks(v2, rows);
  // Version 1: v0 rows, keys prefix-compressed against the block's first key, one offset
  // per row. 200 short rows keep the offsets within 16 bits.
  Block v1 = MustParse(testing::EncodeBlockV1(rows), kBlockFormatV1);
  CHECK(v1.num_offsets() == rows.size());
  CHECK(SameRows(ReadAll(v1), rows));
  CheckSeeks(v1, rows);
}

// SeekForward through ascending targets (sparse and dense, keys present and between keys,
// with rows consumed by Next in between, as MultiGet does) lands where Seek lands.
void CheckSeekForward(const Block& block) {
  for (int stride : {1, 2, 3, 17, 40, 150}) {
    for (int consume : {0, 1, 3}) {
      CAPTURE(stride, consume);
      Block::Iterator forward(&block);
      Block::Iterator fresh(&block);
      forward.SeekToFirst();
      for (int t = 0; t < 401; t += stride) {
        const std::string target = KeyOf(t);  // even t: a key; odd t: between keys
        forward.SeekForward(target);
        fresh.Seek(target);
        REQUIRE(forward.Valid() == fresh.Valid());
        if (!fresh.Valid()) break;
        CHECK(forward.row().key == fresh.row().key);
        CHECK(forward.row().seq == fresh.row().seq);
        // Read on through this key's versions, not past it.
        for (int c = 0; c < consume && forward.Valid() && forward.row().key == target; ++c) {
          forward.Next();
        }
      }
      CHECK(forward.status().ok());
    }
  }
  // Past the end, and a fresh (unpositioned) iterator.
  Block::Iterator it(&block);
  it.SeekForward(KeyOf(7));
  REQUIRE(it.Valid());
  CHECK(it.row().key == KeyOf(8));
  it.SeekForward("zzz");
  CHECK_FALSE(it.Valid());
  CHECK(it.status().ok());
}

TEST_CASE("block SeekForward lands where Seek does (v2 and v1)", "[format]") {
  const std::vector<Row> rows = VersionedRows();
  CheckSeekForward(MustParse(BuildV2(rows)));
  CheckSeekForward(MustParse(testing::EncodeBlockV1(rows), kBlockFormatV1));
}

TEST_CASE("block v1 reads every row kind", "[format]") {
  std::vector<Row> rows = EveryFlagCombination();
  Block v1 = MustParse(testing::EncodeBlockV1(rows), kBlockFormatV1);
  CHECK(SameRows(ReadAll(v1), Expected(rows)));
  // The same bytes read as version 2 are not silently accepted as the same rows.
  Result<Block> wrong = Block::Parse(testing::EncodeBlockV1(rows), kBlockFormatV2);
  if (wrong.ok()) {
    Status status;
    std::vector<Row> got = ReadAll(*wrong, &status);
    CHECK(!(status.ok() && SameRows(got, Expected(rows))));
  }
  CHECK(Block::Parse(std::string("\x00\x00", 2), 3).status().code() ==
        StatusCode::kData);  // unknown version
}

TEST_CASE("block iterators stay correct when copied and moved", "[format]") {
  std::vector<Row> rows;
  // Short keys (inside std::string's small buffer) are the case a stale view would break.
  for (int i = 0; i < 20; ++i) rows.push_back(Row{KeyOf(i), 1, RowKind::kValue, "v"});
  for (uint16_t version : {kBlockFormatV1, kBlockFormatV2}) {
    Block block = MustParse(
        version == kBlockFormatV1 ? testing::EncodeBlockV1(rows) : BuildV2(rows), version);
    Block::Iterator it(&block);
    it.Seek(KeyOf(3));
    REQUIRE(it.Valid());
    Block::Iterator copy = it;
    Block::Iterator moved = std::move(it);
    CHECK(copy.row().key == KeyOf(3));
    CHECK(moved.row().key == KeyOf(3));
    copy.Next();
    CHECK(copy.row().key == KeyOf(4));
    CHECK(moved.row().key == KeyOf(3));
  }
}

TEST_CASE("block Parse rejects malformed trailers", "[format]") {
  std::vector<Row> rows;
  for (int i = 0; i < 40; ++i) rows.push_back(Row{KeyOf(i), 1, RowKind::kValue, "x"});
  const std::string good = BuildV2(rows);
  CHECK(Block::Parse(good, kBlockFormatV2).ok());
  // Every truncation: the trailer is read from the wrong place, so it must fail or (rarely)
  // parse to something whose rows then fail; never crash.
  for (uint16_t version : {kBlockFormatV1, kBlockFormatV2}) {
    for (size_t n = 0; n < good.size(); ++n) {
      Result<Block> block = Block::Parse(good.substr(0, n), version);
      if (!block.ok()) {
        CHECK(block.status().code() == StatusCode::kData);
        continue;
      }
      Status status;
      ReadAll(*block, &status);
      CHECK((status.ok() || status.code() == StatusCode::kData));
    }
  }
  std::string bad = good;
  EncodeBigEndian16(bad.data() + bad.size() - 2, 1000);  // more offsets than bytes
  CHECK(Block::Parse(bad, kBlockFormatV2).status().code() == StatusCode::kData);
  bad = good;
  EncodeBigEndian16(bad.data() + bad.size() - 6, 0);  // restart 1 not after restart 0
  CHECK(Block::Parse(bad, kBlockFormatV2).status().code() == StatusCode::kData);
  bad = good;
  EncodeBigEndian16(bad.data() + bad.size() - 8, 1);  // restart 0 not at 0
  CHECK(Block::Parse(bad, kBlockFormatV2).status().code() == StatusCode::kData);
  CHECK(Block::Parse(std::string("\x00", 1), kBlockFormatV2).status().code() == StatusCode::kData);
}

TEST_CASE("corrupt rows stop iteration with Data", "[format]") {
  std::vector<Row> rows;
  for (int i = 0; i < 40; ++i) rows.push_back(Row{KeyOf(i), 1, RowKind::kValue, "x"});
  for (uint16_t version : {kBlockFormatV1, kBlockFormatV2}) {
    const std::string good =
        version == kBlockFormatV1 ? testing::EncodeBlockV1(rows) : BuildV2(rows);
    const size_t count = DecodeBigEndian16(good.data() + good.size() - 2);
    const size_t rows_size = good.size() - 2 - 2 * count;
    // Flip every bit of the row region; iteration and seeks must not crash, and anything
    // they report as an error must be Data.
    for (size_t bit = 0; bit < rows_size * 8; ++bit) {
      std::string bad = good;
      bad[bit / 8] ^= static_cast<char>(1 << (bit % 8));
      Result<Block> block = Block::Parse(bad, version);
      REQUIRE(block.ok());
      Status status;
      ReadAll(*block, &status);
      CHECK((status.ok() || status.code() == StatusCode::kData));
      Block::Iterator it(&*block);
      it.Seek(KeyOf(25));
      CHECK((it.status().ok() || it.status().code() == StatusCode::kData));
    }
  }
}

}  // namespace
}  // namespace slatedb
