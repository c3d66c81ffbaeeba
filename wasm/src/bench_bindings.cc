// SPDX-License-Identifier: Apache-2.0
//
// bench/wasm_bench.mjs's engine-level workloads: bench/core_bench.cc's loops run as C++
// inside the module (in-memory MemoryObjectStore, JsExecutor), so the figures compare the
// engine compiled to wasm with the native build without the JS API's per-call cost (which
// wasm_bench.mjs measures separately). JS sequences the phases (open, load, flush, gets,
// scan, close); timing uses emscripten_get_now() (performance.now()).
//
// The loops start every operation with Spawn() from a plain C++ loop and continue from the
// operation's completion only when it did not complete at once, instead of co_await-ing
// operations in one coroutine: with Emscripten 3.1.6 (clang 14) each symmetric transfer back
// into a coroutine leaves ~32 bytes of the wasm shadow stack behind, so hundreds of
// thousands of synchronously completed co_awaits in a row overflow the stack and corrupt the
// heap. (Calls through the JS API start one operation per call, like this loop.)
#include <emscripten/emscripten.h>

#include <cstdint>
#include <cstdio>
#include <cstring>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <utility>

#include "js_executor.h"
#include "js_host.h"
#include "slatedb/db.h"
#include "slatedb/iterator.h"
#include "slatedb/platform/memory_object_store.h"

#if SLATEDB_WASM_WITH_ENGINE

namespace slatedb::wasm {
namespace {

// "key" + 13 zero-padded digits: 16 bytes, as core_bench.
void FormatKey(uint64_t i, char out[16]) {
  std::memcpy(out, "key", 3);
  for (int d = 15; d >= 3; --d) {
    out[d] = static_cast<char>('0' + i % 10);
    i /= 10;
  }
}

struct Rng {  // xorshift, core_bench's seed
  uint64_t s = 88172645463325252ull;
  uint64_t Next() {
    s ^= s << 13;
    s ^= s >> 7;
    s ^= s << 17;
    return s;
  }
};

struct BenchEnv {
  std::shared_ptr<MemoryObjectStore> store = std::make_shared<MemoryObjectStore>();
  std::shared_ptr<Db> db;
  uint64_t Requests() const {
    RequestCounts c = store->counts();
    return c.get + c.get_range + c.head + c.put + c.list + c.del;
  }
};

// One step of a loop: start operation `i` and call `done(status)` when it completes (possibly
// before returning).
using Step = std::function<void(uint64_t i, std::function<void(Status)> done)>;

// Runs step(0..n-1) in order, then settles `call` with {"ops","ms","requests"} JSON.
class Loop : public std::enable_shared_from_this<Loop> {
 public:
  Loop(std::shared_ptr<BenchEnv> env, uint64_t n, Step step, int call)
      : env_(std::move(env)), n_(n), step_(std::move(step)), call_(call) {}

  void Start() {
    requests_ = env_->Requests();
    start_ms_ = emscripten_get_now();
    Run();
  }

 private:
  void Run() {
    while (i_ < n_) {
      auto inside = std::make_shared<bool>(true);
      auto completed = std::make_shared<bool>(false);
      auto self = shared_from_this();
      step_(i_, [self, inside, completed](Status st) {
        *completed = true;
        if (!st.ok()) {
          self->failed_ = true;
          SettleError(self->call_, st);
          return;
        }
        if (!*inside) {  // completed later: continue the loop from here
          ++self->i_;
          self->Run();
        }
      });
      *inside = false;
      if (failed_) return;
      if (!*completed) return;  // Run() continues from the completion
      ++i_;
    }
    double ms = emscripten_get_now() - start_ms_;
    char buf[160];
    std::snprintf(buf, sizeof(buf), "{\"ops\":%llu,\"ms\":%.3f,\"requests\":%llu}",
                  static_cast<unsigned long long>(n_), ms,
                  static_cast<unsigned long long>(env_->Requests() - requests_));
    SettleOk(call_, buf);
  }

  std::shared_ptr<BenchEnv> env_;
  uint64_t n_;
  Step step_;
  int call_;
  uint64_t i_ = 0;
  bool failed_ = false;
  uint64_t requests_ = 0;
  double start_ms_ = 0;
};

void RunLoop(std::shared_ptr<BenchEnv> env, uint64_t n, Step step, int call) {
  std::make_shared<Loop>(std::move(env), n, std::move(step), call)->Start();
}

}  // namespace
}  // namespace slatedb::wasm

using slatedb::wasm::BenchEnv;

extern "C" {

// Opens a database on a fresh MemoryObjectStore; resolves with a handle (a heap
// shared_ptr<BenchEnv>*). Free it with slatedb_bench_free after slatedb_bench_close.
EMSCRIPTEN_KEEPALIVE void slatedb_bench_open(int call) {
  using namespace slatedb;
  auto env = std::make_shared<BenchEnv>();
  DbOptions options;
  options.object_store = env->store;
  options.executor = std::make_shared<wasm::JsExecutor>();
  options.clock = std::make_shared<wasm::JsClock>();
  options.path = "bench";
  Spawn(Db::Open(std::move(options)), [env, call](Result<std::shared_ptr<Db>> r) {
    if (!r.ok()) return wasm::SettleError(call, r.status());
    env->db = std::move(*r);
    auto* h = new std::shared_ptr<BenchEnv>(env);
    wasm::SettleOk(call, {}, static_cast<double>(reinterpret_cast<uintptr_t>(h)));
  });
}

EMSCRIPTEN_KEEPALIVE void slatedb_bench_free(std::shared_ptr<BenchEnv>* h) { delete h; }

// Puts keys 0..n-1 (100-byte values, await_durable=false).
EMSCRIPTEN_KEEPALIVE void slatedb_bench_load(std::shared_ptr<BenchEnv>* h, double n, int call) {
  using namespace slatedb;
  std::shared_ptr<BenchEnv> env = *h;
  auto value = std::make_shared<std::string>(100, 'v');
  wasm::RunLoop(env, static_cast<uint64_t>(n), [env, value](uint64_t i, std::function<void(Status)> done) {
    char key[16];
    wasm::FormatKey(i, key);
    WriteOptions fast;
    fast.await_durable = false;
    PutOptions put;
    Spawn(env->db->Put(std::string_view(key, 16), *value, put, fast),
          [done = std::move(done)](Result<WriteHandle> r) { done(r.status()); });
  }, call);
}

// `ops` gets of random keys among 0..n-1 (sequential keys 0..ops-1 when `random` is 0); each
// must find its key.
EMSCRIPTEN_KEEPALIVE void slatedb_bench_gets(std::shared_ptr<BenchEnv>* h, double n, double ops,
                                             int random, int call) {
  using namespace slatedb;
  std::shared_ptr<BenchEnv> env = *h;
  auto rng = std::make_shared<wasm::Rng>();
  uint64_t keys = static_cast<uint64_t>(n);
  wasm::RunLoop(env, static_cast<uint64_t>(ops), [env, rng, keys, random](uint64_t i, std::function<void(Status)> done) {
    char key[16];
    wasm::FormatKey(random != 0 ? rng->Next() % keys : i % keys, key);
    std::string_view k(key, 16);
    auto check = [done](const Result<std::optional<std::string>>& r) {
      if (!r.ok()) return done(r.status());
      done(r->has_value() ? Status::Ok() : Status::Internal("bench: a get found nothing"));
    };
    // As a binding does: the synchronous fast path, then the Task if I/O is needed.
    Result<std::optional<std::string>> now = std::optional<std::string>();
    if (env->db->TryGet(k, ReadOptions(), &now)) return check(now);
    Spawn(env->db->Get(k), [check](Result<std::optional<std::string>> r) { check(r); });
  }, call);
}

// Scans every key (expects n) with TryNext, falling back to Next.
EMSCRIPTEN_KEEPALIVE void slatedb_bench_scan(std::shared_ptr<BenchEnv>* h, double n, int call) {
  using namespace slatedb;
  std::shared_ptr<BenchEnv> env = *h;
  char first[16];
  wasm::FormatKey(0, first);
  Spawn(env->db->Scan(std::string_view(first, 16), ""), [env, n, call](Result<std::unique_ptr<DbIterator>> r) {
    if (!r.ok()) return wasm::SettleError(call, r.status());
    std::shared_ptr<DbIterator> it(std::move(*r));
    wasm::RunLoop(env, static_cast<uint64_t>(n), [it](uint64_t, std::function<void(Status)> done) {
      auto check = [done](const Result<std::optional<KeyValue>>& next) {
        if (!next.ok()) return done(next.status());
        done(next->has_value() ? Status::Ok() : Status::Internal("bench: the scan ended early"));
      };
      Result<std::optional<KeyValue>> now = std::optional<KeyValue>();
      if (it->TryNext(&now)) return check(now);
      Spawn(it->Next(), [it, check](Result<std::optional<KeyValue>> next) { check(next); });
    }, call);
  });
}

// kind 0: WAL, 1: memtable.
EMSCRIPTEN_KEEPALIVE void slatedb_bench_flush(std::shared_ptr<BenchEnv>* h, int kind, int call) {
  using namespace slatedb;
  std::shared_ptr<BenchEnv> env = *h;
  Spawn(env->db->Flush(kind == 1 ? FlushType::kMemTable : FlushType::kWal), [env, call](Status st) {
    if (!st.ok()) return wasm::SettleError(call, st);
    wasm::SettleOk(call);
  });
}

EMSCRIPTEN_KEEPALIVE void slatedb_bench_close(std::shared_ptr<BenchEnv>* h, int call) {
  using namespace slatedb;
  std::shared_ptr<BenchEnv> env = *h;
  Spawn(env->db->Close(), [env, call](Status st) {
    if (!st.ok()) return wasm::SettleError(call, st);
    wasm::SettleOk(call);
  });
}

}  // extern "C"

#endif  // SLATEDB_WASM_WITH_ENGINE
