// SPDX-License-Identifier: Apache-2.0
#include "fetch_http_transport.h"

#include "js_host.h"

#include <emscripten/emscripten.h>

#include <memory>
#include <string>
#include <string_view>
#include <utility>

// Implemented by SlateRt.httpSend (runtime_pre.js). `headers` is name NUL value NUL ...;
// completes by calling slatedb_http_done(ctx, ...) exactly once, from a promise
// continuation.
EM_JS(void, slatedb_js_http_send,
      (const char* method, size_t method_len, const char* url, size_t url_len, const char* headers,
       size_t headers_len, const char* body, size_t body_len, int has_body, double timeout_ms,
       int observer, void* ctx),
      {
        SlateRt.httpSend(method, method_len, url, url_len, headers, headers_len, body, body_len,
                         has_body, timeout_ms, observer, ctx);
      });

namespace slatedb::wasm {
namespace {

struct PendingHttp {
  std::string method;
  std::string url;
  HttpTransport::Callback done;
};

// Splits "a\0b\0c\0d\0" into pairs; a trailing unpaired name is dropped.
HttpHeaders DecodeHeaders(std::string_view in) {
  HttpHeaders out;
  size_t at = 0;
  while (at < in.size()) {
    size_t name_end = in.find('\0', at);
    if (name_end == std::string_view::npos) break;
    size_t value_end = in.find('\0', name_end + 1);
    if (value_end == std::string_view::npos) break;
    out.emplace_back(std::string(in.substr(at, name_end - at)),
                     std::string(in.substr(name_end + 1, value_end - name_end - 1)));
    at = value_end + 1;
  }
  return out;
}

}  // namespace

void FetchHttpTransport::Send(HttpRequest request, Callback done) {
  std::string headers;
  for (const auto& [name, value] : request.headers) {
    headers += name;
    headers += '\0';
    headers += value;
    headers += '\0';
  }
  const std::string* body = request.body.get();
  auto* ctx = new PendingHttp{request.method, request.url, std::move(done)};
  slatedb_js_http_send(request.method.data(), request.method.size(), request.url.data(),
                       request.url.size(), headers.data(), headers.size(),
                       body != nullptr ? body->data() : nullptr, body != nullptr ? body->size() : 0,
                       body != nullptr ? 1 : 0, static_cast<double>(timeout_ms_), observer_, ctx);
}

FetchHttpTransport::~FetchHttpTransport() {
  if (observer_ != 0) ReleaseJsHandle(observer_);
}

}  // namespace slatedb::wasm

extern "C" {

// A fetch finished. status 0 = no response (network error, abort, timeout): `error` says
// why. Otherwise `headers` is the response's headers (lower-case names, NUL-separated as
// in the request) and `body` its bytes.
EMSCRIPTEN_KEEPALIVE void slatedb_http_done(void* ctx, int status, const char* headers,
                                            size_t headers_len, const char* body, size_t body_len,
                                            const char* error, size_t error_len) {
  using slatedb::wasm::PendingHttp;
  std::unique_ptr<PendingHttp> p(static_cast<PendingHttp*>(ctx));
  if (status <= 0) {
    // Names the method and URL (never header values, which carry credentials).
    p->done(slatedb::Status::Unavailable(p->method + " " + p->url + ": " +
                                         std::string(error, error_len)));
    return;
  }
  slatedb::HttpResponse response;
  response.status = status;
  response.headers = slatedb::wasm::DecodeHeaders(std::string_view(headers, headers_len));
  response.body.assign(body, body_len);
  p->done(std::move(response));
}

}  // extern "C"
