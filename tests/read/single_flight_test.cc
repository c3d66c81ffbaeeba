// SPDX-License-Identifier: Apache-2.0
//
// Single-flight loads: SingleFlight on its own (one load per key however many join, errors
// to every waiter and not remembered), then through the database: concurrent cold gets of
// keys in one block cost the requests one get costs, on a store whose SST reads are held
// until the test releases them (so the misses really overlap).
#include <atomic>
#include <cstdio>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "slatedb/platform/blocking.h"
#include "slatedb/platform/memory_object_store.h"
#include "tests/db/db_test_util.h"
#include "util/single_flight.h"

namespace slatedb::testing {
namespace {

// Loads whose completion the test triggers (CompleteAll).
class PendingLoads {
 public:
  // Suspends until CompleteAll.
  auto Wait() {
    return AwaitCallback<Result<int>>([this](std::function<void(Result<int>)> done) {
      std::lock_guard<std::mutex> lock(mu_);
      pending_.push_back(std::move(done));
    });
  }
  Task<Result<int>> Load() {
    ++started_;
    co_return co_await Wait();
  }
  // Completes every load waiting now with `value`.
  void CompleteAll(Result<int> value) {
    std::vector<std::function<void(Result<int>)>> ready;
    {
      std::lock_guard<std::mutex> lock(mu_);
      ready.swap(pending_);
    }
    for (auto& done : ready) done(value);
  }
  int started() const { return started_; }
  size_t pending() {
    std::lock_guard<std::mutex> lock(mu_);
    return pending_.size();
  }

 private:
  std::mutex mu_;
  std::vector<std::function<void(Result<int>)>> pending_;
  std::atomic<int> started_{0};
};

struct Outcomes {
  std::vector<std::optional<Result<int>>> results;
  size_t finished() const {
    size_t n = 0;
    for (const auto& r : results) n += r.has_value();
    return n;
  }
};

void Join(SingleFlight<int, int>& flight, PendingLoads& loads, int key, Outcomes& out,
          size_t slot) {
  Spawn(flight.Do(key, nullptr, [&loads]() { return loads.Load(); }),
        [&out, slot](Result<int> r) { out.results[slot].emplace(std::move(r)); });
}

TEST_CASE("single flight: callers of one key share one load", "[read]") {
  SingleFlight<int, int> flight;
  PendingLoads loads;
  Outcomes out;
  out.results.resize(20);
  for (size_t i = 0; i < 10; ++i) Join(flight, loads, 1, out, i);
  for (size_t i = 10; i < 20; ++i) Join(flight, loads, 2, out, i);
  CHECK(loads.started() == 2);
  CHECK(flight.stats().loads == 2);
  CHECK(flight.stats().joined == 18);
  CHECK(out.finished() == 0);
  loads.CompleteAll(7);
  REQUIRE(out.finished() == 20);
  for (const auto& r : out.results) {
    REQUIRE(r->ok());
    CHECK(**r == 7);
  }
  CHECK(flight.in_flight() == 0);
}

TEST_CASE("single flight: a load takes a bounded number of waiters, then another starts",
          "[read]") {
  SingleFlight<int, int> flight;
  PendingLoads loads;
  Outcomes out;
  out.results.resize(10000);
  for (size_t i = 0; i < out.results.size(); ++i) Join(flight, loads, 1, out, i);
  CHECK(loads.started() == 2);  // 8,192 waiters per load
  loads.CompleteAll(5);
  REQUIRE(out.finished() == out.results.size());
  for (const auto& r : out.results) CHECK(**r == 5);
  CHECK(flight.in_flight() == 0);
}

TEST_CASE("single flight: a failure reaches every waiter and the next call loads again", "[read]") {
  SingleFlight<int, int> flight;
  PendingLoads loads;
  Outcomes out;
  out.results.resize(6);
  for (size_t i = 0; i < 5; ++i) Join(flight, loads, 1, out, i);
  loads.CompleteAll(Status::Unavailable("store down"));
  REQUIRE(out.finished() == 5);
  for (size_t i = 0; i < 5; ++i) {
    CHECK(out.results[i]->status().kind() == ErrorKind::kUnavailable);
  }
  CHECK(flight.in_flight() == 0);
  // Not remembered: a later call starts a new load, which succeeds.
  Join(flight, loads, 1, out, 5);
  CHECK(loads.started() == 2);
  loads.CompleteAll(3);
  REQUIRE(out.results[5].has_value());
  REQUIRE(out.results[5]->ok());
  CHECK(**out.results[5] == 3);
}

TEST_CASE("single flight: a published result is found before a new load starts", "[read]") {
  SingleFlight<int, int> flight;
  PendingLoads loads;
  std::optional<Result<int>> got;
  Spawn(flight.Do(
            1, []() -> std::optional<int> { return 42; }, [&loads]() { return loads.Load(); }),
        [&got](Result<int> r) { got.emplace(std::move(r)); });
  REQUIRE(got.has_value());
  CHECK(**got == 42);
  CHECK(loads.started() == 0);
}

TEST_CASE("single flight: a waiter resumed by the load may start the next load of its key",
          "[read]") {
  // The first waiter, resumed with the result, asks again at once: the finished flight must
  // be gone by then, so it starts a second load instead of joining a finished one forever.
  SingleFlight<int, int> flight;
  PendingLoads loads;
  std::optional<Result<int>> second;
  Spawn(flight.Do(1, nullptr, [&loads]() { return loads.Load(); }), [&](Result<int>) {
    Spawn(flight.Do(1, nullptr, [&loads]() { return loads.Load(); }),
          [&second](Result<int> r) { second.emplace(std::move(r)); });
  });
  loads.CompleteAll(1);
  CHECK(loads.started() == 2);
  REQUIRE_FALSE(second.has_value());
  loads.CompleteAll(2);
  REQUIRE(second.has_value());
  CHECK(**second == 2);
  CHECK(flight.in_flight() == 0);
}

// A memory store whose SST range reads (keys under compacted/) are held while `hold` is set,
// until Release() answers them; optionally answering held reads with an error instead.
class GateStore : public ObjectStore {
 public:
  explicit GateStore(std::shared_ptr<MemoryObjectStore> inner) : inner_(std::move(inner)) {}

  void SetHold(bool hold) {
    std::lock_guard<std::mutex> lock(mu_);
    hold_ = hold;
  }
  void FailHeld(bool fail) {
    std::lock_guard<std::mutex> lock(mu_);
    fail_held_ = fail;
  }
  // Answers the reads held so far; returns how many.
  size_t Release() {
    std::deque<std::function<void()>> ready;
    {
      std::lock_guard<std::mutex> lock(mu_);
      ready.swap(held_);
    }
    for (auto& answer : ready) answer();
    return ready.size();
  }
  size_t held() {
    std::lock_guard<std::mutex> lock(mu_);
    return held_.size();
  }
  uint64_t sst_reads() const { return sst_reads_.load(); }

  void Get(const std::string& key, Callback<std::string> done) override {
    inner_->Get(key, std::move(done));
  }
  void GetRange(const std::string& key, uint64_t offset, uint64_t length,
                Callback<std::string> done) override {
    if (key.find("compacted/") == std::string::npos) {
      inner_->GetRange(key, offset, length, std::move(done));
      return;
    }
    ++sst_reads_;
    std::unique_lock<std::mutex> lock(mu_);
    if (!hold_) {
      lock.unlock();
      inner_->GetRange(key, offset, length, std::move(done));
      return;
    }
    bool fail = fail_held_;
    held_.push_back([this, key, offset, length, fail, done = std::move(done)]() {
      if (fail) {
        done(Status::Unavailable("held read failed"));
      } else {
        inner_->GetRange(key, offset, length, done);
      }
    });
  }
  void Head(const std::string& key, Callback<ObjectMeta> done) override {
    inner_->Head(key, std::move(done));
  }
  void Put(const std::string& key, std::string data, const ObjectPutOptions& options,
           Callback<ObjectMeta> done) override {
    inner_->Put(key, std::move(data), options, std::move(done));
  }
  void List(const std::string& prefix, const std::string& start_after,
            Callback<std::vector<ObjectMeta>> done) override {
    inner_->List(prefix, start_after, std::move(done));
  }
  void Delete(const std::string& key, StatusCallback done) override {
    inner_->Delete(key, std::move(done));
  }
  std::string Describe() const override { return "gate(" + inner_->Describe() + ")"; }

 private:
  std::shared_ptr<MemoryObjectStore> inner_;
  std::mutex mu_;
  bool hold_ = false;
  bool fail_held_ = false;
  std::deque<std::function<void()>> held_;
  std::atomic<uint64_t> sst_reads_{0};
};

std::string Key(int i) {
  char buf[16];
  snprintf(buf, sizeof(buf), "k%05d", i);
  return buf;
}

// Writes `n` small keys into one L0 SST (one block: they fit in block_size_bytes) and
// reopens, so nothing of the SST is in memory.
struct ColdDb {
  std::shared_ptr<MemoryObjectStore> memory = std::make_shared<MemoryObjectStore>();
  std::shared_ptr<GateStore> gate = std::make_shared<GateStore>(memory);
  ThreadedDbEnv env;
  std::shared_ptr<Db> db;

  explicit ColdDb(int n) {
    env.store = gate;
    Settings settings = SmallSettings();
    settings.block_size_bytes = 64 * 1024;
    settings.object_store_max_retries = 0;  // a held failure reaches the reads at once
    {
      auto writer = env.Open(settings);
      for (int i = 0; i < n; ++i) REQUIRE(BlockOn(writer->Put(Key(i), "v" + Key(i))).ok());
      REQUIRE(BlockOn(writer->Flush(FlushType::kMemTable)).ok());
      REQUIRE(BlockOn(writer->Close()).ok());
    }
    db = env.Open(settings);
  }
};

// Starts a Get of each key; results land in `out` (in key order).
void StartGets(Db& db, const std::vector<std::string>& keys,
               std::vector<std::optional<Result<std::optional<std::string>>>>& out,
               std::atomic<size_t>& done) {
  out.resize(keys.size());
  for (size_t i = 0; i < keys.size(); ++i) {
    Spawn(db.Get(keys[i]), [&out, &done, i](Result<std::optional<std::string>> r) {
      out[i].emplace(std::move(r));
      ++done;
    });
  }
}

// Releases held reads until all `n` gets finished.
void ReleaseUntilDone(GateStore& gate, std::atomic<size_t>& done, size_t n) {
  for (int rounds = 0; done.load() < n; ++rounds) {
    REQUIRE(rounds < 100000);
    if (gate.Release() == 0) std::this_thread::yield();
  }
}

TEST_CASE("concurrent cold gets of keys in one block cost the requests of one get", "[read][db]") {
  constexpr int kKeys = 200;
  std::vector<std::string> keys;
  for (int i = 0; i < kKeys; ++i) keys.push_back(Key(i));
  keys.push_back("k00010x");  // in the SST's range, absent

  // One by one, on a cold database: the reference count.
  uint64_t sequential_reads = 0;
  {
    ColdDb cold(kKeys);
    uint64_t before = cold.gate->sst_reads();
    for (const std::string& key : keys) (void)GetOrFail(*cold.db, key);
    sequential_reads = cold.gate->sst_reads() - before;
    REQUIRE(BlockOn(cold.db->Close()).ok());
  }
  CHECK(sequential_reads == 2);  // the SST's index and filter, then its one block

  ColdDb cold(kKeys);
  cold.gate->SetHold(true);
  uint64_t before = cold.gate->sst_reads();
  std::vector<std::optional<Result<std::optional<std::string>>>> out;
  std::atomic<size_t> done{0};
  StartGets(*cold.db, keys, out, done);
  CHECK(done.load() == 0);
  CHECK(cold.gate->held() == 1);  // every get waits on the one open of the SST
  ReleaseUntilDone(*cold.gate, done, keys.size());
  CHECK(cold.gate->sst_reads() - before == sequential_reads);
  for (size_t i = 0; i < keys.size(); ++i) {
    REQUIRE(out[i]->ok());
    if (i < kKeys) {
      CHECK(**out[i] == "v" + keys[i]);
    } else {
      CHECK_FALSE((*out[i])->has_value());
    }
  }
  REQUIRE(BlockOn(cold.db->Close()).ok());
}

TEST_CASE("a failed shared read fails every waiting get and a later get reads again",
          "[read][db]") {
  ColdDb cold(50);
  uint64_t before = cold.gate->sst_reads();
  cold.gate->SetHold(true);
  cold.gate->FailHeld(true);
  std::vector<std::string> keys;
  for (int i = 0; i < 50; ++i) keys.push_back(Key(i));
  std::vector<std::optional<Result<std::optional<std::string>>>> out;
  std::atomic<size_t> done{0};
  StartGets(*cold.db, keys, out, done);
  CHECK(cold.gate->held() == 1);
  ReleaseUntilDone(*cold.gate, done, keys.size());
  CHECK(cold.gate->sst_reads() - before == 1);  // the open failed once, for all of them
  for (const auto& r : out) CHECK(r->status().kind() == ErrorKind::kUnavailable);

  // Not cached: the next get reads again and succeeds.
  cold.gate->FailHeld(false);
  cold.gate->SetHold(false);
  CHECK(GetOrFail(*cold.db, Key(7)) == "v" + Key(7));
  CHECK(cold.gate->sst_reads() - before == 3);  // the open, then the block
  REQUIRE(BlockOn(cold.db->Close()).ok());
}

TEST_CASE("gets waiting on a shared read finish when the database closes meanwhile", "[read][db]") {
  ColdDb cold(50);
  cold.gate->SetHold(true);
  std::vector<std::string> keys;
  for (int i = 0; i < 50; ++i) keys.push_back(Key(i));
  std::vector<std::optional<Result<std::optional<std::string>>>> out;
  std::atomic<size_t> done{0};
  StartGets(*cold.db, keys, out, done);
  REQUIRE(cold.gate->held() == 1);
  REQUIRE(BlockOn(cold.db->Close()).ok());
  ReleaseUntilDone(*cold.gate, done, keys.size());
  // Each get either read its value (it captured its view before the close) or says Closed.
  for (size_t i = 0; i < keys.size(); ++i) {
    if (out[i]->ok()) {
      CHECK(**out[i] == "v" + keys[i]);
    } else {
      CHECK(out[i]->status().kind() == ErrorKind::kClosed);
    }
  }
  cold.db.reset();  // the last reference: nothing may still be waiting on it
}

}  // namespace
}  // namespace slatedb::testing
