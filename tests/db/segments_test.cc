// SPDX-License-Identifier: Apache-2.0
//
// Segments (DbOptions::segment_extractor, upstream 0.17): writes are checked against the
// extractor, each flush writes one L0 SST per segment into that segment's tree, compaction
// stays within a tree, reads route by the manifest's segments (writer, reader, after
// reopen), and opens with another extractor (or none) are refused with upstream's texts.
#include <chrono>
#include <map>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "manifest/manifest.h"
#include "manifest/segment_set.h"
#include "store/paths.h"
#include "tests/db/db_test_util.h"
#include "testutil/sync_object_store.h"

namespace slatedb::testing {
namespace {

// Keys of 3 bytes or more: the first 3 bytes. With `nest`, a key whose 4th byte is '!' gets
// 4 (which breaks the extractor's contract: used to check the antichain rule).
class FixedExtractor final : public PrefixExtractor {
 public:
  explicit FixedExtractor(std::string name = "three", size_t len = 3, bool nest = false)
      : name_(std::move(name)), len_(len), nest_(nest) {}
  std::string Name() const override { return name_; }
  Result<std::optional<size_t>> PrefixLen(std::string_view data, bool) const override {
    if (nest_ && data.size() >= 4 && data[3] == '!') return std::optional<size_t>(4);
    if (data.size() < len_) return std::optional<size_t>();
    return std::optional<size_t>(len_);
  }

 private:
  std::string name_;
  size_t len_;
  bool nest_;
};

Manifest LatestManifest(ThreadedDbEnv& env) {
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

DbOptions Segmented(ThreadedDbEnv& env, std::shared_ptr<const PrefixExtractor> extractor,
                    Settings settings = SmallSettings()) {
  DbOptions o = env.Options(settings);
  o.segment_extractor = std::move(extractor);
  return o;
}

std::string Key(const std::string& segment, int i) {
  char buf[16];
  std::snprintf(buf, sizeof(buf), "-%04d", i);
  return segment + buf;
}

TEST_CASE("segments: writes are checked, listed, flushed per segment and read back", "[db]") {
  ThreadedDbEnv env;
  auto extractor = std::make_shared<FixedExtractor>();
  Result<std::shared_ptr<Db>> opened = BlockOn(Db::Open(Segmented(env, extractor)));
  REQUIRE(opened.status().ToString() == "OK");
  Db& db = **opened;
  CHECK(db.Segments().empty());
  REQUIRE(BlockOn(db.Put("bbb1", "v1")).ok());
  REQUIRE(BlockOn(db.Put("aaa1", "v2")).ok());
  REQUIRE(BlockOn(db.Put("aaa2", "v3")).ok());
  CHECK(db.Segments() == std::vector<std::string>{"aaa", "bbb"});

  Result<WriteHandle> short_key = BlockOn(db.Put("xy", "v"));
  REQUIRE(short_key.status().kind() == ErrorKind::kInvalid);
  CHECK(short_key.status().message() ==
        "segment extractor produced an empty prefix for key b\"xy\"");
  // A batch with one bad key writes nothing.
  WriteBatch batch;
  batch.Put("ccc1", "v");
  batch.Put("zz", "v");
  CHECK(BlockOn(db.Write(std::move(batch))).status().kind() == ErrorKind::kInvalid);
  CHECK(GetOrFail(db, "ccc1") == std::nullopt);
  CHECK(db.Segments() == std::vector<std::string>{"aaa", "bbb"});

  REQUIRE(BlockOn(db.Flush(FlushType::kMemTable)).ok());
  CHECK(db.Segments() == std::vector<std::string>{"aaa", "bbb"});
  Manifest m = LatestManifest(env);
  CHECK(m.segment_extractor_name == std::optional<std::string>("three"));
  CHECK(m.l0.empty());
  REQUIRE(m.segments.size() == 2);
  CHECK(m.segments[0].prefix == "aaa");
  CHECK(m.segments[1].prefix == "bbb");
  CHECK(m.segments[0].l0.size() == 1);
  CHECK(m.segments[1].l0.size() == 1);
  CHECK(m.segments[0].l0[0].info.first_entry == "aaa1");
  CHECK(m.segments[0].l0[0].info.last_entry == "aaa2");

  CHECK(GetOrFail(db, "aaa1") == "v2");
  CHECK(GetOrFail(db, "bbb1") == "v1");
  CHECK(GetOrFail(db, "bbb2") == std::nullopt);
  std::vector<std::pair<std::string, std::string>> rows;
  for (const KeyValue& kv : ScanAll(db, "", "")) rows.push_back(KeyAndValue(kv));
  CHECK(rows == std::vector<std::pair<std::string, std::string>>{
                    {"aaa1", "v2"}, {"aaa2", "v3"}, {"bbb1", "v1"}});
  rows.clear();
  for (const KeyValue& kv : ScanAll(db, "aaa2", "bbb")) rows.push_back(KeyAndValue(kv));
  CHECK(rows == std::vector<std::pair<std::string, std::string>>{{"aaa2", "v3"}});
  ScanOptions reverse;
  reverse.order = IterationOrder::kDescending;
  std::vector<std::string> keys;
  for (const KeyValue& kv : DrainIterator(BlockOn(db.Scan("", "", reverse)))) {
    keys.push_back(kv.key);
  }
  CHECK(keys == std::vector<std::string>{"bbb1", "aaa2", "aaa1"});
  REQUIRE(BlockOn(db.Close()).ok());
}

TEST_CASE("segments: a prefix may not nest with a live one", "[db]") {
  ThreadedDbEnv env;
  auto extractor = std::make_shared<FixedExtractor>("nesting", 3, true);
  Result<std::shared_ptr<Db>> opened = BlockOn(Db::Open(Segmented(env, extractor)));
  REQUIRE(opened.ok());
  Db& db = **opened;
  REQUIRE(BlockOn(db.Put("abc1", "v")).ok());
  Result<WriteHandle> nested = BlockOn(db.Put("abc!1", "v"));
  REQUIRE(nested.status().kind() == ErrorKind::kInvalid);
  CHECK(nested.status().message() ==
        "segment prefix b\"abc!\" would nest with existing segment b\"abc\"");
  CHECK(db.Segments() == std::vector<std::string>{"abc"});
  REQUIRE(BlockOn(db.Close()).ok());
}

TEST_CASE("segments: compaction keeps each segment's tree apart", "[db][compaction]") {
  ThreadedDbEnv env;
  Settings settings = SmallSettings();
  settings.compaction_min_sources = 2;
  settings.compaction_max_sources = 4;
  settings.l0_max_ssts = 4;
  auto extractor = std::make_shared<FixedExtractor>();
  std::map<std::string, std::string> model;
  {
    Result<std::shared_ptr<Db>> opened = BlockOn(Db::Open(Segmented(env, extractor, settings)));
    REQUIRE(opened.ok());
    Db& db = **opened;
    const std::vector<std::string> segments = {"s00", "s01", "s02"};
    for (int round = 0; round < 8; ++round) {
      for (int i = 0; i < 30; ++i) {
        const std::string& seg = segments[(i + round) % segments.size()];
        const std::string key = Key(seg, i % 10);
        const std::string value = "r" + std::to_string(round) + "-" + std::to_string(i);
        REQUIRE(BlockOn(db.Put(key, value)).ok());
        model[key] = value;
      }
      if (round % 3 == 2 || round == 7) {
        REQUIRE(BlockOn(db.Delete(Key("s01", 3))).ok());
        model.erase(Key("s01", 3));
      }
      REQUIRE(BlockOn(db.Flush(FlushType::kMemTable)).ok());
    }
    // Compactions run in the background: wait until every segment has a sorted run.
    for (int wait = 0; wait < 500; ++wait) {
      Manifest m = LatestManifest(env);
      bool all = m.segments.size() == 3;
      for (const Segment& s : m.segments) all = all && !s.sorted_runs.empty();
      if (all) break;
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    Manifest m = LatestManifest(env);
    REQUIRE(m.segments.size() == 3);
    CHECK(m.l0.empty());
    CHECK(m.sorted_runs.empty());
    std::set<uint32_t> run_ids;
    size_t runs = 0;
    for (const Segment& s : m.segments) {
      INFO(s.prefix);
      CHECK(!s.sorted_runs.empty());
      for (const SortedRun& run : s.sorted_runs) {
        run_ids.insert(run.id);
        ++runs;
        for (const SstRef& ref : run.ssts) {
          // A segment's SSTs hold only its keys.
          CHECK(std::string_view(ref.info.first_entry).starts_with(s.prefix));
          CHECK(std::string_view(ref.info.last_entry).starts_with(s.prefix));
        }
      }
      if (!s.sorted_runs.empty() && !s.l0.empty()) CHECK(!s.last_compacted_l0_view_id.empty());
    }
    CHECK(run_ids.size() == runs);  // run ids are unique across segments
    for (const auto& [key, value] : model) CHECK(GetOrFail(db, key) == value);
    CHECK(GetOrFail(db, Key("s01", 3)) == std::nullopt);
    std::vector<std::pair<std::string, std::string>> rows;
    for (const KeyValue& kv : ScanAll(db, "", "")) rows.push_back(KeyAndValue(kv));
    CHECK(rows == std::vector<std::pair<std::string, std::string>>(model.begin(), model.end()));
    REQUIRE(BlockOn(db.Close()).ok());
  }
  // Reopened (and as a reader), everything reads back the same.
  Result<std::shared_ptr<Db>> again = BlockOn(Db::Open(Segmented(env, extractor, settings)));
  REQUIRE(again.ok());
  CHECK((*again)->Segments() == std::vector<std::string>{"s00", "s01", "s02"});
  std::vector<std::pair<std::string, std::string>> rows;
  for (const KeyValue& kv : ScanAll(**again, "s01", "s02")) rows.push_back(KeyAndValue(kv));
  std::vector<std::pair<std::string, std::string>> want;
  for (const auto& [key, value] : model) {
    if (key.starts_with("s01")) want.emplace_back(key, value);
  }
  CHECK(rows == want);
  REQUIRE(BlockOn((*again)->Put(Key("s02", 99), "late")).ok());
  REQUIRE(BlockOn((*again)->Flush(FlushType::kWal)).ok());
  ReaderOptions ro = env.On<ReaderOptions>();
  ro.segment_extractor = extractor;
  Result<std::shared_ptr<DbReader>> reader = BlockOn(DbReader::Open(ro));
  REQUIRE(reader.status().ToString() == "OK");
  for (const auto& [key, value] : model) {
    Result<std::optional<std::string>> got = BlockOn((*reader)->Get(key));
    REQUIRE(got.ok());
    CHECK(*got == value);
  }
  Result<std::optional<std::string>> late = BlockOn((*reader)->Get(Key("s02", 99)));
  REQUIRE(late.ok());
  CHECK(*late == std::optional<std::string>("late"));
  CHECK((*reader)->Segments() == std::vector<std::string>{"s00", "s01", "s02"});
  REQUIRE(BlockOn((*reader)->Close()).ok());
  REQUIRE(BlockOn((*again)->Close()).ok());
}

TEST_CASE("segments: opens with another extractor, or none, are refused", "[db]") {
  ThreadedDbEnv env;
  auto three = std::make_shared<FixedExtractor>();
  {
    Result<std::shared_ptr<Db>> db = BlockOn(Db::Open(Segmented(env, three)));
    REQUIRE(db.ok());
    REQUIRE(BlockOn((*db)->Put("abc1", "v")).ok());
    REQUIRE(BlockOn((*db)->Close()).ok());
  }
  auto open_with = [&](std::shared_ptr<const PrefixExtractor> e) {
    return BlockOn(Db::Open(Segmented(env, std::move(e)))).status();
  };
  Status none = open_with(nullptr);
  CHECK(none.kind() == ErrorKind::kInvalid);
  CHECK(none.message() ==
        "segment extractor configuration mismatch (persisted: Some(\"three\"), configured: "
        "None)");
  Status other = open_with(std::make_shared<FixedExtractor>("other"));
  CHECK(other.message() ==
        "segment extractor configuration mismatch (persisted: Some(\"three\"), configured: "
        "Some(\"other\"))");
  // Same name, other routing: the stored segment is not recognized (after a flush, so the
  // manifest lists it; the close above flushed).
  Status shorter = open_with(std::make_shared<FixedExtractor>("three", 2));
  CHECK(shorter.message() ==
        "segment prefix b\"abc\" is not recognized by the configured extractor `three`");
  ReaderOptions ro = env.On<ReaderOptions>();
  CHECK(BlockOn(DbReader::Open(ro)).status().kind() == ErrorKind::kInvalid);
  // And a database created without one cannot gain one.
  DbOptions plain = env.Options(SmallSettings(), "plain");
  {
    Result<std::shared_ptr<Db>> db = BlockOn(Db::Open(plain));
    REQUIRE(db.ok());
    REQUIRE(BlockOn((*db)->Close()).ok());
  }
  DbOptions later = plain;
  later.segment_extractor = three;
  CHECK(BlockOn(Db::Open(later)).status().message() ==
        "segment extractor configuration mismatch (persisted: None, configured: "
        "Some(\"three\"))");
}

TEST_CASE("segments: byte strings print as upstream prints them", "[db]") {
  CHECK(DebugBytes("xy") == "b\"xy\"");
  CHECK(DebugBytes(std::string("a\0\n\"\\\xff", 6)) == "b\"a\\0\\n\\\"\\\\\\xff\"");
}

}  // namespace
}  // namespace slatedb::testing
