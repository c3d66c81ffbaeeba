// SPDX-License-Identifier: Apache-2.0
//
// AzureBlobObjectStore against Azurite (scripts/azure-test-server.sh exports
// SLATEDB_AZURE_TEST_ENDPOINT): the ObjectStore conformance suite, List Blobs pagination,
// refused credentials and a missing container, the store-selection rule for az:// URLs,
// and the engine on Azure (put, flush, reopen, get).
#include <catch2/catch.hpp>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <future>
#include <mutex>
#include <thread>

#include "azure/shared_key.h"
#include "s3/sha256.h"
#include "s3/uri.h"
#include "slatedb/platform/azure_object_store.h"
#include "slatedb/platform/http_curl_transport.h"
#include "slatedb/platform/store_selection.h"
#include "slatedb/platform/system_clock.h"
#include "slatedb/platform/thread_pool_executor.h"
#include "store/object_store_conformance.h"
#include "tests/db/db_test_util.h"
#include "tests/s3/s3_test_env.h"
#include "testutil/sync_object_store.h"

namespace slatedb::testing {
namespace {

constexpr char kContainer[] = "slatedb-test";

std::optional<std::string> AzureTestEndpoint() {
  const char* v = std::getenv("SLATEDB_AZURE_TEST_ENDPOINT");
  if (v == nullptr || *v == '\0') return std::nullopt;
  return std::string(v);
}

#define SLATEDB_AZURE_ENDPOINT_OR_SKIP(endpoint)                               \
  std::string endpoint;                                                        \
  if (auto found_ = AzureTestEndpoint()) {                                     \
    endpoint = *found_;                                                        \
  } else {                                                                     \
    SLATEDB_S3_SKIP(                                                           \
        "no Azurite (SLATEDB_AZURE_TEST_ENDPOINT is unset); run "              \
        "scripts/azure-test-server.sh build/tests/slatedb_tests \"[azure]\""); \
  }

AzureConfig EmulatorConfig(const std::string& endpoint, const std::string& container,
                           const std::string& prefix) {
  Result<AzureConfig> config =
      AzureConfigFromUrl("az://" + container + "/" + prefix, {{"use_emulator", "true"}}, endpoint);
  INFO(config.status().ToString());
  REQUIRE(config.ok());
  return *config;
}

std::shared_ptr<AzureBlobObjectStore> StoreWith(AzureConfig config) {
  CurlHttpOptions http;
  http.request_timeout_ms = 10'000;
  Result<std::shared_ptr<CurlHttpTransport>> transport = CurlHttpTransport::Create(http);
  REQUIRE(transport.ok());
  Result<std::shared_ptr<AzureBlobObjectStore>> store = AzureBlobObjectStore::Create(
      std::move(config), *transport, std::make_shared<ThreadPoolExecutor>(2),
      std::make_shared<SystemClock>());
  INFO(store.status().ToString());
  REQUIRE(store.ok());
  return *store;
}

Status Wait(const std::function<void(ObjectStore::StatusCallback)>& start) {
  std::promise<Status> done;
  start([&done](Status s) { done.set_value(std::move(s)); });
  return done.get_future().get();
}

// A store on container "slatedb-test" (created on first use) under `prefix`.
std::shared_ptr<AzureBlobObjectStore> OpenTestAzureStore(const std::string& endpoint,
                                                         const std::string& prefix) {
  auto store = StoreWith(EmulatorConfig(endpoint, kContainer, prefix));
  static std::once_flag created;
  std::call_once(created, [&] {
    Status s = Wait([&](ObjectStore::StatusCallback done) { store->CreateContainer(done); });
    INFO(s.ToString());
    REQUIRE(s.ok());
  });
  return store;
}

TEST_CASE("azure store passes the conformance suite", "[azure]") {
  SLATEDB_AZURE_ENDPOINT_OR_SKIP(endpoint);
  CheckObjectStoreConformance(
      [&] { return OpenTestAzureStore(endpoint, UniqueS3Prefix("conformance")); });
}

TEST_CASE("azure store lists past one List Blobs page and encodes key bytes", "[azure]") {
  SLATEDB_AZURE_ENDPOINT_OR_SKIP(endpoint);
  auto store = OpenTestAzureStore(endpoint, UniqueS3Prefix("pages"));
  auto retrying = Retrying(store);
  constexpr int kObjects = 5100;  // pages hold at most 5000 blobs
  std::atomic<int> pending{kObjects}, failed{0};
  for (int i = 0; i < kObjects; ++i) {
    char key[32];
    std::snprintf(key, sizeof(key), "p/%05d", i);
    retrying->Put(key, "v", {}, [&](Result<ObjectMeta> r) {
      if (!r.ok()) failed.fetch_add(1);
      pending.fetch_sub(1);
    });
  }
  while (pending.load() > 0) std::this_thread::sleep_for(std::chrono::milliseconds(5));
  REQUIRE(failed.load() == 0);
  SyncObjectStore sync(store);
  Result<std::vector<ObjectMeta>> listed = sync.List("p/");
  REQUIRE(listed.ok());
  REQUIRE(listed->size() == static_cast<size_t>(kObjects));
  CHECK(listed->front().key == "p/00000");
  CHECK(listed->back().key == "p/05099");
  CHECK(store->counts().list >= 2);
  Result<std::vector<ObjectMeta>> after = sync.List("p/", "p/05097");
  REQUIRE(after.ok());
  CHECK(after->size() == 2);

  const std::string odd = "enc/\xc3\xa9 space+plus%pct&amp?q=1#h";
  REQUIRE(sync.Put(odd, "x").ok());
  CHECK(*sync.Get(odd) == "x");
  Result<std::vector<ObjectMeta>> enc = sync.List("enc/");
  REQUIRE(enc.ok());
  REQUIRE(enc->size() == 1);
  CHECK(enc->front().key == odd);
}

TEST_CASE("azure store: a wrong key and a missing container are Invalid", "[azure]") {
  SLATEDB_AZURE_ENDPOINT_OR_SKIP(endpoint);
  OpenTestAzureStore(endpoint, UniqueS3Prefix("init"));  // the container exists
  AzureConfig bad = EmulatorConfig(endpoint, kContainer, "");
  bad.access_key =
      "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA";
  auto wrong_key = StoreWith(bad);
  Status refused = Wait([&](ObjectStore::StatusCallback done) { wrong_key->CheckAccess(done); });
  CHECK(refused.code() == StatusCode::kInvalid);
  CHECK(refused.message().find("403") != std::string::npos);
  CHECK(refused.message().find(bad.access_key) == std::string::npos);

  auto missing = StoreWith(EmulatorConfig(endpoint, "no-such-container", ""));
  Status absent = Wait([&](ObjectStore::StatusCallback done) { missing->CheckAccess(done); });
  CHECK(absent.code() == StatusCode::kInvalid);
  CHECK(absent.message().find("ContainerNotFound") != std::string::npos);
  SyncObjectStore sync(missing);
  CHECK(sync.Get("k").status().code() == StatusCode::kInvalid);
}

// An account SAS (blob service; read, write, delete, list, add, create) signed with the
// emulator's key, as the portal or `az storage account generate-sas` would make one.
std::string EmulatorAccountSas() {
  const std::string sp = "rwdlac", ss = "b", srt = "sco", se = "2099-01-01T00:00:00Z",
                    sv = "2019-12-12";
  std::string to_sign = std::string(kAzuriteAccount) + "\n" + sp + "\n" + ss + "\n" + srt + "\n\n" +
                        se + "\n\n\n" + sv + "\n";
  std::string key = *azure::Base64Decode(kAzuriteAccountKey);
  std::string sig = azure::Base64Encode(s3::AsView(s3::HmacSha256(key, to_sign)));
  return "?sv=" + sv + "&ss=" + ss + "&srt=" + srt + "&sp=" + sp +
         "&se=" + s3::UriEncode(se, false) + "&sig=" + s3::UriEncode(sig, false);
}

TEST_CASE("azure store authorizes with a SAS token, and anonymously is refused", "[azure]") {
  SLATEDB_AZURE_ENDPOINT_OR_SKIP(endpoint);
  OpenTestAzureStore(endpoint, UniqueS3Prefix("init"));
  Result<AzureConfig> config =
      AzureConfigFromUrl(std::string("az://") + kContainer + "/" + UniqueS3Prefix("sas"),
                         {{"use_emulator", "true"}, {"sas_token", EmulatorAccountSas()}}, endpoint);
  REQUIRE(config.ok());
  CHECK(config->access_key.empty());
  auto store = StoreWith(*config);
  SyncObjectStore sync(store);
  Result<ObjectMeta> put = sync.PutIfAbsent("k", "sas");
  INFO(put.status().ToString());
  REQUIRE(put.ok());
  CHECK(*sync.Get("k") == "sas");
  CHECK(sync.PutIfAbsent("k", "again").status().IsAlreadyExists());
  REQUIRE(sync.List("").ok());
  CHECK(sync.List("")->size() == 1);

  AzureConfig anonymous = *config;
  anonymous.sas_token.clear();
  anonymous.skip_signature = true;
  SyncObjectStore unsigned_store(StoreWith(anonymous));
  Status refused = unsigned_store.Get("k").status();
  INFO(refused.ToString());
  CHECK_FALSE(refused.ok());
  CHECK_FALSE(refused.IsUnavailable());  // not worth a retry
}

TEST_CASE("engine on azure: put, flush, reopen, get (through az:// selection)", "[azure]") {
  SLATEDB_AZURE_ENDPOINT_OR_SKIP(endpoint);
  OpenTestAzureStore(endpoint, UniqueS3Prefix("init"));
  const std::string prefix = UniqueS3Prefix("engine");
  EnvLookup env = [&](std::string_view name) -> std::optional<std::string> {
    if (name == "AZURE_STORAGE_USE_EMULATOR") return "true";
    if (name == "AZURITE_BLOB_STORAGE_URL") return endpoint;
    return std::nullopt;
  };
  auto open = [&] {
    Result<StoreLocation> where =
        OpenStoreForUrl(std::string("az://") + kContainer + "/" + prefix, "db", env);
    INFO(where.status().ToString());
    REQUIRE(where.ok());
    CHECK(where->store->Describe() == std::string("az://") + kContainer + "/" + prefix);
    DbOptions o;
    o.object_store = where->store;
    o.executor = std::make_shared<ThreadPoolExecutor>(2);
    o.clock = std::make_shared<SystemClock>();
    o.path = where->path;
    o.settings = SmallSettings();
    o.settings.object_store_max_retries = 5;
    Result<std::shared_ptr<Db>> db = BlockOn(Db::Open(o));
    REQUIRE(db.status().ToString() == "OK");
    return *db;
  };
  auto db = open();
  for (int i = 0; i < 200; ++i) {
    REQUIRE(BlockOn(db->Put("key" + std::to_string(i), std::string(64, 'a' + i % 26))).ok());
  }
  REQUIRE(BlockOn(db->Flush(FlushType::kMemTable)).ok());
  REQUIRE(BlockOn(db->Close()).ok());
  db = open();
  CHECK(GetOrFail(*db, "key7") == std::string(64, 'h'));
  CHECK(ScanAll(*db, "", "").size() == 200);
  REQUIRE(BlockOn(db->Close()).ok());

  // CLOUD_PROVIDER=azure names the same container by AZURE_CONTAINER_NAME.
  EnvLookup from_env = [&](std::string_view name) -> std::optional<std::string> {
    if (name == "CLOUD_PROVIDER") return "azure";
    if (name == "AZURE_CONTAINER_NAME") return std::string(kContainer) + "/" + prefix;
    return env(name);
  };
  Result<StoreLocation> where = OpenStoreFromEnv("db", from_env);
  INFO(where.status().ToString());
  REQUIRE(where.ok());
  SyncObjectStore sync(where->store);
  Result<std::vector<ObjectMeta>> manifests = sync.List("db/manifest/");
  REQUIRE(manifests.ok());
  CHECK_FALSE(manifests->empty());
}

}  // namespace
}  // namespace slatedb::testing
