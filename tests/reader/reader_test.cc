// SPDX-License-Identifier: Apache-2.0
//
// DbReader: following a live writer (WAL tailing, L0 flushes, compaction and GC under it),
// pinned to a checkpoint (never sees later writes), its managed checkpoint, and bad input.
#include <algorithm>
#include <chrono>
#include <thread>

#include "tests/compaction/store_audit.h"
#include "tests/db/db_test_util.h"
#include "testutil/sync_object_store.h"

namespace slatedb::testing {
namespace {

ReaderOptions ReaderOpts(const ThreadedDbEnv& env) {
  ReaderOptions o;
  o.object_store = env.store;
  o.executor = env.executor;
  o.clock = env.clock;
  o.path = "db";
  o.manifest_poll_interval_ms = 50;
  o.checkpoint_lifetime_ms = 1000;
  o.merge_operator = ConcatMerge;
  return o;
}

std::shared_ptr<DbReader> OpenReader(ReaderOptions options) {
  Result<std::shared_ptr<DbReader>> r = BlockOn(DbReader::Open(std::move(options)));
  REQUIRE(r.status().ToString() == "OK");
  return *r;
}

std::optional<std::string> ReaderGet(DbReader& reader, std::string_view key) {
  Result<std::optional<std::string>> r = BlockOn(reader.Get(key));
  REQUIRE(r.status().ToString() == "OK");
  return *r;
}

std::vector<KeyValue> ReaderScan(DbReader& reader, std::string_view start, std::string_view end) {
  return DrainIterator(BlockOn(reader.Scan(start, end)));
}

TEST_CASE("a reader follows a live writer", "[reader]") {
  ThreadedDbEnv env;
  auto db = env.Open();
  REQUIRE(BlockOn(db->Put("k1", "v1")).ok());
  auto reader = OpenReader(ReaderOpts(env));
  CHECK(ReaderGet(*reader, "k1") == "v1");  // from the WAL, not yet in L0
  CHECK(ReaderGet(*reader, "k2") == std::nullopt);
  REQUIRE(reader->checkpoint_id().has_value());

  // New WAL objects.
  REQUIRE(BlockOn(db->Put("k2", "v2")).ok());
  REQUIRE(BlockOn(db->Merge("m", "a")).ok());
  REQUIRE(BlockOn(reader->Refresh()).ok());
  CHECK(ReaderGet(*reader, "k2") == "v2");
  CHECK(ReaderGet(*reader, "m") == "a");

  // An L0 flush moves the reader (and its checkpoint) to the new version.
  std::string first_checkpoint = *reader->checkpoint_id();
  REQUIRE(BlockOn(db->Flush(FlushType::kMemTable)).ok());
  REQUIRE(BlockOn(db->Merge("m", "b")).ok());
  REQUIRE(BlockOn(db->Delete("k1")).ok());
  REQUIRE(BlockOn(reader->Refresh()).ok());
  CHECK(*reader->checkpoint_id() != first_checkpoint);
  CHECK(ReaderGet(*reader, "m") == "ab");
  CHECK(ReaderGet(*reader, "k1") == std::nullopt);
  std::vector<KeyValue> rows = ReaderScan(*reader, "a", "");
  REQUIRE(rows.size() == 2);
  CHECK(KeyAndValue(rows[0]) == std::make_pair(std::string("k2"), std::string("v2")));
  CHECK(KeyAndValue(rows[1]) == std::make_pair(std::string("m"), std::string("ab")));

  // Without Refresh: the poll timer picks up new writes.
  REQUIRE(BlockOn(db->Put("k3", "v3")).ok());
  bool seen = false;
  for (int i = 0; i < 400 && !seen; ++i) {
    seen = ReaderGet(*reader, "k3") == "v3";
    if (!seen) std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  CHECK(seen);

  // Its managed checkpoint is visible to the writer and goes away on Close. Right after a
  // move the one it read before is still there too (removed by the next poll), so a
  // version it reads is pinned at every moment.
  Result<std::vector<CheckpointInfo>> list = BlockOn(db->ListCheckpoints());
  REQUIRE(list.ok());
  CHECK(list->size() >= 1);
  CHECK(list->size() <= 2);
  CHECK(std::any_of(list->begin(), list->end(),
                    [&](const CheckpointInfo& c) { return c.id == *reader->checkpoint_id(); }));
  REQUIRE(BlockOn(reader->Close()).ok());
  REQUIRE(BlockOn(reader->Close()).ok());
  CHECK(BlockOn(reader->Get("k1")).status().IsClosed());
  Result<std::vector<CheckpointInfo>> after = BlockOn(db->ListCheckpoints());
  REQUIRE(after.ok());
  CHECK(after->empty());
  REQUIRE(BlockOn(db->Close()).ok());
}

TEST_CASE("a reader pinned to a checkpoint never sees later writes", "[reader]") {
  ThreadedDbEnv env;
  auto db = env.Open();
  REQUIRE(BlockOn(db->Put("a", "1")).ok());
  Result<CheckpointCreateResult> all = BlockOn(db->CreateCheckpoint());
  REQUIRE(all.ok());
  REQUIRE(BlockOn(db->Put("b", "2")).ok());  // durable, in a WAL object
  CheckpointOptions durable;
  durable.scope = CheckpointScope::kDurable;
  Result<CheckpointCreateResult> dur = BlockOn(db->CreateCheckpoint(durable));
  REQUIRE(dur.ok());
  REQUIRE(BlockOn(db->Put("a", "changed")).ok());
  REQUIRE(BlockOn(db->Put("c", "3")).ok());
  REQUIRE(BlockOn(db->Flush(FlushType::kMemTable)).ok());

  ReaderOptions o = ReaderOpts(env);
  o.checkpoint_id = all->id;
  auto pinned_all = OpenReader(o);
  CHECK(ReaderGet(*pinned_all, "a") == "1");
  CHECK(ReaderGet(*pinned_all, "b") == std::nullopt);
  CHECK(ReaderGet(*pinned_all, "c") == std::nullopt);
  REQUIRE(BlockOn(pinned_all->Refresh()).ok());
  CHECK(ReaderGet(*pinned_all, "a") == "1");

  o.checkpoint_id = dur->id;
  auto pinned_durable = OpenReader(o);
  CHECK(ReaderGet(*pinned_durable, "a") == "1");
  CHECK(ReaderGet(*pinned_durable, "b") == "2");  // replayed from the pinned WAL range
  CHECK(ReaderGet(*pinned_durable, "c") == std::nullopt);
  CHECK(ReaderScan(*pinned_durable, "a", "z").size() == 2);

  // Pinned readers leave the checkpoints alone.
  REQUIRE(BlockOn(pinned_all->Close()).ok());
  REQUIRE(BlockOn(pinned_durable->Close()).ok());
  CHECK(BlockOn(db->ListCheckpoints())->size() == 2);
  REQUIRE(BlockOn(db->Close()).ok());
}

TEST_CASE("a reader keeps reading through compaction and GC", "[reader][gc]") {
  ThreadedDbEnv env;
  SyncObjectStore sync(env.store);
  Settings s = SmallSettings();
  s.l0_sst_size_bytes = 8 * 1024;
  s.compaction_min_sources = 2;
  s.gc_enabled = false;
  auto db = env.Open(s);
  auto reader = OpenReader(ReaderOpts(env));
  WriteOptions lazy;
  lazy.await_durable = false;
  for (int round = 0; round < 8; ++round) {
    for (int i = 0; i < 150; ++i) {
      std::string value = "r" + std::to_string(round) + std::string(40, 'x');
      REQUIRE(BlockOn(db->Put("k" + std::to_string(1000 + i), value, {}, lazy)).ok());
    }
    REQUIRE(BlockOn(db->Flush(FlushType::kMemTable)).ok());
    REQUIRE(BlockOn(reader->Refresh()).ok());
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
    REQUIRE(BlockOn(db->RunGcOnce(0)).ok());
    StoreAudit::Take(sync, "db");
    std::vector<KeyValue> rows = ReaderScan(*reader, "k", "");
    REQUIRE(rows.size() == 150);
    for (const KeyValue& kv : rows) CHECK(kv.value.substr(0, 2) == "r" + std::to_string(round));
  }
  CHECK(db->Metrics()["gc/deleted_ssts"] > 0);
  REQUIRE(BlockOn(reader->Close()).ok());
  REQUIRE(BlockOn(db->Close()).ok());
}

TEST_CASE("reader options and missing databases are rejected clearly", "[reader]") {
  ThreadedDbEnv env;
  ReaderOptions o = ReaderOpts(env);
  o.checkpoint_lifetime_ms = 500;
  Status s = BlockOn(DbReader::Open(o)).status();
  CHECK(s.code() == StatusCode::kInvalid);
  CHECK(s.message().find("checkpoint_lifetime_ms") != std::string::npos);
  o.manifest_poll_interval_ms = 700;
  o.checkpoint_lifetime_ms = 1000;
  CHECK(BlockOn(DbReader::Open(o)).status().code() == StatusCode::kInvalid);
  o = ReaderOpts(env);
  o.checkpoint_id = "nope";
  CHECK(BlockOn(DbReader::Open(o)).status().code() == StatusCode::kInvalid);
  // No database at the path.
  o = ReaderOpts(env);
  CHECK(BlockOn(DbReader::Open(o)).status().code() == StatusCode::kData);

  auto db = env.Open();
  REQUIRE(BlockOn(db->Put("a", "1")).ok());
  o.checkpoint_id = "01234567-89ab-4cde-8f01-23456789abcd";
  CHECK(BlockOn(DbReader::Open(o)).status().code() == StatusCode::kData);
  // Equality of lifetime and twice the poll interval is allowed.
  o = ReaderOpts(env);
  o.manifest_poll_interval_ms = 500;
  o.checkpoint_lifetime_ms = 1000;
  auto reader = OpenReader(o);
  CHECK(ReaderGet(*reader, "a") == "1");
  CHECK(BlockOn(reader->Get("")).status().code() == StatusCode::kInvalid);
  CHECK(BlockOn(reader->Scan("b", "a")).status().code() == StatusCode::kInvalid);
  REQUIRE(BlockOn(reader->Close()).ok());
  REQUIRE(BlockOn(db->Close()).ok());
}

TEST_CASE("a reader in follow mode writes nothing to the manifest", "[reader]") {
  ThreadedDbEnv env;
  auto db = env.Open();
  REQUIRE(BlockOn(db->Put("a", "1")).ok());
  ReaderOptions o = ReaderOpts(env);
  o.mode = ReaderMode::kFollowLatest;
  auto reader = OpenReader(o);
  CHECK(!reader->checkpoint_id().has_value());
  CHECK(ReaderGet(*reader, "a") == "1");
  REQUIRE(BlockOn(db->Put("b", "2")).ok());
  REQUIRE(BlockOn(reader->Refresh()).ok());
  CHECK(ReaderGet(*reader, "b") == "2");
  CHECK(BlockOn(db->ListCheckpoints())->empty());
  REQUIRE(BlockOn(reader->Close()).ok());
  REQUIRE(BlockOn(db->Close()).ok());
}

TEST_CASE("a reader sees only durable writes, whole batches at a time", "[reader]") {
  ThreadedDbEnv env;
  Settings s = SmallSettings();
  s.flush_interval_ms = 0;  // WAL objects only on Flush
  auto db = env.Open(s);
  auto reader = OpenReader(ReaderOpts(env));
  WriteOptions lazy;
  lazy.await_durable = false;
  WriteBatch batch;
  batch.Put("x", "1");
  batch.Put("y", "2");
  REQUIRE(BlockOn(db->Write(std::move(batch), lazy)).ok());
  REQUIRE(BlockOn(reader->Refresh()).ok());
  CHECK(ReaderGet(*reader, "x") == std::nullopt);  // in the writer's memory only
  REQUIRE(BlockOn(db->Flush(FlushType::kWal)).ok());
  REQUIRE(BlockOn(reader->Refresh()).ok());
  CHECK(ReaderGet(*reader, "x") == "1");
  CHECK(ReaderGet(*reader, "y") == "2");
  REQUIRE(BlockOn(reader->Close()).ok());
  REQUIRE(BlockOn(db->Close()).ok());
}

TEST_CASE("a reader keeps following across a writer restart", "[reader]") {
  ThreadedDbEnv env;
  auto db = env.Open();
  REQUIRE(BlockOn(db->Put("a", "1")).ok());
  auto reader = OpenReader(ReaderOpts(env));
  REQUIRE(BlockOn(db->Put("b", "2")).ok());
  // A new writer fences the old one (no clean close): its fence is an empty WAL object.
  auto second = env.Open();
  CHECK(BlockOn(db->Put("zombie", "x")).status().IsClosed());
  REQUIRE(BlockOn(second->Put("c", "3")).ok());
  REQUIRE(BlockOn(reader->Refresh()).ok());
  CHECK(ReaderGet(*reader, "a") == "1");
  CHECK(ReaderGet(*reader, "b") == "2");
  CHECK(ReaderGet(*reader, "c") == "3");
  CHECK(ReaderGet(*reader, "zombie") == std::nullopt);
  REQUIRE(BlockOn(second->Flush(FlushType::kMemTable)).ok());
  REQUIRE(BlockOn(second->Put("d", "4")).ok());
  REQUIRE(BlockOn(reader->Refresh()).ok());
  CHECK(ReaderScan(*reader, "a", "").size() == 4);
  REQUIRE(BlockOn(reader->Close()).ok());
  REQUIRE(BlockOn(second->Close()).ok());
}

}  // namespace
}  // namespace slatedb::testing

namespace slatedb::testing {
namespace {

TEST_CASE("a reader answers GetKeyValue, descending scans and its durable seq", "[reader]") {
  ThreadedDbEnv env;
  auto db = env.Open();
  Result<WriteHandle> a = BlockOn(db->Put("a", "1"));
  REQUIRE(a.ok());
  REQUIRE(BlockOn(db->Flush(FlushType::kMemTable)).ok());
  Result<WriteHandle> b = BlockOn(db->Put("b", "2"));  // in the WAL only
  REQUIRE(b.ok());
  ReaderOptions options = ReaderOpts(env);
  options.manifest_poll_interval_ms = 0;  // accepted, as upstream: polls continuously
  auto reader = OpenReader(options);
  CHECK(reader->durable_seq() == b->seq);
  Result<std::optional<KeyValueRow>> row = BlockOn(reader->GetKeyValue("a"));
  REQUIRE(row.ok());
  REQUIRE(row->has_value());
  CHECK((*row)->value == "1");
  CHECK((*row)->seq == a->seq);
  CHECK((*row)->create_ts == a->create_ts);
  ScanOptions descending;
  descending.order = IterationOrder::kDescending;
  std::vector<KeyValue> rows = DrainIterator(BlockOn(reader->Scan("a", "", descending)));
  REQUIRE(rows.size() == 2);
  CHECK(rows[0].key == "b");
  CHECK(rows[0].seq == b->seq);
  CHECK(rows[1].key == "a");

  // The managed checkpoint is unnamed, as upstream's.
  Result<std::vector<CheckpointInfo>> listed = BlockOn(db->ListCheckpoints());
  REQUIRE(listed.ok());
  bool found = false;
  for (const CheckpointInfo& c : *listed) {
    if (c.id == *reader->checkpoint_id()) {
      found = true;
      CHECK(c.name.empty());
    }
  }
  CHECK(found);

  // Continuous polling follows the writer.
  Result<WriteHandle> c = BlockOn(db->Put("c", "3"));
  REQUIRE(c.ok());
  for (int i = 0; i < 300 && reader->durable_seq() < c->seq; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  CHECK(reader->durable_seq() == c->seq);
  REQUIRE(BlockOn(reader->Close()).ok());
  CHECK(reader->status().close_reason() == CloseReason::kClean);
}

}  // namespace
}  // namespace slatedb::testing
