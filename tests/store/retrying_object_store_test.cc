// SPDX-License-Identifier: Apache-2.0
//
// RetryingObjectStore (core/src/store/retrying_object_store.h) under the fault-injection
// store, driven by a manual executor and clock: what is retried and what is not, attempt
// counts and the deadline, the jittered backoff's bounds, and the read-back that tells an
// ambiguous conditional put's own landing from someone else's object.
#include <catch2/catch.hpp>

#include <memory>
#include <set>
#include <string>
#include <vector>

#include "slatedb/platform/memory_object_store.h"
#include "store/retrying_object_store.h"
#include "store/store_client.h"
#include "testutil/fault_injection_object_store.h"
#include "testutil/manual_clock.h"
#include "testutil/manual_executor.h"
#include "testutil/sync_object_store.h"

namespace slatedb::testing {
namespace {

// Notes the clock time of every call that reaches it.
class TimingStore : public ObjectStore {
 public:
  TimingStore(std::shared_ptr<ObjectStore> inner, std::shared_ptr<Clock> clock)
      : inner_(std::move(inner)), clock_(std::move(clock)) {}
  void Get(const std::string& key, Callback<std::string> done) override {
    Note();
    inner_->Get(key, std::move(done));
  }
  void GetRange(const std::string& key, uint64_t offset, uint64_t length,
                Callback<std::string> done) override {
    Note();
    inner_->GetRange(key, offset, length, std::move(done));
  }
  void Head(const std::string& key, Callback<ObjectMeta> done) override {
    Note();
    inner_->Head(key, std::move(done));
  }
  void Put(const std::string& key, std::string data, const ObjectPutOptions& options,
           Callback<ObjectMeta> done) override {
    Note();
    inner_->Put(key, std::move(data), options, std::move(done));
  }
  void List(const std::string& prefix, const std::string& start_after,
            Callback<std::vector<ObjectMeta>> done) override {
    Note();
    inner_->List(prefix, start_after, std::move(done));
  }
  void Delete(const std::string& key, StatusCallback done) override {
    Note();
    inner_->Delete(key, std::move(done));
  }
  std::string Describe() const override { return inner_->Describe(); }

  const std::vector<int64_t>& times() const { return times_; }

 private:
  void Note() { times_.push_back(clock_->NowMillis()); }
  std::shared_ptr<ObjectStore> inner_;
  std::shared_ptr<Clock> clock_;
  std::vector<int64_t> times_;
};

// memory <- faults <- timing <- retrying, all on one manual executor and clock.
struct Env {
  explicit Env(RetryPolicy policy, uint64_t seed = 7)
      : clock(std::make_shared<ManualClock>(1'000'000)),
        executor(std::make_shared<ManualExecutor>(clock)),
        memory(std::make_shared<MemoryObjectStore>(clock)),
        faults(std::make_shared<FaultInjectionObjectStore>(memory, seed)),
        timing(std::make_shared<TimingStore>(faults, clock)),
        store(RetryingObjectStore::Create(timing, executor, clock, policy, seed)),
        sync(store) {
    // Runs what is ready, else moves time to the next timer, 10 ms at a time.
    sync.SetPump([this] {
      if (executor->RunOne()) return true;
      if (executor->timer_count() == 0) return false;
      executor->AdvanceTime(10);
      return true;
    });
  }
  std::shared_ptr<ManualClock> clock;
  std::shared_ptr<ManualExecutor> executor;
  std::shared_ptr<MemoryObjectStore> memory;
  std::shared_ptr<FaultInjectionObjectStore> faults;
  std::shared_ptr<TimingStore> timing;
  std::shared_ptr<RetryingObjectStore> store;
  SyncObjectStore sync;
};

RetryPolicy Policy(std::optional<uint32_t> max_retries, uint64_t deadline_ms = 60'000) {
  RetryPolicy p;
  p.max_retries = max_retries;
  p.initial_backoff_ms = 100;
  p.max_backoff_ms = 1000;
  p.deadline_ms = deadline_ms;
  return p;
}

TEST_CASE("retrying store: transient failures are retried, with jittered doubling backoff",
          "[store][retry]") {
  Env env(Policy(6));
  REQUIRE(env.sync.Put("k", "v").ok());
  env.faults->FailNext(StoreOp::kGet, 4);
  const size_t before = env.timing->times().size();
  Result<std::string> got = env.sync.Get("k");
  REQUIRE(got.ok());
  CHECK(*got == "v");
  CHECK(env.store->stats().retries == 4);
  CHECK(env.store->stats().exhausted == 0);
  // Five attempts; the waits before retries 1..4 lie in [base/2, base], base 100, 200, 400,
  // 800 ms (the pump moves time in 10 ms steps, so a wait may show up to 10 ms late).
  std::vector<int64_t> t(env.timing->times().begin() + before, env.timing->times().end());
  REQUIRE(t.size() == 5);
  const int64_t bases[] = {100, 200, 400, 800};
  for (size_t i = 0; i < 4; ++i) {
    INFO("retry " << i + 1 << " waited " << t[i + 1] - t[i] << " ms");
    CHECK(t[i + 1] - t[i] >= bases[i] / 2);
    CHECK(t[i + 1] - t[i] <= bases[i] + 10);
  }
}

TEST_CASE("retrying store: gives up after max_retries with Unavailable naming the attempts",
          "[store][retry]") {
  Env env(Policy(2));
  env.faults->FailNext(StoreOp::kHead, 10);
  Result<ObjectMeta> head = env.sync.Head("k");
  REQUIRE(head.status().code() == StatusCode::kUnavailable);
  CHECK(head.status().message().find("(after 3 attempts)") != std::string::npos);
  CHECK(env.timing->times().size() == 3);
  CHECK(env.store->stats().retries == 2);
  CHECK(env.store->stats().exhausted == 1);

  // No retries at all: one attempt, the store's own message.
  Env once(Policy(0));
  once.faults->FailNext(StoreOp::kList, 1);
  Result<std::vector<ObjectMeta>> listed = once.sync.List("");
  CHECK(listed.status().code() == StatusCode::kUnavailable);
  CHECK(listed.status().message().find("attempts") == std::string::npos);
  CHECK(once.timing->times().size() == 1);
}

TEST_CASE("retrying store: the deadline bounds retries when the count does not", "[store][retry]") {
  Env env(Policy(std::nullopt, /*deadline_ms=*/3'000));
  env.faults->SetFailureProbability(StoreOp::kDelete, 1.0);
  const int64_t start = env.clock->NowMillis();
  Status deleted = env.sync.Delete("k");
  CHECK(deleted.code() == StatusCode::kUnavailable);
  const std::vector<int64_t>& t = env.timing->times();
  REQUIRE(t.size() >= 4);  // 0, ~100, ~300, ~700 ms fit easily in 3 s
  CHECK(t.front() == start);
  CHECK(t.back() - start <= 3'000);  // no attempt starts past the deadline
  // It stopped because the next wait (at least 500 ms by then) would have crossed it.
  CHECK(t.back() - start > 2'000);
  CHECK(env.store->stats().exhausted == 1);
}

TEST_CASE("retrying store: final answers are not retried", "[store][retry]") {
  Env env(Policy(6));
  CHECK(env.sync.Get("missing").status().code() == StatusCode::kNotFound);
  CHECK(env.sync.Get("/bad").status().code() == StatusCode::kInvalid);
  REQUIRE(env.sync.PutIfAbsent("k", "theirs").ok());
  CHECK(env.sync.PutIfAbsent("k", "ours").status().code() == StatusCode::kAlreadyExists);
  CHECK(env.store->stats().retries == 0);
}

TEST_CASE(
    "retrying store: backoff stays within [base/2, base] for any draw, and the seed "
    "decides it",
    "[store][retry]") {
  RetryPolicy p = Policy(6);
  for (uint64_t random : {0ull, 1ull, 12345ull, ~0ull, 0x8000000000000000ull}) {
    CHECK(RetryingObjectStore::BackoffMs(p, 1, random) >= 50);
    CHECK(RetryingObjectStore::BackoffMs(p, 1, random) <= 100);
    CHECK(RetryingObjectStore::BackoffMs(p, 3, random) >= 200);
    CHECK(RetryingObjectStore::BackoffMs(p, 3, random) <= 400);
    CHECK(RetryingObjectStore::BackoffMs(p, 60, random) >= 500);
    CHECK(RetryingObjectStore::BackoffMs(p, 60, random) <= 1000);
  }
  // Jitter is drawn: different draws spread over the window.
  std::set<uint64_t> seen;
  for (uint64_t r = 0; r < 64; ++r) seen.insert(RetryingObjectStore::BackoffMs(p, 4, r * 7919));
  CHECK(seen.size() > 10);
  // The same seed replays the same waits (the simulation depends on it); another differs.
  auto waits = [](uint64_t seed) {
    Env env(Policy(5), seed);
    env.faults->FailNext(StoreOp::kGet, 5);
    (void)env.sync.Get("k");
    std::vector<int64_t> t = env.timing->times();
    for (size_t i = t.size() - 1; i > 0; --i) t[i] -= t[i - 1];
    t[0] = 0;
    return t;
  };
  CHECK(waits(11) == waits(11));
  CHECK(waits(11) != waits(12));
}

TEST_CASE("retrying store: an ambiguous create-if-absent that landed is ours", "[store][retry]") {
  Env env(Policy(6));
  env.faults->LoseNextPutResponses(1);  // applied, answered Unavailable
  Result<ObjectMeta> created = env.sync.PutIfAbsent("wal/00000000000000000007.sst", "our bytes");
  INFO(created.status().ToString());
  REQUIRE(created.ok());
  CHECK(env.store->stats().resolved_puts == 1);
  Result<ObjectMeta> head = env.sync.Head("wal/00000000000000000007.sst");
  REQUIRE(head.ok());
  CHECK(created->version == head->version);
  CHECK(created->size_bytes == 9);
}

TEST_CASE("retrying store: an ambiguous create-if-absent meeting someone else's object fails",
          "[store][retry]") {
  Env env(Policy(6));
  // The first attempt fails before reaching the store; before the retry fires, another
  // writer creates the object.
  env.faults->FailNext(StoreOp::kPut, 1);
  ObjectPutOptions create;
  create.mode = PutMode::kCreateIfAbsent;
  bool settled = false;
  Result<ObjectMeta> outcome = Status::Internal("unset");
  env.store->Put("wal/1", "ours", create, [&](Result<ObjectMeta> r) {
    outcome = std::move(r);
    settled = true;
  });
  REQUIRE_FALSE(settled);  // waiting for its retry timer
  SyncObjectStore direct(env.memory);
  REQUIRE(direct.PutIfAbsent("wal/1", "theirs").ok());
  env.executor->AdvanceTime(5'000);
  REQUIRE(settled);
  CHECK(outcome.status().code() == StatusCode::kAlreadyExists);
  CHECK(env.store->stats().resolved_puts == 0);
  CHECK(*direct.Get("wal/1") == "theirs");
}

TEST_CASE("retrying store: a later call with the same bytes finds its earlier landing",
          "[store][retry]") {
  // As the WAL writer does: its upload's retries ran out (here: none allowed) after the
  // object landed; it keeps the buffer and uploads the same bytes again later.
  Env env(Policy(0));
  env.faults->LoseNextPutResponses(1);
  CHECK(env.sync.PutIfAbsent("wal/2", "buffer").status().code() == StatusCode::kUnavailable);
  Result<ObjectMeta> again = env.sync.PutIfAbsent("wal/2", "buffer");
  INFO(again.status().ToString());
  CHECK(again.ok());
  CHECK(env.store->stats().resolved_puts == 1);
  // Different bytes are a conflict (another writer's WAL object: fencing).
  CHECK(env.sync.PutIfAbsent("wal/2", "other").status().code() == StatusCode::kAlreadyExists);
}

TEST_CASE("retrying store: an ambiguous replace-if-version that landed is ours", "[store][retry]") {
  Env env(Policy(6));
  Result<ObjectMeta> first = env.sync.PutIfAbsent("manifest/1", "v1");
  REQUIRE(first.ok());
  env.faults->LoseNextPutResponses(1);
  Result<ObjectMeta> replaced = env.sync.PutIfVersion("manifest/1", "v2", first->version);
  INFO(replaced.status().ToString());
  REQUIRE(replaced.ok());
  CHECK(env.store->stats().resolved_puts == 1);
  CHECK(*env.sync.Get("manifest/1") == "v2");
  // A mismatch with other bytes is a conflict.
  CHECK(env.sync.PutIfVersion("manifest/1", "v3", first->version).status().code() ==
        StatusCode::kVersionMismatch);
  CHECK(*env.sync.Get("manifest/1") == "v2");
}

TEST_CASE("retrying store: an unreadable object leaves the outcome unknown", "[store][retry]") {
  Env env(Policy(2));
  env.faults->LoseNextPutResponses(1);
  env.faults->FailNext(StoreOp::kGet, 10);  // the read-back cannot see the object
  Result<ObjectMeta> created = env.sync.PutIfAbsent("wal/3", "bytes");
  CHECK(created.status().code() == StatusCode::kUnavailable);
  CHECK(created.status().message().find("read the object back") != std::string::npos);
}

TEST_CASE("store client: counts every attempt below the retries, one logical call above",
          "[store][retry]") {
  auto clock = std::make_shared<ManualClock>(1'000'000);
  auto executor = std::make_shared<ManualExecutor>(clock);
  auto faults =
      std::make_shared<FaultInjectionObjectStore>(std::make_shared<MemoryObjectStore>(clock), 3);
  StoreClient client(faults, executor, clock, Policy(6), 3);
  faults->FailNext(StoreOp::kPut, 2);
  bool done = false;
  Spawn(client.Put("k", "12345", {}), [&](Result<ObjectMeta> r) {
    CHECK(r.ok());
    done = true;
  });
  executor->AdvanceTime(10'000);
  REQUIRE(done);
  CHECK(client.metrics().put == 3);
  CHECK(client.metrics().bytes_written == 5);
  CHECK(client.retry_stats().retries == 2);
}

}  // namespace
}  // namespace slatedb::testing
