// SPDX-License-Identifier: Apache-2.0
#include "sst/block_cache.h"

#include <utility>

namespace slatedb {

namespace {
constexpr size_t kInitialSlots = 64;
}  // namespace

BlockCache::BlockCache(uint64_t capacity_bytes, size_t shards)
    : capacity_per_shard_(capacity_bytes / (shards == 0 ? 1 : shards)),
      shards_(shards == 0 ? 1 : shards) {
  for (Shard& shard : shards_) shard.slots.resize(kInitialSlots);
}

uint64_t BlockCache::Mix(uint64_t key) {
  key ^= key >> 33;
  key *= 0xFF51AFD7ED558CCDull;
  key ^= key >> 33;
  key *= 0xC4CEB9FE1A85EC53ull;
  return key ^ (key >> 33);
}

size_t BlockCache::Probe(const Shard& shard, uint64_t key) {
  const size_t mask = shard.slots.size() - 1;
  for (size_t i = Mix(key) & mask;; i = (i + 1) & mask) {
    const Slot& slot = shard.slots[i];
    if (slot.block == nullptr || slot.key == key) return i;
  }
}

std::shared_ptr<const Block> BlockCache::Lookup(uint64_t sst_cache_id, uint32_t block_index,
                                                bool count) {
  uint64_t key = Key(sst_cache_id, block_index);
  Shard& shard = ShardFor(key);
  std::lock_guard<std::mutex> lock(shard.mu);
  Slot& slot = shard.slots[Probe(shard, key)];
  if (slot.block == nullptr) {
    if (count) ++shard.misses;
    return nullptr;
  }
  if (count) ++shard.hits;
  slot.referenced = true;
  return slot.block;
}

void BlockCache::Insert(uint64_t sst_cache_id, uint32_t block_index,
                        std::shared_ptr<const Block> block, uint64_t charge_bytes) {
  if (block == nullptr || charge_bytes > capacity_per_shard_) return;
  uint64_t key = Key(sst_cache_id, block_index);
  Shard& shard = ShardFor(key);
  std::lock_guard<std::mutex> lock(shard.mu);
  if (shard.slots[Probe(shard, key)].block != nullptr) return;  // a concurrent reader won
  shard.used += charge_bytes;
  EvictUntilFits(shard);
  if ((shard.count + 1) * 2 > shard.slots.size()) Grow(shard);
  Slot& slot = shard.slots[Probe(shard, key)];
  slot.key = key;
  slot.block = std::move(block);
  slot.charge = charge_bytes;
  slot.referenced = false;  // earns its second chance with its first hit
  ++shard.count;
}

size_t BlockCache::EraseSst(uint64_t sst_cache_id) {
  const uint64_t high = sst_cache_id << kBlockBits;
  size_t erased = 0;
  for (Shard& shard : shards_) {
    std::lock_guard<std::mutex> lock(shard.mu);
    for (size_t i = 0; i < shard.slots.size(); ++i) {
      // Erase may shift a later member of the run into slot i: look at it again.
      for (;;) {
        Slot& slot = shard.slots[i];
        if (slot.block == nullptr || (slot.key >> kBlockBits) != (high >> kBlockBits)) break;
        shard.used -= slot.charge;
        Erase(shard, i);
        ++erased;
      }
    }
  }
  return erased;
}

void BlockCache::EvictUntilFits(Shard& shard) {
  // Each pass of the hand either clears a reference bit or evicts, so this ends within two
  // sweeps of the table.
  while (shard.used > capacity_per_shard_ && shard.count > 0) {
    shard.hand &= shard.slots.size() - 1;
    Slot& slot = shard.slots[shard.hand];
    if (slot.block == nullptr) {
      ++shard.hand;
    } else if (slot.referenced) {
      slot.referenced = false;
      ++shard.hand;
    } else {
      shard.used -= slot.charge;
      Erase(shard, shard.hand);  // may pull a later entry into this slot: look again
    }
  }
}

void BlockCache::Erase(Shard& shard, size_t i) {
  const size_t mask = shard.slots.size() - 1;
  shard.slots[i] = Slot{};
  --shard.count;
  // Backward-shift deletion: an entry further along the run may move into the hole if its
  // home slot is not strictly between the hole and itself (cyclically).
  for (size_t j = (i + 1) & mask; shard.slots[j].block != nullptr; j = (j + 1) & mask) {
    size_t home = Mix(shard.slots[j].key) & mask;
    bool home_after_hole = ((j - home) & mask) < ((j - i) & mask);
    if (home_after_hole) continue;
    shard.slots[i] = std::move(shard.slots[j]);
    shard.slots[j] = Slot{};
    i = j;
  }
}

void BlockCache::Grow(Shard& shard) {
  std::vector<Slot> old = std::move(shard.slots);
  shard.slots = std::vector<Slot>(old.size() * 2);
  for (Slot& slot : old) {
    if (slot.block != nullptr) shard.slots[Probe(shard, slot.key)] = std::move(slot);
  }
  shard.hand = 0;
}

uint64_t BlockCache::hits() const {
  uint64_t total = 0;
  for (const Shard& shard : shards_) {
    std::lock_guard<std::mutex> lock(shard.mu);
    total += shard.hits;
  }
  return total;
}

uint64_t BlockCache::misses() const {
  uint64_t total = 0;
  for (const Shard& shard : shards_) {
    std::lock_guard<std::mutex> lock(shard.mu);
    total += shard.misses;
  }
  return total;
}

uint64_t BlockCache::used_bytes() const {
  uint64_t total = 0;
  for (const Shard& shard : shards_) {
    std::lock_guard<std::mutex> lock(shard.mu);
    total += shard.used;
  }
  return total;
}

size_t BlockCache::entry_count() const {
  size_t total = 0;
  for (const Shard& shard : shards_) {
    std::lock_guard<std::mutex> lock(shard.mu);
    total += shard.count;
  }
  return total;
}

}  // namespace slatedb
