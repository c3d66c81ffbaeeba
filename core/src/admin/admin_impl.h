// SPDX-License-Identifier: Apache-2.0
//
// AdminImpl: the state behind Admin (slatedb/admin.h): a store client, the manifest and
// compaction-state stores of the Admin's path, and the GC stop flag. Clone creation is in
// clone.cc, compaction requests in compactions.cc.
#pragma once

#include <atomic>
#include <memory>
#include <mutex>
#include <string>

#include "manifest/compactions_store.h"
#include "manifest/manifest_store.h"
#include "slatedb/admin.h"
#include "store/paths.h"
#include "store/store_client.h"
#include "store/wal_routing_object_store.h"
#include "util/random.h"
#include "util/ulid.h"

namespace slatedb {

class AdminImpl : public std::enable_shared_from_this<AdminImpl> {
 public:
  explicit AdminImpl(AdminOptions options)
      : options_(std::move(options)),
        paths_(options_.path),
        client_(WithWalStore(options_.object_store, options_.wal_object_store,
                             DbPaths(options_.path).WalDir()),
                options_.executor, options_.clock,
                RetryPolicy{.max_retries = options_.object_store_max_retries},
                RetrySeed(options_.clock->NowMillis(), options_.path)),
        manifest_store_(&client_, paths_),
        compactions_store_(&client_, paths_),
        wal_client_(options_.wal_object_store
                        ? std::make_unique<StoreClient>(
                              options_.wal_object_store, options_.executor, options_.clock,
                              RetryPolicy{.max_retries = options_.object_store_max_retries},
                              RetrySeed(options_.clock->NowMillis(), options_.path) + 1)
                        : nullptr),
        random_(options_.seed
                    ? *options_.seed
                    : static_cast<uint64_t>(options_.clock->NowMillis()) * 0xD1B54A32D192ED03ull ^
                          reinterpret_cast<uintptr_t>(this)),
        ulids_(random_.Next()) {}

  std::string NewId() {
    std::lock_guard<std::mutex> lock(mu_);
    return NewUuidLocked();
  }

  // A fresh ULID for a compaction request.
  std::string NewUlid() {
    std::lock_guard<std::mutex> lock(mu_);
    return ulids_.Next(options_.clock->NowMillis());
  }

  // The sequenced objects `<dir><20-digit id><suffix>` with start <= id < end, as a JSON array
  // of {id, location, last_modified, size} (ListManifests, ListCompactions).
  Task<Result<std::string>> ListSequencedObjectsJson(std::string dir, std::string suffix,
                                                     std::optional<uint64_t> start,
                                                     std::optional<uint64_t> end);

  // A checkpoint of the latest version of the database at `paths`, also covering the WAL
  // objects stored by now (a detached checkpoint holds what is durable when it is made).
  Task<Result<CheckpointCreateResult>> CreateDetachedCheckpoint(const DbPaths& paths,
                                                                CheckpointOptions options);
  Task<Status> CreateClone(std::string parent_path, std::optional<std::string> checkpoint);
  Task<Status> CreateUnionClone(std::vector<CloneSource> sources);  // clone_union.cc
  // The last steps of every clone (clone.cc): pin the SSTs in each external database, then
  // (after the caller copied any WAL objects) store the initialized manifest.
  Task<Status> PinCloneExternals(const Manifest& clone);
  Task<Status> FinishClone(const Manifest& clone);

  // The client that reaches the WAL objects of the database at `paths`: client_ for the
  // Admin's own database (it routes them) or without a WAL store; else the WAL store itself,
  // which holds every database's WAL objects (a clone's parent's among them, as upstream).
  StoreClient& WalClientFor(const DbPaths& paths) {
    if (!wal_client_ || paths.root() == paths_.root()) return client_;
    return *wal_client_;
  }

  AdminOptions options_;
  DbPaths paths_;
  StoreClient client_;
  ManifestStore manifest_store_;
  CompactionsStore compactions_store_;
  std::unique_ptr<StoreClient> wal_client_;  // over options_.wal_object_store, or null
  std::atomic<bool> gc_stopped_{false};

 private:
  std::string NewUuidLocked();
  std::mutex mu_;
  Random random_;
  UlidGenerator ulids_;
};

}  // namespace slatedb
