// SPDX-License-Identifier: Apache-2.0
//
// GcPlanner: decides which objects a garbage-collection pass deletes (spec/engine.md
// §9.6), from listings of the three directories and the manifests that pin data: the
// latest one and every one a live checkpoint of it names. Pure logic, no I/O.
//
// An object is deleted only if no pinning manifest references it and it is old enough:
//  - manifests: not the latest, not checkpointed, stored more than min_age ago;
//  - WAL objects: below the latest replay_after_wal_id (that one is kept too), outside
//    every checkpointed manifest's replay range, non-empty (zero-byte fences stay, so a
//    stalled older writer can never reuse their id), stored more than min_age ago;
//  - SSTs: referenced by no pinning manifest and minted (ULID time) strictly before the
//    cutoff, which is now - min_age and at most the start of any SST upload or compaction
//    still in flight (their outputs are not in a manifest yet).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "manifest/manifest.h"
#include "slatedb/object_store.h"
#include "store/paths.h"

namespace slatedb {

struct GcInputs {
  int64_t now_ms = 0;
  uint64_t min_age_ms = 0;
  // SSTs minted at or after this time may be in flight; never deleted. INT64_MAX: none.
  int64_t inflight_floor_ms = INT64_MAX;
  const Manifest* latest = nullptr;
  std::vector<const Manifest*> checkpointed;
  std::vector<ObjectMeta> manifests;
  std::vector<ObjectMeta> wals;
  std::vector<ObjectMeta> ssts;
};

struct GcPlan {
  std::vector<std::string> manifests;
  std::vector<std::string> wals;
  std::vector<std::string> ssts;
};

GcPlan PlanGc(const DbPaths& paths, const GcInputs& inputs);

// The checkpoints of `manifest` that have not expired at `now_ms`.
std::vector<Checkpoint> LiveCheckpoints(const Manifest& manifest, int64_t now_ms);

}  // namespace slatedb
