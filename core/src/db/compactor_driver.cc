// SPDX-License-Identifier: Apache-2.0
#include "db/compactor_driver.h"

#include <algorithm>

#include "compaction/compaction_job.h"
#include "manifest/segment_set.h"
#include "util/async.h"

namespace slatedb {

namespace {

PickerOptions PickerFrom(const Settings& settings) {
  PickerOptions picker;
  picker.min_sources = settings.compaction_min_sources;
  picker.max_sources = settings.compaction_max_sources;
  picker.include_size_threshold = settings.compaction_include_size_threshold;
  return picker;
}

bool Contains(const std::vector<std::string>& ids, const std::string& id) {
  return std::find(ids.begin(), ids.end(), id) != ids.end();
}

bool Contains(const std::vector<uint32_t>& ids, uint32_t id) {
  return std::find(ids.begin(), ids.end(), id) != ids.end();
}

}  // namespace

void CompactorDriver::ScheduleLocked() {
  if (!enabled_ || fenced_ || !core_->OpenLocked()) return;
  const Settings& settings = core_->settings();
  const PickerOptions picker = PickerFrom(settings);
  std::shared_ptr<const Manifest> manifest = host_->ManifestLocked();
  if (epoch_ != 0 && manifest->compactor_epoch > epoch_) {
    // A newer claim reached this process through the manifest (a writer's merge or poll).
    LoseClaimLocked();
    return;
  }
  if (epoch_ == 0) {
    // A writer's compactor claims the epoch when its first compaction is due, not at open:
    // a database that never compacts never writes a manifest for it.
    if (claiming_) return;
    if (!requests_waiting_ && !PickCompaction(*manifest, running_, picker)) return;
    claiming_ = true;
    core_->Start([this]() { return ClaimEpoch(); });
    return;
  }
  bool picked = false;
  while (running_.size() < settings.compaction_max_concurrent) {
    std::optional<CompactionSpec> spec = PickCompaction(*manifest, running_, picker);
    if (!spec) break;
    spec->record_id = core_->NextSstIdLocked();  // a ULID of now
    running_.push_back(*spec);
    unrecorded_picks_.push_back(std::move(*spec));
    picked = true;
  }
  // The picks start once their records are stored.
  if (picked) SyncRecordsSoonLocked();
}

// The manifest edit that claims the next compactor epoch (upstream's rule: the store's
// epoch plus one, so a later claim fences every earlier compactor); `*claimed` gets it.
static ManifestEdit ClaimEdit(uint64_t* claimed) {
  return [claimed](Manifest& m) {
    m.compactor_epoch += 1;
    *claimed = m.compactor_epoch;
    return Status::Ok();
  };
}

Task<Status> CompactorDriver::ClaimEpoch() {
  uint64_t claimed = 0;
  Status s = co_await host_->UpdateManifest(ClaimEdit(&claimed));
  {
    DbLock lock(&core_->mu);
    claiming_ = false;
    if (s.ok()) {
      epoch_ = claimed;
      records_claim_pending_ = true;
      requests_waiting_ = false;
      ScheduleLocked();
      // Claims compactions/ too (with the first picks, if any), and looks for requests.
      core_->Start([this]() { return SyncRecords(true); });
    }
  }
  if (s.IsUnavailable()) {
    core_->RetryLater([this]() {
      DbCore::AssertHeld();
      ScheduleLocked();
    });
  }
  co_return s;
}

Task<Status> CompactorDriver::ClaimNow() {
  {
    DbLock lock(&core_->mu);
    if (epoch_ != 0 || claiming_) co_return Status::Internal("the compactor epoch is claimed once");
    claiming_ = true;
  }
  uint64_t claimed = 0;
  Status s = co_await host_->UpdateManifest(ClaimEdit(&claimed));
  {
    DbLock lock(&core_->mu);
    claiming_ = false;
    if (!s.ok()) co_return s;
    epoch_ = claimed;
    records_claim_pending_ = true;
  }
  Status synced = co_await SyncRecords(false);
  DbLock lock(&core_->mu);
  if (fenced_) {
    co_return Status::Closed(CloseReason::kFenced,
                             "another compactor claimed the database while this one opened");
  }
  if (records_claim_pending_) {
    co_return synced.ok() ? Status::Unavailable("could not record the compactor epoch") : synced;
  }
  co_return Status::Ok();
}

Task<Status> CompactorDriver::Run(CompactionSpec spec) {
  CompactionJobOptions job;
  std::shared_ptr<const Manifest> manifest;
  {
    DbLock lock(&core_->mu);
    manifest = host_->ManifestLocked();
    // A segment's compaction sees that segment's tree as the manifest's only tree.
    if (!spec.segment.empty()) {
      manifest = std::make_shared<const Manifest>(TreeView(*manifest, spec.segment));
    }
    // Versions a live snapshot can read stay: the floor is the oldest snapshot of this
    // process, and the one recorded in the manifest for the writer's and other readers'.
    uint64_t floor = manifest->recent_snapshot_min_seq;
    if (std::optional<uint64_t> oldest = host_->OldestReadSeqLocked()) {
      floor = std::min(floor, *oldest);
    }
    job.retention.floor = floor;
  }
  const Settings& settings = core_->settings();
  // TTL is judged against the newest write time in SSTs: a logical "now" that never runs
  // ahead of the data (spec/engine.md §10.4).
  job.retention.now_ms = manifest->last_l0_clock_tick;
  job.retention.drop_tombstones = WritesOldestRun(*manifest, spec);
  job.retention.merge = &core_->options.merge_operator;
  job.sst.block_size_bytes = settings.block_size_bytes;
  job.sst.compression = settings.compression;
  job.sst.filter_policies = core_->filter_policies;
  job.sst.min_filter_keys = settings.min_filter_keys;
  job.max_sst_bytes = settings.compaction_max_sst_bytes;
  // Sources newest first: L0 SSTs (the manifest lists them newest first), then runs.
  size_t found = 0;
  for (const SstRef& ref : manifest->l0) {
    if (Contains(spec.l0_ids, ref.id)) {
      job.sources.push_back({ref});
      ++found;
    }
  }
  for (const SortedRun& run : manifest->sorted_runs) {
    if (Contains(spec.run_ids, run.id)) {
      job.sources.push_back(run.ssts);
      ++found;
    }
  }
  DbCore* core = core_;
  job.next_id = [core]() {
    DbLock lock(&core->mu);
    return core->NextSstIdLocked();
  };
  // A compactor that stops (Close, Compactor::Stop) abandons its compactions; what they
  // uploaded is left for garbage collection.
  job.cancelled = [core]() { return core->closed(); };
  Result<CompactionJobResult> result =
      Status::Unavailable("the compaction's sources changed before it started");
  // Never compact part of the sources: the commit would drop the rest.
  if (found == spec.l0_ids.size() + spec.run_ids.size()) {
    if (spec.drain) {
      result = CompactionJobResult{};  // a drain reads and writes nothing: the commit drops them
    } else {
      result = co_await RunCompactionJob(core_->table_store.get(), job);
    }
  }
  Status s = result.status();
  bool lost_claim = false;
  std::vector<SstRef> outputs;  // for the compaction's record
  if (result.ok()) {
    metric_bytes_read_.fetch_add(result->bytes_read, std::memory_order_relaxed);
    metric_bytes_written_.fetch_add(result->bytes_written, std::memory_order_relaxed);
    outputs = result->outputs;
    s = co_await Commit(spec, std::move(result->outputs), &lost_claim);
  }
  if (!lost_claim) {
    DbLock lock(&core_->mu);
    NoteOutcomeLocked(spec, s, std::move(outputs));
  }
  Finish(spec, s, lost_claim);
  co_return s;
}

Task<Status> CompactorDriver::Commit(const CompactionSpec& spec, std::vector<SstRef> outputs,
                                     bool* lost_claim) {
  uint64_t epoch;
  {
    DbLock lock(&core_->mu);
    epoch = epoch_;
  }
  std::vector<std::string> replaced;  // SSTs of the source runs
  const bool polls_manifest = host_->PollsManifest();
  ManifestEdit edit = [&](Manifest& whole) -> Status {
    if (whole.compactor_epoch != epoch) {
      *lost_claim = true;
      return Status::Closed(CloseReason::kFenced, "another compactor (epoch " +
                                                      std::to_string(whole.compactor_epoch) +
                                                      ") claimed the database");
    }
    // The sources must still be there. Two compactions of one epoch never share sources,
    // but a pick can be stale: an earlier commit of this compactor that was answered
    // Unavailable may have landed (the store cannot tell), and the scheduler picked the
    // same sources again from a view that did not show it yet. A standalone compactor
    // retries (its outputs are left for GC; it picks again from the newer view it polls,
    // where a newer compactor's claim, if that is what changed, fences it). A writer's
    // compactor fails as before (CompactorHost::PollsManifest).
    auto gone = [&](const std::string& what) {
      std::string message = "compaction source " + what + " is gone";
      return polls_manifest ? Status::Unavailable(message + " (a stale pick)")
                            : Status::Internal(message);
    };
    // A segment's compaction edits only that segment's tree.
    return EditTree(whole, spec.segment, [&](Manifest& m) -> Status {
      for (const std::string& id : spec.l0_ids) {
        auto it =
            std::find_if(m.l0.begin(), m.l0.end(), [&](const SstRef& ref) { return ref.id == id; });
        if (it == m.l0.end()) return gone("L0 " + id);
      }
      for (uint32_t id : spec.run_ids) {
        auto it = std::find_if(m.sorted_runs.begin(), m.sorted_runs.end(),
                               [&](const SortedRun& run) { return run.id == id; });
        if (it == m.sorted_runs.end()) return gone("run " + std::to_string(id));
      }
      std::erase_if(m.l0, [&](const SstRef& ref) { return Contains(spec.l0_ids, ref.id); });
      replaced.clear();
      for (const SortedRun& run : m.sorted_runs) {
        if (!Contains(spec.run_ids, run.id)) continue;
        for (const SstRef& ref : run.ssts) replaced.push_back(ref.id);
      }
      std::erase_if(m.sorted_runs,
                    [&](const SortedRun& run) { return Contains(spec.run_ids, run.id); });
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
    });
  };
  Status s = co_await host_->UpdateManifest(edit);
  if (s.ok()) {
    // New reads no longer open the replaced SSTs; drop their index and filter. (A read
    // still holding an older view reopens one if it needs it.)
    for (const std::string& id : replaced) core_->table_store->Forget(id);
  }
  co_return s;
}

void CompactorDriver::Finish(const CompactionSpec& spec, const Status& status, bool lost_claim) {
  ReadyWaiters ready;
  bool retry = false;
  {
    DbLock lock(&core_->mu);
    auto it = std::find_if(running_.begin(), running_.end(),
                           [&](const CompactionSpec& s) { return s.record_id == spec.record_id; });
    if (it != running_.end()) running_.erase(it);
    if (status.ok()) {
      metric_compactions_.fetch_add(1, std::memory_order_relaxed);
      for (const std::string& id : spec.l0_ids) core_->table_store->Forget(id);
      host_->OnCompactedLocked();
      ScheduleLocked();
      core_->CollectReadyLocked(&ready);
    } else if (!core_->OpenLocked()) {
      // Stopped or closed meanwhile: nothing more to do.
    } else if (lost_claim) {
      // Only the compactor lost its claim; its host decides what that means.
      LoseClaimLocked();
      core_->CollectReadyLocked(&ready);
    } else if (status.IsUnavailable()) {
      metric_failed_.fetch_add(1, std::memory_order_relaxed);
      retry = true;
    } else {
      metric_failed_.fetch_add(1, std::memory_order_relaxed);
      Status reason = status.IsClosed() ? status
                                        : Status::Closed(CloseReason::kBackgroundError,
                                                         "compaction failed: " + status.ToString());
      core_->FailLocked(reason, &ready);
    }
  }
  DbCore::Resume(ready);
  if (retry) {
    core_->RetryLater([this]() {
      DbCore::AssertHeld();
      ScheduleLocked();
    });
  }
}

void CompactorDriver::LoseClaimLocked() {
  if (fenced_) return;
  fenced_ = true;
  host_->OnFencedLocked();
}

void CompactorDriver::AddMetrics(std::map<std::string, uint64_t>* metrics) const {
  auto load = [](const std::atomic<uint64_t>& a) { return a.load(std::memory_order_relaxed); };
  (*metrics)["compaction/completed"] = load(metric_compactions_);
  (*metrics)["compaction/failed"] = load(metric_failed_);
  (*metrics)["compaction/bytes_read"] = load(metric_bytes_read_);
  (*metrics)["compaction/bytes_written"] = load(metric_bytes_written_);
}

void CompactorDriver::AddMetricsLocked(std::map<std::string, uint64_t>* metrics) const {
  (*metrics)["compaction/running"] = running_.size();
  (*metrics)["compaction/epoch"] = epoch_;
}

}  // namespace slatedb
