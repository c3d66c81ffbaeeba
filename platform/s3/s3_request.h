// SPDX-License-Identifier: Apache-2.0
//
// RequestSigner: turns (method, key, query, headers, body hash, time) into a signed
// HttpRequest for one S3Config: the URL in path or virtual-hosted style, the Host header,
// x-amz-date, x-amz-content-sha256, the session token, and the SigV4 Authorization.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "s3/sigv4.h"
#include "slatedb/platform/http_transport.h"
#include "slatedb/platform/s3_config.h"

namespace slatedb::s3 {

// SHA-256 of the empty string: the payload hash of every request without a body.
inline constexpr char kEmptyPayloadSha256[] =
    "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

class RequestSigner {
 public:
  // REQUIRES: config.Validate() is OK, and `config` outlives the signer (it is kept by
  // reference, not copied).
  explicit RequestSigner(const S3Config& config);

  // A signed request for `object_key` (the full key, prefix included; empty for
  // bucket-level calls such as ListObjectsV2). `headers` are added and signed.
  HttpRequest Build(std::string_view method, std::string_view object_key, const NameValues& query,
                    HttpHeaders headers, std::shared_ptr<const std::string> body,
                    const std::string& payload_hash, int64_t now_ms) const;

  // "s3://bucket/key", for messages.
  std::string Describe(std::string_view object_key) const;

 private:
  const S3Config& config_;
  std::string scheme_;
  std::string host_;         // the Host header and the URL authority (s3/endpoint.h: canonical)
  std::string path_prefix_;  // "/bucket" (path style) or "" (virtual-hosted)
};

}  // namespace slatedb::s3
