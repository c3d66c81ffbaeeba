// SPDX-License-Identifier: Apache-2.0
//
// Request building and Shared Key signing for Azure Blob Storage.
#include "azure/shared_key.h"

#include <algorithm>
#include <cctype>
#include <cstring>

#include "s3/endpoint.h"
#include "s3/sha256.h"
#include "s3/time_format.h"
#include "s3/uri.h"

namespace slatedb::azure {
namespace {

constexpr char kAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

std::string_view HeaderOf(const HttpHeaders& headers, std::string_view name) {
  for (const auto& [n, v] : headers) {
    if (n == name) return v;
  }
  return {};
}

}  // namespace

std::string Base64Encode(std::string_view bytes) {
  std::string out;
  out.reserve((bytes.size() + 2) / 3 * 4);
  size_t i = 0;
  for (; i + 2 < bytes.size(); i += 3) {
    uint32_t n = (uint32_t{static_cast<uint8_t>(bytes[i])} << 16) |
                 (uint32_t{static_cast<uint8_t>(bytes[i + 1])} << 8) |
                 static_cast<uint8_t>(bytes[i + 2]);
    for (int shift = 18; shift >= 0; shift -= 6) out.push_back(kAlphabet[(n >> shift) & 63]);
  }
  if (i < bytes.size()) {
    uint32_t n = uint32_t{static_cast<uint8_t>(bytes[i])} << 16;
    if (i + 1 < bytes.size()) n |= uint32_t{static_cast<uint8_t>(bytes[i + 1])} << 8;
    out.push_back(kAlphabet[(n >> 18) & 63]);
    out.push_back(kAlphabet[(n >> 12) & 63]);
    out.push_back(i + 1 < bytes.size() ? kAlphabet[(n >> 6) & 63] : '=');
    out.push_back('=');
  }
  return out;
}

std::optional<std::string> Base64Decode(std::string_view text) {
  if (text.size() % 4 != 0) return std::nullopt;
  std::string out;
  out.reserve(text.size() / 4 * 3);
  for (size_t i = 0; i < text.size(); i += 4) {
    uint32_t n = 0;
    int pad = 0;
    for (size_t j = 0; j < 4; ++j) {
      char c = text[i + j];
      uint32_t v;
      if (c == '=' && i + 4 == text.size() && j >= 2) {
        v = 0;
        ++pad;
      } else {
        if (pad > 0) return std::nullopt;  // data after padding
        const char* at = c == '\0' ? nullptr : std::strchr(kAlphabet, c);
        if (at == nullptr) return std::nullopt;
        v = static_cast<uint32_t>(at - kAlphabet);
      }
      n = (n << 6) | v;
    }
    out.push_back(static_cast<char>(n >> 16));
    if (pad < 2) out.push_back(static_cast<char>((n >> 8) & 0xff));
    if (pad < 1) out.push_back(static_cast<char>(n & 0xff));
  }
  return out;
}

std::string RedactSasSignature(std::string_view message) {
  std::string out;
  size_t pos = 0;
  while (true) {
    size_t at = message.find("sig=", pos);
    if (at == std::string_view::npos) break;
    at += 4;
    out.append(message.substr(pos, at - pos));
    out += "REDACTED";
    pos = message.find_first_of("& \t:", at);
    if (pos == std::string_view::npos) pos = message.size();
  }
  out.append(message.substr(pos));
  return out;
}

std::string StringToSign(std::string_view method, const HttpHeaders& headers,
                         std::string_view account, std::string_view path,
                         const s3::NameValues& query) {
  std::string out(method);
  out += '\n';
  for (std::string_view name :
       {"content-encoding", "content-language", "content-length", "content-md5", "content-type",
        "date", "if-modified-since", "if-match", "if-none-match", "if-unmodified-since", "range"}) {
    std::string_view value = HeaderOf(headers, name);
    if (name == "content-length" && value == "0") value = {};
    out.append(value);
    out += '\n';
  }
  std::vector<std::pair<std::string, std::string>> ms;
  for (const auto& [n, v] : headers) {
    if (n.rfind("x-ms-", 0) == 0) ms.emplace_back(n, v);
  }
  std::sort(ms.begin(), ms.end());
  for (const auto& [n, v] : ms) out += n + ":" + v + "\n";
  out += "/";
  out.append(account);
  out.append(path);
  s3::NameValues sorted = query;
  for (auto& [n, v] : sorted) {
    for (char& c : n) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  std::sort(sorted.begin(), sorted.end());
  for (const auto& [n, v] : sorted) out += "\n" + n + ":" + v;
  return out;
}

RequestBuilder::RequestBuilder(const AzureConfig& config) : config_(config) {
  std::string service = config.ServiceUrl();
  size_t scheme_end = service.find("://");
  size_t path_start = service.find('/', scheme_end + 3);
  std::string path = path_start == std::string::npos ? "" : service.substr(path_start);
  while (!path.empty() && path.back() == '/') path.pop_back();
  Result<s3::Endpoint> ep = s3::ParseEndpoint(service.substr(0, path_start));
  // Validate() has accepted the endpoint.
  origin_ = ep.ok() ? ep->scheme + "://" + ep->host_port : service.substr(0, path_start);
  base_path_ = path;
  if (config.use_emulator) base_path_ += "/" + s3::UriEncode(config.account, false);
  base_path_ += "/" + s3::UriEncode(config.container, false);
  if (!config.skip_signature) {
    if (!config.access_key.empty()) {
      key_ = Base64Decode(config.access_key).value_or(std::string());
    } else if (!config.sas_token.empty()) {
      sas_ = config.sas_token[0] == '?' ? config.sas_token.substr(1) : config.sas_token;
    }
  }
}

std::string RequestBuilder::Describe(std::string_view blob) const {
  return "az://" + config_.container + "/" + std::string(blob);
}

HttpRequest RequestBuilder::Build(std::string_view method, std::string_view blob,
                                  const s3::NameValues& query, HttpHeaders headers,
                                  std::shared_ptr<const std::string> body, int64_t now_ms) const {
  std::string path = base_path_;
  if (!blob.empty()) path += "/" + s3::UriEncode(blob, /*keep_slash=*/true);
  headers.emplace_back("x-ms-date", s3::FormatHttpDate(now_ms));
  headers.emplace_back("x-ms-version", kApiVersion);

  HttpRequest request;
  request.method = std::string(method);
  request.url = origin_ + path;
  std::string q;
  for (const auto& [n, v] : query) {
    q += (q.empty() ? "" : "&") + s3::UriEncode(n, false) + "=" + s3::UriEncode(v, false);
  }
  if (!sas_.empty()) q += (q.empty() ? "" : "&") + sas_;
  if (!q.empty()) request.url += "?" + q;

  if (!key_.empty()) {
    HttpHeaders signed_headers = headers;
    if (body) signed_headers.emplace_back("content-length", std::to_string(body->size()));
    std::string to_sign =
        StringToSign(request.method, signed_headers, config_.account, path, query);
    s3::Sha256Digest mac = s3::HmacSha256(key_, to_sign);
    headers.emplace_back("authorization",
                         "SharedKey " + config_.account + ":" + Base64Encode(s3::AsView(mac)));
  }
  request.headers = std::move(headers);
  request.body = std::move(body);
  return request;
}

}  // namespace slatedb::azure
