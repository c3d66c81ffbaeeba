// SPDX-License-Identifier: Apache-2.0
//
// SstInfo: binary record and JSON round trips, and every missing, ill-typed or inconsistent
// field reported as Data. Also the footer's own checks and base64.
#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include "format/base64.h"
#include "format/sst_footer.h"
#include "format/sst_info.h"
#include "format/sst_reader.h"
#include "format_test_util.h"

namespace slatedb {
namespace {

SstInfo SampleInfo() {
  Result<EncodedSst> sst = testing::BuildSst(testing::MakeSortedRows(40, 3, 20, 9), [] {
    SstBuilderOptions opts;
    opts.min_filter_keys = 10;
    return opts;
  }());
  REQUIRE(sst.ok());
  REQUIRE(sst->info.has_filter());
  REQUIRE(sst->info.min_create_ts.has_value());
  return sst->info;
}

TEST_CASE("SstInfo binary record round-trips", "[format]") {
  SstInfo info = SampleInfo();
  Result<SstInfo> back = DecodeSstInfo(EncodeSstInfo(info));
  REQUIRE(back.ok());
  CHECK(*back == info);
  info.min_create_ts.reset();
  info.max_create_ts.reset();
  info.first_key = std::string("\0\xff", 2);
  info.type = SstType::kWal;
  back = DecodeSstInfo(EncodeSstInfo(info));
  REQUIRE(back.ok());
  CHECK(*back == info);
}

TEST_CASE("SstInfo binary record rejects truncation and unknown versions", "[format]") {
  const SstInfo info = SampleInfo();
  const std::string record = EncodeSstInfo(info);
  for (size_t n = 0; n < record.size(); ++n) {
    CHECK(DecodeSstInfo(record.substr(0, n)).status().code() == StatusCode::kData);
  }
  SstInfo v2 = info;
  v2.format_version = 2;
  Result<SstInfo> r = DecodeSstInfo(EncodeSstInfo(v2));
  CHECK(r.status().code() == StatusCode::kData);
  CHECK(r.status().message().find("version") != std::string::npos);
}

TEST_CASE("ValidateSstInfo catches inconsistent fields", "[format]") {
  const SstInfo good = SampleInfo();
  REQUIRE(ValidateSstInfo(good).ok());
  auto bad = [&](auto mutate) {
    SstInfo info = good;
    mutate(info);
    return ValidateSstInfo(info).code() == StatusCode::kData;
  };
  CHECK(bad([](SstInfo& i) { i.format_version = 0; }));
  CHECK(bad([](SstInfo& i) { i.type = static_cast<SstType>(7); }));
  CHECK(bad([](SstInfo& i) { i.compression = static_cast<CompressionCodec>(9); }));
  CHECK(bad([](SstInfo& i) { i.first_key = "zzzz"; }));
  CHECK(bad([](SstInfo& i) { i.num_blocks = 0; }));
  CHECK(bad([](SstInfo& i) { i.num_rows = 0; }));
  CHECK(bad([](SstInfo& i) { i.min_seq = i.max_seq + 1; }));
  CHECK(bad([](SstInfo& i) { i.max_create_ts.reset(); }));
  CHECK(bad([](SstInfo& i) { i.min_create_ts = *i.max_create_ts + 1; }));
  CHECK(bad([](SstInfo& i) { i.index_offset = i.object_size; }));
  CHECK(bad([](SstInfo& i) { i.index_length = 3; }));
  CHECK(bad([](SstInfo& i) { i.index_offset = UINT64_MAX - 2; }));
  CHECK(bad([](SstInfo& i) { i.filter_offset += 1; }));
  CHECK(bad([](SstInfo& i) { i.filter_length = 0; }));  // offset without a filter
  CHECK(bad([](SstInfo& i) { i.object_size = 10; }));
}

TEST_CASE("SstInfo JSON round-trips", "[format]") {
  SstInfo info = SampleInfo();
  info.first_key = std::string("\x00\x01\xfe\xff", 4);
  nlohmann::json j = SstInfoToJson(info);
  CHECK(j["type"] == "compacted");
  CHECK(j["compression"] == "zstd");
  CHECK(j["first_key"] == "AAH+/w==");
  Result<SstInfo> back = SstInfoFromJson(j);
  REQUIRE(back.ok());
  CHECK(*back == info);
  // Through text, as the manifest stores it.
  back = SstInfoFromJson(nlohmann::json::parse(j.dump()));
  REQUIRE(back.ok());
  CHECK(*back == info);
  // Without create_ts.
  info.min_create_ts.reset();
  info.max_create_ts.reset();
  j = SstInfoToJson(info);
  CHECK_FALSE(j.contains("min_create_ts"));
  back = SstInfoFromJson(j);
  REQUIRE(back.ok());
  CHECK(*back == info);
}

TEST_CASE("SstInfo JSON rejects missing and ill-typed fields", "[format]") {
  const nlohmann::json good = SstInfoToJson(SampleInfo());
  REQUIRE(SstInfoFromJson(good).ok());
  for (auto it = good.begin(); it != good.end(); ++it) {
    INFO("field " << it.key());
    nlohmann::json j = good;
    j.erase(it.key());
    CHECK(SstInfoFromJson(j).status().code() == StatusCode::kData);
    for (const nlohmann::json& wrong :
         {nlohmann::json(nullptr), nlohmann::json(-1), nlohmann::json(1.5),
          nlohmann::json("!!"), nlohmann::json::array(), nlohmann::json(true)}) {
      const bool signed_field = it.key() == "min_create_ts" || it.key() == "max_create_ts";
      if (signed_field && wrong == nlohmann::json(-1)) continue;  // a legal timestamp
      j = good;
      j[it.key()] = wrong;
      CHECK(SstInfoFromJson(j).status().code() == StatusCode::kData);
    }
  }
  CHECK(SstInfoFromJson(nlohmann::json::array()).status().code() == StatusCode::kData);
  nlohmann::json j = good;
  j["format_version"] = 2;
  CHECK(SstInfoFromJson(j).status().code() == StatusCode::kData);
  j = good;
  j["num_blocks"] = uint64_t{1} << 32;
  CHECK(SstInfoFromJson(j).status().code() == StatusCode::kData);
  j = good;
  j["type"] = "segment";
  CHECK(SstInfoFromJson(j).status().code() == StatusCode::kData);
}

TEST_CASE("footer checks magic, version and placement", "[format]") {
  std::string footer;
  EncodeFooter({100, 50, kSstFormatVersion}, &footer);
  REQUIRE(footer.size() == kSstFooterBytes);
  CHECK(footer.substr(14) == "SLDB");
  const uint64_t size = 150 + kSstFooterBytes;
  Result<FooterLocation> loc = DecodeFooter(footer, size);
  REQUIRE(loc.ok());
  CHECK(loc->info_offset == 100);
  CHECK(loc->info_length == 50);
  CHECK(SstTailBytesNeeded(*loc) == 50 + kSstFooterBytes);
  CHECK(DecodeFooter(footer, size + 1).status().code() == StatusCode::kData);
  std::string bad = footer;
  bad[12] = 2;  // version 2
  CHECK(DecodeFooter(bad, size).status().code() == StatusCode::kData);
  bad = footer;
  bad[17] = 'X';
  CHECK(DecodeFooter(bad, size).status().code() == StatusCode::kData);
  CHECK(DecodeFooter(footer.substr(1), size).status().code() == StatusCode::kData);
  CHECK(DecodeFooter(footer, 5).status().code() == StatusCode::kData);
}

TEST_CASE("base64 round-trips and rejects non-canonical text", "[format]") {
  testing::TestRandom rnd(11);
  for (size_t n = 0; n < 40; ++n) {
    const std::string bytes = rnd.Bytes(n);
    std::string back;
    REQUIRE(Base64Decode(Base64Encode(bytes), &back));
    CHECK(back == bytes);
  }
  CHECK(Base64Encode("foobar") == "Zm9vYmFy");
  CHECK(Base64Encode("fo") == "Zm8=");
  std::string out;
  CHECK_FALSE(Base64Decode("Zm8", &out));
  CHECK_FALSE(Base64Decode("Zm9=", &out));  // non-zero pad bits
  CHECK_FALSE(Base64Decode("Z===", &out));
  CHECK_FALSE(Base64Decode("Zm 8", &out));
  CHECK_FALSE(Base64Decode("=m8A", &out));
}

}  // namespace
}  // namespace slatedb
