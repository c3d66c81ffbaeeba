// SPDX-License-Identifier: Apache-2.0
//
// compaction_bench: the engine at scale on the local-directory store. Loads N keys (16-byte
// keys in random order, 100-byte values) with compaction running, waits for compaction and
// GC to settle, then measures warm random gets and 100-key scans. Prints ops/s,
// object-store requests per operation, bytes stored vs live bytes (space amplification)
// and peak memory (getrusage).
//
//   build/bench/compaction_bench [--keys 5000000] [--dir /tmp/x] [--cache-mib 1024]
//                                [--reads-only 1] [--codec none|snappy|zlib|lz4|zstd]
//
// --codec sets Settings::compression (default: the settings' default, none).
// --reads-only reopens a --dir an earlier run loaded (with the same --keys) and runs only the
// read phases, for profiling them.
#include <sys/resource.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <filesystem>
#include <map>
#include <string>
#include <thread>

#include "bench_keys.h"
#include "slatedb/platform/blocking.h"
#include "slatedb/platform/local_object_store.h"
#include "slatedb/platform/system_clock.h"
#include "slatedb/platform/thread_pool_executor.h"
#include "slatedb/slatedb.h"

namespace {

using namespace slatedb;  // NOLINT: a benchmark driver
using bench::Check;
using bench::Key;
using bench::Mix;
using bench::Seconds;
using bench::SteadyClock;
using bench::Value;

uint64_t Requests(const std::map<std::string, uint64_t>& m) {
  static const char* kTypes[] = {"get", "get_range", "head", "put", "list", "delete"};
  uint64_t total = 0;
  for (const char* t : kTypes) total += m.at(std::string("object_store/") + t);
  return total;
}

// CPU time of the whole process (every thread), so a phase's CPU cost per operation can be
// read even when other work on the machine makes its wall-clock rate noisy.
double ProcessCpuSeconds() {
  struct rusage usage;
  getrusage(RUSAGE_SELF, &usage);
  return static_cast<double>(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) +
         static_cast<double>(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6;
}

// CPU time of the calling thread: the part of an operation's cost that sits on the caller's
// critical path rather than in background flushes and compactions.
double ThreadCpuSeconds() {
  struct timespec ts;
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) / 1e9;
}

struct Phase {
  SteadyClock::time_point wall = SteadyClock::now();
  double cpu = ProcessCpuSeconds();
  double caller_cpu = ThreadCpuSeconds();
  double Seconds() const { return ::Seconds(wall); }
};

void Report(const char* name, uint64_t ops, const Phase& phase, uint64_t requests) {
  double secs = phase.Seconds();
  double cpu_us = (ProcessCpuSeconds() - phase.cpu) * 1e6 / static_cast<double>(ops);
  double caller_us = (ThreadCpuSeconds() - phase.caller_cpu) * 1e6 / static_cast<double>(ops);
  std::printf("%-34s %8.0f ops/s %7.2f s  cpu-us/op %5.2f (caller %5.2f)  %8.5f requests/op\n",
              name, static_cast<double>(ops) / secs, secs, cpu_us, caller_us,
              static_cast<double>(requests) / static_cast<double>(ops));
  std::fflush(stdout);
}

uint64_t StoredBytes(const std::string& root) {
  uint64_t total = 0;
  for (const auto& e : std::filesystem::recursive_directory_iterator(root)) {
    if (!e.is_regular_file()) continue;
    std::string rel = std::filesystem::relative(e.path(), root).string();
    if (rel.rfind(".tmp", 0) == 0 || rel == ".lock") continue;
    total += e.file_size();
  }
  return total;
}

// Waits until nothing is left to flush or compact.
void Settle(Db& db) {
  for (;;) {
    auto m = db.Metrics();
    if (m["compaction/running"] == 0 && m["db/immutable_memtables"] == 0 &&
        m["db/l0_sst_count"] < 4) {
      std::this_thread::sleep_for(std::chrono::milliseconds(200));
      if (db.Metrics()["compaction/running"] == 0) return;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
}

// Loads n keys with compaction running, waits for compaction to settle, runs one GC pass,
// and prints the load figures and the space amplification.
void LoadAndSettle(Db& db, uint64_t n, const std::string& dir) {
  WriteOptions fast;
  fast.await_durable = false;
  std::string value;
  auto before = db.Metrics();
  Phase load;
  for (uint64_t i = 0; i < n; ++i) {
    Value(i, &value);
    Check(BlockOn(db.Put(Key(i), value, {}, fast)).status(), "put");
  }
  auto after = db.Metrics();
  Report("load (put, await_durable=false)", n, load, Requests(after) - Requests(before));
  Check(BlockOn(db.Flush(FlushType::kMemTable)), "flush");
  Settle(db);
  double settle_secs = load.Seconds();
  // GC until the stored bytes stop shrinking: a pass keeps whatever this process's manifest
  // view still references, and that view can trail the compactor's last publish briefly.
  uint64_t stored_before = UINT64_MAX;
  for (int pass = 0; pass < 10; ++pass) {
    Check(BlockOn(db.RunGcOnce(0)), "gc");
    uint64_t stored_now = StoredBytes(dir);
    if (stored_now >= stored_before) break;
    stored_before = stored_now;
    std::this_thread::sleep_for(std::chrono::milliseconds(500));
  }
  after = db.Metrics();
  std::printf(
      "load + flush + compaction settled in %.1f s: %llu compactions, %.0f MiB read, "
      "%.0f MiB written, %llu L0, %llu sorted runs (%llu SSTs), %llu L0 flush stalls, "
      "%llu write stalls\n",
      settle_secs, static_cast<unsigned long long>(after["compaction/completed"]),
      after["compaction/bytes_read"] / 1048576.0, after["compaction/bytes_written"] / 1048576.0,
      static_cast<unsigned long long>(after["db/l0_sst_count"]),
      static_cast<unsigned long long>(after["db/sorted_run_count"]),
      static_cast<unsigned long long>(after["db/sorted_run_sst_count"]),
      static_cast<unsigned long long>(after["db/l0_flush_stalls"]),
      static_cast<unsigned long long>(after["db/write_stalls"]));
  uint64_t stored = StoredBytes(dir);
  uint64_t live = n * (16 + 100);
  std::printf("stored %.1f MiB, live %.1f MiB: space amplification %.3f\n", stored / 1048576.0,
              live / 1048576.0, static_cast<double>(stored) / static_cast<double>(live));
}

}  // namespace

int main(int argc, char** argv) {
  uint64_t n = 5'000'000;
  std::string dir;
  uint64_t cache_mib = 1024;
  bool reads_only = false;
  std::string codec;
  for (int i = 1; i + 1 < argc; i += 2) {
    if (std::strcmp(argv[i], "--codec") == 0) codec = argv[i + 1];
    if (std::strcmp(argv[i], "--keys") == 0) n = std::strtoull(argv[i + 1], nullptr, 10);
    if (std::strcmp(argv[i], "--dir") == 0) dir = argv[i + 1];
    if (std::strcmp(argv[i], "--reads-only") == 0) reads_only = std::strcmp(argv[i + 1], "0") != 0;
    if (std::strcmp(argv[i], "--cache-mib") == 0) {
      cache_mib = std::strtoull(argv[i + 1], nullptr, 10);
    }
  }
  const bool temporary_dir = dir.empty();
  if (temporary_dir) {
    char tmpl[] = "/tmp/slatedb-compaction-bench-XXXXXX";
    dir = mkdtemp(tmpl);
  }
  Result<std::shared_ptr<LocalObjectStore>> store = LocalObjectStore::Open(dir);
  Check(store.status(), "open store");
  DbOptions options;
  options.object_store = *store;
  options.executor = std::make_shared<ThreadPoolExecutor>(2);
  options.clock = std::make_shared<SystemClock>();
  options.path = "db";
  options.settings.block_cache_bytes = cache_mib << 20;
  options.settings.l0_sst_size_bytes = 32ull << 20;
  options.settings.max_unflushed_bytes = 256ull << 20;
  options.settings.SetGc(/*interval_ms=*/10'000, /*min_age_ms=*/5'000);
  if (!codec.empty()) {
    // The settings table's spellings (upstream's, any case; "none" is null).
    const std::string value = codec == "none" ? "null" : "\"" + codec + "\"";
    Status set = SetSetting(&options.settings, "compression_codec", value);
    if (!set.ok()) {
      std::fprintf(stderr, "unknown --codec %s: %s\n", codec.c_str(), set.ToString().c_str());
      return 2;
    }
    std::printf("codec: %s\n", codec.c_str());
  }
  Result<std::shared_ptr<Db>> opened = BlockOn(Db::Open(options));
  Check(opened.status(), "open");
  std::shared_ptr<Db> db = *opened;
  std::printf("compaction_bench: %llu keys (16-byte keys, 100-byte values) in %s, cache %llu MiB\n",
              static_cast<unsigned long long>(n), dir.c_str(),
              static_cast<unsigned long long>(cache_mib));

  if (!reads_only) LoadAndSettle(*db, n, dir);

  // Random gets: warm the block cache, then measure.
  uint64_t rng = 12345;
  auto next_key = [&]() {
    rng = Mix(rng);
    return Key(rng % n);
  };
  auto get = [&](const std::string& key) {
    Result<std::optional<std::string>> r = Status::Internal("unset");
    if (!db->TryGet(key, {}, &r)) r = BlockOn(db->Get(key));
    Check(r.status(), "get");
    if (!r->has_value()) {
      std::fprintf(stderr, "missing key %s\n", key.c_str());
      std::exit(1);
    }
  };
  uint64_t gets = std::min<uint64_t>(n, 1'000'000);
  for (int round = 0; round < 2; ++round) {
    auto before = db->Metrics();
    Phase phase;
    uint64_t count = round == 0 ? 2 * gets : gets;
    for (uint64_t i = 0; i < count; ++i) get(next_key());
    auto after = db->Metrics();
    Report(round == 0 ? "random get (warming the cache)" : "random get (warm)", count, phase,
           Requests(after) - Requests(before));
    std::printf(
        "  block cache: %.4f misses/get, %.4f hits/get\n",
        static_cast<double>(after["block_cache/misses"] - before["block_cache/misses"]) / count,
        static_cast<double>(after["block_cache/hits"] - before["block_cache/hits"]) / count);
  }

  // 100-key scans from random starts.
  uint64_t scans = 20'000;
  for (int round = 0; round < 2; ++round) {
    auto before = db->Metrics();
    Phase phase;
    uint64_t rows = 0;
    for (uint64_t i = 0; i < scans; ++i) {
      Result<std::unique_ptr<DbIterator>> it = BlockOn(db->Scan(next_key(), ""));
      Check(it.status(), "scan");
      for (int k = 0; k < 100; ++k) {
        Result<std::optional<KeyValue>> row = Status::Internal("unset");
        if (!(*it)->TryNext(&row)) row = BlockOn((*it)->Next());
        Check(row.status(), "next");
        if (!row->has_value()) break;
        ++rows;
      }
    }
    double secs = phase.Seconds();
    auto after = db->Metrics();
    Report(round == 0 ? "scan 100 keys (random start)" : "scan 100 keys (again)", scans, phase,
           Requests(after) - Requests(before));
    std::printf("  %.0f rows/s\n", static_cast<double>(rows) / secs);
  }

  Check(BlockOn(db->Close()), "close");
  struct rusage usage;
  getrusage(RUSAGE_SELF, &usage);
  std::printf("peak memory (max RSS) %.0f MiB (block cache budget %llu MiB)\n",
              usage.ru_maxrss / 1024.0, static_cast<unsigned long long>(cache_mib));
  if (temporary_dir) std::filesystem::remove_all(dir);
  return 0;
}
