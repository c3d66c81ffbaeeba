// SPDX-License-Identifier: Apache-2.0
//
// ManualExecutor: an Executor that runs nothing on its own. Posted functions and timers
// wait in queues until the test steps them with RunOne, RunUntilIdle or AdvanceTime, so
// a simulation driven by one seed replays exactly.
#pragma once

#include <cstddef>
#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <utility>

#include "slatedb/executor.h"
#include "testutil/manual_clock.h"

namespace slatedb::testing {

// Functions run on the thread that steps the executor, one at a time, in a deterministic
// order: posted functions first-in first-out, timers by due time, ties in posting order.
// Post and PostAfter may be called from any thread, including from running functions.
class ManualExecutor : public Executor {
 public:
  // With a `clock`, the executor's time is the clock's: timers are due relative to
  // clock->NowMillis() and AdvanceTime moves the clock. Without one it keeps its own
  // time, starting at 0.
  explicit ManualExecutor(std::shared_ptr<ManualClock> clock = nullptr);
  ~ManualExecutor() override;

  ManualExecutor(const ManualExecutor&) = delete;
  ManualExecutor& operator=(const ManualExecutor&) = delete;

  void Post(std::function<void()> fn) override;
  void PostAfter(uint64_t delay_ms, std::function<void()> fn) override;

  // Runs the oldest posted function or, if there is none, the earliest timer that is due
  // now. Returns false if there was nothing to run.
  bool RunOne();

  // Calls RunOne until it returns false or `max_steps` functions ran; returns how many
  // ran. The cap stops a function that keeps re-posting itself from hanging a test.
  size_t RunUntilIdle(size_t max_steps = 10'000'000);

  // Moves time forward by `ms`: first runs what is runnable now, then fires each timer
  // due within the window in time order, setting the time to its due time and running
  // whatever it posts before the next timer. Ends at now + ms. Returns how many ran.
  size_t AdvanceTime(uint64_t ms);

  // Posted functions plus timers (due or not) not yet run.
  size_t pending() const;
  // Posted functions not yet run.
  size_t ready_count() const;
  // Timers not yet run.
  size_t timer_count() const;
  // The executor's current time in milliseconds.
  int64_t now_ms() const;
  // When the earliest timer is due, if any.
  std::optional<int64_t> next_timer_ms() const;

 private:
  int64_t NowLocked() const;
  void SetNowLocked(int64_t ms);
  // Takes the next function to run at the current time, if any. REQUIRES: mu_ held.
  std::function<void()> TakeNextLocked();

  const std::shared_ptr<ManualClock> clock_;
  mutable std::mutex mu_;
  std::deque<std::function<void()>> ready_;  // guarded by mu_
  // Keyed by (due ms, posting sequence): iteration order is firing order.
  std::map<std::pair<int64_t, uint64_t>, std::function<void()>> timers_;  // guarded by mu_
  uint64_t next_seq_ = 0;                                                 // guarded by mu_
  int64_t now_ms_ = 0;  // guarded by mu_; used only without clock_
};

}  // namespace slatedb::testing
