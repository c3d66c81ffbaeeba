// SPDX-License-Identifier: Apache-2.0
//
// The Db API end to end on a memory store with a real thread pool: reads and writes across
// memtable and L0 SSTs, batches, merges, TTL, snapshots, scans with seek, durability,
// reopen, and the error kind of every kind of bad input.
#include "tests/db/db_test_util.h"

namespace slatedb::testing {
namespace {

TEST_CASE("put, get, overwrite, delete", "[db]") {
  ThreadedDbEnv env;
  auto db = env.Open();
  CHECK_FALSE(GetOrFail(*db, "missing").has_value());
  REQUIRE(BlockOn(db->Put("k1", "v1")).ok());
  CHECK(GetOrFail(*db, "k1") == "v1");
  REQUIRE(BlockOn(db->Put("k1", "v2")).ok());
  CHECK(GetOrFail(*db, "k1") == "v2");
  REQUIRE(BlockOn(db->Delete("k1")).ok());
  CHECK_FALSE(GetOrFail(*db, "k1").has_value());
  REQUIRE(BlockOn(db->Delete("never-written")).ok());
  std::string binary("a\0b\xff", 4);
  REQUIRE(BlockOn(db->Put(binary, std::string("\0\0", 2))).ok());
  CHECK(GetOrFail(*db, binary) == std::string("\0\0", 2));
  REQUIRE(BlockOn(db->Put("empty-value", "")).ok());
  CHECK(GetOrFail(*db, "empty-value") == "");
  REQUIRE(BlockOn(db->Close()).ok());
}

TEST_CASE("bad input fails with Invalid and nothing is written", "[db]") {
  ThreadedDbEnv env;
  auto db = env.Open();
  CHECK(BlockOn(db->Put("", "v")).status().kind() == ErrorKind::kInvalid);
  CHECK(BlockOn(db->Put(std::string(kMaxKeyBytes + 1, 'k'), "v")).status().kind() ==
        ErrorKind::kInvalid);
  CHECK(BlockOn(db->Put(std::string(kMaxKeyBytes, 'k'), "v")).ok());
  CHECK(BlockOn(db->Get("")).status().kind() == ErrorKind::kInvalid);
  CHECK(BlockOn(db->Delete("")).status().kind() == ErrorKind::kInvalid);
  CHECK(BlockOn(db->Write(WriteBatch())).status().kind() == ErrorKind::kInvalid);
  CHECK(BlockOn(db->Scan("b", "a")).status().kind() == ErrorKind::kInvalid);
  CHECK(BlockOn(db->Scan("a", "a")).status().kind() == ErrorKind::kInvalid);

  WriteBatch half_bad;
  half_bad.Put("good", "v");
  half_bad.Put("", "v");
  CHECK(BlockOn(db->Write(std::move(half_bad))).status().kind() == ErrorKind::kInvalid);
  CHECK_FALSE(GetOrFail(*db, "good").has_value());
  REQUIRE(BlockOn(db->Close()).ok());
}

TEST_CASE("oversized value is Invalid", "[db][slow]") {
  ThreadedDbEnv env;
  auto db = env.Open();
  std::string big(kMaxValueBytes + 1, 'v');
  CHECK(BlockOn(db->Put("k", big)).status().kind() == ErrorKind::kInvalid);
  REQUIRE(BlockOn(db->Close()).ok());
}

TEST_CASE("every call after close fails Closed(clean)", "[db]") {
  ThreadedDbEnv env;
  auto db = env.Open();
  REQUIRE(BlockOn(db->Put("k", "v")).ok());
  REQUIRE(BlockOn(db->Close()).ok());
  REQUIRE(BlockOn(db->Close()).ok());  // closing twice is fine
  Status put = BlockOn(db->Put("k", "v")).status();
  CHECK(put.kind() == ErrorKind::kClosed);
  CHECK(put.close_reason() == CloseReason::kClean);
  CHECK(BlockOn(db->Get("k")).status().kind() == ErrorKind::kClosed);
  CHECK(BlockOn(db->Scan("a", "")).status().kind() == ErrorKind::kClosed);
  CHECK(BlockOn(db->Flush()).kind() == ErrorKind::kClosed);
  CHECK(db->GetSnapshot().status().kind() == ErrorKind::kClosed);
}

TEST_CASE("data survives close and reopen, from memtable and from L0", "[db]") {
  ThreadedDbEnv env;
  {
    auto db = env.Open();
    for (int i = 0; i < 2000; ++i) {
      WriteOptions fast;
      fast.await_durable = false;
      REQUIRE(
          BlockOn(db->Put("key" + std::to_string(i), "value" + std::to_string(i), {}, fast)).ok());
    }
    REQUIRE(BlockOn(db->Delete("key7")).ok());
    REQUIRE(BlockOn(db->Close()).ok());
  }
  auto db = env.Open();
  CHECK(GetOrFail(*db, "key0") == "value0");
  CHECK(GetOrFail(*db, "key1999") == "value1999");
  CHECK_FALSE(GetOrFail(*db, "key7").has_value());
  auto all = ScanAll(*db, "key", "");
  CHECK(all.size() == 1999);
  REQUIRE(BlockOn(db->Close()).ok());
}

TEST_CASE("durable writes survive a dropped handle (no close)", "[db]") {
  ThreadedDbEnv env;
  {
    auto db = env.Open();
    for (int i = 0; i < 300; ++i) {
      REQUIRE(BlockOn(db->Put("d" + std::to_string(i), std::string(100, 'x'))).ok());
    }
    // Dropped without Close: the memtable is lost, the WAL is not.
  }
  auto db = env.Open();
  for (int i = 0; i < 300; ++i) CHECK(GetOrFail(*db, "d" + std::to_string(i)).has_value());
  REQUIRE(BlockOn(db->Close()).ok());
}

TEST_CASE("GetKeyValue returns the value with its newest contributing version", "[db]") {
  ThreadedDbEnv env;
  auto db = env.Open();
  Result<WriteHandle> plain = BlockOn(db->Put("plain", "v1"));
  REQUIRE(plain.ok());
  PutOptions ttl;
  ttl.ttl_ms = 3'600'000;
  Result<WriteHandle> expiring = BlockOn(db->Put("expiring", "v2", ttl));
  REQUIRE(expiring.ok());
  REQUIRE(BlockOn(db->Put("merged", "a")).ok());
  Result<WriteHandle> operand = BlockOn(db->Merge("merged", "b"));
  REQUIRE(operand.ok());
  REQUIRE(BlockOn(db->Put("deleted", "x")).ok());
  REQUIRE(BlockOn(db->Delete("deleted")).ok());

  auto check = [&](const char* when) {
    INFO(when);
    Result<std::optional<KeyValueRow>> row = BlockOn(db->GetKeyValue("plain"));
    REQUIRE(row.ok());
    REQUIRE(row->has_value());
    CHECK((*row)->key == "plain");
    CHECK((*row)->value == "v1");
    CHECK((*row)->seq == plain->seq);
    CHECK((*row)->create_ts == plain->create_ts);
    CHECK_FALSE((*row)->expire_ts.has_value());

    row = BlockOn(db->GetKeyValue("expiring"));
    REQUIRE(row.ok());
    REQUIRE(row->has_value());
    CHECK((*row)->seq == expiring->seq);
    REQUIRE((*row)->expire_ts.has_value());
    CHECK(*(*row)->expire_ts == expiring->create_ts + 3'600'000);

    row = BlockOn(db->GetKeyValue("merged"));
    REQUIRE(row.ok());
    REQUIRE(row->has_value());
    CHECK((*row)->value == "ab");
    CHECK((*row)->seq == operand->seq);

    CHECK_FALSE(BlockOn(db->GetKeyValue("deleted"))->has_value());
    CHECK_FALSE(BlockOn(db->GetKeyValue("never"))->has_value());
  };
  check("from the memtable");
  REQUIRE(BlockOn(db->Flush(FlushType::kMemTable)).ok());
  check("from an L0 SST");
  CHECK(BlockOn(db->GetKeyValue("")).status().kind() == ErrorKind::kInvalid);
  REQUIRE(BlockOn(db->Close()).ok());
  CHECK(BlockOn(db->GetKeyValue("plain")).status().kind() == ErrorKind::kClosed);
}

TEST_CASE("a batch of puts and deletes in any order: the last op on a key wins", "[db]") {
  ThreadedDbEnv env;
  auto db = env.Open();
  REQUIRE(BlockOn(db->Put("k3", "old")).ok());
  REQUIRE(BlockOn(db->Put("k9", "old")).ok());
  WriteBatch batch;  // no merges: the engine's copy-free path
  batch.Put("k5", "first");
  batch.Put("k1", "one");
  batch.Delete("k3");
  batch.Put("k5", "second");
  batch.Put("k9", "new");
  batch.Delete("k9");
  batch.Delete("k7");
  batch.Put("k7", "seven");
  REQUIRE(BlockOn(db->Write(std::move(batch))).ok());
  CHECK(GetOrFail(*db, "k1") == "one");
  CHECK_FALSE(GetOrFail(*db, "k3").has_value());
  CHECK(GetOrFail(*db, "k5") == "second");
  CHECK(GetOrFail(*db, "k7") == "seven");
  CHECK_FALSE(GetOrFail(*db, "k9").has_value());
  std::vector<KeyValue> all = ScanAll(*db, "", "");
  REQUIRE(all.size() == 3);
  CHECK(KeyAndValue(all[0]) == std::make_pair(std::string("k1"), std::string("one")));
  CHECK(KeyAndValue(all[1]) == std::make_pair(std::string("k5"), std::string("second")));
  CHECK(KeyAndValue(all[2]) == std::make_pair(std::string("k7"), std::string("seven")));
  // Sorted without repeats (the usual bulk batch) keeps every op.
  WriteBatch sorted;
  for (int i = 0; i < 100; ++i) sorted.Put("s" + std::to_string(1000 + i), std::to_string(i));
  REQUIRE(BlockOn(db->Write(std::move(sorted))).ok());
  CHECK(ScanAll(*db, "s", "t").size() == 100);
  CHECK(GetOrFail(*db, "s1042") == "42");
}

TEST_CASE("write batch is atomic and later ops on a key win", "[db]") {
  ThreadedDbEnv env;
  auto db = env.Open();
  REQUIRE(BlockOn(db->Put("gone", "x")).ok());
  WriteBatch batch;
  batch.Put("a", "1");
  batch.Put("b", "2");
  batch.Put("a", "3");
  batch.Delete("gone");
  batch.Put("c", "4");
  batch.Delete("c");
  batch.Merge("m", "x");
  batch.Merge("m", "y");
  batch.Put("p", "base");
  batch.Merge("p", "+1");
  Result<WriteHandle> handle = BlockOn(db->Write(std::move(batch)));
  REQUIRE(handle.ok());
  CHECK(GetOrFail(*db, "a") == "3");
  CHECK(GetOrFail(*db, "b") == "2");
  CHECK_FALSE(GetOrFail(*db, "c").has_value());
  CHECK_FALSE(GetOrFail(*db, "gone").has_value());
  CHECK(GetOrFail(*db, "m") == "xy");
  CHECK(GetOrFail(*db, "p") == "base+1");
  REQUIRE(BlockOn(db->Close()).ok());
}

TEST_CASE("merge operands fold across memtable, L0 and reopen", "[db]") {
  ThreadedDbEnv env;
  auto db = env.Open();
  REQUIRE(BlockOn(db->Merge("k", "a")).ok());
  REQUIRE(BlockOn(db->Flush(FlushType::kMemTable)).ok());
  REQUIRE(BlockOn(db->Merge("k", "b")).ok());
  REQUIRE(BlockOn(db->Flush(FlushType::kMemTable)).ok());
  REQUIRE(BlockOn(db->Merge("k", "c")).ok());
  CHECK(GetOrFail(*db, "k") == "abc");
  REQUIRE(BlockOn(db->Put("k", "base")).ok());
  REQUIRE(BlockOn(db->Merge("k", "d")).ok());
  CHECK(GetOrFail(*db, "k") == "based");
  auto scanned = ScanAll(*db, "k", "l");
  REQUIRE(scanned.size() == 1);
  CHECK(scanned[0].value == "based");
  REQUIRE(BlockOn(db->Close()).ok());
  db = env.Open();
  CHECK(GetOrFail(*db, "k") == "based");
  REQUIRE(BlockOn(db->Close()).ok());
}

TEST_CASE("merge without an operator is Invalid", "[db]") {
  ThreadedDbEnv env;
  DbOptions options = env.Options();
  options.merge_operator = nullptr;
  auto db = *BlockOn(Db::Open(options));
  CHECK(BlockOn(db->Merge("k", "a")).status().kind() == ErrorKind::kInvalid);
  REQUIRE(BlockOn(db->Close()).ok());
}

TEST_CASE("expired entries are invisible and hide older versions", "[db]") {
  ThreadedDbEnv env;
  auto clock = std::make_shared<ManualClock>(1'000'000);
  env.clock = clock;
  auto db = env.Open();
  REQUIRE(BlockOn(db->Put("k", "old")).ok());
  PutOptions short_ttl;
  short_ttl.ttl_ms = 100;
  REQUIRE(BlockOn(db->Put("k", "new", short_ttl)).ok());
  REQUIRE(BlockOn(db->Put("other", "v", short_ttl)).ok());
  CHECK(GetOrFail(*db, "k") == "new");
  clock->Advance(99);
  CHECK(GetOrFail(*db, "k") == "new");
  clock->Advance(1);
  CHECK_FALSE(GetOrFail(*db, "k").has_value());
  CHECK(ScanAll(*db, "a", "").empty());
  REQUIRE(BlockOn(db->Flush(FlushType::kMemTable)).ok());
  CHECK_FALSE(GetOrFail(*db, "k").has_value());

  Settings with_default = SmallSettings();
  with_default.default_ttl_ms = 50;
  REQUIRE(BlockOn(db->Close()).ok());
  db = env.Open(with_default);
  REQUIRE(BlockOn(db->Put("d", "v")).ok());
  PutOptions forever;
  forever.ttl_ms = kNoExpiry;
  REQUIRE(BlockOn(db->Put("f", "v", forever)).ok());
  clock->Advance(50);
  CHECK_FALSE(GetOrFail(*db, "d").has_value());
  CHECK(GetOrFail(*db, "f") == "v");
  REQUIRE(BlockOn(db->Close()).ok());
}

TEST_CASE("ttl 0 is invisible at once, as upstream, for puts, merges and the default",
          "[db][ttl]") {
  ThreadedDbEnv env;
  auto clock = std::make_shared<ManualClock>(1'000'000);  // time stands still
  env.clock = clock;
  auto db = env.Open();
  PutOptions zero;
  zero.ttl_ms = 0;
  REQUIRE(BlockOn(db->Put("k", "old")).ok());
  REQUIRE(BlockOn(db->Put("k", "new", zero)).ok());
  CHECK_FALSE(GetOrFail(*db, "k").has_value());  // and it hides the older version
  REQUIRE(BlockOn(db->Merge("m", "a", zero)).ok());
  CHECK_FALSE(GetOrFail(*db, "m").has_value());
  WriteBatch batch;
  batch.Put("b", "v", zero);
  REQUIRE(BlockOn(db->Write(std::move(batch))).ok());
  CHECK_FALSE(GetOrFail(*db, "b").has_value());
  CHECK(ScanAll(*db, "a", "").empty());
  REQUIRE(BlockOn(db->Flush(FlushType::kMemTable)).ok());  // the same once in an SST
  CHECK_FALSE(GetOrFail(*db, "k").has_value());
  REQUIRE(BlockOn(db->Close()).ok());

  Settings zero_default = SmallSettings();
  zero_default.default_ttl_ms = 0;
  db = env.Open(zero_default);
  REQUIRE(BlockOn(db->Put("d", "v")).ok());
  CHECK_FALSE(GetOrFail(*db, "d").has_value());
  {
    // A transaction reads its own such write as the database will after the commit.
    Result<std::unique_ptr<Transaction>> txn = db->Begin();
    REQUIRE(txn.ok());
    REQUIRE((*txn)->Put("t", "v").ok());
    Result<std::optional<std::string>> own = BlockOn((*txn)->Get("t"));
    REQUIRE(own.ok());
    CHECK_FALSE(own->has_value());
    REQUIRE(BlockOn((*txn)->Commit()).ok());
    CHECK_FALSE(GetOrFail(*db, "t").has_value());
  }
  PutOptions forever;
  forever.ttl_ms = kNoExpiry;
  REQUIRE(BlockOn(db->Put("f", "v", forever)).ok());
  CHECK(GetOrFail(*db, "f") == "v");
  REQUIRE(BlockOn(db->Close()).ok());
}

TEST_CASE("snapshots do not see later writes, across flushes", "[db]") {
  ThreadedDbEnv env;
  auto db = env.Open();
  REQUIRE(BlockOn(db->Put("k", "v1")).ok());
  REQUIRE(BlockOn(db->Put("gone-later", "here")).ok());
  auto snap = db->GetSnapshot();
  REQUIRE(snap.ok());
  REQUIRE(BlockOn(db->Put("k", "v2")).ok());
  REQUIRE(BlockOn(db->Delete("gone-later")).ok());
  REQUIRE(BlockOn(db->Put("new", "x")).ok());
  REQUIRE(BlockOn(db->Flush(FlushType::kMemTable)).ok());
  CHECK(*BlockOn((*snap)->Get("k")) == std::optional<std::string>("v1"));
  CHECK(*BlockOn((*snap)->Get("gone-later")) == std::optional<std::string>("here"));
  CHECK_FALSE(BlockOn((*snap)->Get("new"))->has_value());
  CHECK(GetOrFail(*db, "k") == "v2");
  auto it = BlockOn((*snap)->Scan("a", ""));
  REQUIRE(it.ok());
  std::vector<std::string> keys;
  while (auto next = *BlockOn((*it)->Next())) keys.push_back(next->key);
  CHECK(keys == std::vector<std::string>{"gone-later", "k"});
  REQUIRE(BlockOn(db->Close()).ok());
}

TEST_CASE("scan ranges and forward-only seek", "[db]") {
  ThreadedDbEnv env;
  auto db = env.Open();
  for (char c = 'a'; c <= 'j'; ++c) REQUIRE(BlockOn(db->Put(std::string("k") + c, "v")).ok());
  REQUIRE(BlockOn(db->Flush(FlushType::kMemTable)).ok());
  REQUIRE(BlockOn(db->Put("kc", "newer")).ok());  // memtable shadows the L0 version

  auto range = ScanAll(*db, "kb", "ke");
  REQUIRE(range.size() == 3);
  CHECK(range[0].key == "kb");
  CHECK(KeyAndValue(range[1]) == std::make_pair(std::string("kc"), std::string("newer")));
  CHECK(range[2].key == "kd");

  auto it = std::move(*BlockOn(db->Scan("ka", "kj")));
  CHECK((*BlockOn(it->Next()))->key == "ka");
  REQUIRE(BlockOn(it->Seek("kf")).ok());
  CHECK((*BlockOn(it->Next()))->key == "kf");
  CHECK(BlockOn(it->Seek("kf")).kind() == ErrorKind::kInvalid);  // not past the last key
  CHECK(BlockOn(it->Seek("kb")).kind() == ErrorKind::kInvalid);  // backwards
  CHECK(BlockOn(it->Seek("kz")).kind() == ErrorKind::kInvalid);  // outside the range
  REQUIRE(BlockOn(it->Seek("kh")).ok());
  CHECK((*BlockOn(it->Next()))->key == "kh");
  CHECK((*BlockOn(it->Next()))->key == "ki");
  CHECK_FALSE(BlockOn(it->Next())->has_value());
  REQUIRE(BlockOn(db->Close()).ok());
}

TEST_CASE("remote durability filter hides writes not yet in the WAL", "[db]") {
  ThreadedDbEnv env;
  Settings manual = SmallSettings();
  manual.flush_interval_ms = 0;  // WAL uploads only on Flush
  auto db = env.Open(manual);
  WriteOptions fast;
  fast.await_durable = false;
  REQUIRE(BlockOn(db->Put("k", "v", {}, fast)).ok());
  ReadOptions remote;
  remote.durability_filter = DurabilityLevel::kRemote;
  CHECK(GetOrFail(*db, "k") == "v");
  CHECK_FALSE(GetOrFail(*db, "k", remote).has_value());
  REQUIRE(BlockOn(db->Flush(FlushType::kWal)).ok());
  CHECK(GetOrFail(*db, "k", remote) == "v");
  REQUIRE(BlockOn(db->Close()).ok());
}

TEST_CASE("TryGet answers from memory and declines when I/O is needed", "[db]") {
  ThreadedDbEnv env;
  auto db = env.Open();
  REQUIRE(BlockOn(db->Put("mem", "1")).ok());
  Result<std::optional<std::string>> out = Status::Internal("unset");
  REQUIRE(db->TryGet("mem", {}, &out));
  CHECK(*out == std::optional<std::string>("1"));
  REQUIRE(db->TryGet("absent", {}, &out));
  CHECK_FALSE(out->has_value());
  REQUIRE(db->TryGet("", {}, &out));
  CHECK(out.status().kind() == ErrorKind::kInvalid);
  REQUIRE(BlockOn(db->Close()).ok());
  db = env.Open();  // a fresh handle: the L0 SST's blocks are not in memory yet
  CHECK_FALSE(db->TryGet("mem", {}, &out));
  CHECK(GetOrFail(*db, "mem") == "1");
  REQUIRE(db->TryGet("mem", {}, &out));  // now cached
  CHECK(*out == std::optional<std::string>("1"));
  REQUIRE(BlockOn(db->Close()).ok());
}

TEST_CASE("invalid options are rejected at open", "[db]") {
  ThreadedDbEnv env;
  DbOptions no_store = env.Options();
  no_store.object_store = nullptr;
  CHECK(BlockOn(Db::Open(no_store)).status().kind() == ErrorKind::kInvalid);
  DbOptions bad_path = env.Options();
  bad_path.path = "../escape";
  CHECK(BlockOn(Db::Open(bad_path)).status().kind() == ErrorKind::kInvalid);
  DbOptions bad_settings = env.Options();
  bad_settings.settings.max_unflushed_bytes = bad_settings.settings.l0_sst_size_bytes;
  CHECK(BlockOn(Db::Open(bad_settings)).status().kind() == ErrorKind::kInvalid);
}

}  // namespace
}  // namespace slatedb::testing
