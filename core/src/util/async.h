// SPDX-License-Identifier: Apache-2.0
//
// Small coroutine helpers for the engine: a finished Task, a timer wait on the Executor,
// and a one-shot wake-up used by waiters that another task releases.
#pragma once

#include <functional>
#include <utility>

#include "slatedb/executor.h"
#include "slatedb/task.h"

namespace slatedb {

// A Task that completes at once with `value`.
template <typename T>
Task<T> ReadyTask(T value) {
  co_return value;
}

// Suspends for about `delay_ms` using the host's timers; resumes on an executor thread.
inline auto SleepFor(Executor& executor, uint64_t delay_ms) {
  return AwaitCallback<bool>([&executor, delay_ms](std::function<void(bool)> done) {
    executor.PostAfter(delay_ms, [done = std::move(done)]() { done(true); });
  });
}

// Moves the rest of the awaiting coroutine onto an executor thread (never inline).
inline auto Reschedule(Executor& executor) {
  return AwaitCallback<bool>([&executor](std::function<void(bool)> done) {
    executor.Post([done = std::move(done)]() { done(true); });
  });
}

}  // namespace slatedb
