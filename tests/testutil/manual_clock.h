// SPDX-License-Identifier: Apache-2.0
//
// ManualClock: a Clock that only moves when the test moves it, so time-dependent engine
// behaviour (TTL expiry, flush intervals, ULID timestamps) is reproducible. Often shared
// with a ManualExecutor, whose AdvanceTime moves it while firing timers.
#pragma once

#include <atomic>
#include <cstdint>

#include "slatedb/clock.h"

namespace slatedb::testing {

class ManualClock : public Clock {
 public:
  explicit ManualClock(int64_t start_ms = 0) : now_ms_(start_ms) {}

  // The time last set. Any thread.
  int64_t NowMillis() override { return now_ms_.load(std::memory_order_acquire); }

  // Jumps to `ms`, also backwards (the engine must cope with a clock that steps back).
  void Set(int64_t ms) { now_ms_.store(ms, std::memory_order_release); }

  // Moves forward by `ms`.
  void Advance(int64_t ms) { now_ms_.fetch_add(ms, std::memory_order_acq_rel); }

 private:
  std::atomic<int64_t> now_ms_;
};

}  // namespace slatedb::testing
