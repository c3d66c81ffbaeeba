// SPDX-License-Identifier: Apache-2.0
//
// SyncObjectStore: calls an ObjectStore and waits for its callback, so tests can write
// `auto r = store.Get("k");`. It also audits the completion contract: callbacks that
// arrive twice, or not at all within a timeout, are counted for the test to check.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "slatedb/object_store.h"

namespace slatedb::testing {

// Thread-safe: several threads may call through one SyncObjectStore at once.
class SyncObjectStore {
 public:
  explicit SyncObjectStore(std::shared_ptr<ObjectStore> store,
                           std::chrono::milliseconds timeout = std::chrono::seconds(60));

  // While waiting for a callback, calls `pump` (for example a ManualExecutor's RunOne)
  // as long as it returns true, before blocking. Needed when answers are held in a
  // ManualExecutor that this thread has to step.
  void SetPump(std::function<bool()> pump) { pump_ = std::move(pump); }

  // Each forwards to the store and returns what its callback reported. If the callback
  // does not come within the timeout, returns Internal and counts a missing callback.
  Result<std::string> Get(const std::string& key);
  Result<std::string> GetRange(const std::string& key, uint64_t offset, uint64_t length);
  Result<ObjectMeta> Head(const std::string& key);
  Result<ObjectMeta> Put(const std::string& key, std::string data, ObjectPutOptions options = {});
  Result<ObjectMeta> PutIfAbsent(const std::string& key, std::string data);
  Result<ObjectMeta> PutIfVersion(const std::string& key, std::string data,
                                  const std::string& expected_version);
  Result<std::vector<ObjectMeta>> List(const std::string& prefix,
                                       const std::string& start_after = "");
  Status Delete(const std::string& key);

  // Callbacks invoked more than once, summed over all calls so far (must be 0).
  uint64_t extra_callbacks() const { return audit_->extra.load(); }
  // Calls whose callback did not arrive within the timeout (must be 0).
  uint64_t missing_callbacks() const { return audit_->missing.load(); }

  ObjectStore& store() { return *store_; }

 private:
  struct Audit {
    std::atomic<uint64_t> extra{0};
    std::atomic<uint64_t> missing{0};
  };

  // Runs `start(cb)` and waits for `cb`; T is the callback's argument type.
  template <typename T>
  T Call(const std::function<void(std::function<void(T)>)>& start);

  std::shared_ptr<ObjectStore> store_;
  std::chrono::milliseconds timeout_;
  std::function<bool()> pump_;
  // Shared with in-flight callbacks, which may outlive this object after a timeout.
  std::shared_ptr<Audit> audit_ = std::make_shared<Audit>();
};

}  // namespace slatedb::testing
