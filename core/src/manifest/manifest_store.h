// SPDX-License-Identifier: Apache-2.0
//
// ManifestStore: versioned manifests in `<path>/manifest/`. Writing version N+1 uses
// create-if-absent, so of several writers racing from version N exactly one wins; the
// others get AlreadyExists, re-read the latest version and re-apply their change (the
// engine's compare-and-swap). A create at or below the garbage collector's boundary
// (`gc/manifest.boundary`, gc/gc_boundary.h) loses the same way.
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

#include "gc/gc_boundary.h"
#include "manifest/manifest.h"
#include "slatedb/task.h"
#include "store/paths.h"
#include "store/store_client.h"

namespace slatedb {

// The Data message for a path that holds no manifest, in upstream's words (its readers and
// WAL reader report it so; python-uniffi-api.md 3.13, 3.16).
inline constexpr const char* kNoDatabaseMessage =
    "failed to find latest transactional object (e.g. manifest) version";

class ManifestStore {
 public:
  ManifestStore(StoreClient* client, DbPaths paths)
      : client_(client),
        paths_(std::move(paths)),
        boundary_(client, paths_.GcBoundary("manifest")) {}

  // The newest manifest, or nullopt if the database has none yet.
  Task<Result<std::optional<Manifest>>> LoadLatest();
  // Data if it does not exist or cannot be decoded.
  Task<Result<Manifest>> Load(uint64_t id);
  // The latest manifest if one newer than `known_id` exists, else nullopt: a poll. One GET
  // of known_id + 1 when nothing changed; with `relist`, a listing instead (a version after
  // ours may have been collected once newer ones exist, which a GET cannot tell).
  Task<Result<std::optional<Manifest>>> LoadNewer(uint64_t known_id, bool relist);
  // Ids of every stored manifest, ascending.
  Task<Result<std::vector<uint64_t>>> ListIds();
  // Stores `manifest` as version manifest.id if that version does not exist yet, and
  // then checks that the id lies above the GC boundary and that no newer version exists
  // (manifest_store.cc: GC may have collected the version that was there). AlreadyExists:
  // another writer created that version first, or it is at or below the boundary (the
  // object just created is removed again). Unavailable: the store failed, or the create
  // landed but a newer version exists too, so whether the update counts is unknown (the
  // caller re-reads, as after a lost answer).
  Task<Status> Create(Manifest manifest);

  // The GC boundary of manifest versions, which the collector raises before it deletes.
  GcBoundary& boundary() { return boundary_; }

 private:
  StoreClient* client_;
  DbPaths paths_;
  GcBoundary boundary_;
};

}  // namespace slatedb
