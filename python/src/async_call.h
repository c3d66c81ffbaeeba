// SPDX-License-Identifier: Apache-2.0
//
// StartTask: runs a core Task for an asyncio caller without a thread hop when it can.
//
// The result is either the converted value itself, when the Task finished without
// suspending (a memtable put, a get answered from memory), or an asyncio Future on the running
// loop that is completed with it later. Python awaits the Future only in the second case:
//
//     r = native_call(...)
//     if r.__class__ is asyncio.Future: r = await r
//
// so calls answered from memory cost one native call and no event-loop round trip.
#pragma once

#include <pybind11/pybind11.h>

#include <memory>
#include <mutex>
#include <optional>
#include <utility>

#include "runtime.h"

namespace slatedb::python {

// A Future on the running loop (RuntimeError if none), without re-importing asyncio.
// REQUIRES: the GIL.
FuturePtr NewLoopFuture();

// Starts `task` and returns `convert(result)` or a Future resolved with it (see above).
// `convert` runs with the GIL held and may raise; its exception then becomes the call's (or
// the Future's). `release_gil`: run the Task's synchronous part with the GIL released, which
// is required when the engine may call back into Python (a Python merge operator) while
// holding its own locks. REQUIRES: the GIL.
template <typename T, typename Convert>
py::object StartTask(bool release_gil, Task<T> task, Convert convert) {
  struct State {
    std::mutex mu;
    std::optional<T> early;  // the result, if it arrived before `future` was made
    FuturePtr future;
    Convert convert;
    explicit State(Convert c) : convert(std::move(c)) {}
  };
  auto state = std::make_shared<State>(std::move(convert));
  auto on_done = [state](T value) {
    FuturePtr future;
    {
      std::lock_guard<std::mutex> lock(state->mu);
      if (!state->future) {
        state->early.emplace(std::move(value));
        return;
      }
      future = state->future;
    }
    CompleteFuture(future, [&]() -> py::object { return state->convert(std::move(value)); });
  };
  if (release_gil) {
    py::gil_scoped_release release;
    Spawn(std::move(task), std::move(on_done));
  } else {
    Spawn(std::move(task), std::move(on_done));
  }
  std::unique_lock<std::mutex> lock(state->mu);
  if (state->early) {
    T value = std::move(*state->early);
    lock.unlock();
    return state->convert(std::move(value));
  }
  // The completing thread takes only `mu` (never the GIL) before it sees the future, so
  // holding both here cannot deadlock.
  state->future = NewLoopFuture();
  return state->future->future;
}

}  // namespace slatedb::python
