// SPDX-License-Identifier: Apache-2.0
//
// WalWriter: gets writes into the object store as WAL objects (group commit). It owns the
// WAL buffer (rows not yet cut), the queue of cut buffers waiting for upload, the next WAL
// id and the durable sequence number. A buffer is cut every flush_interval, when full, on
// Flush or with a memtable freeze, and uploaded as the next WAL object with
// create-if-absent, strictly in id order, one upload at a time (spec/engine.md §2.3).
//
// Failures: AlreadyExists means another writer fenced us (the database closes); a store
// failure (Unavailable) fails the durable writers waiting on that buffer, keeps the buffer
// and its id, and tries again later; anything else closes the database.
#pragma once

#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "db/db_core.h"
#include "format/row.h"
#include "format/sst_builder.h"
#include "memtable/memtable.h"

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
  std::string encoded;           // the WAL object, built once and reused by retries
};

class WalWriter {
 public:
  explicit WalWriter(DbCore* core) : core_(core) {}

  // Called under the mutex each time an upload made more rows durable.
  void set_on_durable(std::function<void()> on_durable_locked) {
    on_durable_locked_ = std::move(on_durable_locked);
  }

  // After recovery: the fence planted at `fence_id` is the last WAL object; everything up to
  // `durable_seq` came from the store.
  void RecoveredLocked(uint64_t fence_id, uint64_t durable_seq) REQUIRES(kDbMutex);

  // Appends one batch's rows (stored in `memtable`) to the buffer.
  void BeginBatchLocked(const std::shared_ptr<Memtable>& memtable) REQUIRES(kDbMutex) {
    if (!buffer_) buffer_ = std::make_shared<WalBuffer>();
    if (!buffer_->memtable) buffer_->memtable = memtable;
  }
  void AddLocked(const RowView& stored) REQUIRES(kDbMutex) {
    buffer_->rows.push_back(stored);
    buffer_->bytes += stored.key.size() + stored.value.size() + 24;
  }
  void EndBatchLocked(uint64_t seq) REQUIRES(kDbMutex) { buffer_->last_seq = seq; }
  uint64_t buffered_bytes() const REQUIRES(kDbMutex) { return buffer_ ? buffer_->bytes : 0; }

  // Cuts the buffer (if it holds rows) into the upload queue as the next WAL id.
  void CutLocked() REQUIRES(kDbMutex);
  // Cuts and starts the uploads.
  void CutAndUploadLocked() REQUIRES(kDbMutex) {
    CutLocked();
    ScheduleUploadsLocked();
  }
  // Starts the flush-interval timer unless it is running.
  void MaybeScheduleTimerLocked() REQUIRES(kDbMutex);
  // Starts the upload loop if buffers wait and it is not running.
  void ScheduleUploadsLocked() REQUIRES(kDbMutex);
  // Group commit: a writer now awaits durability of `seq` (see wal_writer.cc).
  void NoteDurableWaiterLocked(uint64_t seq) REQUIRES(kDbMutex);
  // Drops the queued buffers (the database failed).
  void DropQueueLocked() REQUIRES(kDbMutex) { queue_.clear(); }

  uint64_t durable_seq() const REQUIRES(kDbMutex) { return durable_seq_; }
  // The id of the newest cut buffer (every row written so far is in ids up to it once cut).
  uint64_t last_cut_id() const REQUIRES(kDbMutex) { return next_id_ - 1; }
  uint64_t last_durable_id() const REQUIRES(kDbMutex) { return last_durable_id_; }

  void AddMetrics(std::map<std::string, uint64_t>* metrics) const;
  // next_id, last_durable_id, buffered_bytes, uploads_queued (Db::StateJson).
  std::map<std::string, uint64_t> StateLocked() const REQUIRES(kDbMutex);

 private:
  Task<Status> UploadLoop();
  Result<EncodedSst> BuildObject(const WalBuffer& buffer) const;

  DbCore* const core_;
  std::function<void()> on_durable_locked_;
  std::shared_ptr<WalBuffer> buffer_ GUARDED_BY(kDbMutex);
  std::deque<std::shared_ptr<WalBuffer>> queue_ GUARDED_BY(kDbMutex);  // cut; oldest first
  uint64_t next_id_ GUARDED_BY(kDbMutex) = 1;
  uint64_t last_durable_id_ GUARDED_BY(kDbMutex) = 0;
  uint64_t durable_seq_ GUARDED_BY(kDbMutex) = 0;
  bool timer_pending_ GUARDED_BY(kDbMutex) = false;
  bool upload_running_ GUARDED_BY(kDbMutex) = false;
  // Durable writers the last buffer cut by the flush interval carried: how many concurrent
  // durable writers there are, as far as the writer can tell.
  uint32_t durable_group_estimate_ GUARDED_BY(kDbMutex) = 0;
  std::atomic<uint64_t> metric_flushes_{0};
};

}  // namespace slatedb
