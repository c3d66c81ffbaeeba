// SPDX-License-Identifier: Apache-2.0
//
// SHA-256 against FIPS 180-2's examples and HMAC-SHA-256 against RFC 4231's test cases.
#include "s3/sha256.h"

#include <catch2/catch.hpp>

#include <string>

namespace slatedb::s3 {
namespace {

TEST_CASE("sha256 matches the FIPS 180-2 examples", "[s3]") {
  CHECK(HexLower(Sha256Of("")) ==
        "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  CHECK(HexLower(Sha256Of("abc")) ==
        "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  CHECK(HexLower(Sha256Of("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq")) ==
        "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
  CHECK(HexLower(Sha256Of(std::string(1'000'000, 'a'))) ==
        "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
}

TEST_CASE("sha256 gives the same digest however the input is split", "[s3]") {
  std::string data;
  for (int i = 0; i < 1000; ++i) data.push_back(static_cast<char>(i * 7));
  Sha256Digest whole = Sha256Of(data);
  for (size_t step : {1u, 3u, 63u, 64u, 65u, 200u}) {
    Sha256 h;
    for (size_t i = 0; i < data.size(); i += step) h.Update(std::string_view(data).substr(i, step));
    CHECK(h.Finish() == whole);
  }
}

TEST_CASE("hmac-sha256 matches RFC 4231", "[s3]") {
  CHECK(HexLower(HmacSha256(std::string(20, '\x0b'), "Hi There")) ==
        "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7");
  CHECK(HexLower(HmacSha256("Jefe", "what do ya want for nothing?")) ==
        "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
  // Test case 6: a key longer than the block size is hashed first.
  CHECK(HexLower(HmacSha256(std::string(131, '\xaa'),
                            "Test Using Larger Than Block-Size Key - Hash Key First")) ==
        "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54");
}

}  // namespace
}  // namespace slatedb::s3
