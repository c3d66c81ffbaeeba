// SPDX-License-Identifier: Apache-2.0
//
// SHA-256 (FIPS 180-4) and HMAC-SHA-256 (RFC 2104), written here so the portable S3 client
// signs requests without OpenSSL: the same code runs natively and in the wasm build.
// Not constant-time against local side channels; it only hashes request data and derives
// signing keys from a secret the process already holds.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace slatedb::s3 {

using Sha256Digest = std::array<uint8_t, 32>;

// Incremental hasher: Update any number of times, then Finish once.
class Sha256 {
 public:
  Sha256();
  void Update(std::string_view data);
  Sha256Digest Finish();

 private:
  void Compress(const uint8_t* block);

  std::array<uint32_t, 8> state_;
  std::array<uint8_t, 64> buffer_{};
  size_t buffered_ = 0;
  uint64_t total_bytes_ = 0;
};

Sha256Digest Sha256Of(std::string_view data);
Sha256Digest HmacSha256(std::string_view key, std::string_view message);

// Lower-case hex, as SigV4 wants it.
std::string HexLower(const uint8_t* data, size_t size);
inline std::string HexLower(const Sha256Digest& d) { return HexLower(d.data(), d.size()); }
inline std::string_view AsView(const Sha256Digest& d) {
  return std::string_view(reinterpret_cast<const char*>(d.data()), d.size());
}

}  // namespace slatedb::s3
