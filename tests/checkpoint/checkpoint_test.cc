// SPDX-License-Identifier: Apache-2.0
//
// Checkpoints through the writer: what the pinned version holds for each scope, list /
// refresh / delete / expiry, bad ids, and GC keeping everything a checkpoint pins.
#include <chrono>
#include <thread>

#include "manifest/checkpoint_edit.h"
#include "manifest/manifest.h"
#include "store/paths.h"
#include "tests/compaction/store_audit.h"
#include "tests/db/db_test_util.h"
#include "testutil/sync_object_store.h"

namespace slatedb::testing {
namespace {

Manifest LoadManifest(SyncObjectStore& store, uint64_t id, const std::string& path = "db") {
  Result<std::string> bytes = store.Get(DbPaths(path).Manifest(id));
  REQUIRE(bytes.ok());
  Result<Manifest> m = DecodeManifest(*bytes);
  REQUIRE(m.ok());
  m->id = id;  // the object's name holds the id
  return *m;
}

std::set<std::string> SstIds(const Manifest& m) {
  std::set<std::string> ids;
  for (const SstRef& r : m.l0) ids.insert(r.id);
  for (const SortedRun& run : m.sorted_runs) {
    for (const SstRef& r : run.ssts) ids.insert(r.id);
  }
  return ids;
}

TEST_CASE("checkpoint scope all pins a version holding every earlier write", "[checkpoint]") {
  ThreadedDbEnv env;
  SyncObjectStore sync(env.store);
  auto db = env.Open();
  WriteOptions lazy;
  lazy.await_durable = false;
  WriteHandle h = *BlockOn(db->Put("k1", "v1", {}, lazy));
  Result<CheckpointCreateResult> c = BlockOn(db->CreateCheckpoint());
  REQUIRE(c.status().ToString() == "OK");
  CHECK(IsUuid(c->id));
  Manifest pinned = LoadManifest(sync, c->manifest_id);
  CHECK(pinned.last_l0_seq >= h.seq);  // k1 is in an L0 of the pinned version
  CHECK(!pinned.l0.empty());
  REQUIRE(pinned.checkpoints.size() == 1);
  CHECK(pinned.checkpoints[0].id == c->id);
  CHECK(pinned.checkpoints[0].manifest_id == c->manifest_id);
  CHECK(pinned.checkpoints[0].expire_time_s == 0);
  REQUIRE(BlockOn(db->Close()).ok());
}

TEST_CASE("checkpoint scope durable pins the durable state without flushing", "[checkpoint]") {
  ThreadedDbEnv env;
  SyncObjectStore sync(env.store);
  auto db = env.Open();
  REQUIRE(BlockOn(db->Put("k1", "v1")).ok());  // durable: in a WAL object
  uint64_t l0_flushes = db->Metrics()["db/immutable_memtable_flushes"];
  CheckpointOptions options;
  options.scope = CheckpointScope::kDurable;
  Result<CheckpointCreateResult> c = BlockOn(db->CreateCheckpoint(options));
  REQUIRE(c.ok());
  CHECK(db->Metrics()["db/immutable_memtable_flushes"] == l0_flushes);
  Manifest pinned = LoadManifest(sync, c->manifest_id);
  CHECK(pinned.l0.empty());
  // The WAL object holding k1 is inside the pinned version's replay range.
  CHECK(pinned.wal_id_last_seen > pinned.replay_after_wal_id);
  REQUIRE(BlockOn(db->Close()).ok());
}

TEST_CASE("checkpoints list, refresh, delete, share a source and expire", "[checkpoint]") {
  ThreadedDbEnv env;
  auto clock = std::make_shared<ManualClock>(1'000'000);
  env.clock = clock;
  SyncObjectStore sync(env.store);
  Settings s = SmallSettings();
  s.gc_enabled = false;
  auto db = env.Open(s);
  REQUIRE(BlockOn(db->Put("a", "1")).ok());

  CheckpointOptions named;
  named.name = "nightly";
  named.lifetime_ms = 10'000;
  Result<CheckpointCreateResult> first = BlockOn(db->CreateCheckpoint(named));
  REQUIRE(first.ok());
  CheckpointOptions from_first;
  from_first.scope = CheckpointScope::kDurable;
  from_first.source = first->id;
  Result<CheckpointCreateResult> second = BlockOn(db->CreateCheckpoint(from_first));
  REQUIRE(second.ok());
  CHECK(second->manifest_id == first->manifest_id);
  CHECK(second->id != first->id);

  Result<std::vector<CheckpointInfo>> list = BlockOn(db->ListCheckpoints());
  REQUIRE(list.ok());
  REQUIRE(list->size() == 2);
  const CheckpointInfo& f = (*list)[0].id == first->id ? (*list)[0] : (*list)[1];
  CHECK(f.name == "nightly");
  CHECK(f.create_time_ms == 1'000'000);
  CHECK(f.expire_time_ms == std::optional<int64_t>(1'010'000));

  clock->Advance(5'000);
  REQUIRE(BlockOn(db->RefreshCheckpoint(first->id, 60'000)).ok());
  Result<std::vector<CheckpointInfo>> refreshed = BlockOn(db->ListCheckpoints());
  REQUIRE(refreshed.ok());
  for (const CheckpointInfo& info : refreshed.value()) {
    if (info.id == first->id) CHECK(info.expire_time_ms == std::optional<int64_t>(1'065'000));
    if (info.id == second->id) CHECK(!info.expire_time_ms.has_value());
  }

  REQUIRE(BlockOn(db->DeleteCheckpoint(second->id)).ok());
  REQUIRE(BlockOn(db->DeleteCheckpoint(second->id)).ok());  // idempotent
  list = BlockOn(db->ListCheckpoints());
  REQUIRE(list->size() == 1);

  // Expired checkpoints are dropped by the next GC pass.
  clock->Advance(61'000);
  REQUIRE(BlockOn(db->RunGcOnce(0)).ok());
  list = BlockOn(db->ListCheckpoints());
  CHECK(list->empty());
  REQUIRE(BlockOn(db->Close()).ok());
}

TEST_CASE("the writer's GC drops expired checkpoints an admin created", "[checkpoint][gc]") {
  ThreadedDbEnv env;
  auto clock = std::make_shared<ManualClock>(5'000'000);
  env.clock = clock;
  Settings s = SmallSettings();
  s.gc_enabled = false;
  auto db = env.Open(s);
  REQUIRE(BlockOn(db->Put("a", "1")).ok());
  auto admin = env.OpenAdmin();
  CheckpointOptions short_lived;
  short_lived.lifetime_ms = 1000;
  REQUIRE(BlockOn(admin->CreateCheckpoint(short_lived)).ok());
  REQUIRE(BlockOn(admin->CreateCheckpoint({})).ok());  // never expires
  REQUIRE(BlockOn(db->ListCheckpoints())->size() == 2);
  clock->Advance(1001);
  REQUIRE(BlockOn(db->RunGcOnce(0)).ok());
  Result<std::vector<CheckpointInfo>> left = BlockOn(db->ListCheckpoints());
  REQUIRE(left.ok());
  REQUIRE(left.value().size() == 1);
  CHECK(!left.value()[0].expire_time_ms.has_value());
  REQUIRE(BlockOn(db->Close()).ok());
}

TEST_CASE("checkpoint calls reject malformed and missing ids", "[checkpoint]") {
  ThreadedDbEnv env;
  auto db = env.Open();
  CheckpointOptions bad;
  bad.source = "not-a-uuid";
  Status s = BlockOn(db->CreateCheckpoint(bad)).status();
  CHECK(s.code() == StatusCode::kInvalid);
  CHECK(s.message().find("not-a-uuid") != std::string::npos);
  CHECK(BlockOn(db->RefreshCheckpoint("xyz", 1000)).code() == StatusCode::kInvalid);
  CHECK(BlockOn(db->DeleteCheckpoint("")).code() == StatusCode::kInvalid);
  const std::string missing = "01234567-89ab-4cde-8f01-23456789abcd";
  CheckpointOptions absent;
  absent.source = missing;
  CHECK(BlockOn(db->CreateCheckpoint(absent)).status().code() == StatusCode::kData);
  CHECK(BlockOn(db->RefreshCheckpoint(missing, 1000)).code() == StatusCode::kData);
  REQUIRE(BlockOn(db->Close()).ok());
  CHECK(BlockOn(db->CreateCheckpoint()).status().IsClosed());
}

TEST_CASE("GC keeps what a checkpoint pins and reclaims it once deleted", "[checkpoint][gc]") {
  ThreadedDbEnv env;
  SyncObjectStore sync(env.store);
  Settings s = SmallSettings();
  s.l0_sst_size_bytes = 8 * 1024;
  s.compaction_min_sources = 2;
  s.gc_enabled = false;
  auto db = env.Open(s);
  WriteOptions lazy;
  lazy.await_durable = false;
  for (int i = 0; i < 200; ++i) {
    REQUIRE(BlockOn(db->Put("k" + std::to_string(i), std::string(40, 'a'), {}, lazy)).ok());
  }
  Result<CheckpointCreateResult> c = BlockOn(db->CreateCheckpoint());
  REQUIRE(c.ok());
  std::set<std::string> pinned_ssts = SstIds(LoadManifest(sync, c->manifest_id));
  REQUIRE(!pinned_ssts.empty());
  // Rewrite everything until compaction has replaced the pinned SSTs in the latest version.
  bool replaced = false;
  for (int round = 0; round < 50 && !replaced; ++round) {
    for (int i = 0; i < 200; ++i) {
      REQUIRE(BlockOn(db->Put("k" + std::to_string(i), std::string(40, 'b'), {}, lazy)).ok());
    }
    REQUIRE(BlockOn(db->Flush(FlushType::kMemTable)).ok());
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
    StoreAudit audit = StoreAudit::Take(sync, "db");
    std::set<std::string> latest = SstIds(audit.latest);
    replaced = true;
    for (const std::string& id : pinned_ssts) replaced = replaced && latest.count(id) == 0;
  }
  REQUIRE(replaced);
  std::this_thread::sleep_for(std::chrono::milliseconds(5));
  REQUIRE(BlockOn(db->RunGcOnce(0)).ok());
  StoreAudit kept = StoreAudit::Take(sync, "db");  // REQUIREs the pinned SSTs exist
  CHECK(kept.pinned.count(c->manifest_id) == 1);
  CHECK(kept.manifests.count(c->manifest_id) == 1);

  REQUIRE(BlockOn(db->DeleteCheckpoint(c->id)).ok());
  REQUIRE(BlockOn(db->RunGcOnce(0)).ok());
  StoreAudit after = StoreAudit::Take(sync, "db");
  CHECK(after.manifests.count(c->manifest_id) == 0);
  for (const std::string& id : pinned_ssts) CHECK(after.ssts.count(id) == 0);
  REQUIRE(BlockOn(db->Close()).ok());
}

TEST_CASE("a create of a manifest version GC collected, from a stale base, does not count",
          "[checkpoint][gc]") {
  // The writer's cached manifest is version N. An admin writes N+1..N+4 (two checkpoints,
  // then their deletes) and GC collects everything but N+4. The writer's next update
  // creates N+1 from its stale base: create-if-absent succeeds, since N+1 is gone. That
  // create must not count. With boundary files GC raised gc/manifest.boundary to N+3
  // first, so it is a lost race: the writer re-reads and lands after N+4 at once. Without
  // them ManifestStore::Create sees N+4: Unavailable, nothing claimed; a retry then
  // re-reads the latest version and lands after it.
  ThreadedDbEnv env;
  auto clock = std::make_shared<ManualClock>(5'000'000);
  env.clock = clock;
  Settings s = SmallSettings();
  s.gc_enabled = false;
  bool boundary_files = true;
  SECTION("with boundary files") {}
  SECTION("without boundary files") { boundary_files = false; }
  s.gc_boundary_files = boundary_files;
  auto db = env.Open(s);
  auto admin = env.OpenAdmin();
  Result<CheckpointCreateResult> a = BlockOn(admin->CreateCheckpoint({}));
  Result<CheckpointCreateResult> b = BlockOn(admin->CreateCheckpoint({}));
  REQUIRE(a.ok());
  REQUIRE(b.ok());
  REQUIRE(BlockOn(admin->DeleteCheckpoint(a->id)).ok());
  REQUIRE(BlockOn(admin->DeleteCheckpoint(b->id)).ok());
  clock->Advance(1);
  REQUIRE(BlockOn(db->RunGcOnce(0)).ok());
  SyncObjectStore sync(env.store);
  Result<std::vector<ObjectMeta>> manifests = sync.List(DbPaths("db").ManifestDir(), "");
  REQUIRE(manifests.ok());
  REQUIRE(manifests->size() == 1);  // only the latest is left
  const std::string latest_key = manifests->back().key;

  CheckpointOptions durable;
  durable.scope = CheckpointScope::kDurable;
  Result<CheckpointCreateResult> stale = BlockOn(db->CreateCheckpoint(durable));
  INFO(stale.status().ToString());
  Result<CheckpointCreateResult> retried = stale;
  if (boundary_files) {
    REQUIRE(stale.ok());
  } else {
    REQUIRE(!stale.ok());
    CHECK(stale.status().IsUnavailable());
    CHECK(stale.status().message().find("exists too") != std::string::npos);
    retried = BlockOn(db->CreateCheckpoint(durable));
  }
  REQUIRE(retried.ok());
  Result<std::vector<CheckpointInfo>> listed = BlockOn(db->ListCheckpoints());
  REQUIRE(listed.ok());
  REQUIRE(listed->size() == 1);
  CHECK(listed->front().id == retried->id);
  Result<std::vector<ObjectMeta>> after = sync.List(DbPaths("db").ManifestDir(), "");
  REQUIRE(after.ok());
  CHECK(after->back().key > latest_key);
  REQUIRE(BlockOn(db->Close()).ok());
}

}  // namespace
}  // namespace slatedb::testing
