// SPDX-License-Identifier: Apache-2.0
//
// AWS Signature Version 4, header-based (the Authorization header), as S3 and every
// S3-compatible store accept it. Pure computation: the caller supplies the time, the
// headers to sign and the payload hash. Checked against AWS's published worked examples
// in tests/s3/sigv4_test.cc.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace slatedb::s3 {

using NameValues = std::vector<std::pair<std::string, std::string>>;

struct SigV4Input {
  std::string method;         // "GET", "PUT", ...
  std::string canonical_uri;  // the request path, already percent-encoded ("/" at least)
  NameValues query;           // raw (not yet encoded) query parameters, any order
  NameValues headers;         // headers to sign, any case and order; must include host
  std::string payload_hash;   // hex SHA-256 of the body, or "UNSIGNED-PAYLOAD"
  std::string amz_date;       // "20130524T000000Z" (UTC)
  std::string region;         // "us-east-1"
  std::string service;        // "s3"
};

struct SigV4Output {
  std::string canonical_request;
  std::string string_to_sign;
  std::string signature;      // lower-case hex
  std::string authorization;  // the Authorization header value
};

// Signs `in` with the given key pair. The secret is used only to derive the signing key;
// it appears in no output field.
SigV4Output SignV4(const SigV4Input& in, std::string_view access_key_id,
                   std::string_view secret_access_key);

// The canonical query string: names and values percent-encoded, sorted, joined by '&'.
// Also what the request URL carries, so the server sees exactly what was signed.
std::string CanonicalQuery(const NameValues& query);

}  // namespace slatedb::s3
