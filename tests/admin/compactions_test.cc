// SPDX-License-Identifier: Apache-2.0
//
// Admin compaction requests: submitted, listed and read back from the sequenced
// compaction-state objects; spec validation; no request lost when two Admins race.
#include <nlohmann/json.hpp>

#include <thread>

#include "manifest/compactions_store.h"
#include "tests/db/db_test_util.h"
#include "testutil/sync_object_store.h"

namespace slatedb::testing {
namespace {

CompactionRequestSpec RunsInto(std::vector<uint32_t> runs, uint32_t destination) {
  CompactionRequestSpec spec;
  for (uint32_t r : runs) spec.sources.push_back(CompactionSource::SortedRun(r));
  spec.destination = destination;
  return spec;
}

nlohmann::json Submit(Admin& admin, CompactionRequestSpec spec) {
  Result<std::string> r = BlockOn(admin.SubmitCompaction(std::move(spec)));
  REQUIRE(r.status().ToString() == "OK");
  return nlohmann::json::parse(*r);
}

TEST_CASE("admin submits, lists and reads back compaction requests", "[admin][compactions]") {
  ThreadedDbEnv env;
  auto admin = env.OpenAdmin();
  // Nothing recorded yet: not an error.
  Result<std::optional<std::string>> none = BlockOn(admin->ReadCompactions(std::nullopt));
  REQUIRE(none.ok());
  CHECK(!none->has_value());
  CHECK(*BlockOn(admin->ListCompactions(std::nullopt, std::nullopt)) == "[]");

  nlohmann::json first = Submit(*admin, RunsInto({3}, 3));
  CHECK(first["id"].get<std::string>().size() == 26);
  CHECK(first["spec"] == nlohmann::json::parse(R"({"sources":[{"SortedRun":3}],"destination":3})"));
  CHECK(first["bytes_processed"] == 0);
  CHECK(first["status"] == "Submitted");
  CHECK(first["output_ssts"] == nlohmann::json::array());

  CompactionRequestSpec mixed = RunsInto({5, 4}, 4);
  mixed.sources.push_back(CompactionSource::Sst("01ARZ3NDEKTSV4RRFFQ69G5FAV"));
  nlohmann::json second = Submit(*admin, mixed);
  CHECK(second["id"] != first["id"]);
  CHECK(second["id"].get<std::string>() > first["id"].get<std::string>());  // ULID order
  CHECK(second["spec"]["sources"][2] ==
        nlohmann::json::parse(R"({"SstView":"01ARZ3NDEKTSV4RRFFQ69G5FAV"})"));

  // Each submit is one new version of the state.
  nlohmann::json listed =
      nlohmann::json::parse(*BlockOn(admin->ListCompactions(std::nullopt, std::nullopt)));
  REQUIRE(listed.size() == 2);
  CHECK(listed[0]["id"] == 1);
  CHECK(listed[1]["id"] == 2);
  CHECK(listed[0]["location"] == "db/compactions/00000000000000000001.compactions");
  CHECK(listed[1]["size"].get<uint64_t>() > 0);
  CHECK(nlohmann::json::parse(*BlockOn(admin->ListCompactions(2, std::nullopt))).size() == 1);
  CHECK(nlohmann::json::parse(*BlockOn(admin->ListCompactions(1, 2)))[0]["id"] == 1);

  Result<std::optional<std::string>> latest = BlockOn(admin->ReadCompactions(std::nullopt));
  REQUIRE(latest.ok());
  REQUIRE(latest->has_value());
  nlohmann::json state = nlohmann::json::parse(**latest);
  CHECK(state[0] == 2);
  CHECK(state[1]["compactor_epoch"] == 0);
  nlohmann::json recent = state[1]["core"]["recent_compactions"];
  REQUIRE(recent.size() == 2);
  CHECK(recent[0] == first);
  CHECK(recent[1] == second);
  nlohmann::json v1 = nlohmann::json::parse(**BlockOn(admin->ReadCompactions(1)));
  CHECK(v1[1]["core"]["recent_compactions"].size() == 1);
  CHECK(!BlockOn(admin->ReadCompactions(99))->has_value());

  // One compaction, from the latest state or a given version.
  std::string id1 = first["id"];
  std::string id2 = second["id"];
  CHECK(nlohmann::json::parse(**BlockOn(admin->ReadCompaction(id1, std::nullopt))) == first);
  CHECK(nlohmann::json::parse(**BlockOn(admin->ReadCompaction(id2, std::nullopt))) == second);
  CHECK(!BlockOn(admin->ReadCompaction(id2, 1))->has_value());  // not yet in version 1
  CHECK(BlockOn(admin->ReadCompaction(id1, 1))->has_value());
  CHECK(!BlockOn(admin->ReadCompaction("01ARZ3NDEKTSV4RRFFQ69G5FAV", std::nullopt))->has_value());
  CHECK(!BlockOn(admin->ReadCompaction(id1, 99))->has_value());

  // Another Admin on the same path sees them.
  CHECK(BlockOn(env.OpenAdmin()->ReadCompaction(id1, std::nullopt))->has_value());
  // Another database's state is separate.
  CHECK(!BlockOn(env.OpenAdmin("other")->ReadCompactions(std::nullopt))->has_value());
}

TEST_CASE("admin compaction requests: bad specs and ids are Invalid", "[admin][compactions]") {
  ThreadedDbEnv env;
  auto admin = env.OpenAdmin();
  auto code = [&](CompactionRequestSpec spec) {
    return BlockOn(admin->SubmitCompaction(std::move(spec))).status().code();
  };
  CHECK(code(RunsInto({}, 0)) == StatusCode::kInvalid);
  CHECK(code(RunsInto({2, 2}, 2)) == StatusCode::kInvalid);
  CompactionRequestSpec bad_sst;
  bad_sst.sources.push_back(CompactionSource::Sst("not-a-ulid"));
  CHECK(code(bad_sst) == StatusCode::kInvalid);
  CompactionRequestSpec twice;
  twice.sources.push_back(CompactionSource::Sst("01ARZ3NDEKTSV4RRFFQ69G5FAV"));
  twice.sources.push_back(CompactionSource::Sst("01ARZ3NDEKTSV4RRFFQ69G5FAV"));
  CHECK(code(twice) == StatusCode::kInvalid);
  // Nothing was recorded.
  CHECK(*BlockOn(admin->ListCompactions(std::nullopt, std::nullopt)) == "[]");

  CHECK(BlockOn(admin->ReadCompaction("bogus", std::nullopt)).status().code() ==
        StatusCode::kInvalid);
  CHECK(BlockOn(admin->ReadCompaction("", std::nullopt)).status().code() == StatusCode::kInvalid);

  // A corrupt state object is Data, not a crash.
  SyncObjectStore sync(env.store);
  REQUIRE(sync.Put("db/compactions/00000000000000000001.compactions", "{nope").ok());
  CHECK(BlockOn(admin->ReadCompactions(std::nullopt)).status().code() == StatusCode::kData);
  CHECK(BlockOn(admin->SubmitCompaction(RunsInto({1}, 1))).status().code() == StatusCode::kData);
}

TEST_CASE("concurrent submits from two Admins are all recorded", "[admin][compactions]") {
  ThreadedDbEnv env;
  auto a = env.OpenAdmin();
  auto b = env.OpenAdmin();
  constexpr int kEach = 15;
  std::vector<std::string> ids[2];
  auto run = [&](Admin* admin, std::vector<std::string>* out, uint32_t base) {
    for (int i = 0; i < kEach; ++i) {
      Result<std::string> r = BlockOn(admin->SubmitCompaction(RunsInto({base + i}, base + i)));
      if (r.ok()) out->push_back(nlohmann::json::parse(*r)["id"]);
    }
  };
  std::thread ta(run, a.get(), &ids[0], 0);
  std::thread tb(run, b.get(), &ids[1], 1000);
  ta.join();
  tb.join();
  REQUIRE(ids[0].size() == kEach);
  REQUIRE(ids[1].size() == kEach);
  nlohmann::json state = nlohmann::json::parse(**BlockOn(a->ReadCompactions(std::nullopt)));
  CHECK(state[0] == 2 * kEach);  // one version per submit, none overwritten
  nlohmann::json recent = state[1]["core"]["recent_compactions"];
  REQUIRE(recent.size() == 2 * kEach);
  for (const auto& list : ids) {
    for (const std::string& id : list) {
      CHECK(BlockOn(b->ReadCompaction(id, std::nullopt))->has_value());
    }
  }
}

TEST_CASE("garbage collection of compaction-state objects", "[admin][compactions][gc]") {
  ThreadedDbEnv env;
  env.store = std::make_shared<MemoryObjectStore>(env.clock);  // real ages
  auto db = env.Open();
  REQUIRE(BlockOn(db->Put("a", "1")).ok());
  REQUIRE(BlockOn(db->Flush(FlushType::kMemTable)).ok());
  auto admin = env.OpenAdmin();
  std::vector<std::string> ids;
  for (uint32_t run = 0; run < 3; ++run) ids.push_back(Submit(*admin, RunsInto({run}, run))["id"]);
  auto listed = [&] {
    return nlohmann::json::parse(*BlockOn(admin->ListCompactions(std::nullopt, std::nullopt)));
  };

  // Other directories collected, compactions/ not asked for: untouched.
  AdminGcOptions gc;
  gc.manifest.min_age_ms = 0;
  gc.wal.min_age_ms = 0;
  gc.compacted.min_age_ms = 0;
  REQUIRE(BlockOn(admin->RunGcOnce(gc)).ok());
  CHECK(listed().size() == 3);
  // Too young: kept.
  gc.compactions.min_age_ms = 3'600'000;
  REQUIRE(BlockOn(admin->RunGcOnce(gc)).ok());
  CHECK(listed().size() == 3);
  // Old enough: all but the newest go, and it still holds every request.
  gc.compactions.min_age_ms = 0;
  REQUIRE(BlockOn(admin->RunGcOnce(gc)).ok());
  nlohmann::json left = listed();
  REQUIRE(left.size() == 1);
  CHECK(left[0]["id"] == 3);
  for (const std::string& id : ids) {
    CHECK(BlockOn(admin->ReadCompaction(id, std::nullopt))->has_value());
  }
  CHECK(!BlockOn(admin->ReadCompactions(1))->has_value());
  // Submitting continues from the newest version.
  Submit(*admin, RunsInto({9}, 9));
  CHECK(nlohmann::json::parse(**BlockOn(admin->ReadCompactions(std::nullopt)))[0] == 4);

  AdminGcOptions bad;
  bad.compactions.interval_ms = 10;  // run-once needs a minimum age
  CHECK(BlockOn(admin->RunGcOnce(bad)).code() == StatusCode::kInvalid);
  CHECK(BlockOn(db->Get("a"))->has_value());
  REQUIRE(BlockOn(db->Close()).ok());
}

}  // namespace
}  // namespace slatedb::testing
