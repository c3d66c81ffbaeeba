// SPDX-License-Identifier: Apache-2.0
//
// The compactor's records in compactions/ (manifest/compactions_store.h): one record per
// compaction, sequenced and compare-and-swapped like manifests. Each sync is one edit of the
// latest version that
//   - claims it for this compactor's epoch (an edit finding a higher epoch means another
//     compactor took over: this one is fenced);
//   - puts "Running" records no compactor runs (this epoch's claim came after theirs) back
//     to "Submitted", so they are checked and run again like Admin requests;
//   - appends the scheduler's new picks as "Running" (they start only once stored: a
//     collector reading compactions/ before listing SSTs keeps what they write);
//   - records outcomes: "Completed" with the output SSTs and the bytes read, "Failed" with
//     why, or back to "Submitted" (a requested compaction after a transient error);
//   - starts "Submitted" requests that can run now: each is checked against the manifest
//     (compaction/requested_compaction.h), one that can never run as it stands is marked
//     "Failed", one whose sources or destination a running compaction uses waits.
// Requests are looked for every compaction_request_poll_ms (one GET of the next version
// when nothing changed; a full listing every 12th poll, in case versions were collected
// meanwhile); 0 runs none. The manifest commit of a compaction comes before its
// "Completed", so a crash between them leaves it "Running": the next compactor retries it,
// finds its sources gone and marks it "Failed"; the data is intact. Finished records are
// trimmed to the most recent kKeptFinished.
#include <algorithm>
#include <set>

#include "compaction/requested_compaction.h"
#include "db/compactor_driver.h"
#include "util/async.h"

namespace slatedb {

namespace {

constexpr size_t kKeptFinished = 20;
constexpr uint64_t kRelistEveryPolls = 12;

bool IsFinished(CompactionStatus status) {
  return status == CompactionStatus::kCompleted || status == CompactionStatus::kFailed;
}

// Drops the oldest finished records beyond the newest `keep`.
void TrimFinished(std::vector<CompactionRecord>* records, size_t keep) {
  size_t finished = 0;
  for (const CompactionRecord& r : *records) finished += IsFinished(r.status) ? 1 : 0;
  if (finished <= keep) return;
  size_t to_drop = finished - keep;
  std::erase_if(*records, [&](const CompactionRecord& r) {
    if (to_drop == 0 || !IsFinished(r.status)) return false;
    --to_drop;
    return true;
  });
}

// A picked compaction as a record: its sources in logical order (L0 newest first, then runs
// from the highest id), as an Admin request would name them.
CompactionRecord RecordOf(const CompactionSpec& spec) {
  CompactionRecord record;
  record.id = spec.record_id;
  for (const std::string& id : spec.l0_ids)
    record.spec.sources.push_back(CompactionSource::Sst(id));
  for (uint32_t id : spec.run_ids) {
    record.spec.sources.push_back(CompactionSource::SortedRun(id));
  }
  record.spec.destination = spec.destination;
  record.spec.segment = spec.segment;
  record.status = CompactionStatus::kRunning;
  return record;
}

bool Pending(const CompactionsState& state) {
  return std::any_of(state.recent_compactions.begin(), state.recent_compactions.end(),
                     [](const CompactionRecord& r) {
                       return r.status == CompactionStatus::kSubmitted ||
                              r.status == CompactionStatus::kRunning;
                     });
}

}  // namespace

void CompactorDriver::ScheduleRequestPollLocked() {
  if (!enabled_ || core_->settings().compaction_request_poll_ms == 0) return;
  core_->SchedulePeriodicLocked(core_->settings().compaction_request_poll_ms,
                                [this]() { return SyncRecords(true); });
}

void CompactorDriver::SyncRecordsSoonLocked() {
  core_->Start([this]() { return SyncRecords(false); });
}

void CompactorDriver::NoteOutcomeLocked(const CompactionSpec& spec, const Status& status,
                                        std::vector<SstRef> outputs) {
  // Stopping: the record stays "Running" and the next compactor takes it over.
  if (!core_->OpenLocked()) return;
  Outcome outcome;
  outcome.id = spec.record_id;
  if (status.ok()) {
    outcome.status = CompactionStatus::kCompleted;
    outcome.outputs = std::move(outputs);
  } else if (spec.requested && status.IsUnavailable()) {
    outcome.status = CompactionStatus::kSubmitted;  // the store failed us; tried again later
  } else {
    // A pick that failed is not retried as such: the scheduler picks again.
    outcome.status = CompactionStatus::kFailed;
    outcome.error = status.ToString();
  }
  outcomes_.push_back(std::move(outcome));
  SyncRecordsSoonLocked();
}

Task<Status> CompactorDriver::LoadRecordsIfChanged() {
  std::optional<uint64_t> known;
  bool relist = false;
  {
    DbLock lock(&core_->mu);
    if (records_) known = records_->id;
    relist = ++request_polls_ % kRelistEveryPolls == 0;
  }
  if (known && !relist) {
    SLATEDB_CO_ASSIGN_OR_RETURN(std::optional<CompactionsState> next,
                                co_await core_->compactions_store.Load(*known + 1));
    if (!next) co_return Status::Ok();
  }
  SLATEDB_CO_ASSIGN_OR_RETURN(std::optional<CompactionsState> latest,
                              co_await core_->compactions_store.LoadLatest());
  DbLock lock(&core_->mu);
  if (!latest) {
    // Nothing recorded yet: from now on a poll is one GET of version 1.
    if (!records_) records_.emplace();
    co_return Status::Ok();
  }
  if (!records_ || records_->id < latest->id) records_ = std::move(*latest);
  co_return Status::Ok();
}

Task<Status> CompactorDriver::SyncRecords(bool look_for_requests) {
  {
    DbLock lock(&core_->mu);
    if (!core_->OpenLocked() || fenced_) co_return Status::Ok();
    if (syncing_) {
      resync_ = true;
      resync_looks_ = resync_looks_ || look_for_requests;
      co_return Status::Ok();
    }
    syncing_ = true;
  }
  struct Done {
    CompactorDriver* driver;
    ~Done() {
      DbLock lock(&driver->core_->mu);
      driver->syncing_ = false;
      // What was noted while this sync ran is recorded by one more, now.
      if (driver->resync_ && driver->core_->OpenLocked() && !driver->fenced_) {
        const bool looks = driver->resync_looks_;
        driver->resync_ = false;
        driver->resync_looks_ = false;
        driver->core_->Start([d = driver, looks]() { return d->SyncRecords(looks); });
      }
    }
  } done{this};

  if (look_for_requests) {
    Status loaded = co_await LoadRecordsIfChanged();
    if (!loaded.ok()) co_return loaded;  // tried again at the next poll
  }

  // Decide under the mutex, against the manifest and the compactions running here.
  const bool run_requests = core_->settings().compaction_request_poll_ms > 0;
  std::vector<CompactionSpec> to_start;  // requests starting now
  std::vector<CompactionSpec> picks;
  std::vector<std::pair<std::string, std::string>> failed;  // id, why
  std::vector<Outcome> outcomes;
  std::set<std::string> here;  // records this compactor runs or has just finished
  uint64_t epoch = 0;
  bool claim = false;
  {
    DbLock lock(&core_->mu);
    epoch = epoch_;
    if (epoch == 0) {
      // Running a request needs the compactor's epoch; the claim syncs again when done.
      if (run_requests && records_ && Pending(*records_)) {
        requests_waiting_ = true;
        ScheduleLocked();
      }
      co_return Status::Ok();
    }
    claim = records_claim_pending_;
    outcomes = outcomes_;
    picks = unrecorded_picks_;
    for (const CompactionSpec& spec : running_) here.insert(spec.record_id);
    for (const Outcome& o : outcomes) here.insert(o.id);
    if (run_requests && records_) {
      std::vector<CompactionSpec> running = running_;
      for (const CompactionRecord& record : records_->recent_compactions) {
        const bool candidate =
            record.status == CompactionStatus::kSubmitted ||
            (record.status == CompactionStatus::kRunning && here.count(record.id) == 0);
        if (!candidate) continue;
        if (running.size() >= core_->settings().compaction_max_concurrent) break;
        Result<std::optional<CompactionSpec>> spec =
            ResolveRequestedCompaction(*host_->ManifestLocked(), record.spec, running);
        if (!spec.ok()) {
          failed.emplace_back(record.id, spec.status().message());
          continue;
        }
        if (!spec->has_value()) continue;  // its sources are busy: a later sync
        (*spec)->record_id = record.id;
        (*spec)->requested = true;
        running.push_back(**spec);
        to_start.push_back(std::move(**spec));
      }
    }
    if (!claim && to_start.empty() && failed.empty() && outcomes.empty() && picks.empty()) {
      co_return Status::Ok();
    }
    // Reserve the requests' sources now, so the scheduler does not pick them meanwhile.
    for (const CompactionSpec& spec : to_start) running_.push_back(spec);
    unrecorded_picks_.clear();
  }

  CompactionsStore::EditFn edit = [&](CompactionsState& state) -> Status {
    if (state.compactor_epoch > epoch) {
      return Status::Closed(CloseReason::kFenced, "another compactor (epoch " +
                                                      std::to_string(state.compactor_epoch) +
                                                      ") owns compactions/");
    }
    state.compactor_epoch = epoch;
    for (CompactionRecord& record : state.recent_compactions) {
      // "Running" but not here: its compactor stopped before this one claimed the epoch.
      if (record.status == CompactionStatus::kRunning && here.count(record.id) == 0) {
        record.status = CompactionStatus::kSubmitted;
      }
      for (const Outcome& o : outcomes) {
        if (o.id != record.id) continue;
        record.status = o.status;
        record.outputs = o.outputs;
        record.error = o.error;
      }
      for (const auto& [id, why] : failed) {
        if (id != record.id) continue;
        record.status = CompactionStatus::kFailed;
        record.error = why;
      }
      for (const CompactionSpec& spec : to_start) {
        if (spec.record_id == record.id) record.status = CompactionStatus::kRunning;
      }
    }
    for (const CompactionSpec& spec : picks) state.recent_compactions.push_back(RecordOf(spec));
    TrimFinished(&state.recent_compactions, kKeptFinished);
    return Status::Ok();
  };
  Result<CompactionsState> stored = co_await core_->compactions_store.EditLatest(edit);

  DbLock lock(&core_->mu);
  if (!stored.ok()) {
    // Nothing was recorded: release the reservations (the scheduler picks again); outcomes
    // stay for the next sync.
    // A plain loop, not a lambda: the analysis cannot see that a lambda runs under the lock.
    for (const std::vector<CompactionSpec>* specs : {&to_start, &picks}) {
      for (const CompactionSpec& spec : *specs) {
        std::erase_if(running_,
                      [&](const CompactionSpec& s) { return s.record_id == spec.record_id; });
      }
    }
    if (stored.status().IsClosed()) {
      LoseClaimLocked();
    } else if (core_->OpenLocked() && !fenced_) {
      core_->RetryLater([this]() {
        DbCore::AssertHeld();
        ScheduleLocked();
        SyncRecordsSoonLocked();
      });
    }
    co_return stored.status();
  }
  records_ = std::move(*stored);
  if (claim) records_claim_pending_ = false;
  std::erase_if(outcomes_, [&](const Outcome& o) {
    return std::any_of(outcomes.begin(), outcomes.end(),
                       [&](const Outcome& done) { return done.id == o.id; });
  });
  if (!core_->OpenLocked() || fenced_) co_return Status::Ok();  // stopping: they stay Running
  for (std::vector<CompactionSpec>* specs : {&to_start, &picks}) {
    for (CompactionSpec& spec : *specs) {
      core_->Start([this, spec = std::move(spec)]() { return Run(spec); });
    }
  }
  co_return Status::Ok();
}

}  // namespace slatedb
