// SPDX-License-Identifier: Apache-2.0
//
// CompactorDriver: the compactor. It schedules size-tiered compactions (compaction/) on the
// Executor, runs them, and publishes their outputs through the manifest CAS. It runs in a
// writer (compactor_enabled; DbImpl hosts it and wakes it after each L0 flush) or as a
// process of its own (compactor/compactor_process.h, which wakes it after each manifest
// poll); CompactorHost is the difference. Nothing runs while nothing is due.
//
// Fencing (spec/engine.md §3.4): the driver claims compactor_epoch + 1 in the manifest (a
// writer's compactor when its first compaction is due, a standalone compactor at open) and
// then writes the same epoch into compactions/. Every manifest commit checks that the stored
// epoch is still ours and every compactions/ edit that no higher epoch is stored, so of two
// compactors the later claim wins and the earlier one can never publish again (its outputs
// become garbage for GC). A fenced driver stops; its host decides what that means (the
// writer stays open; a standalone compactor's Run returns Closed(fenced)).
//
// Records (compaction_records.cc): every compaction, picked by the scheduler or requested
// through Admin::SubmitCompaction, is recorded in compactions/ as "Running" before it
// writes any SST, and marked "Completed" (with its outputs) or "Failed" after its manifest
// commit. A collector reads compactions/ before it lists SSTs, so an output minted after its
// record is never collected while the record says Running (docs/gc.md). A "Running" record
// no compactor runs (its compactor crashed or was fenced) goes back to "Submitted" when the
// next compactor claims the epoch, and is then checked and run like an Admin request.
#pragma once

#include <atomic>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "compaction/compaction_picker.h"
#include "db/compactor_host.h"
#include "db/db_core.h"
#include "manifest/compactions_store.h"

namespace slatedb {

class CompactorDriver {
 public:
  // `enabled`: whether this process compacts at all (a writer's compactor_enabled).
  CompactorDriver(DbCore* core, CompactorHost* host, bool enabled)
      : core_(core), host_(host), enabled_(enabled) {}

  // Claims the compactor epoch now (a standalone compactor's open), then records it in
  // compactions/. Closed(fenced) if another compactor claimed meanwhile.
  Task<Status> ClaimNow();
  // Starts the compactions that are due, up to compaction_max_concurrent (claiming the
  // compactor epoch first if this process has not).
  void ScheduleLocked() REQUIRES(kDbMutex);
  // Starts looking for Admin-submitted compactions (compaction_request_poll_ms).
  void ScheduleRequestPollLocked() REQUIRES(kDbMutex);
  // Whether another compactor took over (this one then stays idle).
  bool fenced() const REQUIRES(kDbMutex) { return fenced_; }
  // The claimed epoch; 0 before the claim.
  uint64_t epoch() const REQUIRES(kDbMutex) { return epoch_; }
  size_t running() const REQUIRES(kDbMutex) { return running_.size(); }

  void AddMetrics(std::map<std::string, uint64_t>* metrics) const;
  void AddMetricsLocked(std::map<std::string, uint64_t>* metrics) const REQUIRES(kDbMutex);

 private:
  // How a compaction ended, written to its record by the next records sync.
  struct Outcome {
    std::string id;
    CompactionStatus status = CompactionStatus::kSubmitted;  // Completed, Failed, Submitted
    std::vector<SstRef> outputs;                             // the SSTs it wrote (Completed)
    std::string error;                                       // why it failed
  };

  // Claims compactor_epoch + 1 in the manifest; the next records sync claims compactions/.
  Task<Status> ClaimEpoch();
  Task<Status> Run(CompactionSpec spec);
  // Publishes a finished compaction. Sets *lost_claim if another compactor took over.
  Task<Status> Commit(const CompactionSpec& spec, std::vector<SstRef> outputs, bool* lost_claim);
  void Finish(const CompactionSpec& spec, const Status& status, bool lost_claim);
  // This compactor lost its claim: it stops for good.
  void LoseClaimLocked() REQUIRES(kDbMutex);

  // compaction_records.cc
  // Brings compactions/ up to date in one edit: the epoch claim, new picks as "Running",
  // outcomes, orphaned records back to "Submitted", and (with `look_for_requests`, the
  // periodic poll) Admin requests that can start now. One at a time; a call while one runs
  // makes it run once more.
  Task<Status> SyncRecords(bool look_for_requests);
  // Refreshes records_ if compactions/ has a newer version.
  Task<Status> LoadRecordsIfChanged();
  // Starts a records sync soon (from the Executor).
  void SyncRecordsSoonLocked() REQUIRES(kDbMutex);
  // Records how a compaction ended; the next records sync writes it to compactions/.
  void NoteOutcomeLocked(const CompactionSpec& spec, const Status& status,
                         std::vector<SstRef> outputs) REQUIRES(kDbMutex);

  DbCore* const core_;
  CompactorHost* const host_;
  const bool enabled_;

  uint64_t epoch_ GUARDED_BY(kDbMutex) = 0;  // 0 until claimed
  bool claiming_ GUARDED_BY(kDbMutex) = false;
  // The epoch is claimed in the manifest but not yet written to compactions/.
  bool records_claim_pending_ GUARDED_BY(kDbMutex) = false;
  bool fenced_ GUARDED_BY(kDbMutex) = false;
  // Compactions reserved or running here (picks waiting for their record included).
  std::vector<CompactionSpec> running_ GUARDED_BY(kDbMutex);
  // Picks whose "Running" record is not stored yet; they start once it is.
  std::vector<CompactionSpec> unrecorded_picks_ GUARDED_BY(kDbMutex);
  // The newest compactions/ version read or written; whether a sync is in progress (and
  // another is due after it, and whether that one looks for requests); how many request
  // polls ran (every 12th re-lists); whether Submitted requests wait for the epoch claim;
  // outcomes not yet recorded.
  std::optional<CompactionsState> records_ GUARDED_BY(kDbMutex);
  bool syncing_ GUARDED_BY(kDbMutex) = false;
  bool resync_ GUARDED_BY(kDbMutex) = false;
  bool resync_looks_ GUARDED_BY(kDbMutex) = false;
  uint64_t request_polls_ GUARDED_BY(kDbMutex) = 0;
  bool requests_waiting_ GUARDED_BY(kDbMutex) = false;
  std::vector<Outcome> outcomes_ GUARDED_BY(kDbMutex);

  std::atomic<uint64_t> metric_compactions_{0};
  std::atomic<uint64_t> metric_failed_{0};
  std::atomic<uint64_t> metric_bytes_read_{0};
  std::atomic<uint64_t> metric_bytes_written_{0};
};

}  // namespace slatedb
