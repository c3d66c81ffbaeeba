// SPDX-License-Identifier: Apache-2.0
#include "db/l0_flusher.h"

#include <algorithm>
#include <optional>
#include <tuple>

#include "compaction/retention.h"
#include "db/compactor_driver.h"
#include "db/gc_scheduler.h"
#include "db/manifest_writer.h"
#include "db/snapshots.h"
#include "db/wal_writer.h"
#include "manifest/sequence_tracker.h"
#include "util/async.h"

namespace slatedb {

L0Flusher::L0Flusher(DbCore* core, WalWriter* wal, ManifestWriter* manifest,
                     const Snapshots* snapshots, GcScheduler* gc)
    : core_(core), wal_(wal), manifest_(manifest), snapshots_(snapshots), gc_(gc) {
  DbLock lock(&core_->mu);
  memtable_ = std::make_shared<Memtable>();
  RefreshListLocked();
}

void L0Flusher::RefreshListLocked() {
  auto list = std::make_shared<MemtableList>();
  list->reserve(1 + imms_.size());
  list->push_back(memtable_);
  for (auto it = imms_.rbegin(); it != imms_.rend(); ++it) list->push_back((*it)->memtable);
  list_ = std::move(list);
}

void L0Flusher::SampleSeqLocked(uint64_t seq, int64_t tick) {
  if (last_seq_sample_ms_ == INT64_MIN ||
      tick - last_seq_sample_ms_ >= SequenceTracker::kSampleIntervalMs) {
    last_seq_sample_ms_ = tick;
    seq_samples_.emplace_back(seq, tick);
  }
}

uint64_t L0Flusher::UnflushedBytesLocked() const {
  uint64_t total = memtable_->estimated_bytes();
  for (const auto& imm : imms_) total += imm->memtable->estimated_bytes();
  return total;
}

bool L0Flusher::HasSpaceLocked() const {
  return imms_.empty() || UnflushedBytesLocked() < core_->settings().max_unflushed_bytes;
}

bool L0Flusher::L0FullLocked() const {
  // Only while this process's own compactor drains L0. When another process compacts
  // (compaction off here, or this compactor was fenced) L0 is bounded by that compactor's
  // pace, not enforced here: a writer must stay able to flush and close while no compactor
  // runs (the CLI's writer, a compactor that died).
  if (!core_->settings().compactor_enabled || compactor_->fenced()) return false;
  // Applied per tree (upstream's rule): any segment's L0 at the limit stops flushes.
  const Manifest& m = *manifest_->manifest();
  size_t most = m.l0.size();
  for (const Segment& s : m.segments) most = std::max(most, s.l0.size());
  return most >= core_->settings().l0_max_ssts;
}

void L0Flusher::FreezeLocked() {
  if (memtable_->empty()) {
    wal_->CutAndUploadLocked();
    return;
  }
  wal_->CutLocked();
  auto imm = std::make_shared<ImmutableMemtable>();
  imm->memtable = std::move(memtable_);
  imm->last_seq = core_->last_seq;
  imm->wal_id = wal_->last_cut_id();
  imm->last_tick = core_->last_tick();
  imm->seq_samples = std::move(seq_samples_);
  seq_samples_.clear();
  imms_.push_back(std::move(imm));
  memtable_ = std::make_shared<Memtable>();
  RefreshListLocked();
  wal_->ScheduleUploadsLocked();
  ScheduleLocked();
}

void L0Flusher::ReplayEndWalLocked(uint64_t wal_id) {
  // Freeze only at WAL object boundaries, which are batch boundaries, so the immutable
  // memtable covers exactly the WAL ids up to this one.
  if (memtable_->estimated_bytes() < core_->settings().l0_sst_size_bytes) return;
  auto imm = std::make_shared<ImmutableMemtable>();
  imm->memtable = std::move(memtable_);
  imm->last_seq = core_->last_seq;
  imm->wal_id = wal_id;
  imm->last_tick = core_->last_tick();
  imms_.push_back(std::move(imm));
  memtable_ = std::make_shared<Memtable>();
  RefreshListLocked();
}

void L0Flusher::ScheduleLocked() {
  if (running_ || imms_.empty() || !core_->OpenLocked()) return;
  if (wal_->durable_seq() < imms_.front()->last_seq) return;  // the WAL writer calls again
  if (L0FullLocked()) {  // a compaction commit (or a manifest poll) calls again
    metric_stalls_.fetch_add(1, std::memory_order_relaxed);
    compactor_->ScheduleLocked();  // in case none runs (see FlushLoop)
    return;
  }
  running_ = true;
  core_->Start([this]() { return FlushLoop(); });
}

Result<std::vector<L0Flusher::SegmentSst>> L0Flusher::BuildL0(const ImmutableMemtable& imm,
                                                              uint64_t retention_floor,
                                                              const SegmentSet& segments) const {
  const Settings& settings = core_->settings();
  SstBuilderOptions options;
  options.type = SstType::kCompacted;
  options.block_size_bytes = settings.block_size_bytes;
  options.compression = settings.compression;
  options.filter_policies = core_->filter_policies;
  options.min_filter_keys = settings.min_filter_keys;
  std::vector<SegmentSst> out;
  std::optional<SstBuilder> builder;
  std::string prefix;  // the segment `builder` writes ("" for the root tree)
  auto finish = [&]() -> Status {
    if (!builder) return Status::Ok();
    Result<EncodedSst> sst = builder->Finish();
    if (!sst.ok()) return sst.status();
    out.push_back(SegmentSst{prefix, std::move(*sst)});
    builder.reset();
    return Status::Ok();
  };
  // Per key, keep every version a live snapshot may read (seq > floor), then the newest
  // version at or below the floor and, if that is a merge operand, the older versions
  // down to the first value or tombstone it folds onto. TTLs are applied as upstream
  // applies them at L0 flush, judged against the memtable's last write tick: expired values
  // are written as tombstones, expired merge operands are left out. With segments, each
  // segment's keys are contiguous (its prefix owns an interval) and go to an SST of their
  // own, so one flush makes one L0 SST per segment it touches.
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
      if (segments.enabled() && (!builder || prefix.empty() || !row.key.starts_with(prefix))) {
        // Every key written or replayed had its prefix added to `segments`.
        std::string owner = segments.Owner(row.key).value_or(std::string());
        if (!builder || owner != prefix) {
          SLATEDB_RETURN_IF_ERROR(finish());
          prefix = std::move(owner);
        }
      }
      if (!builder) builder.emplace(options);
    }
    if (done_with_key) continue;
    std::optional<RowView> kept = ApplyTtl(row, imm.last_tick);
    if (!kept) continue;
    builder->Add(*kept);
    if (kept->seq <= retention_floor && kept->kind != RowKind::kMerge) done_with_key = true;
  }
  if (!builder) builder.emplace(options);  // an empty memtable still writes its (empty) SST
  SLATEDB_RETURN_IF_ERROR(finish());
  return out;
}

Task<Status> L0Flusher::FlushLoop() {
  for (;;) {
    std::shared_ptr<ImmutableMemtable> imm;
    {
      DbLock lock(&core_->mu);
      if (imms_.empty() || !core_->OpenLocked() || wal_->durable_seq() < imms_.front()->last_seq ||
          L0FullLocked()) {
        running_ = false;
        // A full L0 waits for a compaction. L0 can fill without a flush of ours scheduling
        // one: another manifest update (a checkpoint, GC) may adopt the store's version
        // with a publish of ours whose answer was lost. Without this, a flush that waits
        // for room (Close, Flush) would wait forever.
        if (L0FullLocked()) compactor_->ScheduleLocked();
        co_return Status::Ok();
      }
      imm = imms_.front();
    }
    Status s = co_await FlushImmutable(imm);
    if (s.ok()) continue;
    ReadyWaiters ready;
    {
      DbLock lock(&core_->mu);
      running_ = false;
      if (s.IsUnavailable()) {
        // Report to those waiting on this flush; try again later.
        core_->FailWaitersLocked(WaitKind::kL0Flushed, imm->last_seq, UINT64_MAX,
                                 s.WithContext("memtable flush failed"), &ready);
      } else {
        Status reason = s.IsClosed() ? s
                                     : Status::Closed(CloseReason::kBackgroundError,
                                                      "memtable flush failed: " + s.ToString());
        core_->FailLocked(reason, &ready);
      }
    }
    DbCore::Resume(ready);
    if (s.IsUnavailable()) {
      core_->RetryLater([this]() {
        DbCore::AssertHeld();
        ScheduleLocked();
      });
    }
    co_return s;
  }
}

Task<Status> L0Flusher::FlushImmutable(std::shared_ptr<ImmutableMemtable> imm) {
  uint64_t floor;
  std::optional<SegmentSet> segments;
  {
    DbLock lock(&core_->mu);
    floor = snapshots_->OldestLocked().value_or(UINT64_MAX);
    segments.emplace(core_->segments);  // holds the prefixes of every row in `imm`
  }
  GcScheduler::MintGuard mint(gc_);  // before the ids are minted, until the manifest names them
  Result<std::vector<SegmentSst>> ssts = BuildL0(*imm, floor, *segments);
  if (!ssts.ok()) co_return ssts.status();
  // (segment prefix, SST id, info) of each SST written. A flush's SSTs become visible in one
  // manifest update, so a reader sees all of the memtable or none of it.
  std::vector<std::tuple<std::string, std::string, SstInfo>> written_ssts;
  for (SegmentSst& sst : *ssts) {
    std::string id;
    for (int attempt = 0;; ++attempt) {
      {
        DbLock lock(&core_->mu);
        id = core_->NextSstIdLocked();
      }
      Result<std::shared_ptr<const SstHandle>> written =
          co_await core_->table_store->Write(id, sst.sst);
      if (written.ok()) break;
      if (!written.status().IsAlreadyExists() || attempt >= 3) co_return written.status();
    }
    written_ssts.emplace_back(sst.prefix, id, sst.sst.info);
  }

  const bool segmented = segments->enabled();
  ManifestEdit publish = [&](Manifest& m) {
    for (const auto& [prefix, id, info] : written_ssts) {
      std::vector<SstRef>* l0 = &m.l0;
      if (segmented && !prefix.empty()) {
        auto pos =
            std::lower_bound(m.segments.begin(), m.segments.end(), prefix,
                             [](const Segment& s, const std::string& p) { return s.prefix < p; });
        if (pos == m.segments.end() || pos->prefix != prefix) {
          Segment fresh;
          fresh.prefix = prefix;
          pos = m.segments.insert(pos, std::move(fresh));
        }
        l0 = &pos->l0;
      }
      l0->insert(l0->begin(), SstRef::Whole(id, info));
    }
    m.replay_after_wal_id = std::max(m.replay_after_wal_id, imm->wal_id);
    m.last_l0_seq = std::max(m.last_l0_seq, imm->last_seq);
    m.last_l0_clock_tick = std::max(m.last_l0_clock_tick, imm->last_tick);
    for (const auto& [seq, ms] : imm->seq_samples) m.sequence_tracker.Insert(seq, ms);
    return Status::Ok();
  };
  Status updated = co_await manifest_->Update(publish);
  if (!updated.ok()) co_return updated;

  ReadyWaiters ready;
  {
    DbLock lock(&core_->mu);
    if (!imms_.empty() && imms_.front() == imm) imms_.pop_front();
    RefreshListLocked();
    metric_flushes_.fetch_add(1, std::memory_order_relaxed);
    core_->CollectReadyLocked(&ready);
    compactor_->ScheduleLocked();
  }
  DbCore::Resume(ready);
  co_return Status::Ok();
}

void L0Flusher::AddMetrics(std::map<std::string, uint64_t>* metrics) const {
  (*metrics)["db/immutable_memtable_flushes"] = metric_flushes_.load(std::memory_order_relaxed);
  (*metrics)["db/l0_flush_stalls"] = metric_stalls_.load(std::memory_order_relaxed);
}

void L0Flusher::AddMetricsLocked(std::map<std::string, uint64_t>* metrics) const {
  (*metrics)["db/immutable_memtables"] = imms_.size();
  (*metrics)["db/unflushed_bytes"] = UnflushedBytesLocked();
}

std::vector<std::pair<uint64_t, uint64_t>> L0Flusher::ImmutablesLocked() const {
  std::vector<std::pair<uint64_t, uint64_t>> out;
  for (auto it = imms_.rbegin(); it != imms_.rend(); ++it) {
    out.emplace_back((*it)->memtable->estimated_bytes(), (*it)->wal_id);
  }
  return out;
}

}  // namespace slatedb
