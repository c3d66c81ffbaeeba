// SPDX-License-Identifier: Apache-2.0
//
// Self-tests for the test module (slatedb_wasm_test, never the shipped module): scripted
// sequences that drive a store, the executor and the clock from C++ coroutines (Task,
// AwaitCallback, Spawn) and report what they saw, as JSON, for wasm/tests/.
#include <emscripten/emscripten.h>

#include <cmath>
#include <cstdint>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "js_executor.h"
#include "js_host.h"
#include "slatedb/error_kinds.h"
#include "slatedb/object_store.h"
#include "slatedb/task.h"
#include "store_handle.h"

namespace slatedb::wasm {
namespace {

std::string Str(const char* p, size_t n) { return std::string(p, n); }

// --- self-test helpers ---------------------------------------------------------------------------

class Report {
 public:
  void Add(const std::string& step, const std::string& value) {
    out_ += out_.empty() ? "{" : ",";
    out_ += Quote(step) + ":" + Quote(value);
  }
  std::string Finish() const { return out_.empty() ? "{}" : out_ + "}"; }

 private:
  static std::string Quote(const std::string& s) {
    std::string q = "\"";
    for (char c : s) {
      if (c == '"' || c == '\\') {
        q += '\\';
        q += c;
      } else if (static_cast<unsigned char>(c) < 0x20) {
        q += ' ';
      } else {
        q += c;
      }
    }
    return q + "\"";
  }
  std::string out_;
};

// A store's answer by its code's name in the core's table ("NotFound"); "ok" for success.
std::string CodeName(const Status& st) {
  switch (st.code()) {
    case StatusCode::kOk:
      return "ok";
    case StatusCode::kNotFound:
    case StatusCode::kAlreadyExists:
    case StatusCode::kVersionMismatch:
    case StatusCode::kUnavailable:
    case StatusCode::kInvalid:
    case StatusCode::kData:
      return StatusCodeName(st.code());
    default:
      return "other:" + st.ToString();
  }
}

template <typename T>
std::string Describe(const Result<T>& r) {
  return CodeName(r.status());
}

auto AwaitGet(ObjectStore* s, std::string key) {
  return AwaitCallback<Result<std::string>>(
      [s, key = std::move(key)](auto cb) { s->Get(key, std::move(cb)); });
}
auto AwaitGetRange(ObjectStore* s, std::string key, uint64_t off, uint64_t len) {
  return AwaitCallback<Result<std::string>>(
      [=](auto cb) { s->GetRange(key, off, len, std::move(cb)); });
}
auto AwaitHead(ObjectStore* s, std::string key) {
  return AwaitCallback<Result<ObjectMeta>>(
      [s, key = std::move(key)](auto cb) { s->Head(key, std::move(cb)); });
}
auto AwaitPut(ObjectStore* s, std::string key, std::string data, PutMode mode,
              std::string version = {}) {
  return AwaitCallback<Result<ObjectMeta>>([=](auto cb) {
    StorePutOptions opts;
    opts.mode = mode;
    opts.expected_version = version;
    s->Put(key, data, opts, std::move(cb));
  });
}
auto AwaitList(ObjectStore* s, std::string prefix, std::string start_after) {
  return AwaitCallback<Result<std::vector<ObjectMeta>>>(
      [=](auto cb) { s->List(prefix, start_after, std::move(cb)); });
}
auto AwaitDelete(ObjectStore* s, std::string key) {
  return AwaitCallback<Status>(
      [s, key = std::move(key)](auto cb) { s->Delete(key, std::move(cb)); });
}

// A sequence of store calls awaited from a coroutine, the way the engine makes them. Keys
// live under `prefix` (e.g. "scenario/"), which should be empty beforehand.
Task<std::string> StoreScenario(std::shared_ptr<ObjectStore> store, std::string p) {
  ObjectStore* s = store.get();
  Report rep;
  Result<ObjectMeta> m1 = co_await AwaitPut(s, p + "a/1", "hello", PutMode::kOverwrite);
  rep.Add("put", Describe(m1));
  std::string v1 = m1.ok() ? m1->version : "";
  rep.Add("put.size", m1.ok() ? std::to_string(m1->size_bytes) : "-");
  Result<ObjectMeta> again = co_await AwaitPut(s, p + "a/1", "other", PutMode::kCreateIfAbsent);
  rep.Add("putIfAbsent.existing", Describe(again));
  Result<ObjectMeta> fresh = co_await AwaitPut(s, p + "a/2", "x", PutMode::kCreateIfAbsent);
  rep.Add("putIfAbsent.new", Describe(fresh));
  Result<std::string> got = co_await AwaitGet(s, p + "a/1");
  rep.Add("get", got.ok() ? *got : Describe(got));
  Result<std::string> range = co_await AwaitGetRange(s, p + "a/1", 1, 3);
  rep.Add("getRange", range.ok() ? *range : Describe(range));
  Result<std::string> tail = co_await AwaitGetRange(s, p + "a/1", 3, 100);
  rep.Add("getRange.tail", tail.ok() ? *tail : Describe(tail));
  Result<std::string> past = co_await AwaitGetRange(s, p + "a/1", 6, 1);
  rep.Add("getRange.pastEnd", Describe(past));
  Result<ObjectMeta> head = co_await AwaitHead(s, p + "a/1");
  rep.Add("head", Describe(head));
  rep.Add("head.size", head.ok() ? std::to_string(head->size_bytes) : "-");
  rep.Add("head.versionMatchesPut", head.ok() && head->version == v1 ? "yes" : "no");
  Result<ObjectMeta> cas =
      co_await AwaitPut(s, p + "a/1", "hello2", PutMode::kReplaceIfVersionMatches, v1);
  rep.Add("cas", Describe(cas));
  rep.Add("cas.newVersion", cas.ok() && cas->version != v1 ? "yes" : "no");
  Result<ObjectMeta> stale =
      co_await AwaitPut(s, p + "a/1", "hello3", PutMode::kReplaceIfVersionMatches, v1);
  rep.Add("cas.stale", Describe(stale));
  Result<ObjectMeta> absent =
      co_await AwaitPut(s, p + "a/none", "z", PutMode::kReplaceIfVersionMatches, v1);
  rep.Add("cas.absent", Describe(absent));
  Result<std::vector<ObjectMeta>> list = co_await AwaitList(s, p + "a/", "");
  std::string keys;
  if (list.ok()) {
    for (const ObjectMeta& m : *list) keys += (keys.empty() ? "" : ",") + m.key;
  }
  rep.Add("list", list.ok() ? keys : Describe(list));
  Result<std::vector<ObjectMeta>> after = co_await AwaitList(s, p + "a/", p + "a/1");
  rep.Add("list.startAfter", after.ok() ? std::to_string(after->size()) : Describe(after));
  rep.Add("delete", CodeName(co_await AwaitDelete(s, p + "a/1")));
  rep.Add("delete.again", CodeName(co_await AwaitDelete(s, p + "a/1")));
  rep.Add("get.deleted", Describe(co_await AwaitGet(s, p + "a/1")));
  rep.Add("head.deleted", Describe(co_await AwaitHead(s, p + "a/1")));
  rep.Add("invalid.get", Describe(co_await AwaitGet(s, p + "a/../b")));
  rep.Add("invalid.put", Describe(co_await AwaitPut(s, "/abs", "x", PutMode::kOverwrite)));
  rep.Add("invalid.delete", CodeName(co_await AwaitDelete(s, "")));

  // A long chain of awaits that each complete in a later JS task: resumption must not
  // grow the stack, and every one must come back exactly once.
  int ok = 0;
  for (int i = 0; i < 300; ++i) {
    Result<std::string> r = co_await AwaitGet(s, p + "a/2");
    if (r.ok() && *r == "x") ++ok;
  }
  rep.Add("chain", std::to_string(ok));

  // Many calls in flight at once: 16 create-if-absent puts of one key, one must win.
  struct Race {
    int done = 0, won = 0, lost = 0, other = 0;
    coro::coroutine_handle<> waiter;
  };
  auto race = std::make_shared<Race>();
  constexpr int kRacers = 16;
  for (int i = 0; i < kRacers; ++i) {
    StorePutOptions opts;
    opts.mode = PutMode::kCreateIfAbsent;
    s->Put(p + "race", "r" + std::to_string(i), opts, [race](Result<ObjectMeta> r) {
      if (r.ok()) {
        ++race->won;
      } else if (r.status().IsAlreadyExists()) {
        ++race->lost;
      } else {
        ++race->other;
      }
      if (++race->done == kRacers && race->waiter) race->waiter.resume();
    });
  }
  struct WaitAll {
    std::shared_ptr<Race> race;
    bool await_ready() const { return race->done == kRacers; }
    void await_suspend(coro::coroutine_handle<> h) { race->waiter = h; }
    void await_resume() const {}
  };
  co_await WaitAll{race};
  rep.Add("race", std::to_string(race->won) + "/" + std::to_string(race->lost) + "/" +
                      std::to_string(race->other));
  (void)co_await AwaitDelete(s, p + "race");
  (void)co_await AwaitDelete(s, p + "a/2");
  co_return rep.Finish();
}

// Executor and clock: Post never runs inline, runs in order; PostAfter waits at least the
// delay (by Date.now()).
Task<std::string> RuntimeScenario() {
  auto executor = std::make_shared<JsExecutor>();
  JsClock clock;
  Report rep;
  struct State {
    std::vector<int> order;
  };
  auto st = std::make_shared<State>();
  executor->Post([st] { st->order.push_back(1); });
  executor->Post([st] { st->order.push_back(2); });
  rep.Add("post.inline", st->order.empty() ? "no" : "yes");
  int64_t t0 = clock.NowMillis();
  co_await AwaitCallback<int>([executor](auto cb) { executor->PostAfter(30, [cb] { cb(0); }); });
  int64_t waited = clock.NowMillis() - t0;
  rep.Add("postAfter.waitedAtLeast30", waited >= 29 ? "yes" : "no:" + std::to_string(waited));
  std::string order;
  for (int v : st->order) order += std::to_string(v);
  rep.Add("post.order", order);
  // Posting from inside a posted task.
  co_await AwaitCallback<int>(
      [executor](auto cb) { executor->Post([executor, cb] { executor->Post([cb] { cb(0); }); }); });
  rep.Add("post.nested", "ok");
  rep.Add("clock.sane", t0 > 1600000000000LL ? "yes" : "no");
  co_return rep.Finish();
}

}  // namespace
}  // namespace slatedb::wasm

using slatedb::wasm::StoreHandle;

extern "C" {

// --- self-tests ---------------------------------------------------------------------------------

// Runs StoreScenario against the store; resolves with a JSON object of step -> outcome.
EMSCRIPTEN_KEEPALIVE void slatedb_selftest_store(StoreHandle* h, const char* prefix,
                                                 size_t prefix_len, int call) {
  slatedb::Spawn(slatedb::wasm::StoreScenario(h->store, slatedb::wasm::Str(prefix, prefix_len)),
                 [call](std::string report) { slatedb::wasm::SettleOk(call, report); });
}

// Runs RuntimeScenario (JsExecutor, JsClock); resolves with a JSON object.
EMSCRIPTEN_KEEPALIVE void slatedb_selftest_runtime(int call) {
  slatedb::Spawn(slatedb::wasm::RuntimeScenario(),
                 [call](std::string report) { slatedb::wasm::SettleOk(call, report); });
}

// Awaits `n` already-completed Tasks in a row from one coroutine (symmetric transfer:
// needs -mtail-call at -O2, else the stack overflows); resolves with the sum.
EMSCRIPTEN_KEEPALIVE void slatedb_selftest_sync_chain(int n, int call) {
  struct Local {
    static slatedb::Task<int> One() { co_return 1; }
    static slatedb::Task<int> Chain(int n) {
      int sum = 0;
      for (int i = 0; i < n; ++i) sum += co_await One();
      co_return sum;
    }
  };
  slatedb::Spawn(Local::Chain(n),
                 [call](int sum) { slatedb::wasm::SettleOk(call, {}, static_cast<double>(sum)); });
}

// Rejects with a Status of StatusCode number `code` (and CloseReason `reason` for Closed), so
// the tests can check that every code reaches JS as the class the core's table names.
EMSCRIPTEN_KEEPALIVE void slatedb_selftest_reject(int code, int reason, int call) {
  using slatedb::Status;
  const std::string msg = "selftest";
  Status st;
  switch (static_cast<slatedb::StatusCode>(code)) {
    case slatedb::StatusCode::kNotFound:
      st = Status::NotFound(msg);
      break;
    case slatedb::StatusCode::kAlreadyExists:
      st = Status::AlreadyExists(msg);
      break;
    case slatedb::StatusCode::kVersionMismatch:
      st = Status::VersionMismatch(msg);
      break;
    case slatedb::StatusCode::kTransaction:
      st = Status::Transaction(msg);
      break;
    case slatedb::StatusCode::kClosed:
      st = Status::Closed(static_cast<slatedb::CloseReason>(reason), msg);
      break;
    case slatedb::StatusCode::kUnavailable:
      st = Status::Unavailable(msg);
      break;
    case slatedb::StatusCode::kInvalid:
      st = Status::Invalid(msg);
      break;
    case slatedb::StatusCode::kData:
      st = Status::Data(msg);
      break;
    default:
      st = Status::Internal(msg);
  }
  slatedb::wasm::SettleError(call, st);
}

}  // extern "C"
