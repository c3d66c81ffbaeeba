// SPDX-License-Identifier: Apache-2.0
//
// S3ObjectStore: the ObjectStore contract over the S3 REST API (AWS S3 and compatibles:
// MinIO, R2, moto), spoken through an HttpTransport. Portable: it signs (SigV4), builds
// and parses requests and runs their completions on an Executor, but performs no I/O itself,
// so the same code runs over libcurl natively and over fetch() in the browser.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "slatedb/clock.h"
#include "slatedb/executor.h"
#include "slatedb/object_store.h"
#include "slatedb/platform/http_transport.h"
#include "slatedb/platform/request_counts.h"
#include "slatedb/platform/s3_config.h"

namespace slatedb {

namespace s3 {
class RequestSigner;
}

// How each ObjectStore call maps to S3:
// * Keys live under config.prefix in config.bucket; every byte of a key is percent-encoded
//   in the request path. List hides the prefix and ListObjectsV2's pagination
//   (encoding-type=url, so any key byte survives the XML).
// * Put sends x-amz-meta-slatedb-put-id, a random id per call. kCreateIfAbsent adds
//   If-None-Match: *, kReplaceIfVersionMatches adds If-Match: <version>. Versions are ETags.
// * Status mapping: 404 -> NotFound (Delete: success); 412 -> AlreadyExists
//   (create-if-absent) or VersionMismatch (If-Match; NotFound if the key is absent);
//   400/403/other 4xx, redirects and 501 -> Invalid (configuration or a store without
//   conditional writes); 409/429/5xx, 400 RequestTimeout, timeouts and connection errors ->
//   Unavailable (worth a retry). Messages carry S3's error code and message, never
//   credentials.
// * One request per call: the store never retries. The engine wraps every store in its
//   retrying layer (core/src/store/retrying_object_store.h), which retries Unavailable and
//   reads back the object of a conditional Put refused after an ambiguous attempt. When a
//   conditional Put meets 412, the store HEADs the object: if it carries this call's put
//   id, the transport resent the request on its own and the first copy landed, so the Put
//   reports success instead of a false conflict (which the engine would take for fencing).
// * GetRange: no number in a Range header exceeds 2^63-1 (a range reaching further is sent
//   open-ended, "bytes=N-"); a 206 whose Content-Range starts elsewhere is Invalid. A 416,
//   or a range of length 0, is settled with a HEAD: offset == size gives empty data, offset
//   > size Invalid, and a 416 for an offset inside the object Invalid (never empty data).
// * Callbacks run on `executor`, never on the transport's thread, so engine work resumed
//   by a callback does not hold up other requests.
//
// Thread-safe. In-flight calls keep the store alive until they complete.
class S3ObjectStore : public ObjectStore, public std::enable_shared_from_this<S3ObjectStore> {
 public:
  // Invalid if config.Validate() fails or a dependency is null. `clock` dates signatures, so
  // it must be the real wall clock.
  static Result<std::shared_ptr<S3ObjectStore>> Create(S3Config config,
                                                       std::shared_ptr<HttpTransport> transport,
                                                       std::shared_ptr<Executor> executor,
                                                       std::shared_ptr<Clock> clock);
  ~S3ObjectStore() override;

  S3ObjectStore(const S3ObjectStore&) = delete;
  S3ObjectStore& operator=(const S3ObjectStore&) = delete;

  void Get(const std::string& key, Callback<std::string> done) override;
  void GetRange(const std::string& key, uint64_t offset, uint64_t length,
                Callback<std::string> done) override;
  void Head(const std::string& key, Callback<ObjectMeta> done) override;
  void Put(const std::string& key, std::string data, const ObjectPutOptions& options,
           Callback<ObjectMeta> done) override;
  void List(const std::string& prefix, const std::string& start_after,
            Callback<std::vector<ObjectMeta>> done) override;
  void Delete(const std::string& key, StatusCallback done) override;
  // "s3://bucket/prefix".
  std::string Describe() const override;

  // Checks that the store honours If-None-Match: * by creating a probe object under the
  // prefix twice and deleting it. Invalid (with an explanation) if the second create
  // succeeds or the store rejects the header (501, or 400 NotImplemented/InvalidArgument/
  // InvalidRequest): the engine's fencing would not be safe. Any other failure keeps its
  // kind and S3's words, prefixed "s3: checking conditional writes on ...": Unavailable for
  // network errors and 5xx, Invalid naming the credentials or the clock
  // for a 403, Invalid naming the bucket for NoSuchBucket.
  void CheckConditionalWrites(StatusCallback done);

  // HTTP requests sent so far, by operation: ranged GETs count as
  // get_range, ListObjectsV2 pages as list.
  RequestCounts counts() const { return counter_.Snapshot(); }
  // Conditional Puts refused with 412 because the transport's resent copy of the request
  // had landed first (found by the put id): reported as success.
  uint64_t recovered_puts() const { return recovered_puts_.load(std::memory_order_relaxed); }

  const S3Config& config() const { return config_; }

 private:
  struct Call;
  struct ListState;

  S3ObjectStore(S3Config config, std::shared_ptr<HttpTransport> transport,
                std::shared_ptr<Executor> executor, std::shared_ptr<Clock> clock);

  // Sends the call's request once, then runs call->done on the executor.
  void Start(std::shared_ptr<Call> call);
  void OnResponse(std::shared_ptr<Call> call, Result<HttpResponse> response);
  std::shared_ptr<Call> NewCall(StoreOp op, std::string method, std::string key);

  // Maps a failed response's default Status to the one the caller reports (the
  // conditional-write probe tells "this store refuses If-None-Match" from other failures).
  using ErrorClassifier = std::function<Status(const HttpResponse& response, Status failed)>;
  void PutInternal(const std::string& key, std::string data, const ObjectPutOptions& options,
                   ErrorClassifier classify, Callback<ObjectMeta> done);
  void HeadInternal(const std::string& key, Callback<ObjectMeta> done);
  void ListPage(std::shared_ptr<ListState> state);
  std::string NewPutId();
  uint64_t NextRandom();

  const S3Config config_;
  const std::shared_ptr<HttpTransport> transport_;
  const std::shared_ptr<Executor> executor_;
  const std::shared_ptr<Clock> clock_;
  std::unique_ptr<s3::RequestSigner> signer_;
  RequestCounter counter_;
  std::atomic<uint64_t> recovered_puts_{0};
  std::atomic<uint64_t> random_state_;
};

}  // namespace slatedb
