// SPDX-License-Identifier: Apache-2.0
//
// The one checksum of the stored formats: XXH3, 64-bit, seed 0. Changing it changes every
// stored byte's meaning, so it is pinned by the format golden tests. Bloom filters hash keys
// with the same function (xxhash is defined once, in checksum.cc).
#pragma once

#include <cstdint>
#include <string_view>

namespace slatedb {

// XXH3_64bits(bytes), seed 0. Deterministic across platforms and endianness.
uint64_t Checksum64(std::string_view bytes);

// Whether a stored checksum matches the computed one. Fuzzing builds (libFuzzer's
// FUZZING_BUILD_MODE_UNSAFE_FOR_PRODUCTION, set only by scripts/fuzz.sh) accept any, so the
// fuzzer reaches the decoders behind the checksum instead of stopping at it.
inline bool ChecksumMatches(uint64_t computed, uint64_t stored) {
#ifdef FUZZING_BUILD_MODE_UNSAFE_FOR_PRODUCTION
  (void)computed;
  (void)stored;
  return true;
#else
  return computed == stored;
#endif
}

}  // namespace slatedb
