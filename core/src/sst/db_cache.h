// SPDX-License-Identifier: Apache-2.0
//
// The core's side of slatedb/db_cache.h: what a public DbCache is made of, and TableCache,
// the caches one database's TableStore reads through (a shared DbCache with this
// database's scope, or the database's own block cache).
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <optional>

#include "slatedb/clock.h"
#include "slatedb/db_cache.h"
#include "sst/block_cache.h"

namespace slatedb {

class DbCacheImpl final : public DbCache {
 public:
  // `blocks` and `meta` may be one cache (a plain DbCache) or two (a split one).
  DbCacheImpl(std::shared_ptr<BlockCache> blocks, std::shared_ptr<BlockCache> meta)
      : blocks_(std::move(blocks)), meta_(std::move(meta)) {}

  uint64_t capacity_bytes() const override;
  uint64_t used_bytes() const override;
  uint64_t entry_count() const override;

  const std::shared_ptr<BlockCache>& blocks() const { return blocks_; }
  const std::shared_ptr<BlockCache>& meta() const { return meta_; }
  // A scope for a database given no cache id: counts down from 2^64-1, away from the small
  // ids callers pick.
  uint64_t NewAutomaticScope() { return next_auto_scope_.fetch_sub(1); }

 private:
  const std::shared_ptr<BlockCache> blocks_;
  const std::shared_ptr<BlockCache> meta_;
  std::atomic<uint64_t> next_auto_scope_{UINT64_MAX};
};

// The caches one database reads SSTs through.
struct TableCache {
  std::shared_ptr<BlockCache> blocks;  // never null
  std::shared_ptr<BlockCache> meta;    // null: SST handles are not cached (own block cache)
  uint64_t scope = 0;
  std::shared_ptr<Clock> clock;  // the database's: entry lifetimes

  // `shared` (with `id`, or an automatic scope) if given, else an own block cache of
  // `own_bytes`.
  static TableCache For(const std::shared_ptr<DbCache>& shared, std::optional<uint64_t> id,
                        uint64_t own_bytes, std::shared_ptr<Clock> clock);

  // The time to judge `cache`'s entry lifetimes by: the clock's, or 0 (unread) when its
  // entries never expire.
  uint64_t now_ms(const BlockCache& cache) const;
};

}  // namespace slatedb
