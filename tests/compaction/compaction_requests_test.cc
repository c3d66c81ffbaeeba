// SPDX-License-Identifier: Apache-2.0
//
// Compactions requested through Admin::SubmitCompaction: the rules a request must meet
// (ResolveRequestedCompaction), and the writer's compactor running requests end to end:
// Submitted -> Running -> Completed with output SSTs, Failed with a reason, and a "Running"
// request left behind by a stopped compactor run again.
#include <nlohmann/json.hpp>

#include <chrono>
#include <thread>

#include "compaction/requested_compaction.h"
#include "manifest/compactions_store.h"
#include "store/paths.h"
#include "tests/db/db_test_util.h"

namespace slatedb::testing {
namespace {

SstRef L0(const std::string& id) {
  SstRef r;
  r.id = id;
  r.info.index_offset = 10;
  return r;
}

SortedRun Run(uint32_t id) {
  SortedRun run;
  run.id = id;
  run.ssts.push_back(L0("run" + std::to_string(id)));
  return run;
}

CompactionRequestSpec Request(std::vector<CompactionSource> sources, uint32_t destination) {
  CompactionRequestSpec spec;
  spec.sources = std::move(sources);
  spec.destination = destination;
  return spec;
}

CompactionSource Sst(const std::string& id) { return CompactionSource::Sst(id); }
CompactionSource SortedRunSource(uint32_t id) { return CompactionSource::SortedRun(id); }

TEST_CASE("requested compactions: the rules a request must meet", "[compaction]") {
  Manifest m;
  m.l0 = {L0("c"), L0("b"), L0("a")};  // newest first
  m.sorted_runs = {Run(5), Run(4), Run(2)};
  auto resolve = [&](CompactionRequestSpec request, std::vector<CompactionSpec> running = {}) {
    return ResolveRequestedCompaction(m, request, running);
  };
  auto why = [&](CompactionRequestSpec request) {
    Result<std::optional<CompactionSpec>> r = resolve(std::move(request));
    REQUIRE(r.status().code() == StatusCode::kInvalid);
    return r.status().message();
  };

  // The oldest L0s into a new run; the order of the request's sources does not matter.
  Result<std::optional<CompactionSpec>> l0 = resolve(Request({Sst("a"), Sst("b")}, 6));
  REQUIRE(l0.ok());
  REQUIRE(l0->has_value());
  CHECK((*l0)->l0_ids == std::vector<std::string>{"b", "a"});
  CHECK((*l0)->destination == 6);
  CHECK((*l0)->input_bytes == 2 * L0("a").info.approx_object_size());
  // Every L0 and the newest run, into that run.
  Result<std::optional<CompactionSpec>> mixed =
      resolve(Request({SortedRunSource(5), Sst("c"), Sst("b"), Sst("a")}, 5));
  REQUIRE(mixed.ok());
  REQUIRE(mixed->has_value());
  CHECK((*mixed)->run_ids == std::vector<uint32_t>{5});
  CHECK((*mixed)->l0_ids.size() == 3);
  // Runs 4 and 2 into 2.
  Result<std::optional<CompactionSpec>> runs =
      resolve(Request({SortedRunSource(2), SortedRunSource(4)}, 2));
  REQUIRE(runs.ok());
  REQUIRE(runs->has_value());
  CHECK((*runs)->run_ids == std::vector<uint32_t>{4, 2});

  CHECK(why(Request({Sst("zz")}, 6)).find("not in L0") != std::string::npos);
  CHECK(why(Request({SortedRunSource(3)}, 3)).find("does not exist") != std::string::npos);
  CHECK(why(Request({Sst("c")}, 6)).find("oldest L0") != std::string::npos);
  CHECK(why(Request({Sst("a"), Sst("c")}, 6)).find("consecutive") != std::string::npos);
  CHECK(why(Request({SortedRunSource(5), SortedRunSource(2)}, 2)).find("consecutive") !=
        std::string::npos);
  CHECK(why(Request({Sst("a"), SortedRunSource(4)}, 4)).find("consecutive") != std::string::npos);
  CHECK(why(Request({SortedRunSource(5), SortedRunSource(4)}, 5)).find("must be 4") !=
        std::string::npos);
  CHECK(why(Request({Sst("a")}, 5)).find("new run id above 5") != std::string::npos);
  CHECK(why(Request({Sst("a"), Sst("a")}, 6)).find("twice") != std::string::npos);
  CHECK(why(Request({}, 6)).find("no sources") != std::string::npos);

  // Busy: wait rather than fail.
  CompactionSpec l0_running;
  l0_running.l0_ids = {"a"};
  l0_running.destination = 6;
  Result<std::optional<CompactionSpec>> later =
      resolve(Request({Sst("a"), Sst("b")}, 7), {l0_running});
  REQUIRE(later.ok());
  CHECK(!later->has_value());
  CompactionSpec run_running;
  run_running.run_ids = {4};
  run_running.destination = 4;
  later = resolve(Request({SortedRunSource(2), SortedRunSource(4)}, 2), {run_running});
  REQUIRE(later.ok());
  CHECK(!later->has_value());
  Result<std::optional<CompactionSpec>> free_run =
      resolve(Request({SortedRunSource(5)}, 5), {run_running});
  REQUIRE(free_run.ok());
  CHECK(free_run->has_value());
}

TEST_CASE("requested compactions name a tree; a Full request plans each tree's runs",
          "[compaction]") {
  Manifest m;
  m.l0 = {L0("root-l0")};
  m.sorted_runs = {Run(3), Run(1)};
  Segment seg;
  seg.prefix = "s1";
  seg.l0 = {L0("s-b"), L0("s-a")};
  seg.sorted_runs = {Run(7), Run(4), Run(2)};
  Segment empty;
  empty.prefix = "s2";
  empty.l0 = {L0("e-a")};
  m.segments = {seg, empty};

  // A segment's request resolves against that segment's tree and keeps its name.
  CompactionRequestSpec in_segment = Request({SortedRunSource(4), SortedRunSource(2)}, 2);
  in_segment.segment = "s1";
  Result<std::optional<CompactionSpec>> r = ResolveRequestedCompaction(m, in_segment, {});
  REQUIRE(r.ok());
  REQUIRE(r->has_value());
  CHECK((*r)->segment == "s1");
  CHECK((*r)->run_ids == std::vector<uint32_t>{4, 2});
  // The root tree's runs are not in the segment's tree, and the reverse.
  CompactionRequestSpec wrong_tree = Request({SortedRunSource(3)}, 3);
  wrong_tree.segment = "s1";
  CHECK(ResolveRequestedCompaction(m, wrong_tree, {}).status().message().find("does not exist") !=
        std::string::npos);
  CHECK(ResolveRequestedCompaction(m, Request({SortedRunSource(4)}, 4), {})
            .status()
            .message()
            .find("does not exist") != std::string::npos);
  // An unknown segment; a segment's L0 into a new run above every tree's runs.
  CompactionRequestSpec unknown = Request({SortedRunSource(4)}, 4);
  unknown.segment = "zz";
  CHECK(ResolveRequestedCompaction(m, unknown, {}).status().code() == StatusCode::kInvalid);
  CompactionRequestSpec seg_l0 = Request({Sst("s-a")}, 5);
  seg_l0.segment = "s1";
  CHECK(ResolveRequestedCompaction(m, seg_l0, {}).status().message().find("above 7") !=
        std::string::npos);
  seg_l0.destination = 8;
  // Another tree's L0 compaction does not hold it back; one of the same tree does.
  CompactionSpec root_l0;
  root_l0.l0_ids = {"root-l0"};
  root_l0.destination = 9;
  r = ResolveRequestedCompaction(m, seg_l0, {root_l0});
  REQUIRE(r.ok());
  CHECK(r->has_value());
  CompactionSpec seg_l0_running;
  seg_l0_running.l0_ids = {"s-a"};
  seg_l0_running.segment = "s1";
  seg_l0_running.destination = 10;
  r = ResolveRequestedCompaction(m, seg_l0, {seg_l0_running});
  REQUIRE(r.ok());
  CHECK(!r->has_value());

  // "Full": every tree with runs, all its runs into its lowest; L0 left out; s2 skipped.
  Result<std::vector<CompactionRequestSpec>> full = PlanFullCompaction(m, std::nullopt);
  REQUIRE(full.ok());
  REQUIRE(full->size() == 2);
  CHECK((*full)[0].segment.empty());
  CHECK((*full)[0].destination == 1);
  CHECK((*full)[0].sources.size() == 2);
  CHECK((*full)[1].segment == "s1");
  CHECK((*full)[1].destination == 2);
  CHECK((*full)[1].sources.size() == 3);
  for (const CompactionRequestSpec& spec : *full) {
    for (const CompactionSource& source : spec.sources) {
      CHECK(source.kind == CompactionSource::Kind::kSortedRun);
    }
    // Each planned spec is one the compactor accepts.
    Result<std::optional<CompactionSpec>> ok = ResolveRequestedCompaction(m, spec, {});
    REQUIRE(ok.ok());
    CHECK(ok->has_value());
  }
  // "FullSegment": one tree; Invalid for an unknown tree or one without runs.
  Result<std::vector<CompactionRequestSpec>> one = PlanFullCompaction(m, std::string("s1"));
  REQUIRE(one.ok());
  REQUIRE(one->size() == 1);
  CHECK((*one)[0].destination == 2);
  CHECK(PlanFullCompaction(m, std::string("s2")).status().code() == StatusCode::kInvalid);
  CHECK(PlanFullCompaction(m, std::string("nope")).status().code() == StatusCode::kInvalid);
  Manifest no_runs;
  no_runs.l0 = {L0("x")};
  Result<std::vector<CompactionRequestSpec>> none = PlanFullCompaction(no_runs, std::nullopt);
  REQUIRE(none.ok());
  CHECK(none->empty());
}

Settings RequestSettings() {
  Settings s = SmallSettings();
  // The scheduler would pick at 8 L0 SSTs; the tests stay below, so only requests compact.
  s.compaction_min_sources = 8;
  s.compaction_max_sources = 8;
  s.l0_max_ssts = 16;
  s.compaction_request_poll_ms = 20;
  s.gc_enabled = false;
  return s;
}

nlohmann::json Manifest(Admin& admin) {
  Result<std::optional<std::string>> m = BlockOn(admin.ReadManifest(std::nullopt));
  REQUIRE(m.status().ToString() == "OK");
  REQUIRE(m->has_value());
  return nlohmann::json::parse(**m)[1];
}

std::vector<std::string> L0Ids(Admin& admin) {
  std::vector<std::string> ids;
  const nlohmann::json manifest = Manifest(admin);
  for (const auto& ref : manifest["l0"]) ids.push_back(ref["id"]);
  return ids;
}

// Polls the request until it leaves Submitted/Running (10 s at most).
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
  return nlohmann::json::parse(*r)["id"];
}

void WriteL0(Db& db, int round) {
  for (int i = 0; i < 50; ++i) {
    std::string key = "k" + std::to_string(1000 + i);
    REQUIRE(BlockOn(db.Put(key, "r" + std::to_string(round))).ok());
  }
  REQUIRE(BlockOn(db.Put("only" + std::to_string(round), "x")).ok());
  REQUIRE(BlockOn(db.Flush(FlushType::kMemTable)).ok());
}

TEST_CASE("the writer's compactor runs submitted compaction requests", "[compaction][admin]") {
  ThreadedDbEnv env;
  auto db = env.Open(RequestSettings());
  auto admin = env.OpenAdmin();
  for (int round = 0; round < 3; ++round) WriteL0(*db, round);
  std::vector<std::string> l0 = L0Ids(*admin);
  REQUIRE(l0.size() == 3);

  // All three L0 SSTs into a new run 1.
  std::string id = SubmitOk(*admin, Request({Sst(l0[0]), Sst(l0[1]), Sst(l0[2])}, 1));
  nlohmann::json done = WaitFinished(*admin, id);
  REQUIRE(done["status"] == "Completed");
  CHECK(done["bytes_processed"].get<uint64_t>() > 0);
  REQUIRE(!done["output_ssts"].empty());
  nlohmann::json m = Manifest(*admin);
  CHECK(m["l0"].empty());
  REQUIRE(m["sorted_runs"].size() == 1);
  CHECK(m["sorted_runs"][0]["id"] == 1);
  std::vector<std::string> run_ssts;
  for (const auto& ref : m["sorted_runs"][0]["ssts"]) run_ssts.push_back(ref["id"]);
  CHECK(done["output_ssts"] == nlohmann::json(run_ssts));
  CHECK(GetOrFail(*db, "k1000") == "r2");
  CHECK(GetOrFail(*db, "only0") == "x");
  CHECK(db->Metrics().at("compaction/completed") >= 1);

  // Requests that can never run fail; the database is untouched. (The reason is not
  // stored: the format's compactions file has no place for it.)
  for (int round = 3; round < 5; ++round) WriteL0(*db, round);
  l0 = L0Ids(*admin);
  REQUIRE(l0.size() == 2);
  nlohmann::json newest_only = WaitFinished(*admin, SubmitOk(*admin, Request({Sst(l0[0])}, 2)));
  CHECK(newest_only["status"] == "Failed");
  nlohmann::json missing = WaitFinished(*admin, SubmitOk(*admin, Request({SortedRunSource(9)}, 9)));
  CHECK(missing["status"] == "Failed");
  CHECK(L0Ids(*admin) == l0);

  // L0 and run 1 together, into run 1; then the state records the compactor's epoch.
  std::string both = SubmitOk(*admin, Request({Sst(l0[0]), Sst(l0[1]), SortedRunSource(1)}, 1));
  REQUIRE(WaitFinished(*admin, both)["status"] == "Completed");
  m = Manifest(*admin);
  CHECK(m["l0"].empty());
  REQUIRE(m["sorted_runs"].size() == 1);
  CHECK(GetOrFail(*db, "k1049") == "r4");
  CHECK(GetOrFail(*db, "only3") == "x");
  CHECK(ScanAll(*db, "", "").size() == 55);
  nlohmann::json state = nlohmann::json::parse(**BlockOn(admin->ReadCompactions(std::nullopt)));
  CHECK(state[1]["compactor_epoch"].get<uint64_t>() >= 1);
  REQUIRE(BlockOn(db->Close()).ok());
}

TEST_CASE("a Full request merges every sorted run into the lowest", "[compaction][admin]") {
  ThreadedDbEnv env;
  auto db = env.Open(RequestSettings());
  auto admin = env.OpenAdmin();
  // Three runs: each round's L0 SST compacted into a run of its own.
  for (uint32_t run = 1; run <= 3; ++run) {
    WriteL0(*db, static_cast<int>(run));
    std::vector<std::string> l0 = L0Ids(*admin);
    REQUIRE(l0.size() == 1);
    REQUIRE(WaitFinished(*admin, SubmitOk(*admin, Request({Sst(l0[0])}, run)))["status"] ==
            "Completed");
  }
  WriteL0(*db, 4);  // stays in L0: a Full request leaves L0 alone
  REQUIRE(Manifest(*admin)["sorted_runs"].size() == 3);
  Result<std::vector<CompactionRequestSpec>> plan =
      BlockOn(admin->PlanFullCompaction(std::nullopt));
  REQUIRE(plan.ok());
  REQUIRE(plan->size() == 1);
  CHECK((*plan)[0].destination == 1);
  REQUIRE(WaitFinished(*admin, SubmitOk(*admin, (*plan)[0]))["status"] == "Completed");
  nlohmann::json m = Manifest(*admin);
  REQUIRE(m["sorted_runs"].size() == 1);
  CHECK(m["sorted_runs"][0]["id"] == 1);
  CHECK(m["l0"].size() == 1);
  CHECK(GetOrFail(*db, "k1000") == "r4");
  for (int round = 1; round <= 4; ++round) {
    CHECK(GetOrFail(*db, "only" + std::to_string(round)) == "x");
  }
  REQUIRE(BlockOn(db->Close()).ok());
  // With no database there is nothing to plan.
  ThreadedDbEnv empty;
  CHECK(BlockOn(empty.OpenAdmin()->PlanFullCompaction(std::nullopt)).status().code() ==
        StatusCode::kData);
}

TEST_CASE("a request left Running by a stopped compactor runs again", "[compaction][admin]") {
  ThreadedDbEnv env;
  Settings s = RequestSettings();
  s.compaction_request_poll_ms = 0;  // this open never looks at requests
  auto db = env.Open(s);
  auto admin = env.OpenAdmin();
  for (int round = 0; round < 2; ++round) WriteL0(*db, round);
  std::vector<std::string> l0 = L0Ids(*admin);
  std::string id = SubmitOk(*admin, Request({Sst(l0[0]), Sst(l0[1])}, 1));
  REQUIRE(BlockOn(db->Close()).ok());

  // What a compactor that crashed mid-run leaves: the request marked Running.
  StoreClient client(env.store, env.executor, env.clock, RetryPolicy{.max_retries = 2}, 1);
  CompactionsStore store(&client, DbPaths("db"));
  CompactionsStore::EditFn mark = [&](CompactionsState& state) {
    for (CompactionRecord& r : state.recent_compactions) r.status = CompactionStatus::kRunning;
    state.compactor_epoch = 1;
    return Status::Ok();
  };
  REQUIRE(BlockOn(store.EditLatest(mark)).status().ToString() == "OK");
  CHECK(nlohmann::json::parse(**BlockOn(admin->ReadCompaction(id, std::nullopt)))["status"] ==
        "Running");

  db = env.Open(RequestSettings());
  nlohmann::json done = WaitFinished(*admin, id);
  CHECK(done["status"] == "Completed");
  CHECK(Manifest(*admin)["l0"].empty());
  CHECK(GetOrFail(*db, "k1000") == "r1");
  REQUIRE(BlockOn(db->Close()).ok());
}

}  // namespace
}  // namespace slatedb::testing
