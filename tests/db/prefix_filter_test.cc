// SPDX-License-Identifier: Apache-2.0
//
// Filter policies end to end (DbOptions/ReaderOptions::filter_policies): a prefix scan skips
// the SSTs whose prefix filter rules its prefix out (fewer object-store reads, same rows),
// point reads through a prefix-only filter, and handles whose policies match none of the
// SSTs' filters reading correctly without them.
#include <catch2/catch.hpp>

#include <memory>
#include <string>
#include <vector>

#include "db/db_test_util.h"

namespace slatedb::testing {
namespace {

class FirstThree final : public PrefixExtractor {
 public:
  explicit FirstThree(std::string name = "pe3") : name_(std::move(name)) {}
  std::string Name() const override { return name_; }
  Result<std::optional<size_t>> PrefixLen(std::string_view data, bool) const override {
    if (data.size() < 3) return std::optional<size_t>();
    return std::optional<size_t>(3);
  }

 private:
  std::string name_;
};

FilterPolicy PrefixPolicy(bool whole_keys, std::string name = "pe3") {
  FilterPolicy p;
  p.whole_key_filtering = whole_keys;
  p.prefix_extractor = std::make_shared<FirstThree>(std::move(name));
  return p;
}

Settings L0Only() {
  Settings s = SmallSettings();
  s.l0_sst_size_bytes = 1 << 20;  // one L0 SST per explicit flush
  s.max_unflushed_bytes = 8 << 20;
  s.compactor_enabled = false;  // and they stay in L0, overlapping
  s.l0_max_ssts = 64;
  s.manifest_poll_interval_ms = 600'000;  // no manifest read lands inside a counted scan
  return s;
}

constexpr int kSsts = 4;
constexpr int kPerGroup = 20;  // small rows: each SST is one data block

// SST g holds "aaa<g>", "zzz<g>" (so every SST spans the whole key range) and kPerGroup rows
// of its own group: "bbb" for SST 0, "ccc" for SST 1, ...
std::string Group(int g) { return std::string(3, static_cast<char>('b' + g)); }

void WriteSsts(ThreadedDbEnv& env, std::vector<FilterPolicy> policies) {
  DbOptions o = env.Options(L0Only());
  o.filter_policies = std::move(policies);
  Result<std::shared_ptr<Db>> db = BlockOn(Db::Open(o));
  REQUIRE(db.status().ToString() == "OK");
  for (int g = 0; g < kSsts; ++g) {
    REQUIRE(BlockOn((*db)->Put("aaa" + std::to_string(g), "edge")).ok());
    REQUIRE(BlockOn((*db)->Put("zzz" + std::to_string(g), "edge")).ok());
    for (int i = 0; i < kPerGroup; ++i) {
      REQUIRE(BlockOn((*db)->Put(Group(g) + std::to_string(1000 + i), std::string(10, 'v'))).ok());
    }
    REQUIRE(BlockOn((*db)->Flush(FlushType::kMemTable)).ok());
  }
  REQUIRE(BlockOn((*db)->Close()).ok());
}

template <typename Handle>
uint64_t Reads(const Handle& handle) {
  std::map<std::string, uint64_t> m = handle.Metrics();
  return m["object_store/get"] + m["object_store/get_range"];
}

struct ScanCost {
  std::vector<KeyValue> rows;
  uint64_t reads = 0;
};

// A prefix scan of `prefix`'s keys on a fresh handle (cold caches).
template <typename Handle>
ScanCost PrefixScan(Handle& handle, const std::string& prefix, IterationOrder order) {
  ScanOptions options;
  options.filter_prefix = prefix;
  options.order = order;
  const uint64_t before = Reads(handle);
  std::string end = prefix;
  end.back()++;
  ScanCost out;
  out.rows = DrainIterator(BlockOn(handle.Scan(prefix, end, options)));
  out.reads = Reads(handle) - before;
  return out;
}

std::shared_ptr<Db> Reopen(ThreadedDbEnv& env, std::vector<FilterPolicy> policies) {
  DbOptions o = env.Options(L0Only());
  o.filter_policies = std::move(policies);
  Result<std::shared_ptr<Db>> db = BlockOn(Db::Open(o));
  REQUIRE(db.status().ToString() == "OK");
  return *db;
}

}  // namespace

TEST_CASE("a prefix scan skips the SSTs whose prefix filter rules its prefix out", "[filter][db]") {
  ThreadedDbEnv env;
  WriteSsts(env, {PrefixPolicy(true)});
  for (IterationOrder order : {IterationOrder::kAscending, IterationOrder::kDescending}) {
    INFO("descending " << (order == IterationOrder::kDescending));
    std::shared_ptr<Db> filtered = Reopen(env, {PrefixPolicy(true)});
    ScanCost with = PrefixScan(*filtered, Group(1), order);
    // The same SSTs read with only the whole-key filter (which cannot answer a prefix).
    std::shared_ptr<Db> plain = Reopen(env, {FilterPolicy{}});
    ScanCost without = PrefixScan(*plain, Group(1), order);
    REQUIRE(with.rows.size() == kPerGroup);
    REQUIRE(without.rows.size() == kPerGroup);
    for (size_t i = 0; i < with.rows.size(); ++i) CHECK(with.rows[i].key == without.rows[i].key);
    // Both open every SST (its filter and index: one read each); only the unfiltered scan
    // also reads a data block of each of the other kSsts - 1 SSTs.
    CHECK(with.reads == kSsts + 1);
    CHECK(without.reads >= with.reads + (kSsts - 1));
    // A prefix no SST holds reads no data block at all.
    std::shared_ptr<Db> again = Reopen(env, {PrefixPolicy(true)});
    ScanCost absent = PrefixScan(*again, "qqq", order);
    CHECK(absent.rows.empty());
    CHECK(absent.reads == kSsts);
    REQUIRE(BlockOn(filtered->Close()).ok());
    REQUIRE(BlockOn(plain->Close()).ok());
    REQUIRE(BlockOn(again->Close()).ok());
  }
}

TEST_CASE("readers, snapshots and transactions use prefix filters too", "[filter][db]") {
  ThreadedDbEnv env;
  WriteSsts(env, {PrefixPolicy(true), FilterPolicy{}});
  ReaderOptions ro = env.On<ReaderOptions>();
  ro.filter_policies = std::vector<FilterPolicy>{PrefixPolicy(true)};
  ro.manifest_poll_interval_ms = 600'000;  // no manifest read inside a counted scan
  ro.checkpoint_lifetime_ms = 1'200'000;
  Result<std::shared_ptr<DbReader>> reader = BlockOn(DbReader::Open(ro));
  REQUIRE(reader.status().ToString() == "OK");
  ScanCost scanned = PrefixScan(**reader, Group(2), IterationOrder::kAscending);
  CHECK(scanned.rows.size() == kPerGroup);
  CHECK(scanned.reads == kSsts + 1);

  std::shared_ptr<Db> db = Reopen(env, {PrefixPolicy(true)});
  Result<std::shared_ptr<Snapshot>> snap = db->GetSnapshot();
  REQUIRE(snap.ok());
  uint64_t before = Reads(*db);
  ScanOptions options;
  options.filter_prefix = Group(3);
  std::string end = Group(3);
  end.back()++;
  CHECK(DrainIterator(BlockOn((*snap)->Scan(Group(3), end, options))).size() == kPerGroup);
  CHECK(Reads(*db) - before == kSsts + 1);
  Result<std::unique_ptr<Transaction>> txn = db->Begin();
  REQUIRE(txn.ok());
  CHECK(DrainIterator(BlockOn((*txn)->Scan(Group(3), end, options))).size() == kPerGroup);
  REQUIRE(BlockOn(db->Close()).ok());
  REQUIRE(BlockOn((*reader)->Close()).ok());
}

TEST_CASE("point reads through prefix-only filters, and handles with no matching filter",
          "[filter][db]") {
  ThreadedDbEnv env;
  WriteSsts(env, {PrefixPolicy(false)});
  // policies: the writer's (prefix-only, probed with the key's prefix), one under another
  // extractor name (no filter matches), none at all.
  for (std::vector<FilterPolicy> policies :
       {std::vector<FilterPolicy>{PrefixPolicy(false)},
        std::vector<FilterPolicy>{PrefixPolicy(false, "other")}, std::vector<FilterPolicy>{}}) {
    std::shared_ptr<Db> db = Reopen(env, policies);
    for (int g = 0; g < kSsts; ++g) {
      for (int i = 0; i < kPerGroup; i += 7) {
        Result<std::optional<std::string>> got =
            BlockOn(db->Get(Group(g) + std::to_string(1000 + i)));
        REQUIRE(got.ok());
        CHECK(got->has_value());
      }
      Result<std::optional<std::string>> missing = BlockOn(db->Get(Group(g) + "9"));
      REQUIRE(missing.ok());
      CHECK(!missing->has_value());
    }
    Result<std::vector<std::optional<std::string>>> many = BlockOn(
        db->MultiGet({Group(0) + "1000", "qqq1", Group(3) + std::to_string(1000 + kPerGroup - 1)}));
    REQUIRE(many.ok());
    CHECK((*many)[0].has_value());
    CHECK(!(*many)[1].has_value());
    CHECK((*many)[2].has_value());
    // A key of a group no SST holds costs no data block with the writer's filter: each SST
    // is opened once, and then ruled out.
    const uint64_t before = Reads(*db);
    Result<std::optional<std::string>> absent = BlockOn(db->Get("qqq5"));
    REQUIRE(absent.ok());
    CHECK(!absent->has_value());
    if (policies.size() == 1 && policies[0].Name() == "_bf:p=pe3:wh=0") {
      CHECK(Reads(*db) - before == 0);  // every SST already open, every filter says no
    }
    REQUIRE(BlockOn(db->Close()).ok());
  }
}

}  // namespace slatedb::testing
