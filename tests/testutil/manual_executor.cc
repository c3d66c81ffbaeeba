// SPDX-License-Identifier: Apache-2.0
//
// ManualExecutor: queues under a mutex; functions are taken out under the mutex and run
// outside it, so they can post more work (or the test can post from other threads) while
// one runs.
#include "testutil/manual_executor.h"

#include <limits>

namespace slatedb::testing {

ManualExecutor::ManualExecutor(std::shared_ptr<ManualClock> clock) : clock_(std::move(clock)) {}

ManualExecutor::~ManualExecutor() {
  // Destroy unrun functions outside the mutex: their captures may post to us.
  std::deque<std::function<void()>> ready;
  std::map<std::pair<int64_t, uint64_t>, std::function<void()>> timers;
  {
    std::lock_guard<std::mutex> lock(mu_);
    ready.swap(ready_);
    timers.swap(timers_);
  }
}

int64_t ManualExecutor::NowLocked() const {
  return clock_ != nullptr ? clock_->NowMillis() : now_ms_;
}

void ManualExecutor::SetNowLocked(int64_t ms) {
  if (clock_ != nullptr) {
    clock_->Set(ms);
  } else {
    now_ms_ = ms;
  }
}

void ManualExecutor::Post(std::function<void()> fn) {
  std::lock_guard<std::mutex> lock(mu_);
  ready_.push_back(std::move(fn));
}

void ManualExecutor::PostAfter(uint64_t delay_ms, std::function<void()> fn) {
  std::lock_guard<std::mutex> lock(mu_);
  int64_t now = NowLocked();
  uint64_t room = static_cast<uint64_t>(std::numeric_limits<int64_t>::max() - now);
  int64_t due =
      delay_ms >= room ? std::numeric_limits<int64_t>::max() : now + static_cast<int64_t>(delay_ms);
  timers_.emplace(std::make_pair(due, next_seq_++), std::move(fn));
}

std::function<void()> ManualExecutor::TakeNextLocked() {
  if (!ready_.empty()) {
    std::function<void()> fn = std::move(ready_.front());
    ready_.pop_front();
    return fn;
  }
  if (!timers_.empty() && timers_.begin()->first.first <= NowLocked()) {
    std::function<void()> fn = std::move(timers_.begin()->second);
    timers_.erase(timers_.begin());
    return fn;
  }
  return nullptr;
}

bool ManualExecutor::RunOne() {
  std::function<void()> fn;
  {
    std::lock_guard<std::mutex> lock(mu_);
    fn = TakeNextLocked();
  }
  if (!fn) return false;
  fn();
  return true;
}

size_t ManualExecutor::RunUntilIdle(size_t max_steps) {
  size_t ran = 0;
  while (ran < max_steps && RunOne()) ++ran;
  return ran;
}

size_t ManualExecutor::AdvanceTime(uint64_t ms) {
  size_t ran = RunUntilIdle();
  int64_t target;
  {
    std::lock_guard<std::mutex> lock(mu_);
    target = NowLocked() + static_cast<int64_t>(ms);
  }
  while (true) {
    {
      std::lock_guard<std::mutex> lock(mu_);
      if (timers_.empty() || timers_.begin()->first.first > target) {
        SetNowLocked(target);
        break;
      }
      // Never move time backwards, even if a timer was due before now.
      int64_t due = timers_.begin()->first.first;
      if (due > NowLocked()) SetNowLocked(due);
    }
    ran += RunUntilIdle();
  }
  ran += RunUntilIdle();
  return ran;
}

size_t ManualExecutor::pending() const {
  std::lock_guard<std::mutex> lock(mu_);
  return ready_.size() + timers_.size();
}

size_t ManualExecutor::ready_count() const {
  std::lock_guard<std::mutex> lock(mu_);
  return ready_.size();
}

size_t ManualExecutor::timer_count() const {
  std::lock_guard<std::mutex> lock(mu_);
  return timers_.size();
}

int64_t ManualExecutor::now_ms() const {
  std::lock_guard<std::mutex> lock(mu_);
  return NowLocked();
}

std::optional<int64_t> ManualExecutor::next_timer_ms() const {
  std::lock_guard<std::mutex> lock(mu_);
  if (timers_.empty()) return std::nullopt;
  return timers_.begin()->first.first;
}

}  // namespace slatedb::testing
