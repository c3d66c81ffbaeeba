// SPDX-License-Identifier: Apache-2.0
//
// StoreClient: how the engine talks to the host's ObjectStore. It turns completion
// callbacks into awaitable Tasks, retries transient failures (Unavailable) with
// exponential backoff on the Executor, resolves ambiguous create-if-absent retries, and
// counts requests and bytes for metrics.
//
// A create-if-absent PUT whose first attempt failed transiently may have landed anyway;
// when a retry then reports AlreadyExists, the client reads the object back and reports
// success if it holds exactly our bytes. Without this, a lost response would look like
// fencing.
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "slatedb/executor.h"
#include "slatedb/object_store.h"
#include "slatedb/task.h"

namespace slatedb {

struct StoreMetrics {
  std::atomic<uint64_t> get{0}, get_range{0}, head{0}, put{0}, list{0}, del{0};
  std::atomic<uint64_t> bytes_read{0}, bytes_written{0};
  std::atomic<uint64_t> retries{0}, failures{0};
};

class StoreClient {
 public:
  StoreClient(std::shared_ptr<ObjectStore> store, std::shared_ptr<Executor> executor,
              uint32_t max_retries);

  Task<Result<std::string>> Get(std::string key);
  Task<Result<std::string>> GetRange(std::string key, uint64_t offset, uint64_t length);
  Task<Result<ObjectMeta>> Head(std::string key);
  // kCreateIfAbsent: AlreadyExists only if someone else's object is there.
  Task<Result<ObjectMeta>> Put(std::string key, std::string data, ObjectPutOptions options);
  Task<Result<std::vector<ObjectMeta>>> List(std::string prefix, std::string start_after);
  Task<Status> Delete(std::string key);

  const StoreMetrics& metrics() const { return metrics_; }
  ObjectStore& store() { return *store_; }

 private:
  // Backoff before retry number `attempt` (1-based): 100 ms doubling, capped at 1 s.
  static uint64_t BackoffMs(uint32_t attempt);
  bool ShouldRetry(const Status& s, uint32_t attempt);

  std::shared_ptr<ObjectStore> store_;
  std::shared_ptr<Executor> executor_;
  uint32_t max_retries_;
  StoreMetrics metrics_;
};

}  // namespace slatedb
