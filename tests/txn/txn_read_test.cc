// SPDX-License-Identifier: Apache-2.0
//
// What a transaction sees and its lifecycle: its own writes over a fixed snapshot in Get
// and Scan (puts, deletes hiding committed keys, merges folded over committed values,
// seek), iterators fixed at creation, snapshot stability while others commit and while
// memtables flush, commit results, rollback, Closed after the end, bad arguments.
#include <chrono>
#include <thread>

#include "tests/txn/txn_test_util.h"

namespace slatedb::testing {
namespace {

TEST_CASE("a transaction reads its own writes over its snapshot", "[txn]") {
  ThreadedDbEnv env;
  auto db = env.Open();
  for (const char* k : {"a", "b", "c", "d", "e"}) {
    REQUIRE(BlockOn(db->Put(k, std::string("db-") + k)).ok());
  }
  auto t = Begin(*db, IsolationLevel::kSnapshot);
  REQUIRE(t->Put("a", "txn-a").ok());    // overwrite a committed key
  REQUIRE(t->Put("bb", "txn-bb").ok());  // new key between committed ones
  REQUIRE(t->Delete("c").ok());          // hide a committed key
  REQUIRE(t->Merge("d", "+m").ok());     // merge over a committed value
  REQUIRE(t->Delete("e").ok());          // delete then merge: merge over nothing
  REQUIRE(t->Merge("e", "new").ok());
  REQUIRE(t->Merge("f", "x").ok());  // merges on a missing key
  REQUIRE(t->Merge("f", "y").ok());
  REQUIRE(t->Put("g", "g0").ok());  // put then merge
  REQUIRE(t->Merge("g", "g1").ok());
  REQUIRE(t->Delete("never").ok());  // deleting a missing key

  CHECK(TxnGet(*t, "a") == "txn-a");
  CHECK(TxnGet(*t, "b") == "db-b");
  CHECK(TxnGet(*t, "bb") == "txn-bb");
  CHECK(TxnGet(*t, "c") == std::nullopt);
  CHECK(TxnGet(*t, "d") == "db-d+m");
  CHECK(TxnGet(*t, "e") == "new");
  CHECK(TxnGet(*t, "f") == "xy");
  CHECK(TxnGet(*t, "g") == "g0g1");
  CHECK(TxnGet(*t, "never") == std::nullopt);

  const std::vector<KeyValue> expected = {{"a", "txn-a"},  {"b", "db-b"}, {"bb", "txn-bb"},
                                          {"d", "db-d+m"}, {"e", "new"},  {"f", "xy"},
                                          {"g", "g0g1"}};
  CHECK(TxnScanAll(*t, "a", "") == expected);
  CHECK(TxnScanAll(*t, "b", "e") ==
        std::vector<KeyValue>{{"b", "db-b"}, {"bb", "txn-bb"}, {"d", "db-d+m"}});
  CHECK(TxnScanAll(*t, "c", "d").empty());

  // Nobody else sees the buffered writes.
  CHECK(GetOrFail(*db, "a") == "db-a");
  CHECK(GetOrFail(*db, "bb") == std::nullopt);

  Result<std::optional<WriteHandle>> committed = BlockOn(t->Commit());
  REQUIRE(committed.status().ToString() == "OK");
  REQUIRE(committed->has_value());
  CHECK((*committed)->seq > 0);
  std::unique_ptr<DbIterator> after = BlockOn(db->Scan("a", "")).value();
  CHECK(Drain(*after) == expected);
  REQUIRE(BlockOn(db->Close()).ok());
}

TEST_CASE("transaction scans seek across buffered and committed keys", "[txn]") {
  ThreadedDbEnv env;
  auto db = env.Open();
  for (const char* k : {"k1", "k3", "k5", "k7"}) REQUIRE(BlockOn(db->Put(k, "db")).ok());
  auto t = Begin(*db, IsolationLevel::kSerializableSnapshot);
  REQUIRE(t->Put("k2", "txn").ok());
  REQUIRE(t->Delete("k5").ok());
  REQUIRE(t->Put("k6", "txn").ok());

  Result<std::unique_ptr<DbIterator>> it = BlockOn(t->Scan("k", "k9"));
  REQUIRE(it.ok());
  DbIterator& iter = **it;
  auto next_key = [&]() -> std::optional<std::string> {
    Result<std::optional<KeyValue>> n = BlockOn(iter.Next());
    REQUIRE(n.ok());
    if (!n->has_value()) return std::nullopt;
    return (*n)->key;
  };
  CHECK(next_key() == "k1");
  REQUIRE(BlockOn(iter.Seek("k4")).ok());  // past k2 (buffered) and k3 (committed)
  CHECK(next_key() == "k6");               // k5 is deleted in the transaction
  CHECK(BlockOn(iter.Seek("k6")).kind() == ErrorKind::kInvalid);  // not forward
  CHECK(BlockOn(iter.Seek("z")).kind() == ErrorKind::kInvalid);   // outside the range
  CHECK(next_key() == "k7");  // a rejected seek leaves the iterator usable
  CHECK(next_key() == std::nullopt);

  // Seek before reading anything, to a buffered key, then to a committed one.
  Result<std::unique_ptr<DbIterator>> it2 = BlockOn(t->Scan("k", "k9"));
  REQUIRE(it2.ok());
  REQUIRE(BlockOn((*it2)->Seek("k2")).ok());
  Result<std::optional<KeyValue>> first = BlockOn((*it2)->Next());
  REQUIRE(first.ok());
  CHECK(KeyAndValue(**first) == std::make_pair(std::string("k2"), std::string("txn")));
  REQUIRE(BlockOn((*it2)->Seek("k3")).ok());
  CHECK(Drain(**it2) == std::vector<KeyValue>{{"k3", "db"}, {"k6", "txn"}, {"k7", "db"}});

  // A seek landing where the iterator already looked ahead (it peeked k3 while returning
  // k2), then one skipping past a key hidden by a buffered delete.
  Result<std::unique_ptr<DbIterator>> it3 = BlockOn(t->Scan("k2", "k9"));
  REQUIRE(it3.ok());
  Result<std::optional<KeyValue>> k2 = BlockOn((*it3)->Next());
  REQUIRE(k2.ok());
  CHECK((*k2)->key == "k2");
  REQUIRE(BlockOn((*it3)->Seek("k21")).ok());
  Result<std::optional<KeyValue>> k3 = BlockOn((*it3)->Next());
  REQUIRE(k3.ok());
  CHECK((*k3)->key == "k3");
  REQUIRE(BlockOn((*it3)->Seek("k51")).ok());
  CHECK(Drain(**it3) == std::vector<KeyValue>{{"k6", "txn"}, {"k7", "db"}});
  t->Rollback();
  REQUIRE(BlockOn(db->Close()).ok());
}

TEST_CASE("a scan sees the buffer as it was when the scan began", "[txn]") {
  ThreadedDbEnv env;
  auto db = env.Open();
  REQUIRE(BlockOn(db->Put("k0", "v0")).ok());
  auto t = Begin(*db, IsolationLevel::kSnapshot);
  REQUIRE(t->Put("k1", "v1").ok());
  Result<std::unique_ptr<DbIterator>> it = BlockOn(t->Scan("k", ""));
  REQUIRE(it.ok());
  REQUIRE(t->Put("k2", "v2").ok());
  REQUIRE(t->Delete("k0").ok());
  CHECK(Drain(**it) == std::vector<KeyValue>{{"k0", "v0"}, {"k1", "v1"}});
  CHECK(TxnScanAll(*t, "k", "") == std::vector<KeyValue>{{"k1", "v1"}, {"k2", "v2"}});
  REQUIRE(BlockOn(db->Close()).ok());
}

TEST_CASE("the snapshot stays fixed while others commit and memtables flush", "[txn]") {
  ThreadedDbEnv env;
  auto db = env.Open();
  REQUIRE(BlockOn(db->Put("k", "v1")).ok());
  REQUIRE(BlockOn(db->Put("gone", "here")).ok());
  auto t = Begin(*db, IsolationLevel::kSnapshot);
  REQUIRE(BlockOn(db->Put("k", "v2")).ok());
  REQUIRE(BlockOn(db->Delete("gone")).ok());
  REQUIRE(BlockOn(db->Put("new", "n")).ok());
  // The old versions share a memtable with the new ones; the L0 flush must keep them
  // for the open transaction.
  REQUIRE(BlockOn(db->Flush(FlushType::kMemTable)).ok());
  for (int i = 0; i < 3; ++i) {
    REQUIRE(BlockOn(db->Put("k", "v" + std::to_string(3 + i))).ok());
    REQUIRE(BlockOn(db->Flush(FlushType::kMemTable)).ok());
  }
  CHECK(TxnGet(*t, "k") == "v1");
  CHECK(TxnGet(*t, "gone") == "here");
  CHECK(TxnGet(*t, "new") == std::nullopt);
  CHECK(TxnScanAll(*t, "a", "") == std::vector<KeyValue>{{"gone", "here"}, {"k", "v1"}});
  CHECK(GetOrFail(*db, "k") == "v5");
  t->Rollback();
  REQUIRE(BlockOn(db->Close()).ok());
}

TEST_CASE("TryGet answers from memory and tracks the read", "[txn]") {
  ThreadedDbEnv env;
  auto db = env.Open();
  REQUIRE(BlockOn(db->Put("k", "v")).ok());
  auto t = Begin(*db, IsolationLevel::kSerializableSnapshot);
  Result<std::optional<std::string>> out = Status::Internal("unset");
  REQUIRE(t->TryGet("k", {}, &out));
  REQUIRE(out.ok());
  CHECK(*out == "v");
  REQUIRE(t->Merge("k", "+").ok());
  REQUIRE(t->TryGet("k", {}, &out));
  CHECK(*out == "v+");
  REQUIRE(t->TryGet("", {}, &out));
  CHECK(out.status().kind() == ErrorKind::kInvalid);
  REQUIRE(BlockOn(db->Put("k", "other")).ok());
  CHECK(BlockOn(t->Commit()).status().kind() == ErrorKind::kTransaction);
  REQUIRE(BlockOn(db->Close()).ok());
}

TEST_CASE("commit applies atomically with per-put TTL", "[txn]") {
  ThreadedDbEnv env;
  auto db = env.Open();
  auto t = Begin(*db, IsolationLevel::kSnapshot);
  PutOptions short_ttl;
  short_ttl.ttl_ms = 1;
  PutOptions long_ttl;
  long_ttl.ttl_ms = 600'000;
  REQUIRE(t->Put("short", "s", short_ttl).ok());
  REQUIRE(t->Put("long", "l", long_ttl).ok());
  REQUIRE(t->Put("plain", "p").ok());
  WriteOptions fast;
  fast.await_durable = false;
  Result<std::optional<WriteHandle>> h = BlockOn(t->Commit(fast));
  REQUIRE(h.ok());
  REQUIRE(h->has_value());
  // One sequence number for the whole transaction.
  CHECK(TxnMetric(*db, "db/last_seq") == (*h)->seq);
  std::this_thread::sleep_for(std::chrono::milliseconds(5));
  CHECK(GetOrFail(*db, "short") == std::nullopt);
  CHECK(GetOrFail(*db, "long") == "l");
  CHECK(GetOrFail(*db, "plain") == "p");
  REQUIRE(BlockOn(db->Close()).ok());
}

TEST_CASE("rollback discards, and every call after the end is Closed", "[txn]") {
  ThreadedDbEnv env;
  auto db = env.Open();
  REQUIRE(BlockOn(db->Put("k", "v")).ok());
  auto check_closed = [](Transaction& t) {
    CHECK_FALSE(t.is_open());
    Status get = BlockOn(t.Get("k")).status();
    CHECK(get.kind() == ErrorKind::kClosed);
    CHECK(get.message().find("transaction is closed") != std::string::npos);
    Result<std::optional<std::string>> out = Status::Internal("unset");
    REQUIRE(t.TryGet("k", {}, &out));
    CHECK(out.status().kind() == ErrorKind::kClosed);
    CHECK(BlockOn(t.Scan("a", "")).status().kind() == ErrorKind::kClosed);
    CHECK(t.Put("k", "v").kind() == ErrorKind::kClosed);
    CHECK(t.Delete("k").kind() == ErrorKind::kClosed);
    CHECK(t.Merge("k", "v").kind() == ErrorKind::kClosed);
    CHECK(t.MarkRead("k").kind() == ErrorKind::kClosed);
    CHECK(t.UnmarkWrite("k").kind() == ErrorKind::kClosed);
    CHECK(BlockOn(t.Commit()).status().kind() == ErrorKind::kClosed);
    t.Rollback();  // still fine
  };

  auto rolled = Begin(*db, IsolationLevel::kSnapshot);
  REQUIRE(rolled->Put("k9", "v9").ok());
  rolled->Rollback();
  rolled->Rollback();
  CHECK(GetOrFail(*db, "k9") == std::nullopt);
  check_closed(*rolled);

  auto committed = Begin(*db, IsolationLevel::kSerializableSnapshot);
  REQUIRE(committed->Put("k1", "v1").ok());
  REQUIRE(BlockOn(committed->Commit()).ok());
  check_closed(*committed);

  auto failed = Begin(*db, IsolationLevel::kSnapshot);
  REQUIRE(failed->Put("k", "mine").ok());
  REQUIRE(BlockOn(db->Put("k", "theirs")).ok());
  CHECK(BlockOn(failed->Commit()).status().kind() == ErrorKind::kTransaction);
  check_closed(*failed);

  // Dropping an open transaction rolls it back.
  {
    auto dropped = Begin(*db, IsolationLevel::kSnapshot);
    REQUIRE(dropped->Put("k8", "v8").ok());
  }
  CHECK(GetOrFail(*db, "k8") == std::nullopt);
  CHECK(TxnMetric(*db, "txn/active") == 0);
  REQUIRE(BlockOn(db->Close()).ok());
}

TEST_CASE("a scan's iterator outlives its transaction", "[txn]") {
  ThreadedDbEnv env;
  auto db = env.Open();
  REQUIRE(BlockOn(db->Put("a", "1")).ok());
  auto t = Begin(*db, IsolationLevel::kSnapshot);
  REQUIRE(t->Put("b", "2").ok());
  Result<std::unique_ptr<DbIterator>> it = BlockOn(t->Scan("a", ""));
  REQUIRE(it.ok());
  t.reset();
  CHECK(Drain(**it) == std::vector<KeyValue>{{"a", "1"}, {"b", "2"}});
  REQUIRE(BlockOn(db->Close()).ok());
}

TEST_CASE("bad arguments are Invalid; a closed database is Closed", "[txn]") {
  ThreadedDbEnv env;
  auto db = env.Open();
  CHECK(db->Begin(static_cast<IsolationLevel>(7)).status().kind() == ErrorKind::kInvalid);
  Result<std::unique_ptr<Transaction>> si = db->Begin();
  REQUIRE(si.ok());
  CHECK((*si)->isolation() == IsolationLevel::kSnapshot);
  Transaction& t = **si;
  CHECK(t.Put("", "v").kind() == ErrorKind::kInvalid);
  CHECK(t.Put(std::string(kMaxKeyBytes + 1, 'k'), "v").kind() == ErrorKind::kInvalid);
  CHECK(t.Delete("").kind() == ErrorKind::kInvalid);
  CHECK(t.Merge("", "v").kind() == ErrorKind::kInvalid);
  CHECK(t.MarkRead("").kind() == ErrorKind::kInvalid);
  CHECK(BlockOn(t.Get("")).status().kind() == ErrorKind::kInvalid);
  CHECK(BlockOn(t.Scan("b", "a")).status().kind() == ErrorKind::kInvalid);
  CHECK(t.is_open());  // bad arguments do not end the transaction
  REQUIRE(t.Put("k", "v").ok());

  // Merges need a merge operator.
  ThreadedDbEnv plain_env;
  DbOptions no_merge = plain_env.Options();
  no_merge.merge_operator = nullptr;
  Result<std::shared_ptr<Db>> plain = BlockOn(Db::Open(no_merge));
  REQUIRE(plain.ok());
  auto pt = Begin(**plain, IsolationLevel::kSnapshot);
  CHECK(pt->Merge("k", "v").kind() == ErrorKind::kInvalid);
  pt.reset();
  REQUIRE(BlockOn((*plain)->Close()).ok());

  REQUIRE(BlockOn(db->Close()).ok());
  CHECK(BlockOn(t.Commit()).status().kind() == ErrorKind::kClosed);
  CHECK(db->Begin().status().kind() == ErrorKind::kClosed);
}

TEST_CASE("conflict bookkeeping follows the open transactions", "[txn]") {
  ThreadedDbEnv env;
  auto db = env.Open();
  auto write = [&](const char* k) { REQUIRE(BlockOn(db->Put(k, "v")).ok()); };
  write("a");
  CHECK(TxnMetric(*db, "txn/recorded_commits") == 0);  // nobody open: nothing kept

  auto old_txn = Begin(*db, IsolationLevel::kSerializableSnapshot);
  write("b");
  write("c");
  CHECK(TxnMetric(*db, "txn/active") == 1);
  CHECK(TxnMetric(*db, "txn/recorded_commits") == 2);

  auto young_txn = Begin(*db, IsolationLevel::kSnapshot);
  write("d");
  CHECK(TxnMetric(*db, "txn/recorded_commits") == 3);
  old_txn->Rollback();  // only "d" committed after the younger one began
  CHECK(TxnMetric(*db, "txn/recorded_commits") == 1);
  REQUIRE(young_txn->Put("e", "v").ok());
  REQUIRE(BlockOn(young_txn->Commit()).ok());
  CHECK(TxnMetric(*db, "txn/active") == 0);
  CHECK(TxnMetric(*db, "txn/recorded_commits") == 0);
  write("f");
  CHECK(TxnMetric(*db, "txn/recorded_commits") == 0);
  REQUIRE(BlockOn(db->Close()).ok());
}

}  // namespace
}  // namespace slatedb::testing
