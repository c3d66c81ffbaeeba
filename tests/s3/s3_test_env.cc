// SPDX-License-Identifier: Apache-2.0
//
// Test stores on the local S3 server, proxy control and the blocking adapter.
#include "s3_test_env.h"

#include <unistd.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdlib>
#include <mutex>

#include "s3/s3_request.h"
#include "slatedb/platform/http_curl_transport.h"
#include "slatedb/platform/system_clock.h"
#include "slatedb/platform/thread_pool_executor.h"

namespace slatedb::testing {
namespace {

constexpr char kBucket[] = "slatedb-test";

std::optional<std::string> EnvVar(const char* name) {
  const char* v = std::getenv(name);
  if (v == nullptr || *v == '\0') return std::nullopt;
  return std::string(v);
}

// Waits for a callback-style call; T is the callback's argument.
template <typename T, typename Start>
T Wait(Start start) {
  std::mutex mu;
  std::condition_variable cv;
  std::optional<T> out;
  start([&](T value) {
    std::lock_guard<std::mutex> lock(mu);
    out.emplace(std::move(value));
    cv.notify_one();
  });
  std::unique_lock<std::mutex> lock(mu);
  cv.wait(lock, [&] { return out.has_value(); });
  return std::move(*out);
}

Result<HttpResponse> RawRequest(const std::string& method, const std::string& url) {
  HttpRequest request;
  request.method = method;
  request.url = url;
  return SendRaw(std::move(request));
}

void EnsureBucket(const std::string& endpoint) {
  static std::once_flag once;
  std::call_once(once, [&] {
    // The test server checks signatures, so CreateBucket is signed too. An existing bucket
    // answers 200 or 409, both fine.
    Result<HttpResponse> r = CreateBucket(endpoint, kBucket);
    INFO("creating bucket: " << r.status().ToString());
    REQUIRE(r.ok());
    INFO(r->body);
    REQUIRE((r->status == 200 || r->status == 409));
  });
}

}  // namespace

bool RunningUnderCi() { return EnvVar("CI").value_or("") == "true"; }

std::optional<std::string> S3TestEndpoint() { return EnvVar("SLATEDB_S3_TEST_ENDPOINT"); }
std::optional<std::string> S3TestProxy() { return EnvVar("SLATEDB_S3_TEST_PROXY"); }
std::optional<std::string> S3TestPort80Endpoint() {
  return EnvVar("SLATEDB_S3_TEST_PORT80_ENDPOINT");
}

S3Credentials S3TestCredentials() {
  return {EnvVar("SLATEDB_S3_TEST_ACCESS_KEY_ID").value_or("testing"),
          EnvVar("SLATEDB_S3_TEST_SECRET_ACCESS_KEY").value_or("testing"), ""};
}

S3Config TestS3Config(const std::string& endpoint, const std::string& bucket,
                      const std::string& prefix) {
  S3Config config;
  config.bucket = bucket;
  config.prefix = prefix;
  config.endpoint = endpoint;
  config.allow_http = true;
  config.virtual_hosted_style = false;
  config.credentials = S3TestCredentials();
  return config;
}

Result<HttpResponse> SendRaw(HttpRequest request) {
  static std::shared_ptr<CurlHttpTransport> transport = *CurlHttpTransport::Create();
  return Wait<Result<HttpResponse>>(
      [&](HttpTransport::Callback done) { transport->Send(request, std::move(done)); });
}

Result<HttpResponse> CreateBucket(const std::string& endpoint, const std::string& bucket) {
  S3Config config = TestS3Config(endpoint, bucket, "");
  s3::RequestSigner signer(config);
  return SendRaw(
      signer.Build("PUT", "", {}, {}, nullptr, s3::kEmptyPayloadSha256, SystemClock().NowMillis()));
}

std::string UniqueS3Prefix(std::string_view name) {
  static std::atomic<uint64_t> counter{0};
  auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                std::chrono::system_clock::now().time_since_epoch())
                .count();
  return std::string(name) + "-" + std::to_string(getpid()) + "-" +
         std::to_string(counter.fetch_add(1)) + "-" + std::to_string(ms) + "/";
}

RetryPolicy FastTestRetries() {
  RetryPolicy retry;
  retry.max_retries = 20;
  retry.initial_backoff_ms = 10;
  retry.max_backoff_ms = 200;
  retry.deadline_ms = 30'000;
  return retry;
}

std::shared_ptr<RetryingObjectStore> Retrying(std::shared_ptr<ObjectStore> store,
                                              RetryPolicy policy) {
  return RetryingObjectStore::Create(std::move(store), std::make_shared<ThreadPoolExecutor>(1),
                                     std::make_shared<SystemClock>(), policy,
                                     /*seed=*/static_cast<uint64_t>(getpid()));
}

std::shared_ptr<S3ObjectStore> OpenTestS3Store(const std::string& endpoint,
                                               const std::string& prefix) {
  EnsureBucket(S3TestEndpoint().value_or(endpoint));
  S3Config config = TestS3Config(endpoint, kBucket, prefix);
  return OpenTestS3StoreWith(std::move(config));
}

std::shared_ptr<S3ObjectStore> OpenTestS3StoreWith(S3Config config, std::shared_ptr<Clock> clock) {
  CurlHttpOptions http;
  http.request_timeout_ms = 10'000;
  Result<std::shared_ptr<CurlHttpTransport>> transport = CurlHttpTransport::Create(http);
  REQUIRE(transport.ok());
  if (!clock) clock = std::make_shared<SystemClock>();
  Result<std::shared_ptr<S3ObjectStore>> store = S3ObjectStore::Create(
      std::move(config), *transport, std::make_shared<ThreadPoolExecutor>(2), std::move(clock));
  INFO(store.status().ToString());
  REQUIRE(store.ok());
  return *store;
}

std::string SetProxyFaults(const std::string& proxy, const std::string& query) {
  Result<HttpResponse> r = RawRequest("GET", proxy + "/__faults__?" + query);
  INFO("proxy control: " << r.status().ToString());
  REQUIRE(r.ok());
  REQUIRE(r->status == 200);
  return r->body;
}

void BlockingObjectStore::Get(const std::string& key, Callback<std::string> done) {
  done(Wait<Result<std::string>>([&](Callback<std::string> cb) { inner_->Get(key, cb); }));
}
void BlockingObjectStore::GetRange(const std::string& key, uint64_t offset, uint64_t length,
                                   Callback<std::string> done) {
  done(Wait<Result<std::string>>(
      [&](Callback<std::string> cb) { inner_->GetRange(key, offset, length, cb); }));
}
void BlockingObjectStore::Head(const std::string& key, Callback<ObjectMeta> done) {
  done(Wait<Result<ObjectMeta>>([&](Callback<ObjectMeta> cb) { inner_->Head(key, cb); }));
}
void BlockingObjectStore::Put(const std::string& key, std::string data,
                              const ObjectPutOptions& options, Callback<ObjectMeta> done) {
  done(Wait<Result<ObjectMeta>>(
      [&](Callback<ObjectMeta> cb) { inner_->Put(key, std::move(data), options, cb); }));
}
void BlockingObjectStore::List(const std::string& prefix, const std::string& start_after,
                               Callback<std::vector<ObjectMeta>> done) {
  done(Wait<Result<std::vector<ObjectMeta>>>(
      [&](Callback<std::vector<ObjectMeta>> cb) { inner_->List(prefix, start_after, cb); }));
}
void BlockingObjectStore::Delete(const std::string& key, StatusCallback done) {
  done(Wait<Status>([&](StatusCallback cb) { inner_->Delete(key, cb); }));
}

}  // namespace slatedb::testing
