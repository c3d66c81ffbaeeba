// SPDX-License-Identifier: Apache-2.0
//
// txn_bench: optimistic transactions under contention on the in-memory store.
//
//   txn_bench [--keys 10000] [--clients 8] [--seconds 5] [--durable]
//
// Each client thread runs transactions back to back: 5 point reads and 5 puts of random
// keys among --keys hot keys, then commit (await_durable=false unless --durable, where a
// commit waits for its WAL object). Conflicting commits are counted and the transaction is
// simply dropped (a real client would retry it). Runs SSI, then SI on a fresh database,
// and prints commits/s, conflicts/s, the conflict rate and object-store requests per
// commit.
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
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

struct Config {
  uint64_t keys = 10'000;
  int clients = 8;
  double seconds = 5;
  bool durable = false;
};

std::string Key(uint64_t i) {
  char buf[24];
  std::snprintf(buf, sizeof(buf), "hot%08llu", static_cast<unsigned long long>(i));
  return buf;
}

uint64_t Requests(const MemoryObjectStore& store) {
  RequestCounts c = store.counts();
  return c.get + c.get_range + c.head + c.put + c.list + c.del;
}

void Die(const char* what, const Status& s) {
  std::fprintf(stderr, "%s failed: %s\n", what, s.ToString().c_str());
  std::exit(1);
}

void Run(const Config& config, IsolationLevel isolation) {
  auto store = std::make_shared<MemoryObjectStore>();
  DbOptions options;
  options.object_store = store;
  options.executor = std::make_shared<ThreadPoolExecutor>(2);
  options.clock = std::make_shared<SystemClock>();
  options.path = "bench";
  Result<std::shared_ptr<Db>> opened = BlockOn(Db::Open(options));
  if (!opened.ok()) Die("open", opened.status());
  std::shared_ptr<Db> db = *opened;

  WriteOptions fast;
  fast.await_durable = false;
  for (uint64_t i = 0; i < config.keys; ++i) {
    Result<WriteHandle> put = BlockOn(db->Put(Key(i), "initial-value-0000", {}, fast));
    if (!put.ok()) Die("load", put.status());
  }
  if (Status s = BlockOn(db->Flush()); !s.ok()) Die("flush", s);

  WriteOptions commit_options;
  commit_options.await_durable = config.durable;
  std::atomic<bool> stop{false};
  std::atomic<uint64_t> commits{0};
  std::atomic<uint64_t> conflicts{0};
  const uint64_t requests_before = Requests(*store);
  std::vector<std::thread> clients;
  const auto start = SteadyClock::now();
  for (int c = 0; c < config.clients; ++c) {
    clients.emplace_back([&, c] {
      std::mt19937_64 rng(1234 + static_cast<uint64_t>(c));
      std::uniform_int_distribution<uint64_t> pick(0, config.keys - 1);
      std::string value;
      while (!stop.load(std::memory_order_relaxed)) {
        Result<std::unique_ptr<Transaction>> txn = db->Begin(isolation);
        if (!txn.ok()) Die("begin", txn.status());
        for (int r = 0; r < 5; ++r) {
          Result<std::optional<std::string>> got = BlockOn((*txn)->Get(Key(pick(rng))));
          if (!got.ok()) Die("get", got.status());
        }
        for (int w = 0; w < 5; ++w) {
          value = "client" + std::to_string(c) + "-" + std::to_string(rng() % 1'000'000'000);
          if (Status s = (*txn)->Put(Key(pick(rng)), value); !s.ok()) Die("put", s);
        }
        Result<std::optional<WriteHandle>> done = BlockOn((*txn)->Commit(commit_options));
        if (done.ok()) {
          commits.fetch_add(1, std::memory_order_relaxed);
        } else if (done.status().kind() == ErrorKind::kTransaction) {
          conflicts.fetch_add(1, std::memory_order_relaxed);
        } else {
          Die("commit", done.status());
        }
      }
    });
  }
  std::this_thread::sleep_for(std::chrono::duration<double>(config.seconds));
  stop.store(true);
  for (auto& t : clients) t.join();
  const double secs = std::chrono::duration<double>(SteadyClock::now() - start).count();
  const uint64_t requests = Requests(*store) - requests_before;
  auto metrics = db->Metrics();

  const uint64_t n = commits.load();
  const uint64_t k = conflicts.load();
  std::printf("%-4s %d clients, %llu hot keys, 5 reads + 5 writes, %s commits\n",
              isolation == IsolationLevel::kSnapshot ? "SI" : "SSI", config.clients,
              static_cast<unsigned long long>(config.keys),
              config.durable ? "durable" : "non-durable");
  std::printf(
      "  commits/s %10.0f   conflicts/s %8.0f   conflict rate %5.2f%%   "
      "%.4f requests/commit   (%.1f s; txn/recorded_commits now %llu)\n",
      n / secs, k / secs, n + k == 0 ? 0.0 : 100.0 * k / static_cast<double>(n + k),
      n == 0 ? 0.0 : static_cast<double>(requests) / static_cast<double>(n), secs,
      static_cast<unsigned long long>(metrics["txn/recorded_commits"]));
  if (Status s = BlockOn(db->Close()); !s.ok()) Die("close", s);
}

}  // namespace

int main(int argc, char** argv) {
  Config config;
  for (int i = 1; i < argc; ++i) {
    auto value = [&]() -> const char* {
      if (i + 1 >= argc) {
        std::fprintf(stderr, "%s needs a value\n", argv[i]);
        std::exit(2);
      }
      return argv[++i];
    };
    if (std::strcmp(argv[i], "--keys") == 0) {
      config.keys = std::strtoull(value(), nullptr, 10);
    } else if (std::strcmp(argv[i], "--clients") == 0) {
      config.clients = std::atoi(value());
    } else if (std::strcmp(argv[i], "--seconds") == 0) {
      config.seconds = std::atof(value());
    } else if (std::strcmp(argv[i], "--durable") == 0) {
      config.durable = true;
    } else {
      std::fprintf(stderr, "usage: txn_bench [--keys N] [--clients N] [--seconds S] [--durable]\n");
      return 2;
    }
  }
  if (config.keys == 0 || config.clients <= 0) {
    std::fprintf(stderr, "--keys and --clients must be positive\n");
    return 2;
  }
  Run(config, IsolationLevel::kSerializableSnapshot);
  Run(config, IsolationLevel::kSnapshot);
  return 0;
}
