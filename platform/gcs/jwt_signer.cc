// SPDX-License-Identifier: Apache-2.0
#include "gcs/jwt_signer.h"

#include <openssl/bio.h>
#include <openssl/evp.h>
#include <openssl/pem.h>

#include <nlohmann/json.hpp>

namespace slatedb::gcs {

struct JwtSigner::Key {
  EVP_PKEY* pkey = nullptr;
  ~Key() { EVP_PKEY_free(pkey); }
};

std::string Base64Url(std::string_view bytes) {
  static constexpr char kAlphabet[] =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
  std::string out;
  out.reserve((bytes.size() + 2) / 3 * 4);
  size_t i = 0;
  auto byte = [&](size_t at) { return static_cast<uint32_t>(static_cast<uint8_t>(bytes[at])); };
  for (; i + 3 <= bytes.size(); i += 3) {
    uint32_t v = (byte(i) << 16) | (byte(i + 1) << 8) | byte(i + 2);
    for (int s = 18; s >= 0; s -= 6) out.push_back(kAlphabet[(v >> s) & 63]);
  }
  size_t rest = bytes.size() - i;
  if (rest == 1) {
    uint32_t v = byte(i) << 16;
    out.push_back(kAlphabet[(v >> 18) & 63]);
    out.push_back(kAlphabet[(v >> 12) & 63]);
  } else if (rest == 2) {
    uint32_t v = (byte(i) << 16) | (byte(i + 1) << 8);
    out.push_back(kAlphabet[(v >> 18) & 63]);
    out.push_back(kAlphabet[(v >> 12) & 63]);
    out.push_back(kAlphabet[(v >> 6) & 63]);
  }
  return out;
}

JwtSigner::JwtSigner(std::unique_ptr<Key> key) : key_(std::move(key)) {}
JwtSigner::~JwtSigner() = default;

Result<std::unique_ptr<JwtSigner>> JwtSigner::Create(const std::string& private_key_pem) {
  BIO* bio = BIO_new_mem_buf(private_key_pem.data(), static_cast<int>(private_key_pem.size()));
  if (bio == nullptr) return Status::Internal("gcs: cannot allocate a BIO");
  auto key = std::make_unique<Key>();
  key->pkey = PEM_read_bio_PrivateKey(bio, nullptr, nullptr, nullptr);
  BIO_free(bio);
  if (key->pkey == nullptr || EVP_PKEY_base_id(key->pkey) != EVP_PKEY_RSA) {
    return Status::Invalid("gcs: the service account's private_key is not a PEM RSA private key");
  }
  return std::unique_ptr<JwtSigner>(new JwtSigner(std::move(key)));
}

Result<std::string> JwtSigner::Sign(const std::string& email, const std::string& key_id,
                                    const std::string& scope, const std::string& audience,
                                    int64_t now_s) const {
  nlohmann::json header = {{"alg", "RS256"}, {"typ", "JWT"}};
  if (!key_id.empty()) header["kid"] = key_id;
  nlohmann::json claims = {
      {"iss", email}, {"scope", scope}, {"aud", audience}, {"iat", now_s}, {"exp", now_s + 3600}};
  std::string input = Base64Url(header.dump()) + "." + Base64Url(claims.dump());

  EVP_MD_CTX* ctx = EVP_MD_CTX_new();
  if (ctx == nullptr) return Status::Internal("gcs: cannot allocate a digest context");
  size_t size = 0;
  std::string signature;
  bool ok = EVP_DigestSignInit(ctx, nullptr, EVP_sha256(), nullptr, key_->pkey) == 1 &&
            EVP_DigestSignUpdate(ctx, input.data(), input.size()) == 1 &&
            EVP_DigestSignFinal(ctx, nullptr, &size) == 1;
  if (ok) {
    signature.resize(size);
    ok = EVP_DigestSignFinal(ctx, reinterpret_cast<unsigned char*>(signature.data()), &size) == 1;
    signature.resize(size);
  }
  EVP_MD_CTX_free(ctx);
  if (!ok) return Status::Internal("gcs: signing the token request failed");
  return input + "." + Base64Url(signature);
}

}  // namespace slatedb::gcs
