// SPDX-License-Identifier: Apache-2.0
//
// TokenSource: the Authorization header value for GCS requests. A service account's token
// is fetched once (JWT bearer grant at the key's token_uri), shared by every request and
// refreshed five minutes before it expires; requests that arrive while a fetch is running
// wait for that fetch instead of starting their own. Anonymous sources (emulators) give an
// empty value; a source without credentials fails with Unavailable.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "gcs/jwt_signer.h"
#include "slatedb/clock.h"
#include "slatedb/platform/gcs_object_store.h"
#include "slatedb/platform/http_transport.h"

namespace slatedb::gcs {

inline constexpr char kGcsScope[] = "https://www.googleapis.com/auth/devstorage.read_write";

class TokenSource : public std::enable_shared_from_this<TokenSource> {
 public:
  using Callback = std::function<void(Result<std::string>)>;  // "Bearer ..." or ""

  // Invalid if the config's private key cannot be read.
  static Result<std::shared_ptr<TokenSource>> Create(const GcsConfig& config,
                                                     std::shared_ptr<HttpTransport> transport,
                                                     std::shared_ptr<Clock> clock);

  // Calls `done` once, on any thread (the transport's, after a fetch).
  void Get(Callback done);

  // Token requests sent so far.
  uint64_t fetches() const;

 private:
  TokenSource(const GcsConfig& config, std::shared_ptr<HttpTransport> transport,
              std::shared_ptr<Clock> clock, std::unique_ptr<JwtSigner> signer);
  void Fetch();
  void Finish(Result<std::string> token, int64_t expires_at_ms);

  const GcsConfig config_;
  const std::shared_ptr<HttpTransport> transport_;
  const std::shared_ptr<Clock> clock_;
  const std::unique_ptr<JwtSigner> signer_;  // null unless a service account

  mutable std::mutex mu_;
  std::string header_;             // guarded by mu_
  int64_t refresh_at_ms_ = 0;      // guarded by mu_
  bool fetching_ = false;          // guarded by mu_
  std::vector<Callback> waiting_;  // guarded by mu_
  uint64_t fetches_ = 0;           // guarded by mu_
};

}  // namespace slatedb::gcs
