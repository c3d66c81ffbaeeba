// SPDX-License-Identifier: Apache-2.0
//
// Commits that must wait for space (writers stalled on max_unflushed_bytes while compaction
// cannot drain L0): the conflict check still runs when the commit finally applies, against
// everything committed up to then.
#include <atomic>
#include <chrono>
#include <thread>

#include "testutil/fault_injection_object_store.h"
#include "tests/txn/txn_test_util.h"

namespace slatedb::testing {
namespace {

TEST_CASE("a commit waiting for space is checked when it applies", "[txn]") {
  for (bool conflicting : {false, true}) {
    INFO((conflicting ? "conflicting" : "clean"));
    ThreadedDbEnv env;
    auto faults = std::make_shared<FaultInjectionObjectStore>(env.store);
    env.store = faults;
    Settings s = SmallSettings();
    s.l0_sst_size_bytes = 2048;
    s.max_unflushed_bytes = 16 * 1024;
    s.l0_max_ssts = 4;
    s.compaction_min_sources = 4;
    s.object_store_max_retries = 0;
    s.gc_enabled = false;
    auto db = env.Open(s);
    REQUIRE(BlockOn(db->Put("k", "v0")).ok());
    auto txn = Begin(*db, IsolationLevel::kSnapshot);
    REQUIRE(txn->Put("k", "txn").ok());
    if (conflicting) REQUIRE(BlockOn(db->Put("k", "outside")).ok());

    // Compactions read with range reads: failing them all fills L0, then the memtables.
    faults->SetFailureProbability(StoreOp::kGetRange, 1.0);
    std::atomic<int> fill_failures{0};
    std::atomic<int> filled{0};
    std::thread filler([&]() {  // no Catch assertions off the test thread
      WriteOptions w;
      w.await_durable = false;
      for (int i = 0; i < 400; ++i) {
        if (!BlockOn(db->Put("fill" + std::to_string(i), std::string(100, 'f'), {}, w)).ok()) {
          ++fill_failures;
        }
        ++filled;
      }
    });
    // Stalled for good: L0 is full and the filler has made no progress for a while (an
    // early stall can clear while L0 still has room).
    int quiet_polls = 0;
    for (int i = 0; i < 400 && quiet_polls < 4; ++i) {
      int before = filled.load();
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
      bool stuck = filled.load() == before && db->Metrics()["db/l0_sst_count"] >= 4;
      quiet_polls = stuck ? quiet_polls + 1 : 0;
    }
    REQUIRE(quiet_polls == 4);
    REQUIRE(filled.load() < 400);

    std::atomic<bool> finished{false};
    Status outcome;
    std::thread committer([&]() {
      outcome = BlockOn(txn->Commit()).status();
      finished = true;
    });
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    CHECK_FALSE(finished.load());  // waiting for space, still registered
    CHECK(TxnMetric(*db, "txn/active") == 1);
    faults->ClearFaults();  // compaction drains L0; writers resume
    committer.join();
    filler.join();
    CHECK(fill_failures == 0);
    if (conflicting) {
      CHECK(outcome.kind() == ErrorKind::kTransaction);
      CHECK(GetOrFail(*db, "k") == "outside");
    } else {
      CHECK(outcome.ok());
      CHECK(GetOrFail(*db, "k") == "txn");
    }
    CHECK(TxnMetric(*db, "txn/active") == 0);
    CHECK(TxnMetric(*db, "txn/recorded_commits") == 0);
    REQUIRE(BlockOn(db->Close()).ok());
  }
}

}  // namespace
}  // namespace slatedb::testing
