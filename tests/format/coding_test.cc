// SPDX-License-Identifier: Apache-2.0
//
// util/coding.h, util/checksum.h and util/siphash.h: round trips at the boundaries, every
// truncation or malformed varint rejected rather than misread, and the format's checksum and
// filter hash pinned to reference values.
#include <catch2/catch.hpp>

#include <cstdint>
#include <limits>
#include <string>
#include <vector>

#include "util/checksum.h"
#include "util/coding.h"
#include "util/siphash.h"

namespace slatedb {
namespace {

TEST_CASE("fixed-width integers are little-endian and round-trip", "[format]") {
  std::string s;
  PutFixed16(&s, 0x0102);
  PutFixed32(&s, 0x03040506);
  PutFixed64(&s, 0x0708090a0b0c0d0eull);
  PutFixed8(&s, 0xff);
  REQUIRE(s == std::string("\x02\x01\x06\x05\x04\x03\x0e\x0d\x0c\x0b\x0a\x09\x08\x07\xff", 15));
  std::string_view in = s;
  uint16_t a = 0;
  uint32_t b = 0;
  uint64_t c = 0;
  uint8_t d = 0;
  REQUIRE(GetFixed16(&in, &a));
  REQUIRE(GetFixed32(&in, &b));
  REQUIRE(GetFixed64(&in, &c));
  REQUIRE(GetFixed8(&in, &d));
  CHECK(a == 0x0102);
  CHECK(b == 0x03040506);
  CHECK(c == 0x0708090a0b0c0d0eull);
  CHECK(d == 0xff);
  CHECK(in.empty());
  CHECK_FALSE(GetFixed8(&in, &d));
}

TEST_CASE("fixed-width readers reject short input without advancing", "[format]") {
  const std::string s(7, 'x');
  for (size_t n = 0; n < 8; ++n) {
    std::string_view in(s.data(), n < 7 ? n : 7);
    uint64_t v = 0;
    CHECK_FALSE(GetFixed64(&in, &v));
    CHECK(in.size() == (n < 7 ? n : 7));
  }
  std::string_view three("abc", 3);
  uint32_t v32 = 0;
  CHECK_FALSE(GetFixed32(&three, &v32));
  std::string_view one("a", 1);
  uint16_t v16 = 0;
  CHECK_FALSE(GetFixed16(&one, &v16));
}

TEST_CASE("varints round-trip at every length boundary", "[format]") {
  std::vector<uint64_t> values = {0, 1, 127, 128, 255, 256, 16383, 16384};
  for (int shift = 7; shift < 64; shift += 7) {
    values.push_back((uint64_t{1} << shift) - 1);
    values.push_back(uint64_t{1} << shift);
  }
  values.push_back(std::numeric_limits<uint32_t>::max());
  values.push_back(std::numeric_limits<uint64_t>::max());
  std::string s;
  for (uint64_t v : values) PutVarint64(&s, v);
  std::string_view in = s;
  for (uint64_t v : values) {
    uint64_t got = 0;
    REQUIRE(GetVarint64(&in, &got));
    CHECK(got == v);
  }
  CHECK(in.empty());
  for (uint64_t v : values) {
    std::string one;
    PutVarint64(&one, v);
    CHECK(one.size() == VarintLength(v));
  }
  CHECK(VarintLength(std::numeric_limits<uint64_t>::max()) == kMaxVarint64Bytes);
}

TEST_CASE("varint32 round-trips and rejects values above 32 bits", "[format]") {
  for (uint32_t v : {0u, 1u, 127u, 128u, 0xffffu, 0x0fffffffu, 0x10000000u, 0xffffffffu}) {
    std::string s;
    PutVarint32(&s, v);
    std::string_view in = s;
    uint32_t got = 0;
    REQUIRE(GetVarint32(&in, &got));
    CHECK(got == v);
    CHECK(in.empty());
  }
  std::string big;
  PutVarint64(&big, uint64_t{1} << 32);
  std::string_view in = big;
  uint32_t got = 0;
  CHECK_FALSE(GetVarint32(&in, &got));
  CHECK(in.size() == big.size());  // not advanced on failure
}

TEST_CASE("every truncated varint is rejected", "[format]") {
  for (uint64_t v : {uint64_t{300}, uint64_t{1} << 40, std::numeric_limits<uint64_t>::max()}) {
    std::string s;
    PutVarint64(&s, v);
    for (size_t n = 0; n < s.size(); ++n) {
      std::string_view in(s.data(), n);
      uint64_t got = 0;
      CHECK_FALSE(GetVarint64(&in, &got));
    }
  }
}

TEST_CASE("overlong and overflowing varints are rejected", "[format]") {
  // 11 continuation bytes: longer than any u64 varint.
  std::string overlong(10, '\x80');
  overlong.push_back('\x01');
  std::string_view in = overlong;
  uint64_t v = 0;
  CHECK_FALSE(GetVarint64(&in, &v));
  // 10th byte carrying more than the top bit of a u64.
  std::string overflow(9, '\xff');
  overflow.push_back('\x02');
  in = overflow;
  CHECK_FALSE(GetVarint64(&in, &v));
  // 5-byte varint32 whose last byte sets bits above 2^32.
  std::string overflow32("\xff\xff\xff\xff\x1f", 5);
  std::string_view in32 = overflow32;
  uint32_t v32 = 0;
  CHECK_FALSE(GetVarint32(&in32, &v32));
  std::string max32("\xff\xff\xff\xff\x0f", 5);
  in32 = max32;
  REQUIRE(GetVarint32(&in32, &v32));
  CHECK(v32 == 0xffffffffu);
}

TEST_CASE("length-prefixed strings round-trip and reject truncation", "[format]") {
  std::string s;
  PutLengthPrefixed(&s, "hello");
  PutLengthPrefixed(&s, "");
  PutLengthPrefixed(&s, std::string(300, 'z'));
  std::string_view in = s;
  std::string_view a, b, c;
  REQUIRE(GetLengthPrefixed(&in, &a));
  REQUIRE(GetLengthPrefixed(&in, &b));
  REQUIRE(GetLengthPrefixed(&in, &c));
  CHECK(a == "hello");
  CHECK(b.empty());
  CHECK(c == std::string(300, 'z'));
  for (size_t n = 0; n < s.size(); ++n) {
    std::string_view part(s.data(), n);
    std::string_view x;
    while (GetLengthPrefixed(&part, &x)) {
    }
    CHECK(part.size() <= n);
    if (n != 0 && n != 6 && n != 7) CHECK_FALSE(part.empty());  // cut inside an entry
  }
}

TEST_CASE("big-endian integers are most significant byte first and round-trip", "[format]") {
  std::string s;
  PutBigEndian16(&s, 0x0102);
  PutBigEndian32(&s, 0x03040506);
  PutBigEndian64(&s, 0x0708090a0b0c0d0eull);
  REQUIRE(s == std::string("\x01\x02\x03\x04\x05\x06\x07\x08\x09\x0a\x0b\x0c\x0d\x0e", 14));
  std::string_view in = s;
  uint16_t a = 0;
  uint32_t b = 0;
  uint64_t c = 0;
  REQUIRE(GetBigEndian16(&in, &a));
  REQUIRE(GetBigEndian32(&in, &b));
  REQUIRE(GetBigEndian64(&in, &c));
  CHECK(a == 0x0102);
  CHECK(b == 0x03040506);
  CHECK(c == 0x0708090a0b0c0d0eull);
  CHECK(in.empty());
  CHECK_FALSE(GetBigEndian16(&in, &a));
  std::string_view three("abc", 3);
  CHECK_FALSE(GetBigEndian32(&three, &b));
  CHECK(three.size() == 3);  // not advanced
}

TEST_CASE("Crc32 is zlib's CRC-32", "[format]") {
  // The standard check value of CRC-32/ISO-HDLC, and zlib.crc32 of the empty string.
  CHECK(Crc32("123456789") == 0xCBF43926u);
  CHECK(Crc32("") == 0u);
  CHECK(Crc32("a") != Crc32("b"));
  // Every single-bit change of a block changes its CRC.
  std::string block(300, 'q');
  const uint32_t base = Crc32(block);
  for (size_t bit = 0; bit < block.size() * 8; ++bit) {
    std::string flipped = block;
    flipped[bit / 8] ^= static_cast<char>(1 << (bit % 8));
    REQUIRE(Crc32(flipped) != base);
  }
}

TEST_CASE("SipHash13 with the zero key matches reference values", "[format]") {
  // Computed with an independent SipHash-1-3 that reproduced, bit for bit, the bloom filters
  // slatedb 0.17 wrote (every key it stored tests "may contain").
  CHECK(SipHash13("") == 0xd1fba762150c532cull);
  CHECK(SipHash13("a") == 0x407448d2b89b1813ull);
  CHECK(SipHash13("abcdefgh") == 0x3f7b849c0b8e35eaull);
  CHECK(SipHash13("abcdefghijklmno") == 0x1fd27a29b0e9dc7aull);
  CHECK(SipHash13("key00000") == 0xfafd4d5e9bebc739ull);
  std::string bytes;
  for (int i = 0; i < 64; ++i) bytes.push_back(static_cast<char>(i));
  CHECK(SipHash13(bytes) == 0x75e05fd5bbc870c6ull);
  CHECK(SipHash13("a", 1, 0) != SipHash13("a"));  // the key matters
}

}  // namespace
}  // namespace slatedb
