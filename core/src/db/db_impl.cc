// SPDX-License-Identifier: Apache-2.0
//
// DbImpl state, the write path, waiting, snapshots and close. See db_impl.h for the
// overall shape.
#include "db/db_impl.h"

#include <algorithm>

#include <nlohmann/json.hpp>
#include <unordered_map>

#include "util/async.h"

namespace slatedb {

class DbImpl::StateAwaiter {
 public:
  StateAwaiter(DbImpl* db, WaitKind kind, uint64_t seq) : db_(db), kind_(kind), seq_(seq) {}
  bool await_ready() const noexcept { return false; }
  bool await_suspend(coro::coroutine_handle<> h) {
    std::lock_guard<std::mutex> lock(db_->mu_);
    if (!db_->closed_.ok()) {
      result_ = db_->closed_;
      return false;
    }
    if (db_->SatisfiedLocked(kind_, seq_)) return false;
    db_->waiters_.push_back(Waiter{kind_, seq_, h, &result_});
    if (kind_ == WaitKind::kDurable) db_->NoteDurableWaiterLocked(seq_);
    return true;
  }
  Status await_resume() { return result_; }

 private:
  DbImpl* db_;
  WaitKind kind_;
  uint64_t seq_;
  Status result_;
};

DbImpl::DbImpl(DbOptions options)
    : options_(std::move(options)),
      paths_(options_.path),
      client_(options_.object_store, options_.executor, options_.clock,
              RetryPolicy::FromSettings(options_.settings),
              RetrySeed(options_.clock->NowMillis(), options_.path)),
      manifest_store_(&client_, paths_),
      compactions_store_(&client_, paths_),
      table_store_(std::make_unique<TableStore>(
          &client_, paths_, std::make_shared<BlockCache>(options_.settings.block_cache_bytes))),
      memtable_(std::make_shared<Memtable>()),
      ulids_(static_cast<uint64_t>(options_.clock->NowMillis()) ^
             reinterpret_cast<uintptr_t>(this)),
      uuids_(static_cast<uint64_t>(options_.clock->NowMillis()) * 0x2545F4914F6CDD1Dull ^
             reinterpret_cast<uintptr_t>(this)) {
  RefreshMemtableListLocked();
}

DbImpl::~DbImpl() = default;

void DbImpl::RefreshMemtableListLocked() {
  auto list = std::make_shared<MemtableList>();
  list->reserve(1 + imms_.size());
  list->push_back(memtable_);
  for (auto it = imms_.rbegin(); it != imms_.rend(); ++it) list->push_back((*it)->memtable);
  memtable_list_ = std::move(list);
}

DbImpl::StateAwaiter DbImpl::WaitFor(WaitKind kind, uint64_t seq) {
  return StateAwaiter(this, kind, seq);
}

bool DbImpl::SatisfiedLocked(WaitKind kind, uint64_t seq) const {
  switch (kind) {
    case WaitKind::kDurable:
      return durable_seq_ >= seq;
    case WaitKind::kL0Flushed:
      return imms_.empty() || imms_.front()->last_seq > seq;
    case WaitKind::kSpace:
      return imms_.empty() || UnflushedBytesLocked() < options_.settings.max_unflushed_bytes;
    case WaitKind::kManifestSlot:
      return !manifest_busy_;
  }
  return false;
}

void DbImpl::CollectReadyLocked(std::vector<Waiter>* ready) {
  size_t kept = 0;
  for (Waiter& w : waiters_) {
    if (!closed_.ok()) {
      *w.result = closed_;
      ready->push_back(w);
    } else if (SatisfiedLocked(w.kind, w.seq)) {
      ready->push_back(w);
    } else {
      waiters_[kept++] = w;
    }
  }
  waiters_.resize(kept);
}

void DbImpl::Resume(std::vector<Waiter>& ready) {
  for (Waiter& w : ready) w.handle.resume();
  ready.clear();
}

void DbImpl::SetClosedLocked(const Status& status) {
  if (!closed_.ok()) return;
  closed_ = status;
  closed_flag_.store(true, std::memory_order_release);
}

void DbImpl::FailLocked(const Status& status, std::vector<Waiter>* ready) {
  SetClosedLocked(status);
  wal_queue_.clear();
  CollectReadyLocked(ready);
}

int64_t DbImpl::TickLocked() {
  int64_t now = options_.clock->NowMillis();
  if (now < last_tick_) now = last_tick_;  // the engine's clock never goes backwards
  last_tick_ = now;
  return now;
}

uint64_t DbImpl::UnflushedBytesLocked() const {
  uint64_t total = memtable_->estimated_bytes();
  for (const auto& imm : imms_) total += imm->memtable->estimated_bytes();
  return total;
}

Status DbImpl::CheckOpenLocked() const { return closed_; }

Status DbImpl::status() const {
  std::lock_guard<std::mutex> lock(mu_);
  return closed_;
}

namespace {

// Expiry for a put/merge: per-op TTL, else the default; none: never. A row is visible while
// now < expire_ts, so a TTL of 0 (expire_ts = now) is never visible, as upstream.
int64_t ExpireAt(int64_t now, std::optional<uint64_t> ttl_ms, std::optional<uint64_t> fallback) {
  std::optional<uint64_t> ttl = ttl_ms ? ttl_ms : fallback;
  if (!ttl) return kNoTimestamp;
  if (*ttl > static_cast<uint64_t>(INT64_MAX - now)) return kNoTimestamp;  // kNoExpiry, overflow
  return now + static_cast<int64_t>(*ttl);
}

// The ops of a batch without merges that take effect: the last put or delete of each key, in
// key order. Batches are usually already in order without repeats, which costs one pass.
std::vector<const WriteBatch::Op*> LastOpPerKey(const WriteBatch& batch) {
  std::vector<const WriteBatch::Op*> ops;
  ops.reserve(batch.size());
  for (const WriteBatch::Op& op : batch.ops()) ops.push_back(&op);
  auto key_less = [](const WriteBatch::Op* a, const WriteBatch::Op* b) { return a->key < b->key; };
  bool strictly_ordered = true;
  for (size_t i = 1; i < ops.size() && strictly_ordered; ++i) {
    strictly_ordered = key_less(ops[i - 1], ops[i]);
  }
  if (strictly_ordered) return ops;
  std::stable_sort(ops.begin(), ops.end(), key_less);  // equal keys keep batch order
  size_t kept = 0;
  for (size_t i = 0; i < ops.size(); ++i) {
    if (i + 1 < ops.size() && ops[i + 1]->key == ops[i]->key) continue;  // a later op wins
    ops[kept++] = ops[i];
  }
  ops.resize(kept);
  return ops;
}

bool HasMerges(const WriteBatch& batch) {
  for (const WriteBatch::Op& op : batch.ops()) {
    if (op.type == WriteBatch::OpType::kMerge) return true;
  }
  return false;
}

// One key's effect within a batch: the last put/delete and the merges after it.
struct KeyOps {
  const WriteBatch::Op* base = nullptr;
  std::vector<const WriteBatch::Op*> merges;
};

}  // namespace

Status DbImpl::ApplyLocked(const WriteBatch& batch, WriteHandle* handle) {
  const int64_t now = TickLocked();
  const uint64_t seq = last_seq_ + 1;
  const std::optional<uint64_t>& default_ttl = options_.settings.default_ttl_ms;

  // Collapse the batch to one row per key (all rows share the batch's seq).
  std::vector<Row> rows;
  auto row_for = [&](const std::string& key, const KeyOps& ops) -> Status {
    Row row;
    row.key = key;
    row.seq = seq;
    row.create_ts = now;
    if (ops.merges.empty()) {
      if (ops.base->type == WriteBatch::OpType::kDelete) {
        row.kind = RowKind::kTombstone;
      } else {
        row.kind = RowKind::kValue;
        row.value = ops.base->value;
        row.expire_ts = ExpireAt(now, ops.base->ttl_ms, default_ttl);
      }
      rows.push_back(std::move(row));
      return Status::Ok();
    }
    const MergeOperator& merge = options_.merge_operator;
    if (!merge) return Status::Invalid("merge needs a merge operator configured at open");
    int64_t expire = ExpireAt(now, ops.merges[0]->ttl_ms, default_ttl);
    std::optional<std::string> acc;
    size_t first = 0;
    if (ops.base != nullptr) {
      if (ops.base->type == WriteBatch::OpType::kPut) {
        if (ExpireAt(now, ops.base->ttl_ms, default_ttl) != expire) {
          return Status::Invalid("incompatible merge TTLs in one batch for a key");
        }
        acc = ops.base->value;
      }
    } else {
      acc = ops.merges[0]->value;
      first = 1;
    }
    for (size_t i = first; i < ops.merges.size(); ++i) {
      if (ExpireAt(now, ops.merges[i]->ttl_ms, default_ttl) != expire) {
        return Status::Invalid("incompatible merge TTLs in one batch for a key");
      }
      std::optional<std::string_view> existing;
      if (acc) existing = std::string_view(*acc);
      Result<std::string> merged = merge(key, existing, ops.merges[i]->value);
      if (!merged.ok()) return merged.status().WithContext("merge operator");
      acc = std::move(*merged);
    }
    row.kind = ops.base != nullptr ? RowKind::kValue : RowKind::kMerge;
    row.value = std::move(*acc);
    row.expire_ts = expire;
    rows.push_back(std::move(row));
    return Status::Ok();
  };

  if (batch.size() == 1 && batch.ops()[0].type != WriteBatch::OpType::kMerge) {
    // The common case, a single put or delete: no intermediate row copies.
    const WriteBatch::Op& op = batch.ops()[0];
    RowView row;
    row.key = op.key;
    row.seq = seq;
    row.create_ts = now;
    if (op.type == WriteBatch::OpType::kDelete) {
      row.kind = RowKind::kTombstone;
    } else {
      row.kind = RowKind::kValue;
      row.value = op.value;
      row.expire_ts = ExpireAt(now, op.ttl_ms, default_ttl);
    }
    AppendRowsLocked(&row, 1, seq);
  } else if (!HasMerges(batch)) {
    // Puts and deletes only: rows view the batch's own bytes, no intermediate copies.
    std::vector<const WriteBatch::Op*> ops = LastOpPerKey(batch);
    std::vector<RowView> views(ops.size());
    for (size_t i = 0; i < ops.size(); ++i) {
      RowView& row = views[i];
      row.key = ops[i]->key;
      row.seq = seq;
      row.create_ts = now;
      if (ops[i]->type == WriteBatch::OpType::kDelete) {
        row.kind = RowKind::kTombstone;
      } else {
        row.kind = RowKind::kValue;
        row.value = ops[i]->value;
        row.expire_ts = ExpireAt(now, ops[i]->ttl_ms, default_ttl);
      }
    }
    AppendRowsLocked(views.data(), views.size(), seq);
  } else if (batch.size() == 1) {
    const WriteBatch::Op& op = batch.ops()[0];
    KeyOps ops;
    if (op.type == WriteBatch::OpType::kMerge) {
      ops.merges.push_back(&op);
    } else {
      ops.base = &op;
    }
    SLATEDB_RETURN_IF_ERROR(row_for(op.key, ops));
  } else {
    std::vector<std::string_view> order;
    std::unordered_map<std::string_view, KeyOps> by_key;
    for (const WriteBatch::Op& op : batch.ops()) {
      auto [it, inserted] = by_key.try_emplace(op.key);
      if (inserted) order.push_back(op.key);
      if (op.type == WriteBatch::OpType::kMerge) {
        it->second.merges.push_back(&op);
      } else {
        it->second.base = &op;
        it->second.merges.clear();
      }
    }
    rows.reserve(order.size());
    for (std::string_view key : order) {
      SLATEDB_RETURN_IF_ERROR(row_for(std::string(key), by_key[key]));
    }
  }

  if (!rows.empty()) {
    std::vector<RowView> views;
    views.reserve(rows.size());
    for (const Row& row : rows) views.push_back(row.view());
    AppendRowsLocked(views.data(), views.size(), seq);
  }
  metric_write_batches_.fetch_add(1, std::memory_order_relaxed);
  metric_write_ops_.fetch_add(batch.size(), std::memory_order_relaxed);

  const uint64_t limit = options_.settings.l0_sst_size_bytes;
  if (memtable_->estimated_bytes() >= limit) {
    FreezeMemtableLocked();
  } else if (wal_buffer_->bytes >= limit) {
    CutWalBufferLocked();
    ScheduleWalUploadsLocked();
  } else {
    MaybeScheduleWalTimerLocked();
  }
  *handle = WriteHandle{seq, now};
  return Status::Ok();
}

void DbImpl::AppendRowsLocked(const RowView* rows, size_t count, uint64_t seq) {
  // Nothing can fail from here on: the batch becomes visible as a whole.
  last_seq_ = seq;
  if (!wal_buffer_) wal_buffer_ = std::make_shared<WalBuffer>();
  if (!wal_buffer_->memtable) wal_buffer_->memtable = memtable_;
  for (size_t i = 0; i < count; ++i) {
    RowView stored = memtable_->Add(rows[i]);
    wal_buffer_->rows.push_back(stored);
    wal_buffer_->bytes += stored.key.size() + stored.value.size() + 24;
  }
  wal_buffer_->last_seq = seq;
  if (last_seq_sample_ms_ == INT64_MIN ||
      last_tick_ - last_seq_sample_ms_ >= SequenceTracker::kSampleIntervalMs) {
    last_seq_sample_ms_ = last_tick_;
    seq_samples_.emplace_back(seq, last_tick_);
  }
}

std::optional<Result<WriteHandle>> DbImpl::TryApply(const WriteBatch& batch,
                                                    const TxnConflictSet* txn) {
  std::lock_guard<std::mutex> lock(mu_);
  if (!closed_.ok()) return Result<WriteHandle>(closed_);
  if (closing_) return Result<WriteHandle>(Status::Closed(CloseReason::kClean, "database is closing"));
  if (!SatisfiedLocked(WaitKind::kSpace, 0)) return std::nullopt;
  WriteHandle handle;
  Status s = ApplyTrackedLocked(batch, txn, &handle);
  if (!s.ok()) return Result<WriteHandle>(s);
  return Result<WriteHandle>(handle);
}

Task<Result<WriteHandle>> DbImpl::WriteAfterSpace(WriteBatch batch, WriteOptions options,
                                                  std::shared_ptr<const TxnConflictSet> txn) {
  auto self = shared_from_this();
  for (;;) {
    std::optional<Result<WriteHandle>> applied = TryApply(batch, txn.get());
    if (applied) {
      if (!applied->ok() || !options.await_durable) co_return std::move(*applied);
      co_return co_await AwaitDurable(applied->value());
    }
    metric_write_stalls_.fetch_add(1, std::memory_order_relaxed);
    Status waited = co_await WaitFor(WaitKind::kSpace, 0);
    if (!waited.ok()) co_return waited;
  }
}

Task<Result<WriteHandle>> DbImpl::AwaitDurable(WriteHandle handle) {
  auto self = shared_from_this();
  Status s = co_await WaitFor(WaitKind::kDurable, handle.seq);
  if (!s.ok()) co_return s;
  co_return handle;
}

Task<Status> DbImpl::AcquireManifestSlot() {
  for (;;) {
    {
      std::lock_guard<std::mutex> lock(mu_);
      if (!closed_.ok() && closed_.close_reason() != CloseReason::kClean) co_return closed_;
      if (!manifest_busy_) {
        manifest_busy_ = true;
        co_return Status::Ok();
      }
    }
    SLATEDB_CO_RETURN_IF_ERROR(co_await WaitFor(WaitKind::kManifestSlot, 0));
  }
}

void DbImpl::ReleaseManifestSlot() {
  std::vector<Waiter> ready;
  {
    std::lock_guard<std::mutex> lock(mu_);
    manifest_busy_ = false;
    CollectReadyLocked(&ready);
  }
  Resume(ready);
}

Result<uint64_t> DbImpl::AcquireSnapshot() {
  std::lock_guard<std::mutex> lock(mu_);
  SLATEDB_RETURN_IF_ERROR(CheckOpenLocked());
  snapshots_.insert(last_seq_);
  return last_seq_;
}

void DbImpl::ReleaseSnapshot(uint64_t seq) {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = snapshots_.find(seq);
  if (it != snapshots_.end()) snapshots_.erase(it);
}

Task<Status> DbImpl::Flush(FlushType type) {
  auto self = shared_from_this();
  uint64_t target;
  {
    std::lock_guard<std::mutex> lock(mu_);
    SLATEDB_CO_RETURN_IF_ERROR(CheckOpenLocked());
    target = last_seq_;
    if (type == FlushType::kMemTable) {
      FreezeMemtableLocked();
    } else {
      CutWalBufferLocked();
      ScheduleWalUploadsLocked();
    }
  }
  SLATEDB_CO_RETURN_IF_ERROR(co_await WaitFor(WaitKind::kDurable, target));
  if (type == FlushType::kMemTable) {
    SLATEDB_CO_RETURN_IF_ERROR(co_await WaitFor(WaitKind::kL0Flushed, target));
  }
  co_return Status::Ok();
}

Task<Status> DbImpl::Close() {
  auto self = shared_from_this();
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (!closed_.ok()) {
      if (closed_.close_reason() == CloseReason::kClean) co_return Status::Ok();
      co_return closed_;
    }
    closing_ = true;
  }
  Status flushed = co_await Flush(FlushType::kMemTable);
  std::vector<Waiter> ready;
  {
    std::lock_guard<std::mutex> lock(mu_);
    closing_ = false;
    if (!flushed.ok() && closed_.ok()) co_return flushed;  // still open: the caller may retry
    SetClosedLocked(Status::Closed(CloseReason::kClean, "database is closed"));
    CollectReadyLocked(&ready);
  }
  Resume(ready);
  if (closed_.close_reason() != CloseReason::kClean) co_return closed_;
  co_return Status::Ok();
}

void DbImpl::Abandon() {
  std::vector<Waiter> ready;
  {
    std::lock_guard<std::mutex> lock(mu_);
    SetClosedLocked(Status::Closed(CloseReason::kClean, "database handle dropped without close"));
    CollectReadyLocked(&ready);
  }
  Resume(ready);
}

std::map<std::string, uint64_t> DbImpl::Metrics() const {
  const StoreMetrics& s = client_.metrics();
  auto load = [](const std::atomic<uint64_t>& a) { return a.load(std::memory_order_relaxed); };
  std::map<std::string, uint64_t> m;
  m["db/write_batch_count"] = load(metric_write_batches_);
  m["db/write_ops"] = load(metric_write_ops_);
  m["db/get_requests"] = load(metric_gets_);
  m["db/scan_requests"] = load(metric_scans_);
  m["db/wal_flushes"] = load(metric_wal_flushes_);
  m["db/immutable_memtable_flushes"] = load(metric_l0_flushes_);
  m["db/l0_flush_stalls"] = load(metric_l0_flush_stalls_);
  m["db/write_stalls"] = load(metric_write_stalls_);
  m["compaction/completed"] = load(metric_compactions_);
  m["compaction/bytes_read"] = load(metric_compaction_bytes_read_);
  m["compaction/bytes_written"] = load(metric_compaction_bytes_written_);
  m["gc/runs"] = load(metric_gc_runs_);
  m["gc/deleted_manifests"] = load(metric_gc_deleted_manifests_);
  m["gc/deleted_wal_objects"] = load(metric_gc_deleted_wals_);
  m["gc/deleted_ssts"] = load(metric_gc_deleted_ssts_);
  m["object_store/get"] = load(s.get);
  m["object_store/get_range"] = load(s.get_range);
  m["object_store/head"] = load(s.head);
  m["object_store/put"] = load(s.put);
  m["object_store/list"] = load(s.list);
  m["object_store/delete"] = load(s.del);
  m["object_store/bytes_read"] = load(s.bytes_read);
  m["object_store/bytes_written"] = load(s.bytes_written);
  m["object_store/retries"] = load(client_.retry_stats().retries);
  m["object_store/failures"] = load(client_.retry_stats().exhausted);
  const BlockCache& cache = table_store_->cache();
  m["block_cache/hits"] = cache.hits();
  m["block_cache/misses"] = cache.misses();
  m["block_cache/used_bytes"] = cache.used_bytes();
  {
    std::lock_guard<std::mutex> lock(mu_);
    m["db/l0_sst_count"] = manifest_ ? manifest_->l0.size() : 0;
    m["db/sorted_run_count"] = manifest_ ? manifest_->sorted_runs.size() : 0;
    uint64_t ssts = 0;
    if (manifest_) {
      for (const SortedRun& run : manifest_->sorted_runs) ssts += run.ssts.size();
    }
    m["db/sorted_run_sst_count"] = ssts;
    m["db/immutable_memtables"] = imms_.size();
    m["db/unflushed_bytes"] = UnflushedBytesLocked();
    m["db/last_seq"] = last_seq_;
    m["db/durable_seq"] = durable_seq_;
    m["compaction/running"] = running_compactions_.size();
    AddTxnMetricsLocked(&m);
  }
  return m;
}

std::string DbImpl::MetricsJson() const {
  nlohmann::json j = nlohmann::json::object();
  for (const auto& [name, value] : Metrics()) j[name] = value;
  return j.dump();
}

}  // namespace slatedb
