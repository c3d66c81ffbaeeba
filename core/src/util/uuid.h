// SPDX-License-Identifier: Apache-2.0
//
// UUIDs name checkpoints (and the checkpoints a clone's external databases pin). Text form
// is the canonical 8-4-4-4-12 hex; the stored format holds the 128-bit number big-endian
// as two u64 halves, `hi` being the first 8 bytes.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace slatedb {

struct Uuid128 {
  uint64_t hi = 0;
  uint64_t lo = 0;
};

// The number of a canonical UUID text (hex digits of either case), or nullopt.
std::optional<Uuid128> ParseUuid(std::string_view text);
// Lower-case canonical text.
std::string FormatUuid(Uuid128 value);

}  // namespace slatedb
