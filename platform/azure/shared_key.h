// SPDX-License-Identifier: Apache-2.0
//
// Azure Blob requests: the URL (<service>[/<account> in emulator mode]/<container>/<blob>),
// x-ms-date and x-ms-version, and the authorization: Shared Key (HMAC-SHA256 of the
// canonical string to sign, with s3/sha256.h's HMAC), a SAS token appended to the query, or
// nothing.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "s3/sigv4.h"  // NameValues
#include "slatedb/platform/azure_config.h"
#include "slatedb/platform/http_transport.h"

namespace slatedb::azure {

// The REST API version every request names.
inline constexpr char kApiVersion[] = "2021-08-06";

std::string Base64Encode(std::string_view bytes);
// nullopt unless `text` is standard base64 with padding.
std::optional<std::string> Base64Decode(std::string_view text);

// `message` with the value of every "sig=" (a SAS token's signature, which request URLs
// carry and transport errors repeat) replaced by "REDACTED".
std::string RedactSasSignature(std::string_view message);

// The Shared Key string to sign (2015-02-21 and later): the verb, the standard headers in
// their fixed order (Content-Length empty when 0), the x-ms-* headers sorted, then
// "/<account><path>" and the query parameters sorted by name, one per line.
// `headers` are lower-case names; `path` is the URL path as sent (percent-encoded).
std::string StringToSign(std::string_view method, const HttpHeaders& headers,
                         std::string_view account, std::string_view path,
                         const s3::NameValues& query);

class RequestBuilder {
 public:
  // REQUIRES: config.Validate() is OK; `config` outlives the builder (kept by reference).
  explicit RequestBuilder(const AzureConfig& config);

  // A request for `blob` (the full name, prefix included; empty for container-level calls
  // such as List Blobs). `headers` (lower-case names) are sent and signed; a body's
  // Content-Length is signed from its size.
  HttpRequest Build(std::string_view method, std::string_view blob, const s3::NameValues& query,
                    HttpHeaders headers, std::shared_ptr<const std::string> body,
                    int64_t now_ms) const;

  // "az://container/blob", for messages.
  std::string Describe(std::string_view blob) const;

 private:
  const AzureConfig& config_;
  std::string origin_;     // "scheme://host[:port]"
  std::string base_path_;  // endpoint path [+ "/account"] + "/container"
  std::string key_;        // the decoded account key; empty: no Shared Key
  std::string sas_;        // the SAS query without '?'; empty: none
};

}  // namespace slatedb::azure
