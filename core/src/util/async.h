// SPDX-License-Identifier: Apache-2.0
//
// Small coroutine helpers for the engine: a finished Task, a timer wait on the Executor,
// and a one-shot wake-up used by waiters that another task releases.
#pragma once

#include <atomic>
#include <functional>
#include <memory>
#include <optional>
#include <utility>
#include <vector>

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

namespace detail {

template <typename T>
struct WhenAllState {
  std::vector<std::optional<T>> results;
  std::atomic<size_t> remaining{0};
};

// Starts every task; the awaiter completes when all have finished. A plain function, so
// the callback object is built outside the coroutine frame (g++ 12 mishandles some
// temporaries created inside a co_await expression).
template <typename T>
auto StartAll(std::vector<Task<T>>* tasks, std::shared_ptr<WhenAllState<T>> state) {
  return AwaitCallback<bool>([tasks, state](std::function<void(bool)> done) {
    auto finish = [state, done]() {
      if (state->remaining.fetch_sub(1, std::memory_order_acq_rel) == 1) done(true);
    };
    for (size_t i = 0; i < tasks->size(); ++i) {
      Spawn(std::move((*tasks)[i]), [state, finish, i](T value) {
        state->results[i].emplace(std::move(value));
        finish();
      });
    }
    finish();  // the starter's own count
  });
}

}  // namespace detail

// Runs `tasks` concurrently (each starts at once, in order) and completes with their results,
// in the same order, once all have finished. Used to keep several reads in flight.
template <typename T>
Task<std::vector<T>> WhenAll(std::vector<Task<T>> tasks) {
  auto state = std::make_shared<detail::WhenAllState<T>>();
  state->results.resize(tasks.size());
  state->remaining.store(tasks.size() + 1, std::memory_order_relaxed);
  co_await detail::StartAll(&tasks, state);
  std::vector<T> out;
  out.reserve(state->results.size());
  for (auto& r : state->results) out.push_back(std::move(*r));
  co_return out;
}

}  // namespace slatedb
