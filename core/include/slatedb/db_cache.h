// SPDX-License-Identifier: Apache-2.0
//
// DbCache: an in-memory cache of decoded SST parts that several databases may share
// (upstream SlateDB's DbCache: its moka and foyer caches and SplitCache).
//
// Give one DbCache to several Db (DbOptions::db_cache) and DbReader (ReaderOptions::
// db_cache): they share its byte budget, so filling it from one evicts the others' entries.
// Each database's entries are keyed by its cache id (DbOptions::db_cache_id) and the SST's
// ULID, so databases with different ids never see each other's entries, and instances with
// the same id (a reopened database, a reader of it) reuse them. The caller keeps ids unique
// per database and stable across reopens, as upstream asks.
//
// What is cached: data blocks (decoded), and SST handles (index and filter, decoded, charged
// by their encoded size). A plain cache holds both; a split cache sends blocks to one cache
// and handles to another. A database without a DbCache keeps its own block cache of
// Settings::block_cache_bytes (data blocks only; handles stay in memory while an SST is live).
//
// Lifetimes: an entry expires `ttl_ms` after it was cached and/or `tti_ms` after its last
// hit, by the Clock of the database that reads it (the core reads no clock of its own).
//
// Thread safety: a DbCache may be used from any number of databases and threads at once.
// It outlives nothing: each database holds a reference while open.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>

#include "slatedb/result.h"

namespace slatedb {

struct BlockCacheOptions {
  // The byte budget (decoded sizes). 0: nothing is cached.
  uint64_t capacity_bytes = 64ull << 20;
  // Entries expire this long after they were cached (nullopt: never).
  std::optional<uint64_t> ttl_ms;
  // Entries expire this long after their last hit (nullopt: never).
  std::optional<uint64_t> tti_ms;
  // Independent parts (one lock each); the budget is split evenly among them. At least 1.
  uint32_t shards = 16;
};

class DbCache {
 public:
  virtual ~DbCache() = default;

  // Totals over every database using the cache (a split cache: over both parts).
  virtual uint64_t capacity_bytes() const = 0;
  virtual uint64_t used_bytes() const = 0;
  virtual uint64_t entry_count() const = 0;
};

// A cache of blocks and SST handles. Invalid("shards must be greater than zero.") for 0 shards.
Result<std::shared_ptr<DbCache>> NewBlockCache(const BlockCacheOptions& options);

// Data blocks go to `blocks`, SST handles (index and filter) to `metadata` (for a split
// cache given as a part: its block part and its metadata part respectively). Invalid if
// either is null.
Result<std::shared_ptr<DbCache>> NewSplitCache(std::shared_ptr<DbCache> blocks,
                                               std::shared_ptr<DbCache> metadata);

}  // namespace slatedb
