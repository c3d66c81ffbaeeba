// SPDX-License-Identifier: Apache-2.0
//
// One spelling of the coroutine library for every toolchain we build with: g++ and recent
// libc++ ship <coroutine>; Emscripten 3.1.6's libc++ (clang 14) ships only
// <experimental/coroutine>. Everything else names slatedb::coro::*.
#pragma once

#if __has_include(<coroutine>) && !defined(__EMSCRIPTEN__)
#include <coroutine>
namespace slatedb::coro {
using std::coroutine_handle;
using std::noop_coroutine;
using std::suspend_always;
using std::suspend_never;
}  // namespace slatedb::coro
#elif __has_include(<experimental/coroutine>)
#include <experimental/coroutine>
namespace slatedb::coro {
using std::experimental::coroutine_handle;
using std::experimental::noop_coroutine;
using std::experimental::suspend_always;
using std::experimental::suspend_never;
}  // namespace slatedb::coro
#else
#error "slatedb needs C++20 coroutines"
#endif
