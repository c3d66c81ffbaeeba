// SPDX-License-Identifier: Apache-2.0
//
// SigV4: canonical request -> string to sign -> HMAC chain. The steps follow AWS's
// "Create a canonical request" description; each intermediate string is returned so tests
// can compare it with the documented one.
#include "s3/sigv4.h"

#include <algorithm>
#include <cctype>

#include "s3/sha256.h"
#include "s3/uri.h"

namespace slatedb::s3 {
namespace {

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

// Trims surrounding whitespace and collapses inner runs of spaces to one, as SigV4 asks.
std::string CanonicalHeaderValue(std::string_view v) {
  std::string out;
  bool in_space = false;
  for (char c : v) {
    if (c == ' ' || c == '\t') {
      in_space = !out.empty();
      continue;
    }
    if (in_space) out.push_back(' ');
    in_space = false;
    out.push_back(c);
  }
  return out;
}

}  // namespace

std::string CanonicalQuery(const NameValues& query) {
  std::vector<std::pair<std::string, std::string>> encoded;
  encoded.reserve(query.size());
  for (const auto& [name, value] : query) {
    encoded.emplace_back(UriEncode(name, false), UriEncode(value, false));
  }
  std::sort(encoded.begin(), encoded.end());
  std::string out;
  for (const auto& [name, value] : encoded) {
    if (!out.empty()) out.push_back('&');
    out += name;
    out.push_back('=');
    out += value;
  }
  return out;
}

SigV4Output SignV4(const SigV4Input& in, std::string_view access_key_id,
                   std::string_view secret_access_key) {
  std::vector<std::pair<std::string, std::string>> headers;
  headers.reserve(in.headers.size());
  for (const auto& [name, value] : in.headers) {
    headers.emplace_back(Lower(name), CanonicalHeaderValue(value));
  }
  std::sort(headers.begin(), headers.end());

  std::string canonical_headers, signed_headers;
  for (const auto& [name, value] : headers) {
    canonical_headers += name + ":" + value + "\n";
    if (!signed_headers.empty()) signed_headers.push_back(';');
    signed_headers += name;
  }

  SigV4Output out;
  out.canonical_request = in.method + "\n" + in.canonical_uri + "\n" + CanonicalQuery(in.query) +
                          "\n" + canonical_headers + "\n" + signed_headers + "\n" + in.payload_hash;

  const std::string date = in.amz_date.substr(0, 8);
  const std::string scope = date + "/" + in.region + "/" + in.service + "/aws4_request";
  out.string_to_sign = "AWS4-HMAC-SHA256\n" + in.amz_date + "\n" + scope + "\n" +
                       HexLower(Sha256Of(out.canonical_request));

  std::string secret_key = "AWS4";
  secret_key.append(secret_access_key);
  Sha256Digest k_date = HmacSha256(secret_key, date);
  std::fill(secret_key.begin(), secret_key.end(), '\0');  // do not leave the secret around
  Sha256Digest k_region = HmacSha256(AsView(k_date), in.region);
  Sha256Digest k_service = HmacSha256(AsView(k_region), in.service);
  Sha256Digest k_signing = HmacSha256(AsView(k_service), "aws4_request");
  out.signature = HexLower(HmacSha256(AsView(k_signing), out.string_to_sign));

  out.authorization = "AWS4-HMAC-SHA256 Credential=" + std::string(access_key_id) + "/" + scope +
                      ", SignedHeaders=" + signed_headers + ", Signature=" + out.signature;
  return out;
}

}  // namespace slatedb::s3
