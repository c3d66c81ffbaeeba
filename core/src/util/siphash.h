// SPDX-License-Identifier: Apache-2.0
//
// SipHash-1-3 (one compression round per 8-byte word, three finalization rounds; Aumasson
// and Bernstein's SipHash with reduced rounds), the key hash of the stored format's bloom
// filters. The filters are written with the all-zero key, so a filter built by any writer
// answers for keys hashed by any reader; a different hash would make every lookup a miss.
#pragma once

#include <cstdint>
#include <string_view>

namespace slatedb {

// SipHash-1-3 of `bytes` under the 128-bit key (k0, k1), over the bytes alone (no length
// prefix or terminator beyond the algorithm's own length byte).
uint64_t SipHash13(std::string_view bytes, uint64_t k0 = 0, uint64_t k1 = 0);

}  // namespace slatedb
