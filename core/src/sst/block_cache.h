// SPDX-License-Identifier: Apache-2.0
//
// BlockCache: decoded SST data blocks, bounded in bytes (charged by decoded size),
// approximately LRU per shard. Shards keep concurrent readers from queueing behind one
// mutex.
#pragma once

#include <atomic>
#include <cstdint>
#include <list>
#include <memory>
#include <mutex>
#include <unordered_map>
#include <vector>

#include "format/block.h"

namespace slatedb {

class BlockCache {
 public:
  explicit BlockCache(uint64_t capacity_bytes, size_t shards = 16);

  // nullptr on a miss.
  std::shared_ptr<const Block> Lookup(uint64_t sst_cache_id, uint32_t block_index);
  void Insert(uint64_t sst_cache_id, uint32_t block_index, std::shared_ptr<const Block> block,
              uint64_t charge_bytes);

  uint64_t hits() const { return hits_.load(std::memory_order_relaxed); }
  uint64_t misses() const { return misses_.load(std::memory_order_relaxed); }
  uint64_t used_bytes() const;

 private:
  struct Entry {
    uint64_t key;
    std::shared_ptr<const Block> block;
    uint64_t charge;
    uint64_t stamp;  // shard clock when last moved to the front
  };
  struct Shard {
    mutable std::mutex mu;
    std::list<Entry> lru;  // front = most recent
    std::unordered_map<uint64_t, std::list<Entry>::iterator> index;
    uint64_t used = 0;
    uint64_t clock = 0;  // counts moves to the front
  };
  // Moves a hit entry to the front unless it is already among the most recent.
  static void Promote(Shard& shard, std::list<Entry>::iterator entry);
  static uint64_t Key(uint64_t sst_cache_id, uint32_t block_index) {
    return (sst_cache_id << 24) ^ block_index;
  }
  Shard& ShardFor(uint64_t key) {
    return shards_[((key * 0x9E3779B97F4A7C15ull) >> 40) % shards_.size()];
  }

  uint64_t capacity_per_shard_;
  std::vector<Shard> shards_;
  std::atomic<uint64_t> hits_{0};
  std::atomic<uint64_t> misses_{0};
};

}  // namespace slatedb
