// SPDX-License-Identifier: Apache-2.0
#include "sst/block_cache.h"

#include <utility>

namespace slatedb {

namespace {
constexpr size_t kInitialSlots = 64;

uint64_t Mix(uint64_t key) {
  key ^= key >> 33;
  key *= 0xFF51AFD7ED558CCDull;
  key ^= key >> 33;
  key *= 0xC4CEB9FE1A85EC53ull;
  return key ^ (key >> 33);
}
}  // namespace

BlockCache::BlockCache(Options options)
    : capacity_per_shard_(options.capacity_bytes / (options.shards == 0 ? 1 : options.shards)),
      ttl_ms_(options.ttl_ms),
      tti_ms_(options.tti_ms),
      shards_(options.shards == 0 ? 1 : options.shards) {
  for (Shard& shard : shards_) {
    MutexLock lock(&shard.mu);
    shard.slots.resize(kInitialSlots);
  }
}

uint64_t BlockCache::Hash(const CacheKey& key) {
  return Mix(Mix(key.scope ^ 0x9E3779B97F4A7C15ull) ^ key.sst ^
             (static_cast<uint64_t>(key.part) * 0xD6E8FEB86659FD93ull));
}

bool BlockCache::Expired(const Slot& slot, uint64_t now_ms) const {
  // A clock that stepped back leaves entries alive (the differences would wrap).
  if (ttl_ms_ && now_ms >= slot.inserted_ms && now_ms - slot.inserted_ms >= *ttl_ms_) {
    return true;
  }
  return tti_ms_ && now_ms >= slot.accessed_ms && now_ms - slot.accessed_ms >= *tti_ms_;
}

size_t BlockCache::Probe(const Shard& shard, const CacheKey& key, uint64_t hash) {
  const size_t mask = shard.slots.size() - 1;
  for (size_t i = hash & mask;; i = (i + 1) & mask) {
    const Slot& slot = shard.slots[i];
    if (slot.value == nullptr || slot.key == key) return i;
  }
}

std::shared_ptr<const void> BlockCache::Lookup(const CacheKey& key, uint64_t now_ms, bool count) {
  const uint64_t hash = Hash(key);
  Shard& shard = ShardFor(hash);
  MutexLock lock(&shard.mu);
  const size_t i = Probe(shard, key, hash);
  Slot& slot = shard.slots[i];
  if (slot.value != nullptr && Expired(slot, now_ms)) Erase(shard, i);
  if (slot.value == nullptr) {  // (after an Erase, slot i may hold another key: look again)
    if (count) ++shard.misses;
    return nullptr;
  }
  if (!(slot.key == key)) {
    if (count) ++shard.misses;
    return nullptr;
  }
  if (count) ++shard.hits;
  slot.referenced = true;
  slot.accessed_ms = now_ms;
  return slot.value;
}

void BlockCache::Insert(const CacheKey& key, std::shared_ptr<const void> value,
                        uint64_t charge_bytes, uint64_t now_ms) {
  if (value == nullptr || charge_bytes > capacity_per_shard_) return;
  const uint64_t hash = Hash(key);
  Shard& shard = ShardFor(hash);
  MutexLock lock(&shard.mu);
  const size_t found = Probe(shard, key, hash);
  if (shard.slots[found].value != nullptr) {
    if (!Expired(shard.slots[found], now_ms)) return;  // a concurrent reader won
    Erase(shard, found);
  }
  shard.used += charge_bytes;
  EvictUntilFits(shard, now_ms);
  if ((shard.count + 1) * 2 > shard.slots.size()) Grow(shard);
  Slot& slot = shard.slots[Probe(shard, key, hash)];
  slot.key = key;
  slot.value = std::move(value);
  slot.charge = charge_bytes;
  slot.inserted_ms = now_ms;
  slot.accessed_ms = now_ms;
  slot.referenced = false;  // earns its second chance with its first hit
  ++shard.count;
}

size_t BlockCache::EraseSst(uint64_t scope, uint64_t sst) {
  size_t erased = 0;
  for (Shard& shard : shards_) {
    MutexLock lock(&shard.mu);
    for (size_t i = 0; i < shard.slots.size(); ++i) {
      // Erase may shift a later member of the run into slot i: look at it again.
      for (;;) {
        const Slot& slot = shard.slots[i];
        if (slot.value == nullptr || slot.key.scope != scope || slot.key.sst != sst) break;
        Erase(shard, i);
        ++erased;
      }
    }
  }
  return erased;
}

void BlockCache::EvictUntilFits(Shard& shard, uint64_t now_ms) {
  // Each pass of the hand either clears a reference bit or evicts, so this ends within two
  // sweeps of the table. An expired entry goes whatever its reference bit.
  while (shard.used > capacity_per_shard_ && shard.count > 0) {
    shard.hand &= shard.slots.size() - 1;
    Slot& slot = shard.slots[shard.hand];
    if (slot.value == nullptr) {
      ++shard.hand;
    } else if (slot.referenced && !Expired(slot, now_ms)) {
      slot.referenced = false;
      ++shard.hand;
    } else {
      Erase(shard, shard.hand);  // may pull a later entry into this slot: look again
    }
  }
}

void BlockCache::Erase(Shard& shard, size_t i) {
  const size_t mask = shard.slots.size() - 1;
  shard.used -= shard.slots[i].charge;
  shard.slots[i] = Slot{};
  --shard.count;
  // Backward-shift deletion: an entry further along the run may move into the hole if its
  // home slot is not strictly between the hole and itself (cyclically).
  for (size_t j = (i + 1) & mask; shard.slots[j].value != nullptr; j = (j + 1) & mask) {
    size_t home = Hash(shard.slots[j].key) & mask;
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
    if (slot.value != nullptr) {
      shard.slots[Probe(shard, slot.key, Hash(slot.key))] = std::move(slot);
    }
  }
  shard.hand = 0;
}

uint64_t BlockCache::hits() const {
  uint64_t total = 0;
  for (const Shard& shard : shards_) {
    MutexLock lock(&shard.mu);
    total += shard.hits;
  }
  return total;
}

uint64_t BlockCache::misses() const {
  uint64_t total = 0;
  for (const Shard& shard : shards_) {
    MutexLock lock(&shard.mu);
    total += shard.misses;
  }
  return total;
}

uint64_t BlockCache::used_bytes() const {
  uint64_t total = 0;
  for (const Shard& shard : shards_) {
    MutexLock lock(&shard.mu);
    total += shard.used;
  }
  return total;
}

size_t BlockCache::entry_count() const {
  size_t total = 0;
  for (const Shard& shard : shards_) {
    MutexLock lock(&shard.mu);
    total += shard.count;
  }
  return total;
}

}  // namespace slatedb
