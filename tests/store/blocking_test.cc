// SPDX-License-Identifier: Apache-2.0
//
// BlockOn: returns the value of a task that completes synchronously (no waiting), of one
// that completes on another thread, and of one that goes through several suspensions.
#include "slatedb/platform/blocking.h"

#include <catch2/catch.hpp>

#include <string>
#include <thread>

#include "slatedb/executor.h"
#include "slatedb/platform/memory_object_store.h"
#include "slatedb/platform/thread_pool_executor.h"
#include "slatedb/result.h"
#include "slatedb/task.h"

namespace slatedb {
namespace {

Task<int> Immediate(int v) { co_return v * 2; }

// Resumes on an executor thread after `delay_ms`.
Task<int> AfterDelay(Executor& executor, uint64_t delay_ms, int v) {
  int got = co_await AwaitCallback<int>(
      [&executor, delay_ms, v](auto cb) { executor.PostAfter(delay_ms, [cb, v] { cb(v); }); });
  co_return got + 1;
}

Task<Result<std::string>> PutThenGet(ObjectStore& store, Executor& executor) {
  Result<ObjectMeta> put = co_await AwaitCallback<Result<ObjectMeta>>([&](auto cb) {
    executor.Post([&store, cb] { store.Put("k", "value", ObjectPutOptions{}, cb); });
  });
  SLATEDB_CO_RETURN_IF_ERROR(put.status());
  Result<std::string> got = co_await AwaitCallback<Result<std::string>>(
      [&](auto cb) { executor.Post([&store, cb] { store.Get("k", cb); }); });
  co_return got;
}

Task<Result<std::string>> FailsSync() { co_return Status::Unavailable("down"); }

TEST_CASE("BlockOn returns a synchronously completed task's value", "[platform]") {
  CHECK(BlockOn(Immediate(21)) == 42);
  Result<std::string> failed = BlockOn(FailsSync());
  CHECK(failed.status().code() == StatusCode::kUnavailable);
}

TEST_CASE("BlockOn waits for a task completed on another thread", "[platform]") {
  ThreadPoolExecutor executor(2);
  CHECK(BlockOn(AfterDelay(executor, 0, 1)) == 2);
  CHECK(BlockOn(AfterDelay(executor, 30, 5)) == 6);

  MemoryObjectStore store;
  Result<std::string> got = BlockOn(PutThenGet(store, executor));
  REQUIRE(got.ok());
  CHECK(*got == "value");
}

TEST_CASE("BlockOn works from many threads at once", "[platform]") {
  ThreadPoolExecutor executor(2);
  std::vector<std::thread> threads;
  std::vector<int> results(8, 0);
  for (int i = 0; i < 8; ++i) {
    threads.emplace_back([&, i] {
      int sum = 0;
      for (int j = 0; j < 50; ++j) sum += BlockOn(AfterDelay(executor, j % 3, i));
      results[i] = sum;
    });
  }
  for (std::thread& t : threads) t.join();
  for (int i = 0; i < 8; ++i) CHECK(results[i] == 50 * (i + 1));
}

}  // namespace
}  // namespace slatedb
