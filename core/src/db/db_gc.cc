// SPDX-License-Identifier: Apache-2.0
//
// The in-process garbage collector: a pass lists manifest/, wal/ and compacted/, loads the
// latest manifest and every manifest its live checkpoints pin, and deletes what none of
// them references and is older than the minimum age (gc/gc_planner.h has the rules).
// Periodic passes run at Settings::GcPassIntervalMs() on the Executor, each directory with
// its own minimum age (a disabled or dry-run directory is left alone); RunGcOnce runs one
// pass over every directory now.
//
// Order matters (spec/engine.md §9.6): the in-flight floor (SST uploads and compactions
// not yet published) is taken first, then the store is listed, then the latest manifest
// read. An SST published after that read was in flight at the start, or started later,
// so its id is at or above the floor and it is kept.
#include <algorithm>

#include "db/db_impl.h"
#include "gc/gc_pass.h"
#include "gc/gc_planner.h"
#include "util/async.h"

namespace slatedb {

DbImpl::SstMintGuard::SstMintGuard(DbImpl* db) : db_(db) {
  std::lock_guard<std::mutex> lock(db_->mu_);
  since_ = db_->TickLocked();
  db_->sst_mints_.insert(since_);
}

DbImpl::SstMintGuard::~SstMintGuard() {
  std::lock_guard<std::mutex> lock(db_->mu_);
  auto it = db_->sst_mints_.find(since_);
  if (it != db_->sst_mints_.end()) db_->sst_mints_.erase(it);
}

void DbImpl::ScheduleGcLocked() {
  // A failed pass is retried at the next tick.
  SchedulePeriodicLocked(options_.settings.GcPassIntervalMs(), [](std::shared_ptr<DbImpl> self) {
    return self->RunGc(std::nullopt);
  });
}

Task<Status> DbImpl::RunGcOnce(std::optional<uint64_t> min_age_ms) {
  return RunGc(min_age_ms);
}

Task<Status> DbImpl::RunGc(std::optional<uint64_t> min_age_override_ms) {
  auto self = shared_from_this();
  // A directory's minimum age, or nullopt to leave it alone.
  auto min_age = [&](const Settings::GcDirectory& dir) -> std::optional<uint64_t> {
    if (min_age_override_ms) return min_age_override_ms;
    if (!dir.enabled || dir.dry_run) return std::nullopt;
    return dir.min_age_ms;
  };
  GcInputs in;
  {
    std::lock_guard<std::mutex> lock(mu_);
    SLATEDB_CO_RETURN_IF_ERROR(CheckOpenLocked());
    if (gc_running_) co_return Status::Ok();  // one pass at a time is enough
    gc_running_ = true;
    in.now_ms = TickLocked();
    if (!sst_mints_.empty()) in.inflight_floor_ms = *sst_mints_.begin();
  }
  struct Done {
    DbImpl* db;
    ~Done() {
      std::lock_guard<std::mutex> lock(db->mu_);
      db->gc_running_ = false;
    }
  } done{this};

  // Expired checkpoints first, so what they pinned can go in this pass. Checked on the
  // stored version: admins and readers add checkpoints this writer has not seen.
  SLATEDB_CO_ASSIGN_OR_RETURN(std::optional<Manifest> stored,
                              co_await manifest_store_.LoadLatest());
  const bool expired =
      stored && LiveCheckpoints(*stored, in.now_ms).size() != stored->checkpoints.size();
  if (expired) {
    const int64_t now = in.now_ms;
    ManifestEdit drop = [now](Manifest& m) {
      m.checkpoints = LiveCheckpoints(m, now);
      return Status::Ok();
    };
    SLATEDB_CO_RETURN_IF_ERROR(co_await UpdateManifest(drop));
  }

  GcPassOptions pass;
  pass.now_ms = in.now_ms;
  pass.manifest_min_age_ms = min_age(options_.settings.gc_manifest);
  pass.wal_min_age_ms = min_age(options_.settings.gc_wal);
  pass.sst_min_age_ms = min_age(options_.settings.gc_compacted);
  pass.inflight_floor_ms = in.inflight_floor_ms;
  {
    // Our own view may lag the store (a compaction's manifest landed, its answer has not
    // arrived yet): what our reads still use must stay.
    std::lock_guard<std::mutex> lock(mu_);
    pass.also_pinned.push_back(manifest_);
  }
  SLATEDB_CO_ASSIGN_OR_RETURN(GcPassResult plan,
                              co_await RunGcPass(&client_, &manifest_store_, paths_, pass));
  // Handles of deleted SSTs are no longer needed by anyone.
  for (const std::string& id : plan.deleted_sst_ids) table_store_->Forget(id);
  metric_gc_runs_.fetch_add(1, std::memory_order_relaxed);
  metric_gc_deleted_ssts_.fetch_add(plan.deleted_sst_ids.size(), std::memory_order_relaxed);
  metric_gc_deleted_wals_.fetch_add(plan.deleted_wals.size(), std::memory_order_relaxed);
  metric_gc_deleted_manifests_.fetch_add(plan.deleted_manifests.size(),
                                         std::memory_order_relaxed);
  co_return Status::Ok();
}

}  // namespace slatedb
