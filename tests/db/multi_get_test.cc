// SPDX-License-Identifier: Apache-2.0
//
// MultiGet against its model: a loop of Get over the same keys. Random puts, deletes, merges
// and TTL writes spread over the memtable, L0 SSTs and sorted runs; the keys asked include
// duplicates, missing keys and keys outside every SST, in random order. Db, Snapshot,
// Transaction (with buffered writes) and DbReader.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <random>
#include <thread>

#include "slatedb/reader.h"
#include "slatedb/transaction.h"
#include "tests/db/db_test_util.h"

namespace slatedb::testing {
namespace {

using Values = std::vector<std::optional<std::string>>;

std::string KeyOf(int i) { return "key" + std::to_string(i); }

// kHideExpired: the tests read expired rows hidden. By upstream 0.17's rule an expired row
// turns into a tombstone only when a flush or a compaction rewrites it, and the background
// compactor may do that between the loop of Get and the MultiGet it is compared with.
//
// Random writes over keys 0..n-1, in several rounds each flushed to L0 (the last round
// stays in the memtable).
void Fill(Db& db, std::mt19937& rng, int n) {
  for (int round = 0; round < 5; ++round) {
    for (int op = 0; op < 400; ++op) {
      std::string key = KeyOf(static_cast<int>(rng() % n));
      WriteOptions fast;
      fast.await_durable = false;
      switch (rng() % 6) {
        case 0:
        case 1:
          REQUIRE(BlockOn(db.Put(key, "v" + std::to_string(rng() % 1000), {}, fast)).ok());
          break;
        case 2:
          REQUIRE(BlockOn(db.Delete(key, fast)).ok());
          break;
        case 3:
          REQUIRE(BlockOn(db.Merge(key, "+" + std::to_string(rng() % 10), {}, fast)).ok());
          break;
        case 4: {
          PutOptions expiring;
          expiring.ttl_ms = 1;  // expired by the time the test reads
          REQUIRE(BlockOn(db.Put(key, "gone", expiring, fast)).ok());
          break;
        }
        default: {
          PutOptions lasting;
          lasting.ttl_ms = 3'600'000;
          REQUIRE(BlockOn(db.Put(key, "ttl" + std::to_string(rng() % 1000), lasting, fast)).ok());
          break;
        }
      }
    }
    if (round < 4) REQUIRE(BlockOn(db.Flush(FlushType::kMemTable)).ok());
  }
  REQUIRE(BlockOn(db.Flush()).ok());
  std::this_thread::sleep_for(std::chrono::milliseconds(20));
}

// Random keys: existing, missing inside the range, outside it, and repeats.
std::vector<std::string> AskFor(std::mt19937& rng, int n, size_t count) {
  std::vector<std::string> keys;
  for (size_t i = 0; i < count; ++i) {
    switch (rng() % 8) {
      case 0:
        keys.push_back(KeyOf(static_cast<int>(rng() % n)) + "x");  // missing, in range
        break;
      case 1:
        keys.push_back("zzz" + std::to_string(rng() % 5));  // past every key
        break;
      case 2:
        if (!keys.empty()) {
          keys.push_back(keys[rng() % keys.size()]);  // a duplicate
          break;
        }
        [[fallthrough]];
      default:
        keys.push_back(KeyOf(static_cast<int>(rng() % n)));
    }
  }
  return keys;
}

template <typename Reader>
Values LoopOfGet(Reader& reader, const std::vector<std::string>& keys) {
  Values out;
  for (const std::string& key : keys) {
    Result<std::optional<std::string>> r = BlockOn(reader.Get(key));
    REQUIRE(r.status().ToString() == "OK");
    out.push_back(*r);
  }
  return out;
}

template <typename Reader>
Values MultiGetOrFail(Reader& reader, std::vector<std::string> keys) {
  Result<Values> r = BlockOn(reader.MultiGet(std::move(keys)));
  REQUIRE(r.status().ToString() == "OK");
  return *r;
}

TEST_CASE("MultiGet answers as a loop of Get does", "[db]") {
  for (uint32_t seed = 1; seed <= 3; ++seed) {
    CAPTURE(seed);
    std::mt19937 rng(seed);
    ThreadedDbEnv env;
    env.hide_expired_on_read = true;  // see kHideExpired
    auto db = env.Open();
    Fill(*db, rng, 300);
    for (size_t count : {size_t{0}, size_t{1}, size_t{50}, size_t{700}}) {
      std::vector<std::string> keys = AskFor(rng, 300, count);
      CHECK(MultiGetOrFail(*db, keys) == LoopOfGet(*db, keys));
    }
    // Cold: a reopened database has no SST open and nothing cached.
    REQUIRE(BlockOn(db->Close()).ok());
    db = env.Open();
    std::vector<std::string> keys = AskFor(rng, 300, 500);
    Values multi = MultiGetOrFail(*db, keys);
    CHECK(multi == LoopOfGet(*db, keys));
    REQUIRE(BlockOn(db->Close()).ok());
  }
}

TEST_CASE("MultiGet of a snapshot, a transaction and a reader", "[db]") {
  std::mt19937 rng(7);
  ThreadedDbEnv env;
  env.hide_expired_on_read = true;  // see kHideExpired
  auto db = env.Open();
  Fill(*db, rng, 200);

  auto snapshot = db->GetSnapshot();
  REQUIRE(snapshot.ok());
  std::vector<std::string> keys = AskFor(rng, 200, 300);
  Values before = LoopOfGet(**snapshot, keys);
  // Later writes are not seen through the snapshot.
  for (int i = 0; i < 200; i += 3) REQUIRE(BlockOn(db->Put(KeyOf(i), "later")).ok());
  CHECK(MultiGetOrFail(**snapshot, keys) == before);

  auto txn = db->Begin(IsolationLevel::kSerializableSnapshot);
  REQUIRE(txn.ok());
  for (int i = 0; i < 200; i += 7) REQUIRE((*txn)->Put(KeyOf(i), "mine").ok());
  for (int i = 1; i < 200; i += 11) REQUIRE((*txn)->Delete(KeyOf(i)).ok());
  for (int i = 2; i < 200; i += 13) REQUIRE((*txn)->Merge(KeyOf(i), "+t").ok());
  CHECK(MultiGetOrFail(**txn, keys) == LoopOfGet(**txn, keys));
  (*txn)->Rollback();

  REQUIRE(BlockOn(db->Flush()).ok());
  ReaderOptions options;
  options.object_store = env.store;
  options.executor = env.executor;
  options.clock = env.clock;
  options.path = "db";
  options.merge_operator = ConcatMerge;
  options.hide_expired_on_read = true;  // see kHideExpired
  auto reader = BlockOn(DbReader::Open(options));
  REQUIRE(reader.status().ToString() == "OK");
  CHECK(MultiGetOrFail(**reader, keys) == LoopOfGet(**reader, keys));
  REQUIRE(BlockOn((*reader)->Close()).ok());
  REQUIRE(BlockOn(db->Close()).ok());
}

// The sorted walk (multi_get.cc) over a sorted run of many SSTs and an L0 SST on top: every
// key of the run (so each SST's first and last key and every block boundary), keys between
// and around SSTs, a key whose versions (kept for a snapshot) straddle blocks, duplicates;
// dense, sparse and reversed orders; warm and cold.
TEST_CASE("MultiGet walks blocks and the SSTs of a run in key order", "[db]") {
  ThreadedDbEnv env;
  Settings settings = SmallSettings();
  settings.l0_sst_size_bytes = 1 << 20;
  settings.max_unflushed_bytes = 8 << 20;
  settings.compaction_max_sst_bytes = 64 * 1024;
  auto db = env.Open(settings);
  WriteOptions fast;
  fast.await_durable = false;
  auto key = [](int i) {
    char buf[16];
    std::snprintf(buf, sizeof(buf), "k%05d", i);
    return std::string(buf);
  };
  constexpr int kKeys = 4000;
  // Four L0 SSTs of every even key, merged by the compactor into one sorted run.
  for (int round = 0; round < 4; ++round) {
    for (int i = 0; i < kKeys; i += 2) {
      std::string value = "r" + std::to_string(round) + "-" + std::string(30, 'a' + i % 26);
      REQUIRE(BlockOn(db->Put(key(i), value, {}, fast)).ok());
    }
    REQUIRE(BlockOn(db->Flush(FlushType::kMemTable)).ok());
  }
  for (int wait = 0; wait < 500 && db->Metrics()["db/l0_sst_count"] != 0; ++wait) {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  REQUIRE(db->Metrics()["db/l0_sst_count"] == 0);
  REQUIRE(db->Metrics()["db/sorted_run_count"] == 1);
  // An L0 SST on top: a key with 150 versions kept for a snapshot (they span several 1 KiB
  // blocks), merges, deletes and new values over the run's keys.
  auto snapshot = db->GetSnapshot();
  REQUIRE(snapshot.ok());
  for (int v = 0; v < 150; ++v) {
    REQUIRE(
        BlockOn(db->Put(key(2000), "version-" + std::to_string(v) + std::string(20, 'x'), {}, fast))
            .ok());
  }
  for (int i = 0; i < kKeys; i += 50) REQUIRE(BlockOn(db->Merge(key(i), "+m", {}, fast)).ok());
  for (int i = 10; i < kKeys; i += 70) REQUIRE(BlockOn(db->Delete(key(i), fast)).ok());
  for (int i = 1; i < kKeys; i += 90) REQUIRE(BlockOn(db->Put(key(i), "odd", {}, fast)).ok());
  REQUIRE(BlockOn(db->Flush(FlushType::kMemTable)).ok());
  REQUIRE(BlockOn(db->Merge(key(2000), "+mem", {}, fast)).ok());  // and one in the memtable

  std::vector<std::string> all;  // every key, present or not, and some outside the range
  for (int i = 0; i < kKeys; ++i) all.push_back(key(i));
  all.push_back("a");
  all.push_back("k");
  all.push_back("z");
  std::mt19937 rng(11);
  std::vector<std::string> shuffled = all;
  std::shuffle(shuffled.begin(), shuffled.end(), rng);
  std::vector<std::string> reversed(all.rbegin(), all.rend());
  std::vector<std::string> sparse;
  for (int i = 0; i < kKeys; i += 37) sparse.push_back(key(i));
  std::vector<std::string> duplicated = sparse;
  duplicated.insert(duplicated.end(), sparse.begin(), sparse.begin() + 20);
  duplicated.push_back(key(2000));
  duplicated.push_back(key(2000));
  std::shuffle(duplicated.begin(), duplicated.end(), rng);

  for (int pass = 0; pass < 2; ++pass) {
    CAPTURE(pass);  // 0: warm; 1: reopened, nothing open or cached
    for (const auto* keys : {&shuffled, &reversed, &sparse, &duplicated}) {
      Values multi = MultiGetOrFail(*db, *keys);
      CHECK(multi == LoopOfGet(*db, *keys));
      CHECK(MultiGetOrFail(**snapshot, *keys) == LoopOfGet(**snapshot, *keys));
    }
    Values got = MultiGetOrFail(*db, {key(2000)});
    REQUIRE(got[0].has_value());
    CHECK(got[0]->starts_with("version-149"));
    CHECK(got[0]->ends_with("+m+mem"));
    if (pass == 0) {
      snapshot = Status::Internal("released");
      REQUIRE(BlockOn(db->Close()).ok());
      db = env.Open(settings);
      snapshot = db->GetSnapshot();
      REQUIRE(snapshot.ok());
    }
  }
  REQUIRE(BlockOn(db->Close()).ok());
}

TEST_CASE("MultiGet reads each block once and rejects bad keys", "[db]") {
  ThreadedDbEnv env;
  // One L0 SST of many blocks, and no compaction, so that only the reads below read SSTs.
  Settings settings = SmallSettings();
  settings.l0_sst_size_bytes = 1 << 20;
  settings.max_unflushed_bytes = 4 << 20;
  settings.compactor_enabled = false;
  auto db = env.Open(settings);
  WriteOptions fast;
  fast.await_durable = false;
  for (int i = 0; i < 2000; ++i) REQUIRE(BlockOn(db->Put(KeyOf(i), "v", {}, fast)).ok());
  REQUIRE(BlockOn(db->Close()).ok());

  std::vector<std::string> keys;
  for (int i = 0; i < 2000; ++i) keys.push_back(KeyOf(i));
  auto memory = std::static_pointer_cast<MemoryObjectStore>(env.store);
  // One by one on a cold database, then all at once on another cold one.
  db = env.Open(settings);
  RequestCounts start = memory->counts();
  Values one_by_one = LoopOfGet(*db, keys);
  uint64_t sequential = (memory->counts() - start).get_range;
  REQUIRE(BlockOn(db->Close()).ok());
  db = env.Open(settings);
  start = memory->counts();
  CHECK(MultiGetOrFail(*db, keys) == one_by_one);
  uint64_t together = (memory->counts() - start).get_range;
  CHECK(together == sequential);  // the SST's index and filter, then each block once
  CHECK(together > 10);

  CHECK(BlockOn(db->MultiGet({"a", ""})).status().kind() == ErrorKind::kInvalid);
  CHECK(BlockOn(db->MultiGet({""})).status().kind() == ErrorKind::kInvalid);
  REQUIRE(BlockOn(db->Close()).ok());
  CHECK(BlockOn(db->MultiGet({"a"})).status().kind() == ErrorKind::kClosed);
}

}  // namespace
}  // namespace slatedb::testing
