// SPDX-License-Identifier: Apache-2.0
//
// BlockOn: runs a core Task to completion from synchronous native code (Db::Put, Python's
// db.put). The calling thread blocks until the task's last I/O callback finishes it. Not
// for the wasm build, where nothing may block.
#pragma once

#include <condition_variable>
#include <mutex>
#include <optional>
#include <utility>

#include "slatedb/task.h"

namespace slatedb {

// Starts `task` and returns its value once it completes. A task that never suspends (a
// memtable hit) completes inside Spawn and is returned without any waiting.
//
// REQUIRES: the task must not need the calling thread to make progress: never call this
// from the only thread of the executor, or from an object store callback, that the task
// waits on.
template <class T>
T BlockOn(Task<T> task) {
  struct Waiter {
    std::mutex mu;
    std::condition_variable cv;
    std::optional<T> value;  // set once, under mu
  } waiter;
  Spawn(std::move(task), [&waiter](T value) {
    std::lock_guard<std::mutex> lock(waiter.mu);
    waiter.value.emplace(std::move(value));
    // Notify while holding the lock: once it is released the waiter may return and
    // destroy `waiter`, so nothing may touch it afterwards.
    waiter.cv.notify_one();
  });
  std::unique_lock<std::mutex> lock(waiter.mu);
  waiter.cv.wait(lock, [&waiter] { return waiter.value.has_value(); });
  return std::move(*waiter.value);
}

}  // namespace slatedb
