// SPDX-License-Identifier: Apache-2.0
//
// TTL at L0 flush, as upstream SlateDB applies it: a memtable's rows are judged against the
// tick of its last write. An expired value is written to L0 as a tombstone (so upstream's
// readers, which never filter TTL on read, see it deleted), an expired merge operand is left
// out, and rows that had not expired by that tick are written as they are.
#include <algorithm>

#include "format/sst_reader.h"
#include "manifest/manifest.h"
#include "store/paths.h"
#include "tests/db/db_test_util.h"
#include "tests/format/format_test_util.h"
#include "testutil/sync_object_store.h"

namespace slatedb::testing {
namespace {

const Row* Find(const std::vector<Row>& rows, const std::string& key) {
  auto it = std::find_if(rows.begin(), rows.end(), [&](const Row& r) { return r.key == key; });
  return it == rows.end() ? nullptr : &*it;  // the newest version: rows are key, seq desc
}

TEST_CASE("L0 flush writes values expired by the memtable's last write as tombstones", "[db]") {
  ThreadedDbEnv env;
  auto clock = std::make_shared<ManualClock>(1'000'000);
  env.clock = clock;
  DbOptions options = env.Options();
  options.merge_operator = ConcatMerge;
  Result<std::shared_ptr<Db>> opened = BlockOn(Db::Open(options));
  REQUIRE(opened.ok());
  std::shared_ptr<Db> db = *opened;
  PutOptions short_ttl;
  short_ttl.ttl_ms = 100;
  REQUIRE(BlockOn(db->Put("dead", "old")).ok());
  REQUIRE(BlockOn(db->Put("dead", "v", short_ttl)).ok());
  REQUIRE(BlockOn(db->Merge("op", "base")).ok());
  REQUIRE(BlockOn(db->Merge("op", "+gone", short_ttl)).ok());
  REQUIRE(BlockOn(db->Put("alive", "v", short_ttl)).ok());
  clock->Advance(50);
  REQUIRE(BlockOn(db->Put("late", "v", short_ttl)).ok());  // expires at +150
  clock->Advance(60);
  REQUIRE(BlockOn(db->Put("tick", "now")).ok());  // the last write: +110
  REQUIRE(BlockOn(db->Flush(FlushType::kMemTable)).ok());

  SyncObjectStore sync(env.store);
  DbPaths paths("db");
  Result<std::vector<ObjectMeta>> manifests = sync.List(paths.ManifestDir(), "");
  REQUIRE(manifests.ok());
  REQUIRE_FALSE(manifests->empty());
  Result<std::string> latest = sync.Get(manifests->back().key);
  REQUIRE(latest.ok());
  Result<Manifest> manifest = DecodeManifest(*latest);
  REQUIRE(manifest.ok());
  REQUIRE(manifest->l0.size() == 1);
  Result<std::string> object = sync.Get(paths.Compacted(manifest->l0[0].id));
  REQUIRE(object.ok());
  Result<DecodedSst> sst = DecodeWholeSst(*object);
  REQUIRE(sst.ok());

  const Row* dead = Find(sst->rows, "dead");
  REQUIRE(dead != nullptr);
  CHECK(dead->kind == RowKind::kTombstone);  // hides "old" for readers that ignore TTL
  CHECK(dead->expire_ts == kNoTimestamp);
  const Row* op = Find(sst->rows, "op");
  REQUIRE(op != nullptr);
  CHECK(op->kind == RowKind::kMerge);
  CHECK(op->value == "base");  // the expired operand is left out
  CHECK(std::count_if(sst->rows.begin(), sst->rows.end(),
                      [](const Row& r) { return r.key == "op"; }) == 1);
  const Row* late = Find(sst->rows, "late");
  REQUIRE(late != nullptr);
  CHECK(late->kind == RowKind::kValue);  // not expired at the last write's tick
  CHECK(late->expire_ts == 1'000'150);
  CHECK(Find(sst->rows, "alive")->kind == RowKind::kTombstone);  // expired at +100 <= +110

  CHECK(GetOrFail(*db, "op") == "base");
  CHECK_FALSE(GetOrFail(*db, "dead").has_value());
  REQUIRE(BlockOn(db->Close()).ok());
}

}  // namespace
}  // namespace slatedb::testing
