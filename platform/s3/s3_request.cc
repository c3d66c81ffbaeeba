// SPDX-License-Identifier: Apache-2.0
//
// Request building and signing. The path sent is the canonical URI that was signed, and
// the query sent is the canonical query, so the server recomputes the same signature.
#include "s3/s3_request.h"

#include <cctype>
#include <utility>

#include "s3/endpoint.h"
#include "s3/time_format.h"
#include "s3/uri.h"

namespace slatedb::s3 {

RequestSigner::RequestSigner(const S3Config& config) : config_(config) {
  Result<Endpoint> ep =
      ParseEndpoint(config.endpoint.empty() ? DefaultAwsEndpoint(config.region) : config.endpoint);
  // Validate() has accepted the endpoint; fall back to AWS defaults defensively.
  scheme_ = ep.ok() ? ep->scheme : "https";
  std::string host = ep.ok() ? ep->host_port : DefaultAwsEndpoint(config.region).substr(8);
  if (config.virtual_hosted_style) {
    // fetch() and DNS lower-case the host name; sign what will be sent.
    host_ = config.bucket + "." + host;
    for (char& c : host_) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  } else {
    host_ = host;
    path_prefix_ = "/" + UriEncode(config.bucket, false);
  }
}

std::string RequestSigner::Describe(std::string_view object_key) const {
  return "s3://" + config_.bucket + "/" + std::string(object_key);
}

HttpRequest RequestSigner::Build(std::string_view method, std::string_view object_key,
                                 const NameValues& query, HttpHeaders headers,
                                 std::shared_ptr<const std::string> body,
                                 const std::string& payload_hash, int64_t now_ms) const {
  std::string path = path_prefix_ + "/" + UriEncode(object_key, /*keep_slash=*/true);
  if (object_key.empty() && !path_prefix_.empty()) path = path_prefix_;

  const std::string amz_date = FormatAmzDate(now_ms);
  headers.emplace_back("host", host_);
  headers.emplace_back("x-amz-date", amz_date);
  headers.emplace_back("x-amz-content-sha256", payload_hash);
  if (!config_.credentials.session_token.empty()) {
    headers.emplace_back("x-amz-security-token", config_.credentials.session_token);
  }

  HttpRequest request;
  request.method = std::string(method);
  std::string canonical_query = CanonicalQuery(query);
  request.url = scheme_ + "://" + host_ + path;
  if (!canonical_query.empty()) request.url += "?" + canonical_query;

  // Anonymous access (no key pair) sends the request unsigned, as public buckets allow.
  if (!config_.credentials.access_key_id.empty()) {
    SigV4Input in;
    in.method = request.method;
    in.canonical_uri = path;
    in.query = query;
    in.headers = headers;
    in.payload_hash = payload_hash;
    in.amz_date = amz_date;
    in.region = config_.region;
    in.service = "s3";
    SigV4Output signed_request =
        SignV4(in, config_.credentials.access_key_id, config_.credentials.secret_access_key);
    headers.emplace_back("authorization", std::move(signed_request.authorization));
  }
  request.headers = std::move(headers);
  request.body = std::move(body);
  return request;
}

}  // namespace slatedb::s3
