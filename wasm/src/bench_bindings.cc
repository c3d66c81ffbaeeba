// SPDX-License-Identifier: Apache-2.0
//
// bench/wasm_bench.mjs's engine-level workloads: bench/core_bench.cc's loops run as C++
// inside the module (in-memory MemoryObjectStore, JsExecutor), so the figures compare the
// engine compiled to wasm with the native build without the JS API's per-call cost (which
// wasm_bench.mjs measures separately). JS sequences the phases (open, load, flush, gets,
// scan, close); timing uses emscripten_get_now() (performance.now()).
//
// The loops start every operation from a plain C++ loop (TryGet / TryNext, else Spawn()) and
// continue from the operation's completion only when it did not complete at once, instead of
// co_await-ing operations in one coroutine: with Emscripten 3.1.6 (clang 14) each symmetric
// transfer back into a coroutine leaves ~32 bytes of the wasm shadow stack behind, so hundreds of
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

class Loop;

// One step of a loop: starts operation `i`. Returns true when it completed at once, with its
// outcome in *now; otherwise it has arranged for loop->Resume(status) to be called once.
// (Like core_bench's loop, an operation answered from memory costs no allocation here.)
using Step = std::function<bool(uint64_t i, Status* now, const std::shared_ptr<Loop>& loop)>;

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

  // Operation i_ completed after its step returned false.
  void Resume(const Status& st) {
    if (!st.ok()) return Fail(st);
    ++i_;
    Run();
  }

  // For steps that Spawn a Task: calls `done(status)` from the Task's callback, and tells
  // the step whether that happened inside Spawn (then the step returns true).
  template <typename T, typename ToStatus>
  static bool SpawnStep(Task<T> task, Status* now, const std::shared_ptr<Loop>& loop,
                        ToStatus to_status) {
    loop->in_step_ = true;
    loop->completed_in_step_ = false;
    Spawn(std::move(task), [loop, to_status](T r) {
      Status st = to_status(r);
      if (loop->in_step_) {
        loop->completed_in_step_ = true;
        loop->step_status_ = std::move(st);
      } else {
        loop->Resume(st);
      }
    });
    loop->in_step_ = false;
    if (!loop->completed_in_step_) return false;
    *now = std::move(loop->step_status_);
    return true;
  }

 private:
  void Run() {
    std::shared_ptr<Loop> self = shared_from_this();
    while (i_ < n_) {
      Status now;
      if (!step_(i_, &now, self)) return;  // Resume() continues the loop
      if (!now.ok()) return Fail(now);
      ++i_;
    }
    double ms = emscripten_get_now() - start_ms_;
    char buf[160];
    std::snprintf(buf, sizeof(buf), "{\"ops\":%llu,\"ms\":%.3f,\"requests\":%llu}",
                  static_cast<unsigned long long>(n_), ms,
                  static_cast<unsigned long long>(env_->Requests() - requests_));
    SettleOk(call_, buf);
  }

  void Fail(const Status& st) { SettleError(call_, st); }

  std::shared_ptr<BenchEnv> env_;
  uint64_t n_;
  Step step_;
  int call_;
  uint64_t i_ = 0;
  uint64_t requests_ = 0;
  double start_ms_ = 0;
  bool in_step_ = false;
  bool completed_in_step_ = false;
  Status step_status_;
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
  WriteOptions fast;
  fast.await_durable = false;
  wasm::RunLoop(
      env, static_cast<uint64_t>(n),
      [env, value, fast](uint64_t i, Status* now, const std::shared_ptr<wasm::Loop>& loop) {
        char key[16];
        wasm::FormatKey(i, key);
        PutOptions put;
        return wasm::Loop::SpawnStep(env->db->Put(std::string_view(key, 16), *value, put, fast),
                                     now, loop,
                                     [](const Result<WriteHandle>& r) { return r.status(); });
      },
      call);
}

// `ops` gets of random keys among 0..n-1 (sequential keys 0..ops-1 when `random` is 0); each
// must find its key.
EMSCRIPTEN_KEEPALIVE void slatedb_bench_gets(std::shared_ptr<BenchEnv>* h, double n, double ops,
                                             int random, int call) {
  using namespace slatedb;
  std::shared_ptr<BenchEnv> env = *h;
  auto rng = std::make_shared<wasm::Rng>();
  uint64_t keys = static_cast<uint64_t>(n);
  auto found = [](const Result<std::optional<std::string>>& r) {
    if (!r.ok()) return r.status();
    return r->has_value() ? Status::Ok() : Status::Internal("bench: a get found nothing");
  };
  wasm::RunLoop(
      env, static_cast<uint64_t>(ops),
      [env, rng, keys, random, found](uint64_t i, Status* now,
                                      const std::shared_ptr<wasm::Loop>& loop) {
        char key[16];
        wasm::FormatKey(random != 0 ? rng->Next() % keys : i % keys, key);
        std::string_view k(key, 16);
        // As a binding does: the synchronous fast path, then the Task if I/O is needed.
        Result<std::optional<std::string>> r = std::optional<std::string>();
        if (env->db->TryGet(k, ReadOptions(), &r)) {
          *now = found(r);
          return true;
        }
        return wasm::Loop::SpawnStep(env->db->Get(k), now, loop, found);
      },
      call);
}

// Scans every key (expects n) with TryNext, falling back to Next.
EMSCRIPTEN_KEEPALIVE void slatedb_bench_scan(std::shared_ptr<BenchEnv>* h, double n, int call) {
  using namespace slatedb;
  std::shared_ptr<BenchEnv> env = *h;
  char first[16];
  wasm::FormatKey(0, first);
  Spawn(env->db->Scan(std::string_view(first, 16), ""),
        [env, n, call](Result<std::unique_ptr<DbIterator>> r) {
          if (!r.ok()) return wasm::SettleError(call, r.status());
          std::shared_ptr<DbIterator> it(std::move(*r));
          auto more = [](const Result<std::optional<KeyValue>>& next) {
            if (!next.ok()) return next.status();
            return next->has_value() ? Status::Ok()
                                     : Status::Internal("bench: the scan ended early");
          };
          wasm::RunLoop(
              env, static_cast<uint64_t>(n),
              [it, more](uint64_t, Status* now, const std::shared_ptr<wasm::Loop>& loop) {
                Result<std::optional<KeyValue>> next = std::optional<KeyValue>();
                if (it->TryNext(&next)) {
                  *now = more(next);
                  return true;
                }
                return wasm::Loop::SpawnStep(it->Next(), now, loop, more);
              },
              call);
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
