// SPDX-License-Identifier: Apache-2.0
//
// Per-SST cache control (upstream SlateDB 0.17's warm_sst / evict_cached_sst): what a
// caller may ask Db::WarmSst and DbReader::WarmSst to load, and the rule for SST ids.
//
// An SST's parts and where this engine keeps them:
//  - filter and index: decoded, in memory while the SST is open (one range read loads both);
//  - stats: not kept in memory (the engine never reads them); only the persistent cache
//    holds a copy;
//  - data blocks: decoded, in the block cache (Settings::block_cache_bytes, or a shared
//    DbCache, db_cache.h, which also holds the filter and index).
// With a persistent cache (object_store_cache.h: the store is or wraps one), warming also
// brings the requested byte ranges into it, and evicting drops the SST's cached parts.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include "slatedb/result.h"

namespace slatedb {

// One part of an SST to warm (upstream's CacheTarget).
struct CacheTarget {
  enum class Kind : uint8_t { kFilters = 0, kIndex = 1, kStats = 2, kData = 3 };
  Kind kind = Kind::kIndex;

  // kData only: the keys whose data blocks to load. nullopt is unbounded on that side.
  // A range that holds no key (start after end) loads nothing; it is not an error.
  std::optional<std::string> start;
  bool start_inclusive = true;
  std::optional<std::string> end;
  bool end_inclusive = false;

  static CacheTarget Filters() { return Of(Kind::kFilters); }
  static CacheTarget Index() { return Of(Kind::kIndex); }
  static CacheTarget Stats() { return Of(Kind::kStats); }
  // Every data block.
  static CacheTarget AllData() { return Of(Kind::kData); }
  static CacheTarget Data(std::optional<std::string> start, bool start_inclusive,
                          std::optional<std::string> end, bool end_inclusive) {
    CacheTarget t = Of(Kind::kData);
    t.start = std::move(start);
    t.start_inclusive = start_inclusive;
    t.end = std::move(end);
    t.end_inclusive = end_inclusive;
    return t;
  }

 private:
  static CacheTarget Of(Kind kind) {
    CacheTarget t;
    t.kind = kind;
    return t;
  }
};

// The canonical (upper-case) form of a compacted SST's id, a ULID of 26 Crockford base32
// characters (either case). Invalid("invalid SST ULID: invalid length" / "...: invalid
// character" / "...: out of range"), as upstream words them.
Result<std::string> ParseSstId(std::string_view id);

}  // namespace slatedb
