// SPDX-License-Identifier: Apache-2.0
//
// The in-process compactor: schedules size-tiered compactions (compaction/) on the
// Executor whenever the manifest changes, runs them, and publishes their outputs through
// the manifest CAS. Nothing runs while nothing is due: scheduling is triggered by L0
// flushes and compaction commits, never by polling.
//
// Fencing: when the first compaction of an open is due, the compactor claims
// compactor_epoch + 1 in the manifest; every commit checks that the stored epoch is still
// ours, so a compactor that lost its claim can never publish (its outputs become garbage
// for GC).
#include <algorithm>

#include "compaction/compaction_job.h"
#include "db/db_impl.h"
#include "util/async.h"

namespace slatedb {

void DbImpl::ScheduleCompactionsLocked() {
  const Settings& settings = options_.settings;
  if (!settings.compactor_enabled || compactor_fenced_ || !closed_.ok()) return;
  std::shared_ptr<DbImpl> self = shared_from_this();
  PickerOptions picker;
  picker.min_sources = settings.compaction_min_sources;
  picker.max_sources = settings.compaction_max_sources;
  picker.include_size_threshold = settings.compaction_include_size_threshold;
  if (compactor_epoch_ == 0) {
    // The epoch is claimed when the first compaction is due, not at open: a database that
    // never compacts never writes a manifest for it.
    if (compactor_claiming_) return;
    if (!requests_waiting_ && !PickCompaction(*manifest_, running_compactions_, picker)) return;
    compactor_claiming_ = true;
    options_.executor->Post([self]() { Spawn(ClaimCompactorEpoch(self), [](Status) {}); });
    return;
  }
  while (running_compactions_.size() < settings.compaction_max_concurrent) {
    std::optional<CompactionSpec> spec = PickCompaction(*manifest_, running_compactions_, picker);
    if (!spec) break;
    running_compactions_.push_back(*spec);
    options_.executor->Post([self, spec = std::move(*spec)]() {
      Spawn(CompactionTask(self, spec), [](Status) {});
    });
  }
}

Task<Status> DbImpl::ClaimCompactorEpoch(std::shared_ptr<DbImpl> self) {
  uint64_t claimed = 0;
  ManifestEdit claim = [&claimed](Manifest& m) {
    m.compactor_epoch += 1;
    claimed = m.compactor_epoch;
    return Status::Ok();
  };
  Status s = co_await self->UpdateManifest(claim);
  {
    std::lock_guard<std::mutex> lock(self->mu_);
    self->compactor_claiming_ = false;
    if (s.ok()) {
      self->compactor_epoch_ = claimed;
      self->ScheduleCompactionsLocked();
      if (self->requests_waiting_) {
        self->requests_waiting_ = false;
        self->options_.executor->Post(
            [self]() { Spawn(PollCompactionRequests(self), [](Status) {}); });
      }
    }
  }
  if (s.IsUnavailable()) self->RetryLater(&DbImpl::ScheduleCompactionsLocked);
  co_return s;
}

Task<Status> DbImpl::CompactionTask(std::shared_ptr<DbImpl> self, CompactionSpec spec) {
  SstMintGuard mint(self.get());  // outputs are GC-protected until published
  CompactionJobOptions job;
  std::shared_ptr<const Manifest> manifest;
  {
    std::lock_guard<std::mutex> lock(self->mu_);
    manifest = self->manifest_;
    // Versions a live snapshot can read stay: the floor is the oldest snapshot (this
    // process's, and the one recorded in the manifest for other readers).
    uint64_t floor = manifest->recent_snapshot_min_seq;
    if (!self->snapshots_.empty()) floor = std::min(floor, *self->snapshots_.begin());
    job.retention.floor = floor;
  }
  const Settings& settings = self->options_.settings;
  // TTL is judged against the newest write time in SSTs: a logical "now" that never runs
  // ahead of the data (spec/engine.md §10.4).
  job.retention.now_ms = manifest->last_l0_clock_tick;
  job.retention.drop_tombstones = WritesOldestRun(*manifest, spec);
  job.retention.merge = &self->options_.merge_operator;
  job.sst.block_size_bytes = settings.block_size_bytes;
  job.sst.compression = settings.compression;
  job.sst.bloom_bits_per_key = settings.bloom_bits_per_key;
  job.sst.min_filter_keys = settings.min_filter_keys;
  job.max_sst_bytes = settings.compaction_max_sst_bytes;
  // Sources newest first: L0 SSTs (the manifest lists them newest first), then runs.
  for (const SstRef& ref : manifest->l0) {
    if (std::find(spec.l0_ids.begin(), spec.l0_ids.end(), ref.id) != spec.l0_ids.end()) {
      job.sources.push_back({ref});
    }
  }
  for (const SortedRun& run : manifest->sorted_runs) {
    if (std::find(spec.run_ids.begin(), spec.run_ids.end(), run.id) != spec.run_ids.end()) {
      job.sources.push_back(run.ssts);
    }
  }
  DbImpl* db = self.get();
  job.next_id = [db]() {
    std::lock_guard<std::mutex> lock(db->mu_);
    return db->ulids_.Next(db->TickLocked());
  };
  Result<CompactionJobResult> result = co_await RunCompactionJob(self->table_store_.get(), job);
  Status s = result.status();
  std::vector<SstRef> outputs;  // for a requested compaction's record
  if (result.ok()) {
    self->metric_compaction_bytes_read_.fetch_add(result->bytes_read, std::memory_order_relaxed);
    self->metric_compaction_bytes_written_.fetch_add(result->bytes_written,
                                                     std::memory_order_relaxed);
    if (!spec.request_id.empty()) {
      outputs = result->outputs;
    }
    s = co_await self->CommitCompaction(spec, std::move(result->outputs));
  }
  if (!spec.request_id.empty()) {
    std::lock_guard<std::mutex> lock(self->mu_);
    self->NoteRequestOutcomeLocked(spec, s, std::move(outputs));
  }
  self->FinishCompaction(spec, s);
  co_return s;
}

Task<Status> DbImpl::CommitCompaction(const CompactionSpec& spec, std::vector<SstRef> outputs) {
  uint64_t epoch;
  {
    std::lock_guard<std::mutex> lock(mu_);
    epoch = compactor_epoch_;
  }
  std::vector<std::string> replaced;  // SSTs of the source runs
  ManifestEdit edit = [&](Manifest& m) -> Status {
    if (m.compactor_epoch != epoch) {
      return Status::Closed(CloseReason::kFenced, "another compactor claimed the database");
    }
    // The sources must still be there (a compaction never races another on its sources).
    for (const std::string& id : spec.l0_ids) {
      auto it = std::find_if(m.l0.begin(), m.l0.end(),
                             [&](const SstRef& ref) { return ref.id == id; });
      if (it == m.l0.end()) return Status::Internal("compaction source L0 " + id + " is gone");
    }
    for (uint32_t id : spec.run_ids) {
      auto it = std::find_if(m.sorted_runs.begin(), m.sorted_runs.end(),
                             [&](const SortedRun& run) { return run.id == id; });
      if (it == m.sorted_runs.end()) {
        return Status::Internal("compaction source run " + std::to_string(id) + " is gone");
      }
    }
    std::erase_if(m.l0, [&](const SstRef& ref) {
      return std::find(spec.l0_ids.begin(), spec.l0_ids.end(), ref.id) != spec.l0_ids.end();
    });
    replaced.clear();
    for (const SortedRun& run : m.sorted_runs) {
      if (std::find(spec.run_ids.begin(), spec.run_ids.end(), run.id) == spec.run_ids.end()) {
        continue;
      }
      for (const SstRef& ref : run.ssts) replaced.push_back(ref.id);
    }
    std::erase_if(m.sorted_runs, [&](const SortedRun& run) {
      return std::find(spec.run_ids.begin(), spec.run_ids.end(), run.id) != spec.run_ids.end();
    });
    if (spec.consumes_l0()) m.last_compacted_l0_sst_id = spec.l0_ids.front();
    if (!outputs.empty()) {
      SortedRun run;
      run.id = spec.destination;
      run.ssts = outputs;
      auto pos = std::find_if(m.sorted_runs.begin(), m.sorted_runs.end(),
                              [&](const SortedRun& r) { return r.id < run.id; });
      m.sorted_runs.insert(pos, std::move(run));
    }
    return Status::Ok();
  };
  Status s = co_await UpdateManifest(edit);
  if (s.ok()) {
    // New reads no longer open the replaced SSTs; drop their index and filter. (A read
    // still holding an older view reopens one if it needs it.)
    for (const std::string& id : replaced) table_store_->Forget(id);
  }
  co_return s;
}

void DbImpl::FinishCompaction(const CompactionSpec& spec, const Status& status) {
  std::vector<Waiter> ready;
  bool retry = false;
  {
    std::lock_guard<std::mutex> lock(mu_);
    auto it = std::find_if(
        running_compactions_.begin(), running_compactions_.end(),
        [&](const CompactionSpec& s) { return s.destination == spec.destination; });
    if (it != running_compactions_.end()) running_compactions_.erase(it);
    if (status.ok()) {
      metric_compactions_.fetch_add(1, std::memory_order_relaxed);
      for (const std::string& id : spec.l0_ids) table_store_->Forget(id);
      ScheduleL0FlushesLocked();
      ScheduleCompactionsLocked();
      CollectReadyLocked(&ready);
    } else if (status.IsUnavailable()) {
      retry = true;
    } else if (status.IsClosed() && status.close_reason() == CloseReason::kFenced &&
               closed_.ok() && manifest_->writer_epoch == writer_epoch_ &&
               manifest_->compactor_epoch != compactor_epoch_) {
      // Only the compactor lost its claim: the database stays open; L0 no longer blocks.
      compactor_fenced_ = true;
      ScheduleL0FlushesLocked();
    } else if (closed_.ok()) {
      Status reason = status.IsClosed() ? status
                                        : Status::Closed(CloseReason::kBackgroundError,
                                                         "compaction failed: " + status.ToString());
      FailLocked(reason, &ready);
    }
  }
  Resume(ready);
  if (retry) RetryLater(&DbImpl::ScheduleCompactionsLocked);
}

}  // namespace slatedb
