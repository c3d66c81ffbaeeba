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

ThreadPoolExecutor::ThreadPoolExecutor(size_t threads) : state_(std::make_shared<State>()) {
  if (threads == 0) threads = 1;
  workers_.reserve(threads);
  for (size_t i = 0; i < threads; ++i) workers_.emplace_back(&WorkerLoop, state_);
}

ThreadPoolExecutor::~ThreadPoolExecutor() {
  std::priority_queue<Timer, std::vector<Timer>, LaterFirst> dropped;
  {
    std::lock_guard<std::mutex> lock(state_->mu);
    state_->stopping = true;
    dropped.swap(state_->timers);
  }
  state_->cv.notify_all();
  for (std::thread& worker : workers_) {
    if (worker.get_id() == std::this_thread::get_id()) {
      worker.detach();  // we are running on it; it exits after this function returns
    } else {
      worker.join();
    }
  }
  // `dropped` dies here, outside the mutex: its captures may do anything when destroyed.
}

void ThreadPoolExecutor::Post(std::function<void()> fn) {
  {
    std::lock_guard<std::mutex> lock(state_->mu);
    if (state_->stopping) return;  // `fn` is destroyed after the lock is released
    state_->ready.push_back(std::move(fn));
  }
  state_->cv.notify_one();
}

void ThreadPoolExecutor::PostAfter(uint64_t delay_ms, std::function<void()> fn) {
  // Saturate absurd delays instead of overflowing the time point.
  constexpr uint64_t kMaxDelayMs = uint64_t{1} << 40;  // about 35 years
  TimePoint due =
      std::chrono::steady_clock::now() + std::chrono::milliseconds(std::min(delay_ms, kMaxDelayMs));
  bool earliest;
  {
    std::lock_guard<std::mutex> lock(state_->mu);
    if (state_->stopping) return;
    earliest = state_->timers.empty() || due < state_->timers.top().due;
    state_->timers.push(Timer{due, state_->next_seq++, std::move(fn)});
  }
  // Sleeping workers wait for the old earliest deadline; a new earliest one must wake
  // them so one of them waits for it instead.
  if (earliest) state_->cv.notify_all();
}

void ThreadPoolExecutor::State::PromoteDueTimersLocked(TimePoint now) {
  while (!timers.empty() && timers.top().due <= now) {
    ready.push_back(std::move(timers.top().fn));
    timers.pop();
  }
}

void ThreadPoolExecutor::WorkerLoop(std::shared_ptr<State> state) {
  std::unique_lock<std::mutex> lock(state->mu);
  while (true) {
    state->PromoteDueTimersLocked(std::chrono::steady_clock::now());
    if (!state->ready.empty()) {
      std::function<void()> fn = std::move(state->ready.front());
      state->ready.pop_front();
      // Another worker may serve the rest while this one is busy.
      if (!state->ready.empty()) state->cv.notify_one();
      lock.unlock();
      fn();
      fn = nullptr;  // destroy captures outside the mutex too
      lock.lock();
      continue;
    }
    if (state->stopping) return;  // ready queue drained; timers were dropped by the destructor
    if (state->timers.empty()) {
      state->cv.wait(lock);
    } else {
      // A copy: wait_until reads its deadline again after waking, when the heap may have
      // been reallocated by a PostAfter that ran while we slept.
      TimePoint due = state->timers.top().due;
      state->cv.wait_until(lock, due);
    }
  }
}

}  // namespace slatedb
