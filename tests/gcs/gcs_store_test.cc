// SPDX-License-Identifier: Apache-2.0
//
// GcsObjectStore against fake-gcs-server (scripts/gcs-test-server.sh exports
// SLATEDB_GCS_TEST_ENDPOINT): the ObjectStore conformance suite, list pagination, and the
// engine's put / flush / reopen / get on GCS.
#include <catch2/catch.hpp>

#include <atomic>
#include <chrono>
#include <cstdlib>
#include <future>
#include <mutex>

#include "slatedb/platform/gcs_object_store.h"
#include "slatedb/platform/http_curl_transport.h"
#include "store/object_store_conformance.h"
#include "tests/db/db_test_util.h"
#include "testutil/sync_object_store.h"

namespace slatedb::testing {
namespace {

constexpr char kBucket[] = "slatedb-gcs-test";

std::optional<std::string> GcsTestEndpoint() {
  const char* v = std::getenv("SLATEDB_GCS_TEST_ENDPOINT");
  if (v == nullptr || *v == '\0') return std::nullopt;
  return std::string(v);
}

#define SLATEDB_GCS_ENDPOINT_OR_SKIP(endpoint)                                    \
  std::string endpoint;                                                           \
  if (auto found_ = GcsTestEndpoint()) {                                          \
    endpoint = *found_;                                                           \
  } else {                                                                        \
    const char* ci_ = std::getenv("CI");                                          \
    if (ci_ != nullptr && std::string(ci_) == "true") FAIL("no GCS test server"); \
    WARN(                                                                         \
        "SKIPPED: no GCS test server (SLATEDB_GCS_TEST_ENDPOINT is unset); run "  \
        "scripts/gcs-test-server.sh build/tests/slatedb_tests \"[gcs]\"");        \
    return;                                                                       \
  }

// Creates the test bucket once (fake-gcs-server accepts anonymous buckets.insert).
void EnsureBucket(const std::string& endpoint) {
  static std::once_flag once;
  std::call_once(once, [&] {
    auto transport = *CurlHttpTransport::Create();
    std::promise<Result<HttpResponse>> answer;
    HttpRequest request{
        "POST",
        endpoint + "/storage/v1/b?project=test",
        {{"content-type", "application/json"}},
        std::make_shared<const std::string>(std::string(R"({"name":")") + kBucket + R"("})")};
    transport->Send(std::move(request),
                    [&](Result<HttpResponse> r) { answer.set_value(std::move(r)); });
    Result<HttpResponse> r = answer.get_future().get();
    REQUIRE(r.ok());
    INFO(r->body);
    REQUIRE((r->status == 200 || r->status == 409));
  });
}

std::string UniquePrefix(const std::string& name) {
  static std::atomic<int> n{0};
  auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                std::chrono::system_clock::now().time_since_epoch())
                .count();
  return name + "-" + std::to_string(n.fetch_add(1)) + "-" + std::to_string(ms) + "/";
}

std::shared_ptr<GcsObjectStore> OpenTestGcsStore(const std::string& endpoint,
                                                 const std::string& prefix) {
  EnsureBucket(endpoint);
  Result<GcsConfig> config =
      GcsConfigFromOptions({{"google_bucket", std::string(kBucket) + "/" + prefix},
                            {"storage_emulator_host", endpoint}});
  REQUIRE(config.ok());
  Result<std::shared_ptr<GcsObjectStore>> store = OpenGcsObjectStore(*config);
  REQUIRE(store.ok());
  return *store;
}

TEST_CASE("gcs store passes the conformance suite", "[gcs]") {
  SLATEDB_GCS_ENDPOINT_OR_SKIP(endpoint);
  CheckObjectStoreConformance([&] { return OpenTestGcsStore(endpoint, UniquePrefix("conf")); });
}

TEST_CASE("gcs store lists across pages and keeps odd key bytes", "[gcs]") {
  SLATEDB_GCS_ENDPOINT_OR_SKIP(endpoint);
  auto store = OpenTestGcsStore(endpoint, UniquePrefix("pages"));
  SyncObjectStore sync(store);
  std::vector<std::string> keys;
  for (int i = 0; i < 30; ++i) keys.push_back("p/" + std::to_string(1000 + i));
  keys.push_back("p/sp ace+plus%pct&amp?q=1#h");
  keys.push_back("p/\xc3\xa9\xe2\x82\xac");
  for (const std::string& k : keys) REQUIRE(sync.Put(k, k).ok());
  for (const std::string& k : keys) CHECK(*sync.Get(k) == k);
  std::sort(keys.begin(), keys.end());
  Result<std::vector<ObjectMeta>> listed = sync.List("p/");
  REQUIRE(listed.ok());
  std::vector<std::string> names;
  for (const ObjectMeta& m : *listed) names.push_back(m.key);
  CHECK(names == keys);
  Result<std::vector<ObjectMeta>> after = sync.List("p/", "p/1015");
  REQUIRE(after.ok());
  CHECK(after->size() == 16);  // 1016..1029 and the two odd keys
}

TEST_CASE("engine on gcs: put, flush, reopen, get", "[gcs]") {
  SLATEDB_GCS_ENDPOINT_OR_SKIP(endpoint);
  auto store = OpenTestGcsStore(endpoint, UniquePrefix("engine"));
  auto executor = std::make_shared<ThreadPoolExecutor>(2);
  auto open = [&] {
    DbOptions o;
    o.object_store = store;
    o.executor = executor;
    o.clock = std::make_shared<SystemClock>();
    o.path = "db";
    o.settings = SmallSettings();
    Result<std::shared_ptr<Db>> db = BlockOn(Db::Open(o));
    REQUIRE(db.status().ToString() == "OK");
    return *db;
  };
  auto db = open();
  for (int i = 0; i < 200; ++i) {
    REQUIRE(BlockOn(db->Put("key" + std::to_string(1000 + i), std::string(64, 'a' + i % 26))).ok());
  }
  REQUIRE(BlockOn(db->Delete("key1007")).ok());
  REQUIRE(BlockOn(db->Flush(FlushType::kMemTable)).ok());
  REQUIRE(BlockOn(db->Close()).ok());
  db = open();
  CHECK(GetOrFail(*db, "key1003") == std::string(64, 'd'));
  CHECK_FALSE(GetOrFail(*db, "key1007").has_value());
  CHECK(ScanAll(*db, "", "").size() == 199);
  REQUIRE(BlockOn(db->Close()).ok());
  CHECK(store->counts().put > 0);
}

}  // namespace
}  // namespace slatedb::testing
