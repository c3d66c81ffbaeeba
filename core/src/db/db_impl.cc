// SPDX-License-Identifier: Apache-2.0
//
// DbImpl's wiring, the wait conditions, snapshots, flush, close and metrics. See db_impl.h
// for the overall shape.
#include "db/db_impl.h"

#include "read/read_metrics.h"
#include "util/async.h"

namespace slatedb {

DbImpl::DbImpl(DbOptions options)
    : core_(std::move(options)),
      wal_(&core_),
      manifest_(&core_, &wal_, &snapshots_),
      gc_(&core_, &manifest_),
      flusher_(&core_, &wal_, &manifest_, &snapshots_, &gc_),
      compactor_(&core_, this, core_.settings().compactor_enabled) {
  flusher_.set_compactor(&compactor_);
  core_.set_wait_conditions(this);
  // Once rows are durable, the memtables they froze with may go to L0.
  wal_.set_on_durable([this]() {
    DbCore::AssertHeld();
    flusher_.ScheduleLocked();
  });
  core_.on_fail_locked = [this]() {
    DbCore::AssertHeld();
    wal_.DropQueueLocked();
  };
}

DbImpl::~DbImpl() = default;

bool DbImpl::SatisfiedLocked(WaitKind kind, uint64_t seq) const {
  switch (kind) {
    case WaitKind::kDurable:
      return wal_.durable_seq() >= seq;
    case WaitKind::kL0Flushed:
      return flusher_.FlushedLocked(seq);
    case WaitKind::kSpace:
      return flusher_.HasSpaceLocked();
    case WaitKind::kManifestSlot:
      return manifest_.SlotFreeLocked();
    case WaitKind::kClosed:
      return false;
  }
  return false;
}

void DbImpl::NoteWaiterLocked(WaitKind kind, uint64_t seq) {
  if (kind == WaitKind::kDurable) wal_.NoteDurableWaiterLocked(seq);
}

Result<uint64_t> DbImpl::AcquireSnapshot() {
  DbLock lock(&core_.mu);
  SLATEDB_RETURN_IF_ERROR(core_.closed_status());
  snapshots_.AcquireLocked(core_.last_seq);
  return core_.last_seq;
}

void DbImpl::ReleaseSnapshot(uint64_t seq) {
  DbLock lock(&core_.mu);
  snapshots_.ReleaseLocked(seq);
}

Task<Status> DbImpl::Flush(FlushType type) {
  auto self = shared_from_this();
  uint64_t target;
  {
    DbLock lock(&core_.mu);
    SLATEDB_CO_RETURN_IF_ERROR(core_.closed_status());
    target = core_.last_seq;
    if (type == FlushType::kMemTable) {
      flusher_.FreezeLocked();
    } else {
      wal_.CutAndUploadLocked();
    }
  }
  SLATEDB_CO_RETURN_IF_ERROR(co_await core_.WaitFor(WaitKind::kDurable, target));
  if (type == FlushType::kMemTable) {
    SLATEDB_CO_RETURN_IF_ERROR(co_await core_.WaitFor(WaitKind::kL0Flushed, target));
  }
  co_return Status::Ok();
}

Task<Status> DbImpl::AwaitDurableSeq(uint64_t seq) {
  auto self = shared_from_this();
  {
    DbLock lock(&core_.mu);
    // Durable stays durable, also once the database has closed.
    if (seq <= wal_.durable_seq()) co_return Status::Ok();
    if (seq > core_.last_seq) {
      co_return Status::Invalid("sequence number " + std::to_string(seq) +
                                " has not been written (the last is " +
                                std::to_string(core_.last_seq) + ")");
    }
  }
  co_return co_await core_.WaitFor(WaitKind::kDurable, seq);
}

std::vector<std::string> DbImpl::Segments() const {
  DbLock lock(&core_.mu);
  return core_.segments.List();
}

uint64_t DbImpl::durable_seq() const {
  DbLock lock(&core_.mu);
  return wal_.durable_seq();
}

Task<Status> DbImpl::Close(std::optional<FlushType> flush) {
  auto self = shared_from_this();
  {
    DbLock lock(&core_.mu);
    const Status& closed = core_.closed_status();
    if (!closed.ok()) {
      if (closed.close_reason() == CloseReason::kClean) co_return Status::Ok();
      co_return closed;
    }
    core_.closing = true;
  }
  // Not a conditional expression around co_await: GCC 12 mishandles the temporaries.
  Status flushed;
  if (flush) flushed = co_await Flush(*flush);
  ReadyWaiters ready;
  Status closed;
  {
    DbLock lock(&core_.mu);
    core_.closing = false;
    // Still open: the caller may retry.
    if (!flushed.ok() && core_.OpenLocked()) co_return flushed;
    core_.SetClosedLocked(Status::Closed(CloseReason::kClean, "database is closed"));
    core_.CollectReadyLocked(&ready);
    closed = core_.closed_status();
  }
  DbCore::Resume(ready);
  if (closed.close_reason() != CloseReason::kClean) co_return closed;
  co_return Status::Ok();
}

void DbImpl::Abandon() {
  ReadyWaiters ready;
  {
    DbLock lock(&core_.mu);
    core_.SetClosedLocked(
        Status::Closed(CloseReason::kClean, "database handle dropped without close"));
    core_.CollectReadyLocked(&ready);
  }
  DbCore::Resume(ready);
}

Task<Status> DbImpl::PollManifest() {
  constexpr uint64_t kRelistEveryPolls = 10;
  bool relist;
  {
    DbLock lock(&core_.mu);
    if (!core_.OpenLocked()) co_return Status::Ok();
    // This process's own compactor publishes through this process: nothing to pick up.
    if (core_.settings().compactor_enabled && !compactor_.fenced()) co_return Status::Ok();
    relist = ++manifest_polls_ % kRelistEveryPolls == 0;
  }
  Result<std::vector<std::string>> dropped = co_await manifest_.Refresh(relist);
  ReadyWaiters ready;
  {
    DbLock lock(&core_.mu);
    if (!dropped.ok()) {
      // Unavailable: the next poll tries again.
      if (dropped.status().IsClosed() && core_.OpenLocked())
        core_.FailLocked(dropped.status(), &ready);
    } else {
      // Compacted away: new reads no longer open them.
      for (const std::string& id : *dropped) core_.table_store->Forget(id);
      flusher_.ScheduleLocked();
      compactor_.ScheduleLocked();  // sees a newer compactor epoch, if that is what changed
      core_.CollectReadyLocked(&ready);
    }
  }
  DbCore::Resume(ready);
  co_return dropped.status();
}

Task<Status> DbImpl::RunGcOnce(std::optional<uint64_t> min_age_ms) {
  auto self = shared_from_this();
  co_return co_await gc_.RunOnce(min_age_ms);
}

std::map<std::string, uint64_t> DbImpl::Metrics() const {
  auto load = [](const std::atomic<uint64_t>& a) { return a.load(std::memory_order_relaxed); };
  std::map<std::string, uint64_t> m;
  m["db/write_batch_count"] = load(metric_write_batches_);
  m["db/write_ops"] = load(metric_write_ops_);
  m["db/flush_requests"] = load(metric_flush_requests_);
  m["db/write_stalls"] = load(metric_write_stalls_);
  m["db/write_stall_ms"] = load(metric_write_stall_ms_);
  wal_.AddMetrics(&m);
  flusher_.AddMetrics(&m);
  compactor_.AddMetrics(&m);
  gc_.AddMetrics(&m);
  AddReadMetrics(read_requests_, core_.client, *core_.table_store, &m);
  {
    DbLock lock(&core_.mu);
    const std::shared_ptr<const Manifest>& manifest = manifest_.manifest();
    m["db/l0_sst_count"] = manifest ? manifest->l0.size() : 0;
    m["db/sorted_run_count"] = manifest ? manifest->sorted_runs.size() : 0;
    uint64_t ssts = 0;
    if (manifest) {
      for (const SortedRun& run : manifest->sorted_runs) ssts += run.ssts.size();
    }
    m["db/sorted_run_sst_count"] = ssts;
    flusher_.AddMetricsLocked(&m);
    m["db/last_seq"] = core_.last_seq;
    m["db/durable_seq"] = wal_.durable_seq();
    compactor_.AddMetricsLocked(&m);
    snapshots_.AddMetricsLocked(&m);
  }
  return m;
}

std::string DbImpl::MetricsJson() const { return MetricsToJson(Metrics()); }

}  // namespace slatedb
