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
#include "db/db_impl.h"
#include "util/async.h"

namespace slatedb {

namespace {

constexpr size_t kKeptFinished = 20;
constexpr uint64_t kRelistEveryPolls = 12;

bool IsFinished(const std::string& status) { return status == "Completed" || status == "Failed"; }

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

void DbImpl::ScheduleRequestPollLocked() {
  if (!options_.settings.compactor_enabled) return;
  SchedulePeriodicLocked(options_.settings.compaction_request_poll_ms, &PollCompactionRequests);
}

void DbImpl::NoteRequestOutcomeLocked(const CompactionSpec& spec, const Status& status,
                                      std::vector<SstRef> outputs) {
  RequestOutcome outcome;
  outcome.id = spec.request_id;
  if (status.ok()) {
    outcome.status = "Completed";
    outcome.outputs = std::move(outputs);
  } else if (status.IsUnavailable()) {
    outcome.status = "Submitted";  // the store failed us; the next poll tries again
  } else {
    outcome.status = "Failed";
    outcome.error = status.ToString();
  }
  request_outcomes_.push_back(std::move(outcome));
  // Record it soon rather than at the next tick.
  std::shared_ptr<DbImpl> self = shared_from_this();
  options_.executor->Post([self]() { Spawn(PollCompactionRequests(self), [](Status) {}); });
}

Task<Status> DbImpl::LoadRequestsIfChanged() {
  std::optional<uint64_t> known;
  bool relist = false;
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (requests_state_) known = requests_state_->id;
    relist = ++request_polls_ % kRelistEveryPolls == 0;
  }
  if (known && !relist) {
    SLATEDB_CO_ASSIGN_OR_RETURN(std::optional<CompactionsState> next,
                                co_await compactions_store_.Load(*known + 1));
    if (!next) co_return Status::Ok();
  }
  SLATEDB_CO_ASSIGN_OR_RETURN(std::optional<CompactionsState> latest,
                              co_await compactions_store_.LoadLatest());
  std::lock_guard<std::mutex> lock(mu_);
  if (!latest) {
    // No request was ever made: from now on a poll is one GET of version 1.
    if (!requests_state_) requests_state_.emplace();
    co_return Status::Ok();
  }
  if (!requests_state_ || requests_state_->id < latest->id) requests_state_ = std::move(*latest);
  co_return Status::Ok();
}

Task<Status> DbImpl::PollCompactionRequests(std::shared_ptr<DbImpl> self) {
  {
    std::lock_guard<std::mutex> lock(self->mu_);
    if (!self->closed_.ok() || self->compactor_fenced_) co_return Status::Ok();
    if (self->requests_polling_) {
      self->requests_repoll_ = true;
      co_return Status::Ok();
    }
    self->requests_polling_ = true;
  }
  struct Done {
    std::shared_ptr<DbImpl> db;
    ~Done() {
      std::lock_guard<std::mutex> lock(db->mu_);
      db->requests_polling_ = false;
      // An outcome noted while this poll ran is recorded by one more, now.
      if (db->requests_repoll_ && db->closed_.ok()) {
        db->requests_repoll_ = false;
        std::shared_ptr<DbImpl> again = db;
        db->options_.executor->Post(
            [again]() { Spawn(PollCompactionRequests(again), [](Status) {}); });
      }
    }
  } done{self};

  Status loaded = co_await self->LoadRequestsIfChanged();
  if (!loaded.ok()) co_return loaded;  // tried again at the next tick

  // Decide under the mutex, against the manifest and the compactions running now.
  std::vector<CompactionSpec> to_start;
  std::vector<std::pair<std::string, std::string>> failed;  // id, why
  std::vector<std::string> orphaned;
  std::vector<RequestOutcome> outcomes;
  uint64_t epoch = 0;
  {
    std::lock_guard<std::mutex> lock(self->mu_);
    if (!self->requests_state_) co_return Status::Ok();
    epoch = self->compactor_epoch_;
    outcomes = self->request_outcomes_;
    auto running_here = [&](const std::string& id) {
      for (const CompactionSpec& spec : self->running_compactions_) {
        if (spec.request_id == id) return true;
      }
      for (const RequestOutcome& o : outcomes) {
        if (o.id == id) return true;
      }
      return false;
    };
    bool submitted = false;
    for (const CompactionRecord& record : self->requests_state_->recent_compactions) {
      if (record.status == "Running" && !running_here(record.id)) orphaned.push_back(record.id);
      submitted = submitted || record.status == "Submitted" || record.status == "Running";
    }
    if (epoch == 0) {
      // Running a request needs the compactor's epoch; the claim polls again when done.
      if (submitted) {
        self->requests_waiting_ = true;
        self->ScheduleCompactionsLocked();
      }
      co_return Status::Ok();
    }
    std::vector<CompactionSpec> running = self->running_compactions_;
    for (const CompactionRecord& record : self->requests_state_->recent_compactions) {
      const bool candidate = record.status == "Submitted" ||
                             std::find(orphaned.begin(), orphaned.end(), record.id) !=
                                 orphaned.end();
      if (!candidate || running_here(record.id)) continue;
      if (running.size() >= self->options_.settings.compaction_max_concurrent) break;
      Result<std::optional<CompactionSpec>> spec =
          ResolveRequestedCompaction(*self->manifest_, record.spec, running);
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
    for (const CompactionSpec& spec : to_start) self->running_compactions_.push_back(spec);
  }

  CompactionsStore::EditFn edit = [&](CompactionsState& state) -> Status {
    if (state.compactor_epoch > epoch) {
      return Status::Closed(CloseReason::kFenced, "another compactor owns compaction requests");
    }
    state.compactor_epoch = epoch;
    for (CompactionRecord& record : state.recent_compactions) {
      if (std::find(orphaned.begin(), orphaned.end(), record.id) != orphaned.end()) {
        record.status = "Submitted";
      }
      for (const RequestOutcome& o : outcomes) {
        if (o.id != record.id) continue;
        record.status = o.status;
        record.outputs = o.outputs;
        record.error = o.error;
      }
      for (const auto& [id, why] : failed) {
        if (id != record.id) continue;
        record.status = "Failed";
        record.error = why;
      }
      for (const CompactionSpec& spec : to_start) {
        if (spec.request_id == record.id) record.status = "Running";
      }
    }
    TrimFinished(&state.recent_compactions, kKeptFinished);
    return Status::Ok();
  };
  Result<CompactionsState> stored = co_await self->compactions_store_.EditLatest(edit);

  std::lock_guard<std::mutex> lock(self->mu_);
  if (!stored.ok()) {
    // Nothing was recorded: release the reservations; outcomes stay for the next poll.
    for (const CompactionSpec& spec : to_start) {
      std::erase_if(self->running_compactions_, [&](const CompactionSpec& s) {
        return s.request_id == spec.request_id;
      });
    }
    if (stored.status().IsClosed()) self->compactor_fenced_ = true;
    co_return stored.status();
  }
  self->requests_state_ = std::move(*stored);
  std::erase_if(self->request_outcomes_, [&](const RequestOutcome& o) {
    return std::any_of(outcomes.begin(), outcomes.end(),
                       [&](const RequestOutcome& done) { return done.id == o.id; });
  });
  for (CompactionSpec& spec : to_start) {
    self->options_.executor->Post([self, spec = std::move(spec)]() {
      Spawn(CompactionTask(self, spec), [](Status) {});
    });
  }
  co_return Status::Ok();
}

}  // namespace slatedb
