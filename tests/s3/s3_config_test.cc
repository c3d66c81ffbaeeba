// SPDX-License-Identifier: Apache-2.0
//
// S3Config from s3:// URLs, AWS_* variables and dotenv text; secrets stay out of messages.
#include "slatedb/platform/dotenv.h"
#include "slatedb/platform/s3_config.h"

#include <catch2/catch.hpp>

#include <map>

namespace slatedb {
namespace {

EnvLookup Env(std::map<std::string, std::string> vars) {
  return [vars](std::string_view name) -> std::optional<std::string> {
    auto it = vars.find(std::string(name));
    if (it == vars.end()) return std::nullopt;
    return it->second;
  };
}

TEST_CASE("s3 config from a URL and AWS variables", "[s3]") {
  Result<S3Config> c =
      S3ConfigFromUrl("s3://my-bucket/some/prefix/", Env({{"AWS_ACCESS_KEY_ID", "AKID"},
                                                          {"AWS_SECRET_ACCESS_KEY", "s3cr3t"},
                                                          {"AWS_SESSION_TOKEN", "tok"},
                                                          {"AWS_DEFAULT_REGION", "eu-west-1"}}));
  REQUIRE(c.ok());
  CHECK(c->bucket == "my-bucket");
  CHECK(c->prefix == "some/prefix/");
  CHECK(c->region == "eu-west-1");
  CHECK(c->virtual_hosted_style);
  CHECK(c->endpoint.empty());
  CHECK(c->credentials.session_token == "tok");
  CHECK(c->Describe().find("s3cr3t") == std::string::npos);
  CHECK(c->Describe().find("AKID") == std::string::npos);

  c = S3ConfigFromUrl("s3a://b", Env({{"AWS_REGION", "us-west-2"},
                                      {"AWS_DEFAULT_REGION", "eu-west-1"},
                                      {"AWS_ENDPOINT_URL", "http://127.0.0.1:9000"},
                                      {"AWS_ALLOW_HTTP", "true"}}));
  REQUIRE(c.ok());
  CHECK(c->prefix.empty());
  CHECK(c->region == "us-west-2");
  CHECK_FALSE(c->virtual_hosted_style);  // custom endpoints default to path style

  c = S3ConfigFromUrl("s3://b", Env({{"AWS_ENDPOINT_URL", "https://acct.r2.cloudflarestorage.com"},
                                     {"AWS_VIRTUAL_HOSTED_STYLE_REQUEST", "true"}}));
  REQUIRE(c.ok());
  CHECK(c->virtual_hosted_style);
}

TEST_CASE("s3 config rejects bad URLs and values without echoing secrets", "[s3]") {
  auto invalid = [](Result<S3Config> r) { return r.status().kind() == ErrorKind::kInvalid; };
  CHECK(invalid(S3ConfigFromUrl("gs://b", Env({}))));
  CHECK(invalid(S3ConfigFromUrl("s3://", Env({}))));
  CHECK(invalid(S3ConfigFromUrl("s3:///x", Env({}))));
  CHECK(invalid(S3ConfigFromUrl("s3://b/a/../c", Env({}))));
  CHECK(invalid(S3ConfigFromUrl("s3://b", Env({{"AWS_ENDPOINT_URL", "http://h:1"}}))));
  CHECK(invalid(S3ConfigFromUrl("s3://b", Env({{"AWS_ENDPOINT_URL", "ftp://h"}}))));
  CHECK(invalid(S3ConfigFromUrl("s3://b", Env({{"AWS_ENDPOINT_URL", "https://h/path"}}))));
  CHECK(invalid(S3ConfigFromUrl("s3://b", Env({{"AWS_ALLOW_HTTP", "maybe"}}))));
  Result<S3Config> half = S3ConfigFromUrl("s3://b", Env({{"AWS_SECRET_ACCESS_KEY", "s3cr3t"}}));
  CHECK(invalid(half));
  CHECK(half.status().message().find("s3cr3t") == std::string::npos);
}

TEST_CASE("s3 config from variables alone (CLOUD_PROVIDER=aws style)", "[s3]") {
  Result<S3Config> c = S3ConfigFromEnv(Env({{"AWS_BUCKET", "b/db1"}}));
  REQUIRE(c.ok());
  CHECK(c->bucket == "b");
  CHECK(c->prefix == "db1/");
  CHECK(S3ConfigFromEnv(Env({})).status().kind() == ErrorKind::kInvalid);
}

TEST_CASE("dotenv parsing", "[s3]") {
  Result<std::map<std::string, std::string>> vars = ParseDotEnv(
      "# comment\n\nCLOUD_PROVIDER=aws\nexport AWS_BUCKET = b/p  # trailing\n"
      "AWS_SECRET_ACCESS_KEY=\"a \\\"q\\\" #x\"\nSINGLE='raw \\n'\nEMPTY=\r\n");
  REQUIRE(vars.ok());
  CHECK(vars->at("CLOUD_PROVIDER") == "aws");
  CHECK(vars->at("AWS_BUCKET") == "b/p");
  CHECK(vars->at("AWS_SECRET_ACCESS_KEY") == "a \"q\" #x");
  CHECK(vars->at("SINGLE") == "raw \\n");
  CHECK(vars->at("EMPTY").empty());
  Result<std::map<std::string, std::string>> bad = ParseDotEnv("OK=1\nsecret-value-line\n");
  CHECK(bad.status().kind() == ErrorKind::kInvalid);
  CHECK(bad.status().message().find("line 2") != std::string::npos);
  CHECK(bad.status().message().find("secret-value-line") == std::string::npos);
  CHECK(ParseDotEnv("A=\"open\n").status().kind() == ErrorKind::kInvalid);
}

}  // namespace
}  // namespace slatedb
