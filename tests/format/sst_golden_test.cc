// SPDX-License-Identifier: Apache-2.0
//
// Pins the exact bytes of a tiny SST. If this fails, the stored format changed: that needs a
// format version bump and a docs/format-sst.md update, not a new golden string. (Uncompressed
// on purpose: zstd's output may differ between library versions; its frames are still read.)
#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "format_test_util.h"

namespace slatedb {
namespace {

std::vector<Row> GoldenRows() {
  return {
      Row{"apple", 7, RowKind::kValue, "red", kNoTimestamp, 1700000000000},
      Row{"apple", 3, RowKind::kTombstone, "", kNoTimestamp, kNoTimestamp},
      Row{"apricot", 5, RowKind::kMerge, "+1", 1800000000000, kNoTimestamp},
  };
}

SstBuilderOptions GoldenOptions() {
  SstBuilderOptions opts;
  opts.compression = CompressionCodec::kNone;
  opts.min_filter_keys = 1;
  opts.bloom_bits_per_key = 10;
  return opts;
}

constexpr const char* kGoldenHex =
    // data block 0: 3 rows, restart trailer, codec tag 0, checksum
    "0005036170706c657265640700000000000000080068e5cf8b010000050000030000000000000001"
    "0205027269636f742b3105000000000000000600505c18a30100000000000001000000000545223e"
    "5cbdded9"
    // filter block: 8 bytes of bits, 7 probes, tag, checksum
    "0b6800068080302007000d807deff04eb816"
    // index block: 1 entry (offset 0, length 84, "apple"), last key "apricot"
    "01000000000000000000000054000000056170706c650761707269636f7400fa7f58286b2b0308"
    // SstInfo record (103 bytes, checksum last)
    "060100000000000001000000056170706c650761707269636f740300000000000000010000000300"
    "0000000000000700000000000000010068e5cf8b0100000068e5cf8b010000660000000000000027"
    "0000005400000000000000120000007d720bcfbfef2a34"
    // footer: info offset 141, length 103, version 1, "SLDB"
    "8d00000000000000670000000100534c4442";

TEST_CASE("golden: a tiny SST has exactly the pinned bytes", "[format]") {
  Result<EncodedSst> sst = testing::BuildSst(GoldenRows(), GoldenOptions());
  REQUIRE(sst.ok());
  INFO("actual: " << testing::Hex(sst->data));
  CHECK(testing::Hex(sst->data) == kGoldenHex);
  // And the pinned bytes decode to the rows.
  Result<testing::DecodedSst> decoded = testing::DecodeWholeSst(testing::Unhex(kGoldenHex));
  REQUIRE(decoded.ok());
  CHECK(testing::SameRows(decoded->rows, GoldenRows()));
  CHECK(decoded->has_filter);
}

}  // namespace
}  // namespace slatedb
