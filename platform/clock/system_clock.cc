// SPDX-License-Identifier: Apache-2.0
//
// SystemClock: wall-clock milliseconds since the Unix epoch via std::chrono.
#include "slatedb/platform/system_clock.h"

#include <chrono>

namespace slatedb {

int64_t SystemClock::NowMillis() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

}  // namespace slatedb
