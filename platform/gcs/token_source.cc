// SPDX-License-Identifier: Apache-2.0
#include "gcs/token_source.h"

#include <algorithm>

#include <nlohmann/json.hpp>

#include "s3/uri.h"

namespace slatedb::gcs {

Result<std::shared_ptr<TokenSource>> TokenSource::Create(const GcsConfig& config,
                                                         std::shared_ptr<HttpTransport> transport,
                                                         std::shared_ptr<Clock> clock) {
  std::unique_ptr<JwtSigner> signer;
  if (!config.anonymous && config.has_service_account()) {
    SLATEDB_ASSIGN_OR_RETURN(signer, JwtSigner::Create(config.private_key_pem));
  }
  return std::shared_ptr<TokenSource>(
      new TokenSource(config, std::move(transport), std::move(clock), std::move(signer)));
}

TokenSource::TokenSource(const GcsConfig& config, std::shared_ptr<HttpTransport> transport,
                         std::shared_ptr<Clock> clock, std::unique_ptr<JwtSigner> signer)
    : config_(config),
      transport_(std::move(transport)),
      clock_(std::move(clock)),
      signer_(std::move(signer)) {}

uint64_t TokenSource::fetches() const {
  std::lock_guard<std::mutex> lock(mu_);
  return fetches_;
}

void TokenSource::Get(Callback done) {
  if (config_.anonymous) return done(std::string());
  if (!signer_) {
    return done(Status::Unavailable(
        "gcs: no credentials configured (" + config_.missing_credentials +
        "); set google_service_account (a key file), google_service_account_key (the key) "
        "or google_application_credentials. This build does not ask the GCE metadata server"));
  }
  std::string cached;
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (!header_.empty() && clock_->NowMillis() < refresh_at_ms_) {
      cached = header_;
    } else {
      waiting_.push_back(std::move(done));
      if (fetching_) return;
      fetching_ = true;
      ++fetches_;
    }
  }
  // Callbacks never run under mu_: they may ask for a token again.
  if (!cached.empty()) return done(std::move(cached));
  Fetch();
}

void TokenSource::Fetch() {
  const int64_t now_ms = clock_->NowMillis();
  Result<std::string> jwt = signer_->Sign(config_.client_email, config_.private_key_id, kGcsScope,
                                          config_.token_uri, now_ms / 1000);
  if (!jwt.ok()) return Finish(jwt.status(), 0);
  HttpRequest request;
  request.method = "POST";
  request.url = config_.token_uri;
  request.headers.emplace_back("content-type", "application/x-www-form-urlencoded");
  request.body = std::make_shared<const std::string>(
      "grant_type=" + s3::UriEncode("urn:ietf:params:oauth:grant-type:jwt-bearer", false) +
      "&assertion=" + *jwt);
  std::string what = "gcs: token request to " + config_.token_uri;
  transport_->Send(std::move(request), [self = shared_from_this(), what,
                                        now_ms](Result<HttpResponse> r) {
    if (!r.ok()) return self->Finish(r.status().WithContext(what), 0);
    if (r->status < 200 || r->status >= 300) {
      std::string message =
          what + ": HTTP " + std::to_string(r->status) + " " + r->body.substr(0, 300);
      bool transient = r->status == 408 || r->status == 429 || r->status >= 500;
      return self->Finish(transient ? Status::Unavailable(message) : Status::Invalid(message), 0);
    }
    nlohmann::json body = nlohmann::json::parse(r->body, nullptr, false);
    if (!body.is_object() || !body.contains("access_token") || !body["access_token"].is_string()) {
      return self->Finish(Status::Unavailable(what + ": no access_token in the answer"), 0);
    }
    int64_t expires_in_s = 3600;
    if (body.contains("expires_in") && body["expires_in"].is_number_integer()) {
      expires_in_s = body["expires_in"].get<int64_t>();
    }
    // Refresh five minutes early (or halfway, for short-lived tokens).
    int64_t margin_s = std::min<int64_t>(300, expires_in_s / 2);
    self->Finish("Bearer " + body["access_token"].get<std::string>(),
                 now_ms + (expires_in_s - margin_s) * 1000);
  });
}

void TokenSource::Finish(Result<std::string> token, int64_t refresh_at_ms) {
  std::vector<Callback> waiting;
  {
    std::lock_guard<std::mutex> lock(mu_);
    fetching_ = false;
    if (token.ok()) {
      header_ = *token;
      refresh_at_ms_ = refresh_at_ms;
    }
    waiting.swap(waiting_);
  }
  for (Callback& done : waiting) done(token);
}

}  // namespace slatedb::gcs
