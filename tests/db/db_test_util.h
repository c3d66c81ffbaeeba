// SPDX-License-Identifier: Apache-2.0
//
// Fixtures for engine tests: a database on a memory store with a real thread pool
// (ThreadedDbEnv), or fully deterministic with a manual executor and clock (ManualDbEnv,
// driven by Drive()).
#pragma once

#include <catch2/catch.hpp>

#include <memory>
#include <optional>
#include <string>

#include "slatedb/platform/blocking.h"
#include "slatedb/platform/memory_object_store.h"
#include "slatedb/platform/system_clock.h"
#include "slatedb/platform/thread_pool_executor.h"
#include "slatedb/slatedb.h"
#include "testutil/manual_clock.h"
#include "testutil/manual_executor.h"

namespace slatedb::testing {

// Small sizes so tests exercise freezes, multi-block SSTs and L0 flushes quickly.
inline Settings SmallSettings() {
  Settings s;
  s.flush_interval_ms = 10;
  s.l0_sst_size_bytes = 16 * 1024;
  s.max_unflushed_bytes = 1 << 20;
  s.block_size_bytes = 1024;
  s.min_filter_keys = 10;
  s.object_store_max_retries = 2;
  return s;
}

inline Result<std::string> ConcatMerge(std::string_view, std::optional<std::string_view> existing,
                                       std::string_view operand) {
  std::string out(existing.value_or(""));
  out.append(operand);
  return out;
}

struct ThreadedDbEnv {
  std::shared_ptr<ObjectStore> store = std::make_shared<MemoryObjectStore>();
  std::shared_ptr<Executor> executor = std::make_shared<ThreadPoolExecutor>(2);
  std::shared_ptr<Clock> clock = std::make_shared<SystemClock>();

  DbOptions Options(Settings settings = SmallSettings(), std::string path = "db") const {
    DbOptions o;
    o.object_store = store;
    o.executor = executor;
    o.clock = clock;
    o.path = std::move(path);
    o.settings = settings;
    o.merge_operator = ConcatMerge;
    return o;
  }
  // An Admin over the same store, executor and clock.
  std::shared_ptr<Admin> OpenAdmin(std::string path = "db") const {
    AdminOptions o;
    o.object_store = store;
    o.executor = executor;
    o.clock = clock;
    o.path = std::move(path);
    Result<std::shared_ptr<Admin>> admin = Admin::Create(o);
    REQUIRE(admin.status().ToString() == "OK");
    return *admin;
  }
  // Options of any handle type (ReaderOptions, AdminOptions, WalReaderOptions, ...) on this
  // environment's store, executor and clock.
  template <typename HandleOptions>
  HandleOptions On(std::string path = "db") const {
    HandleOptions o;
    o.object_store = store;
    o.executor = executor;
    o.clock = clock;
    o.path = std::move(path);
    return o;
  }
  std::shared_ptr<Db> Open(Settings settings = SmallSettings()) {
    Result<std::shared_ptr<Db>> db = BlockOn(Db::Open(Options(settings)));
    REQUIRE(db.status().ToString() == "OK");
    return *db;
  }
};

// Runs `task` to completion on a manual executor, advancing manual time to the next timer
// whenever nothing else can run.
template <typename T>
T Drive(ManualExecutor& executor, Task<T> task) {
  std::optional<T> out;
  Spawn(std::move(task), [&out](T value) { out.emplace(std::move(value)); });
  size_t idle_jumps = 0;
  while (!out) {
    if (executor.RunOne()) continue;
    std::optional<int64_t> next = executor.next_timer_ms();
    REQUIRE(next.has_value());  // otherwise the task can never finish
    REQUIRE(++idle_jumps < 1000000);
    executor.AdvanceTime(static_cast<uint64_t>(std::max<int64_t>(0, *next - executor.now_ms())));
  }
  return std::move(*out);
}

inline std::optional<std::string> GetOrFail(Db& db, std::string_view key,
                                            const ReadOptions& options = {}) {
  Result<std::optional<std::string>> r = BlockOn(db.Get(key, options));
  REQUIRE(r.status().ToString() == "OK");
  return *r;
}

// Every row an iterator yields, from a Scan call's result; fails the test on any error.
inline std::vector<KeyValue> DrainIterator(Result<std::unique_ptr<DbIterator>> it) {
  REQUIRE(it.status().ToString() == "OK");
  std::vector<KeyValue> out;
  for (;;) {
    Result<std::optional<KeyValue>> next = BlockOn((*it)->Next());
    REQUIRE(next.status().ToString() == "OK");
    if (!next->has_value()) break;
    out.push_back(std::move(**next));
  }
  return out;
}

// A scanned row without its version metadata, for comparisons.
inline std::pair<std::string, std::string> KeyAndValue(const KeyValue& kv) {
  return {kv.key, kv.value};
}

inline std::vector<KeyValue> ScanAll(Db& db, std::string_view start, std::string_view end) {
  return DrainIterator(BlockOn(db.Scan(start, end)));
}

}  // namespace slatedb::testing
