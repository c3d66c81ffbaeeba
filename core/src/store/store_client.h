// SPDX-License-Identifier: Apache-2.0
//
// StoreClient: how the engine talks to the host's ObjectStore. It turns completion
// callbacks into awaitable Tasks and counts requests and bytes for metrics. Retries, and
// the read-back that tells whether an ambiguous create-if-absent landed, are the
// RetryingObjectStore's (retrying_object_store.h), which the client wraps around the host's
// store: every Task below is one logical call, however many attempts it took.
//
//   StoreClient (Tasks, bytes) -> RetryingObjectStore -> counting -> host ObjectStore
//
// Requests are counted below the retries, so each attempt and each read-back counts, as
// the store bills them.
#pragma once

#include <atomic>
#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "slatedb/clock.h"
#include "slatedb/executor.h"
#include "slatedb/object_store.h"
#include "slatedb/object_store_cache.h"
#include "slatedb/task.h"
#include "store/retrying_object_store.h"

namespace slatedb {

struct StoreMetrics {
  // Requests sent to the host's store, by operation (every attempt counts).
  std::atomic<uint64_t> get{0}, get_range{0}, head{0}, put{0}, list{0}, del{0};
  // Bytes of successful logical calls.
  std::atomic<uint64_t> bytes_read{0}, bytes_written{0};
};

class StoreClient {
 public:
  // `seed` drives retry jitter; the engine passes something its Clock determines, so that
  // a simulated run replays exactly.
  StoreClient(std::shared_ptr<ObjectStore> store, std::shared_ptr<Executor> executor,
              std::shared_ptr<Clock> clock, RetryPolicy policy, uint64_t seed);

  Task<Result<std::string>> Get(std::string key);
  Task<Result<std::string>> GetRange(std::string key, uint64_t offset, uint64_t length);
  Task<Result<ObjectMeta>> Head(std::string key);
  // kCreateIfAbsent: AlreadyExists only if someone else's object is there.
  Task<Result<ObjectMeta>> Put(std::string key, std::string data, ObjectPutOptions options);
  Task<Result<std::vector<ObjectMeta>>> List(std::string prefix, std::string start_after);
  Task<Status> Delete(std::string key);

  // The persistent cache the host's store is or wraps (ObjectStore::cache()), or null.
  ObjectStoreCache* persistent_cache() const;
  // Brings `ranges` of `key` into the persistent cache (ObjectStoreCache::Warm); nothing
  // without a cache or ranges. Not counted in object_store/*: the cache makes its own
  // requests to the store behind it.
  Task<Status> WarmCached(std::string key, std::vector<ObjectByteRange> ranges);
  // Drops every cached part of `key` from the persistent cache; OK without one.
  Task<Status> EvictCached(std::string key);

  const StoreMetrics& metrics() const { return *metrics_; }
  // Retries made and calls whose retries ran out.
  const RetryStats& retry_stats() const { return store_->stats(); }
  // Adds the object_store/* metrics (calls by kind, bytes, retries, failures) to `out`:
  // the names every handle that talks to the store reports (docs/metrics.md).
  void AddMetrics(std::map<std::string, uint64_t>* out) const;

 private:
  std::shared_ptr<StoreMetrics> metrics_;
  std::shared_ptr<RetryingObjectStore> store_;
};

}  // namespace slatedb
