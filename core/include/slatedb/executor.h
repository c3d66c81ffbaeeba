// SPDX-License-Identifier: Apache-2.0
//
// Executor: where the core runs background work (WAL flushes, memtable flushes, retries
// after a backoff). The core never starts threads; the host decides what "later" means:
// a thread pool natively (platform/), setTimeout in JavaScript (wasm/), a queue that a
// test steps by hand (tests/testutil).
#pragma once

#include <cstdint>
#include <functional>

namespace slatedb {

class Executor {
 public:
  virtual ~Executor() = default;

  // Runs `fn` soon, never inside this call. Any thread. Must accept work from any
  // thread, including from inside a running `fn`.
  virtual void Post(std::function<void()> fn) = 0;

  // Runs `fn` no earlier than `delay_ms` milliseconds from now (by the host's clock).
  // Timers cannot be cancelled; the core's callbacks check whether they still matter.
  virtual void PostAfter(uint64_t delay_ms, std::function<void()> fn) = 0;
};

}  // namespace slatedb
