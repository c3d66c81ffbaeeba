// SPDX-License-Identifier: Apache-2.0
//
// DbImpl: the engine behind Db. One state machine guarded by one mutex (mu_), which is
// never held across an await: a task takes what it needs, releases, awaits the store,
// re-takes and re-checks.
//
// Write path: a batch gets the next sequence number, goes into the active memtable and,
// as views of the memtable's copy, into the WAL buffer. The WAL buffer is cut every
// flush_interval (or when full, or on Flush/freeze) and uploaded as the next WAL object
// with create-if-absent, strictly in id order (db_flush.cc). A full memtable is frozen
// together with a WAL cut, so an immutable memtable's rows are exactly those in WAL ids
// up to its wal_id; once those are durable it is written as an L0 SST and recorded in the
// manifest (replay_after_wal_id = wal_id).
//
// Compaction runs in-process on the Executor (db_compaction.cc drives compaction/): the
// compactor claims compactor_epoch once per open and publishes through the same manifest
// CAS. Manifest updates of this process are serialized (one at a time), so a version
// conflict always means another process wrote; the merge keeps the writer-owned fields
// (L0 list cut at the compactor's watermark, WAL and seq watermarks) from this process and
// the compactor-owned ones (sorted runs, watermark, compactor epoch) and checkpoints from
// the store. L0 flushes wait while L0 holds l0_max_ssts SSTs (writers then wait on
// max_unflushed_bytes); a compaction commit wakes them.
//
// Files: db_impl.cc (state, writes, close), db_open.cc (recovery), db_flush.cc (WAL and
// L0 uploads, manifest updates), db_compaction.cc (scheduling and publishing compactions),
// db_gc.cc (garbage collection), db_read.cc (point reads), db_iterator.cc (scans).
#pragma once

#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "compaction/compaction_picker.h"
#include "manifest/compactions_store.h"
#include "db/lookup.h"
#include "db/read_view.h"
#include "manifest/manifest.h"
#include "manifest/manifest_store.h"
#include "memtable/memtable.h"
#include "slatedb/db.h"
#include "sst/table_store.h"
#include "store/paths.h"
#include "store/store_client.h"
#include "txn/txn_manager.h"
#include "util/ulid.h"

namespace slatedb {

// Rows waiting to be uploaded as one WAL object. Rows are views into `memtable`, which the
// buffer keeps alive.
struct WalBuffer {
  uint64_t id = 0;  // assigned when the buffer is cut
  std::shared_ptr<Memtable> memtable;
  std::vector<RowView> rows;  // in seq order
  uint64_t bytes = 0;
  uint64_t last_seq = 0;
  uint32_t durable_waiters = 0;  // writers awaiting durability of rows in this buffer
  std::string encoded;        // the WAL object, built once and reused by retries
};

// A frozen memtable waiting for its L0 flush.
struct ImmutableMemtable {
  std::shared_ptr<Memtable> memtable;
  uint64_t last_seq = 0;  // highest seq it holds
  uint64_t wal_id = 0;    // every row is in WAL ids <= this
  int64_t last_tick = kNoTimestamp;
  std::vector<std::pair<uint64_t, int64_t>> seq_samples;  // (seq, ms) for the manifest
};

class DbImpl : public ReadTarget, public std::enable_shared_from_this<DbImpl> {
 public:
  explicit DbImpl(DbOptions options);
  ~DbImpl();

  // db_open.cc
  Task<Status> Open();

  // Writes. TryApply applies the batch if no backpressure applies (the usual case) and
  // returns nullopt if the caller must wait for space first. With `txn` (a transaction's
  // commit) the batch is first checked for conflicts in the same critical section, and
  // the transaction ends there whatever the outcome.
  std::optional<Result<WriteHandle>> TryApply(const WriteBatch& batch,
                                              const TxnConflictSet* txn = nullptr);
  Task<Result<WriteHandle>> WriteAfterSpace(WriteBatch batch, WriteOptions options,
                                            std::shared_ptr<const TxnConflictSet> txn = nullptr);
  Task<Result<WriteHandle>> AwaitDurable(WriteHandle handle);

  // db_read.cc
  Status CaptureReadView(const ReadOptions& options, std::optional<uint64_t> snapshot_seq,
                         ReadView* view);
  bool TryGet(const ReadView& view, std::string_view key, Result<std::optional<std::string>>* out);
  // Counts a point read served outside Get/TryGet (GetKeyValue) in db/get_requests.
  void CountGet() { metric_gets_.fetch_add(1, std::memory_order_relaxed); }
  Task<Result<std::optional<std::string>>> Get(std::string key, ReadOptions options,
                                               std::optional<uint64_t> snapshot_seq);
  // db_iterator.cc
  Task<Result<std::unique_ptr<DbIterator>>> Scan(std::string start, std::string end,
                                                 ScanOptions options,
                                                 std::optional<uint64_t> snapshot_seq);

  Result<uint64_t> AcquireSnapshot();
  void ReleaseSnapshot(uint64_t seq);

  // txn/db_txn.cc. A transaction registers with the TxnManager and holds a snapshot at
  // its read seq (which keeps the versions it reads from flushes and compaction).
  // BeginTxn returns {txn id, read seq}. EndTxn is idempotent. CheckTxn is the commit of a
  // transaction with nothing to write: the conflict check alone; it ends the transaction.
  Result<std::pair<uint64_t, uint64_t>> BeginTxn();
  void EndTxn(uint64_t txn_id);
  Status CheckTxn(const TxnConflictSet& txn);

  Task<Status> Flush(FlushType type);
  Task<Status> Close();
  void Abandon();  // the Db handle was dropped without Close
  Status status() const override;
  // Lock-free "has this database closed?" for per-row checks in iterators.
  bool closed() const override { return closed_flag_.load(std::memory_order_acquire); }
  std::map<std::string, uint64_t> Metrics() const;
  std::string MetricsJson() const;
  const Settings& settings() const { return options_.settings; }
  // db_state.cc
  std::string StateJson() const;
  // db_gc.cc
  Task<Status> RunGcOnce(std::optional<uint64_t> min_age_ms);

  // db_checkpoint.cc
  Task<Result<CheckpointCreateResult>> CreateCheckpoint(CheckpointOptions options);
  Task<Status> RefreshCheckpoint(std::string id, std::optional<uint64_t> lifetime_ms);
  Task<Status> DeleteCheckpoint(std::string id);
  Task<Result<std::vector<CheckpointInfo>>> ListCheckpoints();

  const MergeOperator& merge_operator() const override { return options_.merge_operator; }
  TableStore& table_store() override { return *table_store_; }

 private:
  enum class WaitKind { kDurable, kL0Flushed, kSpace, kManifestSlot };
  struct Waiter {
    WaitKind kind;
    uint64_t seq;
    coro::coroutine_handle<> handle;
    Status* result;
  };
  class StateAwaiter;
  StateAwaiter WaitFor(WaitKind kind, uint64_t seq);

  // Whether a waiter of this kind/seq may proceed. REQUIRES: mu_ held.
  bool SatisfiedLocked(WaitKind kind, uint64_t seq) const;
  // Moves the waiters that may proceed (or all of them if closed) into `ready`.
  void CollectReadyLocked(std::vector<Waiter>* ready);
  static void Resume(std::vector<Waiter>& ready);

  int64_t TickLocked();
  // Rebuilds memtable_list_ after memtable_ or imms_ changed.
  void RefreshMemtableListLocked();
  uint64_t UnflushedBytesLocked() const;
  Status CheckOpenLocked() const;
  Status ApplyLocked(const WriteBatch& batch, WriteHandle* handle);
  // txn/db_txn.cc: ApplyLocked with the transaction bookkeeping around it (conflict check
  // for a commit, the write's keys recorded while transactions are open).
  Status ApplyTrackedLocked(const WriteBatch& batch, const TxnConflictSet* txn,
                            WriteHandle* handle);
  void EndTxnLocked(uint64_t txn_id);
  void AddTxnMetricsLocked(std::map<std::string, uint64_t>* metrics) const;
  // Makes `rows` (one batch, sequence `seq`) visible: memtable and WAL buffer.
  void AppendRowsLocked(const RowView* rows, size_t count, uint64_t seq);

  // db_flush.cc
  void CutWalBufferLocked();
  // Group commit: a writer now awaits durability of `seq`. Cuts the buffer early once it
  // holds as many durable waiters as the last interval-cut buffer did (see db_flush.cc).
  void NoteDurableWaiterLocked(uint64_t seq);
  void FreezeMemtableLocked();
  void MaybeScheduleWalTimerLocked();
  void ScheduleWalUploadsLocked();
  void ScheduleL0FlushesLocked();
  static Task<Status> WalUploadLoop(std::shared_ptr<DbImpl> self);
  static Task<Status> L0FlushLoop(std::shared_ptr<DbImpl> self);
  Task<Status> FlushImmutable(std::shared_ptr<ImmutableMemtable> imm);
  Result<EncodedSst> BuildWalObject(const WalBuffer& buffer) const;
  Result<EncodedSst> BuildL0(const ImmutableMemtable& imm, uint64_t retention_floor) const;
  // Applies `edit` to the latest manifest and stores it as the next version, re-reading
  // and re-applying on conflict. Closed(fenced) if a newer writer epoch appears. One
  // update of this process at a time (the manifest slot).
  // (A named std::function, not a lambda temporary, at call sites: see table_store.cc on
  // temporaries inside co_await.)
  using ManifestEdit = std::function<Status(Manifest&)>;
  Task<Status> UpdateManifest(const ManifestEdit& edit);
  Task<Status> UpdateManifestSlotHeld(const ManifestEdit& edit);
  // db_impl.cc: waits for, and releases, this process's one-at-a-time manifest slot.
  Task<Status> AcquireManifestSlot();
  void ReleaseManifestSlot();
  // Whether L0 is full and memtable flushes must wait for a compaction.
  bool L0FullLocked() const;

  // db_gc.cc
  // Registers an SST upload (L0 flush or compaction) in flight from now until the guard
  // goes: GC keeps every SST minted since, as it may be about to enter a manifest.
  class SstMintGuard {
   public:
    explicit SstMintGuard(DbImpl* db);
    ~SstMintGuard();
    SstMintGuard(const SstMintGuard&) = delete;
    SstMintGuard& operator=(const SstMintGuard&) = delete;

   private:
    DbImpl* db_;
    int64_t since_;
  };
  void ScheduleGcLocked();
  Task<Status> RunGc(std::optional<uint64_t> min_age_override_ms);

  // db_compaction.cc
  void ScheduleCompactionsLocked();
  static Task<Status> ClaimCompactorEpoch(std::shared_ptr<DbImpl> self);
  static Task<Status> CompactionTask(std::shared_ptr<DbImpl> self, CompactionSpec spec);
  // Publishes a finished compaction. Closed(fenced) if another compactor took over.
  Task<Status> CommitCompaction(const CompactionSpec& spec, std::vector<SstRef> outputs);
  void FinishCompaction(const CompactionSpec& spec, const Status& status);
  // db_compaction_requests.cc: Admin-submitted compactions (compactions/).
  void ScheduleRequestPollLocked();
  static Task<Status> PollCompactionRequests(std::shared_ptr<DbImpl> self);
  // Refreshes requests_state_ if compactions/ has a newer version.
  Task<Status> LoadRequestsIfChanged();
  // Records how a requested compaction ended; the next poll writes it to compactions/.
  void NoteRequestOutcomeLocked(const CompactionSpec& spec, const Status& status,
                                std::vector<std::string> output_ids, uint64_t bytes_read);
  // Fails the waiters of `kind` whose seq is in [min_seq, max_seq] with `status`.
  void FailWaitersLocked(WaitKind kind, uint64_t min_seq, uint64_t max_seq,
                         const Status& status, std::vector<Waiter>* ready);
  // Calls `schedule_locked` under the mutex after a pause, if the database still exists.
  void RetryLater(void (DbImpl::*schedule_locked)());
  // Runs `task` every `interval_ms` (counted from the end of the previous run) while the
  // database is open; 0 never. A failed run is simply followed by the next.
  using PeriodicTask = Task<Status> (*)(std::shared_ptr<DbImpl>);
  void SchedulePeriodicLocked(uint64_t interval_ms, PeriodicTask task);
  // Closes with `status` (fenced or a failure that cannot be retried); wakes everyone.
  void FailLocked(const Status& status, std::vector<Waiter>* ready);
  // Records why the database closed (first reason wins).
  void SetClosedLocked(const Status& status);

  // db_open.cc
  Task<Status> LoadOrCreateManifest();
  Task<Status> ClaimWriterEpoch();
  Task<Result<uint64_t>> PlantWalFence(uint64_t first_candidate);
  Task<Status> ReplayWal(uint64_t first_id, uint64_t fence_id);

  DbOptions options_;
  DbPaths paths_;
  StoreClient client_;
  ManifestStore manifest_store_;
  CompactionsStore compactions_store_;
  std::unique_ptr<TableStore> table_store_;

  mutable std::mutex mu_;
  Status closed_;       // OK while open; the reason every call fails once closed
  std::atomic<bool> closed_flag_{false};  // mirrors !closed_.ok()
  bool closing_ = false;
  uint64_t writer_epoch_ = 0;
  std::shared_ptr<const Manifest> manifest_;  // latest version we know
  std::shared_ptr<Memtable> memtable_;
  std::deque<std::shared_ptr<ImmutableMemtable>> imms_;  // oldest first
  std::shared_ptr<const MemtableList> memtable_list_;  // what reads see; see ReadView
  std::shared_ptr<WalBuffer> wal_buffer_;
  std::deque<std::shared_ptr<WalBuffer>> wal_queue_;  // cut, not yet durable; oldest first
  uint64_t next_wal_id_ = 1;
  uint64_t last_durable_wal_id_ = 0;
  uint64_t last_seq_ = 0;
  uint64_t durable_seq_ = 0;
  int64_t last_tick_ = kNoTimestamp;
  bool wal_timer_pending_ = false;
  // Durable writers the last buffer cut by the flush interval carried: how many concurrent
  // durable writers there are, as far as the writer can tell.
  uint32_t durable_group_estimate_ = 0;
  bool wal_upload_running_ = false;
  bool l0_flush_running_ = false;
  Status last_wal_error_;  // transient failure of the newest upload attempt
  bool manifest_busy_ = false;  // an UpdateManifest of this process is in progress
  // Compactor state. compactor_epoch_ is 0 until claimed.
  uint64_t compactor_epoch_ = 0;
  bool compactor_claiming_ = false;
  bool compactor_fenced_ = false;
  std::vector<CompactionSpec> running_compactions_;
  // Admin compaction requests: the newest compactions/ version read or written, whether a
  // poll is in progress, how many polls ran (every 12th re-lists), Submitted requests that
  // wait for the compactor's epoch claim, and outcomes not yet recorded.
  std::optional<CompactionsState> requests_state_;
  bool requests_polling_ = false;
  bool requests_repoll_ = false;
  uint64_t request_polls_ = 0;
  bool requests_waiting_ = false;
  struct RequestOutcome {
    std::string id;
    std::string status;  // Completed, Failed, or Submitted (run again)
    std::vector<std::string> output_ssts;
    uint64_t bytes_processed = 0;
    std::string error;  // why it failed
  };
  std::vector<RequestOutcome> request_outcomes_;
  std::multiset<uint64_t> snapshots_;  // read seqs of open snapshots and transactions
  TxnManager txns_;
  std::multiset<int64_t> sst_mints_;  // start ticks of SST uploads in flight (SstMintGuard)
  bool gc_running_ = false;
  std::vector<Waiter> waiters_;
  UlidGenerator ulids_;
  Random uuids_;  // checkpoint ids
  // Sequence-to-time samples (manifest/sequence_tracker.h) not yet in a frozen memtable.
  std::vector<std::pair<uint64_t, int64_t>> seq_samples_;
  int64_t last_seq_sample_ms_ = INT64_MIN;

  // Metrics (also readable without the mutex).
  std::atomic<uint64_t> metric_wal_flushes_{0};
  std::atomic<uint64_t> metric_l0_flushes_{0};
  std::atomic<uint64_t> metric_write_batches_{0};
  std::atomic<uint64_t> metric_write_ops_{0};
  std::atomic<uint64_t> metric_gets_{0};
  std::atomic<uint64_t> metric_scans_{0};
  std::atomic<uint64_t> metric_compactions_{0};
  std::atomic<uint64_t> metric_compaction_bytes_read_{0};
  std::atomic<uint64_t> metric_compaction_bytes_written_{0};
  std::atomic<uint64_t> metric_l0_flush_stalls_{0};
  std::atomic<uint64_t> metric_write_stalls_{0};
  std::atomic<uint64_t> metric_gc_runs_{0};
  std::atomic<uint64_t> metric_gc_deleted_manifests_{0};
  std::atomic<uint64_t> metric_gc_deleted_wals_{0};
  std::atomic<uint64_t> metric_gc_deleted_ssts_{0};
};

}  // namespace slatedb
