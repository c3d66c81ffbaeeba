// SPDX-License-Identifier: Apache-2.0
//
// Task<T>: the core's unit of asynchronous work, a lazily started C++20 coroutine.
//
// Every call that may wait on the object store or on a timer returns a Task. A Task does
// nothing until it is awaited (`co_await task`) or started with Spawn(). It runs on the
// awaiting thread until its first real suspension, so work that needs no I/O (a memtable
// put, a get answered from memory) completes synchronously, inside Spawn().
//
// Resumption after I/O happens on whatever thread the host completes the I/O on. Tasks
// therefore must not hold locks across co_await.
//
// Continuations use symmetric transfer; on wasm that needs -mtail-call and -O2 (see
// docs/architecture.md). Keep Task a bare handle: adding a member to it (an inline "ready
// value") made the Emscripten 3.1.6 build trap at run time while native g++/clang builds,
// ASan included, stayed clean. Synchronous fast paths are separate calls (Db::TryGet).
#pragma once

#include <atomic>
#include <exception>
#include <optional>
#include <utility>

#include "slatedb/detail/coroutine_compat.h"

namespace slatedb {

template <typename T>
class [[nodiscard]] Task {
 public:
  struct promise_type;
  using Handle = coro::coroutine_handle<promise_type>;

  struct FinalAwaiter {
    bool await_ready() const noexcept { return false; }
    coro::coroutine_handle<> await_suspend(Handle h) noexcept {
      coro::coroutine_handle<> next = h.promise().continuation;
      if (next) return next;
      return coro::noop_coroutine();
    }
    void await_resume() const noexcept {}
  };

  struct promise_type {
    std::optional<T> value;
    coro::coroutine_handle<> continuation;

    Task get_return_object() { return Task(Handle::from_promise(*this)); }
    coro::suspend_always initial_suspend() const noexcept { return {}; }
    FinalAwaiter final_suspend() const noexcept { return {}; }
    template <typename U>
    void return_value(U&& v) {
      value.emplace(std::forward<U>(v));
    }
    // The core does not throw; an escaping exception is a bug.
    void unhandled_exception() const noexcept { std::terminate(); }
  };

  Task() = default;
  Task(Task&& other) noexcept : handle_(std::exchange(other.handle_, {})) {}
  Task& operator=(Task&& other) noexcept {
    if (this != &other) {
      if (handle_) handle_.destroy();
      handle_ = std::exchange(other.handle_, {});
    }
    return *this;
  }
  Task(const Task&) = delete;
  Task& operator=(const Task&) = delete;
  ~Task() {
    if (handle_) handle_.destroy();
  }

  bool valid() const { return static_cast<bool>(handle_); }

  // Awaiting a Task starts it and resumes the awaiter when it finishes.
  bool await_ready() const noexcept { return false; }
  coro::coroutine_handle<> await_suspend(coro::coroutine_handle<> awaiting) noexcept {
    handle_.promise().continuation = awaiting;
    return handle_;
  }
  T await_resume() { return std::move(*handle_.promise().value); }

 private:
  explicit Task(Handle h) : handle_(h) {}
  Handle handle_;
};

namespace detail {

// A coroutine that starts at once and frees itself at the end; carries Spawn().
struct Detached {
  struct promise_type {
    Detached get_return_object() const noexcept { return {}; }
    coro::suspend_never initial_suspend() const noexcept { return {}; }
    coro::suspend_never final_suspend() const noexcept { return {}; }
    void return_void() const noexcept {}
    void unhandled_exception() const noexcept { std::terminate(); }
  };
};

template <typename T, typename F>
Detached SpawnImpl(Task<T> task, F on_done) {
  on_done(co_await task);
}

}  // namespace detail

// Starts `task` now and calls `on_done(T)` exactly once when it finishes: before Spawn
// returns if the task never suspends, otherwise on the thread that completed its last I/O.
template <typename T, typename F>
void Spawn(Task<T> task, F on_done) {
  detail::SpawnImpl(std::move(task), std::move(on_done));
}

// Awaitable over a completion-callback API: `start(cb)` begins an operation that calls
// `cb(T)` exactly once, on any thread, possibly before `start` returns. Used to await
// ObjectStore and Executor calls.
template <typename T, typename Start>
class CallbackAwaiter {
 public:
  explicit CallbackAwaiter(Start start) : start_(std::move(start)) {}

  bool await_ready() const noexcept { return false; }
  bool await_suspend(coro::coroutine_handle<> h) {
    handle_ = h;
    start_([this](T v) {
      result_.emplace(std::move(v));
      if (state_.exchange(kDone, std::memory_order_acq_rel) == kSuspended) handle_.resume();
    });
    // If the callback already ran, do not suspend at all (the synchronous fast path).
    return state_.exchange(kSuspended, std::memory_order_acq_rel) != kDone;
  }
  T await_resume() { return std::move(*result_); }

 private:
  enum : int { kStarting = 0, kSuspended = 1, kDone = 2 };
  Start start_;
  coro::coroutine_handle<> handle_;
  std::optional<T> result_;
  std::atomic<int> state_{kStarting};
};

template <typename T, typename Start>
CallbackAwaiter<T, Start> AwaitCallback(Start start) {
  return CallbackAwaiter<T, Start>(std::move(start));
}

}  // namespace slatedb
