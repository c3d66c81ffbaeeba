// SPDX-License-Identifier: Apache-2.0
//
// FetchHttpTransport: the wasm build's HttpTransport, one fetch() per request (Node 20's
// built-in fetch, or the browser's). It is what lets the portable S3ObjectStore
// (platform/s3) run in a web page.
//
// * Send() hands the request to runtime_pre.js (SlateRt.httpSend) and returns; `done` runs
//   later from the fetch promise's continuation, never inside Send.
// * Headers the fetch standard forbids a page to set (Host, Content-Length) are not passed
//   on: fetch derives the same values from the URL and the body, and the SigV4 signature
//   covers the Host fetch will send: the URL's authority, which the request builder writes
//   in canonical form (lower case, no default port; platform/s3/endpoint.h) as fetch does.
// * A fetch that fails without a response is Unavailable; in a page or worker, one to
//   another origin also says that CORS may have refused it and what the bucket must allow
//   (the browser hides the reason from the page).
// * Requests use `cache: "no-store"` so a browser never answers a GET from its HTTP cache
//   or adds conditional headers of its own, and each request is aborted after
//   `timeout_ms` (reported as Unavailable, like a connection failure).
// * In a browser, response headers the bucket's CORS rules do not expose are invisible:
//   the bucket must expose ETag (object versions) and x-amz-meta-slatedb-put-id (see
//   docs/wasm.md).
// * An optional observer (a JS function registered with SlateRt.register) sees each
//   exchange's method, URL, status, byte counts and duration, for request logs such as the
//   browser demo's. The transport owns that handle and releases it when destroyed.
#pragma once

#include <cstdint>

#include "slatedb/platform/http_transport.h"

namespace slatedb::wasm {

class FetchHttpTransport final : public HttpTransport {
 public:
  // `observer`: a SlateRt handle of a JS function, or 0 for none.
  explicit FetchHttpTransport(uint32_t timeout_ms = 60'000, int observer = 0)
      : timeout_ms_(timeout_ms), observer_(observer) {}
  ~FetchHttpTransport() override;

  FetchHttpTransport(const FetchHttpTransport&) = delete;
  FetchHttpTransport& operator=(const FetchHttpTransport&) = delete;

  void Send(HttpRequest request, Callback done) override;

 private:
  uint32_t timeout_ms_;
  int observer_;
};

}  // namespace slatedb::wasm
