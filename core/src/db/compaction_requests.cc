// SPDX-License-Identifier: Apache-2.0
//
// Compactions requested through Admin::SubmitCompaction, run by this process's compactor.
// Requests live in the compaction-state objects (compactions/, manifest/compactions_store.h);
// every compaction_request_poll_ms the compactor looks for a newer version (one GET of the
// next id; a full listing every 12th poll, in case versions were collected meanwhile), and
// for each "Submitted" request:
//   - checks it against the manifest (compaction/requested_compaction.h); a request that can
//     never run as it stands is marked "Failed";
//   - one whose sources or destination a running compaction uses waits for a later poll;
//   - otherwise marks it "Running" (compare-and-swap on the compactions state, which also
//     records this compactor's epoch) and runs it like a scheduled compaction. The manifest
//     commit comes first; the next poll then marks it "Completed" with its output SSTs and
//     the bytes it read, or "Failed", or back to "Submitted" after a transient error.
// A "Running" request this process is not running belongs to a compactor that stopped
// (a crash, or an earlier open) and goes back to "Submitted". If that compactor had already
// committed it, its sources are gone and the retry is marked "Failed"; the data is intact.
// Finished requests are trimmed to the most recent kKeptFinished.
#include <algorithm>

#include "compaction/requested_compaction.h"
#include "db/compactor_driver.h"
#include "db/manifest_writer.h"
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

}  // namespace

void CompactorDriver::ScheduleRequestPollLocked() {
  if (!core_->settings().compactor_enabled) return;
  core_->SchedulePeriodicLocked(core_->settings().compaction_request_poll_ms,
                                [this]() { return PollRequests(); });
}

void CompactorDriver::NoteRequestOutcomeLocked(const CompactionSpec& spec, const Status& status,
                                               std::vector<SstRef> outputs) {
  RequestOutcome outcome;
  outcome.id = spec.request_id;
  if (status.ok()) {
    outcome.status = CompactionStatus::kCompleted;
    outcome.outputs = std::move(outputs);
  } else if (status.IsUnavailable()) {
    outcome.status =
        CompactionStatus::kSubmitted;  // the store failed us; the next poll tries again
  } else {
    outcome.status = CompactionStatus::kFailed;
    outcome.error = status.ToString();
  }
  request_outcomes_.push_back(std::move(outcome));
  // Record it soon rather than at the next tick.
  core_->Start([this]() { return PollRequests(); });
}

Task<Status> CompactorDriver::LoadRequestsIfChanged() {
  std::optional<uint64_t> known;
  bool relist = false;
  {
    DbLock lock(&core_->mu);
    if (requests_state_) known = requests_state_->id;
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
    // No request was ever made: from now on a poll is one GET of version 1.
    if (!requests_state_) requests_state_.emplace();
    co_return Status::Ok();
  }
  if (!requests_state_ || requests_state_->id < latest->id) requests_state_ = std::move(*latest);
  co_return Status::Ok();
}

Task<Status> CompactorDriver::PollRequests() {
  {
    DbLock lock(&core_->mu);
    if (!core_->OpenLocked() || fenced_) co_return Status::Ok();
    if (requests_polling_) {
      requests_repoll_ = true;
      co_return Status::Ok();
    }
    requests_polling_ = true;
  }
  struct Done {
    CompactorDriver* driver;
    ~Done() {
      DbLock lock(&driver->core_->mu);
      driver->requests_polling_ = false;
      // An outcome noted while this poll ran is recorded by one more, now.
      if (driver->requests_repoll_ && driver->core_->OpenLocked()) {
        driver->requests_repoll_ = false;
        driver->core_->Start([driver = driver]() { return driver->PollRequests(); });
      }
    }
  } done{this};

  Status loaded = co_await LoadRequestsIfChanged();
  if (!loaded.ok()) co_return loaded;  // tried again at the next tick

  // Decide under the mutex, against the manifest and the compactions running now.
  std::vector<CompactionSpec> to_start;
  std::vector<std::pair<std::string, std::string>> failed;  // id, why
  std::vector<std::string> orphaned;
  std::vector<RequestOutcome> outcomes;
  uint64_t epoch = 0;
  {
    DbLock lock(&core_->mu);
    if (!requests_state_) co_return Status::Ok();
    epoch = epoch_;
    outcomes = request_outcomes_;
    auto running_here = [&](const std::string& id) {
      DbCore::AssertHeld();  // called only in this scope
      for (const CompactionSpec& spec : running_) {
        if (spec.request_id == id) return true;
      }
      for (const RequestOutcome& o : outcomes) {
        if (o.id == id) return true;
      }
      return false;
    };
    bool submitted = false;
    for (const CompactionRecord& record : requests_state_->recent_compactions) {
      if (record.status == CompactionStatus::kRunning && !running_here(record.id))
        orphaned.push_back(record.id);
      submitted = submitted || record.status == CompactionStatus::kSubmitted ||
                  record.status == CompactionStatus::kRunning;
    }
    if (epoch == 0) {
      // Running a request needs the compactor's epoch; the claim polls again when done.
      if (submitted) {
        requests_waiting_ = true;
        ScheduleLocked();
      }
      co_return Status::Ok();
    }
    std::vector<CompactionSpec> running = running_;
    for (const CompactionRecord& record : requests_state_->recent_compactions) {
      const bool candidate =
          record.status == CompactionStatus::kSubmitted ||
          std::find(orphaned.begin(), orphaned.end(), record.id) != orphaned.end();
      if (!candidate || running_here(record.id)) continue;
      if (running.size() >= core_->settings().compaction_max_concurrent) break;
      Result<std::optional<CompactionSpec>> spec =
          ResolveRequestedCompaction(*manifest_->manifest(), record.spec, running);
      if (!spec.ok()) {
        failed.emplace_back(record.id, spec.status().message());
        continue;
      }
      if (!spec->has_value()) continue;  // its sources are busy: a later poll
      (*spec)->request_id = record.id;
      running.push_back(**spec);
      to_start.push_back(std::move(**spec));
    }
    if (to_start.empty() && failed.empty() && orphaned.empty() && outcomes.empty()) {
      co_return Status::Ok();
    }
    // Reserve the sources now, so the scheduler does not pick them meanwhile.
    for (const CompactionSpec& spec : to_start) running_.push_back(spec);
  }

  CompactionsStore::EditFn edit = [&](CompactionsState& state) -> Status {
    if (state.compactor_epoch > epoch) {
      return Status::Closed(CloseReason::kFenced, "another compactor owns compaction requests");
    }
    state.compactor_epoch = epoch;
    for (CompactionRecord& record : state.recent_compactions) {
      if (std::find(orphaned.begin(), orphaned.end(), record.id) != orphaned.end()) {
        record.status = CompactionStatus::kSubmitted;
      }
      for (const RequestOutcome& o : outcomes) {
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
        if (spec.request_id == record.id) record.status = CompactionStatus::kRunning;
      }
    }
    TrimFinished(&state.recent_compactions, kKeptFinished);
    return Status::Ok();
  };
  Result<CompactionsState> stored = co_await core_->compactions_store.EditLatest(edit);

  DbLock lock(&core_->mu);
  if (!stored.ok()) {
    // Nothing was recorded: release the reservations; outcomes stay for the next poll.
    for (const CompactionSpec& spec : to_start) {
      std::erase_if(running_,
                    [&](const CompactionSpec& s) { return s.request_id == spec.request_id; });
    }
    if (stored.status().IsClosed()) fenced_ = true;
    co_return stored.status();
  }
  requests_state_ = std::move(*stored);
  std::erase_if(request_outcomes_, [&](const RequestOutcome& o) {
    return std::any_of(outcomes.begin(), outcomes.end(),
                       [&](const RequestOutcome& done) { return done.id == o.id; });
  });
  for (CompactionSpec& spec : to_start) {
    core_->Start([this, spec = std::move(spec)]() { return Run(spec); });
  }
  co_return Status::Ok();
}

}  // namespace slatedb
