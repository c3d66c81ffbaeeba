// SPDX-License-Identifier: Apache-2.0
//
// PrefixExtractor: maps a key to the length of its prefix (upstream's trait of the same
// name). Used as the segment extractor (DbOptions::segment_extractor): every key then
// belongs to the segment named by its prefix, and each segment is its own LSM tree (L0 SSTs
// and sorted runs) inside the one manifest, so data of different prefixes is never
// compacted together.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

#include "slatedb/result.h"

namespace slatedb {

class PrefixExtractor {
 public:
  virtual ~PrefixExtractor() = default;

  // A stable identifier, stored in the manifest: a database created with an extractor can
  // only be opened with one of the same name (and one without, only without).
  virtual std::string Name() const = 0;

  // The length of the prefix of `data`, or nullopt if it has none. `is_point` is true for a
  // stored or looked-up key and false for a prefix (a segment's prefix, checked at open).
  // Must be a pure function: all keys that share the returned prefix must map to it. An
  // error (a failing user callback) fails the write that asked.
  virtual Result<std::optional<size_t>> PrefixLen(std::string_view data, bool is_point) const = 0;
};

}  // namespace slatedb
