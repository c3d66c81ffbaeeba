// SPDX-License-Identifier: Apache-2.0
//
// ReaderImpl: the engine behind DbReader (slatedb/reader.h). It holds one manifest version
// and the rows of the WAL objects after it, replayed into reader-local memtables, and
// serves reads through the writer's read path (read/read_view.h). A poll (timer or Refresh)
// loads the latest manifest; when the writer published new SSTs the reader moves to that
// version (managed mode: by adding a checkpoint of the latest version in one manifest CAS;
// the checkpoint of the version it read before goes in the next move, so what it reads is
// pinned at every moment, even when a move's answer is lost), drops replayed rows now in
// L0, and then reads the WAL objects written since.
//
// One mutex guards the state; it is never held across an await. Polls run one at a time.
#pragma once

#include <atomic>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "read/read_metrics.h"
#include "read/read_view.h"
#include "manifest/manifest.h"
#include "manifest/manifest_store.h"
#include "manifest/segment_set.h"
#include "slatedb/reader.h"
#include "sst/table_store.h"
#include "store/paths.h"
#include "store/store_client.h"
#include "util/mutex.h"
#include "util/random.h"

namespace slatedb {

class ReaderImpl : public ReadTarget, public std::enable_shared_from_this<ReaderImpl> {
 public:
  explicit ReaderImpl(ReaderOptions options);

  Task<Status> Open();
  Status CaptureReadView(ReadView* view) const;
  Task<Status> Refresh();
  Task<Status> Close();
  void Abandon();
  std::optional<std::string> checkpoint_id() const;
  std::vector<std::string> Segments() const;
  uint64_t durable_seq() const;
  // DbReader::Metrics: the read metrics a Db reports (read/read_metrics.h).
  std::map<std::string, uint64_t> Metrics() const;
  ReadRequestCounters& read_requests() { return read_requests_; }

  TableStore& table_store() override { return *table_store_; }
  const MergeOperator& merge_operator() const override { return options_.merge_operator; }
  bool closed() const override { return closed_flag_.load(std::memory_order_acquire); }
  Status status() const override;
  std::shared_ptr<const Manifest> CurrentManifest() const override;

 private:
  // Reads WAL objects from next_wal_id_ on, up to `last` if given, until one is missing.
  Task<Status> TailWal(std::optional<uint64_t> last);
  // One poll: newer manifest (and checkpoint), then new WAL objects.
  Task<Status> Poll();
  // Managed mode: stores the latest version with our checkpoint replaced by a new one.
  Task<Result<Manifest>> MoveCheckpoint();
  // Managed mode: deletes the retired checkpoints (a poll with no move due).
  Task<Status> RemoveRetiredCheckpoints();
  // Switches to version `m`: rows at or below its last_l0_seq leave the memtables.
  void AdoptLocked(Manifest m) REQUIRES(mu_);
  // AdoptLocked after the open-time segment extractor check (segment_set.h).
  Status AdoptCheckedLocked(Manifest m) REQUIRES(mu_);
  // The segment prefixes of a WAL object's rows, by the extractor.
  Result<std::vector<std::string>> WalSegments(const std::string& bytes) const;
  void AddRowLocked(const RowView& row) REQUIRES(mu_);
  void PublishMemtablesLocked() REQUIRES(mu_);
  void SchedulePollLocked() REQUIRES(mu_);

  ReaderOptions options_;
  DbPaths paths_;
  StoreClient client_;
  ManifestStore manifest_store_;
  std::unique_ptr<TableStore> table_store_;
  ReadRequestCounters read_requests_;

  mutable Mutex mu_;
  Status closed_ GUARDED_BY(mu_);
  std::atomic<bool> closed_flag_{false};
  Random uuids_ GUARDED_BY(mu_);
  std::shared_ptr<const Manifest> manifest_ GUARDED_BY(mu_);
  std::vector<std::shared_ptr<Memtable>> tables_
      GUARDED_BY(mu_);  // oldest first; the last one is filled
  std::shared_ptr<const MemtableList> memtable_list_
      GUARDED_BY(mu_);                    // newest first, what reads see
  uint64_t max_seq_ GUARDED_BY(mu_) = 0;  // everything up to here is loaded
  int64_t last_tick_ GUARDED_BY(mu_) = kNoTimestamp;
  uint64_t next_wal_id_ GUARDED_BY(mu_) = 1;
  std::optional<std::string> checkpoint_id_ GUARDED_BY(mu_);
  // The manifest's segments and those of WAL rows in memory (with an extractor).
  SegmentSet segments_ GUARDED_BY(mu_){options_.segment_extractor};
  // Managed checkpoints of ours that no longer pin what we read (or may never have landed):
  // the next move or Close removes them (MoveCheckpoint).
  std::vector<std::string> retired_checkpoints_ GUARDED_BY(mu_);
  int64_t checkpoint_written_ms_ GUARDED_BY(mu_) = 0;
  bool poll_running_ GUARDED_BY(mu_) = false;
};

}  // namespace slatedb
