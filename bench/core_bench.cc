// SPDX-License-Identifier: Apache-2.0
//
// core_bench: engine throughput on the in-memory store, with object-store requests per
// operation next to each figure (requests are what object storage bills).
//
//   core_bench [--keys N] [--writers N]
//
// Workloads: sequential non-durable puts; random gets answered by the memtable; random
// gets answered by an L0 SST through the block cache; 100,000-key scans in both orders
// (from an L0 SST and from the memtable); durable puts
// from concurrent writers (group commit: how many puts share one WAL object).
#include <algorithm>
#include <atomic>
#include <chrono>
#include <ctime>
#include <cstdio>
#include <cstring>
#include <string>
#include <thread>
#include <vector>

#include "slatedb/platform/blocking.h"
#include "slatedb/platform/memory_object_store.h"
#include "slatedb/platform/system_clock.h"
#include "slatedb/platform/thread_pool_executor.h"
#include "slatedb/slatedb.h"

namespace {

using namespace slatedb;  // NOLINT: a benchmark driver
using Clock = std::chrono::steady_clock;

double Seconds(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

// "key" + 13 zero-padded digits: 16 bytes, formatted without snprintf so the loops
// measure the engine.
void FormatKey(uint64_t i, char out[16]) {
  std::memcpy(out, "key", 3);
  for (int d = 15; d >= 3; --d) {
    out[d] = static_cast<char>('0' + i % 10);
    i /= 10;
  }
}

std::string Key(uint64_t i) {
  char buf[16];
  FormatKey(i, buf);
  return std::string(buf, 16);
}

uint64_t Requests(const MemoryObjectStore& store) {
  RequestCounts c = store.counts();
  return c.get + c.get_range + c.head + c.put + c.list + c.del;
}

void Report(const char* name, uint64_t ops, double secs, uint64_t requests, const char* unit) {
  std::printf("%-44s %10.0f %s/s  %8.3f s  %10.6f requests/op\n", name, ops / secs, unit, secs,
              static_cast<double>(requests) / static_cast<double>(ops));
}

struct Env {
  std::shared_ptr<MemoryObjectStore> store = std::make_shared<MemoryObjectStore>();
  std::shared_ptr<ThreadPoolExecutor> executor = std::make_shared<ThreadPoolExecutor>(2);

  std::shared_ptr<Db> Open(Settings settings = {}) {
    DbOptions options;
    options.object_store = store;
    options.executor = executor;
    options.clock = std::make_shared<SystemClock>();
    options.path = "bench";
    options.settings = settings;
    Result<std::shared_ptr<Db>> db = BlockOn(Db::Open(options));
    if (!db.ok()) {
      std::fprintf(stderr, "open failed: %s\n", db.status().ToString().c_str());
      std::exit(1);
    }
    return *db;
  }
};

void Check(const Status& s, const char* what) {
  if (!s.ok()) {
    std::fprintf(stderr, "%s failed: %s\n", what, s.ToString().c_str());
    std::exit(1);
  }
}

// Writes keys 0..n-1 with 100-byte values, not waiting for durability.
void Load(Db& db, uint64_t n) {
  std::string value(100, 'v');
  WriteOptions fast;
  fast.await_durable = false;
  for (uint64_t i = 0; i < n; ++i) Check(BlockOn(db.Put(Key(i), value, {}, fast)).status(), "put");
}

// xorshift: cheap, fixed-seed random key indices.
struct Rng {
  uint64_t s = 88172645463325252ull;
  uint64_t Next() {
    s ^= s << 13;
    s ^= s >> 7;
    s ^= s << 17;
    return s;
  }
};

void BenchPuts(uint64_t n) {
  Env env;
  auto db = env.Open();
  std::string value(100, 'v');
  WriteOptions fast;
  fast.await_durable = false;
  uint64_t before = Requests(*env.store);
  auto start = Clock::now();
  for (uint64_t i = 0; i < n; ++i) Check(BlockOn(db->Put(Key(i), value, {}, fast)).status(), "put");
  double secs = Seconds(start);
  Check(BlockOn(db->Flush(FlushType::kWal)), "flush");
  Report("put (sequential, await_durable=false)", n, secs, Requests(*env.store) - before, "ops");
  Check(BlockOn(db->Close()), "close");
}

void BenchGets(uint64_t n, bool from_sst) {
  Env env;
  auto db = env.Open();
  Load(*db, n);
  if (from_sst) {
    Check(BlockOn(db->Flush(FlushType::kMemTable)), "flush");
    for (uint64_t i = 0; i < n; ++i) Check(BlockOn(db->Get(Key(i))).status(), "warm get");
  }
  uint64_t before = Requests(*env.store);
  Rng rng;
  uint64_t ops = from_sst ? 2'000'000 : 4'000'000;
  uint64_t found = 0;
  char key[16];
  auto start = Clock::now();
  for (uint64_t i = 0; i < ops; ++i) {
    FormatKey(rng.Next() % n, key);
    // As a binding does: the synchronous fast path, then the Task if I/O is needed.
    Result<std::optional<std::string>> r = Status::Internal("unset");
    if (!db->TryGet(std::string_view(key, 16), {}, &r))
      r = BlockOn(db->Get(std::string_view(key, 16)));
    if (r.ok() && r->has_value()) ++found;
  }
  double secs = Seconds(start);
  if (found != ops) {
    std::fprintf(stderr, "get found %llu of %llu\n", (unsigned long long)found,
                 (unsigned long long)ops);
    std::exit(1);
  }
  Report(from_sst ? "get (random, L0 SST via block cache)" : "get (random, memtable)", ops, secs,
         Requests(*env.store) - before, "ops");
  Check(BlockOn(db->Close()), "close");
}

// CPU seconds of this process (all threads): less sensitive to other load than wall time.
double ProcessCpuSeconds() {
  timespec ts{};
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) * 1e-9;
}

// Scans every key in `order`; returns how many were seen.
uint64_t ScanAll(Db& db, IterationOrder order) {
  ScanOptions options;
  options.order = order;
  auto it = BlockOn(db.Scan(Key(0), "", options));
  Check(it.status(), "scan");
  uint64_t count = 0;
  for (;;) {
    Result<std::optional<KeyValue>> next = Status::Internal("unset");
    if (!(*it)->TryNext(&next)) next = BlockOn((*it)->Next());
    Check(next.status(), "next");
    if (!next->has_value()) break;
    ++count;
  }
  return count;
}

// Full scans of n keys in both orders: from an L0 SST (cold blocks, then cached) and from
// the memtable.
void BenchScan(uint64_t n) {
  for (bool memtable : {false, true}) {
    Env env;
    auto db = env.Open();
    Load(*db, n);
    if (!memtable) Check(BlockOn(db->Flush(FlushType::kMemTable)), "flush");
    for (IterationOrder order : {IterationOrder::kAscending, IterationOrder::kDescending}) {
      const bool down = order == IterationOrder::kDescending;
      for (int round = 0; round < (memtable ? 1 : 2); ++round) {
        // The first scan of each order reads cold blocks (the block cache is bypassed).
        uint64_t before = Requests(*env.store);
        double cpu = ProcessCpuSeconds();
        auto start = Clock::now();
        uint64_t count = ScanAll(*db, order);
        double secs = Seconds(start);
        cpu = ProcessCpuSeconds() - cpu;
        if (count != n) {
          std::fprintf(stderr, "scan saw %llu keys\n", (unsigned long long)count);
          std::exit(1);
        }
        std::string name = memtable     ? "scan 100k keys (memtable)"
                           : round == 0 ? "scan 100k keys (L0 SST, cold blocks)"
                                        : "scan 100k keys (again)";
        if (down) name = "descending " + name.substr(5);
        Report(name.c_str(), count, secs, Requests(*env.store) - before, "keys");
        std::printf("%-44s %10.3f us/key CPU (process)\n", "", cpu * 1e6 / count);
      }
    }
    Check(BlockOn(db->Close()), "close");
  }
}

void BenchDurableWriters(int writers, int puts_each) {
  Env env;
  auto db = env.Open();
  std::string value(100, 'v');
  uint64_t puts_before = env.store->counts().put;
  std::atomic<uint64_t> failures{0};
  auto start = Clock::now();
  std::vector<std::thread> threads;
  for (int w = 0; w < writers; ++w) {
    threads.emplace_back([&, w] {
      for (int i = 0; i < puts_each; ++i) {
        if (!BlockOn(db->Put(Key(uint64_t(w) * 1'000'000 + i), value)).ok()) failures++;
      }
    });
  }
  for (auto& t : threads) t.join();
  double secs = Seconds(start);
  uint64_t wal_puts = env.store->counts().put - puts_before;
  uint64_t total = uint64_t(writers) * puts_each;
  char name[64];
  std::snprintf(name, sizeof(name), "durable put (%d concurrent writers)", writers);
  Report(name, total, secs, wal_puts, "ops");
  std::printf(
      "  %llu durable puts in %llu WAL objects: %.1f puts per WAL object, %.1f WAL "
      "objects per second (flush interval 100 ms)\n",
      (unsigned long long)total, (unsigned long long)wal_puts, double(total) / double(wal_puts),
      double(wal_puts) / secs);
  if (failures != 0) std::exit(1);
  Check(BlockOn(db->Close()), "close");
}

}  // namespace

int main(int argc, char** argv) {
  uint64_t keys = 1'000'000;
  int writers = 64;
  for (int i = 1; i + 1 < argc; i += 2) {
    if (std::strcmp(argv[i], "--keys") == 0) keys = std::strtoull(argv[i + 1], nullptr, 10);
    if (std::strcmp(argv[i], "--writers") == 0) writers = std::atoi(argv[i + 1]);
  }
  std::printf("core_bench: memory store, 16-byte keys, 100-byte values\n");
  BenchPuts(keys);
  BenchGets(200'000, /*from_sst=*/false);
  BenchGets(200'000, /*from_sst=*/true);
  BenchScan(100'000);
  BenchDurableWriters(writers, 20);
  return 0;
}
