// SPDX-License-Identifier: Apache-2.0
//
// bench: a quick put / get / scan check of a store with a scratch database, reporting time
// and object-store requests per operation (what a real object store bills). Every value is
// read back and compared, so it doubles as a smoke test of the store.
#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <random>
#include <sstream>

#include "cli_error.h"
#include "commands.h"
#include "counting_store.h"
#include "slatedb/platform/blocking.h"

namespace slatedb::cli {

namespace {

using SteadyClock = std::chrono::steady_clock;

std::string KeyOf(uint64_t i) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "bench-%010llu", static_cast<unsigned long long>(i));
  return buf;
}

// The value of key i: `bytes` pseudo-random bytes determined by i, so reads can be checked.
std::string ValueOf(uint64_t i, uint64_t bytes) {
  std::string v(bytes, '\0');
  uint64_t x = i * 0x9E3779B97F4A7C15ull + 1;
  for (uint64_t j = 0; j < bytes; ++j) {
    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    v[j] = static_cast<char>(x);
  }
  return v;
}

Task<Status> PutOne(std::shared_ptr<Db> db, std::string key, std::string value) {
  Result<WriteHandle> written = co_await db->Put(key, value);
  co_return written.status();
}

// Runs op(i) for every i < total with at most `in_flight` running; the first error wins.
Status RunConcurrent(uint64_t total, uint64_t in_flight,
                     const std::function<Task<Status>(uint64_t)>& op) {
  struct State {
    std::mutex mu;
    std::condition_variable cv;
    uint64_t running = 0;
    Status first_error;
  } state;
  for (uint64_t i = 0; i < total; ++i) {
    {
      std::unique_lock<std::mutex> lock(state.mu);
      state.cv.wait(lock, [&] { return state.running < in_flight; });
      if (!state.first_error.ok()) break;
      ++state.running;
    }
    Spawn(op(i), [&state](Status s) {
      std::lock_guard<std::mutex> lock(state.mu);
      if (!s.ok() && state.first_error.ok()) state.first_error = s;
      --state.running;
      state.cv.notify_all();  // under the lock: `state` dies once the waiter sees 0
    });
  }
  std::unique_lock<std::mutex> lock(state.mu);
  state.cv.wait(lock, [&] { return state.running == 0; });
  return state.first_error;
}

struct Phase {
  std::string name;
  uint64_t ops = 0;
  double seconds = 0;
  RequestCounts requests;
};

class PhaseTimer {
 public:
  PhaseTimer(const CountingObjectStore& store, std::string name, uint64_t ops)
      : store_(store), start_counts_(store.counts()), start_(SteadyClock::now()) {
    phase_.name = std::move(name);
    phase_.ops = ops;
  }
  Phase Finish() {
    phase_.seconds = std::chrono::duration<double>(SteadyClock::now() - start_).count();
    phase_.requests = store_.counts() - start_counts_;
    return phase_;
  }

 private:
  const CountingObjectStore& store_;
  RequestCounts start_counts_;
  SteadyClock::time_point start_;
  Phase phase_;
};

nlohmann::json RequestsJson(const RequestCounts& r) {
  return {{"get", r.get},   {"get_range", r.get_range}, {"head", r.head},    {"put", r.put},
          {"list", r.list}, {"delete", r.del},          {"total", r.total()}};
}

void Expect(bool ok, const std::string& what) {
  if (!ok) throw CliError(kExitFailed, "data", "bench check failed: " + what);
}

int Bench(CommandContext& ctx) {
  const uint64_t keys = ctx.args.GetUint("keys").value_or(1000);
  const uint64_t value_bytes = ctx.args.GetUint("value-bytes").value_or(100);
  const uint64_t in_flight = ctx.args.GetUint("concurrency").value_or(32);
  const bool keep = ctx.args.Has("keep");
  if (keys == 0 || in_flight == 0) throw CliError::Usage("--keys and --concurrency must be > 0");
  if (value_bytes > (64u << 20)) throw CliError::Usage("--value-bytes is at most 64 MiB here");

  std::shared_ptr<CountingObjectStore> store;
  ctx.session.WrapStore([&store](std::shared_ptr<ObjectStore> inner) {
    store = std::make_shared<CountingObjectStore>(std::move(inner));
    return store;
  });
  auto admin = ctx.session.OpenAdmin();
  if (Unwrap(BlockOn(admin->ReadManifest(std::nullopt)))) {
    throw CliError::Refused("bench writes (and then deletes) a scratch database, but " +
                            ctx.session.Describe() +
                            " holds one; point --url/--path at an "
                            "empty location");
  }
  std::vector<Phase> phases;
  {
    std::shared_ptr<Db> db = ctx.session.OpenWriter();
    PhaseTimer put(*store, "put", keys);
    Check(RunConcurrent(keys, in_flight,
                        [&](uint64_t i) { return PutOne(db, KeyOf(i), ValueOf(i, value_bytes)); }));
    phases.push_back(put.Finish());
    PhaseTimer flush(*store, "flush+close", 1);
    Status flushed = BlockOn(db->Flush(FlushType::kMemTable));
    Status closed = BlockOn(db->Close());
    Check(flushed);
    Check(closed);
    phases.push_back(flush.Finish());
  }
  {
    std::shared_ptr<DbReader> reader = ctx.session.OpenReader({});
    std::vector<uint64_t> order(keys);
    for (uint64_t i = 0; i < keys; ++i) order[i] = i;
    std::shuffle(order.begin(), order.end(), std::mt19937_64(42));
    PhaseTimer get(*store, "get", keys);
    for (uint64_t i : order) {
      std::optional<std::string> value = Unwrap(BlockOn(reader->Get(KeyOf(i))));
      Expect(value && *value == ValueOf(i, value_bytes),
             "get " + KeyOf(i) + " returned a wrong value");
    }
    phases.push_back(get.Finish());
    Check(BlockOn(reader->Close()));
  }
  {
    // A fresh reader, so the scan reads its blocks from the store, not the gets' cache.
    std::shared_ptr<DbReader> reader = ctx.session.OpenReader({});
    PhaseTimer scan(*store, "scan", 1);
    std::unique_ptr<DbIterator> it = Unwrap(BlockOn(reader->Scan(std::string(1, '\0'), "")));
    uint64_t seen = 0;
    while (true) {
      Result<std::optional<KeyValue>> next = Status::Internal("unset");
      if (!it->TryNext(&next)) next = BlockOn(it->Next());
      std::optional<KeyValue> kv = Unwrap(std::move(next));
      if (!kv) break;
      Expect(seen < keys && kv->key == KeyOf(seen) && kv->value == ValueOf(seen, value_bytes),
             "scan entry " + std::to_string(seen) + " is wrong");
      ++seen;
    }
    Expect(seen == keys,
           "scan returned " + std::to_string(seen) + " of " + std::to_string(keys) + " keys");
    phases.push_back(scan.Finish());
    it.reset();
    Check(BlockOn(reader->Close()));
  }
  if (!keep) Unwrap(BlockOn(admin->DeleteDatabase()));

  if (ctx.out.json()) {
    nlohmann::json list = nlohmann::json::array();
    for (const Phase& p : phases) {
      list.push_back({{"name", p.name},
                      {"ops", p.ops},
                      {"seconds", p.seconds},
                      {"ops_per_second", p.seconds > 0 ? p.ops / p.seconds : 0.0},
                      {"requests", RequestsJson(p.requests)},
                      {"requests_per_op", static_cast<double>(p.requests.total()) / p.ops}});
    }
    ctx.out.Json({{"store", store->Describe()},
                  {"keys", keys},
                  {"value_bytes", value_bytes},
                  {"concurrency", in_flight},
                  {"check", "ok"},
                  {"kept", keep},
                  {"phases", list}});
    return kExitOk;
  }
  std::ostringstream t;
  t << "bench on " << ctx.session.Describe() << ": " << keys << " keys of " << value_bytes
    << " bytes, " << in_flight << " puts in flight; every value read back and checked\n";
  t << "phase          ops     seconds    ops/s      requests  per op   "
       "(get/range/head/put/list/delete)\n";
  for (const Phase& p : phases) {
    char line[200];
    const RequestCounts& r = p.requests;
    std::snprintf(line, sizeof line,
                  "%-12s %6llu  %9.3f  %9.0f  %9llu  %7.3f   (%llu/%llu/%llu/%llu/%llu/%llu)\n",
                  p.name.c_str(), static_cast<unsigned long long>(p.ops), p.seconds,
                  p.seconds > 0 ? p.ops / p.seconds : 0.0,
                  static_cast<unsigned long long>(r.total()),
                  static_cast<double>(r.total()) / p.ops, static_cast<unsigned long long>(r.get),
                  static_cast<unsigned long long>(r.get_range),
                  static_cast<unsigned long long>(r.head), static_cast<unsigned long long>(r.put),
                  static_cast<unsigned long long>(r.list), static_cast<unsigned long long>(r.del));
    t << line;
  }
  t << (keep ? "kept the scratch database\n" : "deleted the scratch database\n");
  ctx.out.Text(t.str());
  return kExitOk;
}

}  // namespace

void AddBenchCommands(std::vector<CommandSpec>* commands) {
  commands->push_back(
      {{"bench"},
       "a quick put/get/scan check of a store, with requests per operation",
       "Writes --keys durable puts (--concurrency in flight, so group commit shows) into a "
       "scratch database at the selected path, which must hold no database, flushes, then "
       "reads every key back in random order through a fresh reader and scans them all, "
       "checking each value. Prints time and object-store requests per operation for each "
       "phase (requests as the engine issues them; an S3 store may retry underneath), then "
       "deletes the scratch database unless --keep.",
       {},
       {{"keys", "N", "how many keys (default 1000)"},
        {"value-bytes", "N", "bytes per value (default 100)"},
        {"concurrency", "N", "puts in flight (default 32)"},
        {"keep", "", "keep the scratch database afterwards"}},
       Bench});
}

}  // namespace slatedb::cli
