// SPDX-License-Identifier: Apache-2.0
//
// GcsConfigFromOptions: object_store's key names and aliases, service-account keys (inline
// and in files, with object_store's emulator fields), and what is refused.
#include <catch2/catch.hpp>

#include <cstdio>
#include <fstream>

#include "slatedb/platform/gcs_object_store.h"

namespace slatedb::testing {
namespace {

TEST_CASE("gcs config: bucket aliases, prefix in the bucket, no credentials", "[gcs]") {
  for (const char* key : {"google_bucket", "google_bucket_name", "bucket", "bucket_name"}) {
    Result<GcsConfig> c = GcsConfigFromOptions({{key, "b1/some/prefix/"}});
    REQUIRE(c.ok());
    CHECK(c->bucket == "b1");
    CHECK(c->prefix == "some/prefix/");
    CHECK(c->base_url == "https://storage.googleapis.com");
    CHECK_FALSE(c->anonymous);
    CHECK_FALSE(c->has_service_account());
    CHECK_FALSE(c->missing_credentials.empty());
  }
  Result<GcsConfig> from_url = GcsConfigFromOptions({}, "urlbucket");
  REQUIRE(from_url.ok());
  CHECK(from_url->bucket == "urlbucket");
  CHECK(GcsConfigFromOptions({}).status().kind() == ErrorKind::kInvalid);
  Status unknown = GcsConfigFromOptions({{"bucket", "b"}, {"google_regionx", "x"}}).status();
  CHECK(unknown.kind() == ErrorKind::kInvalid);
  CHECK_THAT(unknown.message(), Catch::Contains("google_regionx"));
}

TEST_CASE("gcs config: emulator host and object_store's emulator key fields", "[gcs]") {
  Result<GcsConfig> emu =
      GcsConfigFromOptions({{"bucket", "b"}, {"storage_emulator_host", "127.0.0.1:4443"}});
  REQUIRE(emu.ok());
  CHECK(emu->anonymous);
  CHECK(emu->base_url == "http://127.0.0.1:4443");

  const std::string key =
      R"({"gcs_base_url": "http://localhost:9/", "disable_oauth": true,
          "client_email": "", "private_key": "", "private_key_id": ""})";
  for (const char* name : {"google_service_account_key", "service_account_key"}) {
    Result<GcsConfig> c = GcsConfigFromOptions({{"bucket", "b"}, {name, key}});
    REQUIRE(c.ok());
    CHECK(c->anonymous);
    CHECK(c->base_url == "http://localhost:9");
  }
  // The same key from a file, under every path key.
  std::string path = "/tmp/slatedb-gcs-key-" + std::to_string(::getpid()) + ".json";
  std::ofstream(path) << key;
  for (const char* name :
       {"google_service_account", "service_account", "google_service_account_path",
        "service_account_path", "google_application_credentials"}) {
    Result<GcsConfig> c = GcsConfigFromOptions({{"bucket", "b"}, {name, path}});
    INFO(name << ": " << c.status().ToString());
    REQUIRE(c.ok());
    CHECK(c->anonymous);
  }
  std::remove(path.c_str());
  CHECK(GcsConfigFromOptions({{"bucket", "b"}, {"service_account", path}}).status().kind() ==
        ErrorKind::kInvalid);
  CHECK(GcsConfigFromOptions({{"bucket", "b"}, {"service_account_key", "{"}}).status().kind() ==
        ErrorKind::kInvalid);
  Status user = GcsConfigFromOptions(
                    {{"bucket", "b"}, {"service_account_key", R"({"type":"authorized_user"})"}})
                    .status();
  CHECK(user.kind() == ErrorKind::kInvalid);
  CHECK_THAT(user.message(), Catch::Contains("authorized_user"));
}

}  // namespace
}  // namespace slatedb::testing
