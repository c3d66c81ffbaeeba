// SPDX-License-Identifier: Apache-2.0
//
// SST build and read round trips: many versions per key spanning blocks, FindBlock for every
// key, the in-memory iterator's Seek, zstd and uncompressed, WAL SSTs in seq order, and the
// builder's checks on its input.
#include <catch2/catch.hpp>

#include <algorithm>
#include <memory>
#include <string>
#include <vector>

#include "format/sst_builder.h"
#include "format/sst_iterator.h"
#include "format/sst_reader.h"
#include "format_test_util.h"

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

// FindBlock(key) must be the block holding the newest version of `key` (the first row with
// a key >= it), or the block before when that row opens its block.
void CheckFindBlock(const SstIndex& index, const std::vector<Row>& rows,
                    const std::vector<size_t>& block_of_row) {
  for (size_t i = 0; i < rows.size(); ++i) {
    if (i > 0 && rows[i].key == rows[i - 1].key) continue;
    const size_t b = block_of_row[i];
    const bool opens_block = i == 0 || block_of_row[i - 1] != b;
    const size_t expected = opens_block && b > 0 ? b - 1 : b;
    INFO("key " << rows[i].key);
    CHECK(index.FindBlock(rows[i].key) == expected);
  }
}

TEST_CASE("SST round trip: 10k rows, versions spanning blocks, with and without zstd",
          "[format]") {
  const std::vector<Row> rows = MakeSortedRows(600, 33, 120, 1);
  REQUIRE(rows.size() > 10000);
  for (CompressionCodec codec : {CompressionCodec::kNone, CompressionCodec::kZstd}) {
    SECTION(codec == CompressionCodec::kZstd ? "zstd" : "none") {
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
      CHECK(info.object_size == sst->data.size());
      CHECK(info.num_rows == rows.size());
      CHECK(info.first_key == rows.front().key);
      CHECK(info.last_key == rows.back().key);
      CHECK(info.min_seq == rows.back().seq);
      CHECK(info.max_seq == rows.front().seq);
      CHECK(info.has_filter());
      CHECK(info.type == SstType::kCompacted);
      CHECK(info.compression == codec);
      REQUIRE(info.num_blocks > 100);

      Result<testing::DecodedSst> decoded = DecodeWholeSst(sst->data);
      REQUIRE(decoded.ok());
      CHECK(decoded->info == info);
      CHECK(SameRows(decoded->rows, StoredAll(rows)));

      // Which block each row landed in, to check FindBlock against.
      std::vector<size_t> block_of_row;
      std::string_view object = sst->data;
      Result<SstIndex> index =
          DecodeIndex(*SliceRange(object, 0, {info.index_offset, info.index_length}), info);
      REQUIRE(index.ok());
      for (size_t b = 0; b < index->num_blocks(); ++b) {
        const BlockHandle h = index->block(b);
        CHECK(h.length <= 4096 + 200);
        Result<Block> block = DecodeDataBlock(*SliceRange(object, 0, {h.offset, h.length}));
        REQUIRE(block.ok());
        CHECK(block->size() <= 4096);
        const size_t first_row = block_of_row.size();
        Block::Iterator it(&*block);
        for (it.SeekToFirst(); it.Valid(); it.Next()) block_of_row.push_back(b);
        REQUIRE(first_row < rows.size());
        CHECK(index->first_key(b) == rows[first_row].key);
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
      Result<BloomFilter> filter =
          DecodeFilter(*SliceRange(object, 0, {info.filter_offset, info.filter_length}));
      REQUIRE(filter.ok());
      for (const Row& row : rows) REQUIRE(filter->MayContain(row.key));

      // The metadata range covers filter and index and nothing else.
      const ByteRange meta = MetadataRange(info);
      CHECK(meta.offset == info.filter_offset);
      CHECK(meta.offset + meta.length == info.info_offset());
      // The tail decodes alone, given the object size.
      std::string_view footer = object.substr(object.size() - kSstFooterBytes);
      Result<FooterLocation> loc = DecodeFooter(footer, object.size());
      REQUIRE(loc.ok());
      std::string_view tail = object.substr(object.size() - SstTailBytesNeeded(*loc));
      Result<SstInfo> from_tail = DecodeSstInfoFromTail(tail, object.size());
      REQUIRE(from_tail.ok());
      CHECK(*from_tail == info);
      CHECK(DecodeSstInfoFromTail(tail.substr(1), object.size()).status().code() ==
            StatusCode::kInvalid);
    }
  }
}

TEST_CASE("SstMemoryIterator walks and seeks a compacted SST", "[format]") {
  const std::vector<Row> rows = MakeSortedRows(300, 20, 60, 2);
  for (CompressionCodec codec : {CompressionCodec::kNone, CompressionCodec::kZstd}) {
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

TEST_CASE("WAL SSTs keep rows in seq order and have no filter", "[format]") {
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
  for (CompressionCodec codec : {CompressionCodec::kNone, CompressionCodec::kZstd}) {
    SstBuilderOptions opts = Options(codec);
    opts.type = SstType::kWal;
    opts.min_filter_keys = 0;
    Result<EncodedSst> sst = BuildSst(rows, opts);
    REQUIRE(sst.ok());
    const SstInfo& info = sst->info;
    CHECK(info.type == SstType::kWal);
    CHECK_FALSE(info.has_filter());
    CHECK(info.min_seq == 1);
    CHECK(info.max_seq == 5000);
    std::string min_key = rows[0].key, max_key = rows[0].key;
    for (const Row& r : rows) {
      min_key = std::min(min_key, r.key);
      max_key = std::max(max_key, r.key);
    }
    CHECK(info.first_key == min_key);
    CHECK(info.last_key == max_key);
    REQUIRE(info.min_create_ts.has_value());
    CHECK(*info.min_create_ts == 1000 - 4998);
    CHECK(*info.max_create_ts == 1000 - 3);

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
  opts.bloom_bits_per_key = 0;
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
  CHECK(sst->info.num_blocks == 4);
  Result<testing::DecodedSst> decoded = DecodeWholeSst(sst->data);
  REQUIRE(decoded.ok());
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

TEST_CASE("incompressible blocks are stored raw even with zstd", "[format]") {
  testing::TestRandom rnd(5);
  std::vector<Row> rows;
  for (int i = 0; i < 100; ++i) {
    rows.push_back(Row{KeyOf(i), 1, RowKind::kValue, rnd.Bytes(500)});
  }
  SstBuilderOptions opts;
  opts.compression = CompressionCodec::kZstd;
  opts.min_filter_keys = 0;
  Result<EncodedSst> zstd = BuildSst(rows, opts);
  opts.compression = CompressionCodec::kNone;
  Result<EncodedSst> none = BuildSst(rows, opts);
  REQUIRE(zstd.ok());
  REQUIRE(none.ok());
  // Random values do not compress: every data block and the filter are stored raw, so the two
  // objects differ only in what the index compression and the info's codec field change.
  CHECK(zstd->info.data_end() == none->info.data_end());
  CHECK(zstd->data.substr(0, zstd->info.data_end()) == none->data.substr(0, none->info.data_end()));
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
