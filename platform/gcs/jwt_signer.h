// SPDX-License-Identifier: Apache-2.0
//
// The JWT a service account presents to Google's token endpoint (RFC 7523 bearer grant),
// signed RS256 with the key's PEM private key through OpenSSL's libcrypto. Native only.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "slatedb/result.h"

namespace slatedb::gcs {

// base64url without padding (RFC 7515 section 2).
std::string Base64Url(std::string_view bytes);

class JwtSigner {
 public:
  // Invalid if `private_key_pem` is not a PEM RSA private key.
  static Result<std::unique_ptr<JwtSigner>> Create(const std::string& private_key_pem);
  ~JwtSigner();

  // header.claims.signature for the claims iss=`email`, scope=`scope`, aud=`audience`,
  // iat=`now_s`, exp=`now_s` + 3600; the header names `key_id` as "kid" when non-empty.
  Result<std::string> Sign(const std::string& email, const std::string& key_id,
                           const std::string& scope, const std::string& audience,
                           int64_t now_s) const;

 private:
  struct Key;
  explicit JwtSigner(std::unique_ptr<Key> key);
  std::unique_ptr<Key> key_;
};

}  // namespace slatedb::gcs
