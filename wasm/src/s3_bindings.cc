// SPDX-License-Identifier: Apache-2.0
//
// The S3-compatible store for JavaScript: the portable S3ObjectStore (platform/s3) over
// FetchHttpTransport, with the JS executor and clock. JS (js/s3_store.mjs) creates it with
// slatedb_store_new_s3 and then uses the handle like any other StoreHandle: as a
// database's store, or through the store proxy (slatedb_store_get, ...).
#include <emscripten/emscripten.h>

#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "fetch_http_transport.h"
#include "js_executor.h"
#include "js_host.h"
#include "slatedb/platform/s3_object_store.h"
#include "store_handle.h"

namespace slatedb::wasm {
namespace {

// Config strings from JS, NUL-terminated each, in this order.
enum S3Field : size_t {
  kBucket = 0,
  kPrefix,
  kRegion,
  kEndpoint,
  kAccessKeyId,
  kSecretAccessKey,
  kSessionToken,
  kFieldCount,
};

// Config flags from JS (bits of `flags`).
constexpr int kVirtualHosted = 1;
constexpr int kAllowHttp = 2;
constexpr int kSignPayload = 4;

Result<S3Config> ConfigFromJs(std::string_view fields, int flags) {
  std::vector<std::string> f;
  size_t at = 0;
  while (at < fields.size() && f.size() < kFieldCount) {
    size_t end = fields.find('\0', at);
    if (end == std::string_view::npos) end = fields.size();
    f.emplace_back(fields.substr(at, end - at));
    at = end + 1;
  }
  if (f.size() != kFieldCount) return Status::Invalid("s3 store: malformed configuration");
  S3Config c;
  c.bucket = f[kBucket];
  c.prefix = f[kPrefix];
  if (!f[kRegion].empty()) c.region = f[kRegion];
  c.endpoint = f[kEndpoint];
  c.credentials.access_key_id = f[kAccessKeyId];
  c.credentials.secret_access_key = f[kSecretAccessKey];
  c.credentials.session_token = f[kSessionToken];
  c.virtual_hosted_style = (flags & kVirtualHosted) != 0;
  c.allow_http = (flags & kAllowHttp) != 0;
  c.sign_payload = (flags & kSignPayload) != 0;
  return c;
}

}  // namespace
}  // namespace slatedb::wasm

extern "C" {

// Creates an S3 store (`observer`: a SlateRt handle of a request observer, or 0, owned
// by the store from here on); resolves with a StoreHandle* (as a number). With `check` set, first
// verifies that the service honours If-None-Match: * (three requests under the prefix) and
// rejects with Invalid if it does not, as the native OpenS3ObjectStore does.
EMSCRIPTEN_KEEPALIVE void slatedb_store_new_s3(const char* fields, size_t fields_len, int flags,
                                               double timeout_ms, int observer, int check,
                                               int call) {
  using namespace slatedb;
  // The transport owns `observer` from here on, whatever happens next.
  auto transport = std::make_shared<wasm::FetchHttpTransport>(
      timeout_ms > 0 ? static_cast<uint32_t>(timeout_ms) : 60'000, observer);
  Result<S3Config> config = wasm::ConfigFromJs(std::string_view(fields, fields_len), flags);
  if (!config.ok()) return wasm::SettleError(call, config.status());
  Result<std::shared_ptr<S3ObjectStore>> store = S3ObjectStore::Create(
      std::move(*config), std::move(transport), std::make_shared<wasm::JsExecutor>(),
      std::make_shared<wasm::JsClock>());
  if (!store.ok()) return wasm::SettleError(call, store.status());
  std::shared_ptr<S3ObjectStore> s3 = std::move(*store);
  auto settle = [call, s3] {
    auto* h = new wasm::StoreHandle{s3};
    wasm::SettleOk(call, {}, static_cast<double>(reinterpret_cast<uintptr_t>(h)));
  };
  if (check == 0) return settle();
  s3->CheckConditionalWrites([call, settle](Status st) {
    if (!st.ok()) return wasm::SettleError(call, st);
    settle();
  });
}

}  // extern "C"
