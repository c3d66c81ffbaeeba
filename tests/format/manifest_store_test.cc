// SPDX-License-Identifier: Apache-2.0
//
// ManifestStore::Create when a newer version exists right after its create: the outcome is
// known (committed) only if the store wrote that newer version after ours, i.e. it was
// built on ours; a newer version stored before ours (a stale create after GC collected the
// version that stood there) leaves the outcome unknown.
#include "manifest/manifest_store.h"
#include "slatedb/platform/memory_object_store.h"
#include "slatedb/platform/thread_pool_executor.h"
#include "store/store_client.h"
#include "testutil/manual_clock.h"
#include "tests/db/db_test_util.h"

namespace slatedb::testing {
namespace {

// A store that, on the create of `trigger`, also stores `follower` a moment later (another
// process updating right after us), the way a store writes one object after another.
class FollowingStore final : public ObjectStore {
 public:
  FollowingStore(std::shared_ptr<MemoryObjectStore> inner, std::shared_ptr<ManualClock> clock,
                 std::string trigger, std::string follower, std::string follower_bytes)
      : inner_(std::move(inner)),
        clock_(std::move(clock)),
        trigger_(std::move(trigger)),
        follower_(std::move(follower)),
        follower_bytes_(std::move(follower_bytes)) {}

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
    const bool follow = key == trigger_;
    inner_->Put(key, std::move(data), options,
                [this, follow, done = std::move(done)](Result<ObjectMeta> r) mutable {
                  if (follow && r.ok()) {
                    clock_->Advance(5);
                    inner_->Put(follower_, follower_bytes_, {}, [](Result<ObjectMeta>) {});
                  }
                  done(std::move(r));
                });
  }
  void List(const std::string& prefix, const std::string& start_after,
            Callback<std::vector<ObjectMeta>> done) override {
    inner_->List(prefix, start_after, std::move(done));
  }
  void Delete(const std::string& key, StatusCallback done) override {
    inner_->Delete(key, std::move(done));
  }
  std::string Describe() const override { return "following memory"; }

 private:
  std::shared_ptr<MemoryObjectStore> inner_;
  std::shared_ptr<ManualClock> clock_;
  std::string trigger_, follower_, follower_bytes_;
};

Manifest Version(uint64_t id) {
  Manifest m;
  m.id = id;
  m.writer_epoch = 1;
  return m;
}

TEST_CASE("a manifest create followed by a newer version built on it is committed", "[format]") {
  auto clock = std::make_shared<ManualClock>(1'000'000);
  auto memory = std::make_shared<MemoryObjectStore>(clock);
  DbPaths paths("db");
  auto store = std::make_shared<FollowingStore>(memory, clock, paths.Manifest(4), paths.Manifest(5),
                                                EncodeManifest(Version(5)));
  auto executor = std::make_shared<ThreadPoolExecutor>(1);
  StoreClient client(store, executor, clock, RetryPolicy{.max_retries = 0}, 1);
  ManifestStore manifests(&client, paths);
  CHECK(BlockOn(manifests.Create(Version(4))).ToString() == "OK");
}

TEST_CASE("a manifest create below a version stored before it is Unavailable", "[format]") {
  auto clock = std::make_shared<ManualClock>(1'000'000);
  auto memory = std::make_shared<MemoryObjectStore>(clock);
  auto executor = std::make_shared<ThreadPoolExecutor>(1);
  StoreClient client(memory, executor, clock, RetryPolicy{.max_retries = 0}, 1);
  DbPaths paths("db");
  ManifestStore manifests(&client, paths);
  // Versions 5 and 6 exist; 4 was collected. A stale writer now creates 4.
  REQUIRE(BlockOn(manifests.Create(Version(5))).ok());
  REQUIRE(BlockOn(manifests.Create(Version(6))).ok());
  clock->Advance(1000);
  Status s = BlockOn(manifests.Create(Version(4)));
  CHECK(s.IsUnavailable());
  CHECK(s.ToString().find("version 5 exists too") != std::string::npos);
  // Same-millisecond writes cannot be ordered: unknown as well.
  REQUIRE(BlockOn(manifests.Create(Version(8))).ok());
  CHECK(BlockOn(manifests.Create(Version(7))).IsUnavailable());
}

}  // namespace
}  // namespace slatedb::testing
