// SPDX-License-Identifier: Apache-2.0
#include "compactor/compactor_process.h"

#include "util/async.h"

namespace slatedb {

namespace {

constexpr uint64_t kRelistEveryPolls = 10;

DbOptions ProcessOptions(CompactorOptions options) {
  DbOptions db;
  db.object_store = std::move(options.object_store);
  db.executor = std::move(options.executor);
  db.clock = std::move(options.clock);
  db.path = std::move(options.path);
  db.settings = std::move(options.settings);
  db.merge_operator = std::move(options.merge_operator);
  db.filter_policies = std::move(options.filter_policies);
  return db;
}

}  // namespace

CompactorProcess::CompactorProcess(CompactorOptions options)
    : core_(ProcessOptions(std::move(options))), driver_(&core_, this, /*enabled=*/true) {
  core_.set_wait_conditions(this);
}

Task<Status> CompactorProcess::Open() {
  auto self = shared_from_this();
  core_.set_owner(weak_from_this());
  SLATEDB_CO_ASSIGN_OR_RETURN(std::optional<Manifest> latest,
                              co_await core_.manifest_store.LoadLatest());
  if (!latest) co_return Status::Data("no database at '" + core_.options.path + "'");
  if (!latest->initialized) {
    co_return Status::Invalid("the database is an unfinished clone; finish or delete it");
  }
  {
    DbLock lock(&core_.mu);
    manifest_ = std::make_shared<const Manifest>(std::move(*latest));
  }
  co_return co_await driver_.ClaimNow();
}

Task<Status> CompactorProcess::Run() {
  auto self = shared_from_this();
  {
    DbLock lock(&core_.mu);
    if (run_called_) co_return Status::Invalid("Compactor::Run was already called");
    run_called_ = true;
    if (core_.OpenLocked()) {
      driver_.ScheduleLocked();
      driver_.ScheduleRequestPollLocked();
      core_.SchedulePeriodicLocked(core_.settings().manifest_poll_interval_ms,
                                   [this]() { return Poll(); });
    }
  }
  Status closed = co_await core_.WaitFor(WaitKind::kClosed, 0);
  if (closed.IsClosed() && closed.close_reason() == CloseReason::kClean) co_return Status::Ok();
  co_return closed;
}

void CompactorProcess::Stop() {
  ReadyWaiters ready;
  {
    DbLock lock(&core_.mu);
    core_.SetClosedLocked(Status::Closed(CloseReason::kClean, "the compactor was stopped"));
    core_.CollectReadyLocked(&ready);
  }
  DbCore::Resume(ready);
}

uint64_t CompactorProcess::epoch() const {
  DbLock lock(&core_.mu);
  return driver_.epoch();
}

void CompactorProcess::OnFencedLocked() {
  ReadyWaiters ready;
  core_.FailLocked(
      Status::Closed(CloseReason::kFenced, "another compactor (epoch " +
                                               std::to_string(manifest_->compactor_epoch) +
                                               ") claimed the database"),
      &ready);
  // Run resumes from the Executor, not inside the driver's critical section.
  if (!ready.empty()) {
    core_.executor().Post([ready]() mutable { DbCore::Resume(ready); });
  }
}

void CompactorProcess::AdoptLocked(Manifest m) {
  if (m.id > manifest_->id) manifest_ = std::make_shared<const Manifest>(std::move(m));
}

Task<Status> CompactorProcess::UpdateManifest(const ManifestEdit& edit) {
  for (;;) {
    Manifest next;
    {
      DbLock lock(&core_.mu);
      SLATEDB_CO_RETURN_IF_ERROR(core_.closed_status());
      next = *manifest_;
    }
    SLATEDB_CO_RETURN_IF_ERROR(edit(next));
    next.id += 1;
    Status s = co_await core_.manifest_store.Create(next);
    if (s.ok()) {
      DbLock lock(&core_.mu);
      AdoptLocked(std::move(next));
      co_return Status::Ok();
    }
    if (!s.IsAlreadyExists()) co_return s;
    // The writer (or a checkpoint) stored that version first: apply the edit to the latest.
    metric_conflicts_.fetch_add(1, std::memory_order_relaxed);
    SLATEDB_CO_ASSIGN_OR_RETURN(std::optional<Manifest> latest,
                                co_await core_.manifest_store.LoadLatest());
    if (!latest) co_return Status::Data("manifest disappeared");
    DbLock lock(&core_.mu);
    AdoptLocked(std::move(*latest));
  }
}

Task<Status> CompactorProcess::Poll() {
  uint64_t known;
  bool relist;
  {
    DbLock lock(&core_.mu);
    if (!core_.OpenLocked()) co_return Status::Ok();
    known = manifest_->id;
    relist = ++polls_ % kRelistEveryPolls == 0;
  }
  metric_polls_.fetch_add(1, std::memory_order_relaxed);
  Result<std::optional<Manifest>> newer = co_await core_.manifest_store.LoadNewer(known, relist);
  ReadyWaiters ready;
  {
    DbLock lock(&core_.mu);
    if (!newer.ok()) {
      // Unavailable: the next poll tries again. Anything else (a manifest that cannot be
      // decoded) stops the compactor: it cannot work from what it cannot read.
      if (!newer.status().IsUnavailable() && core_.OpenLocked()) {
        core_.FailLocked(Status::Closed(CloseReason::kBackgroundError,
                                        "manifest poll failed: " + newer.status().ToString()),
                         &ready);
      }
    } else if (newer->has_value()) {
      AdoptLocked(std::move(**newer));
      driver_.ScheduleLocked();  // also notices a newer compactor epoch (fenced)
    }
  }
  DbCore::Resume(ready);
  co_return newer.status();
}

std::map<std::string, uint64_t> CompactorProcess::Metrics() const {
  auto load = [](const std::atomic<uint64_t>& a) { return a.load(std::memory_order_relaxed); };
  std::map<std::string, uint64_t> m;
  driver_.AddMetrics(&m);
  m["compactor/manifest_polls"] = load(metric_polls_);
  m["compactor/manifest_conflicts"] = load(metric_conflicts_);
  core_.client.AddMetrics(&m);
  DbLock lock(&core_.mu);
  driver_.AddMetricsLocked(&m);
  m["compactor/manifest_id"] = manifest_ ? manifest_->id : 0;
  m["compactor/l0_sst_count"] = manifest_ ? manifest_->l0.size() : 0;
  m["compactor/sorted_run_count"] = manifest_ ? manifest_->sorted_runs.size() : 0;
  return m;
}

}  // namespace slatedb
