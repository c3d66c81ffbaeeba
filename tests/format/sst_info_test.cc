// SPDX-License-Identifier: Apache-2.0
//
// The SST info record (SsTableInfo FlatBuffer + CRC32) and the footer: round trips of every
// field, the checks a reader makes (checksum, FlatBuffer verification, known enums, section
// layout, supported versions), and their error messages.
#include <catch2/catch.hpp>

#include <string>

#include "fb/sst_generated.h"
#include "format/flatbuffer_util.h"
#include "format/sst_footer.h"
#include "format/sst_info.h"
#include "format_test_util.h"
#include "util/checksum.h"
#include "util/coding.h"

namespace slatedb {
namespace {

SstInfo SampleInfo() {
  SstInfo info;
  info.first_entry = "apple";
  info.last_entry = "pear";
  info.filter_offset = 1000;
  info.filter_len = 120;
  info.index_offset = 1120;
  info.index_len = 80;
  info.stats_offset = 1200;
  info.stats_len = 60;
  info.compression = CompressionCodec::kLz4;
  info.type = SstType::kCompacted;
  info.filter_format = FilterFormat::kComposite;
  return info;
}

// An info record with raw field values, as another (possibly broken) writer could store.
std::string RawRecord(int8_t codec, int8_t kind, int8_t layout) {
  flatbuffers::FlatBufferBuilder fbb;
  auto first = fbb.CreateVector(reinterpret_cast<const uint8_t*>("a"), 1);
  auto last = fbb.CreateVector(reinterpret_cast<const uint8_t*>("b"), 1);
  fbb.Finish(fb::CreateSstMeta(fbb, first, 100, 20, 100, 0, static_cast<fb::Codec>(codec),
                               static_cast<fb::TableKind>(kind), last, 0, 0,
                               static_cast<fb::FilterLayout>(layout)));
  std::string out = FinishedBytes(fbb);
  PutBigEndian32(&out, Crc32(out));
  return out;
}

TEST_CASE("info record round-trips every field", "[format]") {
  for (CompressionCodec codec :
       {CompressionCodec::kNone, CompressionCodec::kSnappy, CompressionCodec::kZlib,
        CompressionCodec::kLz4, CompressionCodec::kZstd}) {
    SstInfo info = SampleInfo();
    info.compression = codec;
    Result<SstInfo> back = DecodeSstInfoRecord(EncodeSstInfoRecord(info));
    REQUIRE(back.ok());
    CHECK(*back == info);
  }
  SstInfo wal;
  wal.first_entry = std::string("\0\0\0\0\0\0\0\x07", 8);
  wal.filter_offset = 500;
  wal.index_offset = 500;
  wal.index_len = 40;
  wal.type = SstType::kWal;
  wal.filter_format = FilterFormat::kLegacy;
  Result<SstInfo> back = DecodeSstInfoRecord(EncodeSstInfoRecord(wal));
  REQUIRE(back.ok());
  CHECK(*back == wal);
  CHECK(back->last_entry.empty());
  // The record is the FlatBuffer followed by its CRC32, big-endian.
  const std::string record = EncodeSstInfoRecord(SampleInfo());
  const std::string_view body(record.data(), record.size() - 4);
  CHECK(DecodeBigEndian32(record.data() + body.size()) == Crc32(body));
  std::vector<uint64_t> storage;
  const fb::SstMeta* meta = VerifiedRoot<fb::SstMeta>(body, &storage);
  REQUIRE(meta != nullptr);
  CHECK(meta->index_offset() == 1120);
  CHECK(meta->codec() == fb::Codec::Lz4);
  CHECK(meta->filter_layout() == fb::FilterLayout::Named);
}

TEST_CASE("info record rejects damage, truncation and unknown enum values", "[format]") {
  const std::string record = EncodeSstInfoRecord(SampleInfo());
  for (size_t n = 0; n < record.size(); ++n) {
    CHECK(DecodeSstInfoRecord(record.substr(0, n)).status().code() == StatusCode::kData);
  }
  std::string bad = record;
  bad[3] ^= 0x10;
  CHECK(DecodeSstInfoRecord(bad).status().message().find("checksum") != std::string::npos);
  // A checksum over garbage: the Verifier refuses it.
  std::string garbage = "this is not a flatbuffer at all";
  PutBigEndian32(&garbage, Crc32(garbage));
  CHECK(DecodeSstInfoRecord(garbage).status().code() == StatusCode::kData);

  CHECK(DecodeSstInfoRecord(RawRecord(4, 0, 1)).ok());
  Status codec = DecodeSstInfoRecord(RawRecord(5, 0, 1)).status();
  CHECK(codec.code() == StatusCode::kData);
  CHECK(codec.message().find("compression codec 5") != std::string::npos);
  CHECK(DecodeSstInfoRecord(RawRecord(-1, 0, 1)).status().code() == StatusCode::kData);
  CHECK(DecodeSstInfoRecord(RawRecord(0, 2, 1)).status().message().find("SST type 2") !=
        std::string::npos);
  CHECK(DecodeSstInfoRecord(RawRecord(0, 0, 2)).status().message().find("filter format 2") !=
        std::string::npos);
}

TEST_CASE("ValidateSstInfo checks the section layout", "[format]") {
  CHECK(ValidateSstInfo(SampleInfo()).ok());
  auto bad = [](auto mutate) {
    SstInfo info = SampleInfo();
    mutate(info);
    return ValidateSstInfo(info).code();
  };
  CHECK(bad([](SstInfo& i) { i.index_len = 3; }) == StatusCode::kData);
  CHECK(bad([](SstInfo& i) { i.filter_len = 121; }) == StatusCode::kData);     // into the index
  CHECK(bad([](SstInfo& i) { i.stats_offset = 1199; }) == StatusCode::kData);  // inside the index
  CHECK(bad([](SstInfo& i) { i.index_offset = UINT64_MAX - 10; }) == StatusCode::kData);
  CHECK(bad([](SstInfo& i) { i.first_entry.clear(); }) == StatusCode::kData);
  CHECK(bad([](SstInfo& i) { i.last_entry = "aardvark"; }) == StatusCode::kData);
  CHECK(bad([](SstInfo& i) { i.format_version = 3; }) == StatusCode::kData);
  CHECK(bad([](SstInfo& i) { i.compression = static_cast<CompressionCodec>(9); }) ==
        StatusCode::kData);
  // No filter, no stats: fine.
  CHECK(bad([](SstInfo& i) {
          i.filter_len = 0;
          i.stats_len = 0;
          i.stats_offset = 0;
        }) == StatusCode::kOk);
}

TEST_CASE("footer: u64 BE info offset, u16 BE version 1 or 2", "[format]") {
  std::string footer;
  EncodeSstFooter({1234, 2}, &footer);
  CHECK(testing::Hex(footer) ==
        "00000000000004d2"
        "0002");
  Result<SstFooter> f = DecodeSstFooter(footer, 2000);
  REQUIRE(f.ok());
  CHECK(f->info_offset == 1234);
  CHECK(f->format_version == 2);
  footer.clear();
  EncodeSstFooter({1234, 1}, &footer);
  CHECK(DecodeSstFooter(footer, 2000)->format_version == 1);
  footer.clear();
  EncodeSstFooter({1234, 3}, &footer);
  Status unsupported = DecodeSstFooter(footer, 2000).status();
  CHECK(unsupported.code() == StatusCode::kData);
  CHECK(unsupported.message() == "unsupported SST format version 3");
  // An object of 10 bytes or fewer is not an SST; the record must lie inside the object.
  CHECK(DecodeSstFooter(footer, 10).status().code() == StatusCode::kData);
  footer.clear();
  EncodeSstFooter({1990, 2}, &footer);
  CHECK(DecodeSstFooter(footer, 2000).status().code() == StatusCode::kData);  // empty record
  CHECK(DecodeSstFooter(footer, 2001).ok());
  footer.clear();
  EncodeSstFooter({0, 2}, &footer);
  CHECK(DecodeSstFooter(footer, kMaxSstInfoBytes + 100).status().code() == StatusCode::kData);
}

}  // namespace
}  // namespace slatedb
