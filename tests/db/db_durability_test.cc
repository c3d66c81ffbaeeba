// SPDX-License-Identifier: Apache-2.0
//
// Durability and coordination: group commit, writer fencing, store failures (transient and
// lost responses), and corrupt objects reported as Data.
#include <atomic>
#include <latch>
#include <thread>

#include "slatedb/platform/request_counts.h"
#include "tests/db/db_test_util.h"
#include "testutil/fault_injection_object_store.h"
#include "testutil/sync_object_store.h"

namespace slatedb::testing {
namespace {

TEST_CASE("concurrent durable writers share WAL objects (group commit)", "[db]") {
  ThreadedDbEnv env;
  auto memory = std::make_shared<MemoryObjectStore>();
  env.store = memory;
  Settings settings = SmallSettings();
  settings.flush_interval_ms = 50;
  settings.l0_sst_size_bytes = 64 << 20;
  settings.max_unflushed_bytes = 128 << 20;
  auto db = env.Open(settings);
  uint64_t puts_before = memory->counts().put;
  constexpr int kWriters = 64;
  constexpr int kPutsEach = 5;
  std::vector<std::thread> writers;
  std::atomic<int> failures{0};
  // Writers start together: starting 64 threads takes long enough on a loaded machine (or
  // under ThreadSanitizer) for the first ones to be done before the last exist.
  std::latch start(kWriters);
  for (int w = 0; w < kWriters; ++w) {
    writers.emplace_back([&, w] {
      start.arrive_and_wait();
      for (int i = 0; i < kPutsEach; ++i) {
        std::string key = "w" + std::to_string(w) + "-" + std::to_string(i);
        if (!BlockOn(db->Put(key, "v")).ok()) failures++;
      }
    });
  }
  for (auto& t : writers) t.join();
  CHECK(failures == 0);
  uint64_t wal_puts = memory->counts().put - puts_before;
  // 320 durable puts; each writer waits for its WAL object, so ideally one WAL object per
  // round of writers (5 rounds). When threads are slow to be scheduled (2 loaded cores,
  // ThreadSanitizer), the flush interval splits rounds: 30 objects were seen under TSan
  // on a busy machine (with a staggered start, against a bound of 15 then). Unshared it
  // would be 320; 40 still means 8 puts per object. The exact count is pinned by the
  // manual-executor test below.
  INFO("WAL objects written: " << wal_puts);
  CHECK(wal_puts <= kWriters * kPutsEach / 8);
  REQUIRE(BlockOn(db->Close()).ok());
}

Task<Status> DurablePuts(std::shared_ptr<Db> db, int writer, int puts) {
  for (int i = 0; i < puts; ++i) {
    std::string key = "w" + std::to_string(writer) + "-" + std::to_string(i);
    Result<WriteHandle> put = co_await db->Put(key, "v");
    if (!put.ok()) co_return put.status();
  }
  co_return Status::Ok();
}

// Runs `writers` concurrent DurablePuts on the manual executor; returns the manual time they
// took and sets *wal_objects to the PUTs they caused.
int64_t RunDurableWriters(ManualExecutor& executor, MemoryObjectStore& store,
                          std::shared_ptr<Db> db, int writers, int puts, uint64_t* wal_objects) {
  const int64_t start = executor.now_ms();
  const uint64_t puts_before = store.counts().put;
  int done = 0;
  for (int w = 0; w < writers; ++w) {
    Spawn(DurablePuts(db, w, puts), [&done](Status s) {
      CHECK(s.ok());
      ++done;
    });
  }
  while (done < writers) {
    if (executor.RunOne()) continue;
    std::optional<int64_t> next = executor.next_timer_ms();
    REQUIRE(next.has_value());
    executor.AdvanceTime(static_cast<uint64_t>(std::max<int64_t>(0, *next - executor.now_ms())));
  }
  *wal_objects = store.counts().put - puts_before;
  return executor.now_ms() - start;
}

TEST_CASE("group commit cuts a WAL object early once the known writers are all waiting", "[db]") {
  auto clock = std::make_shared<ManualClock>(1'000'000);
  auto executor = std::make_shared<ManualExecutor>(clock);
  auto store = std::make_shared<MemoryObjectStore>();
  DbOptions options;
  options.object_store = store;
  options.executor = executor;
  options.clock = clock;
  options.path = "db";
  options.settings.flush_interval_ms = 100;
  std::shared_ptr<Db> db = *Drive(*executor, Db::Open(options));

  // 16 writers, 5 durable puts each: the first round waits for the interval and shows there
  // are 16 writers; the next four rounds go out as soon as all 16 wait. Every WAL object still
  // carries 16 puts.
  uint64_t wal_objects = 0;
  int64_t took = RunDurableWriters(*executor, *store, db, 16, 5, &wal_objects);
  CHECK(wal_objects == 5);
  CHECK(took == 100);

  // One writer is below the group-commit floor: the interval alone paces it.
  took = RunDurableWriters(*executor, *store, db, 1, 3, &wal_objects);
  CHECK(wal_objects == 3);
  CHECK(took >= 300);
  REQUIRE(Drive(*executor, db->Close()).ok());
}

TEST_CASE("a second writer fences the first", "[db]") {
  ThreadedDbEnv env;
  auto first = env.Open();
  REQUIRE(BlockOn(first->Put("a", "1")).ok());
  auto second = env.Open();
  CHECK(GetOrFail(*second, "a") == "1");  // durable writes of the first are replayed

  Status fenced = BlockOn(first->Put("b", "2")).status();
  CHECK(fenced.kind() == ErrorKind::kClosed);
  CHECK(fenced.close_reason() == CloseReason::kFenced);
  // Every later call reports the same.
  CHECK(BlockOn(first->Get("a")).status().close_reason() == CloseReason::kFenced);
  CHECK(BlockOn(first->Close()).close_reason() == CloseReason::kFenced);

  REQUIRE(BlockOn(second->Put("c", "3")).ok());
  CHECK_FALSE(GetOrFail(*second, "b").has_value());
  REQUIRE(BlockOn(second->Close()).ok());
}

TEST_CASE("a fenced writer cannot publish a memtable flush either", "[db]") {
  ThreadedDbEnv env;
  Settings manual = SmallSettings();
  manual.flush_interval_ms = 0;
  auto first = env.Open(manual);
  WriteOptions fast;
  fast.await_durable = false;
  REQUIRE(BlockOn(first->Put("x", "1", {}, fast)).ok());
  auto second = env.Open(manual);
  Status flushed = BlockOn(first->Flush(FlushType::kMemTable));
  CHECK(flushed.close_reason() == CloseReason::kFenced);
  CHECK_FALSE(GetOrFail(*second, "x").has_value());
  REQUIRE(BlockOn(second->Close()).ok());
}

TEST_CASE("transient store failures: Unavailable, then the database recovers", "[db]") {
  ThreadedDbEnv env;
  auto faulty = std::make_shared<FaultInjectionObjectStore>(env.store);
  env.store = faulty;
  auto db = env.Open();  // SmallSettings: 2 retries
  faulty->FailNext(StoreOp::kPut, 100);
  Status failed = BlockOn(db->Put("k", "v")).status();
  CHECK(failed.kind() == ErrorKind::kUnavailable);
  faulty->ClearFaults();
  CHECK(db->status().ok());
  CHECK(GetOrFail(*db, "k") == "v");           // visible: applied, just not yet durable
  REQUIRE(BlockOn(db->Put("k2", "v2")).ok());  // the retried WAL carries both
  REQUIRE(BlockOn(db->Close()).ok());
  auto reopened = env.Open();
  CHECK(GetOrFail(*reopened, "k") == "v");
  CHECK(GetOrFail(*reopened, "k2") == "v2");
  REQUIRE(BlockOn(reopened->Close()).ok());
}

TEST_CASE("a lost put response is not mistaken for fencing", "[db]") {
  ThreadedDbEnv env;
  auto faulty = std::make_shared<FaultInjectionObjectStore>(env.store);
  env.store = faulty;
  auto db = env.Open();
  faulty->LoseNextPutResponses(1);  // the WAL lands but its success is reported as failure
  REQUIRE(BlockOn(db->Put("k", "v")).ok());
  CHECK(db->status().ok());
  REQUIRE(BlockOn(db->Flush(FlushType::kMemTable)).ok());
  faulty->LoseNextPutResponses(1);  // now an SST or manifest put
  REQUIRE(BlockOn(db->Put("k2", "v2")).ok());
  REQUIRE(BlockOn(db->Flush(FlushType::kMemTable)).ok());
  REQUIRE(BlockOn(db->Close()).ok());
  auto reopened = env.Open();
  CHECK(GetOrFail(*reopened, "k2") == "v2");
  REQUIRE(BlockOn(reopened->Close()).ok());
}

TEST_CASE("a WAL upload whose retries ran out after it landed is not a fence", "[db]") {
  ThreadedDbEnv env;
  auto faulty = std::make_shared<FaultInjectionObjectStore>(env.store);
  env.store = faulty;
  Settings no_retries = SmallSettings();
  no_retries.object_store_max_retries = 0;
  auto db = env.Open(no_retries);
  faulty->LoseNextPutResponses(1);  // the WAL object lands; its success is reported as failure
  CHECK(BlockOn(db->Put("k", "v")).status().kind() == ErrorKind::kUnavailable);
  // The buffer is re-sent later as a new upload, meets its own object, and recognises it.
  REQUIRE(BlockOn(db->Put("k2", "v2")).ok());
  CHECK(db->status().ok());
  REQUIRE(BlockOn(db->Close()).ok());
  auto reopened = env.Open();
  CHECK(GetOrFail(*reopened, "k") == "v");
  CHECK(GetOrFail(*reopened, "k2") == "v2");
  REQUIRE(BlockOn(reopened->Close()).ok());
}

// Flips one byte of every object under `prefix`.
void CorruptObjects(std::shared_ptr<ObjectStore> store, const std::string& prefix,
                    size_t offset_from_start) {
  SyncObjectStore sync(std::move(store));
  auto listed = sync.List(prefix);
  REQUIRE(listed.ok());
  REQUIRE_FALSE(listed->empty());
  for (const ObjectMeta& meta : *listed) {
    auto bytes = sync.Get(meta.key);
    REQUIRE(bytes.ok());
    if (bytes->empty()) continue;
    (*bytes)[std::min(offset_from_start, bytes->size() - 1)] ^= 0x40;
    REQUIRE(sync.Put(meta.key, *bytes).ok());
  }
}

TEST_CASE("corrupt SST blocks read as Data, never a crash", "[db]") {
  ThreadedDbEnv env;
  auto db = env.Open();
  for (int i = 0; i < 500; ++i) {
    REQUIRE(BlockOn(db->Put("key" + std::to_string(1000 + i), std::string(50, 'v'))).ok());
  }
  REQUIRE(BlockOn(db->Close()).ok());
  CorruptObjects(env.store, "db/compacted/", 10);  // inside the first data block
  auto reopened = env.Open();
  Status got = BlockOn(reopened->Get("key1000")).status();
  CHECK(got.kind() == ErrorKind::kData);
  auto it = BlockOn(reopened->Scan("key", ""));
  REQUIRE(it.ok());
  CHECK(BlockOn((*it)->Next()).status().kind() == ErrorKind::kData);
  REQUIRE(BlockOn(reopened->Close()).ok());
}

TEST_CASE("a corrupt WAL object fails open with Data", "[db]") {
  ThreadedDbEnv env;
  {
    auto db = env.Open();
    REQUIRE(BlockOn(db->Put("k", "v")).ok());
  }  // dropped: the write lives only in the WAL
  CorruptObjects(env.store, "db/wal/", 5);
  Result<std::shared_ptr<Db>> reopened = BlockOn(Db::Open(env.Options()));
  CHECK(reopened.status().kind() == ErrorKind::kData);
}

TEST_CASE("a corrupt manifest fails open with Data", "[db]") {
  ThreadedDbEnv env;
  REQUIRE(BlockOn(env.Open()->Close()).ok());
  CorruptObjects(env.store, "db/manifest/", 0);
  CHECK(BlockOn(Db::Open(env.Options())).status().kind() == ErrorKind::kData);
}

}  // namespace
}  // namespace slatedb::testing
