// SPDX-License-Identifier: Apache-2.0
//
// Exports for object stores as seen from C++:
// * store handles: a JS store wrapped in JsObjectStore, or the built-in MemoryObjectStore
//   (platform/memory, compiled into the module), for SlateDB.open({store});
// * a proxy that lets JS call any such store's six methods *through C++* (the conformance
//   suite in tests/ runs through it, so JsObjectStore and the Status round trip are tested
//   before the engine exists). The self-tests that drive stores from C++ coroutines are in
//   the test module only (selftest_bindings.cc).
#include <emscripten/emscripten.h>

#include <cmath>
#include <cstdint>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "js_executor.h"
#include "js_host.h"
#include "js_object_store.h"
#include "slatedb/object_store.h"
#include "slatedb/platform/memory_object_store.h"
#include "slatedb/task.h"
#include "store_handle.h"

namespace slatedb::wasm {
namespace {

std::string Str(const char* p, size_t n) { return std::string(p, n); }

template <typename T, typename F>
void SettleResult(int call, Result<T> r, F encode) {
  if (!r.ok()) return SettleError(call, r.status());
  SettleOk(call, encode(*r));
}

}  // namespace
}  // namespace slatedb::wasm

using slatedb::wasm::StoreHandle;

extern "C" {

// A JS store object registered as `js_handle` (ownership passes to the new handle).
EMSCRIPTEN_KEEPALIVE StoreHandle* slatedb_store_new_js(int js_handle, const char* desc,
                                                       size_t desc_len) {
  return new StoreHandle{std::make_shared<slatedb::wasm::JsObjectStore>(
      js_handle, slatedb::wasm::Str(desc, desc_len))};
}

// The in-memory store compiled from platform/memory (no JS calls at all).
EMSCRIPTEN_KEEPALIVE StoreHandle* slatedb_store_new_memory() {
  return new StoreHandle{std::make_shared<slatedb::MemoryObjectStore>()};
}

EMSCRIPTEN_KEEPALIVE void slatedb_store_free(StoreHandle* h) { delete h; }

// A second handle on the same store (each handle is freed on its own).
EMSCRIPTEN_KEEPALIVE StoreHandle* slatedb_store_clone(StoreHandle* h) {
  return new StoreHandle{h->store};
}

// --- proxy: the six methods, called from JS, answered through the call's Promise ---------------

EMSCRIPTEN_KEEPALIVE void slatedb_store_get(StoreHandle* h, const char* key, size_t key_len,
                                            int call) {
  h->store->Get(slatedb::wasm::Str(key, key_len), [call](slatedb::Result<std::string> r) {
    slatedb::wasm::SettleResult(call, std::move(r), [](const std::string& s) { return s; });
  });
}

EMSCRIPTEN_KEEPALIVE void slatedb_store_get_range(StoreHandle* h, const char* key, size_t key_len,
                                                  double offset, double length, int call) {
  auto to_u64 = [](double d) -> uint64_t {
    if (!(d >= 0)) return 0;
    if (d >= 18446744073709549568.0) return UINT64_MAX;
    return static_cast<uint64_t>(d);
  };
  h->store->GetRange(slatedb::wasm::Str(key, key_len), to_u64(offset), to_u64(length),
                     [call](slatedb::Result<std::string> r) {
                       slatedb::wasm::SettleResult(call, std::move(r),
                                                   [](const std::string& s) { return s; });
                     });
}

EMSCRIPTEN_KEEPALIVE void slatedb_store_head(StoreHandle* h, const char* key, size_t key_len,
                                             int call) {
  h->store->Head(slatedb::wasm::Str(key, key_len), [call](slatedb::Result<slatedb::ObjectMeta> r) {
    slatedb::wasm::SettleResult(call, std::move(r), [](const slatedb::ObjectMeta& m) {
      return slatedb::wasm::EncodeMetas({m});
    });
  });
}

EMSCRIPTEN_KEEPALIVE void slatedb_store_put(StoreHandle* h, const char* key, size_t key_len,
                                            const char* data, size_t data_len, int mode,
                                            const char* version, size_t version_len, int call) {
  slatedb::wasm::StorePutOptions opts;
  opts.mode = static_cast<slatedb::PutMode>(mode);
  opts.expected_version = slatedb::wasm::Str(version, version_len);
  h->store->Put(slatedb::wasm::Str(key, key_len), slatedb::wasm::Str(data, data_len), opts,
                [call](slatedb::Result<slatedb::ObjectMeta> r) {
                  slatedb::wasm::SettleResult(call, std::move(r), [](const slatedb::ObjectMeta& m) {
                    return slatedb::wasm::EncodeMetas({m});
                  });
                });
}

EMSCRIPTEN_KEEPALIVE void slatedb_store_list(StoreHandle* h, const char* prefix, size_t prefix_len,
                                             const char* start_after, size_t start_after_len,
                                             int call) {
  h->store->List(slatedb::wasm::Str(prefix, prefix_len),
                 slatedb::wasm::Str(start_after, start_after_len),
                 [call](slatedb::Result<std::vector<slatedb::ObjectMeta>> r) {
                   slatedb::wasm::SettleResult(call, std::move(r),
                                               [](const std::vector<slatedb::ObjectMeta>& m) {
                                                 return slatedb::wasm::EncodeMetas(m);
                                               });
                 });
}

EMSCRIPTEN_KEEPALIVE void slatedb_store_delete(StoreHandle* h, const char* key, size_t key_len,
                                               int call) {
  h->store->Delete(slatedb::wasm::Str(key, key_len), [call](slatedb::Status st) {
    if (!st.ok()) return slatedb::wasm::SettleError(call, st);
    slatedb::wasm::SettleOk(call);
  });
}

EMSCRIPTEN_KEEPALIVE void slatedb_store_describe(StoreHandle* h, int call) {
  slatedb::wasm::SettleOk(call, h->store->Describe());
}

}  // extern "C"
