// SPDX-License-Identifier: Apache-2.0
//
// BlockCache: decoded SST data blocks, bounded in bytes (charged by decoded size), evicted
// in CLOCK order (an approximation of LRU: a block read since the hand last passed it gets
// a second chance). Shards keep concurrent readers from queueing behind one mutex.
//
// Each shard is one open-addressing table whose slots hold the key inline, so a lookup
// costs one cache line for the slot plus the block itself, and a hit writes nothing but a
// reference bit; a node-based map plus an LRU list cost two or three more misses per get
// and dominated warm point reads.
#pragma once

#include <cstdint>
#include <memory>
#include <mutex>
#include <vector>

#include "format/block.h"

namespace slatedb {

class BlockCache {
 public:
  explicit BlockCache(uint64_t capacity_bytes, size_t shards = 16);

  // nullptr on a miss. `count` false: a second look by a read already counted (a hit still
  // marks the block recently used).
  std::shared_ptr<const Block> Lookup(uint64_t sst_cache_id, uint32_t block_index,
                                      bool count = true);
  // Adds `block` unless the key is cached already; evicts until the shard fits its budget.
  // A block larger than a shard's budget is not cached.
  void Insert(uint64_t sst_cache_id, uint32_t block_index, std::shared_ptr<const Block> block,
              uint64_t charge_bytes);

  // Drops every cached block of the SST `sst_cache_id` (Db::EvictCachedSst); returns how
  // many. Visits every slot: for explicit evictions, not for the read path.
  size_t EraseSst(uint64_t sst_cache_id);

  // The configured bound; 0 means nothing is ever cached.
  uint64_t capacity_bytes() const { return capacity_per_shard_ * shards_.size(); }
  uint64_t hits() const;
  uint64_t misses() const;
  uint64_t used_bytes() const;
  size_t entry_count() const;

 private:
  struct Slot {
    uint64_t key = 0;
    std::shared_ptr<const Block> block;  // null: the slot is empty
    uint64_t charge = 0;
    bool referenced = false;  // set by a hit, cleared by the passing clock hand
  };
  struct Shard {
    mutable std::mutex mu;
    std::vector<Slot> slots;  // capacity is a power of two, at most half full
    size_t count = 0;
    size_t hand = 0;
    uint64_t used = 0;
    uint64_t hits = 0;
    uint64_t misses = 0;
  };

  // The SST's cache id above the block index (SSTs have far fewer than 2^24 blocks), so
  // EraseSst can recognise an SST's blocks by the key alone.
  static constexpr int kBlockBits = 24;
  static uint64_t Key(uint64_t sst_cache_id, uint32_t block_index) {
    return (sst_cache_id << kBlockBits) ^ block_index;
  }
  static uint64_t Mix(uint64_t key);
  Shard& ShardFor(uint64_t key) { return shards_[(Mix(key) >> 56) % shards_.size()]; }

  // The slot holding `key`, or the empty slot where it would go.
  static size_t Probe(const Shard& shard, uint64_t key);
  static void Grow(Shard& shard);
  // Empties slot `i`, moving later members of its probe run back so lookups still find them.
  static void Erase(Shard& shard, size_t i);
  void EvictUntilFits(Shard& shard);

  uint64_t capacity_per_shard_;
  std::vector<Shard> shards_;
};

}  // namespace slatedb
