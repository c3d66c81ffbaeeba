// SPDX-License-Identifier: Apache-2.0
//
// Clock: the only source of time in the core. Injected so tests can move time and so the
// core never reads the wall clock itself.
#pragma once

#include <cstdint>

namespace slatedb {

class Clock {
 public:
  virtual ~Clock() = default;

  // Milliseconds since the Unix epoch. Used for row timestamps (create and TTL expiry) and
  // ULIDs. The engine makes it monotonic itself: a reading below an earlier one is raised
  // to the earlier one, so implementations need not guarantee monotonicity.
  virtual int64_t NowMillis() = 0;
};

}  // namespace slatedb
