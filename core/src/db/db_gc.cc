// SPDX-License-Identifier: Apache-2.0
//
// The in-process garbage collector: a pass lists manifest/, wal/ and compacted/, loads the
// latest manifest and every manifest its live checkpoints pin, and deletes what none of
// them references and is older than the minimum age (gc/gc_planner.h has the rules).
// Periodic passes run every gc_interval_ms on the Executor; RunGcOnce runs one now.
//
// Order matters (spec/engine.md §9.6): the in-flight floor (SST uploads and compactions
// not yet published) is taken first, then the store is listed, then the latest manifest
// read. An SST published after that read was in flight at the start, or started later,
// so its id is at or above the floor and it is kept.
#include <algorithm>

#include "db/db_impl.h"
#include "gc/gc_planner.h"
#include "util/async.h"

namespace slatedb {

namespace {
// Deletes issued together.
constexpr size_t kParallelDeletes = 8;
}  // namespace

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
  uint64_t interval = options_.settings.gc_interval_ms;
  if (interval == 0) return;
  std::weak_ptr<DbImpl> weak = weak_from_this();
  options_.executor->PostAfter(interval, [weak]() {
    std::shared_ptr<DbImpl> self = weak.lock();
    if (!self) return;
    {
      std::lock_guard<std::mutex> lock(self->mu_);
      if (!self->closed_.ok()) return;
    }
    Spawn(self->RunGc(self->options_.settings.gc_min_age_ms), [weak](Status) {
      // A failed pass is retried at the next tick.
      if (auto db = weak.lock()) {
        std::lock_guard<std::mutex> lock(db->mu_);
        if (db->closed_.ok()) db->ScheduleGcLocked();
      }
    });
  });
}

Task<Status> DbImpl::RunGcOnce(std::optional<uint64_t> min_age_ms) {
  return RunGc(min_age_ms.value_or(options_.settings.gc_min_age_ms));
}

Task<Status> DbImpl::RunGc(uint64_t min_age_ms) {
  auto self = shared_from_this();
  GcInputs in;
  in.min_age_ms = min_age_ms;
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

  // Expired checkpoints first, so what they pinned can go in this pass.
  bool expired = false;
  {
    std::lock_guard<std::mutex> lock(mu_);
    expired = LiveCheckpoints(*manifest_, in.now_ms).size() != manifest_->checkpoints.size();
  }
  if (expired) {
    const int64_t now = in.now_ms;
    ManifestEdit drop = [now](Manifest& m) {
      m.checkpoints = LiveCheckpoints(m, now);
      return Status::Ok();
    };
    SLATEDB_CO_RETURN_IF_ERROR(co_await UpdateManifest(drop));
  }

  SLATEDB_CO_ASSIGN_OR_RETURN(in.ssts, co_await client_.List(paths_.CompactedDir(), ""));
  SLATEDB_CO_ASSIGN_OR_RETURN(in.wals, co_await client_.List(paths_.WalDir(), ""));
  SLATEDB_CO_ASSIGN_OR_RETURN(in.manifests, co_await client_.List(paths_.ManifestDir(), ""));
  SLATEDB_CO_ASSIGN_OR_RETURN(std::optional<Manifest> latest,
                              co_await manifest_store_.LoadLatest());
  if (!latest) co_return Status::Ok();
  std::vector<Manifest> pinned;
  for (const Checkpoint& c : LiveCheckpoints(*latest, in.now_ms)) {
    if (c.manifest_id == latest->id) continue;
    SLATEDB_CO_ASSIGN_OR_RETURN(Manifest m, co_await manifest_store_.Load(c.manifest_id));
    pinned.push_back(std::move(m));
  }
  in.latest = &*latest;
  for (const Manifest& m : pinned) in.checkpointed.push_back(&m);
  GcPlan plan = PlanGc(paths_, in);

  // SSTs and WAL objects before manifests: a manifest is never deleted while something it
  // names could still be listed without it.
  std::vector<std::string> keys;
  keys.insert(keys.end(), plan.ssts.begin(), plan.ssts.end());
  keys.insert(keys.end(), plan.wals.begin(), plan.wals.end());
  keys.insert(keys.end(), plan.manifests.begin(), plan.manifests.end());
  for (size_t i = 0; i < keys.size(); i += kParallelDeletes) {
    std::vector<Task<Status>> deletes;
    for (size_t j = i; j < std::min(keys.size(), i + kParallelDeletes); ++j) {
      deletes.push_back(client_.Delete(keys[j]));
    }
    std::vector<Status> results = co_await WhenAll(std::move(deletes));
    for (const Status& s : results) {
      if (!s.ok() && !s.IsNotFound()) co_return s;
    }
  }
  for (const std::string& key : plan.ssts) {
    // Handles of deleted SSTs are no longer needed by anyone.
    table_store_->Forget(key.substr(paths_.CompactedDir().size(),
                                    key.size() - paths_.CompactedDir().size() - 4));
  }
  metric_gc_runs_.fetch_add(1, std::memory_order_relaxed);
  metric_gc_deleted_ssts_.fetch_add(plan.ssts.size(), std::memory_order_relaxed);
  metric_gc_deleted_wals_.fetch_add(plan.wals.size(), std::memory_order_relaxed);
  metric_gc_deleted_manifests_.fetch_add(plan.manifests.size(), std::memory_order_relaxed);
  co_return Status::Ok();
}

}  // namespace slatedb
