// SPDX-License-Identifier: Apache-2.0
//
// What the server-backed S3 tests share: the endpoints scripts/s3-test-server.sh exports
// (SLATEDB_S3_TEST_ENDPOINT for moto_server, SLATEDB_S3_TEST_PROXY for the fault proxy in
// front of it), stores under a fresh prefix of one test bucket, control of the proxy's
// faults, and an adapter that makes an asynchronous store complete calls synchronously
// (for tests driven by a manual executor).
#pragma once

#include <catch2/catch.hpp>

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "slatedb/clock.h"
#include "slatedb/object_store.h"
#include "slatedb/platform/http_transport.h"
#include "slatedb/platform/s3_object_store.h"
#include "store/retrying_object_store.h"

namespace slatedb::testing {

// The verifying S3 front end, the one with fault injection, and (as root) one on port 80
// of a loopback address: scripts/s3-test-server.sh.
std::optional<std::string> S3TestEndpoint();
std::optional<std::string> S3TestProxy();
std::optional<std::string> S3TestPort80Endpoint();

// The key pair the test server accepts (SLATEDB_S3_TEST_ACCESS_KEY_ID/_SECRET_ACCESS_KEY,
// default testing/testing).
S3Credentials S3TestCredentials();

// A path-style config for the test server with the test credentials.
S3Config TestS3Config(const std::string& endpoint, const std::string& bucket,
                      const std::string& prefix);

// Sends one request as is and waits for the answer.
Result<HttpResponse> SendRaw(HttpRequest request);

// A signed CreateBucket (PUT /bucket) with the test credentials; 200, or 409 if it exists.
Result<HttpResponse> CreateBucket(const std::string& endpoint, const std::string& bucket);

// Ends a test whose prerequisite (a server scripts/s3-test-server.sh starts) is missing:
// skipped with `why` on a developer's machine, failed under CI=true, where every
// prerequisite is provided and a skip would hide a broken set-up.
bool RunningUnderCi();
#define SLATEDB_S3_SKIP(why)                                                            \
  do {                                                                                  \
    if (::slatedb::testing::RunningUnderCi()) FAIL("missing under CI=true: " << (why)); \
    WARN("SKIPPED: " << (why));                                                         \
    return;                                                                             \
  } while (0)

// Declares `endpoint` (std::string) or skips the test with a message saying how to run it.
#define SLATEDB_S3_ENDPOINT_OR_SKIP(endpoint)                            \
  std::string endpoint;                                                  \
  if (auto found_ = ::slatedb::testing::S3TestEndpoint()) {              \
    endpoint = *found_;                                                  \
  } else {                                                               \
    SLATEDB_S3_SKIP(                                                     \
        "no S3 test server (SLATEDB_S3_TEST_ENDPOINT is unset); run "    \
        "scripts/s3-test-server.sh build/tests/slatedb_tests \"[s3]\""); \
  }

// A prefix no other store of this run uses: "<name>-<pid>-<n>-<ms>/".
std::string UniqueS3Prefix(std::string_view name);

// A store on bucket "slatedb-test" (created on first use) at `endpoint`, under `prefix`.
// It makes one request per call, as S3ObjectStore does; the engine retries.
std::shared_ptr<S3ObjectStore> OpenTestS3Store(const std::string& endpoint,
                                               const std::string& prefix);

// Retries fast enough for tests (10 ms doubling to 200 ms, 30 s deadline).
RetryPolicy FastTestRetries();
// `store` wrapped in the engine's retrying layer (its own executor, the system clock).
std::shared_ptr<RetryingObjectStore> Retrying(std::shared_ptr<ObjectStore> store,
                                              RetryPolicy policy = FastTestRetries());

// A store with exactly `config` (no bucket is created), over curl, on `clock` (the system
// clock by default).
std::shared_ptr<S3ObjectStore> OpenTestS3StoreWith(S3Config config,
                                                   std::shared_ptr<Clock> clock = nullptr);

// Sets the fault proxy's behaviour, e.g. "p503=0.1&pslow=0.05&slow_ms=200&pdrop=0.1" or
// "drop_next=1&methods=PUT"; "reset=1" turns every fault off. Returns the proxy's counts
// ("requests=.. injected_503=.. slowed=.. dropped=..").
std::string SetProxyFaults(const std::string& proxy, const std::string& query);

// Calls the wrapped store and waits for its callback before returning, then calls `done`
// on the caller's thread: an asynchronous store looks synchronous.
class BlockingObjectStore : public ObjectStore {
 public:
  explicit BlockingObjectStore(std::shared_ptr<ObjectStore> inner) : inner_(std::move(inner)) {}
  void Get(const std::string& key, Callback<std::string> done) override;
  void GetRange(const std::string& key, uint64_t offset, uint64_t length,
                Callback<std::string> done) override;
  void Head(const std::string& key, Callback<ObjectMeta> done) override;
  void Put(const std::string& key, std::string data, const ObjectPutOptions& options,
           Callback<ObjectMeta> done) override;
  void List(const std::string& prefix, const std::string& start_after,
            Callback<std::vector<ObjectMeta>> done) override;
  void Delete(const std::string& key, StatusCallback done) override;
  std::string Describe() const override { return inner_->Describe(); }

 private:
  std::shared_ptr<ObjectStore> inner_;
};

}  // namespace slatedb::testing
