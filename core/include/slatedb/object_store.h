// SPDX-License-Identifier: Apache-2.0
//
// ObjectStore: the host-provided storage the engine persists everything to. The core does
// no I/O of its own; it calls these methods and continues when the host calls back.
//
// Contract every implementation must keep (tests/store/object_store_conformance.cc checks
// it against each store, including the JavaScript-implemented one):
//
// * Completion: each call invokes its callback exactly once, on any thread, possibly
//   before the call returns. Callbacks must not be invoked while the store holds a lock
//   that another of its methods needs (the callback may call back into the store).
// * Keys are non-empty '/'-separated strings without a leading '/', "." or ".." segments.
//   A key that breaks these rules fails with Invalid.
// * Atomic visibility: once Put reports success, every later Get sees the whole new
//   object; no reader ever sees a partial object.
// * Put modes: kOverwrite replaces unconditionally. kCreateIfAbsent fails with
//   AlreadyExists if the key exists (the engine's only coordination primitive: manifest
//   CAS and WAL fencing rely on it being atomic, across processes where the store is
//   shared). kReplaceIfVersionMatches replaces only if the current object's version
//   equals `expected_version`, else VersionMismatch (NotFound if absent).
// * Errors: NotFound for a missing key (Get, GetRange, Head; never Delete), AlreadyExists
//   and VersionMismatch as above, Unavailable for transient failures (may be retried),
//   Invalid for a malformed request, Data if the store detects corruption.
// * Get/GetRange: GetRange returns the bytes in [offset, offset + length) that exist; a
//   range reaching past the end is cut short at the end; offset > size is Invalid.
// * List returns every object whose key starts with `prefix` and sorts after
//   `start_after` (all of them if empty), in ascending byte order of keys, hiding any
//   pagination of the underlying service.
// * Delete is idempotent: deleting a missing key succeeds.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "slatedb/result.h"

namespace slatedb {

class ObjectStoreCache;  // slatedb/object_store_cache.h

struct ObjectMeta {
  std::string key;
  uint64_t size_bytes = 0;
  int64_t last_modified_ms = 0;  // milliseconds since the Unix epoch
  std::string version;           // opaque (an ETag); empty if the store has none
};

enum class PutMode : uint8_t {
  kOverwrite = 0,
  kCreateIfAbsent,          // S3: If-None-Match: *
  kReplaceIfVersionMatches  // S3: If-Match: <etag>
};

struct ObjectPutOptions {
  PutMode mode = PutMode::kOverwrite;
  std::string expected_version;  // only for kReplaceIfVersionMatches
};

class ObjectStore {
 public:
  template <typename T>
  using Callback = std::function<void(Result<T>)>;
  using StatusCallback = std::function<void(Status)>;

  virtual ~ObjectStore() = default;

  virtual void Get(const std::string& key, Callback<std::string> done) = 0;
  virtual void GetRange(const std::string& key, uint64_t offset, uint64_t length,
                        Callback<std::string> done) = 0;
  virtual void Head(const std::string& key, Callback<ObjectMeta> done) = 0;
  // On success reports the new object's metadata (its version in particular).
  virtual void Put(const std::string& key, std::string data, const ObjectPutOptions& options,
                   Callback<ObjectMeta> done) = 0;
  virtual void List(const std::string& prefix, const std::string& start_after,
                    Callback<std::vector<ObjectMeta>> done) = 0;
  virtual void Delete(const std::string& key, StatusCallback done) = 0;

  // A short human-readable description ("memory", "local:/var/db", "s3://bucket").
  virtual std::string Describe() const = 0;

  // The persistent cache this store is or wraps (a decorator forwards its inner store's),
  // or null: how a Db-level warm_sst / evict_cached_sst is to reach it (not wired yet; see
  // docs/caches.md). Stores without a cache keep this default.
  virtual ObjectStoreCache* cache() { return nullptr; }
};

// Checks the key rules above; implementations call it first.
Status ValidateObjectKey(const std::string& key);

}  // namespace slatedb
