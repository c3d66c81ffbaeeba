// SPDX-License-Identifier: Apache-2.0
#include "gc/gc_pass.h"

#include <algorithm>

#include "gc/gc_planner.h"
#include "util/async.h"
#include "util/ulid.h"

namespace slatedb {

namespace {
// Deletes issued together.
constexpr size_t kParallelDeletes = 8;

// Deletes `keys`, kParallelDeletes at a time; an object already gone is fine.
Task<Status> DeleteAll(StoreClient* client, const std::vector<std::string>& keys) {
  for (size_t i = 0; i < keys.size(); i += kParallelDeletes) {
    std::vector<Task<Status>> deletes;
    for (size_t j = i; j < std::min(keys.size(), i + kParallelDeletes); ++j) {
      deletes.push_back(client->Delete(keys[j]));
    }
    std::vector<Status> results = co_await WhenAll(std::move(deletes));
    for (const Status& s : results) {
      if (!s.ok() && !s.IsNotFound()) co_return s;
    }
  }
  co_return Status::Ok();
}

int64_t NewestL0Floor(const Manifest& latest) {
  int64_t newest = INT64_MIN;
  for (const SstRef& ref : latest.l0) {
    if (auto t = UlidTimestampMs(ref.id)) newest = std::max(newest, *t);
  }
  if (newest == INT64_MIN && !latest.last_compacted_l0_sst_id.empty()) {
    if (auto t = UlidTimestampMs(latest.last_compacted_l0_sst_id)) newest = *t;
  }
  return newest;
}

}  // namespace

std::optional<int64_t> CompactionsFloorMs(const CompactionsState& state) {
  std::optional<int64_t> floor;
  for (const CompactionRecord& r : state.recent_compactions) {
    if (r.status == CompactionStatus::kCompleted || r.status == CompactionStatus::kFailed) {
      continue;
    }
    // An id that is not a ULID gives no time: nothing after the epoch is collected then.
    int64_t start = UlidTimestampMs(r.id).value_or(0);
    floor = floor ? std::min(*floor, start) : start;
  }
  return floor;
}

Task<Result<GcPassResult>> RunGcPass(StoreClient* client, ManifestStore* manifests,
                                     CompactionsStore* compactions, const DbPaths& paths,
                                     GcPassOptions options) {
  GcInputs in;
  in.now_ms = options.now_ms;
  in.inflight_floor_ms = options.inflight_floor_ms;
  GcPassResult result;
  if (options.sst_min_age_ms) {
    // Before the listing: a compaction recorded after this read mints its outputs after it.
    if (compactions == nullptr) co_return Status::Internal("GC of SSTs needs compactions/");
    SLATEDB_CO_ASSIGN_OR_RETURN(std::optional<CompactionsState> state,
                                co_await compactions->LoadLatest());
    if (state) result.compactions_floor_ms = CompactionsFloorMs(*state);
    if (result.compactions_floor_ms) {
      in.inflight_floor_ms = std::min(in.inflight_floor_ms, *result.compactions_floor_ms);
    }
    SLATEDB_CO_ASSIGN_OR_RETURN(in.ssts, co_await client->List(paths.CompactedDir(), ""));
  }
  if (options.wal_min_age_ms) {
    SLATEDB_CO_ASSIGN_OR_RETURN(in.wals, co_await client->List(paths.WalDir(), ""));
  }
  if (options.manifest_min_age_ms) {
    SLATEDB_CO_ASSIGN_OR_RETURN(in.manifests, co_await client->List(paths.ManifestDir(), ""));
  }
  SLATEDB_CO_ASSIGN_OR_RETURN(std::optional<Manifest> latest, co_await manifests->LoadLatest());
  if (!latest) co_return result;
  if (options.floor_at_newest_l0) {
    in.inflight_floor_ms = std::min(in.inflight_floor_ms, NewestL0Floor(*latest));
  }
  std::vector<Manifest> pinned;
  for (const Checkpoint& c : LiveCheckpoints(*latest, in.now_ms)) {
    if (c.manifest_id == latest->id) continue;
    SLATEDB_CO_ASSIGN_OR_RETURN(Manifest m, co_await manifests->Load(c.manifest_id));
    pinned.push_back(std::move(m));
  }
  in.latest = &*latest;
  for (const Manifest& m : pinned) in.checkpointed.push_back(&m);
  for (const auto& m : options.also_pinned) {
    if (m && m->id != latest->id) in.checkpointed.push_back(m.get());
  }
  // One plan per directory, each with its own minimum age.
  auto plan_with = [&](std::optional<uint64_t> min_age) {
    in.min_age_ms = min_age.value_or(0);
    return PlanGc(paths, in);
  };
  std::vector<std::string> ssts, wals, manifest_keys;
  if (options.sst_min_age_ms) ssts = plan_with(options.sst_min_age_ms).ssts;
  if (options.wal_min_age_ms) wals = plan_with(options.wal_min_age_ms).wals;
  if (options.manifest_min_age_ms) {
    manifest_keys = plan_with(options.manifest_min_age_ms).manifests;
  }

  // SSTs and WAL objects before manifests: a manifest is never deleted while something it
  // names could still be listed without it.
  std::vector<std::string> keys;
  keys.insert(keys.end(), ssts.begin(), ssts.end());
  keys.insert(keys.end(), wals.begin(), wals.end());
  if (!options.dry_run) SLATEDB_CO_RETURN_IF_ERROR(co_await DeleteAll(client, keys));
  // Manifests only once the boundary covers them, so that no stale create can fill the
  // hole unseen.
  if (!options.dry_run && !manifest_keys.empty()) {
    bool covered = true;
    if (options.boundary_files) {
      uint64_t highest = 0;
      for (const std::string& key : manifest_keys) {
        highest =
            std::max(highest, DbPaths::ParseId(key, paths.ManifestDir(), ".manifest").value_or(0));
      }
      SLATEDB_CO_ASSIGN_OR_RETURN(covered, co_await manifests->boundary().Advance(highest));
    }
    if (covered) {
      SLATEDB_CO_RETURN_IF_ERROR(co_await DeleteAll(client, manifest_keys));
    } else {
      result.manifests_skipped = true;
      manifest_keys.clear();
    }
  }
  const std::string dir = paths.CompactedDir();
  for (const std::string& key : ssts) {
    result.deleted_sst_ids.push_back(key.substr(dir.size(), key.size() - dir.size() - 4));
  }
  result.deleted_wals = std::move(wals);
  result.deleted_manifests = std::move(manifest_keys);
  co_return result;
}

}  // namespace slatedb
