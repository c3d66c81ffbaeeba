// SPDX-License-Identifier: Apache-2.0
//
// Getting writes into the object store: WAL uploads (group commit), memtable freezes,
// L0 flushes and the manifest updates that publish them.
//
// Ordering rules (spec/engine.md §2.3-2.4): WAL objects are uploaded one at a time in id
// order; an immutable memtable is flushed only once the WAL covering it is durable; L0s
// are published oldest first, so last_l0_seq only grows and replay never skips data.
#include <algorithm>

#include "db/db_impl.h"
#include "util/async.h"

namespace slatedb {

namespace {
// Retry delay after an upload failed even after the store client's own retries.
constexpr uint64_t kBackgroundRetryMs = 1000;
// L0 SSTs are encoded on the write path and are short-lived (compaction rewrites them at the
// builder's default level, 3). zstd level 1 costs about 60% of level 3's CPU per 4 KiB block
// with a ratio within 1% of it on key-value rows; compression was the largest single CPU
// cost of a bulk load on two cores.
constexpr int kL0ZstdLevel = 1;
// Fewest concurrent durable writers for which group commit cuts a WAL buffer before the
// flush interval (see NoteDurableWaiterLocked).
constexpr uint32_t kMinDurableGroup = 8;
}  // namespace

void DbImpl::RetryLater(void (DbImpl::*schedule_locked)()) {
  std::weak_ptr<DbImpl> weak = weak_from_this();
  options_.executor->PostAfter(kBackgroundRetryMs, [weak, schedule_locked]() {
    if (auto db = weak.lock()) {
      std::lock_guard<std::mutex> lock(db->mu_);
      (db.get()->*schedule_locked)();
    }
  });
}

void DbImpl::SchedulePeriodicLocked(uint64_t interval_ms, PeriodicTask task) {
  if (interval_ms == 0) return;
  std::weak_ptr<DbImpl> weak = weak_from_this();
  options_.executor->PostAfter(interval_ms, [weak, interval_ms, task]() {
    std::shared_ptr<DbImpl> self = weak.lock();
    if (!self) return;
    {
      std::lock_guard<std::mutex> lock(self->mu_);
      if (!self->closed_.ok()) return;
    }
    Spawn(task(self), [weak, interval_ms, task](Status) {
      if (auto db = weak.lock()) {
        std::lock_guard<std::mutex> lock(db->mu_);
        if (db->closed_.ok()) db->SchedulePeriodicLocked(interval_ms, task);
      }
    });
  });
}

void DbImpl::FailWaitersLocked(WaitKind kind, uint64_t min_seq, uint64_t max_seq,
                               const Status& status, std::vector<Waiter>* ready) {
  size_t kept = 0;
  for (Waiter& w : waiters_) {
    if (w.kind == kind && w.seq >= min_seq && w.seq <= max_seq) {
      *w.result = status;
      ready->push_back(w);
    } else {
      waiters_[kept++] = w;
    }
  }
  waiters_.resize(kept);
}

void DbImpl::CutWalBufferLocked() {
  if (!wal_buffer_ || wal_buffer_->rows.empty()) return;
  wal_buffer_->id = next_wal_id_++;
  wal_queue_.push_back(std::move(wal_buffer_));
  wal_buffer_.reset();
}

// Group commit. A buffer is normally cut by the flush interval, so with N concurrent durable
// writers each WAL object carries about N puts and a writer waits up to one interval. Once an
// interval cut has shown how many durable writers there are, a buffer that already holds that
// many is cut at once: nobody else is coming, waiting longer adds only latency, and each object
// still carries as many puts as before, so requests per put do not rise. Below
// kMinDurableGroup writers the interval alone decides, which keeps a lone or a few writers at
// the interval's request rate.

void DbImpl::NoteDurableWaiterLocked(uint64_t seq) {
  if (!wal_buffer_ || wal_buffer_->rows.empty() || seq < wal_buffer_->rows.front().seq ||
      seq > wal_buffer_->last_seq) {
    return;  // its rows were cut already
  }
  ++wal_buffer_->durable_waiters;
  if (durable_group_estimate_ >= kMinDurableGroup &&
      wal_buffer_->durable_waiters >= durable_group_estimate_) {
    CutWalBufferLocked();
    ScheduleWalUploadsLocked();
  }
}

void DbImpl::FreezeMemtableLocked() {
  if (memtable_->empty()) {
    CutWalBufferLocked();
    ScheduleWalUploadsLocked();
    return;
  }
  CutWalBufferLocked();
  auto imm = std::make_shared<ImmutableMemtable>();
  imm->memtable = std::move(memtable_);
  imm->last_seq = last_seq_;
  imm->wal_id = next_wal_id_ - 1;
  imm->last_tick = last_tick_;
  imm->seq_samples = std::move(seq_samples_);
  seq_samples_.clear();
  imms_.push_back(std::move(imm));
  memtable_ = std::make_shared<Memtable>();
  RefreshMemtableListLocked();
  ScheduleWalUploadsLocked();
  ScheduleL0FlushesLocked();
}

void DbImpl::MaybeScheduleWalTimerLocked() {
  uint64_t interval = options_.settings.flush_interval_ms;
  if (wal_timer_pending_ || interval == 0) return;
  wal_timer_pending_ = true;
  std::weak_ptr<DbImpl> weak = weak_from_this();
  options_.executor->PostAfter(interval, [weak]() {
    std::shared_ptr<DbImpl> self = weak.lock();
    if (!self) return;
    std::lock_guard<std::mutex> lock(self->mu_);
    self->wal_timer_pending_ = false;
    if (!self->closed_.ok()) return;
    if (self->wal_buffer_ && !self->wal_buffer_->rows.empty()) {
      self->durable_group_estimate_ = self->wal_buffer_->durable_waiters;
    }
    self->CutWalBufferLocked();
    self->ScheduleWalUploadsLocked();
  });
}

void DbImpl::ScheduleWalUploadsLocked() {
  if (wal_upload_running_ || wal_queue_.empty() || !closed_.ok()) return;
  wal_upload_running_ = true;
  std::shared_ptr<DbImpl> self = shared_from_this();
  // Never upload on the writer's thread: a put must not pay for the PUT.
  options_.executor->Post([self]() { Spawn(WalUploadLoop(self), [](Status) {}); });
}

void DbImpl::ScheduleL0FlushesLocked() {
  if (l0_flush_running_ || imms_.empty() || !closed_.ok()) return;
  if (durable_seq_ < imms_.front()->last_seq) return;  // the WAL upload loop calls again
  if (L0FullLocked()) {  // a compaction commit calls again
    metric_l0_flush_stalls_.fetch_add(1, std::memory_order_relaxed);
    ScheduleCompactionsLocked();  // in case none runs (see L0FlushLoop)
    return;
  }
  l0_flush_running_ = true;
  std::shared_ptr<DbImpl> self = shared_from_this();
  options_.executor->Post([self]() { Spawn(L0FlushLoop(self), [](Status) {}); });
}

Result<EncodedSst> DbImpl::BuildWalObject(const WalBuffer& buffer) const {
  SstBuilderOptions options;
  options.type = SstType::kWal;
  options.block_size_bytes = options_.settings.block_size_bytes;
  // Uncompressed: a WAL object lives only until its rows reach L0, and object stores price
  // it per request, not per byte, so compressing it saved little for real CPU on every write.
  options.compression = CompressionCodec::kNone;
  options.bloom_bits_per_key = 0;
  SstBuilder builder(options);
  for (const RowView& row : buffer.rows) builder.Add(row);
  return builder.Finish();
}

Task<Status> DbImpl::WalUploadLoop(std::shared_ptr<DbImpl> self) {
  for (;;) {
    std::shared_ptr<WalBuffer> buffer;
    {
      std::lock_guard<std::mutex> lock(self->mu_);
      if (self->wal_queue_.empty() || !self->closed_.ok()) {
        self->wal_upload_running_ = false;
        co_return Status::Ok();
      }
      buffer = self->wal_queue_.front();
    }
    Status put_status;
    if (buffer->encoded.empty()) {
      Result<EncodedSst> encoded = self->BuildWalObject(*buffer);
      put_status = encoded.status();
      if (encoded.ok()) buffer->encoded = std::move(encoded->data);
    }
    if (put_status.ok()) {
      std::string key = self->paths_.Wal(buffer->id);
      ObjectPutOptions create;
      create.mode = PutMode::kCreateIfAbsent;
      // Final: the store client retried, and an AlreadyExists left by an earlier upload of
      // these very bytes (its answer lost) has been read back and reported as success.
      Result<ObjectMeta> put = co_await self->client_.Put(key, buffer->encoded, create);
      put_status = put.status();
    }
    std::vector<Waiter> ready;
    bool retry_later = false;
    {
      std::lock_guard<std::mutex> lock(self->mu_);
      if (put_status.ok()) {
        // A failure elsewhere (FailLocked) may have emptied the queue while we awaited.
        if (!self->wal_queue_.empty() && self->wal_queue_.front() == buffer) {
          self->wal_queue_.pop_front();
        }
        self->durable_seq_ = std::max(self->durable_seq_, buffer->last_seq);
        self->last_durable_wal_id_ = buffer->id;
        self->metric_wal_flushes_.fetch_add(1, std::memory_order_relaxed);
        self->CollectReadyLocked(&ready);
        self->ScheduleL0FlushesLocked();
      } else if (put_status.IsAlreadyExists()) {
        self->FailLocked(Status::Closed(CloseReason::kFenced,
                                        "another writer owns the database (WAL " +
                                            std::to_string(buffer->id) + " exists)"),
                         &ready);
      } else if (put_status.IsUnavailable()) {
        // Keep the buffer (and its id) for the next attempt; tell the waiters now.
        self->FailWaitersLocked(WaitKind::kDurable, 0, buffer->last_seq,
                                put_status.WithContext("WAL upload failed"), &ready);
        self->wal_upload_running_ = false;
        retry_later = true;
      } else {
        self->FailLocked(Status::Closed(CloseReason::kBackgroundError,
                                        "WAL upload failed: " + put_status.ToString()),
                         &ready);
      }
    }
    Resume(ready);
    if (retry_later) {
      self->RetryLater(&DbImpl::ScheduleWalUploadsLocked);
      co_return put_status;
    }
    if (!put_status.ok()) co_return put_status;
  }
}

Result<EncodedSst> DbImpl::BuildL0(const ImmutableMemtable& imm, uint64_t retention_floor) const {
  SstBuilderOptions options;
  options.type = SstType::kCompacted;
  options.block_size_bytes = options_.settings.block_size_bytes;
  options.compression = options_.settings.compression;
  options.zstd_level = kL0ZstdLevel;
  options.bloom_bits_per_key = options_.settings.bloom_bits_per_key;
  options.min_filter_keys = options_.settings.min_filter_keys;
  SstBuilder builder(options);
  // Per key, keep every version a live snapshot may read (seq > floor), then the newest
  // version at or below the floor and, if that is a merge operand, the older versions
  // down to the first value or tombstone it folds onto.
  Memtable::Iterator it(imm.memtable.get());
  std::string_view current_key;
  bool have_key = false;
  bool done_with_key = false;
  for (it.SeekToFirst(); it.Valid(); it.Next()) {
    RowView row = it.row();
    if (!have_key || row.key != current_key) {
      current_key = row.key;
      have_key = true;
      done_with_key = false;
    }
    if (done_with_key) continue;
    builder.Add(row);
    if (row.seq <= retention_floor && row.kind != RowKind::kMerge) done_with_key = true;
  }
  return builder.Finish();
}

Task<Status> DbImpl::L0FlushLoop(std::shared_ptr<DbImpl> self) {
  for (;;) {
    std::shared_ptr<ImmutableMemtable> imm;
    {
      std::lock_guard<std::mutex> lock(self->mu_);
      if (self->imms_.empty() || !self->closed_.ok() ||
          self->durable_seq_ < self->imms_.front()->last_seq || self->L0FullLocked()) {
        self->l0_flush_running_ = false;
        // A full L0 waits for a compaction. L0 can fill without a flush of ours scheduling
        // one: another manifest update (a checkpoint, GC) may adopt the store's version
        // with a publish of ours whose answer was lost. Without this, a flush that waits
        // for room (Close, Flush) would wait forever.
        if (self->L0FullLocked()) self->ScheduleCompactionsLocked();
        co_return Status::Ok();
      }
      imm = self->imms_.front();
    }
    Status s = co_await self->FlushImmutable(imm);
    if (s.ok()) continue;
    std::vector<Waiter> ready;
    {
      std::lock_guard<std::mutex> lock(self->mu_);
      self->l0_flush_running_ = false;
      if (s.IsUnavailable()) {
        // Report to those waiting on this flush; try again later.
        self->FailWaitersLocked(WaitKind::kL0Flushed, imm->last_seq, UINT64_MAX,
                                s.WithContext("memtable flush failed"), &ready);
      } else {
        Status reason = s.IsClosed() ? s
                                     : Status::Closed(CloseReason::kBackgroundError,
                                                      "memtable flush failed: " + s.ToString());
        self->FailLocked(reason, &ready);
      }
    }
    Resume(ready);
    if (s.IsUnavailable()) self->RetryLater(&DbImpl::ScheduleL0FlushesLocked);
    co_return s;
  }
}

Task<Status> DbImpl::FlushImmutable(std::shared_ptr<ImmutableMemtable> imm) {
  uint64_t floor;
  {
    std::lock_guard<std::mutex> lock(mu_);
    floor = snapshots_.empty() ? UINT64_MAX : *snapshots_.begin();
  }
  SstMintGuard mint(this);  // before the id is minted, until the manifest names it
  Result<EncodedSst> sst = BuildL0(*imm, floor);
  if (!sst.ok()) co_return sst.status();
  SstInfo info = sst->info;
  std::string id;
  for (int attempt = 0;; ++attempt) {
    {
      std::lock_guard<std::mutex> lock(mu_);
      id = ulids_.Next(TickLocked());
    }
    Result<std::shared_ptr<const SstHandle>> written = co_await table_store_->Write(id, *sst);
    if (written.ok()) break;
    if (!written.status().IsAlreadyExists() || attempt >= 3) co_return written.status();
  }

  ManifestEdit publish = [&](Manifest& m) {
    m.l0.insert(m.l0.begin(), SstRef{id, info, std::string()});
    m.replay_after_wal_id = std::max(m.replay_after_wal_id, imm->wal_id);
    m.last_l0_seq = std::max(m.last_l0_seq, imm->last_seq);
    m.last_l0_clock_tick = std::max(m.last_l0_clock_tick, imm->last_tick);
    for (const auto& [seq, ms] : imm->seq_samples) m.sequence_tracker.Insert(seq, ms);
    return Status::Ok();
  };
  Status updated = co_await UpdateManifest(publish);
  if (!updated.ok()) co_return updated;

  std::vector<Waiter> ready;
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (!imms_.empty() && imms_.front() == imm) imms_.pop_front();
    RefreshMemtableListLocked();
    metric_l0_flushes_.fetch_add(1, std::memory_order_relaxed);
    CollectReadyLocked(&ready);
    ScheduleCompactionsLocked();
  }
  Resume(ready);
  co_return Status::Ok();
}

namespace {

// The writer's L0 list without the SSTs a compactor consumed: walking newest to oldest,
// stop at the watermark (it and everything older were compacted).
std::vector<SstRef> CutAtWatermark(const std::vector<SstRef>& l0, const std::string& watermark) {
  if (watermark.empty()) return l0;
  std::vector<SstRef> out;
  for (const SstRef& ref : l0) {
    if (ref.id == watermark) return out;
    out.push_back(ref);
  }
  return l0;  // the watermark is older than all of our L0s
}

// The union of two L0 lists (by id), newest first. L0 SSTs hold disjoint seq ranges, so
// max_seq orders them.
std::vector<SstRef> MergeL0(std::vector<SstRef> store, const std::vector<SstRef>& ours) {
  for (const SstRef& ref : ours) {
    auto same = [&](const SstRef& r) { return r.id == ref.id; };
    if (std::none_of(store.begin(), store.end(), same)) store.push_back(ref);
  }
  std::stable_sort(store.begin(), store.end(), [](const SstRef& a, const SstRef& b) {
    return a.info.max_seq > b.info.max_seq;
  });
  return store;
}

}  // namespace

bool DbImpl::L0FullLocked() const {
  return options_.settings.compactor_enabled && !compactor_fenced_ &&
         manifest_->l0.size() >= options_.settings.l0_max_ssts;
}

Task<Status> DbImpl::UpdateManifest(const ManifestEdit& edit) {
  SLATEDB_CO_RETURN_IF_ERROR(co_await AcquireManifestSlot());
  Status s = co_await UpdateManifestSlotHeld(edit);
  ReleaseManifestSlot();
  co_return s;
}

Task<Status> DbImpl::UpdateManifestSlotHeld(const ManifestEdit& edit) {
  for (;;) {
    Manifest next;
    {
      std::lock_guard<std::mutex> lock(mu_);
      if (!closed_.ok() && closed_.close_reason() != CloseReason::kClean) co_return closed_;
      next = *manifest_;
      next.wal_id_last_seen = std::max(next.wal_id_last_seen, last_durable_wal_id_);
      next.recent_snapshot_min_seq = snapshots_.empty() ? last_seq_ : *snapshots_.begin();
    }
    SLATEDB_CO_RETURN_IF_ERROR(edit(next));
    next.id += 1;
    next.writer_epoch = writer_epoch_;
    Status s = co_await manifest_store_.Create(next);
    if (s.ok()) {
      std::lock_guard<std::mutex> lock(mu_);
      manifest_ = std::make_shared<const Manifest>(std::move(next));
      co_return Status::Ok();
    }
    if (!s.IsAlreadyExists()) co_return s;
    // Another process wrote that version (ours are serialized): adopt the latest and
    // re-apply our edit, unless a newer writer claimed the database.
    Result<std::optional<Manifest>> latest = co_await manifest_store_.LoadLatest();
    if (!latest.ok()) co_return latest.status();
    if (!latest->has_value()) co_return Status::Data("manifest disappeared");
    Manifest& theirs = **latest;
    if (theirs.writer_epoch > writer_epoch_) {
      co_return Status::Closed(CloseReason::kFenced,
                               "a newer writer (epoch " + std::to_string(theirs.writer_epoch) +
                                   ") claimed the database");
    }
    std::lock_guard<std::mutex> lock(mu_);
    // Writer-owned fields are ours; sorted runs, the compactor's watermark and epoch, and
    // checkpoints come from the store. Our L0 list loses what their compactor consumed.
    // The store's L0 list is kept too: "theirs" may be our own earlier publish whose answer
    // was lost (reported Unavailable, yet it landed with its replay boundary); dropping its
    // L0 while keeping that boundary would lose the rows of the WAL objects it covers.
    Manifest merged = theirs;
    merged.l0 = MergeL0(theirs.l0,
                        CutAtWatermark(manifest_->l0, theirs.last_compacted_l0_sst_id));
    merged.replay_after_wal_id = std::max(theirs.replay_after_wal_id,
                                          manifest_->replay_after_wal_id);
    merged.wal_id_last_seen = std::max(theirs.wal_id_last_seen, manifest_->wal_id_last_seen);
    merged.last_l0_seq = std::max(theirs.last_l0_seq, manifest_->last_l0_seq);
    merged.last_l0_clock_tick = std::max(theirs.last_l0_clock_tick, manifest_->last_l0_clock_tick);
    merged.sequence_tracker = manifest_->sequence_tracker;
    manifest_ = std::make_shared<const Manifest>(std::move(merged));
  }
}

}  // namespace slatedb
