// SPDX-License-Identifier: Apache-2.0
//
// ThreadPoolExecutor: the native Executor. A fixed set of worker threads runs posted
// functions; delayed functions wait in a timer heap (on the monotonic clock) until they
// are due and are then run by the workers like posted ones.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <queue>
#include <thread>
#include <vector>

#include "slatedb/executor.h"

namespace slatedb {

class ThreadPoolExecutor : public Executor {
 public:
  // Starts `threads` workers (at least one).
  explicit ThreadPoolExecutor(size_t threads);

  // Stops accepting work (later Post/PostAfter calls drop their function), drops timers
  // that are not yet due, runs the functions already posted, waits for running ones and
  // joins the workers. May run inside one of this executor's own functions (the last
  // owner can be a task finishing on a worker): that worker is detached instead of joined
  // and exits once its function returns.
  ~ThreadPoolExecutor() override;

  ThreadPoolExecutor(const ThreadPoolExecutor&) = delete;
  ThreadPoolExecutor& operator=(const ThreadPoolExecutor&) = delete;

  // Runs `fn` on a worker soon, never inside this call. Any thread, including workers.
  void Post(std::function<void()> fn) override;

  // Runs `fn` on a worker once `delay_ms` milliseconds (monotonic time) have passed.
  // Timers due at the same time run in the order they were posted.
  void PostAfter(uint64_t delay_ms, std::function<void()> fn) override;

  size_t thread_count() const { return workers_.size(); }

 private:
  using TimePoint = std::chrono::steady_clock::time_point;

  struct Timer {
    TimePoint due;
    uint64_t seq;  // breaks ties: equal deadlines run in posting order
    // mutable: priority_queue::top() is const, and moving out of it is how we pop it.
    mutable std::function<void()> fn;
  };
  struct LaterFirst {
    bool operator()(const Timer& a, const Timer& b) const {
      return a.due != b.due ? a.due > b.due : a.seq > b.seq;
    }
  };

  // Everything the workers touch; shared so a worker outlives the executor safely.
  struct State {
    std::mutex mu;
    std::condition_variable cv;
    std::deque<std::function<void()>> ready;                            // guarded by mu
    std::priority_queue<Timer, std::vector<Timer>, LaterFirst> timers;  // guarded by mu
    uint64_t next_seq = 0;                                              // guarded by mu
    bool stopping = false;                                              // guarded by mu

    // Moves every timer due at `now` to the ready queue. REQUIRES: mu held.
    void PromoteDueTimersLocked(TimePoint now);
  };

  static void WorkerLoop(std::shared_ptr<State> state);

  std::shared_ptr<State> state_;
  std::vector<std::thread> workers_;
};

}  // namespace slatedb
