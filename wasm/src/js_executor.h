// SPDX-License-Identifier: Apache-2.0
//
// The wasm host's Executor and Clock.
//
// JsExecutor::Post queues work for a later macrotask (setImmediate in Node, a MessageChannel
// in browsers and workers): never inline, and never starving I/O completions the way an
// endless chain of microtasks would. PostAfter uses setTimeout (unref'd in Node, so an idle
// database does not keep the process alive; see runtime_pre.js).
//
// JsClock reads Date.now(); the engine makes it monotonic itself.
#pragma once

#include <cstdint>
#include <functional>

#include "slatedb/clock.h"
#include "slatedb/executor.h"

namespace slatedb::wasm {

class JsExecutor final : public Executor {
 public:
  void Post(std::function<void()> fn) override;
  void PostAfter(uint64_t delay_ms, std::function<void()> fn) override;
};

class JsClock final : public Clock {
 public:
  int64_t NowMillis() override;
};

}  // namespace slatedb::wasm
