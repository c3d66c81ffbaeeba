// SPDX-License-Identifier: Apache-2.0
//
// multi_get_bench: Db::MultiGet of many keys against a loop of Get (each as a binding does
// it: TryGet, then the Task if I/O is needed), on the in-memory store with a warm block
// cache. Run by hand (bench/README.md); figures depend on the machine and its load.
//
//   multi_get_bench [--keys N] [--rounds N] [--only loop|many]
//
// --only times just one of the two (for a profiler), --rounds times over.
//
// Layouts: every key in one L0 SST (one memtable flush), and every key in one sorted run of
// many SSTs (four flushes merged by the compactor, output SSTs cut at 1 MiB). Keys are read
// in a random order, each once.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <numeric>
#include <random>
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
using SteadyClock = std::chrono::steady_clock;

double Seconds(SteadyClock::time_point start) {
  return std::chrono::duration<double>(SteadyClock::now() - start).count();
}

void Check(const Status& s, const char* what) {
  if (!s.ok()) {
    std::fprintf(stderr, "%s failed: %s\n", what, s.ToString().c_str());
    std::exit(1);
  }
}

// As the Python benchmark's keys: "key" + 13 zero-padded digits.
std::string Key(uint64_t i) {
  char buf[32];
  std::snprintf(buf, sizeof(buf), "key%013llu", static_cast<unsigned long long>(i));
  return std::string(buf, 16);
}

std::shared_ptr<Db> OpenDb(bool sorted_run) {
  DbOptions options;
  options.object_store = std::make_shared<MemoryObjectStore>();
  options.executor = std::make_shared<ThreadPoolExecutor>(2);
  options.clock = std::make_shared<SystemClock>();
  options.path = "bench";
  if (sorted_run) options.settings.compaction_max_sst_bytes = 1 << 20;
  Result<std::shared_ptr<Db>> db = BlockOn(Db::Open(options));
  Check(db.status(), "open");
  return *db;
}

void Load(Db& db, uint64_t n, bool sorted_run) {
  const std::string value(100, 'v');
  WriteOptions fast;
  fast.await_durable = false;
  const uint64_t parts = sorted_run ? 4 : 1;
  for (uint64_t p = 0; p < parts; ++p) {
    for (uint64_t i = p * n / parts; i < (p + 1) * n / parts; ++i) {
      Check(BlockOn(db.Put(Key(i), value, {}, fast)).status(), "put");
    }
    Check(BlockOn(db.Flush(FlushType::kMemTable)), "flush");
  }
  if (!sorted_run) return;
  auto deadline = SteadyClock::now() + std::chrono::seconds(120);
  for (;;) {
    auto metrics = db.Metrics();
    if (metrics["db/l0_sst_count"] == 0 && metrics["db/sorted_run_count"] == 1) return;
    if (SteadyClock::now() > deadline) {
      std::fprintf(stderr, "compaction did not finish\n");
      std::exit(1);
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
}

enum class Only { kBoth, kLoop, kMany };

void Bench(uint64_t n, int rounds, bool sorted_run, Only only) {
  auto db = OpenDb(sorted_run);
  Load(*db, n, sorted_run);
  std::vector<std::string> keys(n);
  for (uint64_t i = 0; i < n; ++i) keys[i] = Key(i);
  std::shuffle(keys.begin(), keys.end(), std::mt19937_64(1));
  const std::string value(100, 'v');

  auto loop = [&] {
    size_t found = 0;
    for (const std::string& key : keys) {
      Result<std::optional<std::string>> r = Status::Internal("unset");
      if (!db->TryGet(key, {}, &r)) r = BlockOn(db->Get(key));
      Check(r.status(), "get");
      if (r->has_value() && **r == value) ++found;
    }
    return found;
  };
  auto many = [&] {
    Result<std::vector<std::optional<std::string>>> r = BlockOn(db->MultiGet(keys));
    Check(r.status(), "multi get");
    size_t found = 0;
    for (const auto& v : *r) found += v.has_value() && *v == value;
    return found;
  };
  // Warm: every SST open and every block cached.
  loop();
  double best_loop = 1e9, best_many = 1e9;
  if (only != Only::kBoth) {
    auto start = SteadyClock::now();
    for (int round = 0; round < rounds; ++round) {
      size_t found = only == Only::kLoop ? loop() : many();
      if (found != n) std::exit((std::fprintf(stderr, "found %zu\n", found), 1));
    }
    std::printf("%s %s: %.1f ms per round\n", sorted_run ? "sorted run" : "L0 SST",
                only == Only::kLoop ? "loop of Get" : "MultiGet", Seconds(start) * 1e3 / rounds);
    Check(BlockOn(db->Close()), "close");
    return;
  }
  for (int round = 0; round < rounds; ++round) {
    auto start = SteadyClock::now();
    size_t found = loop();
    best_loop = std::min(best_loop, Seconds(start));
    if (found != n) std::exit((std::fprintf(stderr, "loop found %zu\n", found), 1));
    start = SteadyClock::now();
    found = many();
    best_many = std::min(best_many, Seconds(start));
    if (found != n) std::exit((std::fprintf(stderr, "multi get found %zu\n", found), 1));
  }
  const char* layout = sorted_run ? "sorted run" : "L0 SST";
  std::printf("%-10s loop of Get  %10.0f keys/s  %7.1f ms\n", layout, n / best_loop,
              best_loop * 1e3);
  std::printf("%-10s MultiGet     %10.0f keys/s  %7.1f ms  (%.2fx)\n", layout, n / best_many,
              best_many * 1e3, best_loop / best_many);
  Check(BlockOn(db->Close()), "close");
}

}  // namespace

int main(int argc, char** argv) {
  uint64_t n = 100'000;
  int rounds = 5;
  Only only = Only::kBoth;
  for (int i = 1; i + 1 < argc; i += 2) {
    if (std::strcmp(argv[i], "--keys") == 0) n = std::strtoull(argv[i + 1], nullptr, 10);
    if (std::strcmp(argv[i], "--rounds") == 0) rounds = std::atoi(argv[i + 1]);
    if (std::strcmp(argv[i], "--only") == 0) {
      only = std::strcmp(argv[i + 1], "loop") == 0 ? Only::kLoop : Only::kMany;
    }
  }
  Bench(n, rounds, /*sorted_run=*/false, only);
  Bench(n, rounds, /*sorted_run=*/true, only);
  return 0;
}
