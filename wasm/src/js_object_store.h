// SPDX-License-Identifier: Apache-2.0
//
// JsObjectStore: an ObjectStore whose six methods call a JavaScript object supplied by the
// page or by Node (see js/memory_store.mjs for the protocol):
//
//   get(key)                    -> Promise<Uint8Array | null>        (null: NotFound)
//   getRange(key, offset, len)  -> Promise<Uint8Array | null>
//   head(key)                   -> Promise<{key, size, lastModified, version} | null>
//   put(key, bytes, {mode, expectedVersion})
//                               -> Promise<{key, size, lastModified, version}>
//                                  mode: "overwrite" | "createIfAbsent" | "replaceIfVersionMatches"
//   list(prefix, startAfter)    -> Promise<meta[]>  (ascending byte order of keys)
//   delete(key)                 -> Promise<void>
//
// A rejection whose error has `.code` in {"NotFound", "AlreadyExists", "VersionMismatch",
// "Unavailable", "Invalid", "Data"} maps to that Status; any other rejection, a synchronous
// throw, or a malformed result maps to Unavailable (malformed results: Data).
//
// Keys are checked with ValidateObjectKey before JS sees them. Each callback runs exactly
// once, from the promise continuation (never inside the call), on the JS thread.
#pragma once

#include <string>
#include <vector>

#include "js_host.h"
#include "slatedb/object_store.h"

namespace slatedb::wasm {

class JsObjectStore final : public ObjectStore {
 public:
  // Takes ownership of `js_handle` (a SlateRt handle) and releases it when destroyed.
  JsObjectStore(int js_handle, std::string description);
  ~JsObjectStore() override;

  JsObjectStore(const JsObjectStore&) = delete;
  JsObjectStore& operator=(const JsObjectStore&) = delete;

  void Get(const std::string& key, Callback<std::string> done) override;
  void GetRange(const std::string& key, uint64_t offset, uint64_t length,
                Callback<std::string> done) override;
  void Head(const std::string& key, Callback<ObjectMeta> done) override;
  void Put(const std::string& key, std::string data, const StorePutOptions& options,
           Callback<ObjectMeta> done) override;
  void List(const std::string& prefix, const std::string& start_after,
            Callback<std::vector<ObjectMeta>> done) override;
  void Delete(const std::string& key, StatusCallback done) override;
  std::string Describe() const override;

 private:
  const int handle_;
  const std::string description_;
};

}  // namespace slatedb::wasm
