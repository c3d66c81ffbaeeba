// SPDX-License-Identifier: Apache-2.0
//
// HttpTransport: the one thing the portable S3 client needs from its host, an HTTP/1.1
// exchange, asynchronously. Natively it is libcurl (http_curl_transport.h); the wasm
// build supplies one over fetch(). Like ObjectStore, it is completion based so that a
// browser can keep many requests in flight without blocking.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "slatedb/result.h"

namespace slatedb {

using HttpHeaders = std::vector<std::pair<std::string, std::string>>;

struct HttpRequest {
  std::string method;   // "GET", "HEAD", "PUT", "DELETE"
  std::string url;      // absolute: scheme://host[:port]/path?query, already percent-encoded
  HttpHeaders headers;  // sent as given (Host included); may carry credentials: never log
  // The body; shared so a retried request does not copy a multi-MiB payload. May be null.
  std::shared_ptr<const std::string> body;
};

struct HttpResponse {
  int status = 0;       // 200, 404, ...
  HttpHeaders headers;  // names lower-cased by the transport
  std::string body;     // empty for HEAD

  // The first header named `name` (lower-case), or empty.
  std::string_view Header(std::string_view name) const {
    for (const auto& [n, v] : headers) {
      if (n == name) return v;
    }
    return {};
  }
};

class HttpTransport {
 public:
  using Callback = std::function<void(Result<HttpResponse>)>;

  virtual ~HttpTransport() = default;

  // Performs `request` and calls `done` exactly once, on any thread, possibly before Send
  // returns. Any HTTP status is a response (ok()); only failures to get one (connection
  // refused or reset, timeout, TLS failure, a response cut short) are errors, and those
  // are Unavailable: the request may or may not have reached the server. Messages name
  // the method and URL, never header values. `done` may call Send again.
  virtual void Send(HttpRequest request, Callback done) = 0;
};

}  // namespace slatedb
