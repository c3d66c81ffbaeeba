// SPDX-License-Identifier: Apache-2.0
//
// SST build and read round trips: many versions per key spanning blocks, the index's
// separators and FindBlock for every key, the in-memory iterator's Seek, every codec, the
// section layout and stats, WAL SSTs in seq order, and the builder's checks on its input.
#include <catch2/catch.hpp>

#include <algorithm>
#include <memory>
#include <string>
#include <vector>

#include "format/compression.h"
#include "format/sst_builder.h"
#include "format/sst_iterator.h"
#include "format/sst_reader.h"
#include "format_test_util.h"
#include "util/checksum.h"
#include "util/coding.h"

namespace slatedb {
namespace {

using testing::BuildSst;
using testing::DecodeWholeSst;
using testing::KeyOf;
using testing::MakeSortedRows;
using testing::SameRow;
using testing::SameRows;
using testing::Stored;

std::vector<Row> StoredAll(const std::vector<Row>& rows) {
  std::vector<Row> out;
  for (const Row& r : rows) out.push_back(Stored(r));
  return out;
}

SstBuilderOptions Options(CompressionCodec codec) {
  SstBuilderOptions opts;
  opts.compression = codec;
  return opts;
}

constexpr CompressionCodec kCodecs[] = {CompressionCodec::kNone, CompressionCodec::kSnappy,
                                        CompressionCodec::kZlib, CompressionCodec::kLz4,
                                        CompressionCodec::kZstd};

// FindBlock(key) must be the block holding the newest version of `key` (the first row with
// a key >= it), or the block before when that row opens its block and the block's index key
// equals the key (its versions may continue from the previous block).
void CheckFindBlock(const SstIndex& index, const std::vector<Row>& rows,
                    const std::vector<size_t>& block_of_row) {
  for (size_t i = 0; i < rows.size(); ++i) {
    if (i > 0 && rows[i].key == rows[i - 1].key) continue;
    const size_t b = block_of_row[i];
    const bool opens_block = i == 0 || block_of_row[i - 1] != b;
    const size_t expected = opens_block && b > 0 && index.first_key(b) == rows[i].key ? b - 1 : b;
    INFO("key " << rows[i].key);
    CHECK(index.FindBlock(rows[i].key) == expected);
  }
}

TEST_CASE("SST round trip: 10k rows, versions spanning blocks, every codec", "[format]") {
  const std::vector<Row> rows = MakeSortedRows(600, 33, 120, 1);
  REQUIRE(rows.size() > 10000);
  for (CompressionCodec codec : kCodecs) {
    SECTION(std::string(CodecName(codec))) {
      SstBuilder builder(Options(codec));
      for (const Row& row : rows) builder.Add(row.view());
      const uint64_t estimate = builder.EstimatedSize();
      CHECK(builder.num_rows() == rows.size());
      Result<EncodedSst> sst = builder.Finish();
      REQUIRE(sst.ok());
      if (codec == CompressionCodec::kNone) {
        // The estimate tracks the real size closely when nothing is compressed.
        CHECK(estimate >= sst->data.size() * 95 / 100);
        CHECK(estimate <= sst->data.size() * 105 / 100);
      }
      const SstInfo& info = sst->info;
      CHECK(info.first_entry == rows.front().key);
      CHECK(info.last_entry == rows.back().key);
      CHECK(info.has_filter());
      CHECK(info.type == SstType::kCompacted);
      CHECK(info.compression == codec);
      CHECK(info.filter_format == FilterFormat::kComposite);
      CHECK(info.format_version == 2);
      // Layout: data | filter | index | stats | info | footer.
      CHECK(info.filter_offset + info.filter_len == info.index_offset);
      CHECK(info.index_offset + info.index_len == info.stats_offset);
      CHECK(info.sections_end() == info.stats_offset + info.stats_len);
      CHECK(info.approx_object_size() >= sst->data.size() - 200);
      CHECK(info.approx_object_size() <= sst->data.size() + 200);

      Result<testing::DecodedSst> decoded = DecodeWholeSst(sst->data);
      REQUIRE(decoded.ok());
      CHECK(decoded->info == info);
      CHECK(SameRows(decoded->rows, StoredAll(rows)));
      REQUIRE(decoded->blocks.size() > 100);
      REQUIRE(decoded->stats.has_value());
      CHECK(decoded->stats->blocks.size() == decoded->blocks.size());

      // Which block each row landed in, to check the index against.
      std::vector<size_t> block_of_row;
      std::string_view object = sst->data;
      Result<SstIndex> index =
          DecodeIndex(*SliceRange(object, 0, {info.index_offset, info.index_len}), info);
      REQUIRE(index.ok());
      CHECK(index->data_end() == info.filter_offset);
      for (size_t b = 0; b < index->num_blocks(); ++b) {
        const BlockHandle h = index->block(b);
        Result<Block> block = DecodeDataBlock(*SliceRange(object, 0, {h.offset, h.length}), info);
        REQUIRE(block.ok());
        CHECK(block->size() <= 4096);
        const size_t first_row = block_of_row.size();
        Block::Iterator it(&*block);
        for (it.SeekToFirst(); it.Valid(); it.Next()) block_of_row.push_back(b);
        REQUIRE(first_row < rows.size());
        // Index keys: empty for block 0, else the separator from the previous block.
        if (b == 0) {
          CHECK(index->first_key(b).empty());
        } else {
          const std::string& prev = rows[first_row - 1].key;
          const std::string& first = rows[first_row].key;
          CHECK(index->first_key(b) == IndexSeparator(prev, first));
          CHECK(index->first_key(b) <= first);
          CHECK((index->first_key(b) > prev || (prev == first && index->first_key(b) == first)));
        }
      }
      REQUIRE(block_of_row.size() == rows.size());
      // Some key's versions must actually span blocks for this test to mean anything.
      bool spans = false;
      for (size_t i = 1; i < rows.size(); ++i) {
        spans |= rows[i].key == rows[i - 1].key && block_of_row[i] != block_of_row[i - 1];
      }
      CHECK(spans);
      CheckFindBlock(*index, rows, block_of_row);
      CHECK(index->FindBlock("") == 0);
      CHECK(index->FindBlock("zzzz") == index->num_blocks() - 1);

      // The filter knows every key.
      REQUIRE(decoded->filter.has_value());
      for (const Row& row : rows) REQUIRE(decoded->filter->MayContain(row.key));

      // The metadata range covers filter and index and nothing else.
      const ByteRange meta = MetadataRange(info);
      CHECK(meta.offset == info.filter_offset);
      CHECK(meta.offset + meta.length == info.index_offset + info.index_len);
      // The tail decodes alone, given the object size.
      const uint64_t info_offset =
          DecodeBigEndian64(object.data() + object.size() - kSstFooterBytes);
      std::string_view tail = object.substr(info_offset);
      Result<SstInfo> from_tail = DecodeSstInfoFromTail(tail, object.size());
      REQUIRE(from_tail.ok());
      CHECK(*from_tail == info);
      CHECK(DecodeSstInfoFromTail(tail.substr(1), object.size()).status().code() ==
            StatusCode::kInvalid);
    }
  }
}

TEST_CASE("every section but the info is stored with the SST's codec and a CRC32", "[format]") {
  const std::vector<Row> rows = MakeSortedRows(200, 3, 60, 9);
  for (CompressionCodec codec : kCodecs) {
    SstBuilderOptions opts = Options(codec);
    opts.min_filter_keys = 10;
    Result<EncodedSst> sst = BuildSst(rows, opts);
    REQUIRE(sst.ok());
    const SstInfo& info = sst->info;
    const std::string_view object = sst->data;
    auto section = [&](uint64_t offset, uint64_t len) -> std::string {
      std::string_view stored = object.substr(offset, len);
      REQUIRE(stored.size() > 4);
      const std::string_view payload = stored.substr(0, stored.size() - 4);
      CHECK(Crc32(payload) == DecodeBigEndian32(stored.data() + payload.size()));
      Result<std::string> raw = DecompressBlock(codec, payload, "section");
      REQUIRE(raw.ok());
      return *raw;
    };
    const std::string filter = section(info.filter_offset, info.filter_len);
    CHECK(testing::Hex(filter.substr(0, 7)) ==
          "0001"
          "0003"
          "5f6266");  // one filter, "_bf"
    const std::string index = section(info.index_offset, info.index_len);
    CHECK(SstIndex::Parse(index, info.data_end(), true).ok());
    const std::string stats = section(info.stats_offset, info.stats_len);
    Result<SstStats> decoded_stats = DecodeSstStats(stats);
    REQUIRE(decoded_stats.ok());
    CHECK(decoded_stats->rows() == rows.size());
    // The info record is never compressed: FlatBuffer, CRC32, then the footer.
    const uint64_t info_offset = DecodeBigEndian64(object.data() + object.size() - 10);
    CHECK(DecodeBigEndian16(object.data() + object.size() - 2) == 2);
    const std::string_view record = object.substr(info_offset, object.size() - 10 - info_offset);
    Result<SstInfo> from_record = DecodeSstInfoRecord(record);
    REQUIRE(from_record.ok());
    CHECK(from_record->compression == codec);
  }
}

TEST_CASE("stats count rows by kind, per block, with raw key and value bytes", "[format]") {
  const std::vector<Row> rows = MakeSortedRows(400, 4, 50, 11);
  SstBuilderOptions opts;
  opts.block_size_bytes = 1024;
  Result<EncodedSst> sst = BuildSst(rows, opts);
  REQUIRE(sst.ok());
  Result<testing::DecodedSst> decoded = DecodeWholeSst(sst->data);
  REQUIRE(decoded.ok());
  REQUIRE(decoded->stats.has_value());
  SstStats expected;
  uint64_t puts = 0, deletes = 0, merges = 0, key_bytes = 0, value_bytes = 0;
  for (const Row& r : rows) {
    puts += r.kind == RowKind::kValue;
    deletes += r.kind == RowKind::kTombstone;
    merges += r.kind == RowKind::kMerge;
    key_bytes += r.key.size();
    if (r.kind != RowKind::kTombstone) value_bytes += r.value.size();
  }
  const SstStats& stats = *decoded->stats;
  CHECK(stats.num_puts == puts);
  CHECK(stats.num_deletes == deletes);
  CHECK(stats.num_merges == merges);
  CHECK(stats.key_bytes == key_bytes);
  CHECK(stats.value_bytes == value_bytes);
  REQUIRE(stats.blocks.size() == decoded->blocks.size());
  // Per block: count the rows each block holds.
  std::string_view object = sst->data;
  for (size_t b = 0; b < decoded->blocks.size(); ++b) {
    Result<Block> block = DecodeDataBlock(
        *SliceRange(object, 0, {decoded->blocks[b].offset, decoded->blocks[b].length}),
        decoded->info);
    REQUIRE(block.ok());
    BlockStats counted;
    Block::Iterator it(&*block);
    for (it.SeekToFirst(); it.Valid(); it.Next()) {
      counted.num_puts += it.row().kind == RowKind::kValue;
      counted.num_deletes += it.row().kind == RowKind::kTombstone;
      counted.num_merges += it.row().kind == RowKind::kMerge;
    }
    CHECK(stats.blocks[b] == counted);
  }
}

TEST_CASE("index separators: the format's shortest-separator rule", "[format]") {
  // P and F differ at j: F[0..=j]; P a prefix of F: F[0..|P|+1]; P == F: F.
  CHECK(IndexSeparator("key00127", "key00128") == "key00128");
  CHECK(IndexSeparator("key00129", "key00130") == "key0013");
  CHECK(IndexSeparator("abc", "abcdef") == "abcd");
  CHECK(IndexSeparator("same", "same") == "same");
  CHECK(IndexSeparator("a", "b") == "b");
  CHECK(IndexSeparator("", "b") == "b");
}

TEST_CASE("SstMemoryIterator walks and seeks a compacted SST", "[format]") {
  const std::vector<Row> rows = MakeSortedRows(300, 20, 60, 2);
  for (CompressionCodec codec : kCodecs) {
    SstBuilderOptions opts = Options(codec);
    opts.block_size_bytes = 1024;
    Result<EncodedSst> sst = BuildSst(rows, opts);
    REQUIRE(sst.ok());
    Result<std::unique_ptr<SstMemoryIterator>> opened = SstMemoryIterator::Open(sst->data);
    REQUIRE(opened.ok());
    SstMemoryIterator& it = **opened;
    std::vector<Row> got;
    for (it.SeekToFirst(); it.Valid(); it.Next()) got.push_back(Row::From(it.row()));
    REQUIRE(it.status().ok());
    CHECK(SameRows(got, StoredAll(rows)));

    // Seek to every key (newest version), between keys, and past the end.
    for (size_t i = 0; i < rows.size(); ++i) {
      if (i > 0 && rows[i].key == rows[i - 1].key) continue;
      it.Seek(rows[i].key);
      REQUIRE(it.Valid());
      CHECK(SameRow(Row::From(it.row()), Stored(rows[i])));
      // Between this key and the next: the next key's newest version.
      it.Seek(rows[i].key + std::string(1, '\0'));
      size_t next = i + 1;
      while (next < rows.size() && rows[next].key == rows[i].key) ++next;
      if (next < rows.size()) {
        REQUIRE(it.Valid());
        CHECK(SameRow(Row::From(it.row()), Stored(rows[next])));
      } else {
        CHECK_FALSE(it.Valid());
      }
    }
    it.Seek("");
    REQUIRE(it.Valid());
    CHECK(it.row().key == rows.front().key);
    it.Seek("zzz");
    CHECK_FALSE(it.Valid());
    CHECK(it.status().ok());
  }
}

TEST_CASE("WAL SSTs keep rows in seq order, keyed by seq, without filter or stats", "[format]") {
  testing::TestRandom rnd(3);
  std::vector<Row> rows;
  for (uint64_t seq = 1; seq <= 5000; ++seq) {
    Row row;
    row.key = KeyOf(static_cast<int>(rnd.Uniform(1000)));  // unsorted, with repeats
    row.seq = seq;
    row.kind = seq % 7 == 0 ? RowKind::kTombstone : RowKind::kValue;
    if (row.kind == RowKind::kValue) row.value = rnd.Bytes(rnd.Uniform(80));
    if (seq % 3 == 0) row.create_ts = 1000 - static_cast<int64_t>(seq);
    rows.push_back(row);
  }
  for (CompressionCodec codec : kCodecs) {
    SstBuilderOptions opts = Options(codec);
    opts.type = SstType::kWal;
    opts.min_filter_keys = 0;
    opts.block_size_bytes = 1024;  // ignored: WAL SSTs use 65535-byte blocks
    Result<EncodedSst> sst = BuildSst(rows, opts);
    REQUIRE(sst.ok());
    const SstInfo& info = sst->info;
    CHECK(info.type == SstType::kWal);
    CHECK_FALSE(info.has_filter());
    CHECK(info.filter_offset == info.index_offset);
    CHECK(info.stats_len == 0);
    CHECK(info.first_entry == std::string("\0\0\0\0\0\0\0\x01", 8));  // the first seq, BE
    CHECK(info.last_entry.empty());

    Result<testing::DecodedSst> decoded = DecodeWholeSst(sst->data);
    REQUIRE(decoded.ok());
    CHECK(SameRows(decoded->rows, StoredAll(rows)));
    REQUIRE(decoded->blocks.size() > 1);
    // Each block is keyed by its first row's seq, 8 bytes big-endian.
    size_t row = 0;
    for (size_t b = 0; b < decoded->blocks.size(); ++b) {
      REQUIRE(decoded->index_keys[b].size() == 8);
      const uint64_t seq = DecodeBigEndian64(decoded->index_keys[b].data());
      CHECK(seq == rows[row].seq);
      Result<Block> block = DecodeDataBlock(
          sst->data.substr(decoded->blocks[b].offset, decoded->blocks[b].length), decoded->info);
      REQUIRE(block.ok());
      CHECK(block->size() <= kWalBlockSizeBytes);
      if (codec == CompressionCodec::kNone && b + 1 < decoded->blocks.size()) {
        CHECK(block->size() > 60000);  // blocks fill to about 64 KiB
      }
      Block::Iterator it(&*block);
      for (it.SeekToFirst(); it.Valid(); it.Next()) ++row;
    }

    Result<std::unique_ptr<SstMemoryIterator>> opened = SstMemoryIterator::Open(sst->data);
    REQUIRE(opened.ok());
    std::vector<Row> got;
    for ((*opened)->SeekToFirst(); (*opened)->Valid(); (*opened)->Next()) {
      got.push_back(Row::From((*opened)->row()));
    }
    REQUIRE((*opened)->status().ok());
    CHECK(SameRows(got, StoredAll(rows)));
  }
}

TEST_CASE("filter only from min_filter_keys rows and with bits_per_key > 0", "[format]") {
  const std::vector<Row> rows = MakeSortedRows(50, 3, 10, 4);
  SstBuilderOptions opts;
  opts.min_filter_keys = static_cast<uint32_t>(rows.size());
  CHECK(BuildSst(rows, opts)->info.has_filter());
  opts.min_filter_keys = static_cast<uint32_t>(rows.size() + 1);
  CHECK_FALSE(BuildSst(rows, opts)->info.has_filter());
  opts.min_filter_keys = 0;
  opts.filter_policies.clear();
  CHECK_FALSE(BuildSst(rows, opts)->info.has_filter());
}

TEST_CASE("oversized rows get a block of their own", "[format]") {
  std::vector<Row> rows;
  rows.push_back(Row{"a", 9, RowKind::kValue, "small"});
  rows.push_back(Row{"b", 8, RowKind::kValue, std::string(100000, 'x')});
  rows.push_back(Row{"c", 7, RowKind::kValue, "small"});
  rows.push_back(Row{std::string(kMaxKeyBytes, 'd'), 6, RowKind::kMerge, "m"});
  SstBuilderOptions opts;
  opts.compression = CompressionCodec::kNone;
  Result<EncodedSst> sst = BuildSst(rows, opts);
  REQUIRE(sst.ok());
  Result<testing::DecodedSst> decoded = DecodeWholeSst(sst->data);
  REQUIRE(decoded.ok());
  CHECK(decoded->blocks.size() == 4);
  CHECK(SameRows(decoded->rows, rows));
  // Compressible large values are stored compressed, and still read back.
  opts.compression = CompressionCodec::kZstd;
  sst = BuildSst(rows, opts);
  REQUIRE(sst.ok());
  CHECK(sst->info.data_end() < 2000);  // the info record still holds the 64 KiB last key raw
  decoded = DecodeWholeSst(sst->data);
  REQUIRE(decoded.ok());
  CHECK(SameRows(decoded->rows, rows));
}

TEST_CASE("SstBuilder reports misuse at Finish", "[format]") {
  SECTION("no rows") {
    SstBuilder builder{SstBuilderOptions{}};
    CHECK(builder.Finish().status().code() == StatusCode::kInvalid);
  }
  SECTION("out of order") {
    SstBuilder builder{SstBuilderOptions{}};
    builder.Add(Row{"b", 5, RowKind::kValue, "x"}.view());
    builder.Add(Row{"a", 6, RowKind::kValue, "x"}.view());
    CHECK_FALSE(builder.status().ok());
    CHECK(builder.Finish().status().code() == StatusCode::kInternal);
  }
  SECTION("same key, seq not descending") {
    SstBuilder builder{SstBuilderOptions{}};
    builder.Add(Row{"a", 5, RowKind::kValue, "x"}.view());
    builder.Add(Row{"a", 5, RowKind::kValue, "x"}.view());
    CHECK(builder.Finish().status().code() == StatusCode::kInternal);
  }
  SECTION("empty key") {
    SstBuilder builder{SstBuilderOptions{}};
    builder.Add(Row{"", 5, RowKind::kValue, "x"}.view());
    CHECK(builder.Finish().status().code() == StatusCode::kInvalid);
  }
  SECTION("key too long") {
    SstBuilder builder{SstBuilderOptions{}};
    builder.Add(Row{std::string(kMaxKeyBytes + 1, 'k'), 5, RowKind::kValue, "x"}.view());
    CHECK(builder.Finish().status().code() == StatusCode::kInvalid);
  }
  SECTION("finish twice") {
    SstBuilder builder{SstBuilderOptions{}};
    builder.Add(Row{"a", 5, RowKind::kValue, "x"}.view());
    CHECK(builder.Finish().ok());
    CHECK(builder.Finish().status().code() == StatusCode::kInvalid);
  }
  SECTION("WAL accepts any order") {
    SstBuilderOptions opts;
    opts.type = SstType::kWal;
    SstBuilder builder(opts);
    builder.Add(Row{"b", 5, RowKind::kValue, "x"}.view());
    builder.Add(Row{"a", 6, RowKind::kValue, "x"}.view());
    builder.Add(Row{"a", 6, RowKind::kValue, "x"}.view());
    CHECK(builder.Finish().ok());
  }
}

}  // namespace
}  // namespace slatedb
