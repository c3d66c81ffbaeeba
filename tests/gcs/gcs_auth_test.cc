// SPDX-License-Identifier: Apache-2.0
//
// The service-account token flow without a network: a transport that plays both Google's
// token endpoint (checking the JWT's RS256 signature with the key's public half) and the
// storage API (recording the Authorization header each request carries). Also: a store
// without credentials fails at once with Unavailable instead of waiting for a metadata
// server.
#include <catch2/catch.hpp>

#include <openssl/bio.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rsa.h>

#include <chrono>
#include <mutex>
#include <nlohmann/json.hpp>

#include "gcs/jwt_signer.h"
#include "slatedb/platform/gcs_object_store.h"
#include "slatedb/platform/system_clock.h"
#include "testutil/manual_executor.h"
#include "testutil/sync_object_store.h"

namespace slatedb::testing {
namespace {

std::string Base64UrlDecode(std::string_view in) {
  std::string b64(in);
  for (char& c : b64) c = c == '-' ? '+' : c == '_' ? '/' : c;
  size_t pad = (4 - b64.size() % 4) % 4;
  b64.append(pad, '=');
  std::string out(b64.size(), '\0');
  int n = EVP_DecodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                          reinterpret_cast<const unsigned char*>(b64.data()),
                          static_cast<int>(b64.size()));
  out.resize(n < 0 ? 0 : static_cast<size_t>(n) - pad);  // DecodeBlock counts the padding
  return out;
}

struct TestKey {
  std::string private_pem;
  EVP_PKEY* pkey = nullptr;
  TestKey() {
    pkey = EVP_RSA_gen(2048);
    BIO* bio = BIO_new(BIO_s_mem());
    PEM_write_bio_PrivateKey(bio, pkey, nullptr, nullptr, 0, nullptr, nullptr);
    char* data = nullptr;
    long size = BIO_get_mem_data(bio, &data);
    private_pem.assign(data, static_cast<size_t>(size));
    BIO_free(bio);
  }
  ~TestKey() { EVP_PKEY_free(pkey); }
  bool Verify(const std::string& input, const std::string& signature) const {
    EVP_MD_CTX* ctx = EVP_MD_CTX_new();
    bool ok = EVP_DigestVerifyInit(ctx, nullptr, EVP_sha256(), nullptr, pkey) == 1 &&
              EVP_DigestVerify(
                  ctx, reinterpret_cast<const unsigned char*>(signature.data()), signature.size(),
                  reinterpret_cast<const unsigned char*>(input.data()), input.size()) == 1;
    EVP_MD_CTX_free(ctx);
    return ok;
  }
};

// Plays the token endpoint and a storage API that answers every object GET with "data".
class FakeGoogle : public HttpTransport {
 public:
  explicit FakeGoogle(const TestKey& key) : key_(key) {}
  void Send(HttpRequest request, Callback done) override {
    done(Answer(request));  // outside the lock: `done` may send the next request
  }

  HttpResponse Answer(const HttpRequest& request) {
    std::lock_guard<std::mutex> lock(mu_);
    HttpResponse r;
    if (request.url == "https://token.test/token") {
      ++token_requests;
      r.status = CheckTokenRequest(request) ? 200 : 400;
      r.body = R"({"access_token":"tok-)" + std::to_string(token_requests) +
               R"(","expires_in":3600,"token_type":"Bearer"})";
    } else {
      for (const auto& [n, v] : request.headers) {
        if (n == "authorization") authorizations.push_back(v);
      }
      urls.push_back(request.url);
      r.status = 200;
      r.body = "data";
    }
    return r;
  }

  bool CheckTokenRequest(const HttpRequest& request) {
    const std::string& body = *request.body;
    const std::string marker = "&assertion=";
    size_t at = body.find(marker);
    if (body.rfind("grant_type=urn%3Aietf%3Aparams%3Aoauth%3Agrant-type%3Ajwt-bearer", 0) != 0 ||
        at == std::string::npos) {
      return false;
    }
    std::string jwt = body.substr(at + marker.size());
    size_t dot1 = jwt.find('.'), dot2 = jwt.rfind('.');
    if (dot1 == std::string::npos || dot1 == dot2) return false;
    if (!key_.Verify(jwt.substr(0, dot2), Base64UrlDecode(jwt.substr(dot2 + 1)))) return false;
    header = nlohmann::json::parse(Base64UrlDecode(jwt.substr(0, dot1)), nullptr, false);
    claims = nlohmann::json::parse(Base64UrlDecode(jwt.substr(dot1 + 1, dot2 - dot1 - 1)), nullptr,
                                   false);
    return true;
  }

  const TestKey& key_;
  std::mutex mu_;
  int token_requests = 0;
  std::vector<std::string> authorizations, urls;
  nlohmann::json header, claims;
};

TEST_CASE("gcs: base64url as RFC 4648 section 5, without padding", "[gcs]") {
  CHECK(gcs::Base64Url("") == "");
  CHECK(gcs::Base64Url("f") == "Zg");
  CHECK(gcs::Base64Url("fo") == "Zm8");
  CHECK(gcs::Base64Url("foo") == "Zm9v");
  CHECK(gcs::Base64Url("\xfb\xff") == "-_8");
}

TEST_CASE("gcs: a service account's RS256 JWT buys one token that every request carries", "[gcs]") {
  TestKey key;
  nlohmann::json sa = {{"type", "service_account"},
                       {"client_email", "writer@proj.iam.gserviceaccount.com"},
                       {"private_key", key.private_pem},
                       {"private_key_id", "kid-1"},
                       {"token_uri", "https://token.test/token"}};
  Result<GcsConfig> config =
      GcsConfigFromOptions({{"google_bucket", "bkt"}, {"google_service_account_key", sa.dump()}});
  REQUIRE(config.ok());
  CHECK(config->has_service_account());
  auto google = std::make_shared<FakeGoogle>(key);
  auto executor = std::make_shared<ManualExecutor>();
  auto store = *GcsObjectStore::Create(*config, google, executor, std::make_shared<SystemClock>());
  int done = 0;
  for (int i = 0; i < 3; ++i) {
    store->Get("k" + std::to_string(i), [&](Result<std::string> r) {
      CHECK(r.ok());
      CHECK(*r == "data");
      ++done;
    });
  }
  executor->RunUntilIdle();
  CHECK(done == 3);
  CHECK(google->token_requests == 1);
  REQUIRE(google->authorizations.size() == 3);
  for (const std::string& a : google->authorizations) CHECK(a == "Bearer tok-1");
  CHECK(google->header["alg"] == "RS256");
  CHECK(google->header["kid"] == "kid-1");
  CHECK(google->claims["iss"] == "writer@proj.iam.gserviceaccount.com");
  CHECK(google->claims["aud"] == "https://token.test/token");
  int64_t now_s = SystemClock().NowMillis() / 1000;
  CHECK(std::abs(google->claims["iat"].get<int64_t>() - now_s) < 60);
  CHECK(google->claims["exp"].get<int64_t>() - google->claims["iat"].get<int64_t>() == 3600);
  CHECK(google->urls[0] == "https://storage.googleapis.com/storage/v1/b/bkt/o/k0?alt=media");
}

TEST_CASE("gcs: a bad private key is Invalid at creation", "[gcs]") {
  nlohmann::json sa = {{"client_email", "a@b"}, {"private_key", "not a key"}};
  Result<GcsConfig> config =
      GcsConfigFromOptions({{"bucket", "b"}, {"service_account_key", sa.dump()}});
  REQUIRE(config.ok());
  auto store =
      GcsObjectStore::Create(*config, std::make_shared<FakeGoogle>(TestKey()),
                             std::make_shared<ManualExecutor>(), std::make_shared<SystemClock>());
  CHECK(store.status().kind() == ErrorKind::kInvalid);
}

TEST_CASE("gcs: no credentials and no emulator fail the first request at once", "[gcs]") {
  Result<GcsConfig> config = GcsConfigFromOptions({{"bucket", "b"}});
  REQUIRE(config.ok());
  Result<std::shared_ptr<GcsObjectStore>> store = OpenGcsObjectStore(*config);
  REQUIRE(store.ok());
  SyncObjectStore sync(*store);
  auto start = std::chrono::steady_clock::now();
  Result<std::string> got = sync.Get("k");
  CHECK(std::chrono::steady_clock::now() - start < std::chrono::seconds(2));
  CHECK(got.status().kind() == ErrorKind::kUnavailable);
  CHECK_THAT(got.status().message(), Catch::Contains("no credentials configured"));
  CHECK_THAT(got.status().message(), Catch::Contains("metadata server"));
}

}  // namespace
}  // namespace slatedb::testing
