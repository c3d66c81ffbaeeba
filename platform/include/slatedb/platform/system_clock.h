// SPDX-License-Identifier: Apache-2.0
//
// SystemClock: the native Clock, reading the wall clock (std::chrono::system_clock). The
// engine makes readings monotonic itself, so a clock step backwards does no harm.
#pragma once

#include <cstdint>

#include "slatedb/clock.h"

namespace slatedb {

class SystemClock : public Clock {
 public:
  // Milliseconds since the Unix epoch, now. Thread-safe.
  int64_t NowMillis() override;
};

}  // namespace slatedb
