// SPDX-License-Identifier: Apache-2.0
//
// S3Config: where an S3ObjectStore keeps its objects and how it signs requests, built
// the way AWS tools are configured: an s3://bucket/prefix URL plus the standard AWS_*
// variables (from the process environment or a dotenv file with CLOUD_PROVIDER=aws).
// Portable: variables are passed in as a lookup function, nothing here reads the
// environment or files itself (see s3_native.h for that).
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "slatedb/result.h"

namespace slatedb {

struct S3Credentials {
  std::string access_key_id;
  std::string secret_access_key;  // never logged, never in an error message
  std::string session_token;      // temporary credentials (STS); empty if none
};

struct S3Config {
  std::string bucket;
  // Prepended to every key: "" or a path ending in '/' ("tenant/db1/").
  std::string prefix;
  std::string region = "us-east-1";
  // scheme://host[:port] of the service; empty means AWS (https://s3.<region>.amazonaws.com).
  std::string endpoint;
  // Virtual-hosted style (https://bucket.host/key) instead of path style
  // (https://host/bucket/key). AWS defaults to virtual-hosted; custom endpoints to path.
  bool virtual_hosted_style = true;
  // Plain http:// endpoints are refused unless this is set (AWS_ALLOW_HTTP=true).
  bool allow_http = false;
  S3Credentials credentials;
  // Hash the body into the signature (x-amz-content-sha256); otherwise send
  // UNSIGNED-PAYLOAD and rely on TLS for integrity.
  bool sign_payload = true;

  // "s3://bucket/prefix (region, endpoint)": safe to log, holds no credentials.
  std::string Describe() const;
  // Invalid if the bucket is missing or malformed, the endpoint is not http(s)://host or
  // is http:// without allow_http, or only one half of a key pair is set.
  Status Validate() const;
};

// Variable lookup: returns the value of an AWS_* (or CLOUD_PROVIDER) variable, if set.
using EnvLookup = std::function<std::optional<std::string>(std::string_view name)>;

// Builds a config from an "s3://bucket[/prefix]" (or "s3a://") URL and the variables:
// AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN, AWS_REGION (else
// AWS_DEFAULT_REGION, else us-east-1), AWS_ENDPOINT_URL (else AWS_ENDPOINT), AWS_ALLOW_HTTP,
// AWS_VIRTUAL_HOSTED_STYLE_REQUEST. Invalid on a malformed URL or value.
Result<S3Config> S3ConfigFromUrl(std::string_view url, const EnvLookup& env);

// Builds a config from variables alone, as SlateDB's `from_env` does for
// CLOUD_PROVIDER=aws: AWS_BUCKET (or AWS_BUCKET_NAME) names the bucket, optionally
// "bucket/prefix", plus every variable S3ConfigFromUrl reads.
Result<S3Config> S3ConfigFromEnv(const EnvLookup& env);

}  // namespace slatedb
