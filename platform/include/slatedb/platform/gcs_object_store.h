// SPDX-License-Identifier: Apache-2.0
//
// GcsObjectStore: the ObjectStore contract over Google Cloud Storage's JSON API
// (storage/v1), spoken through an HttpTransport. Authenticates with an OAuth2 bearer token
// obtained from a service-account key (an RS256-signed JWT exchanged at the key's
// token_uri, cached until shortly before it expires), or sends no credentials at all to an
// emulator (fake-gcs-server). It never asks the GCE metadata server: a store configured
// without credentials and without an emulator fails each request with Unavailable saying
// so, instead of waiting for a server that only exists inside Google Cloud.
#pragma once

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "slatedb/clock.h"
#include "slatedb/executor.h"
#include "slatedb/object_store.h"
#include "slatedb/platform/http_curl_transport.h"
#include "slatedb/platform/http_transport.h"
#include "slatedb/platform/request_counts.h"

namespace slatedb {

inline constexpr char kGcsDefaultBaseUrl[] = "https://storage.googleapis.com";
inline constexpr char kGcsDefaultTokenUri[] = "https://oauth2.googleapis.com/token";

struct GcsConfig {
  std::string bucket;
  std::string prefix;                         // "" or ending in '/'; every key lives under it
  std::string base_url = kGcsDefaultBaseUrl;  // scheme://host[:port], no trailing '/'
  // Service-account credentials (all empty: anonymous, or none, see below).
  std::string client_email;
  std::string private_key_pem;
  std::string private_key_id;
  std::string token_uri = kGcsDefaultTokenUri;
  // Send no Authorization header (an emulator). When false and there is no service
  // account, every request fails with Unavailable naming `missing_credentials`.
  bool anonymous = false;
  std::string missing_credentials;

  bool has_service_account() const { return !private_key_pem.empty(); }
  Status Validate() const;
};

// Builds a config from object_store's GoogleCloudStorageBuilder keys (lower-case; the
// "google_" prefix optional where object_store accepts both):
//   google_bucket, google_bucket_name, bucket, bucket_name       the bucket
//   google_service_account, service_account, google_service_account_path,
//   service_account_path                                         path of a JSON key file
//   google_service_account_key, service_account_key              the JSON key itself
//   google_application_credentials, application_credentials      path of a JSON key file
//                                                                (type service_account)
// plus "storage_emulator_host" (the Google SDKs' STORAGE_EMULATOR_HOST: an emulator's
// http://host:port; anonymous). A service-account key may carry object_store's emulator
// fields "gcs_base_url" (instead of https://storage.googleapis.com) and "disable_oauth"
// (send no token), so one key configures both upstream and this build for an emulator.
// `bucket_from_url` is used when no bucket key is given. Invalid: an unknown key, no
// bucket, an unreadable or malformed key file, a key of another type.
Result<GcsConfig> GcsConfigFromOptions(const std::map<std::string, std::string>& options,
                                       const std::string& bucket_from_url = "");

namespace gcs {
class TokenSource;
}

// How each call maps to GCS (JSON API):
// * Get/GetRange: GET /storage/v1/b/<bucket>/o/<name>?alt=media (Range: bytes=..); Head:
//   the same without alt=media (object metadata). Versions are GCS generations.
// * Put: POST /upload/storage/v1/b/<bucket>/o?uploadType=media&name=<name>; create-if-
//   absent adds ifGenerationMatch=0, replace-if-version-matches ifGenerationMatch=<gen>.
//   412 -> AlreadyExists or VersionMismatch (NotFound when the object is absent).
// * List: objects.list with prefix, startOffset and pageToken, pages hidden.
// * Delete: DELETE; 404 is success.
// * Status mapping: 404 NotFound, 400/401/403/other 4xx Invalid, 408/429/5xx and transport
//   failures Unavailable. One request per call: the engine's retrying layer retries.
// Thread-safe; in-flight calls keep the store alive. Callbacks run on `executor`.
class GcsObjectStore : public ObjectStore, public std::enable_shared_from_this<GcsObjectStore> {
 public:
  // Invalid if the config fails Validate() (including an unreadable private key) or a
  // dependency is null. `clock` dates token requests: it must be the wall clock.
  static Result<std::shared_ptr<GcsObjectStore>> Create(GcsConfig config,
                                                        std::shared_ptr<HttpTransport> transport,
                                                        std::shared_ptr<Executor> executor,
                                                        std::shared_ptr<Clock> clock);
  ~GcsObjectStore() override;

  void Get(const std::string& key, Callback<std::string> done) override;
  void GetRange(const std::string& key, uint64_t offset, uint64_t length,
                Callback<std::string> done) override;
  void Head(const std::string& key, Callback<ObjectMeta> done) override;
  void Put(const std::string& key, std::string data, const ObjectPutOptions& options,
           Callback<ObjectMeta> done) override;
  void List(const std::string& prefix, const std::string& start_after,
            Callback<std::vector<ObjectMeta>> done) override;
  void Delete(const std::string& key, StatusCallback done) override;
  // "gs://bucket/prefix".
  std::string Describe() const override;

  RequestCounts counts() const { return counter_.Snapshot(); }
  const GcsConfig& config() const { return config_; }

 private:
  struct ListState;
  GcsObjectStore(GcsConfig config, std::shared_ptr<HttpTransport> transport,
                 std::shared_ptr<Executor> executor, std::shared_ptr<Clock> clock,
                 std::shared_ptr<gcs::TokenSource> tokens);

  // Authorises `request` (a token first, when needed), sends it once and runs `done` on
  // the executor.
  void Send(StoreOp op, HttpRequest request, std::function<void(Result<HttpResponse>)> done);
  std::string ObjectUrl(const std::string& full_key) const;
  void ListPage(std::shared_ptr<ListState> state);
  void HeadInternal(const std::string& key, Callback<ObjectMeta> done);

  const GcsConfig config_;
  const std::shared_ptr<HttpTransport> transport_;
  const std::shared_ptr<Executor> executor_;
  const std::shared_ptr<Clock> clock_;
  const std::shared_ptr<gcs::TokenSource> tokens_;
  RequestCounter counter_;
};

struct GcsOpenOptions {
  CurlHttpOptions http;
  size_t executor_threads = 2;
};

// A GcsObjectStore over libcurl, a small thread pool and the system clock. Makes no
// request: errors of the bucket or the credentials come with the first call.
Result<std::shared_ptr<GcsObjectStore>> OpenGcsObjectStore(GcsConfig config,
                                                           const GcsOpenOptions& options = {});

}  // namespace slatedb
