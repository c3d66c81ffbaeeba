// SPDX-License-Identifier: Apache-2.0
//
// What the load benchmarks share (compaction_bench, load_bench): wall-clock seconds, exiting
// on an error, and the keys and values they write, so that both load the same data in the same
// order.
#pragma once

#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>

#include "slatedb/status.h"

namespace slatedb::bench {

using SteadyClock = std::chrono::steady_clock;

inline double Seconds(SteadyClock::time_point start) {
  return std::chrono::duration<double>(SteadyClock::now() - start).count();
}

// A benchmark cannot go on after a failed call: prints what failed and exits 1.
inline void Check(const Status& s, const char* what) {
  if (!s.ok()) {
    std::fprintf(stderr, "%s failed: %s\n", what, s.ToString().c_str());
    std::exit(1);
  }
}

// A 64-bit mix: key i's bytes look random, so inserts arrive in random key order.
inline uint64_t Mix(uint64_t x) {
  x += 0x9E3779B97F4A7C15ull;
  x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ull;
  x = (x ^ (x >> 27)) * 0x94D049BB133111EBull;
  return x ^ (x >> 31);
}

// Key i: 16 hex digits of Mix(i).
inline std::string Key(uint64_t i) {
  static const char kHex[] = "0123456789abcdef";
  uint64_t h = Mix(i);
  std::string k(16, '0');
  for (int d = 0; d < 16; ++d) k[d] = kHex[(h >> (4 * d)) & 15];
  return k;
}

// Value i: 100 bytes of letters, compressible like text, not trivially.
inline void Value(uint64_t i, std::string* v) {
  v->resize(100);
  uint64_t h = Mix(i ^ 0xABCDEF);
  for (size_t j = 0; j < 100; ++j) {
    if (j % 12 == 0) h = Mix(h);
    (*v)[j] = static_cast<char>('a' + (h >> ((j % 12) * 5)) % 26);
  }
}

}  // namespace slatedb::bench
