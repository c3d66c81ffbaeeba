// SPDX-License-Identifier: Apache-2.0
//
// S3Config from URLs and AWS_* variables. Error messages name variables and
// what is wrong with them, never their values (a misplaced secret must not be printed).
#include "slatedb/platform/s3_config.h"

#include <cctype>

#include "s3/config_text.h"
#include "s3/endpoint.h"
#include "slatedb/object_store.h"

namespace slatedb {
namespace {

using s3::LowerAscii;

// "a/b" -> "a/b/"; "" stays ""; leading and trailing slashes are dropped first.
Result<std::string> NormalizePrefix(std::string_view path) {
  while (!path.empty() && path.front() == '/') path.remove_prefix(1);
  while (!path.empty() && path.back() == '/') path.remove_suffix(1);
  if (path.empty()) return std::string();
  std::string prefix(path);
  prefix.push_back('/');
  Status valid = ValidateObjectKey(prefix + "x");
  if (!valid.ok()) return Status::Invalid("s3: bad key prefix: " + valid.message());
  return prefix;
}

Status ApplyEnv(const EnvLookup& env, S3Config* config) {
  auto get = [&env](std::string_view name) -> std::optional<std::string> {
    std::optional<std::string> v = env(name);
    if (v && v->empty()) return std::nullopt;
    return v;
  };
  if (auto v = get("AWS_ACCESS_KEY_ID")) config->credentials.access_key_id = *v;
  if (auto v = get("AWS_SECRET_ACCESS_KEY")) config->credentials.secret_access_key = *v;
  if (auto v = get("AWS_SESSION_TOKEN")) config->credentials.session_token = *v;
  if (auto v = get("AWS_REGION")) {
    config->region = *v;
  } else if (auto d = get("AWS_DEFAULT_REGION")) {
    config->region = *d;
  }
  std::optional<std::string> endpoint = get("AWS_ENDPOINT_URL");
  if (!endpoint) endpoint = get("AWS_ENDPOINT");
  if (endpoint) {
    config->endpoint = *endpoint;
    config->virtual_hosted_style = false;  // custom stores (MinIO, moto) want path style
  }
  if (auto v = get("AWS_ALLOW_HTTP")) {
    SLATEDB_ASSIGN_OR_RETURN(config->allow_http, s3::ParseBoolOption("AWS_ALLOW_HTTP", *v));
  }
  if (auto v = get("AWS_VIRTUAL_HOSTED_STYLE_REQUEST")) {
    SLATEDB_ASSIGN_OR_RETURN(config->virtual_hosted_style,
                             s3::ParseBoolOption("AWS_VIRTUAL_HOSTED_STYLE_REQUEST", *v));
  }
  return Status::Ok();
}

// "bucket/prefix" -> config.bucket, config.prefix.
Status SetLocation(std::string_view bucket_and_path, S3Config* config) {
  size_t slash = bucket_and_path.find('/');
  config->bucket = std::string(bucket_and_path.substr(0, slash));
  std::string_view path =
      slash == std::string_view::npos ? std::string_view() : bucket_and_path.substr(slash + 1);
  SLATEDB_ASSIGN_OR_RETURN(config->prefix, NormalizePrefix(path));
  return Status::Ok();
}

}  // namespace

std::string S3Config::Describe() const {
  std::string out = "s3://" + bucket + "/" + prefix;
  out += " (region " + region;
  if (!endpoint.empty()) out += ", endpoint " + endpoint;
  out += virtual_hosted_style ? ", virtual-hosted style)" : ", path style)";
  return out;
}

Status S3Config::Validate() const {
  if (bucket.empty() || bucket.size() > 255) {
    return Status::Invalid("s3: the bucket name is missing or too long");
  }
  for (char c : bucket) {
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '-' && c != '.' && c != '_') {
      return Status::Invalid("s3: bucket name '" + bucket + "' has a character S3 does not allow");
    }
  }
  if (!prefix.empty()) {
    if (prefix.back() != '/') return Status::Invalid("s3: the key prefix must end in '/'");
    Status valid = ValidateObjectKey(prefix + "x");
    if (!valid.ok()) return Status::Invalid("s3: bad key prefix: " + valid.message());
  }
  if (region.empty()) return Status::Invalid("s3: the region is empty");
  if (!endpoint.empty()) {
    SLATEDB_ASSIGN_OR_RETURN(s3::Endpoint ep, s3::ParseEndpoint(endpoint));
    if (ep.scheme == "http" && !allow_http) {
      return Status::Invalid("s3: endpoint " + endpoint +
                             " is plain http; set AWS_ALLOW_HTTP=true to allow it");
    }
  }
  if (credentials.access_key_id.empty() != credentials.secret_access_key.empty()) {
    return Status::Invalid("s3: set both AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or neither");
  }

  return Status::Ok();
}

Result<S3Config> S3ConfigFromUrl(std::string_view url, const EnvLookup& env) {
  std::string_view rest;
  if (url.substr(0, 5) == "s3://") {
    rest = url.substr(5);
  } else if (url.substr(0, 6) == "s3a://") {
    rest = url.substr(6);
  } else {
    return Status::Invalid("s3: URL must start with s3:// (got '" + std::string(url) + "')");
  }
  if (rest.empty() || rest.front() == '/') {
    return Status::Invalid("s3: URL has no bucket: '" + std::string(url) + "'");
  }
  S3Config config;
  SLATEDB_RETURN_IF_ERROR(SetLocation(rest, &config));
  SLATEDB_RETURN_IF_ERROR(ApplyEnv(env, &config));
  SLATEDB_RETURN_IF_ERROR(config.Validate());
  return config;
}

Result<S3Config> S3ConfigFromEnv(const EnvLookup& env) {
  std::optional<std::string> bucket = env("AWS_BUCKET");
  if (!bucket || bucket->empty()) bucket = env("AWS_BUCKET_NAME");
  if (!bucket || bucket->empty()) {
    return Status::Invalid("s3: set AWS_BUCKET (\"bucket\" or \"bucket/prefix\")");
  }
  std::string_view b = *bucket;
  if (b.substr(0, 5) == "s3://") b.remove_prefix(5);
  S3Config config;
  SLATEDB_RETURN_IF_ERROR(SetLocation(b, &config));
  SLATEDB_RETURN_IF_ERROR(ApplyEnv(env, &config));
  SLATEDB_RETURN_IF_ERROR(config.Validate());
  return config;
}

}  // namespace slatedb
