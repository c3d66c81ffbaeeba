// SPDX-License-Identifier: Apache-2.0
//
// ObjectStoreCache: what the engine may ask of a persistent cache that sits between it and
// the object store (natively platform/'s CachedObjectStore, a decorator around any store).
// Anyone holding a store reaches it through ObjectStore::cache(), however the store is
// wrapped (null when no cache is configured); a Db-level warm_sst is to use that.
//
// A cache holds copies of immutable objects only (SSTs under compacted/); manifests, WAL
// objects and the compactions/ state always go to the store. It never changes what a read
// returns: a cached copy that fails its checksum is dropped and fetched again.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "slatedb/status.h"

namespace slatedb {

// A byte range of one object: [offset, offset + length).
struct ObjectByteRange {
  uint64_t offset = 0;
  uint64_t length = 0;
};

class ObjectStoreCache {
 public:
  using StatusCallback = std::function<void(Status)>;
  virtual ~ObjectStoreCache() = default;

  // Whether this cache keeps copies of `key` (an immutable object it is configured for).
  virtual bool Caches(const std::string& key) const = 0;

  // Brings the parts of `key` covering `ranges` (the whole object if `ranges` is empty)
  // into the cache, fetching from the store only what is not cached yet. An absent object
  // or a key the cache does not keep is not an error: nothing happens. `done` is called
  // once, on any thread, possibly before Warm returns.
  virtual void Warm(const std::string& key, std::vector<ObjectByteRange> ranges,
                    StatusCallback done) = 0;

  // Drops every cached part of `key`; later reads fetch it from the store again.
  virtual void Evict(const std::string& key, StatusCallback done) = 0;
};

}  // namespace slatedb
