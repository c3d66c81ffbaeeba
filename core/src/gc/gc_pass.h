// SPDX-License-Identifier: Apache-2.0
//
// One garbage-collection pass over a database's store: lists manifest/, wal/ and
// compacted/, loads the latest manifest and every version its live checkpoints pin, plans
// with gc_planner.h and deletes (SSTs and WAL objects before manifests, which go only once
// the GC boundary covers them: gc/gc_boundary.h). Shared by the
// writer's in-process collector (db_gc.cc) and the standalone Admin. Removing expired
// checkpoints, which must go through the caller's manifest update path, is the caller's job.
//
// Order matters (spec/engine.md §9.6): the caller takes the in-flight floor first, the pass
// reads compactions/ (the compactor's floor, below), then lists the store, then reads the
// latest manifest. An SST published after that read was in flight at the start, or started
// later, so its id is at or above the floor.
//
// The compactor's floor (RFC 0029): every compaction, in whatever process, is recorded in
// compactions/ as "Running" before it mints an output SST, and its record id is a ULID
// minted before that. SSTs minted at or after the earliest record not yet finished are
// kept: they may be outputs about to enter a manifest. A record whose compactor died stays
// unfinished (so its outputs stay) until the next compactor takes it over.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "manifest/compactions_store.h"
#include "manifest/manifest_store.h"
#include "slatedb/task.h"
#include "store/paths.h"
#include "store/store_client.h"

namespace slatedb {

struct GcPassOptions {
  int64_t now_ms = 0;
  // Per directory: objects younger than this are kept; nullopt leaves the directory alone.
  std::optional<uint64_t> manifest_min_age_ms;
  std::optional<uint64_t> wal_min_age_ms;
  std::optional<uint64_t> sst_min_age_ms;
  // SSTs minted at or after this time may be in flight; never deleted.
  int64_t inflight_floor_ms = INT64_MAX;
  // A collector outside the writer cannot see its uploads in flight: it also keeps every
  // SST minted at or after the newest L0 the latest manifest names (spec §9.6), and deletes
  // no SST of a database that never had one.
  bool floor_at_newest_l0 = false;
  // Manifest versions whose objects stay as if a checkpoint pinned them (the writer's own
  // in-memory view, which may be older than the store's latest).
  std::vector<std::shared_ptr<const Manifest>> also_pinned;
  // Plan only: delete nothing, report what the pass would delete (Admin's dry run).
  bool dry_run = false;
  // Raise `gc/manifest.boundary` to the highest manifest id deleted before deleting any
  // (gc/gc_boundary.h; upstream's boundary_files_enabled). false deletes without it: a
  // writer stalled past the minimum age could then re-create a collected version unseen.
  bool boundary_files = true;
};

struct GcPassResult {
  std::vector<std::string> deleted_manifests;
  std::vector<std::string> deleted_wals;
  std::vector<std::string> deleted_sst_ids;
  // The compactor's floor read from compactions/ (nullopt: no unfinished compaction).
  std::optional<int64_t> compactions_floor_ms;
  // Manifests were due but left in place: the store cannot keep the GC boundary
  // (GcBoundary::Advance answered false).
  bool manifests_skipped = false;
};

// The start (ULID time) of the earliest compaction `state` records as not finished, or
// nullopt if there is none.
std::optional<int64_t> CompactionsFloorMs(const CompactionsState& state);

// `compactions` is read for the compactor's floor when SSTs are collected (required then).
Task<Result<GcPassResult>> RunGcPass(StoreClient* client, ManifestStore* manifests,
                                     CompactionsStore* compactions, const DbPaths& paths,
                                     GcPassOptions options);

}  // namespace slatedb
