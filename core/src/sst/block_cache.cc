// SPDX-License-Identifier: Apache-2.0
#include "sst/block_cache.h"

namespace slatedb {

BlockCache::BlockCache(uint64_t capacity_bytes, size_t shards)
    : capacity_per_shard_(capacity_bytes / (shards == 0 ? 1 : shards)),
      shards_(shards == 0 ? 1 : shards) {}

std::shared_ptr<const Block> BlockCache::Lookup(uint64_t sst_cache_id, uint32_t block_index) {
  uint64_t key = Key(sst_cache_id, block_index);
  Shard& shard = ShardFor(key);
  std::lock_guard<std::mutex> lock(shard.mu);
  auto it = shard.index.find(key);
  if (it == shard.index.end()) {
    misses_.fetch_add(1, std::memory_order_relaxed);
    return nullptr;
  }
  hits_.fetch_add(1, std::memory_order_relaxed);
  Promote(shard, it->second);
  return it->second->block;
}

void BlockCache::Insert(uint64_t sst_cache_id, uint32_t block_index,
                        std::shared_ptr<const Block> block, uint64_t charge_bytes) {
  if (charge_bytes > capacity_per_shard_) return;  // would evict everything for one block
  uint64_t key = Key(sst_cache_id, block_index);
  Shard& shard = ShardFor(key);
  std::lock_guard<std::mutex> lock(shard.mu);
  auto it = shard.index.find(key);
  if (it != shard.index.end()) {
    Promote(shard, it->second);
    return;
  }
  shard.lru.push_front(Entry{key, std::move(block), charge_bytes, ++shard.clock});
  shard.index[key] = shard.lru.begin();
  shard.used += charge_bytes;
  while (shard.used > capacity_per_shard_ && !shard.lru.empty()) {
    Entry& victim = shard.lru.back();
    shard.used -= victim.charge;
    shard.index.erase(victim.key);
    shard.lru.pop_back();
  }
}

void BlockCache::Promote(Shard& shard, std::list<Entry>::iterator entry) {
  // Entries among the most recent quarter stay where they are: a hot working set then
  // costs no list surgery per hit, and eviction order is still close to LRU.
  if (shard.clock - entry->stamp <= shard.index.size() / 4) return;
  shard.lru.splice(shard.lru.begin(), shard.lru, entry);
  entry->stamp = ++shard.clock;
}

uint64_t BlockCache::used_bytes() const {
  uint64_t total = 0;
  for (const Shard& shard : shards_) {
    std::lock_guard<std::mutex> lock(shard.mu);
    total += shard.used;
  }
  return total;
}

}  // namespace slatedb
