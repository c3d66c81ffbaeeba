// SPDX-License-Identifier: Apache-2.0
//
// Damage to stored SSTs: every single-bit flip anywhere in small SSTs (data blocks, filter,
// index, stats, info, footer), with and without compression, and every truncation. A full
// decode must either fail with Data or return exactly the original rows; nothing may crash
// (run under sanitizers to be sure). Every section carries a CRC32 and the footer's fields
// are checked against the object, so in fact every flip is caught.
#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "format/sst_iterator.h"
#include "format_test_util.h"

namespace slatedb {
namespace {

using testing::DecodeWholeSst;

EncodedSst SmallSst(CompressionCodec codec, SstType type) {
  SstBuilderOptions opts;
  opts.compression = codec;
  opts.type = type;
  opts.block_size_bytes = 256;
  opts.min_filter_keys = 10;
  std::vector<Row> rows = testing::MakeSortedRows(30, 3, 24, 21);
  Result<EncodedSst> sst = testing::BuildSst(rows, opts);
  REQUIRE(sst.ok());
  return std::move(sst).value();
}

void CheckEveryBitFlip(const EncodedSst& sst) {
  Result<testing::DecodedSst> original = DecodeWholeSst(sst.data);
  REQUIRE(original.ok());
  // Compacted SSTs of 256-byte blocks hold several; WAL SSTs use 64 KiB blocks.
  REQUIRE(original->blocks.size() >= (original->info.type == SstType::kWal ? 1u : 3u));
  size_t failures = 0;
  for (size_t bit = 0; bit < sst.data.size() * 8; ++bit) {
    std::string damaged = sst.data;
    damaged[bit / 8] ^= static_cast<char>(1 << (bit % 8));
    Result<testing::DecodedSst> decoded = DecodeWholeSst(damaged);
    if (decoded.ok()) {
      // Accepted damage must not change what is read.
      INFO("bit " << bit << " of " << sst.data.size() * 8);
      REQUIRE(testing::SameRows(decoded->rows, original->rows));
      REQUIRE(decoded->info == original->info);
    } else {
      INFO("bit " << bit << ": " << decoded.status().ToString());
      REQUIRE(decoded.status().code() == StatusCode::kData);
      ++failures;
    }
    // The in-memory iterator reads the same bytes its own way; it must not crash either.
    Result<std::unique_ptr<SstMemoryIterator>> it = SstMemoryIterator::Open(damaged);
    if (it.ok()) {
      for ((*it)->SeekToFirst(); (*it)->Valid(); (*it)->Next()) {
      }
      REQUIRE(((*it)->status().ok() || (*it)->status().code() == StatusCode::kData));
    } else {
      REQUIRE(it.status().code() == StatusCode::kData);
    }
  }
  // Every byte is covered by a checksum or a consistency check: every flip is caught.
  CHECK(failures == sst.data.size() * 8);
}

TEST_CASE("every single-bit flip in a small SST is caught", "[format]") {
  SECTION("uncompressed") {
    CheckEveryBitFlip(SmallSst(CompressionCodec::kNone, SstType::kCompacted));
  }
  SECTION("snappy") { CheckEveryBitFlip(SmallSst(CompressionCodec::kSnappy, SstType::kCompacted)); }
  SECTION("zlib") { CheckEveryBitFlip(SmallSst(CompressionCodec::kZlib, SstType::kCompacted)); }
  SECTION("lz4") { CheckEveryBitFlip(SmallSst(CompressionCodec::kLz4, SstType::kCompacted)); }
  SECTION("zstd") { CheckEveryBitFlip(SmallSst(CompressionCodec::kZstd, SstType::kCompacted)); }
  SECTION("wal") { CheckEveryBitFlip(SmallSst(CompressionCodec::kNone, SstType::kWal)); }
  SECTION("wal lz4") { CheckEveryBitFlip(SmallSst(CompressionCodec::kLz4, SstType::kWal)); }
}

TEST_CASE("every truncation of an SST is Data", "[format]") {
  for (CompressionCodec codec :
       {CompressionCodec::kNone, CompressionCodec::kSnappy, CompressionCodec::kZlib,
        CompressionCodec::kLz4, CompressionCodec::kZstd}) {
    const EncodedSst sst = SmallSst(codec, SstType::kCompacted);
    REQUIRE(sst.info.has_filter());
    for (size_t n = 0; n < sst.data.size(); ++n) {
      const std::string_view cut(sst.data.data(), n);
      INFO("length " << n);
      Result<testing::DecodedSst> decoded = DecodeWholeSst(cut);
      REQUIRE(decoded.status().code() == StatusCode::kData);
      REQUIRE(SstMemoryIterator::Open(std::string(cut)).status().code() == StatusCode::kData);
      // Dropping bytes from the front instead (a tail read at the wrong offset).
      REQUIRE(
          DecodeSstInfoFromTail(sst.data.substr(n + 1), sst.data.size() - n - 1).status().code() ==
          StatusCode::kData);
    }
  }
}

}  // namespace
}  // namespace slatedb
