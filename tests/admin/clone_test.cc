// SPDX-License-Identifier: Apache-2.0
//
// Clones: a clone reads its parent's checkpointed state without copying SSTs, diverges
// independently, survives GC in both databases (the pin checkpoint in the parent), can be
// cloned again, and bad requests fail clearly.
#include <chrono>
#include <thread>

#include "manifest/checkpoint_edit.h"
#include "tests/compaction/store_audit.h"
#include "tests/db/db_test_util.h"
#include "testutil/sync_object_store.h"

namespace slatedb::testing {
namespace {

std::shared_ptr<Admin> AdminAt(const ThreadedDbEnv& env, std::string path) {
  AdminOptions o;
  o.object_store = env.store;
  o.executor = env.executor;
  o.clock = env.clock;
  o.path = std::move(path);
  return *Admin::Create(o);
}

std::shared_ptr<Db> OpenAt(const ThreadedDbEnv& env, const std::string& path, Settings s) {
  Result<std::shared_ptr<Db>> db = BlockOn(Db::Open(env.Options(s, path)));
  REQUIRE(db.status().ToString() == "OK");
  return *db;
}

Task<Result<std::vector<ObjectMeta>>> ListIn(ObjectStore& store, std::string prefix) {
  co_return co_await AwaitCallback<Result<std::vector<ObjectMeta>>>(
      [&](std::function<void(Result<std::vector<ObjectMeta>>)> done) {
        store.List(prefix, "", std::move(done));
      });
}

Settings CloneSettings() {
  Settings s = SmallSettings();
  s.l0_sst_size_bytes = 8 * 1024;
  s.compaction_min_sources = 2;
  s.gc_enabled = false;
  return s;
}

TEST_CASE("a clone shares its parent's SSTs and diverges independently", "[clone]") {
  ThreadedDbEnv env;
  SyncObjectStore sync(env.store);
  Settings s = CloneSettings();
  auto parent = OpenAt(env, "parent", s);
  WriteOptions lazy;
  lazy.await_durable = false;
  for (int i = 0; i < 300; ++i) {
    REQUIRE(BlockOn(parent->Put("k" + std::to_string(i), std::string(40, 'p'), {}, lazy)).ok());
  }
  Result<CheckpointCreateResult> c = BlockOn(parent->CreateCheckpoint());
  REQUIRE(c.ok());
  REQUIRE(BlockOn(parent->Put("after", "parent")).ok());

  auto admin = AdminAt(env, "child");
  REQUIRE(BlockOn(admin->CreateClone("parent", c->id)).ok());
  REQUIRE(BlockOn(admin->CreateClone("parent", c->id)).ok());  // idempotent
  // No SST was copied: the clone's compacted/ is empty, its manifest names the parent's.
  CHECK(sync.List("child/compacted/", "")->empty());
  StoreAudit child_audit = StoreAudit::Take(sync, "child");
  REQUIRE(child_audit.latest.external_dbs.size() == 1);
  CHECK(child_audit.latest.external_dbs[0].path == "parent");
  CHECK(child_audit.latest.external_dbs[0].source_checkpoint_id == c->id);
  // The parent holds the never-expiring pin.
  const std::string pin = child_audit.latest.external_dbs[0].final_checkpoint_id;
  bool pinned = false;
  Result<std::vector<CheckpointInfo>> parent_checkpoints = BlockOn(parent->ListCheckpoints());
  REQUIRE(parent_checkpoints.ok());
  for (const CheckpointInfo& info : parent_checkpoints.value()) {
    if (info.id == pin) {
      pinned = true;
      CHECK(info.manifest_id == c->manifest_id);
      CHECK(!info.expire_time_ms.has_value());
    }
  }
  CHECK(pinned);

  auto child = OpenAt(env, "child", s);
  CHECK(GetOrFail(*child, "k7") == std::string(40, 'p'));
  CHECK(GetOrFail(*child, "after") == std::nullopt);
  REQUIRE(BlockOn(child->Put("only-child", "c")).ok());
  REQUIRE(BlockOn(parent->Put("only-parent", "p")).ok());
  CHECK(GetOrFail(*child, "only-parent") == std::nullopt);
  CHECK(GetOrFail(*parent, "only-child") == std::nullopt);

  // Both rewrite everything; compaction and GC run in both; every referenced object stays.
  for (int round = 0; round < 4; ++round) {
    for (int i = 0; i < 300; i += 2) {
      std::string key = "k" + std::to_string(i);
      REQUIRE(BlockOn(parent->Put(key, std::string(40, 'q'), {}, lazy)).ok());
      REQUIRE(BlockOn(child->Put(key, std::string(40, 'c'), {}, lazy)).ok());
    }
    REQUIRE(BlockOn(parent->Flush(FlushType::kMemTable)).ok());
    REQUIRE(BlockOn(child->Flush(FlushType::kMemTable)).ok());
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
    REQUIRE(BlockOn(parent->RunGcOnce(0)).ok());
    REQUIRE(BlockOn(child->RunGcOnce(0)).ok());
    StoreAudit::Take(sync, "parent");
    StoreAudit::Take(sync, "child");  // also checks the parent's SSTs it names exist
  }
  CHECK(GetOrFail(*child, "k2") == std::string(40, 'c'));
  CHECK(GetOrFail(*child, "k3") == std::string(40, 'p'));  // still the parent's SST
  CHECK(GetOrFail(*parent, "k2") == std::string(40, 'q'));
  CHECK(GetOrFail(*parent, "k3") == std::string(40, 'p'));

  // Reopened, the clone still reads across both roots.
  REQUIRE(BlockOn(child->Close()).ok());
  child = OpenAt(env, "child", s);
  CHECK(ScanAll(*child, "k", "l").size() == 300);
  CHECK(GetOrFail(*child, "only-child") == "c");

  // A clone of the clone reads SSTs of both ancestors.
  auto grand_admin = AdminAt(env, "grandchild");
  REQUIRE(BlockOn(grand_admin->CreateClone("child", std::nullopt)).ok());
  auto grandchild = OpenAt(env, "grandchild", s);
  CHECK(GetOrFail(*grandchild, "k3") == std::string(40, 'p'));
  CHECK(GetOrFail(*grandchild, "k2") == std::string(40, 'c'));
  CHECK(GetOrFail(*grandchild, "only-child") == "c");
  StoreAudit grand = StoreAudit::Take(sync, "grandchild");
  CHECK(grand.latest.external_dbs.size() >= 1);
  REQUIRE(BlockOn(parent->RunGcOnce(0)).ok());
  REQUIRE(BlockOn(child->RunGcOnce(0)).ok());
  StoreAudit::Take(sync, "grandchild");
  REQUIRE(BlockOn(grandchild->Close()).ok());
  REQUIRE(BlockOn(child->Close()).ok());
  REQUIRE(BlockOn(parent->Close()).ok());
}

TEST_CASE("a clone without a checkpoint includes the parent's durable WAL writes", "[clone]") {
  ThreadedDbEnv env;
  auto parent = OpenAt(env, "parent", CloneSettings());
  REQUIRE(BlockOn(parent->Put("wal-only", "w")).ok());  // durable, not in L0
  auto admin = AdminAt(env, "child");
  REQUIRE(BlockOn(admin->CreateClone("parent", std::nullopt)).ok());
  auto child = OpenAt(env, "child", CloneSettings());
  CHECK(GetOrFail(*child, "wal-only") == "w");
  // The temporary source checkpoint expires after 5 minutes; the pin never does.
  Result<std::vector<CheckpointInfo>> list = BlockOn(parent->ListCheckpoints());
  REQUIRE(list.ok());
  REQUIRE(list.value().size() == 2);
  int expiring = 0;
  for (const CheckpointInfo& info : list.value())
    expiring += info.expire_time_ms.has_value() ? 1 : 0;
  CHECK(expiring == 1);
  REQUIRE(BlockOn(child->Close()).ok());
  REQUIRE(BlockOn(parent->Close()).ok());
}

TEST_CASE("a clone by an Admin with a WAL store copies the parent's WAL inside that store",
          "[clone][wal_store]") {
  ThreadedDbEnv env;
  auto wal_store = std::make_shared<MemoryObjectStore>();
  DbOptions po = env.Options(CloneSettings(), "parent");
  po.wal_object_store = wal_store;
  auto parent = *BlockOn(Db::Open(po));
  REQUIRE(BlockOn(parent->Put("wal-only", "w")).ok());  // durable, in the WAL store only
  AdminOptions ao = env.On<AdminOptions>("child");
  ao.wal_object_store = wal_store;
  auto admin = *Admin::Create(ao);
  Status cloned = BlockOn(admin->CreateClone("parent", std::nullopt));
  REQUIRE(cloned.ToString() == "OK");
  // The parent's WAL objects were read from the WAL store and the copies written there.
  Result<std::vector<ObjectMeta>> copied = BlockOn(ListIn(*wal_store, "child/wal/"));
  REQUIRE(copied.ok());
  CHECK(!copied->empty());
  Result<std::vector<ObjectMeta>> in_main = BlockOn(ListIn(*env.store, "child/wal/"));
  REQUIRE(in_main.ok());
  CHECK(in_main->empty());
  DbOptions co = env.Options(CloneSettings(), "child");
  co.wal_object_store = wal_store;
  auto child = *BlockOn(Db::Open(co));
  CHECK(GetOrFail(*child, "wal-only") == "w");
  REQUIRE(BlockOn(child->Close()).ok());

  // Without the WAL store the parent's WAL objects are not there to copy: a clear error.
  auto plain = AdminAt(env, "other");
  Status missing = BlockOn(plain->CreateClone("parent", std::nullopt));
  CHECK(missing.code() == StatusCode::kData);
  CHECK(missing.ToString().find("of the cloned version is missing") != std::string::npos);
  REQUIRE(BlockOn(parent->Close()).ok());
}

TEST_CASE("bad clone requests fail with a clear error", "[clone]") {
  ThreadedDbEnv env;
  auto admin = AdminAt(env, "child");
  // No parent database.
  CHECK(BlockOn(admin->CreateClone("parent", std::nullopt)).code() == StatusCode::kData);
  auto parent = OpenAt(env, "parent", CloneSettings());
  REQUIRE(BlockOn(parent->Put("a", "1")).ok());
  Status missing = BlockOn(admin->CreateClone("parent", "01234567-89ab-4cde-8f01-23456789abcd"));
  CHECK(missing.code() == StatusCode::kData);
  CHECK(missing.message().find("does not exist") != std::string::npos);
  CHECK(BlockOn(admin->CreateClone("parent", "bogus")).code() == StatusCode::kInvalid);
  CHECK(BlockOn(AdminAt(env, "parent")->CreateClone("parent", std::nullopt)).code() ==
        StatusCode::kInvalid);
  // Nothing was written at the clone path by the failed attempts.
  SyncObjectStore sync(env.store);
  CHECK(sync.List("child/", "")->empty());
  // A path that already holds another database is refused.
  auto other = OpenAt(env, "other", CloneSettings());
  REQUIRE(BlockOn(other->Close()).ok());
  CHECK(BlockOn(AdminAt(env, "other")->CreateClone("parent", std::nullopt)).code() ==
        StatusCode::kInvalid);
  REQUIRE(BlockOn(parent->Close()).ok());
}

// Lets the first `puts_allowed` puts through, then fails every put (a crash at that step).
class PutLimitStore : public ObjectStore {
 public:
  PutLimitStore(std::shared_ptr<ObjectStore> inner, int puts_allowed)
      : inner_(std::move(inner)), left_(puts_allowed) {}
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
    if (left_.fetch_sub(1) <= 0) {
      done(Status::Unavailable("injected crash before " + key));
      return;
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
  std::string Describe() const override { return "put-limit"; }
  bool exhausted() const { return left_.load() < 0; }

 private:
  std::shared_ptr<ObjectStore> inner_;
  std::atomic<int> left_;
};

TEST_CASE("clone creation resumes after a crash at any step", "[clone]") {
  for (int allowed = 0;; ++allowed) {
    INFO("puts before the crash: " << allowed);
    ThreadedDbEnv env;
    auto parent = OpenAt(env, "parent", CloneSettings());
    REQUIRE(BlockOn(parent->Put("in-l0", "1")).ok());
    REQUIRE(BlockOn(parent->Flush(FlushType::kMemTable)).ok());
    REQUIRE(BlockOn(parent->Put("in-wal-1", "2")).ok());
    REQUIRE(BlockOn(parent->Put("in-wal-2", "3")).ok());
    CheckpointOptions durable;
    durable.scope = CheckpointScope::kDurable;
    Result<CheckpointCreateResult> c = BlockOn(parent->CreateCheckpoint(durable));
    REQUIRE(c.ok());

    auto crashing = std::make_shared<PutLimitStore>(env.store, allowed);
    AdminOptions o;
    o.object_store = crashing;
    o.executor = env.executor;
    o.clock = env.clock;
    o.path = "child";
    o.object_store_max_retries = 0;
    Status first = BlockOn((*Admin::Create(o))->CreateClone("parent", c->id));
    if (first.ok()) {
      REQUIRE(!crashing->exhausted());
      // Manifest 1, the pin, the WAL copies and manifest 2 each were a crash point.
      CHECK(allowed >= 4);
      break;  // every step done within the allowance: all crash points were covered
    }
    // An unfinished clone cannot be opened as a database.
    if (SyncObjectStore(env.store).List("child/manifest/", "")->size() > 0) {
      CHECK(BlockOn(Db::Open(env.Options(CloneSettings(), "child"))).status().code() ==
            StatusCode::kInvalid);
    }
    REQUIRE(BlockOn(AdminAt(env, "child")->CreateClone("parent", c->id)).ok());
    auto child = OpenAt(env, "child", CloneSettings());
    CHECK(GetOrFail(*child, "in-l0") == "1");
    CHECK(GetOrFail(*child, "in-wal-1") == "2");
    CHECK(GetOrFail(*child, "in-wal-2") == "3");
    // Exactly one pin for this clone in the parent.
    int pins = 0;
    Result<std::vector<CheckpointInfo>> list = BlockOn(parent->ListCheckpoints());
    REQUIRE(list.ok());
    for (const CheckpointInfo& info : list.value()) pins += info.name == "clone pin: child" ? 1 : 0;
    CHECK(pins == 1);
    REQUIRE(BlockOn(child->Close()).ok());
    REQUIRE(BlockOn(parent->Close()).ok());
    REQUIRE(allowed < 20);
  }
}

}  // namespace
}  // namespace slatedb::testing
