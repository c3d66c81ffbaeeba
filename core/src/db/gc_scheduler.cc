// SPDX-License-Identifier: Apache-2.0
//
// A pass lists manifest/, wal/ and compacted/, loads the latest manifest and every manifest
// its live checkpoints pin, and deletes what none of them references and is older than the
// minimum age (gc/gc_planner.h has the rules). Periodic passes run at
// Settings::GcPassIntervalMs(), each directory with its own minimum age (a disabled or
// dry-run directory is left alone); RunOnce runs one pass over every directory.
//
// Order matters (spec/engine.md §9.6): the in-flight floor (SST uploads and compactions
// not yet published) is taken first, then the store is listed, then the latest manifest
// read. An SST published after that read was in flight at the start, or started later,
// so its id is at or above the floor and it is kept.
#include "db/gc_scheduler.h"

#include "db/manifest_writer.h"
#include "gc/gc_pass.h"
#include "gc/gc_planner.h"
#include "util/async.h"

namespace slatedb {

GcScheduler::MintGuard::MintGuard(GcScheduler* gc) : gc_(gc) {
  DbLock lock(&gc_->core_->mu);
  since_ = gc_->core_->TickLocked();
  gc_->sst_mints_.insert(since_);
}

GcScheduler::MintGuard::~MintGuard() {
  DbLock lock(&gc_->core_->mu);
  auto it = gc_->sst_mints_.find(since_);
  if (it != gc_->sst_mints_.end()) gc_->sst_mints_.erase(it);
}

void GcScheduler::ScheduleLocked() {
  // A failed pass is retried at the next tick.
  core_->SchedulePeriodicLocked(core_->settings().GcPassIntervalMs(),
                                [this]() { return Run(std::nullopt); });
}

Task<Status> GcScheduler::RunOnce(std::optional<uint64_t> min_age_ms) { return Run(min_age_ms); }

Task<Status> GcScheduler::Run(std::optional<uint64_t> min_age_override_ms) {
  // A directory's minimum age, or nullopt to leave it alone.
  auto min_age = [&](const Settings::GcDirectory& dir) -> std::optional<uint64_t> {
    if (min_age_override_ms) return min_age_override_ms;
    if (!dir.enabled || dir.dry_run) return std::nullopt;
    return dir.min_age_ms;
  };
  GcInputs in;
  {
    DbLock lock(&core_->mu);
    SLATEDB_CO_RETURN_IF_ERROR(core_->closed_status());
    if (running_) co_return Status::Ok();  // one pass at a time is enough
    running_ = true;
    in.now_ms = core_->TickLocked();
    if (!sst_mints_.empty()) in.inflight_floor_ms = *sst_mints_.begin();
  }
  struct Done {
    GcScheduler* gc;
    ~Done() {
      DbLock lock(&gc->core_->mu);
      gc->running_ = false;
    }
  } done{this};

  // Expired checkpoints first, so what they pinned can go in this pass. Checked on the
  // stored version: admins and readers add checkpoints this writer has not seen.
  SLATEDB_CO_ASSIGN_OR_RETURN(std::optional<Manifest> stored,
                              co_await core_->manifest_store.LoadLatest());
  const bool expired =
      stored && LiveCheckpoints(*stored, in.now_ms).size() != stored->checkpoints.size();
  if (expired) {
    const int64_t now = in.now_ms;
    ManifestEdit drop = [now](Manifest& m) {
      m.checkpoints = LiveCheckpoints(m, now);
      return Status::Ok();
    };
    SLATEDB_CO_RETURN_IF_ERROR(co_await manifest_->Update(drop));
  }

  GcPassOptions pass;
  pass.now_ms = in.now_ms;
  pass.manifest_min_age_ms = min_age(core_->settings().gc_manifest);
  pass.wal_min_age_ms = min_age(core_->settings().gc_wal);
  pass.sst_min_age_ms = min_age(core_->settings().gc_compacted);
  pass.inflight_floor_ms = in.inflight_floor_ms;
  pass.boundary_files = core_->settings().gc_boundary_files;
  {
    // Our own view may lag the store (a compaction's manifest landed, its answer has not
    // arrived yet): what our reads still use must stay.
    DbLock lock(&core_->mu);
    pass.also_pinned.push_back(manifest_->manifest());
  }
  SLATEDB_CO_ASSIGN_OR_RETURN(GcPassResult plan,
                              co_await RunGcPass(&core_->client, &core_->manifest_store,
                                                 &core_->compactions_store, core_->paths, pass));
  // Handles of deleted SSTs are no longer needed by anyone.
  for (const std::string& id : plan.deleted_sst_ids) core_->table_store->Forget(id);
  metric_runs_.fetch_add(1, std::memory_order_relaxed);
  metric_deleted_ssts_.fetch_add(plan.deleted_sst_ids.size(), std::memory_order_relaxed);
  metric_deleted_wals_.fetch_add(plan.deleted_wals.size(), std::memory_order_relaxed);
  metric_deleted_manifests_.fetch_add(plan.deleted_manifests.size(), std::memory_order_relaxed);
  // Old versions of compactions/: every compaction writes two, so they pile up like
  // manifests and go with the manifests' minimum age. The newest holds the whole state and
  // is never deleted.
  if (pass.manifest_min_age_ms) {
    SLATEDB_CO_ASSIGN_OR_RETURN(std::vector<std::string> old_states,
                                co_await core_->compactions_store.CollectOld(
                                    in.now_ms - static_cast<int64_t>(*pass.manifest_min_age_ms),
                                    false, pass.boundary_files));
    metric_deleted_compactions_.fetch_add(old_states.size(), std::memory_order_relaxed);
  }
  co_return Status::Ok();
}

void GcScheduler::AddMetrics(std::map<std::string, uint64_t>* metrics) const {
  auto load = [](const std::atomic<uint64_t>& a) { return a.load(std::memory_order_relaxed); };
  (*metrics)["gc/runs"] = load(metric_runs_);
  (*metrics)["gc/deleted_manifests"] = load(metric_deleted_manifests_);
  (*metrics)["gc/deleted_wal_objects"] = load(metric_deleted_wals_);
  (*metrics)["gc/deleted_ssts"] = load(metric_deleted_ssts_);
  (*metrics)["gc/deleted_compactions"] = load(metric_deleted_compactions_);
}

}  // namespace slatedb
