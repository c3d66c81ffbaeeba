// SPDX-License-Identifier: Apache-2.0
//
// MemoryObjectStore: an ObjectStore kept in a std::map, for tests, benchmarks, ephemeral
// databases and the browser build. It does no I/O and starts no threads (the wasm build
// compiles it unchanged), completes every call synchronously, and counts requests.
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "slatedb/clock.h"
#include "slatedb/object_store.h"
#include "slatedb/platform/request_counts.h"

namespace slatedb {

// Thread-safe. Every method validates the key, does its work under one mutex, releases
// the mutex and then invokes `done` exactly once before returning, so callbacks may call
// back into the store. Versions are decimal strings from a per-store counter: every
// successful Put gets a new one, even when the bytes are identical.
class MemoryObjectStore : public ObjectStore {
 public:
  // `clock` stamps last_modified_ms. Without one, timestamps come from a counter that
  // advances by one per Put, which keeps tests deterministic.
  explicit MemoryObjectStore(std::shared_ptr<Clock> clock = nullptr);
  ~MemoryObjectStore() override;

  MemoryObjectStore(const MemoryObjectStore&) = delete;
  MemoryObjectStore& operator=(const MemoryObjectStore&) = delete;

  void Get(const std::string& key, Callback<std::string> done) override;
  void GetRange(const std::string& key, uint64_t offset, uint64_t length,
                Callback<std::string> done) override;
  void Head(const std::string& key, Callback<ObjectMeta> done) override;
  void Put(const std::string& key, std::string data, const ObjectPutOptions& options,
           Callback<ObjectMeta> done) override;
  void List(const std::string& prefix, const std::string& start_after,
            Callback<std::vector<ObjectMeta>> done) override;
  void Delete(const std::string& key, StatusCallback done) override;
  // "memory".
  std::string Describe() const override;

  // Number of objects stored now.
  size_t object_count() const;
  // Sum of the sizes of the objects stored now.
  uint64_t total_bytes() const;
  // Requests received so far, per operation, including failed ones.
  RequestCounts counts() const { return counter_.Snapshot(); }

 private:
  struct Object {
    // Immutable once stored and shared, so readers copy the bytes outside the mutex.
    std::shared_ptr<const std::string> data;
    std::string version;
    int64_t last_modified_ms = 0;
  };

  static ObjectMeta MetaOf(const std::string& key, const Object& object);
  // REQUIRES: mu_ held.
  int64_t NowLocked();

  const std::shared_ptr<Clock> clock_;
  RequestCounter counter_;

  mutable std::mutex mu_;
  std::map<std::string, Object> objects_;  // guarded by mu_
  uint64_t total_bytes_ = 0;               // guarded by mu_
  uint64_t next_version_ = 1;              // guarded by mu_
  int64_t tick_ = 0;                       // guarded by mu_; the clock when clock_ is null
};

}  // namespace slatedb
