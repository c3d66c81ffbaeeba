// SPDX-License-Identifier: Apache-2.0
//
// Clones of several sources and of key ranges (Admin::CreateClone(std::vector<CloneSource>)):
// the union reads every source, a projection hides what lies outside it (point reads and
// scans), each source is pinned, the clone is an ordinary writable database, and the requests
// upstream refuses are refused with clear errors.
#include "tests/db/db_test_util.h"
#include "testutil/sync_object_store.h"

namespace slatedb::testing {
namespace {

// A database at `path` holding `keys` (value "v-<key>"), all in L0: no WAL beyond its SSTs.
void MakeSource(const ThreadedDbEnv& env, const std::string& path,
                const std::vector<std::string>& keys) {
  Result<std::shared_ptr<Db>> db = BlockOn(Db::Open(env.Options(SmallSettings(), path)));
  REQUIRE(db.ok());
  for (const std::string& k : keys) REQUIRE(BlockOn((*db)->Put(k, "v-" + k)).ok());
  REQUIRE(BlockOn((*db)->Flush(FlushType::kMemTable)).ok());
  REQUIRE(BlockOn((*db)->Close()).ok());
}

CloneSource Source(std::string path, std::optional<std::string> start = std::nullopt,
                   std::optional<std::string> end = std::nullopt) {
  CloneSource s;
  s.path = std::move(path);
  if (start || end) s.projection = CloneSource::Range{start, true, end, false};
  return s;
}

std::vector<std::string> ScanKeys(Db& db) {
  std::vector<std::string> out;
  for (const KeyValue& kv : DrainIterator(BlockOn(db.Scan("", "")))) out.push_back(kv.key);
  return out;
}

TEST_CASE("a clone of three databases reads all of them and is pinned in each", "[clone]") {
  ThreadedDbEnv env;
  MakeSource(env, "s1", {"a1", "a2"});
  MakeSource(env, "s2", {"b1"});
  MakeSource(env, "s3", {"c1", "c2"});
  auto admin = env.OpenAdmin("clone");
  std::vector<CloneSource> sources = {Source("s2"), Source("s1"), Source("s3")};
  REQUIRE(BlockOn(admin->CreateClone(sources)).ok());
  REQUIRE(BlockOn(admin->CreateClone(sources)).ok());  // idempotent

  Result<std::optional<ManifestView>> view = BlockOn(admin->ReadManifestView(std::nullopt));
  REQUIRE(view.ok());
  REQUIRE((*view)->external_dbs.size() == 3);
  CHECK((*view)->external_dbs[0].path == "s1");  // in key order
  CHECK((*view)->external_dbs[2].path == "s3");
  for (const ExternalDbSummary& e : (*view)->external_dbs) {
    std::vector<CheckpointInfo> pins =
        *BlockOn(env.OpenAdmin(e.path)->ListCheckpoints(std::nullopt));
    bool pinned = false;
    for (const CheckpointInfo& c : pins)
      pinned |= c.id == e.final_checkpoint_id && !c.expire_time_ms;
    CHECK(pinned);
  }

  Result<std::shared_ptr<Db>> clone = BlockOn(Db::Open(env.Options(SmallSettings(), "clone")));
  REQUIRE(clone.ok());
  CHECK(ScanKeys(**clone) == std::vector<std::string>{"a1", "a2", "b1", "c1", "c2"});
  CHECK(GetOrFail(**clone, "b1") == "v-b1");
  // Writable; sequence numbers continue after the sources'.
  REQUIRE(BlockOn((*clone)->Put("b1", "new")).ok());
  REQUIRE(BlockOn((*clone)->Flush(FlushType::kMemTable)).ok());
  CHECK(GetOrFail(**clone, "b1") == "new");
  REQUIRE(BlockOn((*clone)->Close()).ok());
}

TEST_CASE("a projected clone hides the keys outside its range", "[clone]") {
  ThreadedDbEnv env;
  MakeSource(env, "parent", {"a", "b"});
  MakeSource(env, "extra", {"p", "q"});
  {  // a second L0 in the parent: the projection narrows each view
    Result<std::shared_ptr<Db>> db = BlockOn(Db::Open(env.Options(SmallSettings(), "parent")));
    REQUIRE(db.ok());
    for (std::string k : {"k", "m", "z"}) REQUIRE(BlockOn((*db)->Put(k, "v-" + k)).ok());
    REQUIRE(BlockOn((*db)->Flush(FlushType::kMemTable)).ok());
    REQUIRE(BlockOn((*db)->Close()).ok());
  }
  auto admin = env.OpenAdmin("child");
  REQUIRE(BlockOn(admin->CreateClone({Source("parent", "b", "m")})).ok());
  Result<std::shared_ptr<Db>> child = BlockOn(Db::Open(env.Options(SmallSettings(), "child")));
  REQUIRE(child.ok());
  CHECK(ScanKeys(**child) == std::vector<std::string>{"b", "k"});
  CHECK(BlockOn((*child)->Get("a"))->has_value() == false);
  CHECK(BlockOn((*child)->Get("m"))->has_value() == false);
  CHECK(BlockOn((*child)->Get("z"))->has_value() == false);
  CHECK(GetOrFail(**child, "k") == "v-k");
  // New writes anywhere are visible; the hidden old rows stay hidden after compaction.
  REQUIRE(BlockOn((*child)->Put("zz", "new")).ok());
  REQUIRE(BlockOn((*child)->Flush(FlushType::kMemTable)).ok());
  CHECK(ScanKeys(**child) == std::vector<std::string>{"b", "k", "zz"});
  REQUIRE(BlockOn((*child)->Close()).ok());

  // A projection and a second source; a source projected to nothing is left out.
  auto union_admin = env.OpenAdmin("union");
  MakeSource(env, "far", {"f1"});
  REQUIRE(BlockOn(union_admin->CreateClone({Source("parent", std::nullopt, "c"),
                                            Source("extra", "p"), Source("far", "x", "y")}))
              .ok());
  Result<std::optional<ManifestView>> view = BlockOn(union_admin->ReadManifestView(std::nullopt));
  REQUIRE(view.ok());
  CHECK((*view)->external_dbs.size() == 2);  // "far" shows nothing in [x, y)
  Result<std::shared_ptr<Db>> u = BlockOn(Db::Open(env.Options(SmallSettings(), "union")));
  REQUIRE(u.ok());
  CHECK(ScanKeys(**u) == std::vector<std::string>{"a", "b", "p", "q"});
  REQUIRE(BlockOn((*u)->Close()).ok());
}

TEST_CASE("union and projection requests upstream refuses are refused", "[clone]") {
  ThreadedDbEnv env;
  MakeSource(env, "n1", {"a1", "x"});
  MakeSource(env, "n2", {"b1", "c"});
  auto admin = env.OpenAdmin("clone");
  auto code = [&](std::vector<CloneSource> s) { return BlockOn(admin->CreateClone(std::move(s))); };
  Status overlap = code({Source("n1"), Source("n2")});
  CHECK(overlap.code() == StatusCode::kInvalid);
  CHECK(overlap.message().find("overlapping") != std::string::npos);
  CHECK(overlap.message().find("[a1, x]") != std::string::npos);
  Status projected_overlap = code({Source("n1", "a", "c"), Source("n2", "b", "d")});
  CHECK(projected_overlap.code() == StatusCode::kInvalid);
  {  // A writer with rows only in its WAL: the source's new checkpoint covers them.
    Result<std::shared_ptr<Db>> live = BlockOn(Db::Open(env.Options(SmallSettings(), "live")));
    REQUIRE(live.ok());
    REQUIRE(BlockOn((*live)->Put("w", "1")).ok());
    Status wal = code({Source("n1", "a", "b"), Source("live", "v")});
    CHECK(wal.code() == StatusCode::kInvalid);
    CHECK(wal.message().find("sources with WAL: [live]") != std::string::npos);
    REQUIRE(BlockOn((*live)->Close()).ok());
  }
  CHECK(code({Source("n1"), Source("n1")}).message().find("must be unique") != std::string::npos);
  CHECK(code({Source("clone"), Source("n2")}).code() == StatusCode::kInvalid);
  CHECK(code({Source("n1", "b", "b")}).code() == StatusCode::kInvalid);  // empty projection
  CHECK(code({}).code() == StatusCode::kInvalid);
  CloneSource bad_checkpoint = Source("n1", "a", "b");
  bad_checkpoint.checkpoint = "nope";
  CHECK(code({bad_checkpoint}).code() == StatusCode::kInvalid);
  CHECK(code({Source("missing", "a", "b")}).code() == StatusCode::kData);
  // Nothing was created by the refusals; projections that do not overlap are fine.
  CHECK(!BlockOn(admin->ReadManifest(std::nullopt))->has_value());
  REQUIRE(code({Source("n1", "a", "b"), Source("n2", "b", "c")}).ok());
}

}  // namespace
}  // namespace slatedb::testing
