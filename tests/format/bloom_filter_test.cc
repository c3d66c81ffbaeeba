// SPDX-License-Identifier: Apache-2.0
//
// The format's bloom filter: probe count and size formulas, the exact bits one key sets
// (computed here from the format's description), no false negatives, the false-positive
// rate, the composite filter section with its named entries, and malformed input rejected.
#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "format/bloom_filter.h"
#include "format_test_util.h"
#include "util/coding.h"
#include "util/siphash.h"

namespace slatedb {
namespace {

TEST_CASE("bloom probe count is trunc(bits_per_key * 0.69) in f32", "[format]") {
  CHECK(BloomProbesFor(1) == 0);
  CHECK(BloomProbesFor(2) == 1);
  CHECK(BloomProbesFor(3) == 2);
  CHECK(BloomProbesFor(10) == 6);  // the default
  CHECK(BloomProbesFor(20) == 13);
  CHECK(BloomProbesFor(100) == 69);  // 68.99999976 rounds to 69.0f before truncation
}

// The probe positions of `key`, straight from the format's description.
std::vector<uint64_t> ProbesOf(std::string_view key, uint32_t probes, uint64_t nbits) {
  const uint64_t hash = SipHash13(key);
  uint64_t h = (hash & 0xffffffffu) % nbits;
  uint64_t delta = (hash >> 32) % nbits;
  std::vector<uint64_t> out;
  for (uint32_t i = 0; i < probes; ++i) {
    delta = (delta + i) % nbits;
    out.push_back(h);
    h = (h + delta) % nbits;
  }
  return out;
}

TEST_CASE("bloom filter bytes: u16 BE probes, then the probe bits LSB first", "[format]") {
  for (const char* key : {"key00000", "a", "", "a much longer key spanning several words"}) {
    BloomFilterBuilder builder(10);
    builder.AddKey(key);
    const std::string bytes = builder.Finish();
    REQUIRE(bytes.size() == 2 + 2);  // ceil(1 * 10 / 8) = 2 bytes of bits
    CHECK(DecodeBigEndian16(bytes.data()) == 6);
    std::string expected(2, '\0');
    for (uint64_t bit : ProbesOf(key, 6, 16)) {
      expected[bit / 8] = static_cast<char>(expected[bit / 8] | (1 << (bit % 8)));
    }
    INFO(key);
    CHECK(testing::Hex(bytes.substr(2)) == testing::Hex(expected));
  }
}

TEST_CASE("bloom filter size is ceil(keys * bits_per_key / 8), one key per row", "[format]") {
  for (int keys : {1, 7, 1201, 5000}) {
    BloomFilterBuilder builder(10);
    for (int i = 0; i < keys; ++i) builder.AddKey("same key");  // versions count again
    CHECK(builder.Finish().size() == 2 + static_cast<size_t>((keys * 10 + 7) / 8));
  }
  BloomFilterBuilder seven(7);
  for (int i = 0; i < 3; ++i) seven.AddKey(testing::KeyOf(i));
  CHECK(seven.Finish().size() == 2 + 3);  // ceil(21 / 8)
}

TEST_CASE("bloom filter has no false negatives and under 1% false positives", "[format]") {
  constexpr int kKeys = 100000;
  BloomFilterBuilder builder(10);
  for (int i = 0; i < kKeys; ++i) builder.AddKey(testing::KeyOf(i));
  Result<BloomFilter> filter = BloomFilter::Parse(builder.Finish());
  REQUIRE(filter.ok());
  CHECK(filter->num_probes() == 6);
  for (int i = 0; i < kKeys; ++i) REQUIRE(filter->MayContain(testing::KeyOf(i)));
  int false_positives = 0;
  for (int i = 0; i < kKeys; ++i) {
    false_positives += filter->MayContain("absent" + std::to_string(i)) ? 1 : 0;
  }
  const double rate = static_cast<double>(false_positives) / kKeys;
  INFO("false positive rate " << rate);
  CHECK(rate < 0.015);
  CHECK(rate > 0.002);  // a filter that says "no" to everything would be broken too
  CHECK(filter->MayContainHash(BloomHash(testing::KeyOf(5))));
}

TEST_CASE("bloom filters with no bits answer absent; with no probes, present", "[format]") {
  BloomFilterBuilder empty_builder(10);
  Result<BloomFilter> empty = BloomFilter::Parse(empty_builder.Finish());
  REQUIRE(empty.ok());
  CHECK(empty->size() == 0);
  CHECK_FALSE(empty->MayContain("anything"));
  Result<BloomFilter> no_probes = BloomFilter::Parse(std::string("\x00\x00\x00\x00", 4));
  REQUIRE(no_probes.ok());
  CHECK(no_probes->MayContain("anything"));
  CHECK(BloomFilter::Parse("").status().code() == StatusCode::kData);
  CHECK(BloomFilter::Parse(std::string(1, '\x06')).status().code() == StatusCode::kData);
}

TEST_CASE("composite filter section: u16 count, then named entries", "[format]") {
  BloomFilterBuilder builder(10);
  builder.AddKey("k");
  const std::string bloom = builder.Finish();
  const std::string section = EncodeCompositeFilter(kBloomFilterName, bloom);
  CHECK(testing::Hex(section.substr(0, 2 + 2 + 3 + 8)) ==
        "0001"
        "0003"
        "5f6266"
        "0000000000000004");
  CHECK(section.substr(15) == bloom);
  Result<std::optional<BloomFilter>> decoded = DecodeFilterSection(section, /*composite=*/true);
  REQUIRE(decoded.ok());
  REQUIRE(decoded->has_value());
  CHECK((*decoded)->MayContain("k"));
  // A legacy section is the bloom filter itself.
  Result<std::optional<BloomFilter>> legacy = DecodeFilterSection(bloom, /*composite=*/false);
  REQUIRE(legacy.ok());
  REQUIRE(legacy->has_value());
  CHECK((*legacy)->MayContain("k"));
}

std::string Entry(std::string_view name, std::string_view data) {
  std::string out;
  PutBigEndian16(&out, static_cast<uint16_t>(name.size()));
  out.append(name);
  PutBigEndian64(&out, data.size());
  out.append(data);
  return out;
}

TEST_CASE("composite filter sections skip unknown names and reject malformed entries", "[format]") {
  BloomFilterBuilder builder(10);
  builder.AddKey("k");
  const std::string bloom = builder.Finish();
  // A prefix filter (another policy) first, then the whole-key filter.
  std::string two;
  PutBigEndian16(&two, 2);
  two += Entry("_bf:p=ext", "\x00\x06garbage");
  two += Entry("_bf", bloom);
  Result<std::optional<BloomFilter>> decoded = DecodeFilterSection(two, true);
  REQUIRE(decoded.ok());
  REQUIRE(decoded->has_value());
  CHECK((*decoded)->MayContain("k"));
  // Only unknown filters: no filter for this reader, not an error.
  std::string other;
  PutBigEndian16(&other, 1);
  other += Entry("_bf:p=ext:wh=0", bloom);
  decoded = DecodeFilterSection(other, true);
  REQUIRE(decoded.ok());
  CHECK_FALSE(decoded->has_value());
  // Every truncation, a count beyond the entries and trailing bytes are Data.
  for (size_t n = 0; n < two.size(); ++n) {
    CHECK(DecodeFilterSection(two.substr(0, n), true).status().code() == StatusCode::kData);
  }
  std::string more = two;
  EncodeBigEndian16(more.data(), 3);
  CHECK(DecodeFilterSection(more, true).status().code() == StatusCode::kData);
  CHECK(DecodeFilterSection(two + "x", true).status().code() == StatusCode::kData);
  std::string huge;
  PutBigEndian16(&huge, 1);
  PutBigEndian16(&huge, 3);
  huge += "_bf";
  PutBigEndian64(&huge, UINT64_MAX);
  CHECK(DecodeFilterSection(huge, true).status().code() == StatusCode::kData);
}

}  // namespace
}  // namespace slatedb
