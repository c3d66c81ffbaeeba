// SPDX-License-Identifier: Apache-2.0
//
// SingleFlight: concurrent loads of the same thing share one load. The first caller for a
// key starts the load as a task of its own; callers that arrive while it runs wait for its
// result instead of starting another. Every waiter, the first included, gets the same
// Result: a failure reaches all of them and is not remembered, so the next call after it
// loads again.
//
// Why a task of its own rather than the first caller's coroutine: no waiter's fate (how
// long it lives, what it does after the load) holds up the others, and the load cannot be
// left half-finished by the caller that happened to start it.
//
// Waiters are resumed on the thread that finished the load, one after another, in the
// order they joined (as the store's own completion callback would resume them). The core
// never destroys a suspended Task, so a waiter always stays to receive its result; a
// waiter that wants to give up simply ignores the result when it comes.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <utility>
#include <vector>

#include "slatedb/result.h"
#include "slatedb/task.h"
#include "util/mutex.h"

namespace slatedb {

template <typename Key, typename Value>
class SingleFlight {
 public:
  using Done = std::function<void(Result<Value>)>;
  // Where a load that finished just before this call left its result (a cache, a table of
  // open handles); checked under the lock before a new load starts, so a caller that
  // missed that place a moment before the load published to it does not load again.
  using Recheck = std::function<std::optional<Value>()>;
  using Load = std::function<Task<Result<Value>>()>;

  struct Stats {
    uint64_t loads = 0;   // loads started
    uint64_t joined = 0;  // calls that waited for a load another call started
  };

  SingleFlight() = default;
  SingleFlight(const SingleFlight&) = delete;
  SingleFlight& operator=(const SingleFlight&) = delete;

  // The value for `key`: from `recheck`, from the load in flight, or from `load()`.
  // `this` must outlive the loads it starts (an owner whose callers are waiting on a load
  // is alive until they resume).
  Task<Result<Value>> Do(Key key, Recheck recheck, Load load) {
    auto awaiter = Join(std::move(key), std::move(recheck), std::move(load));
    co_return co_await awaiter;
  }

  Stats stats() const {
    MutexLock lock(&mu_);
    return stats_;
  }
  // Loads running now (tests: nothing is left behind).
  size_t in_flight() const {
    MutexLock lock(&mu_);
    return flights_.size();
  }

 private:
  // A plain function building the awaiter outside the coroutine frame (g++ 12 mishandles
  // some temporaries created inside a co_await expression).
  auto Join(Key key, Recheck recheck, Load load) {
    return AwaitCallback<Result<Value>>([this, key = std::move(key), recheck = std::move(recheck),
                                         load = std::move(load)](Done done) mutable {
      Start(std::move(key), recheck, load, std::move(done));
    });
  }

  // The callers waiting for one load.
  struct Flight {
    std::vector<Done> waiters;
  };

  void Start(Key key, const Recheck& recheck, const Load& load, Done done) {
    std::optional<Value> ready;
    std::shared_ptr<Flight> started;
    {
      MutexLock lock(&mu_);
      auto it = flights_.find(key);
      if (it != flights_.end() && it->second->waiters.size() < kMaxWaiters) {
        it->second->waiters.push_back(std::move(done));
        ++stats_.joined;
        return;
      }
      // A full flight stays as it is and a new one takes later callers (see kMaxWaiters).
      if (it == flights_.end() && recheck) ready = recheck();
      if (!ready) {
        started = std::make_shared<Flight>();
        started->waiters.push_back(std::move(done));
        flights_[key] = started;
        ++stats_.loads;
      }
    }
    if (ready) {
      done(Result<Value>(std::move(*ready)));
      return;
    }
    // May finish before Spawn returns (a store answering synchronously).
    Spawn(load(), [this, key = std::move(key), started](Result<Value> result) {
      Finish(key, started, result);
    });
  }

  void Finish(const Key& key, const std::shared_ptr<Flight>& flight, const Result<Value>& result) {
    std::vector<Done> waiters;
    {
      MutexLock lock(&mu_);
      auto it = flights_.find(key);
      if (it != flights_.end() && it->second == flight) flights_.erase(it);
      waiters = std::move(flight->waiters);
    }
    // `this` may be gone once the last waiter resumed: touch only locals from here on.
    for (Done& waiter : waiters) waiter(result);
  }

  // Waiters one load resumes at most. Waiters are resumed one after another inside the
  // load's completion; in the wasm build some 50,000 of them at once overran memory
  // (measured: 30,000 were fine), so a load that many wait for takes no more, and the next
  // caller starts another load. Concurrent gets then cost at most one extra request per
  // 8,192 of them.
  static constexpr size_t kMaxWaiters = 8192;

  mutable Mutex mu_;
  std::map<Key, std::shared_ptr<Flight>> flights_ GUARDED_BY(mu_);
  Stats stats_ GUARDED_BY(mu_);
};

}  // namespace slatedb
