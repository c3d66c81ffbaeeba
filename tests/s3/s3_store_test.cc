// SPDX-License-Identifier: Apache-2.0
//
// S3ObjectStore against a real S3 server (moto_server on 127.0.0.1): the ObjectStore
// conformance suite, then what is particular to S3: key bytes that need encoding,
// ListObjectsV2 pagination, the conditional-write probe, many requests in flight. Plus
// one test that needs no server: a dead endpoint gives Unavailable within the deadline.
#include <catch2/catch.hpp>

#include <atomic>
#include <chrono>
#include <future>
#include <mutex>
#include <string>
#include <thread>

#include "s3_test_env.h"
#include "slatedb/platform/http_curl_transport.h"
#include "slatedb/platform/system_clock.h"
#include "slatedb/platform/thread_pool_executor.h"
#include "store/object_store_conformance.h"
#include "testutil/sync_object_store.h"

namespace slatedb::testing {
namespace {

TEST_CASE("s3 store passes the conformance suite", "[s3]") {
  SLATEDB_S3_ENDPOINT_OR_SKIP(endpoint);
  CheckObjectStoreConformance(
      [&] { return OpenTestS3Store(endpoint, UniqueS3Prefix("conformance")); });
}

TEST_CASE("s3 store round-trips keys with every ASCII byte and multi-byte UTF-8", "[s3]") {
  SLATEDB_S3_ENDPOINT_OR_SKIP(endpoint);
  auto store = OpenTestS3Store(endpoint, UniqueS3Prefix("keys"));
  SyncObjectStore sync(store);
  std::vector<std::string> keys;
  for (int b = 1; b < 128; ++b) {
    // '/' separates segments and '\\' is not a valid key byte. moto_server (werkzeug)
    // loses keys containing LF or CR in the path, though S3 accepts them.
    if (b == '/' || b == '\\' || b == '\n' || b == '\r') continue;
    keys.push_back("enc/k" + std::string(1, static_cast<char>(b)) + "x");
  }
  keys.push_back("enc/\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80 space+plus%pct&amp");
  for (const std::string& key : keys) {
    Result<ObjectMeta> put = sync.Put(key, key);
    INFO("key byte " << static_cast<int>(key[5]) << ": " << put.status().ToString());
    REQUIRE(put.ok());
    Result<std::string> got = sync.Get(key);
    REQUIRE(got.ok());
    CHECK(*got == key);
  }
  Result<std::vector<ObjectMeta>> listed = sync.List("enc/");
  REQUIRE(listed.ok());
  std::vector<std::string> sorted = keys;
  std::sort(sorted.begin(), sorted.end());
  std::vector<std::string> listed_keys;
  for (const ObjectMeta& m : *listed) listed_keys.push_back(m.key);
  CHECK(listed_keys == sorted);
}

TEST_CASE("s3 store lists past one ListObjectsV2 page, with many requests in flight", "[s3]") {
  SLATEDB_S3_ENDPOINT_OR_SKIP(endpoint);
  auto store = OpenTestS3Store(endpoint, UniqueS3Prefix("pages"));
  // All at once, as the engine would send them: through its retrying layer (a loaded moto
  // answers some of 1,100 concurrent requests with errors or too late).
  auto retrying = Retrying(store);
  constexpr int kObjects = 1100;  // S3 pages hold at most 1000 keys
  std::atomic<int> pending{kObjects}, failed{0};
  std::mutex first_failure_mu;
  std::string first_failure;
  for (int i = 0; i < kObjects; ++i) {
    char key[32];
    std::snprintf(key, sizeof(key), "p/%05d", i);
    retrying->Put(key, "v", {}, [&](Result<ObjectMeta> r) {
      if (!r.ok()) {
        std::lock_guard<std::mutex> lock(first_failure_mu);
        if (failed.fetch_add(1) == 0) first_failure = r.status().ToString();
      }
      pending.fetch_sub(1);
    });
  }
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(120);
  while (pending.load() > 0 && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  REQUIRE(pending.load() == 0);
  INFO("first failure: " << first_failure << "; retries: " << retrying->stats().retries);
  REQUIRE(failed.load() == 0);
  SyncObjectStore sync(store);
  Result<std::vector<ObjectMeta>> all = sync.List("p/");
  REQUIRE(all.ok());
  REQUIRE(all->size() == kObjects);
  CHECK(all->front().key == "p/00000");
  CHECK(all->back().key == "p/01099");
  Result<std::vector<ObjectMeta>> after = sync.List("p/", "p/00999");
  REQUIRE(after.ok());
  CHECK(after->size() == 100);
  CHECK(store->counts().list >= 2);
}

TEST_CASE("s3 store: the conditional-write probe accepts a store that has them", "[s3]") {
  SLATEDB_S3_ENDPOINT_OR_SKIP(endpoint);
  auto store = OpenTestS3Store(endpoint, UniqueS3Prefix("probe"));
  std::promise<Status> result;
  store->CheckConditionalWrites([&](Status s) { result.set_value(s); });
  Status s = result.get_future().get();
  INFO(s.ToString());
  CHECK(s.ok());
  SyncObjectStore sync(store);
  Result<std::vector<ObjectMeta>> left = sync.List("");
  REQUIRE(left.ok());
  CHECK(left->empty());  // the probe cleans up after itself
}

TEST_CASE("s3 store: an unreachable endpoint is Unavailable within the retry deadline", "[s3]") {
  S3Config config;
  config.bucket = "b";
  config.endpoint = "http://127.0.0.1:1";  // nothing listens on port 1
  config.allow_http = true;
  config.virtual_hosted_style = false;
  config.credentials = {"AKIDSECRETPROBE", "very-secret-key", "session-secret"};
  auto s3 = *S3ObjectStore::Create(config, *CurlHttpTransport::Create(),
                                   std::make_shared<ThreadPoolExecutor>(1),
                                   std::make_shared<SystemClock>());
  RetryPolicy policy;
  policy.max_retries = std::nullopt;  // only the deadline stops it
  policy.initial_backoff_ms = 10;
  policy.max_backoff_ms = 50;
  policy.deadline_ms = 300;
  auto store = Retrying(s3, policy);
  SyncObjectStore sync(store);
  auto start = std::chrono::steady_clock::now();
  Result<std::string> got = sync.Get("k");
  auto took = std::chrono::steady_clock::now() - start;
  CHECK(got.status().kind() == ErrorKind::kUnavailable);
  CHECK(took < std::chrono::seconds(5));
  CHECK(store->stats().retries >= 1);
  CHECK(s3->counts().get == store->stats().retries + 1);  // the S3 store itself never retries
  std::string message = got.status().message();
  INFO(message);
  CHECK(message.find("attempts)") != std::string::npos);
  CHECK(message.find("very-secret-key") == std::string::npos);
  CHECK(message.find("session-secret") == std::string::npos);
  CHECK(message.find("AKIDSECRETPROBE") == std::string::npos);
}

}  // namespace
}  // namespace slatedb::testing
