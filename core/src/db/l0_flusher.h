// SPDX-License-Identifier: Apache-2.0
//
// L0Flusher: the memtables and their way into L0. It owns the active memtable, the frozen
// (immutable) ones waiting for their flush, the list reads see, and the sequence-to-time
// samples that go into the manifest with each flush.
//
// A full memtable is frozen together with a WAL cut, so an immutable memtable's rows are
// exactly those in WAL ids up to its wal_id; once those are durable it is written as an L0
// SST and published (replay_after_wal_id = wal_id), oldest first, so last_l0_seq only grows
// and replay never skips data (spec/engine.md §2.4). Flushes wait while L0 holds
// l0_max_ssts SSTs (writers then wait on max_unflushed_bytes); a compaction commit of this
// process, or a manifest poll that finds another process's, wakes them.
#pragma once

#include <atomic>
#include <cstdint>
#include <deque>
#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "db/db_core.h"
#include "format/sst_builder.h"
#include "memtable/memtable.h"
#include "read/read_view.h"

namespace slatedb {

class CompactorDriver;
class GcScheduler;
class ManifestWriter;
class Snapshots;
class WalWriter;

// A frozen memtable waiting for its L0 flush.
struct ImmutableMemtable {
  std::shared_ptr<Memtable> memtable;
  uint64_t last_seq = 0;  // highest seq it holds
  uint64_t wal_id = 0;    // every row is in WAL ids <= this
  int64_t last_tick = kNoTimestamp;
  std::vector<std::pair<uint64_t, int64_t>> seq_samples;  // (seq, ms) for the manifest
};

class L0Flusher {
 public:
  L0Flusher(DbCore* core, WalWriter* wal, ManifestWriter* manifest, const Snapshots* snapshots,
            GcScheduler* gc);
  // Wired after construction (the compactor also schedules flushes).
  void set_compactor(CompactorDriver* compactor) { compactor_ = compactor; }

  // --- The write path.
  const std::shared_ptr<Memtable>& active() const REQUIRES(kDbMutex) { return memtable_; }
  // Stores `row` in the active memtable; the result views the memtable's copy.
  RowView AddLocked(const RowView& row) REQUIRES(kDbMutex) { return memtable_->Add(row); }
  // Records a sequence-to-time sample at most every SequenceTracker interval.
  void SampleSeqLocked(uint64_t seq, int64_t tick) REQUIRES(kDbMutex);
  // Freezes the active memtable (if it holds rows) with a WAL cut, and starts the uploads.
  void FreezeLocked() REQUIRES(kDbMutex);
  // What reads see: the active memtable, then the immutable ones, newest first.
  std::shared_ptr<const MemtableList> memtables() const REQUIRES(kDbMutex) { return list_; }

  // --- Recovery: replayed rows, frozen at WAL object boundaries like live writes.
  void ReplayAddLocked(const RowView& row) REQUIRES(kDbMutex) { memtable_->Add(row); }
  void ReplayEndWalLocked(uint64_t wal_id) REQUIRES(kDbMutex);

  // --- Conditions writers and Flush wait on.
  uint64_t UnflushedBytesLocked() const REQUIRES(kDbMutex);
  // Whether writers may add (no backpressure).
  bool HasSpaceLocked() const REQUIRES(kDbMutex);
  // Whether every row up to `seq` is in L0.
  bool FlushedLocked(uint64_t seq) const REQUIRES(kDbMutex) {
    return imms_.empty() || imms_.front()->last_seq > seq;
  }
  // Whether L0 is full and flushes must wait for a compaction.
  bool L0FullLocked() const REQUIRES(kDbMutex);

  // Starts the flush loop if the oldest immutable memtable can go.
  void ScheduleLocked() REQUIRES(kDbMutex);

  void AddMetrics(std::map<std::string, uint64_t>* metrics) const;
  void AddMetricsLocked(std::map<std::string, uint64_t>* metrics) const REQUIRES(kDbMutex);
  uint64_t active_bytes() const REQUIRES(kDbMutex) { return memtable_->estimated_bytes(); }
  // (bytes, wal_id) of each immutable memtable, newest first (Db::StateJson).
  std::vector<std::pair<uint64_t, uint64_t>> ImmutablesLocked() const REQUIRES(kDbMutex);

 private:
  void RefreshListLocked() REQUIRES(kDbMutex);
  Task<Status> FlushLoop();
  Task<Status> FlushImmutable(std::shared_ptr<ImmutableMemtable> imm);
  // One L0 SST of a flush: its segment's prefix ("" for the root tree) and its bytes.
  struct SegmentSst {
    std::string prefix;
    EncodedSst sst;
  };
  // The memtable's rows as L0 SSTs: one, or with segments one per segment it touches.
  Result<std::vector<SegmentSst>> BuildL0(const ImmutableMemtable& imm, uint64_t retention_floor,
                                          const SegmentSet& segments) const;

  DbCore* const core_;
  WalWriter* const wal_;
  ManifestWriter* const manifest_;
  const Snapshots* const snapshots_;
  GcScheduler* const gc_;
  CompactorDriver* compactor_ = nullptr;

  std::shared_ptr<Memtable> memtable_ GUARDED_BY(kDbMutex);
  std::deque<std::shared_ptr<ImmutableMemtable>> imms_ GUARDED_BY(kDbMutex);  // oldest first
  std::shared_ptr<const MemtableList> list_ GUARDED_BY(kDbMutex);
  // Sequence-to-time samples (manifest/sequence_tracker.h) not yet in a frozen memtable.
  std::vector<std::pair<uint64_t, int64_t>> seq_samples_ GUARDED_BY(kDbMutex);
  int64_t last_seq_sample_ms_ GUARDED_BY(kDbMutex) = INT64_MIN;
  bool running_ GUARDED_BY(kDbMutex) = false;
  std::atomic<uint64_t> metric_flushes_{0};
  std::atomic<uint64_t> metric_stalls_{0};
};

}  // namespace slatedb
