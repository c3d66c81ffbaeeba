// SPDX-License-Identifier: Apache-2.0
//
// CurlHttpTransport: the native HttpTransport, one libcurl multi handle driven by its own
// thread. Many requests are in flight at once over a shared pool of keep-alive
// connections; TLS peers are verified. Native only (the wasm build uses fetch()).
#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include "slatedb/platform/http_transport.h"
#include "slatedb/result.h"

namespace slatedb {

struct CurlHttpOptions {
  uint32_t connect_timeout_ms = 5'000;
  // Whole exchange, per attempt (the engine's retrying layer retries on top of this).
  uint32_t request_timeout_ms = 60'000;
  // Connections kept open and used at once; requests beyond it wait inside curl.
  uint32_t max_connections = 64;
  // Off only for a test server with a self-signed certificate; never for real stores.
  bool verify_tls = true;
  std::string ca_file;  // extra CA bundle; empty = the system's
};

class CurlHttpTransport : public HttpTransport {
 public:
  // Starts the transfer thread. Unavailable if libcurl cannot be initialised.
  static Result<std::shared_ptr<CurlHttpTransport>> Create(CurlHttpOptions options = {});
  // Stops the thread; requests still in flight complete with Unavailable. May run on the
  // transport's own thread (from inside a callback): the thread then finishes by itself.
  ~CurlHttpTransport() override;

  CurlHttpTransport(const CurlHttpTransport&) = delete;
  CurlHttpTransport& operator=(const CurlHttpTransport&) = delete;

  // Queues the request and wakes the transfer thread; `done` runs on that thread. Header
  // values (credentials) never appear in errors: messages name the method and URL only.
  void Send(HttpRequest request, Callback done) override;

 private:
  struct Impl;
  explicit CurlHttpTransport(std::shared_ptr<Impl> impl);
  std::shared_ptr<Impl> impl_;
};

}  // namespace slatedb
