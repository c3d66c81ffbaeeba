// SPDX-License-Identifier: Apache-2.0
//
// Admin without a writer: manifests as JSON, detached checkpoints, standalone GC and its
// option rules, and the sequence <-> time mapping the writer samples.
#include <nlohmann/json.hpp>

#include <chrono>
#include <thread>

#include "manifest/sequence_tracker.h"
#include "tests/compaction/store_audit.h"
#include "tests/db/db_test_util.h"
#include "testutil/sync_object_store.h"

namespace slatedb::testing {
namespace {

TEST_CASE("admin reads and lists manifests as JSON", "[admin]") {
  ThreadedDbEnv env;
  auto admin = env.OpenAdmin();
  Result<std::optional<std::string>> none = BlockOn(admin->ReadManifest(std::nullopt));
  REQUIRE(none.ok());
  CHECK(!none->has_value());  // no database yet: not an error
  auto db = env.Open();
  REQUIRE(BlockOn(db->Put("a", "1")).ok());
  REQUIRE(BlockOn(db->Flush(FlushType::kMemTable)).ok());

  Result<std::optional<std::string>> latest = BlockOn(admin->ReadManifest(std::nullopt));
  REQUIRE(latest.ok());
  REQUIRE(latest->has_value());
  nlohmann::json j = nlohmann::json::parse(**latest);
  REQUIRE(j.is_array());
  REQUIRE(j.size() == 2);
  CHECK(j[1]["id"] == j[0]);
  CHECK(j[1].contains("external_dbs"));
  CHECK(j[1]["writer_epoch"] == 1);
  CHECK(j[1]["l0"].size() == 1);
  Result<std::optional<std::string>> first = BlockOn(admin->ReadManifest(1));
  REQUIRE(first.ok());
  CHECK(nlohmann::json::parse(**first)[0] == 1);
  Result<std::optional<std::string>> missing = BlockOn(admin->ReadManifest(999));
  REQUIRE(missing.ok());
  CHECK(!missing->has_value());

  Result<std::string> list = BlockOn(admin->ListManifests(std::nullopt, std::nullopt));
  REQUIRE(list.ok());
  nlohmann::json all = nlohmann::json::parse(*list);
  REQUIRE(all.size() >= 3);
  CHECK(all[0]["id"] == 1);
  CHECK(all[0]["location"] == "db/manifest/00000000000000000001.manifest");
  CHECK(all[0]["size"].get<uint64_t>() > 0);
  CHECK(all[0]["last_modified"].get<int64_t>() > 0);
  Result<std::string> window = BlockOn(admin->ListManifests(2, 3));
  REQUIRE(window.ok());
  nlohmann::json w = nlohmann::json::parse(*window);
  REQUIRE(w.size() == 1);
  CHECK(w[0]["id"] == 2);
  REQUIRE(BlockOn(db->Close()).ok());
}

TEST_CASE("admin checkpoints: detached, listed by name, refreshed, deleted", "[admin]") {
  ThreadedDbEnv env;
  auto admin = env.OpenAdmin();
  CHECK(BlockOn(admin->ListCheckpoints(std::nullopt)).status().code() == StatusCode::kData);
  CHECK(BlockOn(admin->CreateCheckpoint({})).status().code() == StatusCode::kData);
  auto db = env.Open();
  REQUIRE(BlockOn(db->Put("a", "1")).ok());

  CheckpointOptions named;
  named.name = "backup";
  named.lifetime_ms = 60'000;
  Result<CheckpointCreateResult> c1 = BlockOn(admin->CreateCheckpoint(named));
  REQUIRE(c1.ok());
  Result<CheckpointCreateResult> c2 = BlockOn(admin->CreateCheckpoint({}));
  REQUIRE(c2.ok());
  CHECK(c2->manifest_id == c1->manifest_id + 1);
  CHECK(BlockOn(admin->ListCheckpoints(std::nullopt))->size() == 2);
  Result<std::vector<CheckpointInfo>> by_name = BlockOn(admin->ListCheckpoints("backup"));
  REQUIRE(by_name->size() == 1);
  CHECK((*by_name)[0].id == c1->id);
  CHECK((*by_name)[0].expire_time_ms.has_value());
  CHECK(BlockOn(admin->ListCheckpoints("other"))->empty());
  Result<std::vector<CheckpointInfo>> unnamed = BlockOn(admin->ListCheckpoints(""));
  REQUIRE(unnamed->size() == 1);
  CHECK((*unnamed)[0].id == c2->id);

  // The writer keeps working on top of the admin's versions and sees the checkpoints.
  REQUIRE(BlockOn(db->Put("b", "2")).ok());
  REQUIRE(BlockOn(db->Flush(FlushType::kMemTable)).ok());
  CHECK(BlockOn(db->ListCheckpoints())->size() == 2);

  REQUIRE(BlockOn(admin->RefreshCheckpoint(c1->id, std::nullopt)).ok());
  CHECK(!(*BlockOn(admin->ListCheckpoints("backup")))[0].expire_time_ms.has_value());
  REQUIRE(BlockOn(admin->DeleteCheckpoint(c2->id)).ok());
  CHECK(BlockOn(admin->ListCheckpoints(std::nullopt))->size() == 1);

  CheckpointOptions bad;
  bad.source = "not-a-uuid";
  CHECK(BlockOn(admin->CreateCheckpoint(bad)).status().code() == StatusCode::kInvalid);
  CHECK(BlockOn(admin->RefreshCheckpoint("x", 1)).code() == StatusCode::kInvalid);
  CHECK(BlockOn(admin->DeleteCheckpoint("x")).code() == StatusCode::kInvalid);
  CHECK(BlockOn(admin->RefreshCheckpoint(c2->id, 1)).code() == StatusCode::kData);
  CheckpointOptions from_c1;
  from_c1.source = c1->id;
  Result<CheckpointCreateResult> c3 = BlockOn(admin->CreateCheckpoint(from_c1));
  REQUIRE(c3.ok());
  CHECK(c3->manifest_id == c1->manifest_id);
  REQUIRE(BlockOn(db->Close()).ok());
}

TEST_CASE("admin GC: option rules, and a pass keeps everything referenced", "[admin][gc]") {
  ThreadedDbEnv env;
  SyncObjectStore sync(env.store);
  auto admin = env.OpenAdmin();
  AdminGcOptions bad_once;
  bad_once.wal.interval_ms = 1000;
  Status s = BlockOn(admin->RunGcOnce(bad_once));
  CHECK(s.code() == StatusCode::kInvalid);
  CHECK(s.message().find("'min_age' is required") != std::string::npos);
  AdminGcOptions bad_scheduled;
  bad_scheduled.manifest.min_age_ms = 0;
  s = BlockOn(admin->RunGc(bad_scheduled));
  CHECK(s.code() == StatusCode::kInvalid);
  CHECK(s.message().find("'interval' is required") != std::string::npos);
  CHECK(BlockOn(admin->RunGc({})).ok());  // nothing scheduled: returns at once

  Settings settings = SmallSettings();
  settings.l0_sst_size_bytes = 8 * 1024;
  settings.compaction_min_sources = 2;
  settings.gc_enabled = false;
  auto db = env.Open(settings);
  WriteOptions lazy;
  lazy.await_durable = false;
  AdminGcOptions all;
  all.manifest.min_age_ms = 0;
  all.wal.min_age_ms = 0;
  all.compacted.min_age_ms = 0;
  Result<CheckpointCreateResult> c = Status::Internal("not created yet");
  for (int round = 0; round < 6; ++round) {
    for (int i = 0; i < 150; ++i) {
      REQUIRE(
          BlockOn(db->Put("k" + std::to_string(i), std::string(40, 'a' + round), {}, lazy)).ok());
    }
    REQUIRE(BlockOn(db->Flush(FlushType::kMemTable)).ok());
    if (round == 1) c = BlockOn(admin->CreateCheckpoint({}));
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
    REQUIRE(BlockOn(admin->RunGcOnce(all)).ok());
    StoreAudit::Take(sync, "db");
  }
  REQUIRE(c.ok());
  StoreAudit audit = StoreAudit::Take(sync, "db");
  CHECK(audit.pinned.count(c->manifest_id) == 1);
  CHECK(audit.manifests.size() < 20);  // old versions were collected
  CHECK(GetOrFail(*db, "k1") == std::string(40, 'f'));

  // Periodic GC runs until stopped.
  AdminGcOptions periodic;
  periodic.manifest.interval_ms = 20;
  periodic.manifest.min_age_ms = 0;
  std::optional<Status> done;
  Spawn(admin->RunGc(periodic), [&done](Status st) { done = st; });
  std::this_thread::sleep_for(std::chrono::milliseconds(100));
  admin->StopGc();
  for (int i = 0; i < 200 && !done; ++i) std::this_thread::sleep_for(std::chrono::milliseconds(5));
  REQUIRE(done.has_value());
  CHECK(done->ok());
  REQUIRE(BlockOn(db->Close()).ok());
}

TEST_CASE("sequence tracker: lookups both ways and thinning at capacity", "[admin]") {
  SequenceTracker t;
  CHECK(!t.TimeForSequence(5, false).has_value());
  t.Insert(10, 1000);
  t.Insert(20, 61000);
  t.Insert(15, 70000);  // does not advance seq: ignored
  CHECK(t.seqs().size() == 2);
  CHECK(t.TimeForSequence(9, false) == std::nullopt);
  CHECK(t.TimeForSequence(9, true) == std::optional<int64_t>(1000));
  CHECK(t.TimeForSequence(15, false) == std::optional<int64_t>(1000));
  CHECK(t.TimeForSequence(15, true) == std::optional<int64_t>(61000));
  CHECK(t.TimeForSequence(25, true) == std::nullopt);
  CHECK(t.SequenceForTime(30000, false) == std::optional<uint64_t>(10));
  CHECK(t.SequenceForTime(30000, true) == std::optional<uint64_t>(20));
  CHECK(t.SequenceForTime(61000, false) == std::optional<uint64_t>(20));
  CHECK(t.SequenceForTime(0, false) == std::nullopt);

  SequenceTracker big;
  for (uint64_t i = 1; i <= 20000; ++i) big.Insert(i, static_cast<int64_t>(i) * 60'000);
  CHECK(big.seqs().size() <= SequenceTracker::kCapacity);
  CHECK(big.seqs().back() == 20000);
  CHECK(big.seqs().front() <= 16);  // old history is coarser but still covered
  for (size_t i = 1; i < big.seqs().size(); ++i) CHECK(big.seqs()[i] > big.seqs()[i - 1]);
}

TEST_CASE("the writer samples sequence times into the manifest for Admin", "[admin]") {
  ThreadedDbEnv env;
  auto clock = std::make_shared<ManualClock>(1'000'000);
  env.clock = clock;
  auto admin = env.OpenAdmin();
  auto db = env.Open();
  WriteHandle h1 = *BlockOn(db->Put("a", "1"));
  WriteHandle h2 = *BlockOn(db->Put("b", "2"));  // same minute: not sampled
  clock->Advance(61'000);
  WriteHandle h3 = *BlockOn(db->Put("c", "3"));
  REQUIRE(BlockOn(db->Flush(FlushType::kMemTable)).ok());

  CHECK(*BlockOn(admin->GetTimestampForSequence(h1.seq, false)) ==
        std::optional<int64_t>(1'000'000));
  CHECK(*BlockOn(admin->GetTimestampForSequence(h2.seq, false)) ==
        std::optional<int64_t>(1'000'000));
  CHECK(*BlockOn(admin->GetTimestampForSequence(h2.seq, true)) ==
        std::optional<int64_t>(1'061'000));
  CHECK(*BlockOn(admin->GetTimestampForSequence(0, false)) == std::nullopt);
  CHECK(*BlockOn(admin->GetSequenceForTimestamp(1'030'000, false)) ==
        std::optional<uint64_t>(h1.seq));
  CHECK(*BlockOn(admin->GetSequenceForTimestamp(1'030'000, true)) ==
        std::optional<uint64_t>(h3.seq));
  CHECK(*BlockOn(admin->GetSequenceForTimestamp(2'000'000, true)) == std::nullopt);
  REQUIRE(BlockOn(db->Close()).ok());
  // The samples survive reopening (they are in the manifest).
  db = env.Open();
  CHECK(*BlockOn(admin->GetSequenceForTimestamp(1'061'000, false)) ==
        std::optional<uint64_t>(h3.seq));
  REQUIRE(BlockOn(db->Close()).ok());
}

}  // namespace
}  // namespace slatedb::testing
