// SPDX-License-Identifier: Apache-2.0
//
// ThreadPoolExecutor: workers share one mutex, a ready queue and a timer heap. An idle
// worker sleeps on the condition variable until work is posted or the earliest timer is
// due; whichever worker wakes first moves due timers to the ready queue. Functions run
// and are destroyed outside the mutex, so they may post more work.
#include "slatedb/platform/thread_pool_executor.h"

#include <algorithm>
#include <utility>

namespace slatedb {

ThreadPoolExecutor::ThreadPoolExecutor(size_t threads) {
  if (threads == 0) threads = 1;
  workers_.reserve(threads);
  for (size_t i = 0; i < threads; ++i) workers_.emplace_back([this] { WorkerLoop(); });
}

ThreadPoolExecutor::~ThreadPoolExecutor() {
  std::priority_queue<Timer, std::vector<Timer>, LaterFirst> dropped;
  {
    std::lock_guard<std::mutex> lock(mu_);
    stopping_ = true;
    dropped.swap(timers_);
  }
  cv_.notify_all();
  for (std::thread& worker : workers_) worker.join();
  // `dropped` dies here, outside the mutex: its captures may do anything when destroyed.
}

void ThreadPoolExecutor::Post(std::function<void()> fn) {
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (stopping_) return;  // `fn` is destroyed after the lock is released
    ready_.push_back(std::move(fn));
  }
  cv_.notify_one();
}

void ThreadPoolExecutor::PostAfter(uint64_t delay_ms, std::function<void()> fn) {
  // Saturate absurd delays instead of overflowing the time point.
  constexpr uint64_t kMaxDelayMs = uint64_t{1} << 40;  // about 35 years
  TimePoint due = std::chrono::steady_clock::now() +
                  std::chrono::milliseconds(std::min(delay_ms, kMaxDelayMs));
  bool earliest;
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (stopping_) return;
    earliest = timers_.empty() || due < timers_.top().due;
    timers_.push(Timer{due, next_seq_++, std::move(fn)});
  }
  // Sleeping workers wait for the old earliest deadline; a new earliest one must wake
  // them so one of them waits for it instead.
  if (earliest) cv_.notify_all();
}

void ThreadPoolExecutor::PromoteDueTimersLocked(TimePoint now) {
  while (!timers_.empty() && timers_.top().due <= now) {
    ready_.push_back(std::move(timers_.top().fn));
    timers_.pop();
  }
}

void ThreadPoolExecutor::WorkerLoop() {
  std::unique_lock<std::mutex> lock(mu_);
  while (true) {
    PromoteDueTimersLocked(std::chrono::steady_clock::now());
    if (!ready_.empty()) {
      std::function<void()> fn = std::move(ready_.front());
      ready_.pop_front();
      // Another worker may serve the rest while this one is busy.
      if (!ready_.empty()) cv_.notify_one();
      lock.unlock();
      fn();
      fn = nullptr;  // destroy captures outside the mutex too
      lock.lock();
      continue;
    }
    if (stopping_) return;  // ready queue drained; timers were dropped by the destructor
    if (timers_.empty()) {
      cv_.wait(lock);
    } else {
      cv_.wait_until(lock, timers_.top().due);
    }
  }
}

}  // namespace slatedb
