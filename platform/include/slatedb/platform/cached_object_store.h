// SPDX-License-Identifier: Apache-2.0
//
// CachedObjectStore: a persistent on-disk cache of immutable objects, as a decorator
// around any ObjectStore (S3 most of all, where a miss costs 10-100 ms).
//
//   auto s3 = *OpenS3ObjectStore("s3://bucket/prefix");
//   ObjectStoreCacheOptions cache;
//   cache.root_folder = "/var/cache/myapp";
//   options.object_store = *CachedObjectStore::Open(s3, cache);
//
// What it caches: objects whose key `options.cacheable` accepts, by default only SSTs
// (".../compacted/<id>.sst"), which are never modified once written. Manifests, WAL
// objects, compactions/ and everything else always go to the inner store, as do Head and
// List. Objects are cached in aligned parts of `part_size_bytes`: a read fetches the parts
// it touches that are not cached (adjacent ones in one range request) and answers from
// them; a read that finds all its parts on disk makes no request at all.
//
// Guarantees:
// * The ObjectStore contract holds (tests/store run the conformance suite through it).
// * Every byte served from disk is checked against a CRC-32C written with it; a part file
//   that is truncated, partial or damaged is deleted and its bytes fetched again.
// * Concurrent reads that miss the same part share one fetch (single flight).
// * The folder holds at most `max_cache_size_bytes` of part files, evicting the least
//   recently used; the index and recency survive a restart.
// * One process per folder: a second process's Open fails with Invalid. Within a process,
//   stores opened on one folder share it (a writer and its readers, say).
// * Puts and Deletes through the decorator drop the object's cached parts, so even a
//   cacheable key that is rewritten through it reads back correctly. Writes by other
//   processes are not seen: that is why only immutable objects are cached.
//
// Thread-safe. Disk I/O runs synchronously on the calling thread (a hit completes before
// GetRange returns) or on the thread that completes the inner store's request.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "slatedb/object_store.h"
#include "slatedb/object_store_cache.h"
#include "slatedb/result.h"

namespace slatedb {

namespace cache {
class DiskCache;
}

// True for ".../compacted/<name>.sst" keys: the SSTs of a database, immutable once
// written. Never for manifest/, wal/, compactions/ or gc/ objects.
bool IsImmutableSstKey(std::string_view key);

// Named as upstream SlateDB 0.17's `object_store_cache_options` settings.
struct ObjectStoreCacheOptions {
  // The folder the cache keeps its files in (created if absent). Required.
  std::string root_folder;
  // Bound on the part files' total size (headers included).
  uint64_t max_cache_size_bytes = 16ull << 30;
  // Objects are cached in parts of this size, aligned to multiples of it.
  uint64_t part_size_bytes = 4ull << 20;
  // Whether SSTs this process writes are cached as they are put. The store cannot tell a
  // memtable flush from a compaction output, so either flag caches both.
  bool cache_on_flush = false;
  bool cache_on_compaction = false;
  // Which keys are cached; null means IsImmutableSstKey.
  std::function<bool(const std::string&)> cacheable;
  // Names the inner store inside the cache files (default: its Describe()). Two stores
  // sharing a folder must have different identities if they hold different objects under
  // the same keys (two in-memory stores both describe themselves as "memory").
  std::string store_identity;
};

struct ObjectStoreCacheStats {
  uint64_t reads_hit = 0;       // cacheable reads answered from disk alone
  uint64_t reads_missed = 0;    // cacheable reads that needed the inner store
  uint64_t parts_hit = 0;       // parts read from disk
  uint64_t parts_fetched = 0;   // parts fetched from the inner store
  uint64_t parts_joined = 0;    // parts a read waited for from another read's fetch
  uint64_t bytes_served = 0;    // bytes answered from disk
  uint64_t bytes_fetched = 0;   // bytes received from the inner store for cached keys
  uint64_t inner_requests = 0;  // requests sent to the inner store for cacheable keys
  uint64_t parts_written = 0;
  uint64_t write_failures = 0;
  uint64_t evictions = 0;
  uint64_t corrupt_parts = 0;  // part files that failed verification (deleted, refetched)
  uint64_t used_bytes = 0;     // size of the folder's part files now
  uint64_t max_bytes = 0;
  uint64_t entries = 0;  // part files now
};

class CachedObjectStore : public ObjectStore,
                          public ObjectStoreCache,
                          public std::enable_shared_from_this<CachedObjectStore> {
 public:
  using StatusCallback = ObjectStore::StatusCallback;  // the same type in both bases

  // Invalid if `inner` is null, root_folder is empty or unusable, part_size_bytes is 0 or
  // larger than max_cache_size_bytes, or another process holds the folder.
  static Result<std::shared_ptr<CachedObjectStore>> Open(std::shared_ptr<ObjectStore> inner,
                                                         ObjectStoreCacheOptions options);
  ~CachedObjectStore() override;

  void Get(const std::string& key, Callback<std::string> done) override;
  void GetRange(const std::string& key, uint64_t offset, uint64_t length,
                Callback<std::string> done) override;
  void Head(const std::string& key, Callback<ObjectMeta> done) override;
  void Put(const std::string& key, std::string data, const ObjectPutOptions& options,
           Callback<ObjectMeta> done) override;
  void List(const std::string& prefix, const std::string& start_after,
            Callback<std::vector<ObjectMeta>> done) override;
  void Delete(const std::string& key, StatusCallback done) override;
  // "cached(<inner>)".
  std::string Describe() const override;
  ObjectStoreCache* cache() override { return this; }

  // ObjectStoreCache.
  bool Caches(const std::string& key) const override;
  void Warm(const std::string& key, std::vector<ObjectByteRange> ranges,
            StatusCallback done) override;
  void Evict(const std::string& key, StatusCallback done) override;

  // Upstream's warm_sst / evict_cached_sst at the store level: the SST `sst_id` (a ULID)
  // of the database at `db_path` in this store, whole. Invalid("invalid SST ULID: ...")
  // for a malformed id; an unknown SST is not an error.
  void WarmSst(const std::string& db_path, const std::string& sst_id, StatusCallback done);
  void EvictCachedSst(const std::string& db_path, const std::string& sst_id, StatusCallback done);

  ObjectStoreCacheStats stats() const;
  const std::shared_ptr<ObjectStore>& inner() const { return inner_; }
  const ObjectStoreCacheOptions& options() const { return options_; }

 private:
  struct Gather;
  struct Piece;
  struct Fetch;
  struct Counters {
    std::atomic<uint64_t> reads_hit{0}, reads_missed{0}, parts_hit{0}, parts_fetched{0},
        parts_joined{0}, bytes_served{0}, bytes_fetched{0}, inner_requests{0};
  };

  CachedObjectStore(std::shared_ptr<ObjectStore> inner, ObjectStoreCacheOptions options,
                    std::shared_ptr<cache::DiskCache> disk);

  std::string Identity(const std::string& key) const;
  void ReadParts(const std::string& key, uint64_t offset, uint64_t length,
                 Callback<std::string> done);
  // One inner request for the aligned span around [offset, offset + length) (the whole
  // object for a Get), cached from its answer.
  void ReadSpan(const std::string& key, uint64_t offset, uint64_t length, bool whole,
                Callback<std::string> done);
  void StartFetch(const std::shared_ptr<Gather>& gather, uint64_t first,
                  std::vector<std::shared_ptr<Fetch>> fetches);
  void FinishFetch(const std::string& identity, uint64_t first,
                   const std::vector<std::shared_ptr<Fetch>>& fetches, uint64_t generation,
                   Result<std::string> result);
  void Deliver(const std::shared_ptr<Gather>& gather, size_t slot, Piece piece);
  void Assemble(const std::shared_ptr<Gather>& gather);
  // Stores `bytes` (the object from part `first` on, to its end if `to_end`) as parts.
  void StoreParts(const std::string& identity, uint64_t first, const std::string& bytes,
                  bool to_end, uint64_t generation);
  void DropInFlight(const std::string& identity);

  const std::shared_ptr<ObjectStore> inner_;
  const ObjectStoreCacheOptions options_;
  const std::string store_identity_;
  const std::shared_ptr<cache::DiskCache> disk_;
  Counters counters_;

  // Parts being fetched, by (identity, part index), so concurrent misses share a fetch.
  std::mutex in_flight_mu_;
  std::map<std::pair<std::string, uint64_t>, std::shared_ptr<Fetch>> in_flight_;
};

}  // namespace slatedb
