// SPDX-License-Identifier: Apache-2.0
//
// Choosing a store from a URL or CLOUD_PROVIDER (store_selection.h), the rule the Python
// package and the `slatedb` command line share, and dotenv files under the environment.
#include "slatedb/platform/store_selection.h"

#include <catch2/catch.hpp>

#include <cstdlib>
#include <fstream>
#include <map>

#include "slatedb/platform/local_object_store.h"
#include "testutil/temp_dir.h"

namespace slatedb::testing {
namespace {

EnvLookup Env(std::map<std::string, std::string> vars) {
  return [vars](std::string_view name) -> std::optional<std::string> {
    auto it = vars.find(std::string(name));
    if (it == vars.end()) return std::nullopt;
    return it->second;
  };
}

std::string LocalRoot(const StoreLocation& loc) {
  auto* local = dynamic_cast<LocalObjectStore*>(loc.store.get());
  REQUIRE(local != nullptr);
  return local->root();
}

TEST_CASE("a local database directory splits into its parent (the root) and its name",
          "[platform]") {
  using Split = std::pair<std::string, std::string>;
  CHECK(SplitLocalDatabaseDir("/var/lib/app/db") == Split{"/var/lib/app", "db"});
  CHECK(SplitLocalDatabaseDir("/var/lib/app/db/") == Split{"/var/lib/app", "db"});
  CHECK(SplitLocalDatabaseDir("/var/lib/./x/../app//db") == Split{"/var/lib/app", "db"});
  CHECK(SplitLocalDatabaseDir("/db") == Split{"/db", ""});
  CHECK(SplitLocalDatabaseDir("/") == Split{"/", ""});
  CHECK(SplitLocalDatabaseDir("db") == Split{"db", ""});
  CHECK(SplitLocalDatabaseDir("a/b") == Split{"a", "b"});
}

TEST_CASE("stores by URL: memory, file, bad and unknown schemes", "[platform]") {
  TempDir dir;
  Result<StoreLocation> memory = OpenStoreForUrl("memory:///", "/tenant/db/", Env({}));
  REQUIRE(memory.ok());
  CHECK(memory->path == "tenant/db");
  CHECK(memory->store->Describe() == "memory");

  Result<StoreLocation> file = OpenStoreForUrl("file://" + dir.path(), "db", Env({}));
  REQUIRE(file.ok());
  CHECK(file->path == "db");
  CHECK(LocalRoot(*file) == dir.path());
  // The same database named by its own directory.
  Result<StoreLocation> direct = OpenStoreForUrl("FILE://" + dir.Join("db"), "", Env({}));
  REQUIRE(direct.ok());
  CHECK(direct->path == "db");
  CHECK(LocalRoot(*direct) == dir.path());

  CHECK(OpenStoreForUrl(":invalid:", "db", Env({})).status().code() == StatusCode::kInvalid);
  CHECK(OpenStoreForUrl("://x", "db", Env({})).status().code() == StatusCode::kInvalid);
  Status relative = OpenStoreForUrl("file://relative/dir", "db", Env({})).status();
  CHECK(relative.code() == StatusCode::kInvalid);
  CHECK(relative.message().find("absolute path") != std::string::npos);
  Status unknown = OpenStoreForUrl("gopher://host/x", "db", Env({})).status();
  CHECK(unknown.code() == StatusCode::kUnavailable);
  CHECK(unknown.message() == "unsupported object store scheme: gopher");
  CHECK(OpenStoreForUrl("s3://", "db", Env({})).status().code() == StatusCode::kInvalid);
  // A malformed S3 variable is reported before any network access.
  CHECK(
      OpenStoreForUrl("s3://bucket/p", "db", Env({{"AWS_ALLOW_HTTP", "maybe"}})).status().code() ==
      StatusCode::kInvalid);
}

TEST_CASE("stores from CLOUD_PROVIDER", "[platform]") {
  TempDir dir;
  Status none = OpenStoreFromEnv("db", Env({})).status();
  CHECK(none.code() == StatusCode::kInvalid);
  CHECK(none.message().find("CLOUD_PROVIDER") != std::string::npos);
  CHECK(OpenStoreFromEnv("db", Env({{"CLOUD_PROVIDER", "local"}})).status().message() ==
        "undefined environment variable LOCAL_PATH");
  Result<StoreLocation> local =
      OpenStoreFromEnv("db", Env({{"CLOUD_PROVIDER", "Local"}, {"LOCAL_PATH", dir.path()}}));
  REQUIRE(local.ok());
  CHECK(local->path == "db");
  CHECK(LocalRoot(*local) == dir.path());
  Result<StoreLocation> memory = OpenStoreFromEnv("/db", Env({{"CLOUD_PROVIDER", "memory"}}));
  REQUIRE(memory.ok());
  CHECK(memory->path == "db");
  CHECK(OpenStoreFromEnv("db", Env({{"CLOUD_PROVIDER", "floppy"}})).status().message() ==
        "unsupported CLOUD_PROVIDER: floppy");
  CHECK(OpenStoreFromEnv("db", Env({{"CLOUD_PROVIDER", "aws"}})).status().code() ==
        StatusCode::kInvalid);  // no AWS_BUCKET
}

TEST_CASE("dotenv files under the process environment", "[platform]") {
  TempDir dir;
  std::ofstream(dir.Join("vars.env")) << "# a comment\nSLATEDB_SEL_FILE_ONLY=from file\n"
                                         "SLATEDB_SEL_BOTH=from file\n";
  ::setenv("SLATEDB_SEL_BOTH", "from process", 1);
  Result<EnvLookup> env = ProcessEnvWithDotEnv(dir.Join("vars.env"));
  REQUIRE(env.ok());
  CHECK((*env)("SLATEDB_SEL_FILE_ONLY") == "from file");
  CHECK((*env)("SLATEDB_SEL_BOTH") == "from process");
  CHECK(!(*env)("SLATEDB_SEL_NOWHERE").has_value());
  Result<EnvLookup> missing = ProcessEnvWithDotEnv(dir.Join("missing.env"));
  REQUIRE(missing.ok());
  CHECK((*missing)("SLATEDB_SEL_BOTH") == "from process");
  CHECK(!(*missing)("SLATEDB_SEL_FILE_ONLY").has_value());
  ::unsetenv("SLATEDB_SEL_BOTH");
  std::ofstream(dir.Join("bad.env")) << "OK=1\nthis is not an assignment\n";
  Status bad = ProcessEnvWithDotEnv(dir.Join("bad.env")).status();
  CHECK(bad.code() == StatusCode::kInvalid);
  CHECK(bad.message().find("bad.env") != std::string::npos);
  CHECK(bad.message().find("line 2") != std::string::npos);
}

}  // namespace
}  // namespace slatedb::testing
