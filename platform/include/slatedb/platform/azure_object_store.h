// SPDX-License-Identifier: Apache-2.0
//
// AzureBlobObjectStore: the ObjectStore contract over the Azure Blob Storage REST API (Azure
// and Azurite), spoken through an HttpTransport, like S3ObjectStore and sharing its pieces
// (transport, XML scanner, HMAC-SHA256, dates, ranges). Portable; OpenAzureObjectStore is
// the native one-call opener (libcurl, a thread pool, the system clock).
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "slatedb/clock.h"
#include "slatedb/executor.h"
#include "slatedb/object_store.h"
#include "slatedb/platform/azure_config.h"
#include "slatedb/platform/http_transport.h"
#include "slatedb/platform/request_counts.h"
#include "slatedb/platform/s3_native.h"  // S3OpenOptions: the options of every HTTP store

namespace slatedb {

namespace azure {
class RequestBuilder;
}

// How each ObjectStore call maps to Azure Blob Storage:
// * Blobs live under config.prefix in config.container (block blobs, one Put Blob each).
//   Every byte of a name is percent-encoded in the path. List hides the prefix and the
//   NextMarker pagination of List Blobs, and filters start_after itself.
// * Put sends x-ms-meta-slatedbputid, a random id per call. kCreateIfAbsent adds
//   If-None-Match: *, kReplaceIfVersionMatches adds If-Match: <version>. Versions are ETags.
// * Status mapping: 404 -> NotFound (Delete: success; ContainerNotFound: Invalid); 409
//   BlobAlreadyExists and 412 -> AlreadyExists (create-if-absent) or VersionMismatch
//   (If-Match; NotFound if the blob is absent), after a HEAD that recognises this call's
//   own put id (a request the transport resent, reported as success, as S3ObjectStore
//   does); 401/403/other 4xx -> Invalid; other 409, 408, 429, 5xx, timeouts and connection
//   errors -> Unavailable. One request per call: the engine's retrying layer retries.
// * GetRange as S3ObjectStore: a Range header (never a number above 2^63-1), a 416 or an
//   empty range settled with a HEAD.
// * Callbacks run on `executor`, never on the transport's thread.
// Thread-safe. In-flight calls keep the store alive until they complete.
class AzureBlobObjectStore : public ObjectStore,
                             public std::enable_shared_from_this<AzureBlobObjectStore> {
 public:
  // Invalid if config.Validate() fails or a dependency is null. `clock` dates requests
  // (x-ms-date), so it must be the real wall clock.
  static Result<std::shared_ptr<AzureBlobObjectStore>> Create(
      AzureConfig config, std::shared_ptr<HttpTransport> transport,
      std::shared_ptr<Executor> executor, std::shared_ptr<Clock> clock);
  ~AzureBlobObjectStore() override;

  AzureBlobObjectStore(const AzureBlobObjectStore&) = delete;
  AzureBlobObjectStore& operator=(const AzureBlobObjectStore&) = delete;

  void Get(const std::string& key, Callback<std::string> done) override;
  void GetRange(const std::string& key, uint64_t offset, uint64_t length,
                Callback<std::string> done) override;
  void Head(const std::string& key, Callback<ObjectMeta> done) override;
  void Put(const std::string& key, std::string data, const ObjectPutOptions& options,
           Callback<ObjectMeta> done) override;
  void List(const std::string& prefix, const std::string& start_after,
            Callback<std::vector<ObjectMeta>> done) override;
  void Delete(const std::string& key, StatusCallback done) override;
  // "az://container/prefix".
  std::string Describe() const override;

  // Creates the container (Create Container); OK if it exists already. Upstream never
  // creates containers; tests and tools do.
  void CreateContainer(StatusCallback done);
  // One List Blobs request: OK if the container exists and the credentials are accepted.
  void CheckAccess(StatusCallback done);

  RequestCounts counts() const { return counter_.Snapshot(); }
  uint64_t recovered_puts() const { return recovered_puts_.load(std::memory_order_relaxed); }
  const AzureConfig& config() const { return config_; }

 private:
  struct Call;
  struct ListState;

  AzureBlobObjectStore(AzureConfig config, std::shared_ptr<HttpTransport> transport,
                       std::shared_ptr<Executor> executor, std::shared_ptr<Clock> clock);

  void Start(std::shared_ptr<Call> call);
  std::shared_ptr<Call> NewCall(StoreOp op, std::string method, std::string blob);
  void HeadInternal(const std::string& key, Callback<ObjectMeta> done);
  void ListPage(std::shared_ptr<ListState> state);
  std::string NewPutId();

  const AzureConfig config_;
  const std::shared_ptr<HttpTransport> transport_;
  const std::shared_ptr<Executor> executor_;
  const std::shared_ptr<Clock> clock_;
  std::unique_ptr<azure::RequestBuilder> builder_;
  RequestCounter counter_;
  std::atomic<uint64_t> recovered_puts_{0};
  std::atomic<uint64_t> random_state_;
};

// Opens a store natively: libcurl, `options.executor_threads` threads, the system clock.
// With options.check_conditional_writes, CheckAccess runs first (one request), so a missing
// container or refused credentials fail here.
Result<std::shared_ptr<AzureBlobObjectStore>> OpenAzureObjectStore(
    AzureConfig config, const S3OpenOptions& options = {});

}  // namespace slatedb
