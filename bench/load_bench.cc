// SPDX-License-Identifier: Apache-2.0
//
// load_bench: one writer loading keys, for comparing where compaction runs
// (bench/run_standalone_compactor_bench.sh runs it both ways on the S3 test server).
//
//   build/bench/load_bench --store s3://bucket/prefix|DIR --keys N [--compaction on|off]
//                          [--batch 100] [--max-seconds S]
//
// Loads keys 0..N-1 (16-byte keys in random order, 100-byte values) in batches that do not
// wait for durability (the writer's own backpressure paces them: max_unflushed_bytes, and
// l0_max_ssts when its own compactor runs), then flushes the memtable and waits until L0 is
// drained (below compaction_min_sources SSTs: nothing left to compact). --compaction off opens the
// writer with compactor_enabled = false: another process (`slatedb compactor run`) must compact.
// Every second it samples the writer's L0 count. Prints one line per sample ("t=.. keys=.. l0=..")
// and a summary: load throughput, L0 max and mean, write stalls (a batch that took over 100 ms, and
// the total time spent in them), and how long L0 took to drain after the load. --max-seconds stops
// loading early (the summary says how many keys were loaded).
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <map>
#include <string>
#include <thread>

#include "bench_keys.h"
#include "slatedb/platform/blocking.h"
#include "slatedb/platform/local_object_store.h"
#include "slatedb/platform/s3_native.h"
#include "slatedb/platform/system_clock.h"
#include "slatedb/platform/thread_pool_executor.h"
#include "slatedb/slatedb.h"

namespace {

using namespace slatedb;  // NOLINT: a benchmark driver
using bench::Check;
using bench::Key;
using bench::Seconds;
using bench::SteadyClock;

std::string Value(uint64_t i) {
  std::string v;
  bench::Value(i, &v);
  return v;
}

std::shared_ptr<ObjectStore> OpenStore(const std::string& where) {
  if (where.rfind("s3://", 0) == 0) {
    Result<std::shared_ptr<S3ObjectStore>> s3 = OpenS3ObjectStore(where);
    Check(s3.status(), "open the S3 store");
    return *s3;
  }
  Result<std::shared_ptr<LocalObjectStore>> local = LocalObjectStore::Open(where);
  Check(local.status(), "open the directory");
  return *local;
}

}  // namespace

int main(int argc, char** argv) {
  std::string store;
  uint64_t keys = 100'000;
  uint64_t batch_size = 100;
  bool compaction = true;
  double max_seconds = 0;
  for (int i = 1; i + 1 < argc; i += 2) {
    std::string flag = argv[i], value = argv[i + 1];
    if (flag == "--store") {
      store = value;
    } else if (flag == "--keys") {
      keys = std::strtoull(value.c_str(), nullptr, 10);
    } else if (flag == "--batch") {
      batch_size = std::max<uint64_t>(1, std::strtoull(value.c_str(), nullptr, 10));
    } else if (flag == "--compaction") {
      compaction = value != "off";
    } else if (flag == "--max-seconds") {
      max_seconds = std::atof(value.c_str());
    } else {
      std::fprintf(stderr, "load_bench: unknown flag %s\n", flag.c_str());
      return 2;
    }
  }
  if (store.empty()) {
    std::fprintf(stderr,
                 "usage: load_bench --store s3://bucket/prefix|DIR --keys N "
                 "[--compaction on|off] [--batch 100] [--max-seconds S]\n");
    return 2;
  }

  DbOptions options;
  options.object_store = OpenStore(store);
  options.executor = std::make_shared<ThreadPoolExecutor>(4);
  options.clock = std::make_shared<SystemClock>();
  options.path = "loaddb";
  options.settings.compactor_enabled = compaction;
  options.settings.gc_enabled = false;  // the comparison is about compaction
  options.settings.manifest_poll_interval_ms = 500;
  std::shared_ptr<Db> db = [&]() {
    Result<std::shared_ptr<Db>> opened = BlockOn(Db::Open(options));
    Check(opened.status(), "Db::Open");
    return *opened;
  }();

  const SteadyClock::time_point start = SteadyClock::now();
  SteadyClock::time_point next_sample = start;
  uint64_t l0_max = 0, l0_sum = 0, samples = 0, stalls = 0;
  double stall_seconds = 0, worst_batch = 0;
  uint64_t loaded = 0;
  WriteOptions no_wait;
  no_wait.await_durable = false;
  auto sample = [&]() {
    uint64_t l0 = db->Metrics()["db/l0_sst_count"];
    l0_max = std::max(l0_max, l0);
    l0_sum += l0;
    ++samples;
    std::printf("t=%.0f keys=%llu l0=%llu\n", Seconds(start),
                static_cast<unsigned long long>(loaded), static_cast<unsigned long long>(l0));
    std::fflush(stdout);
  };
  while (loaded < keys) {
    if (max_seconds > 0 && Seconds(start) >= max_seconds) break;
    WriteBatch batch;
    uint64_t end = std::min(keys, loaded + batch_size);
    for (uint64_t i = loaded; i < end; ++i) batch.Put(Key(i), Value(i));
    SteadyClock::time_point t = SteadyClock::now();
    Check(BlockOn(db->Write(std::move(batch), no_wait)).status(), "write");
    double took = Seconds(t);
    worst_batch = std::max(worst_batch, took);
    if (took > 0.1) {
      ++stalls;
      stall_seconds += took;
    }
    loaded = end;
    if (SteadyClock::now() >= next_sample) {
      sample();
      next_sample += std::chrono::seconds(1);
    }
  }
  Check(BlockOn(db->Flush(FlushType::kMemTable)), "flush");
  const double load_seconds = Seconds(start);
  sample();
  // Drained: L0 is below compaction_min_sources, so the compactor (here or elsewhere) has
  // nothing more to pick from it. L0 is still sampled every second meanwhile.
  const SteadyClock::time_point drain = SteadyClock::now();
  const uint64_t drained = options.settings.compaction_min_sources;
  while (db->Metrics()["db/l0_sst_count"] >= drained && Seconds(drain) < 600) {
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
    if (SteadyClock::now() >= next_sample) {
      sample();
      next_sample += std::chrono::seconds(1);
    }
  }
  const double drain_seconds = Seconds(drain);
  std::map<std::string, uint64_t> m = db->Metrics();
  std::printf(
      "summary: compaction=%s keys=%llu load_s=%.1f keys_per_s=%.0f l0_max=%llu l0_mean=%.1f "
      "stalls=%llu stall_s=%.1f worst_batch_ms=%.0f drain_s=%.1f l0_after=%llu "
      "sorted_runs=%llu\n",
      compaction ? "in-process" : "standalone", static_cast<unsigned long long>(loaded),
      load_seconds, static_cast<double>(loaded) / load_seconds,
      static_cast<unsigned long long>(l0_max),
      samples ? static_cast<double>(l0_sum) / static_cast<double>(samples) : 0.0,
      static_cast<unsigned long long>(stalls), stall_seconds, worst_batch * 1000, drain_seconds,
      static_cast<unsigned long long>(m["db/l0_sst_count"]),
      static_cast<unsigned long long>(m["db/sorted_run_count"]));
  // A spot check: the first and last keys read back.
  for (uint64_t i : {uint64_t{0}, loaded == 0 ? 0 : loaded - 1}) {
    if (loaded == 0) break;  // --keys 0: only creates the database
    Result<std::optional<std::string>> got = BlockOn(db->Get(Key(i)));
    Check(got.status(), "get");
    if (!got->has_value() || **got != Value(i)) {
      std::fprintf(stderr, "load_bench: key %llu reads back wrong\n",
                   static_cast<unsigned long long>(i));
      return 1;
    }
  }
  Check(BlockOn(db->Close()), "close");
  return 0;
}
