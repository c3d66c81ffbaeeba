// SPDX-License-Identifier: Apache-2.0
//
// FaultInjectionObjectStore: passes the conformance suite when no fault is set; scripted
// and random failures leave the inner store untouched; lost put responses apply the put;
// delayed answers are held by a ManualExecutor and can be reordered; seeds replay.
#include "testutil/fault_injection_object_store.h"

#include <catch2/catch.hpp>

#include <algorithm>
#include <memory>
#include <string>
#include <vector>

#include "slatedb/platform/memory_object_store.h"
#include "store/object_store_conformance.h"
#include "testutil/manual_executor.h"
#include "testutil/sync_object_store.h"

namespace slatedb::testing {
namespace {

TEST_CASE("fault injection store without faults passes the conformance suite", "[store]") {
  CheckObjectStoreConformance([] {
    return std::make_shared<FaultInjectionObjectStore>(std::make_shared<MemoryObjectStore>());
  });
}

TEST_CASE("fault injection store fails the next calls it is told to", "[store]") {
  auto memory = std::make_shared<MemoryObjectStore>();
  auto faults = std::make_shared<FaultInjectionObjectStore>(memory);
  SyncObjectStore sync(faults);
  faults->FailNext(StoreOp::kPut, 2);
  faults->FailNext(StoreOp::kGet);
  CHECK(sync.Put("k", "1").status().code() == StatusCode::kUnavailable);
  CHECK(sync.Put("k", "2").status().code() == StatusCode::kUnavailable);
  CHECK(memory->object_count() == 0);  // failed calls never reach the store
  REQUIRE(sync.Put("k", "3").ok());
  CHECK(sync.Head("k").ok());  // other operations unaffected
  CHECK(sync.Get("k").status().code() == StatusCode::kUnavailable);
  CHECK(*sync.Get("k") == "3");
  faults->FailNext({StoreOp::kList, StoreOp::kDelete, StoreOp::kHead, StoreOp::kGetRange});
  CHECK(sync.List("").status().IsUnavailable());
  CHECK(sync.Delete("k").IsUnavailable());
  CHECK(sync.Head("k").status().IsUnavailable());
  CHECK(sync.GetRange("k", 0, 1).status().IsUnavailable());
  CHECK(faults->faults().failed == 7);
  CHECK(memory->counts().get == 1);
}

TEST_CASE("fault injection store loses put responses after applying them", "[store]") {
  auto memory = std::make_shared<MemoryObjectStore>();
  auto faults = std::make_shared<FaultInjectionObjectStore>(memory);
  SyncObjectStore sync(faults);
  faults->LoseNextPutResponses(1);
  Result<ObjectMeta> lost = sync.PutIfAbsent("manifest/1", "m");
  CHECK(lost.status().code() == StatusCode::kUnavailable);
  CHECK(*sync.Get("manifest/1") == "m");  // applied
  // The retry sees its own earlier success as AlreadyExists: what the engine must handle.
  CHECK(sync.PutIfAbsent("manifest/1", "m").status().code() == StatusCode::kAlreadyExists);
  // A put the inner store rejects has no response to lose.
  faults->LoseNextPutResponses(1);
  CHECK(sync.PutIfAbsent("manifest/1", "m").status().code() == StatusCode::kAlreadyExists);
  CHECK(faults->faults().lost_responses == 1);
  CHECK(sync.Put("other", "x").status().code() == StatusCode::kUnavailable);
  CHECK(faults->faults().lost_responses == 2);
}

// Runs `calls` puts through a store failing with probability 0.3 from `seed`; returns
// which ones failed.
std::vector<bool> FailurePattern(uint64_t seed, int calls) {
  auto faults =
      std::make_shared<FaultInjectionObjectStore>(std::make_shared<MemoryObjectStore>(), seed);
  faults->SetFailureProbability(0.3);
  SyncObjectStore sync(faults);
  std::vector<bool> failed;
  for (int i = 0; i < calls; ++i) failed.push_back(!sync.Put("k" + std::to_string(i), "v").ok());
  return failed;
}

TEST_CASE("fault injection store fails at random, reproducibly per seed", "[store]") {
  std::vector<bool> a = FailurePattern(7, 400);
  std::vector<bool> b = FailurePattern(7, 400);
  std::vector<bool> c = FailurePattern(8, 400);
  CHECK(a == b);
  CHECK(a != c);
  long failures = std::count(a.begin(), a.end(), true);
  CHECK(failures > 60);  // expected 120
  CHECK(failures < 180);

  auto faults = std::make_shared<FaultInjectionObjectStore>(std::make_shared<MemoryObjectStore>());
  SyncObjectStore sync(faults);
  faults->SetFailureProbability(StoreOp::kGet, 1.0);
  REQUIRE(sync.Put("k", "v").ok());
  CHECK(sync.Get("k").status().IsUnavailable());
  faults->ClearFaults();
  CHECK(sync.Get("k").ok());
}

TEST_CASE("fault injection store holds answers in an executor", "[store]") {
  auto executor = std::make_shared<ManualExecutor>();
  auto memory = std::make_shared<MemoryObjectStore>();
  auto faults = std::make_shared<FaultInjectionObjectStore>(memory);
  faults->DelayCompletions(executor);
  bool answered = false;
  faults->Put("k", "v", ObjectPutOptions{}, [&](Result<ObjectMeta> r) {
    CHECK(r.ok());
    answered = true;
  });
  CHECK_FALSE(answered);               // held...
  CHECK(memory->object_count() == 1);  // ...though the put itself happened
  CHECK(executor->RunUntilIdle() == 1);
  CHECK(answered);
  CHECK(faults->faults().delayed == 1);

  // With a pump, synchronous helpers still work.
  SyncObjectStore sync(faults);
  sync.SetPump([executor] { return executor->RunOne(); });
  CHECK(*sync.Get("k") == "v");
}

TEST_CASE("fault injection store reorders answers with random delays", "[store]") {
  auto executor = std::make_shared<ManualExecutor>();
  auto faults = std::make_shared<FaultInjectionObjectStore>(std::make_shared<MemoryObjectStore>(),
                                                            /*seed=*/3);
  faults->DelayCompletions(executor, /*max_delay_ms=*/100);
  std::vector<int> order;
  for (int i = 0; i < 20; ++i) {
    faults->Put("k" + std::to_string(i), "v", ObjectPutOptions{},
                [&order, i](Result<ObjectMeta> r) { order.push_back(i); });
  }
  CHECK(order.empty());
  executor->AdvanceTime(100);
  REQUIRE(order.size() == 20);
  CHECK_FALSE(std::is_sorted(order.begin(), order.end()));
  CHECK(faults->Describe() == "faults(memory)");
}

}  // namespace
}  // namespace slatedb::testing
