// SPDX-License-Identifier: Apache-2.0
//
// DbImpl: the engine behind Db. It wires the components and holds the public entry points;
// each component owns its state and the *Locked methods on it:
//
//   DbCore          the one mutex, lifecycle, clock and sequence, ids, waiting tasks
//   WalWriter       WAL buffer, upload queue, durable seq (group commit)
//   L0Flusher       memtables (active, immutable) and their flushes to L0
//   ManifestWriter  the latest manifest, the writer epoch, serialized manifest updates
//   CompactorDriver compactor epoch, running compactions, Admin compaction requests
//   GcScheduler     periodic garbage collection and the in-flight SST registry
//   Snapshots       read seqs held by snapshots and transactions, conflict bookkeeping
//
// One mutex guards all of them (ARCHITECTURE.md §5), never held across an await: a task
// takes what it needs, releases, awaits the store, re-takes and re-checks. Reads capture a
// ReadView under it and then run in the read layer (read/) without it.
//
// Write path (db_write.cc): a batch gets the next sequence number under the mutex, goes into
// the active memtable and, as views of the memtable's copy, into the WAL buffer; a full
// memtable is frozen with a WAL cut. Files: db_open.cc (recovery), db_write.cc (writes,
// transactions' commit checks), db_read.cc (reads), db_impl.cc (wiring, flush, close,
// metrics), db_state.cc, db_checkpoint.cc.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "db/compactor_driver.h"
#include "db/compactor_host.h"
#include "db/db_core.h"
#include "db/gc_scheduler.h"
#include "db/l0_flusher.h"
#include "db/manifest_writer.h"
#include "db/snapshots.h"
#include "db/wal_writer.h"
#include "read/read_metrics.h"
#include "read/read_view.h"
#include "slatedb/db.h"
#include "txn/txn_manager.h"

namespace slatedb {

class DbImpl final : public ReadTarget,
                     public std::enable_shared_from_this<DbImpl>,
                     private WaitConditions,
                     private CompactorHost {
 public:
  explicit DbImpl(DbOptions options);
  ~DbImpl() override;

  // db_open.cc
  Task<Status> Open();

  // Writes (db_write.cc). TryApply applies the batch if no backpressure applies (the usual
  // case) and returns nullopt if the caller must wait for space first. With `txn` (a
  // transaction's commit) the batch is first checked for conflicts in the same critical
  // section, and the transaction ends there whatever the outcome.
  // `seqnum`: the caller's sequence number for the batch (WriteOptions::seqnum), 0: next.
  std::optional<Result<WriteHandle>> TryApply(const WriteBatch& batch,
                                              const TxnConflictSet* txn = nullptr,
                                              uint64_t seqnum = 0);
  Task<Result<WriteHandle>> WriteAfterSpace(WriteBatch batch, WriteOptions options,
                                            std::shared_ptr<const TxnConflictSet> txn = nullptr);
  Task<Result<WriteHandle>> AwaitDurable(WriteHandle handle);

  // Reads (db_read.cc).
  Status CaptureReadView(const ReadOptions& options, std::optional<uint64_t> snapshot_seq,
                         ReadView* view);
  bool TryGet(const ReadView& view, std::string_view key, Result<std::optional<std::string>>* out);
  // Counts one of the database's own point reads in db/get_requests (Db::Get, TryGet and
  // GetKeyValue call it; a snapshot's or a transaction's reads are not counted).
  void CountGet() { read_requests_.CountGet(); }
  // Counts a caller's flush request in db/flush_requests (not the engine's own flushes).
  void CountFlushRequest() { metric_flush_requests_.fetch_add(1, std::memory_order_relaxed); }
  Task<Result<std::optional<std::string>>> Get(std::string key, ReadOptions options,
                                               std::optional<uint64_t> snapshot_seq);
  // GetKeyValue at `snapshot_seq` (or now).
  Task<Result<std::optional<KeyValueRow>>> GetKeyValue(std::string key, ReadOptions options,
                                                       std::optional<uint64_t> snapshot_seq);
  Task<Result<std::vector<std::optional<std::string>>>> MultiGet(
      std::vector<std::string> keys, ReadOptions options, std::optional<uint64_t> snapshot_seq);
  Task<Result<std::unique_ptr<DbIterator>>> Scan(std::string start, std::string end,
                                                 ScanOptions options,
                                                 std::optional<uint64_t> snapshot_seq);

  Result<uint64_t> AcquireSnapshot();
  void ReleaseSnapshot(uint64_t seq);

  // Transactions (db_write.cc). A transaction registers with Snapshots and holds its read
  // seq (which keeps the versions it reads from flushes and compaction). BeginTxn returns
  // {txn id, read seq}. EndTxn is idempotent. CheckTxn is the commit of a transaction with
  // nothing to write: the conflict check alone; it ends the transaction.
  Result<std::pair<uint64_t, uint64_t>> BeginTxn();
  void EndTxn(uint64_t txn_id);
  Status CheckTxn(const TxnConflictSet& txn);

  Task<Status> Flush(FlushType type);
  // Closes after a final flush of `flush` (nullopt: none).
  Task<Status> Close(std::optional<FlushType> flush);
  void Abandon();
  // Waits until `seq` is durable (Db::AwaitDurable).
  Task<Status> AwaitDurableSeq(uint64_t seq);
  uint64_t durable_seq() const;  // the Db handle was dropped without Close
  std::vector<std::string> Segments() const;
  Status status() const override { return core_.status(); }
  bool closed() const override { return core_.closed(); }
  std::map<std::string, uint64_t> Metrics() const;
  std::string MetricsJson() const;
  // db_state.cc
  std::string StateJson() const;
  const Settings& settings() const { return core_.settings(); }
  bool hides_expired_on_read() const { return core_.options.hide_expired_on_read; }
  Task<Status> RunGcOnce(std::optional<uint64_t> min_age_ms);

  // db_checkpoint.cc
  Task<Result<CheckpointCreateResult>> CreateCheckpoint(CheckpointOptions options);
  Task<Status> RefreshCheckpoint(std::string id, std::optional<uint64_t> lifetime_ms);
  Task<Status> DeleteCheckpoint(std::string id);
  Task<Result<std::vector<CheckpointInfo>>> ListCheckpoints();

  const MergeOperator& merge_operator() const override { return core_.options.merge_operator; }
  TableStore& table_store() override { return *core_.table_store; }
  std::shared_ptr<const Manifest> CurrentManifest() const override;

 private:
  // WaitConditions: each kind is answered by the component that owns the fact.
  bool SatisfiedLocked(WaitKind kind, uint64_t seq) const override REQUIRES(kDbMutex);
  void NoteWaiterLocked(WaitKind kind, uint64_t seq) override REQUIRES(kDbMutex);

  // CompactorHost: the in-process compactor commits through ManifestWriter, keeps what
  // this process's snapshots read, and wakes L0 flushes.
  std::shared_ptr<const Manifest> ManifestLocked() const override REQUIRES(kDbMutex) {
    return manifest_.manifest();
  }
  Task<Status> UpdateManifest(const ManifestEdit& edit) override { return manifest_.Update(edit); }
  std::optional<uint64_t> OldestReadSeqLocked() const override REQUIRES(kDbMutex) {
    return snapshots_.OldestLocked();
  }
  void OnCompactedLocked() override REQUIRES(kDbMutex) { flusher_.ScheduleLocked(); }
  void OnFencedLocked() override REQUIRES(kDbMutex) { flusher_.ScheduleLocked(); }

  // Every manifest_poll_interval_ms while compaction runs in another process (this one's
  // compactor is off or fenced): adopts that compactor's results, so reads see them and
  // flushes waiting for L0 room proceed (db_impl.cc).
  Task<Status> PollManifest();

  // db_write.cc
  Status ApplyLocked(const WriteBatch& batch, uint64_t seqnum, WriteHandle* handle)
      REQUIRES(kDbMutex);
  // Makes `rows` (one batch, sequence `seq`) visible: memtable and WAL buffer.
  void AppendRowsLocked(const RowView* rows, size_t count, uint64_t seq) REQUIRES(kDbMutex);

  // db_open.cc
  Task<Result<uint64_t>> PlantWalFence(uint64_t first_candidate);
  // Replays WAL objects [first_id, fence_id); `listed_sizes` holds the sizes the WAL
  // listing gave by id (objects missing from it are read all the same).
  Task<Status> ReplayWal(uint64_t first_id, uint64_t fence_id,
                         std::map<uint64_t, uint64_t> listed_sizes);

  DbCore core_;
  Snapshots snapshots_;
  WalWriter wal_;
  ManifestWriter manifest_;
  GcScheduler gc_;
  L0Flusher flusher_;
  CompactorDriver compactor_;
  uint64_t manifest_polls_ GUARDED_BY(kDbMutex) = 0;  // every 10th re-lists
  // Sequence numbers taken by transaction commits that failed with a conflict since the last
  // applied write: the next write skips them, as upstream's numbering does. Skipping at the
  // next write, not at the failure, keeps last_seq a written number (what Flush and durable
  // writes wait for).
  uint64_t conflict_skipped_seqs_ GUARDED_BY(kDbMutex) = 0;

  // Metrics of the entry points (the components count their own).
  std::atomic<uint64_t> metric_write_batches_{0};
  std::atomic<uint64_t> metric_write_ops_{0};
  std::atomic<uint64_t> metric_flush_requests_{0};
  ReadRequestCounters read_requests_;  // db/get_requests, db/scan_requests
  std::atomic<uint64_t> metric_write_stalls_{0};
  std::atomic<uint64_t> metric_write_stall_ms_{0};
};

}  // namespace slatedb
