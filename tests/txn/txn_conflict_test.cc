// SPDX-License-Identifier: Apache-2.0
//
// Conflict rules, as a matrix: what T1 does ({get, scan, write} of a key) against what is
// committed by someone else ({another transaction's write, plain put, plain batch, delete,
// merge}) on the same key (or range) or a disjoint one, committed before T1 commits or
// after, under SI and SSI; plus read-only (empty) commits, write skew, MarkRead and
// UnmarkWrite, and a concurrent counter that must not lose updates.
#include <atomic>
#include <thread>

#include "tests/txn/txn_test_util.h"

namespace slatedb::testing {
namespace {

enum class T1Op { kGet, kScan, kWrite };
enum class T2Op { kTxnWrite, kPut, kBatch, kDelete, kMerge };

const char* Name(T1Op op) {
  switch (op) {
    case T1Op::kGet:
      return "get";
    case T1Op::kScan:
      return "scan";
    case T1Op::kWrite:
      return "write";
  }
  return "?";
}

const char* Name(T2Op op) {
  switch (op) {
    case T2Op::kTxnWrite:
      return "txn write";
    case T2Op::kPut:
      return "put";
    case T2Op::kBatch:
      return "batch";
    case T2Op::kDelete:
      return "delete";
    case T2Op::kMerge:
      return "merge";
  }
  return "?";
}

// T1 touches key "k" (scans ["j", "l")); the other writer touches "k" (overlapping) or
// "z" (disjoint). T1 also writes "x" unless read_only, so its commit is a real write.
struct Case {
  IsolationLevel isolation;
  T1Op t1;
  T2Op t2;
  bool overlap;
  bool read_only;
};

void DoT1(Transaction& t1, const Case& c) {
  switch (c.t1) {
    case T1Op::kGet:
      CHECK(TxnGet(t1, "k") == "v0");
      break;
    case T1Op::kScan:
      CHECK(TxnScanAll(t1, "j", "l") == std::vector<KeyValue>{{"k", "v0"}});
      break;
    case T1Op::kWrite:
      REQUIRE(t1.Put("k", "t1").ok());
      break;
  }
  if (!c.read_only && c.t1 != T1Op::kWrite) REQUIRE(t1.Put("x", "t1").ok());
}

// The outside write, committed now. A transactional writer is begun by the caller (so it
// can start before T1 commits) and committed here; returns its commit's status.
Status DoT2(Db& db, const Case& c, Transaction* t2) {
  const std::string key = c.overlap ? "k" : "z";
  switch (c.t2) {
    case T2Op::kTxnWrite: {
      REQUIRE(t2->Put(key, "t2").ok());
      return BlockOn(t2->Commit()).status();
    }
    case T2Op::kPut:
      return BlockOn(db.Put(key, "t2")).status();
    case T2Op::kBatch: {
      WriteBatch batch;
      batch.Put("y", "t2");
      batch.Put(key, "t2");
      return BlockOn(db.Write(std::move(batch))).status();
    }
    case T2Op::kDelete:
      return BlockOn(db.Delete(key)).status();
    case T2Op::kMerge:
      return BlockOn(db.Merge(key, "t2")).status();
  }
  return Status::Internal("unreachable");
}

bool T1ShouldConflict(const Case& c) {
  if (!c.overlap) return false;
  if (c.t1 == T1Op::kWrite) return true;                        // write-write: SI and SSI
  return c.isolation == IsolationLevel::kSerializableSnapshot;  // read-write / phantom
}

TEST_CASE("conflict matrix: T1 commits after an outside write", "[txn]") {
  ThreadedDbEnv env;
  auto db = env.Open();
  REQUIRE(BlockOn(db->Put("k", "v0")).ok());
  for (IsolationLevel iso : {IsolationLevel::kSnapshot, IsolationLevel::kSerializableSnapshot}) {
    for (T1Op t1op : {T1Op::kGet, T1Op::kScan, T1Op::kWrite}) {
      for (T2Op t2op : {T2Op::kTxnWrite, T2Op::kPut, T2Op::kBatch, T2Op::kDelete, T2Op::kMerge}) {
        for (bool overlap : {true, false}) {
          for (bool read_only : {false, true}) {
            if (read_only && t1op == T1Op::kWrite) continue;
            Case c{iso, t1op, t2op, overlap, read_only};
            INFO((iso == IsolationLevel::kSnapshot ? "SI" : "SSI")
                 << " T1 " << Name(t1op) << " vs " << Name(t2op)
                 << (overlap ? " overlapping" : " disjoint") << (read_only ? " read-only" : ""));
            REQUIRE(BlockOn(db->Put("k", "v0")).ok());  // reset the key
            auto t1 = Begin(*db, iso);
            auto t2 = Begin(*db, iso);
            DoT1(*t1, c);
            REQUIRE(DoT2(*db, c, t2.get()).ok());
            Result<std::optional<WriteHandle>> committed = BlockOn(t1->Commit());
            if (T1ShouldConflict(c)) {
              CHECK(committed.status().kind() == ErrorKind::kTransaction);
            } else {
              REQUIRE(committed.status().ToString() == "OK");
              CHECK(committed->has_value() == !read_only);
            }
            CHECK_FALSE(t1->is_open());
            t2.reset();
            CHECK(TxnMetric(*db, "txn/active") == 0);
            CHECK(TxnMetric(*db, "txn/recorded_commits") == 0);
          }
        }
      }
    }
  }
  REQUIRE(BlockOn(db->Close()).ok());
}

TEST_CASE("conflict matrix: T1 commits first, then the other writer", "[txn]") {
  ThreadedDbEnv env;
  auto db = env.Open();
  for (IsolationLevel iso : {IsolationLevel::kSnapshot, IsolationLevel::kSerializableSnapshot}) {
    for (T1Op t1op : {T1Op::kGet, T1Op::kScan, T1Op::kWrite}) {
      for (T2Op t2op : {T2Op::kTxnWrite, T2Op::kPut, T2Op::kBatch, T2Op::kDelete, T2Op::kMerge}) {
        for (bool overlap : {true, false}) {
          Case c{iso, t1op, t2op, overlap, false};
          INFO((iso == IsolationLevel::kSnapshot ? "SI" : "SSI")
               << " T1 " << Name(t1op) << " then " << Name(t2op)
               << (overlap ? " overlapping" : " disjoint"));
          REQUIRE(BlockOn(db->Put("k", "v0")).ok());
          auto t1 = Begin(*db, iso);
          auto t2 = Begin(*db, iso);  // begins before T1 commits
          DoT1(*t1, c);
          REQUIRE(BlockOn(t1->Commit()).status().ToString() == "OK");
          Status second = DoT2(*db, c, t2.get());
          // Only a transactional T2 can conflict, and only on the key T1 wrote (T2 read
          // nothing, so SSI adds nothing for it).
          bool expect_conflict = t2op == T2Op::kTxnWrite && overlap && t1op == T1Op::kWrite;
          if (expect_conflict) {
            CHECK(second.kind() == ErrorKind::kTransaction);
          } else {
            CHECK(second.ToString() == "OK");
          }
        }
      }
    }
  }
  CHECK(TxnMetric(*db, "txn/active") == 0);
  REQUIRE(BlockOn(db->Close()).ok());
}

TEST_CASE("writes committed before a transaction begins never conflict with it", "[txn]") {
  ThreadedDbEnv env;
  auto db = env.Open();
  REQUIRE(BlockOn(db->Put("k", "v0")).ok());
  auto t1 = Begin(*db, IsolationLevel::kSerializableSnapshot);
  CHECK(TxnGet(*t1, "k") == "v0");
  REQUIRE(t1->Put("k", "t1").ok());
  REQUIRE(BlockOn(t1->Commit()).ok());
  CHECK(GetOrFail(*db, "k") == "t1");
  REQUIRE(BlockOn(db->Close()).ok());
}

TEST_CASE("read-only commits run the conflict check", "[txn]") {
  ThreadedDbEnv env;
  auto db = env.Open();
  REQUIRE(BlockOn(db->Put("k", "v0")).ok());
  auto si = Begin(*db, IsolationLevel::kSnapshot);
  auto ssi = Begin(*db, IsolationLevel::kSerializableSnapshot);
  auto quiet = Begin(*db, IsolationLevel::kSerializableSnapshot);
  CHECK(TxnGet(*si, "k") == "v0");
  CHECK(TxnGet(*ssi, "k") == "v0");
  CHECK(TxnGet(*quiet, "q") == std::nullopt);
  REQUIRE(BlockOn(db->Put("k", "v1")).ok());
  Result<std::optional<WriteHandle>> r = BlockOn(si->Commit());
  REQUIRE(r.ok());
  CHECK_FALSE(r->has_value());
  CHECK(BlockOn(ssi->Commit()).status().kind() == ErrorKind::kTransaction);
  r = BlockOn(quiet->Commit());
  REQUIRE(r.ok());
  CHECK_FALSE(r->has_value());
  CHECK(TxnMetric(*db, "txn/conflicts") == 1);
  REQUIRE(BlockOn(db->Close()).ok());
}

TEST_CASE("scanned ranges catch phantoms: a new key inside, not outside", "[txn]") {
  ThreadedDbEnv env;
  auto db = env.Open();
  REQUIRE(BlockOn(db->Put("k2", "v")).ok());
  for (bool inside : {true, false}) {
    for (bool unbounded : {false, true}) {
      INFO((inside ? "inside" : "outside") << (unbounded ? " unbounded" : ""));
      auto t = Begin(*db, IsolationLevel::kSerializableSnapshot);
      std::string end = unbounded ? "" : "k3\xff";
      CHECK(TxnScanAll(*t, "k2", end).size() >= 1);
      REQUIRE(t->Put("k4", "t").ok());
      // "k25" is new and inside [k2, k3\xff); "a" is before the range either way.
      REQUIRE(BlockOn(db->Put(inside ? "k25" : "a", "phantom")).ok());
      Status s = BlockOn(t->Commit()).status();
      if (inside) {
        CHECK(s.kind() == ErrorKind::kTransaction);
      } else {
        CHECK(s.ok());
      }
      REQUIRE(BlockOn(db->Delete("k25")).ok());
    }
  }
  REQUIRE(BlockOn(db->Close()).ok());
}

TEST_CASE("write skew: SI lets both commit, SSI stops one", "[txn]") {
  ThreadedDbEnv env;
  auto db = env.Open();
  for (IsolationLevel iso : {IsolationLevel::kSnapshot, IsolationLevel::kSerializableSnapshot}) {
    REQUIRE(BlockOn(db->Put("on_call/alice", "1")).ok());
    REQUIRE(BlockOn(db->Put("on_call/bob", "1")).ok());
    // Each doctor goes off call if the other is still on call.
    auto t1 = Begin(*db, iso);
    auto t2 = Begin(*db, iso);
    CHECK(TxnScanAll(*t1, "on_call/", "on_call0").size() == 2);
    CHECK(TxnScanAll(*t2, "on_call/", "on_call0").size() == 2);
    REQUIRE(t1->Delete("on_call/alice").ok());
    REQUIRE(t2->Delete("on_call/bob").ok());
    REQUIRE(BlockOn(t1->Commit()).ok());
    Status second = BlockOn(t2->Commit()).status();
    if (iso == IsolationLevel::kSnapshot) {
      CHECK(second.ok());
      CHECK(ScanAll(*db, "on_call/", "on_call0").empty());  // the anomaly SI allows
    } else {
      CHECK(second.kind() == ErrorKind::kTransaction);
      CHECK(ScanAll(*db, "on_call/", "on_call0").size() == 1);
    }
  }
  REQUIRE(BlockOn(db->Close()).ok());
}

TEST_CASE("MarkRead and UnmarkWrite adjust the tracked sets", "[txn]") {
  ThreadedDbEnv env;
  auto db = env.Open();
  // MarkRead: SSI conflicts on a key it never read; SI ignores it.
  for (IsolationLevel iso : {IsolationLevel::kSnapshot, IsolationLevel::kSerializableSnapshot}) {
    auto t = Begin(*db, iso);
    REQUIRE(t->MarkRead("m").ok());
    REQUIRE(t->Put("other", "v").ok());
    REQUIRE(BlockOn(db->Put("m", "outside")).ok());
    Status s = BlockOn(t->Commit()).status();
    if (iso == IsolationLevel::kSnapshot) {
      CHECK(s.ok());
    } else {
      CHECK(s.kind() == ErrorKind::kTransaction);
    }
  }
  // UnmarkWrite: a blind merge to a counter key neither conflicts with later writers of
  // the key nor makes them conflict.
  auto a = Begin(*db, IsolationLevel::kSerializableSnapshot);
  auto b = Begin(*db, IsolationLevel::kSnapshot);
  REQUIRE(a->Merge("counter", "+").ok());
  REQUIRE(a->UnmarkWrite("counter").ok());
  REQUIRE(b->Put("counter", "reset").ok());
  REQUIRE(BlockOn(a->Commit()).ok());
  REQUIRE(BlockOn(b->Commit()).ok());
  CHECK(GetOrFail(*db, "counter") == "reset");
  auto c = Begin(*db, IsolationLevel::kSerializableSnapshot);
  REQUIRE(c->Merge("counter", "+").ok());
  REQUIRE(c->UnmarkWrite("counter").ok());
  REQUIRE(BlockOn(db->Merge("counter", "*")).ok());
  REQUIRE(BlockOn(c->Commit()).ok());
  CHECK(GetOrFail(*db, "counter") == "reset*+");
  REQUIRE(BlockOn(db->Close()).ok());
}

TEST_CASE("concurrent SSI read-modify-write loses no update", "[txn]") {
  ThreadedDbEnv env;
  auto db = env.Open();
  REQUIRE(BlockOn(db->Put("n", "0")).ok());
  constexpr int kThreads = 4;
  constexpr int kIncrements = 50;
  std::atomic<int> conflicts{0};
  std::atomic<int> errors{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&] {  // no Catch assertions off the test thread
      for (int i = 0; i < kIncrements;) {
        Result<std::unique_ptr<Transaction>> txn = db->Begin(IsolationLevel::kSerializableSnapshot);
        if (!txn.ok()) return void(++errors);
        Result<std::optional<std::string>> v = BlockOn((*txn)->Get("n"));
        if (!v.ok() || !v->has_value()) return void(++errors);
        if (!(*txn)->Put("n", std::to_string(std::stoi(**v) + 1)).ok()) return void(++errors);
        WriteOptions fast;
        fast.await_durable = false;
        Status s = BlockOn((*txn)->Commit(fast)).status();
        if (s.ok()) {
          ++i;
        } else if (s.kind() == ErrorKind::kTransaction) {
          ++conflicts;
        } else {
          return void(++errors);
        }
      }
    });
  }
  for (auto& t : threads) t.join();
  CHECK(errors == 0);
  CHECK(GetOrFail(*db, "n") == std::to_string(kThreads * kIncrements));
  CHECK(TxnMetric(*db, "txn/conflicts") == static_cast<uint64_t>(conflicts.load()));
  CHECK(TxnMetric(*db, "txn/active") == 0);
  CHECK(TxnMetric(*db, "txn/recorded_commits") == 0);
  REQUIRE(BlockOn(db->Close()).ok());
}

}  // namespace
}  // namespace slatedb::testing
