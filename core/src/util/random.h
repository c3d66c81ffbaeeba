// SPDX-License-Identifier: Apache-2.0
//
// A small seedable PRNG (splitmix64). The core never uses a global random source, so a
// seed replays a run exactly in deterministic tests.
#pragma once

#include <cstdint>

namespace slatedb {

class Random {
 public:
  explicit Random(uint64_t seed) : state_(seed) {}
  uint64_t Next() {
    uint64_t z = (state_ += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
  }
  // Uniform in [0, n); n > 0.
  uint64_t Uniform(uint64_t n) { return Next() % n; }

 private:
  uint64_t state_;
};

}  // namespace slatedb
