// SPDX-License-Identifier: Apache-2.0
//
// MemoryObjectStore: the conformance suite, plus what only the memory store promises:
// synchronous completion, callbacks outside its lock, counters, clock-stamped times.
#include "slatedb/platform/memory_object_store.h"

#include <catch2/catch.hpp>

#include <memory>

#include "store/object_store_conformance.h"
#include "testutil/manual_clock.h"
#include "testutil/sync_object_store.h"

namespace slatedb::testing {
namespace {

TEST_CASE("memory store passes the conformance suite", "[store]") {
  CheckObjectStoreConformance([] { return std::make_shared<MemoryObjectStore>(); });
}

TEST_CASE("memory store completes synchronously and may be re-entered", "[store]") {
  auto store = std::make_shared<MemoryObjectStore>();
  bool outer_done = false, inner_done = false;
  store->Put("k", "v", ObjectPutOptions{}, [&](Result<ObjectMeta> put) {
    REQUIRE(put.ok());
    // Calling back into the store from a callback must not deadlock.
    store->Get("k", [&](Result<std::string> got) {
      REQUIRE(got.ok());
      CHECK(*got == "v");
      inner_done = true;
    });
    outer_done = true;
  });
  CHECK(outer_done);
  CHECK(inner_done);
}

TEST_CASE("memory store counts objects, bytes and requests", "[store]") {
  auto store = std::make_shared<MemoryObjectStore>();
  SyncObjectStore sync(store);
  CHECK(store->object_count() == 0);
  CHECK(store->total_bytes() == 0);
  REQUIRE(sync.Put("a", "12345").ok());
  REQUIRE(sync.Put("b", "12").ok());
  REQUIRE(sync.Put("a", "1").ok());
  CHECK(store->object_count() == 2);
  CHECK(store->total_bytes() == 3);
  CHECK(sync.PutIfAbsent("b", "xxxxxxxx").status().code() == StatusCode::kAlreadyExists);
  CHECK(store->total_bytes() == 3);
  RequestCounts before = store->counts();
  REQUIRE(sync.Get("a").ok());
  REQUIRE(sync.GetRange("a", 0, 1).ok());
  REQUIRE(sync.Head("a").ok());
  REQUIRE(sync.List("").ok());
  REQUIRE(sync.Delete("a").ok());
  CHECK(sync.Get("").status().code() == StatusCode::kInvalid);  // rejected calls count too
  CHECK(store->object_count() == 1);
  CHECK(store->total_bytes() == 2);
  RequestCounts counts = store->counts();
  CHECK(counts.put == 4);
  RequestCounts delta = counts - before;
  CHECK(delta.get == 2);
  CHECK(delta.get_range == 1);
  CHECK(delta.head == 1);
  CHECK(delta.list == 1);
  CHECK(delta.del == 1);
  CHECK(delta.put == 0);
  CHECK(delta.total() == 6);
}

TEST_CASE("memory store stamps times from its clock or a counter", "[store]") {
  SECTION("no clock: a counter") {
    auto store = std::make_shared<MemoryObjectStore>();
    SyncObjectStore sync(store);
    Result<ObjectMeta> first = sync.Put("a", "1");
    Result<ObjectMeta> second = sync.Put("b", "2");
    REQUIRE(first.ok());
    REQUIRE(second.ok());
    CHECK(second->last_modified_ms > first->last_modified_ms);
  }
  SECTION("a clock") {
    auto clock = std::make_shared<ManualClock>(1'700'000'000'000);
    auto store = std::make_shared<MemoryObjectStore>(clock);
    SyncObjectStore sync(store);
    REQUIRE(sync.Put("a", "1").ok());
    clock->Advance(250);
    REQUIRE(sync.Put("b", "2").ok());
    CHECK(sync.Head("a")->last_modified_ms == 1'700'000'000'000);
    CHECK(sync.Head("b")->last_modified_ms == 1'700'000'000'250);
    CHECK(store->Describe() == "memory");
  }
}

}  // namespace
}  // namespace slatedb::testing
