// SPDX-License-Identifier: Apache-2.0
//
// Views with visible key ranges (the format's SST views, as clone projections write them):
// a database whose manifest shows only parts of its SSTs answers gets and scans from those
// parts alone, and keeps the views (ids and ranges) in the manifests it writes.
#include <string>
#include <vector>

#include "format/sst_builder.h"
#include "manifest/manifest.h"
#include "store/paths.h"
#include "tests/db/db_test_util.h"
#include "testutil/sync_object_store.h"
#include "util/ulid.h"

namespace slatedb::testing {
namespace {

std::string Key(int i) {
  char buf[8];
  std::snprintf(buf, sizeof(buf), "k%02d", i);
  return buf;
}

// An SST of k00..k29 with values prefix + i, seqs descending from `top`.
SstInfo PutSst(SyncObjectStore& store, const std::string& id, const std::string& prefix,
               uint64_t top) {
  SstBuilderOptions options;
  options.block_size_bytes = 1024;
  options.min_filter_keys = 1;
  SstBuilder builder(options);
  for (int i = 0; i < 30; ++i) {
    const std::string key = Key(i), value = prefix + std::to_string(i);
    RowView row{key, top - static_cast<uint64_t>(i), RowKind::kValue, value, kNoTimestamp, 1000};
    builder.Add(row);
  }
  Result<EncodedSst> sst = builder.Finish();
  REQUIRE(sst.ok());
  REQUIRE(store.Put(DbPaths("db").Compacted(id), sst->data).ok());
  return sst->info;
}

SstRef View(const std::string& id, const std::string& view_id, const SstInfo& info,
            RangeBound start, RangeBound end) {
  SstRef ref = SstRef::Whole(id, info);
  ref.view_id = view_id;
  ref.visible_range = VisibleRange{std::move(start), std::move(end)};
  return ref;
}

TEST_CASE("reads see only what a view's visible range shows", "[db]") {
  ThreadedDbEnv env;
  SyncObjectStore sync(env.store);
  UlidGenerator ulids(9);
  const std::string run_sst = ulids.Next(1'700'000'000'000);
  const std::string l0_sst = ulids.Next(1'700'000'000'001);
  const std::vector<std::string> view_ids = {
      ulids.Next(1'700'000'000'002), ulids.Next(1'700'000'000'003), ulids.Next(1'700'000'000'004)};
  const SstInfo run_info = PutSst(sync, run_sst, "run-", 100);
  const SstInfo l0_info = PutSst(sync, l0_sst, "l0-", 200);
  using K = RangeBound::Kind;
  Manifest m;
  m.last_l0_seq = 200;
  // L0: only k25..k27 of the newer SST.
  m.l0 = {View(l0_sst, view_ids[0], l0_info, {K::kIncluded, Key(25)}, {K::kIncluded, Key(27)})};
  // One sorted run showing [k05, k10) and (k20, end) of the older SST.
  m.sorted_runs = {SortedRun{
      0,
      {View(run_sst, view_ids[1], run_info, {K::kIncluded, Key(5)}, {K::kExcluded, Key(10)}),
       View(run_sst, view_ids[2], run_info, {K::kExcluded, Key(20)}, {K::kUnbounded, ""})}}};
  REQUIRE(sync.Put(DbPaths("db").Manifest(1), EncodeManifest(m)).ok());

  auto expected = [](int i) -> std::optional<std::string> {
    if (i >= 25 && i <= 27) return "l0-" + std::to_string(i);
    if ((i >= 5 && i < 10) || i > 20) return "run-" + std::to_string(i);
    return std::nullopt;
  };
  auto check = [&](Db& db) {
    for (int i = 0; i < 30; ++i) {
      INFO(Key(i));
      CHECK(GetOrFail(db, Key(i)) == expected(i));
    }
    std::vector<std::string> all;
    for (const KeyValue& kv : ScanAll(db, "", "")) {
      CHECK(std::optional<std::string>(kv.value) == expected(std::stoi(kv.key.substr(1))));
      all.push_back(kv.key);
    }
    std::vector<std::string> want;
    for (int i = 0; i < 30; ++i) {
      if (expected(i)) want.push_back(Key(i));
    }
    CHECK(all == want);
    std::vector<std::string> part;
    for (const KeyValue& kv : ScanAll(db, Key(7), Key(23))) part.push_back(kv.key);
    CHECK(part == std::vector<std::string>{Key(7), Key(8), Key(9), Key(21), Key(22)});
  };
  {
    std::shared_ptr<Db> db = env.Open();
    check(*db);
    REQUIRE(BlockOn(db->Close()).ok());
  }
  // The opens wrote manifests of their own: the views came through unchanged.
  Result<std::vector<ObjectMeta>> listed = sync.List(DbPaths("db").ManifestDir(), "");
  REQUIRE(listed.ok());
  REQUIRE(listed->size() > 1);
  Result<std::string> latest = sync.Get(listed->back().key);
  REQUIRE(latest.ok());
  Result<Manifest> written = DecodeManifest(*latest);
  REQUIRE(written.ok());
  REQUIRE(written->sorted_runs.size() == 1);
  REQUIRE(written->sorted_runs[0].ssts.size() == 2);
  CHECK(written->sorted_runs[0].ssts[1].view_id == view_ids[2]);
  CHECK(written->sorted_runs[0].ssts[1].visible_range == m.sorted_runs[0].ssts[1].visible_range);
  std::shared_ptr<Db> again = env.Open();
  check(*again);
  REQUIRE(BlockOn(again->Close()).ok());
}

}  // namespace
}  // namespace slatedb::testing
