// SPDX-License-Identifier: Apache-2.0
//
// BlockCache: decoded SST parts (data blocks, and with a shared DbCache also SST handles:
// index and filter), bounded in bytes (charged by the caller, by decoded size), evicted in
// CLOCK order (an approximation of LRU: an entry read since the hand last passed it gets a
// second chance). Shards keep concurrent readers from queueing behind one mutex.
//
// Entries are keyed by (scope, SST key, part): databases sharing one cache (a DbCache given
// to several Db/DbReader) share its byte budget, and their scopes keep their entries apart.
// Entries may expire: `ttl_ms` after insertion, `tti_ms` after their last hit. Time is the
// caller's (`now_ms` from the database's Clock): the cache never reads a clock itself.
//
// Each shard is one open-addressing table whose slots hold the key inline, so a lookup
// costs one cache line for the slot plus the value itself, and a hit writes nothing but a
// reference bit and an access time; a node-based map plus an LRU list cost two or three
// more misses per get and dominated warm point reads.
//
// Thread safety: every method may be called from any thread at once (one mutex per shard).
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <vector>

#include "util/mutex.h"

namespace slatedb {

// Names one cached entry. `part` is a data block's index, or kMetaPart for the SST's handle.
struct CacheKey {
  uint64_t scope = 0;
  uint64_t sst = 0;
  uint32_t part = 0;
  bool operator==(const CacheKey&) const = default;
};

class BlockCache {
 public:
  struct Options {
    uint64_t capacity_bytes = 0;
    size_t shards = 16;              // 0 is taken as 1
    std::optional<uint64_t> ttl_ms;  // expire this long after insertion
    std::optional<uint64_t> tti_ms;  // expire this long after the last hit
  };
  explicit BlockCache(Options options);
  explicit BlockCache(uint64_t capacity_bytes, size_t shards = 16)
      : BlockCache(Options{.capacity_bytes = capacity_bytes,
                           .shards = shards,
                           .ttl_ms = std::nullopt,
                           .tti_ms = std::nullopt}) {}

  // The part number of an SST's handle (index and filter); data blocks are numbered below.
  static constexpr uint32_t kMetaPart = UINT32_MAX;

  // nullptr on a miss (an expired entry is dropped and misses). `count` false: a second
  // look by a read already counted (a hit still marks the entry recently used).
  std::shared_ptr<const void> Lookup(const CacheKey& key, uint64_t now_ms, bool count = true);
  // Adds `value` unless the key is cached already; evicts (expired entries first come to
  // the hand like any other) until the shard fits its budget. A value larger than a
  // shard's budget is not cached.
  void Insert(const CacheKey& key, std::shared_ptr<const void> value, uint64_t charge_bytes,
              uint64_t now_ms);

  // Drops every cached part of the SST `sst` in `scope` (Db::EvictCachedSst); returns how
  // many. Visits every slot: for explicit evictions, not for the read path.
  size_t EraseSst(uint64_t scope, uint64_t sst);

  // The configured bound; 0 means nothing is ever cached.
  uint64_t capacity_bytes() const { return capacity_per_shard_ * shards_.size(); }
  // Whether entries have lifetimes (callers need not read a clock otherwise).
  bool expires() const { return ttl_ms_.has_value() || tti_ms_.has_value(); }
  uint64_t hits() const;
  uint64_t misses() const;
  // Expired entries count until a lookup or the clock hand drops them.
  uint64_t used_bytes() const;
  size_t entry_count() const;

 private:
  struct Slot {
    CacheKey key;
    std::shared_ptr<const void> value;  // null: the slot is empty
    uint64_t charge = 0;
    uint64_t inserted_ms = 0;
    uint64_t accessed_ms = 0;
    bool referenced = false;  // set by a hit, cleared by the passing clock hand
  };
  struct Shard {
    mutable Mutex mu;
    std::vector<Slot> slots GUARDED_BY(mu);  // capacity is a power of two, at most half full
    size_t count GUARDED_BY(mu) = 0;
    size_t hand GUARDED_BY(mu) = 0;
    uint64_t used GUARDED_BY(mu) = 0;
    uint64_t hits GUARDED_BY(mu) = 0;
    uint64_t misses GUARDED_BY(mu) = 0;
  };

  static uint64_t Hash(const CacheKey& key);
  Shard& ShardFor(uint64_t hash) { return shards_[(hash >> 56) % shards_.size()]; }
  bool Expired(const Slot& slot, uint64_t now_ms) const;

  // The slot holding `key`, or the empty slot where it would go.
  static size_t Probe(const Shard& shard, const CacheKey& key, uint64_t hash) REQUIRES(shard.mu);
  static void Grow(Shard& shard) REQUIRES(shard.mu);
  // Empties slot `i` (and uncharges it), moving later members of its probe run back so
  // lookups still find them.
  static void Erase(Shard& shard, size_t i) REQUIRES(shard.mu);
  void EvictUntilFits(Shard& shard, uint64_t now_ms) REQUIRES(shard.mu);

  const uint64_t capacity_per_shard_;
  const std::optional<uint64_t> ttl_ms_;
  const std::optional<uint64_t> tti_ms_;
  std::vector<Shard> shards_;
};

}  // namespace slatedb
