// SPDX-License-Identifier: Apache-2.0
#include "sst/db_cache.h"

#include <utility>

namespace slatedb {

Result<std::shared_ptr<DbCache>> NewBlockCache(const BlockCacheOptions& options) {
  if (options.shards == 0) return Status::Invalid("shards must be greater than zero.");
  auto cache = std::make_shared<BlockCache>(BlockCache::Options{
      .capacity_bytes = options.capacity_bytes,
      .shards = options.shards,
      .ttl_ms = options.ttl_ms,
      .tti_ms = options.tti_ms,
  });
  return std::shared_ptr<DbCache>(std::make_shared<DbCacheImpl>(cache, cache));
}

Result<std::shared_ptr<DbCache>> NewSplitCache(std::shared_ptr<DbCache> blocks,
                                               std::shared_ptr<DbCache> metadata) {
  auto* b = dynamic_cast<DbCacheImpl*>(blocks.get());
  auto* m = dynamic_cast<DbCacheImpl*>(metadata.get());
  if (b == nullptr || m == nullptr) {
    return Status::Invalid("a split cache needs a block cache and a metadata cache");
  }
  return std::shared_ptr<DbCache>(std::make_shared<DbCacheImpl>(b->blocks(), m->meta()));
}

uint64_t DbCacheImpl::capacity_bytes() const {
  uint64_t total = blocks_->capacity_bytes();
  if (meta_ != blocks_) total += meta_->capacity_bytes();
  return total;
}

uint64_t DbCacheImpl::used_bytes() const {
  uint64_t total = blocks_->used_bytes();
  if (meta_ != blocks_) total += meta_->used_bytes();
  return total;
}

uint64_t DbCacheImpl::entry_count() const {
  uint64_t total = blocks_->entry_count();
  if (meta_ != blocks_) total += meta_->entry_count();
  return total;
}

TableCache TableCache::For(const std::shared_ptr<DbCache>& shared, std::optional<uint64_t> id,
                           uint64_t own_bytes, std::shared_ptr<Clock> clock) {
  TableCache out;
  out.clock = std::move(clock);
  // Only DbCacheImpl implements DbCache (its constructor functions are the only makers), so
  // a shared cache always resolves.
  if (auto* impl = dynamic_cast<DbCacheImpl*>(shared.get())) {
    out.blocks = impl->blocks();
    out.meta = impl->meta();
    out.scope = id ? *id : impl->NewAutomaticScope();
    return out;
  }
  out.blocks = std::make_shared<BlockCache>(own_bytes);
  return out;
}

uint64_t TableCache::now_ms(const BlockCache& cache) const {
  if (!cache.expires()) return 0;
  int64_t now = clock ? clock->NowMillis() : 0;
  return now < 0 ? 0 : static_cast<uint64_t>(now);
}

}  // namespace slatedb
