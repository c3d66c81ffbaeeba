// SPDX-License-Identifier: Apache-2.0
//
// TableStore: compacted SSTs in the object store. Opens them (index and filter in one
// range read, kept in memory while the SST is live, and with a shared DbCache also in its
// metadata part, where another instance of the same cache id finds them), reads data blocks
// through the block cache, and uploads new ones.
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "format/block.h"
#include "format/filter_set.h"
#include "format/sst_builder.h"
#include "format/sst_info.h"
#include "format/sst_reader.h"
#include "manifest/manifest.h"
#include "slatedb/task.h"
#include "sst/block_cache.h"
#include "sst/db_cache.h"
#include "store/paths.h"
#include "store/store_client.h"
#include "util/single_flight.h"

namespace slatedb {

// An open SST: everything needed to find a key's block without further I/O.
struct SstHandle {
  SstHandle(std::string id_in, std::string object_key_in, SstInfo info_in, uint64_t cache_id_in,
            SstIndex index_in, SstFilters filters_in)
      : id(std::move(id_in)),
        object_key(std::move(object_key_in)),
        info(std::move(info_in)),
        cache_id(cache_id_in),
        index(std::move(index_in)),
        filters(std::move(filters_in)) {}

  std::string id;
  std::string object_key;
  SstInfo info;
  // Names its parts in the caches: a hash of `id`, so every database instance sharing a
  // DbCache scope finds the same SST's parts under the same key.
  uint64_t cache_id = 0;
  SstIndex index;
  // The filters of the SST that the store's policies read (possibly none).
  SstFilters filters;

  // False if the SST's key range or its filters prove `key` absent. A view's visible range
  // is the caller's to check (SstRef::MayHoldKey).
  bool MayContain(std::string_view key) const {
    if (key < std::string_view(info.first_entry) || key > std::string_view(info.last_entry)) {
      return false;
    }
    return filters.MayMatchPoint(key);
  }
  // False if the SST's filters prove it holds no key starting with `prefix` (scan_prefix).
  bool MayContainPrefix(std::string_view prefix) const { return filters.MayMatchPrefix(prefix); }
};

class TableStore {
 public:
  // `filter_policies`: the filters of an SST that handles keep and consult (the others in
  // its filter section are skipped); empty: no filters are read.
  TableStore(StoreClient* client, DbPaths paths, TableCache cache,
             std::vector<FilterPolicy> filter_policies);

  // The open handle for `ref`, loading it on first use (from ref.root's compacted/ if set). Data if
  // it cannot be decoded or is missing. Concurrent opens of one SST share one range read.
  Task<Result<std::shared_ptr<const SstHandle>>> Open(SstRef ref);
  // The handle if already open; no I/O.
  std::shared_ptr<const SstHandle> TryGetOpen(const std::string& id) const;

  // Uploads a newly built SST under `id` and registers its handle from the bytes in hand.
  // AlreadyExists if an object with that id exists (pick another id).
  Task<Result<std::shared_ptr<const SstHandle>>> Write(std::string id, EncodedSst sst);

  // The block from the cache, or nullptr. No I/O.
  std::shared_ptr<const Block> TryGetBlock(const SstHandle& sst, size_t block) const;
  // The block from the cache or the store; fills the cache if `fill_cache`. Concurrent
  // misses on one block share one range read (whose starter's `fill_cache` decides).
  Task<Result<std::shared_ptr<const Block>>> ReadBlock(std::shared_ptr<const SstHandle> sst,
                                                       size_t block, bool fill_cache);

  // ReadBlock for a point read whose key the next block starts with: the key's versions may
  // begin at the end of `block`, so both blocks are needed. Unless block + 1 is cached (or
  // `block` is), both come in one range read instead of two in a row, which on a remote
  // store halves such a read's latency; both are cached if `fill_cache`, and `*next` gets
  // block + 1 when this call read it (else it is left alone). Shares ReadBlock's single
  // flight for `block`.
  Task<Result<std::shared_ptr<const Block>>> ReadBlockWithNext(std::shared_ptr<const SstHandle> sst,
                                                               size_t block, bool fill_cache,
                                                               std::shared_ptr<const Block>* next);

  // Blocks [first, last) of `sst` in one range read, decoded, without touching the cache
  // (scans and compaction read ahead into their own buffers).
  Task<Result<std::vector<std::shared_ptr<const Block>>>> ReadBlocks(
      std::shared_ptr<const SstHandle> sst, size_t first, size_t last);

  // Blocks [first, last) of `sst` into the block cache, each range read covering a run of
  // blocks not cached yet (Db::WarmSst). Nothing with a cache of capacity 0.
  Task<Status> LoadIntoCache(std::shared_ptr<const SstHandle> sst, size_t first, size_t last);

  // Drops the handle (the SST left the manifest).
  void Forget(const std::string& id);
  // Drops the SST's cached blocks and its handle (index and filter), so its next read
  // loads them again (Db::EvictCachedSst); returns the handle's object key if it was open.
  // A read holding the old handle keeps working; blocks it caches meanwhile age out.
  std::optional<std::string> Evict(const std::string& id);

  // The object holding the SST `ref` names: its root's compacted/<id>.sst (a clone's SSTs
  // shared with its parent live under the parent's root).
  std::string ObjectKey(const SstRef& ref) const;

  // The cache data blocks go to (for metrics and whether warming can cache anything).
  BlockCache& cache() const { return *cache_.blocks; }
  // This store's counted block lookups (TryGetBlock) that hit and missed.
  uint64_t block_hits() const { return block_hits_.load(std::memory_order_relaxed); }
  uint64_t block_misses() const { return block_misses_.load(std::memory_order_relaxed); }
  StoreClient& client() { return *client_; }

  // Loads started and calls that joined a load in flight (SST opens, block reads).
  struct FlightStats {
    SingleFlight<std::string, std::shared_ptr<const SstHandle>>::Stats opens;
    SingleFlight<std::pair<uint64_t, size_t>, std::shared_ptr<const Block>>::Stats blocks;
    size_t in_flight = 0;
  };
  FlightStats flight_stats() const;

 private:
  Result<std::shared_ptr<const SstHandle>> MakeHandle(const std::string& id, std::string object_key,
                                                      const SstInfo& info,
                                                      std::string_view meta_bytes,
                                                      uint64_t meta_offset);
  std::shared_ptr<const SstHandle> Register(std::shared_ptr<const SstHandle> handle);
  // The range reads behind Open and ReadBlock, run once per key however many callers wait.
  Task<Result<std::shared_ptr<const SstHandle>>> LoadHandle(SstRef ref);
  Task<Result<std::shared_ptr<const Block>>> LoadBlock(std::shared_ptr<const SstHandle> sst,
                                                       size_t block, bool fill_cache);
  // ReadBlockWithNext's read: blocks `block` and `block + 1`, the second into `*second`.
  Task<Result<std::shared_ptr<const Block>>> LoadBlockPair(
      std::shared_ptr<const SstHandle> sst, size_t block, bool fill_cache,
      std::shared_ptr<std::shared_ptr<const Block>> second);
  // The handle `ref` names from the metadata cache, if there and of the same object.
  std::shared_ptr<const SstHandle> CachedHandle(const SstRef& ref) const;
  void CacheHandle(const std::shared_ptr<const SstHandle>& handle) const;
  CacheKey KeyOf(const SstHandle& sst, size_t block) const {
    return CacheKey{cache_.scope, sst.cache_id, static_cast<uint32_t>(block)};
  }

  StoreClient* client_;
  DbPaths paths_;
  const TableCache cache_;
  const std::vector<FilterPolicy> filter_policies_;
  mutable std::atomic<uint64_t> block_hits_{0};
  mutable std::atomic<uint64_t> block_misses_{0};
  mutable std::mutex mu_;
  std::unordered_map<std::string, std::shared_ptr<const SstHandle>> open_;
  SingleFlight<std::string, std::shared_ptr<const SstHandle>> open_flights_;
  // Keyed by (SST cache id, block index).
  SingleFlight<std::pair<uint64_t, size_t>, std::shared_ptr<const Block>> block_flights_;
};

}  // namespace slatedb
