// SPDX-License-Identifier: Apache-2.0
#include "js_executor.h"

#include <utility>

#include "js_host.h"

namespace slatedb::wasm {

void JsExecutor::Post(std::function<void()> fn) {
  JsPost(new std::function<void()>(std::move(fn)));  // freed by slatedb_run_task
}

void JsExecutor::PostAfter(uint64_t delay_ms, std::function<void()> fn) {
  JsPostAfter(static_cast<double>(delay_ms), new std::function<void()>(std::move(fn)));
}

int64_t JsClock::NowMillis() { return static_cast<int64_t>(JsNowMillis()); }

}  // namespace slatedb::wasm
