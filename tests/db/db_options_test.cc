// SPDX-License-Identifier: Apache-2.0
//
// The per-call options and status calls upstream's 0.17 API exposes: caller-assigned
// sequence numbers, absolute expiry, waiting for durability without a flush, close options,
// the durable sequence number, merge operands checked by the operator when written,
// GetKeyValue on snapshots, and iterators that outlive their database's Close.
#include <chrono>
#include <thread>

#include "tests/db/db_test_util.h"

namespace slatedb::testing {
namespace {

WriteOptions Seq(uint64_t seqnum) {
  WriteOptions options;
  options.seqnum = seqnum;
  return options;
}

TEST_CASE("caller-assigned sequence numbers must exceed the current one", "[db]") {
  ThreadedDbEnv env;
  auto db = env.Open();
  Result<WriteHandle> first = BlockOn(db->Put("a", "1"));
  REQUIRE(first.ok());
  Result<WriteHandle> same = BlockOn(db->Put("a", "x", {}, Seq(first->seq)));
  REQUIRE(same.status().kind() == ErrorKind::kInvalid);
  CHECK(same.status().message() ==
        "invalid sequence number, must be greater than the current max. provided=`" +
            std::to_string(first->seq) + "`, current=`" + std::to_string(first->seq) + "`");
  CHECK(GetOrFail(*db, "a") == "1");  // nothing written

  Result<WriteHandle> jump = BlockOn(db->Put("a", "2", {}, Seq(first->seq + 100)));
  REQUIRE(jump.ok());
  CHECK(jump->seq == first->seq + 100);
  Result<WriteHandle> next = BlockOn(db->Put("b", "3"));
  REQUIRE(next.ok());
  CHECK(next->seq == jump->seq + 1);  // the database continues above it
  CHECK(BlockOn(db->Put("c", "x", {}, Seq(jump->seq))).status().kind() == ErrorKind::kInvalid);
  CHECK(BlockOn(db->Put("c", "4", {}, Seq(0))).ok());  // 0: assigned

  WriteBatch batch;
  batch.Put("d", "5");
  batch.Delete("a");
  Result<WriteHandle> batched = BlockOn(db->Write(std::move(batch), Seq(next->seq + 50)));
  REQUIRE(batched.ok());
  CHECK(batched->seq == next->seq + 50);
  Result<std::optional<KeyValueRow>> row = BlockOn(db->GetKeyValue("d"));
  REQUIRE(row.ok());
  REQUIRE(row->has_value());
  CHECK((*row)->seq == batched->seq);

  // A transaction's commit takes one too; the sequence survives a reopen.
  auto txn = db->Begin();
  REQUIRE(txn.ok());
  REQUIRE((*txn)->Put("t", "6").ok());
  Result<std::optional<WriteHandle>> committed = BlockOn((*txn)->Commit(Seq(batched->seq + 7)));
  REQUIRE(committed.ok());
  CHECK((*committed)->seq == batched->seq + 7);
  REQUIRE(BlockOn(db->Close()).ok());
  auto reopened = env.Open();
  Result<WriteHandle> after = BlockOn(reopened->Put("e", "7"));
  REQUIRE(after.ok());
  CHECK(after->seq > batched->seq + 7);
  CHECK(GetOrFail(*reopened, "t") == "6");
}

TEST_CASE("absolute expiry: visible until the given time, then hides older versions", "[db]") {
  ThreadedDbEnv env;
  auto db = env.Open();
  const int64_t now = env.clock->NowMillis();
  REQUIRE(BlockOn(db->Put("k", "old")).ok());
  PutOptions at;
  at.expire_at_ms = now + 200;
  at.ttl_ms = 1;  // overridden by expire_at_ms
  REQUIRE(BlockOn(db->Put("k", "new", at)).ok());
  Result<std::optional<KeyValueRow>> row = BlockOn(db->GetKeyValue("k"));
  REQUIRE(row.ok());
  REQUIRE(row->has_value());
  CHECK((*row)->value == "new");
  REQUIRE((*row)->expire_ts);
  CHECK(*(*row)->expire_ts == now + 200);
  PutOptions past;
  past.expire_at_ms = now - 1000;
  REQUIRE(BlockOn(db->Put("gone", "x", past)).ok());
  CHECK(GetOrFail(*db, "gone") == std::nullopt);
  std::this_thread::sleep_for(std::chrono::milliseconds(250));
  CHECK(GetOrFail(*db, "k") == std::nullopt);  // expired, and "old" stays hidden

  // In batches and transactions too.
  WriteBatch batch;
  PutOptions later;
  later.expire_at_ms = now + 3'600'000;
  batch.Put("b", "v", later);
  REQUIRE(BlockOn(db->Write(std::move(batch))).ok());
  auto txn = db->Begin();
  REQUIRE(txn.ok());
  REQUIRE((*txn)->Put("t", "v", later).ok());
  REQUIRE(BlockOn((*txn)->Commit()).ok());
  for (const char* key : {"b", "t"}) {
    Result<std::optional<KeyValueRow>> r = BlockOn(db->GetKeyValue(key));
    REQUIRE(r.ok());
    REQUIRE(r->has_value());
    CHECK((*r)->expire_ts == now + 3'600'000);
  }
}

TEST_CASE("AwaitDurable waits for the next WAL flush without forcing one", "[db]") {
  ThreadedDbEnv env;
  Settings settings = SmallSettings();
  settings.flush_interval_ms = 200;
  auto db = env.Open(settings);
  WriteOptions fast;
  fast.await_durable = false;
  Result<WriteHandle> w = BlockOn(db->Put("k", "v", {}, fast));
  REQUIRE(w.ok());
  CHECK(db->durable_seq() < w->seq);
  const uint64_t wal_puts_before = db->Metrics()["db/wal_flushes"];
  const auto start = std::chrono::steady_clock::now();
  REQUIRE(BlockOn(db->AwaitDurable(w->seq)).ok());
  const auto waited = std::chrono::steady_clock::now() - start;
  CHECK(db->durable_seq() >= w->seq);
  // It waited for the interval's flush (one WAL object), not a flush of its own.
  CHECK(waited >= std::chrono::milliseconds(20));
  CHECK(db->Metrics()["db/wal_flushes"] - wal_puts_before <= 1);
  // Already durable: at once. Never written: Invalid (it would never complete).
  REQUIRE(BlockOn(db->AwaitDurable(w->seq)).ok());
  CHECK(BlockOn(db->AwaitDurable(w->seq + 1000)).kind() == ErrorKind::kInvalid);
  REQUIRE(BlockOn(db->Close()).ok());
  // A durable write stays durable after Close.
  CHECK(BlockOn(db->AwaitDurable(w->seq)).ok());
}

TEST_CASE("Close without a final flush drops what is not durable", "[db]") {
  ThreadedDbEnv env;
  Settings settings = SmallSettings();
  settings.flush_interval_ms = 0;  // WAL objects only when asked
  {
    auto db = env.Open(settings);
    WriteOptions fast;
    fast.await_durable = false;
    REQUIRE(BlockOn(db->Put("durable", "1", {}, fast)).ok());
    REQUIRE(BlockOn(db->Flush(FlushType::kWal)).ok());
    REQUIRE(BlockOn(db->Put("lost", "2", {}, fast)).ok());
    CloseOptions none;
    none.flush = std::nullopt;
    REQUIRE(BlockOn(db->Close(none)).ok());
    CHECK(db->status().close_reason() == CloseReason::kClean);
  }
  {
    auto db = env.Open(settings);
    CHECK(GetOrFail(*db, "durable") == "1");
    CHECK(GetOrFail(*db, "lost") == std::nullopt);
    WriteOptions fast;
    fast.await_durable = false;
    REQUIRE(BlockOn(db->Put("kept", "3", {}, fast)).ok());
    CloseOptions wal;
    wal.flush = FlushType::kWal;
    REQUIRE(BlockOn(db->Close(wal)).ok());
    CHECK(db->durable_seq() > 0);
  }
  auto db = env.Open(settings);
  CHECK(GetOrFail(*db, "kept") == "3");
}

Result<std::string> FailOnBad(std::string_view, std::optional<std::string_view> existing,
                              std::string_view operand) {
  if (operand == "bad") return Status::Invalid("bad operand");
  return std::string(existing.value_or("")) + std::string(operand);
}

// Needs merge-at-write (docs/uniffi-core-needs.md item 19): a lone operand is stored without
// calling the operator under the db mutex, so this fails until the write path can call a
// binding's operator without holding the mutex (a Python operator needs the GIL: deadlock).
TEST_CASE("a merge the operator refuses fails the write and stores nothing", "[db][!shouldfail]") {
  ThreadedDbEnv env;
  DbOptions options = env.Options();
  options.merge_operator = FailOnBad;
  auto db = BlockOn(Db::Open(options)).value();
  REQUIRE(BlockOn(db->Put("k", "base")).ok());
  REQUIRE(BlockOn(db->Merge("k", "+1")).ok());
  Result<WriteHandle> bad = BlockOn(db->Merge("k", "bad"));
  CHECK(bad.status().kind() == ErrorKind::kInvalid);
  CHECK(BlockOn(db->Merge("new", "bad")).status().kind() == ErrorKind::kInvalid);
  CHECK(GetOrFail(*db, "k") == "base+1");  // readable: the operand was never stored
  CHECK(GetOrFail(*db, "new") == std::nullopt);
  WriteBatch batch;
  batch.Put("other", "x");
  batch.Merge("k", "bad");
  CHECK(BlockOn(db->Write(std::move(batch))).status().kind() == ErrorKind::kInvalid);
  CHECK(GetOrFail(*db, "other") == std::nullopt);  // the whole batch failed
}

TEST_CASE("snapshot GetKeyValue reads at the snapshot", "[db]") {
  ThreadedDbEnv env;
  auto db = env.Open();
  Result<WriteHandle> first = BlockOn(db->Put("k", "1"));
  REQUIRE(first.ok());
  auto snap = db->GetSnapshot();
  REQUIRE(snap.ok());
  REQUIRE(BlockOn(db->Put("k", "2")).ok());
  Result<std::optional<KeyValueRow>> row = BlockOn((*snap)->GetKeyValue("k"));
  REQUIRE(row.ok());
  REQUIRE(row->has_value());
  CHECK((*row)->value == "1");
  CHECK((*row)->seq == first->seq);
  CHECK((*row)->create_ts == first->create_ts);
  Result<std::optional<KeyValueRow>> missing = BlockOn((*snap)->GetKeyValue("nope"));
  REQUIRE(missing.ok());
  CHECK(!missing->has_value());
}

TEST_CASE("an iterator opened before Close keeps reading its view", "[db]") {
  ThreadedDbEnv env;
  auto db = env.Open();
  for (const char* k : {"a", "b"}) REQUIRE(BlockOn(db->Put(k, k)).ok());
  REQUIRE(BlockOn(db->Flush(FlushType::kMemTable)).ok());
  REQUIRE(BlockOn(db->Put("c", "c")).ok());
  auto it = BlockOn(db->Scan("a", ""));
  REQUIRE(it.ok());
  REQUIRE(BlockOn(db->Close()).ok());
  std::vector<KeyValue> rows = DrainIterator(std::move(it));
  REQUIRE(rows.size() == 3);
  CHECK(rows[2].key == "c");
  CHECK(BlockOn(db->Scan("a", "")).status().kind() == ErrorKind::kClosed);
}

}  // namespace
}  // namespace slatedb::testing
