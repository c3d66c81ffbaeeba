// SPDX-License-Identifier: Apache-2.0
//
// Segment drains (CompactionRequestSpec::drain, upstream 0.17's DrainSegment): the rules a
// drain request must meet (ResolveRequestedCompaction), and a drain submitted through an
// Admin run by the writer's compactor: the segment's listed L0 SSTs and runs leave the
// manifest, nothing is written, other segments are untouched.
#include <nlohmann/json.hpp>

#include <chrono>
#include <thread>

#include "compaction/requested_compaction.h"
#include "manifest/compactions_store.h"
#include "manifest/manifest.h"
#include "store/paths.h"
#include "tests/db/db_test_util.h"
#include "testutil/sync_object_store.h"

namespace slatedb::testing {
namespace {

SstRef L0(const std::string& id) {
  SstRef ref;
  ref.id = id;
  return ref;
}

SortedRun Run(uint32_t id) {
  SortedRun run;
  run.id = id;
  run.ssts = {L0("run-" + std::to_string(id))};
  return run;
}

CompactionRequestSpec Drain(std::string segment, std::vector<CompactionSource> sources) {
  CompactionRequestSpec spec;
  spec.segment = std::move(segment);
  spec.sources = std::move(sources);
  spec.drain = true;
  return spec;
}

std::string Why(const Result<std::optional<CompactionSpec>>& r) {
  REQUIRE(!r.ok());
  CHECK(r.status().code() == StatusCode::kInvalid);
  return r.status().message();
}

TEST_CASE("drain requests: the rules a drain must meet", "[compaction][drain]") {
  Manifest m;
  m.l0 = {L0("root-l0")};
  m.sorted_runs = {Run(3)};
  Segment seg;
  seg.prefix = "aaa";
  seg.l0 = {L0("a-c"), L0("a-b"), L0("a-a")};  // newest first
  seg.sorted_runs = {Run(7), Run(4)};
  m.segments = {seg};
  using S = CompactionSource;

  CHECK(Why(ResolveRequestedCompaction(m, Drain("", {S::Sst("root-l0")}), {}))
            .find("root tree cannot be drained") != std::string::npos);
  CHECK(Why(ResolveRequestedCompaction(m, Drain("zzz", {S::SortedRun(7)}), {}))
            .find("does not exist") != std::string::npos);
  CHECK(Why(ResolveRequestedCompaction(m, Drain("aaa", {}), {})).find("no sources") !=
        std::string::npos);
  CHECK(
      Why(ResolveRequestedCompaction(m, Drain("aaa", {S::Sst("root-l0")}), {})).find("not in L0") !=
      std::string::npos);
  CHECK(Why(ResolveRequestedCompaction(m, Drain("aaa", {S::SortedRun(3)}), {}))
            .find("does not exist") != std::string::npos);
  CHECK(Why(ResolveRequestedCompaction(m, Drain("aaa", {S::Sst("a-c")}), {})).find("oldest L0") !=
        std::string::npos);

  // Every source of the segment, in any order; runs need not be adjacent.
  Result<std::optional<CompactionSpec>> r = ResolveRequestedCompaction(
      m, Drain("aaa", {S::SortedRun(4), S::Sst("a-a"), S::Sst("a-b"), S::SortedRun(7)}), {});
  REQUIRE(r.ok());
  REQUIRE(r->has_value());
  CHECK((*r)->drain);
  CHECK((*r)->segment == "aaa");
  CHECK((*r)->l0_ids == std::vector<std::string>{"a-b", "a-a"});
  CHECK((*r)->run_ids == std::vector<uint32_t>{7, 4});
  r = ResolveRequestedCompaction(m, Drain("aaa", {S::SortedRun(4)}), {});
  REQUIRE(r.ok());
  CHECK(r->has_value());

  // It waits for a running compaction of the segment's L0 or of one of its runs; a root
  // compaction, or a merge into a run id the drain does not name, does not hold it back.
  CompactionSpec seg_l0;
  seg_l0.segment = "aaa";
  seg_l0.l0_ids = {"a-a"};
  seg_l0.destination = 9;
  r = ResolveRequestedCompaction(m, Drain("aaa", {S::Sst("a-a")}), {seg_l0});
  REQUIRE(r.ok());
  CHECK(!r->has_value());
  CompactionSpec into_four;
  into_four.segment = "aaa";
  into_four.run_ids = {4};
  into_four.destination = 4;
  r = ResolveRequestedCompaction(m, Drain("aaa", {S::SortedRun(4)}), {into_four});
  REQUIRE(r.ok());
  CHECK(!r->has_value());
  CompactionSpec root;
  root.l0_ids = {"root-l0"};
  root.destination = 10;
  r = ResolveRequestedCompaction(m, Drain("aaa", {S::Sst("a-a"), S::SortedRun(7)}), {root});
  REQUIRE(r.ok());
  CHECK(r->has_value());
  // A running drain (destination unused) does not hold back a merge into run 0.
  CompactionSpec running_drain =
      **ResolveRequestedCompaction(m, Drain("aaa", {S::SortedRun(7)}), {});
  CompactionRequestSpec root_l0;
  root_l0.sources = {S::Sst("root-l0")};
  root_l0.destination = 8;
  r = ResolveRequestedCompaction(m, root_l0, {running_drain});
  REQUIRE(r.ok());
  CHECK(r->has_value());
}

class ThreeBytes final : public PrefixExtractor {
 public:
  std::string Name() const override { return "three"; }
  Result<std::optional<size_t>> PrefixLen(std::string_view data, bool) const override {
    if (data.size() < 3) return std::optional<size_t>();
    return std::optional<size_t>(3);
  }
};

Manifest Latest(ThreadedDbEnv& env) {
  SyncObjectStore sync(env.store);
  Result<std::vector<ObjectMeta>> listed = sync.List(DbPaths("db").ManifestDir(), "");
  REQUIRE(listed.ok());
  REQUIRE(!listed->empty());
  Result<std::string> bytes = sync.Get(listed->back().key);
  REQUIRE(bytes.ok());
  Result<Manifest> m = DecodeManifest(*bytes);
  REQUIRE(m.ok());
  return *m;
}

const Segment& SegmentOf(const Manifest& m, const std::string& prefix) {
  for (const Segment& s : m.segments) {
    if (s.prefix == prefix) return s;
  }
  FAIL("no segment " << prefix);
  return m.segments.front();
}

nlohmann::json WaitFinished(Admin& admin, const std::string& id) {
  for (int i = 0; i < 1000; ++i) {
    Result<std::optional<std::string>> r = BlockOn(admin.ReadCompaction(id, std::nullopt));
    REQUIRE(r.status().ToString() == "OK");
    REQUIRE(r->has_value());
    nlohmann::json record = nlohmann::json::parse(**r);
    if (record["status"] != "Submitted" && record["status"] != "Running") return record;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  FAIL("compaction request " << id << " did not finish");
  return {};
}

std::string SubmitOk(Admin& admin, CompactionRequestSpec spec) {
  Result<std::string> r = BlockOn(admin.SubmitCompaction(std::move(spec)));
  REQUIRE(r.status().ToString() == "OK");
  nlohmann::json j = nlohmann::json::parse(*r);
  CHECK(j["status"] == "Submitted");
  return j["id"];
}

TEST_CASE("a submitted drain drops a segment's data and writes nothing", "[admin][drain]") {
  ThreadedDbEnv env;
  Settings s = SmallSettings();
  s.compaction_min_sources = 8;  // only requests compact
  s.compaction_max_sources = 8;
  s.l0_max_ssts = 16;
  s.compaction_request_poll_ms = 20;
  s.gc_enabled = false;
  DbOptions o = env.Options(s);
  o.segment_extractor = std::make_shared<ThreeBytes>();
  auto db = *BlockOn(Db::Open(o));
  for (int round = 0; round < 2; ++round) {
    REQUIRE(BlockOn(db->Put("aaa" + std::to_string(round), "a")).ok());
    REQUIRE(BlockOn(db->Put("bbb" + std::to_string(round), "b")).ok());
    REQUIRE(BlockOn(db->Flush(FlushType::kMemTable)).ok());
  }
  auto admin = env.OpenAdmin();
  const Manifest before = Latest(env);
  const Segment& aaa = SegmentOf(before, "aaa");
  REQUIRE(aaa.l0.size() == 2);
  const size_t bbb_l0 = SegmentOf(before, "bbb").l0.size();

  // Submitted unchecked, as upstream's: a drain of the root tree fails in the compactor.
  nlohmann::json root = WaitFinished(*admin, SubmitOk(*admin, Drain("", {})));
  CHECK(root["status"] == "Failed");
  CHECK(root["spec"]["drain"] == true);

  std::vector<CompactionSource> sources;
  for (const SstRef& ref : aaa.l0) sources.push_back(CompactionSource::Sst(ref.id));
  nlohmann::json done = WaitFinished(*admin, SubmitOk(*admin, Drain("aaa", sources)));
  REQUIRE(done["status"] == "Completed");
  CHECK(done["output_ssts"].empty());
  CHECK(done["bytes_processed"] == 0);
  const Manifest after = Latest(env);
  CHECK(SegmentOf(after, "aaa").l0.empty());
  CHECK(SegmentOf(after, "aaa").sorted_runs.empty());
  CHECK(SegmentOf(after, "bbb").l0.size() == bbb_l0);
  CHECK(SegmentOf(after, "aaa").last_compacted_l0_view_id == aaa.l0.front().id);
  CHECK(!GetOrFail(*db, "aaa0").has_value());
  CHECK(!GetOrFail(*db, "aaa1").has_value());
  CHECK(GetOrFail(*db, "bbb1") == "b");
  CHECK(ScanAll(*db, "", "").size() == 2);
  REQUIRE(BlockOn(db->Close()).ok());
}

}  // namespace
}  // namespace slatedb::testing
