// SPDX-License-Identifier: Apache-2.0
#include "db/compactor_driver.h"

#include <algorithm>

#include "compaction/compaction_job.h"
#include "db/gc_scheduler.h"
#include "db/l0_flusher.h"
#include "db/manifest_writer.h"
#include "db/snapshots.h"
#include "manifest/segment_set.h"
#include "util/async.h"

namespace slatedb {

void CompactorDriver::ScheduleLocked() {
  const Settings& settings = core_->settings();
  if (!settings.compactor_enabled || fenced_ || !core_->OpenLocked()) return;
  PickerOptions picker;
  picker.min_sources = settings.compaction_min_sources;
  picker.max_sources = settings.compaction_max_sources;
  picker.include_size_threshold = settings.compaction_include_size_threshold;
  const Manifest& manifest = *manifest_->manifest();
  if (epoch_ == 0) {
    // The epoch is claimed when the first compaction is due, not at open: a database that
    // never compacts never writes a manifest for it.
    if (claiming_) return;
    if (!requests_waiting_ && !PickCompaction(manifest, running_, picker)) return;
    claiming_ = true;
    core_->Start([this]() { return ClaimEpoch(); });
    return;
  }
  while (running_.size() < settings.compaction_max_concurrent) {
    std::optional<CompactionSpec> spec = PickCompaction(manifest, running_, picker);
    if (!spec) break;
    running_.push_back(*spec);
    core_->Start([this, spec = std::move(*spec)]() { return Run(spec); });
  }
}

Task<Status> CompactorDriver::ClaimEpoch() {
  uint64_t claimed = 0;
  ManifestEdit claim = [&claimed](Manifest& m) {
    m.compactor_epoch += 1;
    claimed = m.compactor_epoch;
    return Status::Ok();
  };
  Status s = co_await manifest_->Update(claim);
  {
    DbLock lock(&core_->mu);
    claiming_ = false;
    if (s.ok()) {
      epoch_ = claimed;
      ScheduleLocked();
      if (requests_waiting_) {
        requests_waiting_ = false;
        core_->Start([this]() { return PollRequests(); });
      }
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

Task<Status> CompactorDriver::Run(CompactionSpec spec) {
  GcScheduler::MintGuard mint(gc_);  // outputs are GC-protected until published
  CompactionJobOptions job;
  std::shared_ptr<const Manifest> manifest;
  {
    DbLock lock(&core_->mu);
    manifest = manifest_->manifest();
    // A segment's compaction sees that segment's tree as the manifest's only tree.
    if (!spec.segment.empty()) {
      manifest = std::make_shared<const Manifest>(TreeView(*manifest, spec.segment));
    }
    // Versions a live snapshot can read stay: the floor is the oldest snapshot (this
    // process's, and the one recorded in the manifest for other readers).
    uint64_t floor = manifest->recent_snapshot_min_seq;
    std::optional<uint64_t> oldest = snapshots_->OldestLocked();
    if (oldest) floor = std::min(floor, *oldest);
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
  DbCore* core = core_;
  job.next_id = [core]() {
    DbLock lock(&core->mu);
    return core->NextSstIdLocked();
  };
  Result<CompactionJobResult> result = co_await RunCompactionJob(core_->table_store.get(), job);
  Status s = result.status();
  std::vector<SstRef> outputs;  // for a requested compaction's record
  if (result.ok()) {
    metric_bytes_read_.fetch_add(result->bytes_read, std::memory_order_relaxed);
    metric_bytes_written_.fetch_add(result->bytes_written, std::memory_order_relaxed);
    if (!spec.request_id.empty()) {
      outputs = result->outputs;
    }
    s = co_await Commit(spec, std::move(result->outputs));
  }
  if (!spec.request_id.empty()) {
    DbLock lock(&core_->mu);
    NoteRequestOutcomeLocked(spec, s, std::move(outputs));
  }
  Finish(spec, s);
  co_return s;
}

Task<Status> CompactorDriver::Commit(const CompactionSpec& spec, std::vector<SstRef> outputs) {
  uint64_t epoch;
  {
    DbLock lock(&core_->mu);
    epoch = epoch_;
  }
  std::vector<std::string> replaced;  // SSTs of the source runs
  ManifestEdit edit = [&](Manifest& whole) -> Status {
    if (whole.compactor_epoch != epoch) {
      return Status::Closed(CloseReason::kFenced, "another compactor claimed the database");
    }
    return EditTree(whole, spec.segment, [&](Manifest& m) -> Status {
      // The sources must still be there (a compaction never races another on its sources).
      for (const std::string& id : spec.l0_ids) {
        auto it =
            std::find_if(m.l0.begin(), m.l0.end(), [&](const SstRef& ref) { return ref.id == id; });
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
    });
  };
  Status s = co_await manifest_->Update(edit);
  if (s.ok()) {
    // New reads no longer open the replaced SSTs; drop their index and filter. (A read
    // still holding an older view reopens one if it needs it.)
    for (const std::string& id : replaced) core_->table_store->Forget(id);
  }
  co_return s;
}

void CompactorDriver::Finish(const CompactionSpec& spec, const Status& status) {
  ReadyWaiters ready;
  bool retry = false;
  {
    DbLock lock(&core_->mu);
    auto it = std::find_if(running_.begin(), running_.end(), [&](const CompactionSpec& s) {
      return s.destination == spec.destination;
    });
    if (it != running_.end()) running_.erase(it);
    const Manifest& manifest = *manifest_->manifest();
    if (status.ok()) {
      metric_compactions_.fetch_add(1, std::memory_order_relaxed);
      for (const std::string& id : spec.l0_ids) core_->table_store->Forget(id);
      flusher_->ScheduleLocked();
      ScheduleLocked();
      core_->CollectReadyLocked(&ready);
    } else if (status.IsUnavailable()) {
      retry = true;
    } else if (status.IsClosed() && status.close_reason() == CloseReason::kFenced &&
               core_->OpenLocked() && manifest.writer_epoch == manifest_->writer_epoch() &&
               manifest.compactor_epoch != epoch_) {
      // Only the compactor lost its claim: the database stays open; L0 no longer blocks.
      fenced_ = true;
      flusher_->ScheduleLocked();
    } else if (core_->OpenLocked()) {
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

void CompactorDriver::AddMetrics(std::map<std::string, uint64_t>* metrics) const {
  auto load = [](const std::atomic<uint64_t>& a) { return a.load(std::memory_order_relaxed); };
  (*metrics)["compaction/completed"] = load(metric_compactions_);
  (*metrics)["compaction/bytes_read"] = load(metric_bytes_read_);
  (*metrics)["compaction/bytes_written"] = load(metric_bytes_written_);
}

void CompactorDriver::AddMetricsLocked(std::map<std::string, uint64_t>* metrics) const {
  (*metrics)["compaction/running"] = running_.size();
}

}  // namespace slatedb
