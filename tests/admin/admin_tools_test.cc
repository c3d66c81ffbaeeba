// SPDX-License-Identifier: Apache-2.0
//
// The Admin calls tools use (the `slatedb` command line): the structured manifest view, GC
// with a report and a dry run, and deleting a database (with a clone's pins in its parent).
#include <nlohmann/json.hpp>

#include <algorithm>
#include <chrono>
#include <set>
#include <thread>

#include "store/paths.h"
#include "tests/db/db_test_util.h"
#include "testutil/sync_object_store.h"

namespace slatedb::testing {
namespace {

std::set<std::string> Keys(SyncObjectStore& store, const std::string& prefix) {
  Result<std::vector<ObjectMeta>> listed = store.List(prefix, "");
  REQUIRE(listed.ok());
  std::set<std::string> out;
  for (const ObjectMeta& m : *listed) out.insert(m.key);
  return out;
}

std::set<std::string> AllReported(const GcReport& r) {
  std::set<std::string> out;
  for (const auto* list : {&r.manifests, &r.wals, &r.ssts, &r.compactions}) {
    out.insert(list->begin(), list->end());
  }
  return out;
}

TEST_CASE("admin manifest view: the tree, epochs and checkpoints of a version", "[admin]") {
  ThreadedDbEnv env;
  auto admin = env.OpenAdmin();
  Result<std::optional<ManifestView>> none = BlockOn(admin->ReadManifestView(std::nullopt));
  REQUIRE(none.ok());
  CHECK(!none->has_value());
  Settings settings = SmallSettings();
  settings.compactor_enabled = false;
  auto db = env.Open(settings);
  for (int i = 0; i < 50; ++i) REQUIRE(BlockOn(db->Put("k" + std::to_string(100 + i), "v")).ok());
  REQUIRE(BlockOn(db->Flush(FlushType::kMemTable)).ok());
  REQUIRE(BlockOn(db->Put("a-first", "v")).ok());
  REQUIRE(BlockOn(db->Flush(FlushType::kMemTable)).ok());
  CheckpointOptions named;
  named.name = "view";
  Result<CheckpointCreateResult> c = BlockOn(admin->CreateCheckpoint(named));
  REQUIRE(c.ok());

  Result<std::optional<ManifestView>> latest = BlockOn(admin->ReadManifestView(std::nullopt));
  REQUIRE(latest.ok());
  REQUIRE(latest->has_value());
  const ManifestView& v = **latest;
  CHECK(v.id == c->manifest_id);
  CHECK(v.initialized);
  CHECK(v.writer_epoch == 1);
  CHECK(v.last_l0_seq == 51);
  REQUIRE(v.l0.size() == 2);
  CHECK(v.l0[0].first_key == "a-first");  // newest first
  CHECK_FALSE(v.l0[0].rows.has_value());  // the format records no row count
  CHECK(v.l0[1].first_key == "k100");
  CHECK(v.l0[1].last_key == "k149");
  CHECK(v.l0[1].size_bytes > 0);
  CHECK(v.l0[1].root.empty());
  CHECK(v.sorted_runs.empty());
  REQUIRE(v.checkpoints.size() == 1);
  CHECK(v.checkpoints[0].id == c->id);
  CHECK(v.checkpoints[0].name == "view");
  CHECK(v.external_dbs.empty());
  // The view agrees with the JSON manifest of the same version.
  nlohmann::json j = nlohmann::json::parse(**BlockOn(admin->ReadManifest(v.id)));
  CHECK(j[1]["l0"].size() == v.l0.size());
  CHECK(j[1]["l0"][0]["id"] == v.l0[0].id);

  Result<std::optional<ManifestView>> first = BlockOn(admin->ReadManifestView(1));
  REQUIRE(first.ok());
  REQUIRE(first->has_value());
  CHECK((*first)->id == 1);
  CHECK((*first)->l0.empty());
  Result<std::optional<ManifestView>> missing = BlockOn(admin->ReadManifestView(9999));
  REQUIRE(missing.ok());
  CHECK(!missing->has_value());
  REQUIRE(BlockOn(db->Close()).ok());
}

TEST_CASE("admin GC report: a dry run deletes nothing and plans what a pass deletes",
          "[admin][gc]") {
  ThreadedDbEnv env;
  SyncObjectStore sync(env.store);
  auto admin = env.OpenAdmin();
  CHECK(BlockOn(admin->CollectGarbage({}, true)).status().code() == StatusCode::kData);
  Settings settings = SmallSettings();
  settings.gc_enabled = false;
  settings.compaction_min_sources = 2;
  auto db = env.Open(settings);
  for (int round = 0; round < 4; ++round) {
    for (int i = 0; i < 20; ++i) {
      REQUIRE(BlockOn(db->Put("k" + std::to_string(i), std::string(30, 'a' + round))).ok());
    }
    REQUIRE(BlockOn(db->Flush(FlushType::kMemTable)).ok());
  }
  REQUIRE(BlockOn(db->Close()).ok());  // nothing changes between the two passes
  CheckpointOptions short_lived;
  short_lived.lifetime_ms = 1;
  Result<CheckpointCreateResult> expiring = BlockOn(admin->CreateCheckpoint(short_lived));
  REQUIRE(expiring.ok());
  // Expiry is stored in whole seconds, rounded up: past it within 1 s.
  std::this_thread::sleep_for(std::chrono::milliseconds(1100));

  AdminGcOptions all;
  all.manifest.min_age_ms = 0;
  all.wal.min_age_ms = 0;
  all.compacted.min_age_ms = 0;
  all.compactions.min_age_ms = 0;
  std::set<std::string> before = Keys(sync, "db/");
  Result<GcReport> dry = BlockOn(admin->CollectGarbage(all, true));
  REQUIRE(dry.ok());
  CHECK(dry->dry_run);
  CHECK(dry->expired_checkpoints == std::vector<std::string>{expiring->id});
  CHECK(!dry->manifests.empty());
  std::set<std::string> planned = AllReported(*dry);
  for (const std::string& key : planned) CHECK(before.count(key) == 1);
  CHECK(Keys(sync, "db/") == before);                                 // nothing deleted
  CHECK(BlockOn(admin->ListCheckpoints(std::nullopt))->size() == 1);  // nor dropped

  Result<GcReport> real = BlockOn(admin->CollectGarbage(all, false));
  REQUIRE(real.ok());
  CHECK(!real->dry_run);
  CHECK(real->expired_checkpoints == dry->expired_checkpoints);
  CHECK(real->ssts == dry->ssts);
  CHECK(real->wals == dry->wals);
  CHECK(real->compactions == dry->compactions);
  // Dropping the expired checkpoint wrote one more manifest, which makes the previous
  // latest collectable too.
  for (const std::string& key : dry->manifests) {
    CHECK(std::count(real->manifests.begin(), real->manifests.end(), key) == 1);
  }
  std::set<std::string> after = Keys(sync, "db/");
  for (const std::string& key : AllReported(*real)) CHECK(after.count(key) == 0);
  CHECK(BlockOn(admin->ListCheckpoints(std::nullopt))->empty());
  auto reopened = env.Open(settings);
  CHECK(GetOrFail(*reopened, "k3") == std::string(30, 'd'));
  REQUIRE(BlockOn(reopened->Close()).ok());
}

TEST_CASE("admin deletes a database, refusing while checkpoints live", "[admin]") {
  ThreadedDbEnv env;
  SyncObjectStore sync(env.store);
  auto admin = env.OpenAdmin("db");
  CHECK(BlockOn(admin->DeleteDatabase()).status().code() == StatusCode::kData);
  auto db = env.Open();
  for (int i = 0; i < 30; ++i) REQUIRE(BlockOn(db->Put("k" + std::to_string(i), "v")).ok());
  REQUIRE(BlockOn(db->Flush(FlushType::kMemTable)).ok());
  REQUIRE(BlockOn(db->Close()).ok());
  // A neighbour whose path starts with the same letters stays.
  {
    DbOptions other = env.Options(SmallSettings(), "db2");
    auto neighbour = *BlockOn(Db::Open(other));
    REQUIRE(BlockOn(neighbour->Put("n", "1")).ok());
    REQUIRE(BlockOn(neighbour->Close()).ok());
  }
  std::set<std::string> neighbour_keys = Keys(sync, "db2/");
  REQUIRE(!neighbour_keys.empty());

  CheckpointOptions named;
  named.name = "keep me";
  Result<CheckpointCreateResult> c = BlockOn(admin->CreateCheckpoint(named));
  REQUIRE(c.ok());
  Result<DeleteDatabaseReport> refused = BlockOn(admin->DeleteDatabase());
  CHECK(refused.status().code() == StatusCode::kInvalid);
  CHECK(refused.status().message().find(c->id) != std::string::npos);
  CHECK(refused.status().message().find("keep me") != std::string::npos);
  REQUIRE(BlockOn(admin->DeleteCheckpoint(c->id)).ok());

  size_t objects = Keys(sync, "db/").size();
  Result<DeleteDatabaseReport> deleted = BlockOn(admin->DeleteDatabase());
  REQUIRE(deleted.ok());
  CHECK(deleted->objects_deleted == objects);
  CHECK(deleted->released_pins.empty());
  CHECK(Keys(sync, "db/").empty());
  CHECK(Keys(sync, "db2/") == neighbour_keys);
  CHECK(!BlockOn(admin->ReadManifest(std::nullopt))->has_value());
  CHECK(BlockOn(admin->DeleteDatabase()).status().code() == StatusCode::kData);
}

TEST_CASE("deleting a clone releases its pin in the parent", "[admin][clone]") {
  ThreadedDbEnv env;
  SyncObjectStore sync(env.store);
  auto db = env.Open();
  REQUIRE(BlockOn(db->Put("p", "parent")).ok());
  REQUIRE(BlockOn(db->Flush(FlushType::kMemTable)).ok());
  REQUIRE(BlockOn(db->Close()).ok());
  auto parent = env.OpenAdmin("db");
  auto clone = env.OpenAdmin("clone");
  REQUIRE(BlockOn(clone->CreateClone("db", std::nullopt)).ok());
  Result<std::optional<ManifestView>> view = BlockOn(clone->ReadManifestView(std::nullopt));
  REQUIRE(view.ok());
  REQUIRE((*view)->external_dbs.size() == 1);
  const ExternalDbSummary pin = (*view)->external_dbs[0];
  CHECK(pin.path == "db");
  CHECK(pin.sst_count == 1);
  REQUIRE((*view)->l0.size() == 1);
  CHECK((*view)->l0[0].root == "db");

  // The parent is pinned by its clone.
  Result<DeleteDatabaseReport> refused = BlockOn(parent->DeleteDatabase());
  CHECK(refused.status().code() == StatusCode::kInvalid);
  CHECK(refused.status().message().find(pin.final_checkpoint_id) != std::string::npos);

  Result<DeleteDatabaseReport> deleted = BlockOn(clone->DeleteDatabase());
  REQUIRE(deleted.ok());
  CHECK(deleted->released_pins == std::vector<std::string>{"db: " + pin.final_checkpoint_id});
  CHECK(Keys(sync, "clone/").empty());
  std::vector<CheckpointInfo> left = *BlockOn(parent->ListCheckpoints(std::nullopt));
  for (const CheckpointInfo& c : left) CHECK(c.id != pin.final_checkpoint_id);
  // The parent still reads its own data.
  auto reopened = env.Open();
  CHECK(GetOrFail(*reopened, "p") == "parent");
  REQUIRE(BlockOn(reopened->Close()).ok());
}

}  // namespace
}  // namespace slatedb::testing
