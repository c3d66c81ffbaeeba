// SPDX-License-Identifier: Apache-2.0
//
// The garbage collector's boundary files (gc/gc_boundary.h, docs/format.md): their body and
// how the collector raises them, the lost race a create at or below one becomes (a stale
// writer is fenced and never brings back a collected version), collecting without them,
// and a store without conditional overwrites, where old versions stay.
#include <chrono>
#include <thread>

#include "gc/gc_boundary.h"
#include "manifest/compactions_store.h"
#include "manifest/manifest_store.h"
#include "slatedb/platform/memory_object_store.h"
#include "slatedb/platform/thread_pool_executor.h"
#include "store/store_client.h"
#include "tests/db/db_test_util.h"
#include "testutil/sync_object_store.h"

namespace slatedb::testing {
namespace {

const DbPaths kPaths("db");

// Forwards to a memory store but refuses replace-if-version-matches the way an S3
// compatible without If-Match does (its 501 maps to Invalid), like upstream's local store.
class NoIfMatchStore final : public ObjectStore {
 public:
  explicit NoIfMatchStore(std::shared_ptr<ObjectStore> inner) : inner_(std::move(inner)) {}
  void Get(const std::string& key, Callback<std::string> done) override {
    inner_->Get(key, std::move(done));
  }
  void GetRange(const std::string& key, uint64_t offset, uint64_t length,
                Callback<std::string> done) override {
    inner_->GetRange(key, offset, length, std::move(done));
  }
  void Head(const std::string& key, Callback<ObjectMeta> done) override {
    inner_->Head(key, std::move(done));
  }
  void Put(const std::string& key, std::string data, const ObjectPutOptions& options,
           Callback<ObjectMeta> done) override {
    if (options.mode == PutMode::kReplaceIfVersionMatches) {
      refused_.fetch_add(1);
      return done(Status::Invalid("no-if-match: NotImplemented: conditional overwrite"));
    }
    inner_->Put(key, std::move(data), options, std::move(done));
  }
  void List(const std::string& prefix, const std::string& start_after,
            Callback<std::vector<ObjectMeta>> done) override {
    inner_->List(prefix, start_after, std::move(done));
  }
  void Delete(const std::string& key, StatusCallback done) override {
    inner_->Delete(key, std::move(done));
  }
  std::string Describe() const override { return "no-if-match memory"; }
  int refused() const { return refused_.load(); }

 private:
  std::shared_ptr<ObjectStore> inner_;
  std::atomic<int> refused_{0};
};

std::vector<uint64_t> ManifestIds(SyncObjectStore& sync) {
  Result<std::vector<ObjectMeta>> listed = sync.List(kPaths.ManifestDir(), "");
  REQUIRE(listed.ok());
  std::vector<uint64_t> ids;
  for (const ObjectMeta& m : *listed) {
    if (auto id = DbPaths::ParseId(m.key, kPaths.ManifestDir(), ".manifest")) ids.push_back(*id);
  }
  return ids;
}

// The stored body, or "" if the object is missing.
std::string Body(SyncObjectStore& sync, const std::string& key) {
  Result<std::string> body = sync.Get(key);
  if (!body.ok()) {
    REQUIRE(body.status().IsNotFound());
    return "";
  }
  return *body;
}

Manifest Version(uint64_t id) {
  Manifest m;
  m.id = id;
  m.writer_epoch = 1;
  return m;
}

// Lets the store's last_modified fall strictly behind "now" for min_age = 0.
void Tick() { std::this_thread::sleep_for(std::chrono::milliseconds(5)); }

TEST_CASE("GC boundary: body, reads, and raising it", "[gc][gc_boundary]") {
  CHECK(GcBoundary::Parse("42") == 42u);
  CHECK(GcBoundary::Parse(" 7\n") == 7u);
  CHECK(GcBoundary::Parse("18446744073709551615") == UINT64_MAX);
  CHECK(!GcBoundary::Parse("18446744073709551616").has_value());
  CHECK(!GcBoundary::Parse("").has_value());
  CHECK(!GcBoundary::Parse("-1").has_value());
  CHECK(!GcBoundary::Parse("12a").has_value());

  auto memory = std::make_shared<MemoryObjectStore>();
  auto executor = std::make_shared<ThreadPoolExecutor>(1);
  StoreClient client(memory, executor, std::make_shared<SystemClock>(), RetryPolicy{}, 1);
  SyncObjectStore sync(memory);
  GcBoundary boundary(&client, kPaths.GcBoundary("manifest"));
  CHECK(boundary.key() == "db/gc/manifest.boundary");
  CHECK(*BlockOn(boundary.Read()) == 0);  // missing: 0
  CHECK(BlockOn(boundary.Check(1)).ok());

  Result<bool> raised = BlockOn(boundary.Advance(2));
  REQUIRE(raised.ok());
  CHECK(*raised);
  CHECK(Body(sync, "db/gc/manifest.boundary") == "2");  // decimal text, no newline
  CHECK(BlockOn(boundary.Check(2)).IsAlreadyExists());
  CHECK(BlockOn(boundary.Check(3)).ok());
  REQUIRE(*BlockOn(boundary.Advance(1)));  // never lowered
  CHECK(Body(sync, "db/gc/manifest.boundary") == "2");
  REQUIRE(*BlockOn(boundary.Advance(10)));  // If-Match on the ETag from here on
  CHECK(Body(sync, "db/gc/manifest.boundary") == "10");
  CHECK(*BlockOn(boundary.Read()) == 10);

  // Another collector's value, written by hand (upstream writes the same text).
  REQUIRE(sync.Put("db/gc/manifest.boundary", "25").ok());
  CHECK(BlockOn(boundary.Check(25)).IsAlreadyExists());
  REQUIRE(sync.Put("db/gc/manifest.boundary", "not a number").ok());
  CHECK(BlockOn(boundary.Read()).status().code() == StatusCode::kData);
}

TEST_CASE("a manifest create at or below the GC boundary is a lost race and leaves nothing",
          "[gc][gc_boundary]") {
  auto memory = std::make_shared<MemoryObjectStore>();
  auto executor = std::make_shared<ThreadPoolExecutor>(1);
  StoreClient client(memory, executor, std::make_shared<SystemClock>(), RetryPolicy{}, 1);
  SyncObjectStore sync(memory);
  ManifestStore manifests(&client, kPaths);
  for (uint64_t id = 1; id <= 6; ++id) REQUIRE(BlockOn(manifests.Create(Version(id))).ok());
  // A collector raised the boundary to 5 and deleted 1..5.
  REQUIRE(*BlockOn(manifests.boundary().Advance(5)));
  for (uint64_t id = 1; id <= 5; ++id) REQUIRE(sync.Delete(kPaths.Manifest(id)).ok());

  // A stale writer builds 4 on its old base: create-if-absent succeeds in the hole, but
  // the boundary says the version is taken, and the object goes again.
  Status stale = BlockOn(manifests.Create(Version(4)));
  INFO(stale.ToString());
  CHECK(stale.IsAlreadyExists());
  CHECK(stale.message().find("boundary 5") != std::string::npos);
  CHECK(ManifestIds(sync) == std::vector<uint64_t>{6});
  CHECK(BlockOn(manifests.Create(Version(5))).IsAlreadyExists());
  CHECK(ManifestIds(sync) == std::vector<uint64_t>{6});
  // Above the boundary: an ordinary create.
  REQUIRE(BlockOn(manifests.Create(Version(7))).ok());
  CHECK(ManifestIds(sync) == (std::vector<uint64_t>{6, 7}));

  // The compactions series has its own boundary.
  CompactionsStore compactions(&client, kPaths);
  CompactionsState state;
  state.id = 1;
  REQUIRE(BlockOn(compactions.Create(state)).ok());
  state.id = 2;
  REQUIRE(BlockOn(compactions.Create(state)).ok());
  REQUIRE(sync.Put(kPaths.GcBoundary("compactions"), "1").ok());
  REQUIRE(sync.Delete(kPaths.Compactions(1)).ok());
  state.id = 1;
  CHECK(BlockOn(compactions.Create(state)).IsAlreadyExists());
  CHECK(sync.Head(kPaths.Compactions(1)).status().IsNotFound());
}

TEST_CASE("GC raises the boundaries to the highest version it deletes", "[gc][gc_boundary]") {
  ThreadedDbEnv env;
  SyncObjectStore sync(env.store);
  Settings s = SmallSettings();
  s.gc_enabled = false;
  auto db = env.Open(s);
  auto admin = env.OpenAdmin();
  for (int i = 0; i < 3; ++i) {
    REQUIRE(BlockOn(db->Put("k" + std::to_string(i), "v")).ok());
    REQUIRE(BlockOn(db->Flush(FlushType::kMemTable)).ok());
  }
  // A few compaction-state versions (whatever a compactor wrote is below them).
  StoreClient client(env.store, env.executor, env.clock, RetryPolicy{}, 1);
  CompactionsStore compactions(&client, kPaths);
  uint64_t newest_state = 0;
  for (int i = 0; i < 3; ++i) {
    Result<CompactionsState> edited =
        BlockOn(compactions.EditLatest([](CompactionsState&) { return Status::Ok(); }));
    REQUIRE(edited.ok());
    newest_state = edited->id;
  }
  CHECK(Body(sync, kPaths.GcBoundary("manifest")).empty());  // nothing collected yet

  std::vector<uint64_t> before = ManifestIds(sync);
  REQUIRE(before.size() >= 4);
  Tick();
  AdminGcOptions all;
  all.manifest.min_age_ms = 0;
  all.compactions.min_age_ms = 0;
  Result<GcReport> report = BlockOn(admin->CollectGarbage(all));
  REQUIRE(report.ok());
  CHECK(!report->manifests_skipped);
  REQUIRE(!report->manifests.empty());
  uint64_t highest = 0;
  for (const std::string& key : report->manifests) {
    highest = std::max(highest, *DbPaths::ParseId(key, kPaths.ManifestDir(), ".manifest"));
  }
  CHECK(Body(sync, kPaths.GcBoundary("manifest")) == std::to_string(highest));
  std::vector<uint64_t> after = ManifestIds(sync);
  CHECK(after.front() > highest);
  CHECK(after.back() == before.back());
  CHECK(!report->compactions_skipped);
  CHECK(report->compactions.size() == newest_state - 1);
  CHECK(Body(sync, kPaths.GcBoundary("compactions")) == std::to_string(newest_state - 1));
  CHECK(*BlockOn(compactions.ListIds()) == std::vector<uint64_t>{newest_state});

  // The writer carries on above the boundary.
  REQUIRE(BlockOn(db->Put("after", "gc")).ok());
  REQUIRE(BlockOn(db->Flush(FlushType::kMemTable)).ok());
  CHECK(GetOrFail(*db, "after") == "gc");
  CHECK(ManifestIds(sync).back() > before.back());
  REQUIRE(BlockOn(db->Close()).ok());
}

TEST_CASE("a fenced writer's manifest update into a collected version is a lost race",
          "[gc][gc_boundary]") {
  ThreadedDbEnv env;
  SyncObjectStore sync(env.store);
  Settings s = SmallSettings();
  s.gc_enabled = false;
  auto old_writer = env.Open(s);  // versions 1 (created) and 2 (its epoch)
  auto admin = env.OpenAdmin();
  auto new_writer = env.Open(s);  // claims the next epoch
  for (int i = 0; i < 3; ++i) {
    Result<CheckpointCreateResult> c = BlockOn(admin->CreateCheckpoint({}));
    REQUIRE(c.ok());
    REQUIRE(BlockOn(admin->DeleteCheckpoint(c->id)).ok());
  }
  Tick();
  AdminGcOptions manifests_only;
  manifests_only.manifest.min_age_ms = 0;
  REQUIRE(BlockOn(admin->RunGcOnce(manifests_only)).ok());
  std::vector<uint64_t> left = ManifestIds(sync);
  REQUIRE(left.size() == 1);
  const uint64_t boundary = std::stoull(Body(sync, kPaths.GcBoundary("manifest")));
  CHECK(boundary == left.front() - 1);

  // The old writer still stands at version 2; its next update creates 3, which GC
  // collected. The boundary turns that into a lost race; re-reading shows the newer epoch.
  CheckpointOptions durable;
  durable.scope = CheckpointScope::kDurable;
  Result<CheckpointCreateResult> stale = BlockOn(old_writer->CreateCheckpoint(durable));
  INFO(stale.status().ToString());
  REQUIRE(!stale.ok());
  CHECK(stale.status().code() == StatusCode::kClosed);
  CHECK(stale.status().close_reason() == CloseReason::kFenced);
  CHECK(ManifestIds(sync) == left);  // nothing brought back
  REQUIRE(BlockOn(new_writer->Put("k", "v")).ok());
  CHECK(GetOrFail(*new_writer, "k") == "v");
  REQUIRE(BlockOn(new_writer->Close()).ok());
}

TEST_CASE("GC without boundary files deletes and writes no boundary", "[gc][gc_boundary]") {
  ThreadedDbEnv env;
  SyncObjectStore sync(env.store);
  Settings s = SmallSettings();
  s.gc_enabled = false;
  s.gc_boundary_files = false;
  auto db = env.Open(s);
  for (int i = 0; i < 3; ++i) {
    REQUIRE(BlockOn(db->Put("k" + std::to_string(i), "v")).ok());
    REQUIRE(BlockOn(db->Flush(FlushType::kMemTable)).ok());
  }
  Tick();
  REQUIRE(BlockOn(db->RunGcOnce(0)).ok());
  CHECK(ManifestIds(sync).size() == 1);
  CHECK(Body(sync, kPaths.GcBoundary("manifest")).empty());

  auto admin = env.OpenAdmin();
  REQUIRE(BlockOn(db->Put("x", "y")).ok());
  REQUIRE(BlockOn(db->Flush(FlushType::kMemTable)).ok());
  Tick();
  AdminGcOptions off;
  off.manifest.min_age_ms = 0;
  off.boundary_files = false;
  Result<GcReport> report = BlockOn(admin->CollectGarbage(off));
  REQUIRE(report.ok());
  CHECK(!report->manifests.empty());
  CHECK(Body(sync, kPaths.GcBoundary("manifest")).empty());
  REQUIRE(BlockOn(db->Close()).ok());
}

TEST_CASE("a store without conditional overwrites keeps old manifests once a boundary exists",
          "[gc][gc_boundary]") {
  ThreadedDbEnv env;
  auto no_if_match = std::make_shared<NoIfMatchStore>(env.store);
  SyncObjectStore sync(env.store);
  Settings s = SmallSettings();
  s.gc_enabled = false;
  auto writer_env = env;
  writer_env.store = no_if_match;
  auto db = writer_env.Open(s);
  auto write_versions = [&] {
    for (int i = 0; i < 2; ++i) {
      REQUIRE(BlockOn(db->Put("k" + std::to_string(i), "v")).ok());
      REQUIRE(BlockOn(db->Flush(FlushType::kMemTable)).ok());
    }
    Tick();
  };
  write_versions();
  // The first pass creates the boundary (create-if-absent needs no If-Match) and deletes.
  REQUIRE(BlockOn(db->RunGcOnce(0)).ok());
  CHECK(ManifestIds(sync).size() == 1);
  const std::string first = Body(sync, kPaths.GcBoundary("manifest"));
  CHECK(!first.empty());
  CHECK(no_if_match->refused() == 0);

  // From then on raising it needs If-Match, which this store refuses: the admin's pass and
  // the writer's keep every manifest (the admin's says so); the rest is still collected.
  write_versions();
  const std::vector<uint64_t> kept = ManifestIds(sync);
  REQUIRE(kept.size() >= 3);
  auto admin = writer_env.OpenAdmin();
  AdminGcOptions all;
  all.manifest.min_age_ms = 0;
  all.wal.min_age_ms = 0;
  Result<GcReport> report = BlockOn(admin->CollectGarbage(all));
  REQUIRE(report.ok());
  CHECK(report->manifests_skipped);
  CHECK(report->manifests.empty());
  CHECK(!report->wals.empty());
  CHECK(ManifestIds(sync) == kept);
  CHECK(no_if_match->refused() >= 1);
  REQUIRE(BlockOn(db->RunGcOnce(0)).ok());
  CHECK(ManifestIds(sync) == kept);
  CHECK(Body(sync, kPaths.GcBoundary("manifest")) == first);
  CHECK(GetOrFail(*db, "k1") == "v");
  REQUIRE(BlockOn(db->Close()).ok());
}

}  // namespace
}  // namespace slatedb::testing
