// SPDX-License-Identifier: Apache-2.0
//
// Bloom filter: no false negatives, ~1% false positives at 10 bits/key, probe count rule,
// and malformed filters rejected.
#include <catch2/catch.hpp>

#include <string>

#include "format/bloom_filter.h"
#include "format_test_util.h"

namespace slatedb {
namespace {

TEST_CASE("bloom probe count follows round(bits * 0.69) capped at 30", "[format]") {
  CHECK(BloomProbesFor(1) == 1);
  CHECK(BloomProbesFor(2) == 1);
  CHECK(BloomProbesFor(3) == 2);
  CHECK(BloomProbesFor(10) == 7);
  CHECK(BloomProbesFor(20) == 14);
  CHECK(BloomProbesFor(100) == 30);
}

TEST_CASE("bloom filter has no false negatives and ~1% false positives", "[format]") {
  constexpr int kKeys = 100000;
  BloomFilterBuilder builder(10);
  for (int i = 0; i < kKeys; ++i) builder.AddKey(testing::KeyOf(i));
  const size_t estimate = builder.EstimatedSize();
  std::string bytes = builder.Finish();
  CHECK(bytes.size() == estimate);
  CHECK(bytes.size() == kKeys * 10 / 8 + 1);
  Result<BloomFilter> filter = BloomFilter::Parse(std::move(bytes));
  REQUIRE(filter.ok());
  for (int i = 0; i < kKeys; ++i) REQUIRE(filter->MayContain(testing::KeyOf(i)));
  int false_positives = 0;
  for (int i = 0; i < kKeys; ++i) {
    false_positives += filter->MayContain("absent" + std::to_string(i)) ? 1 : 0;
  }
  const double rate = static_cast<double>(false_positives) / kKeys;
  INFO("false positive rate " << rate);
  CHECK(rate < 0.02);
  CHECK(rate > 0.002);  // a filter that says "no" to everything would be broken too
}

TEST_CASE("bloom filter over few keys and no keys", "[format]") {
  BloomFilterBuilder empty_builder(10);
  Result<BloomFilter> empty = BloomFilter::Parse(empty_builder.Finish());
  REQUIRE(empty.ok());
  CHECK(empty->size() == 8);  // 64-bit minimum
  CHECK_FALSE(empty->MayContain("anything"));

  BloomFilterBuilder builder(10);
  builder.AddKey("");
  builder.AddKey("x");
  builder.AddKey("x");  // duplicates are harmless
  Result<BloomFilter> filter = BloomFilter::Parse(builder.Finish());
  REQUIRE(filter.ok());
  CHECK(filter->MayContain(""));
  CHECK(filter->MayContain("x"));
}

TEST_CASE("bloom filter Parse rejects malformed input", "[format]") {
  CHECK(BloomFilter::Parse("").status().code() == StatusCode::kData);
  CHECK(BloomFilter::Parse(std::string(1, '\x07')).status().code() == StatusCode::kData);
  CHECK(BloomFilter::Parse(std::string(8, '\0') + '\x00').status().code() == StatusCode::kData);
  CHECK(BloomFilter::Parse(std::string(8, '\0') + '\x1f').status().code() == StatusCode::kData);
  CHECK(BloomFilter::Parse(std::string(8, '\0') + '\x1e').ok());
}

}  // namespace
}  // namespace slatedb
