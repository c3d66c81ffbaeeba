// SPDX-License-Identifier: Apache-2.0
//
// CompactorDriver: the in-process compactor. It schedules size-tiered compactions
// (compaction/) on the Executor whenever the manifest changes, runs them, and publishes
// their outputs through the manifest CAS. Nothing runs while nothing is due: scheduling is
// triggered by L0 flushes and compaction commits, never by polling. It also runs the
// compactions an Admin requests (compaction_requests.cc).
//
// Fencing: when the first compaction of an open is due, the driver claims
// compactor_epoch + 1 in the manifest; every commit checks that the stored epoch is still
// ours, so a compactor that lost its claim can never publish (its outputs become garbage
// for GC). A compactor fenced that way stops; the database stays open.
#pragma once

#include <atomic>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "compaction/compaction_picker.h"
#include "db/db_core.h"
#include "manifest/compactions_store.h"

namespace slatedb {

class GcScheduler;
class L0Flusher;
class ManifestWriter;
class Snapshots;

class CompactorDriver {
 public:
  CompactorDriver(DbCore* core, ManifestWriter* manifest, const Snapshots* snapshots,
                  GcScheduler* gc, L0Flusher* flusher)
      : core_(core), manifest_(manifest), snapshots_(snapshots), gc_(gc), flusher_(flusher) {}

  // Starts the compactions that are due, up to compaction_max_concurrent (claiming the
  // compactor epoch first if this open has not).
  void ScheduleLocked() REQUIRES(kDbMutex);
  // Starts polling for Admin-submitted compactions (compaction_request_poll_ms).
  void ScheduleRequestPollLocked() REQUIRES(kDbMutex);
  // Whether another compactor took over (this one then stays idle).
  bool fenced() const REQUIRES(kDbMutex) { return fenced_; }

  void AddMetrics(std::map<std::string, uint64_t>* metrics) const;
  void AddMetricsLocked(std::map<std::string, uint64_t>* metrics) const REQUIRES(kDbMutex);

 private:
  // A requested compaction's outcome, written to compactions/ by the next poll.
  struct RequestOutcome {
    std::string id;
    CompactionStatus status = CompactionStatus::kSubmitted;  // Completed, Failed, Submitted
    std::vector<SstRef> outputs;                             // the SSTs it wrote (Completed)
    std::string error;                                       // why it failed
  };

  Task<Status> ClaimEpoch();
  Task<Status> Run(CompactionSpec spec);
  // Publishes a finished compaction. Closed(fenced) if another compactor took over.
  Task<Status> Commit(const CompactionSpec& spec, std::vector<SstRef> outputs);
  void Finish(const CompactionSpec& spec, const Status& status);

  // compaction_requests.cc
  Task<Status> PollRequests();
  // Refreshes requests_state_ if compactions/ has a newer version.
  Task<Status> LoadRequestsIfChanged();
  // Records how a requested compaction ended; the next poll writes it to compactions/.
  void NoteRequestOutcomeLocked(const CompactionSpec& spec, const Status& status,
                                std::vector<SstRef> outputs) REQUIRES(kDbMutex);

  DbCore* const core_;
  ManifestWriter* const manifest_;
  const Snapshots* const snapshots_;
  GcScheduler* const gc_;
  L0Flusher* const flusher_;

  uint64_t epoch_ GUARDED_BY(kDbMutex) = 0;  // 0 until claimed
  bool claiming_ GUARDED_BY(kDbMutex) = false;
  bool fenced_ GUARDED_BY(kDbMutex) = false;
  std::vector<CompactionSpec> running_ GUARDED_BY(kDbMutex);
  // Admin compaction requests: the newest compactions/ version read or written, whether a
  // poll is in progress (and another is due after it), how many polls ran (every 12th
  // re-lists), whether Submitted requests wait for the epoch claim, and outcomes not yet
  // recorded.
  std::optional<CompactionsState> requests_state_ GUARDED_BY(kDbMutex);
  bool requests_polling_ GUARDED_BY(kDbMutex) = false;
  bool requests_repoll_ GUARDED_BY(kDbMutex) = false;
  uint64_t request_polls_ GUARDED_BY(kDbMutex) = 0;
  bool requests_waiting_ GUARDED_BY(kDbMutex) = false;
  std::vector<RequestOutcome> request_outcomes_ GUARDED_BY(kDbMutex);

  std::atomic<uint64_t> metric_compactions_{0};
  std::atomic<uint64_t> metric_bytes_read_{0};
  std::atomic<uint64_t> metric_bytes_written_{0};
};

}  // namespace slatedb
