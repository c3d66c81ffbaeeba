// SPDX-License-Identifier: Apache-2.0
//
// The checksum of the stored format: CRC-32 as zlib computes it (IEEE 802.3 polynomial,
// reflected 0xEDB88320, initial value and final xor 0xFFFFFFFF). Every SST block and the
// SST info record carry one, stored big-endian after the bytes it covers (docs/format.md).
#pragma once

#include <cstdint>
#include <string_view>

namespace slatedb {

// CRC-32 of `bytes`; equals Python's zlib.crc32(bytes).
uint32_t Crc32(std::string_view bytes);

// Whether a stored checksum matches the computed one. Fuzzing builds (libFuzzer's
// FUZZING_BUILD_MODE_UNSAFE_FOR_PRODUCTION, set only by scripts/fuzz.sh) accept any, so the
// fuzzer reaches the decoders behind the checksum instead of stopping at it.
inline bool ChecksumMatches(uint32_t computed, uint32_t stored) {
#ifdef FUZZING_BUILD_MODE_UNSAFE_FOR_PRODUCTION
  (void)computed;
  (void)stored;
  return true;
#else
  return computed == stored;
#endif
}

}  // namespace slatedb
