// SPDX-License-Identifier: Apache-2.0
//
// A database whose WAL lives in a store of its own (DbOptions::wal_object_store): the router
// passes the store conformance suite; the writer's WAL objects (and its fences) land in the
// WAL store and nothing else does; reopening, readers, the WAL reader and GC all reach them.
#include "slatedb/wal_reader.h"
#include "store/object_store_conformance.h"
#include "store/wal_routing_object_store.h"
#include "tests/db/db_test_util.h"

namespace slatedb::testing {
namespace {

Task<Result<std::vector<ObjectMeta>>> ListAll(ObjectStore& store, std::string prefix) {
  co_return co_await AwaitCallback<Result<std::vector<ObjectMeta>>>(
      [&](std::function<void(Result<std::vector<ObjectMeta>>)> done) {
        store.List(prefix, "", std::move(done));
      });
}

std::vector<std::string> Keys(ObjectStore& store, std::string prefix) {
  Result<std::vector<ObjectMeta>> listed = BlockOn(ListAll(store, std::move(prefix)));
  REQUIRE(listed.ok());
  std::vector<std::string> keys;
  for (const ObjectMeta& m : *listed) keys.push_back(m.key);
  return keys;
}

TEST_CASE("the WAL router passes the store conformance suite", "[store][wal_store]") {
  CheckObjectStoreConformance([] {
    return std::make_shared<WalRoutingObjectStore>(std::make_shared<MemoryObjectStore>(),
                                                   std::make_shared<MemoryObjectStore>(), "a/");
  });
}

TEST_CASE("a database keeps its WAL in its WAL store", "[db][wal_store]") {
  ThreadedDbEnv env;
  auto wal_store = std::make_shared<MemoryObjectStore>();
  DbOptions options = env.Options();
  options.wal_object_store = wal_store;
  {
    auto db = *BlockOn(Db::Open(options));
    REQUIRE(BlockOn(db->Put("a", "1")).ok());
    REQUIRE(BlockOn(db->Flush(FlushType::kWal)).ok());
    REQUIRE(BlockOn(db->Close()).ok());
  }
  std::vector<std::string> wal_keys = Keys(*wal_store, "");
  REQUIRE(wal_keys.size() >= 2);  // the fence and the flushed WAL object
  for (const std::string& k : wal_keys) CHECK(k.rfind("db/wal/", 0) == 0);
  CHECK(Keys(*env.store, "db/wal/").empty());
  CHECK(!Keys(*env.store, "db/manifest/").empty());
  // The router lists both stores under the database's root, in key order.
  auto routed = WithWalStore(env.store, wal_store, "db/wal/");
  std::vector<std::string> all = Keys(*routed, "db/");
  CHECK(std::is_sorted(all.begin(), all.end()));
  CHECK(all.size() == Keys(*env.store, "db/").size() + wal_keys.size());

  // Reopened with the WAL store, the writer replays it; a reader given it sees the row.
  auto db = *BlockOn(Db::Open(options));
  CHECK(*BlockOn(db->Get("a")) == "1");
  REQUIRE(BlockOn(db->Put("b", "2")).ok());
  REQUIRE(BlockOn(db->Flush(FlushType::kWal)).ok());
  auto ro = env.On<ReaderOptions>();
  ro.wal_object_store = wal_store;
  ro.mode = ReaderMode::kFollowLatest;
  auto reader = *BlockOn(DbReader::Open(ro));
  CHECK(*BlockOn(reader->Get("a")) == "1");
  CHECK(*BlockOn(reader->Get("b")) == "2");
  auto wo = env.On<WalReaderOptions>();
  wo.wal_object_store = wal_store;
  auto wal_reader = *WalReader::Create(wo);
  CHECK(*BlockOn(wal_reader->LastWalFileId(0)) >= 4);

  // After an L0 flush, GC (through an Admin given the WAL store) collects old WAL objects
  // from the WAL store.
  REQUIRE(BlockOn(db->Flush(FlushType::kMemTable)).ok());
  size_t before = Keys(*wal_store, "").size();
  auto ao = env.On<AdminOptions>();
  ao.wal_object_store = wal_store;
  auto admin = *Admin::Create(ao);
  AdminGcOptions gc;
  gc.wal.min_age_ms = 0;
  REQUIRE(BlockOn(admin->RunGcOnce(gc)).ok());
  CHECK(Keys(*wal_store, "").size() < before);
  CHECK(*BlockOn(db->Get("b")) == "2");
  REQUIRE(BlockOn(reader->Close()).ok());
  REQUIRE(BlockOn(db->Close()).ok());
}

}  // namespace
}  // namespace slatedb::testing
