// SPDX-License-Identifier: Apache-2.0
//
// Native wiring of the portable HTTP stores (S3, Azure Blob): process environment,
// libcurl, a thread pool and the system clock.
#include "slatedb/platform/s3_native.h"

#include <condition_variable>
#include <cstdlib>
#include <mutex>
#include <optional>

#include "slatedb/platform/azure_object_store.h"
#include "slatedb/platform/dotenv.h"
#include "slatedb/platform/system_clock.h"
#include "slatedb/platform/thread_pool_executor.h"

namespace slatedb {
namespace {

Status WaitForStatus(const std::function<void(ObjectStore::StatusCallback)>& start) {
  std::mutex mu;
  std::condition_variable cv;
  std::optional<Status> result;
  start([&](Status s) {
    std::lock_guard<std::mutex> lock(mu);
    result = std::move(s);
    cv.notify_one();
  });
  std::unique_lock<std::mutex> lock(mu);
  cv.wait(lock, [&] { return result.has_value(); });
  return *result;
}

// The transport and executor of one HTTP store.
struct HttpParts {
  std::shared_ptr<CurlHttpTransport> transport;
  std::shared_ptr<ThreadPoolExecutor> executor;
};

Result<HttpParts> NewHttpParts(const S3OpenOptions& options) {
  SLATEDB_ASSIGN_OR_RETURN(std::shared_ptr<CurlHttpTransport> transport,
                           CurlHttpTransport::Create(options.http));
  return HttpParts{std::move(transport), std::make_shared<ThreadPoolExecutor>(
                                             std::max<size_t>(1, options.executor_threads))};
}

}  // namespace

EnvLookup ProcessEnv() {
  return [](std::string_view name) -> std::optional<std::string> {
    const char* v = std::getenv(std::string(name).c_str());
    if (v == nullptr) return std::nullopt;
    return std::string(v);
  };
}

Result<std::shared_ptr<S3ObjectStore>> OpenS3ObjectStore(S3Config config,
                                                         const S3OpenOptions& options) {
  SLATEDB_ASSIGN_OR_RETURN(HttpParts parts, NewHttpParts(options));
  auto [transport, executor] = std::move(parts);
  SLATEDB_ASSIGN_OR_RETURN(
      std::shared_ptr<S3ObjectStore> store,
      S3ObjectStore::Create(std::move(config), std::move(transport), std::move(executor),
                            std::make_shared<SystemClock>()));
  if (options.check_conditional_writes) {
    Status probe = WaitForStatus([&store](ObjectStore::StatusCallback done) {
      store->CheckConditionalWrites(std::move(done));
    });
    if (!probe.ok()) return probe;
  }
  return store;
}

Result<std::shared_ptr<S3ObjectStore>> OpenS3ObjectStore(std::string_view url,
                                                         const S3OpenOptions& options) {
  SLATEDB_ASSIGN_OR_RETURN(S3Config config, S3ConfigFromUrl(url, ProcessEnv()));
  return OpenS3ObjectStore(std::move(config), options);
}

Result<std::shared_ptr<AzureBlobObjectStore>> OpenAzureObjectStore(AzureConfig config,
                                                                   const S3OpenOptions& options) {
  SLATEDB_ASSIGN_OR_RETURN(HttpParts parts, NewHttpParts(options));
  auto [transport, executor] = std::move(parts);
  SLATEDB_ASSIGN_OR_RETURN(
      std::shared_ptr<AzureBlobObjectStore> store,
      AzureBlobObjectStore::Create(std::move(config), std::move(transport), std::move(executor),
                                   std::make_shared<SystemClock>()));
  if (options.check_conditional_writes) {
    Status access = WaitForStatus(
        [&store](ObjectStore::StatusCallback done) { store->CheckAccess(std::move(done)); });
    if (!access.ok()) return access;
  }
  return store;
}

}  // namespace slatedb
