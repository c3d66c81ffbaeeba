// SPDX-License-Identifier: Apache-2.0
#include "reader/reader_impl.h"

#include <algorithm>

#include "format/sst_iterator.h"
#include "manifest/checkpoint_edit.h"
#include "manifest/segment_set.h"
#include "store/wal_routing_object_store.h"
#include "util/async.h"

namespace slatedb {

namespace {
// The shortest delay between polls (manifest_poll_interval_ms = 0 means "continuously").
constexpr uint64_t kMinPollDelayMs = 10;

// Whether the writer published or compacted SSTs between two versions.
bool SameSsts(const Manifest& a, const Manifest& b) {
  auto ids = [](const std::vector<SstRef>& refs) {
    std::vector<std::string> out;
    for (const SstRef& r : refs) out.push_back(r.id);
    return out;
  };
  if (ids(a.l0) != ids(b.l0) || a.sorted_runs.size() != b.sorted_runs.size()) return false;
  for (size_t i = 0; i < a.sorted_runs.size(); ++i) {
    if (a.sorted_runs[i].id != b.sorted_runs[i].id ||
        ids(a.sorted_runs[i].ssts) != ids(b.sorted_runs[i].ssts)) {
      return false;
    }
  }
  if (a.segments.size() != b.segments.size()) return false;
  for (size_t i = 0; i < a.segments.size(); ++i) {
    const Segment& x = a.segments[i];
    const Segment& y = b.segments[i];
    if (x.prefix != y.prefix || ids(x.l0) != ids(y.l0) ||
        x.sorted_runs.size() != y.sorted_runs.size()) {
      return false;
    }
    for (size_t j = 0; j < x.sorted_runs.size(); ++j) {
      if (x.sorted_runs[j].id != y.sorted_runs[j].id ||
          ids(x.sorted_runs[j].ssts) != ids(y.sorted_runs[j].ssts)) {
        return false;
      }
    }
  }
  return a.last_l0_seq == b.last_l0_seq;
}

}  // namespace

Status ReaderOptions::Validate() const {
  if (!object_store) return Status::Invalid("ReaderOptions.object_store is required");
  if (!executor) return Status::Invalid("ReaderOptions.executor is required");
  if (!clock) return Status::Invalid("ReaderOptions.clock is required");
  if (!path.empty() && (path.front() == '/' || path.back() == '/')) {
    return Status::Invalid("ReaderOptions.path must not start or end with '/': " + path);
  }
  if (checkpoint_id) SLATEDB_RETURN_IF_ERROR(ValidateCheckpointId(*checkpoint_id));
  if (mode == ReaderMode::kCheckpoint && !checkpoint_id) {
    return Status::Invalid("ReaderOptions: mode kCheckpoint needs checkpoint_id");
  }
  if (mode == ReaderMode::kFollowLatest && checkpoint_id) {
    return Status::Invalid("ReaderOptions: checkpoint_id cannot be used with kFollowLatest");
  }
  if (checkpoint_lifetime_ms < 1000) {
    return Status::Invalid("ReaderOptions.checkpoint_lifetime_ms must be at least 1000 ms, got " +
                           std::to_string(checkpoint_lifetime_ms));
  }
  if (checkpoint_lifetime_ms / 2 < manifest_poll_interval_ms) {
    return Status::Invalid("ReaderOptions.checkpoint_lifetime_ms (" +
                           std::to_string(checkpoint_lifetime_ms) +
                           ") must be at least twice manifest_poll_interval_ms (" +
                           std::to_string(manifest_poll_interval_ms) + ")");
  }
  if (max_memtable_bytes == 0)
    return Status::Invalid("ReaderOptions.max_memtable_bytes must be > 0");
  return Status::Ok();
}

ReaderImpl::ReaderImpl(ReaderOptions options)
    : options_(std::move(options)),
      paths_(options_.path),
      client_(WithWalStore(options_.object_store, options_.wal_object_store, paths_.WalDir()),
              options_.executor, options_.clock,
              RetryPolicy{.max_retries = options_.object_store_max_retries},
              RetrySeed(options_.clock->NowMillis(), options_.path)),
      manifest_store_(&client_, paths_),
      table_store_(std::make_unique<TableStore>(
          &client_, paths_,
          TableCache::For(options_.db_cache, options_.db_cache_id, options_.block_cache_bytes,
                          options_.clock),
          options_.filter_policies ? *options_.filter_policies : FilterPoliciesFromBits(10))),
      uuids_(static_cast<uint64_t>(options_.clock->NowMillis()) * 0x9E3779B97F4A7C15ull ^
             reinterpret_cast<uintptr_t>(this)) {
  if (options_.checkpoint_id && options_.mode == ReaderMode::kManagedCheckpoint) {
    options_.mode = ReaderMode::kCheckpoint;
  }
  MutexLock lock(&mu_);
  tables_.push_back(std::make_shared<Memtable>());
  PublishMemtablesLocked();
}

std::shared_ptr<const Manifest> ReaderImpl::CurrentManifest() const {
  MutexLock lock(&mu_);
  return manifest_;
}

Status ReaderImpl::status() const {
  MutexLock lock(&mu_);
  return closed_;
}

uint64_t ReaderImpl::durable_seq() const {
  MutexLock lock(&mu_);
  return max_seq_;
}

std::map<std::string, uint64_t> ReaderImpl::Metrics() const {
  std::map<std::string, uint64_t> m;
  AddReadMetrics(read_requests_, client_, *table_store_, &m);
  return m;
}

std::optional<std::string> ReaderImpl::checkpoint_id() const {
  MutexLock lock(&mu_);
  return checkpoint_id_;
}

void ReaderImpl::PublishMemtablesLocked() {
  auto list = std::make_shared<MemtableList>(tables_.rbegin(), tables_.rend());
  memtable_list_ = std::move(list);
}

void ReaderImpl::AddRowLocked(const RowView& row) {
  if (tables_.back()->estimated_bytes() >= options_.max_memtable_bytes) {
    tables_.push_back(std::make_shared<Memtable>());
    PublishMemtablesLocked();
  }
  tables_.back()->Add(row);
}

void ReaderImpl::AdoptLocked(Manifest m) {
  const uint64_t floor = m.last_l0_seq;
  std::vector<std::shared_ptr<Memtable>> old = std::move(tables_);
  tables_.clear();
  tables_.push_back(std::make_shared<Memtable>());
  for (const auto& table : old) {
    Memtable::Iterator it(table.get());
    for (it.SeekToFirst(); it.Valid(); it.Next()) {
      RowView row = it.row();
      if (row.seq > floor) AddRowLocked(row);
    }
  }
  PublishMemtablesLocked();
  max_seq_ = std::max(max_seq_, m.last_l0_seq);
  last_tick_ = std::max(last_tick_, m.last_l0_clock_tick);
  next_wal_id_ = std::max(next_wal_id_, m.replay_after_wal_id + 1);
  if (segments_.enabled()) segments_.AddFrom(m);
  manifest_ = std::make_shared<const Manifest>(std::move(m));
}

Status ReaderImpl::CaptureReadView(ReadView* view) const {
  MutexLock lock(&mu_);
  SLATEDB_RETURN_IF_ERROR(closed_);
  view->memtables = memtable_list_;
  view->manifest = manifest_;
  view->max_seq = max_seq_;
  view->clock = options_.hide_expired_on_read ? options_.clock.get() : nullptr;
  view->tick_floor = last_tick_;
  return Status::Ok();
}

Result<std::vector<std::string>> ReaderImpl::WalSegments(const std::string& bytes) const {
  SegmentSet extract(options_.segment_extractor);
  Result<std::unique_ptr<SstMemoryIterator>> it = SstMemoryIterator::Open(bytes);
  if (!it.ok()) return it.status();
  std::vector<std::string> out;
  for ((*it)->SeekToFirst(); (*it)->Valid(); (*it)->Next()) {
    std::string_view key = (*it)->row().key;
    if (!out.empty() && key.starts_with(out.back())) continue;  // rows are in key order
    SLATEDB_ASSIGN_OR_RETURN(std::string prefix, extract.PrefixOf(key));
    out.push_back(std::move(prefix));
  }
  return out;
}

std::vector<std::string> ReaderImpl::Segments() const {
  MutexLock lock(&mu_);
  return segments_.List();
}

Status ReaderImpl::AdoptCheckedLocked(Manifest m) {
  SLATEDB_RETURN_IF_ERROR(CheckSegmentExtractor(m, options_.segment_extractor.get()));
  AdoptLocked(std::move(m));
  return Status::Ok();
}

Task<Status> ReaderImpl::TailWal(std::optional<uint64_t> last) {
  if (options_.skip_wal_replay) co_return Status::Ok();
  for (;;) {
    uint64_t id;
    uint64_t floor;
    {
      MutexLock lock(&mu_);
      SLATEDB_CO_RETURN_IF_ERROR(closed_);
      id = next_wal_id_;
      floor = manifest_->last_l0_seq;
    }
    if (last && id > *last) co_return Status::Ok();
    std::string key = paths_.Wal(id);
    Result<std::string> bytes = co_await client_.Get(key);
    if (!bytes.ok()) {
      // The writer has not written it yet (or, following without a checkpoint, GC took it).
      if (bytes.status().IsNotFound()) co_return Status::Ok();
      co_return bytes.status();
    }
    // With segments, the extractor (a user callback, so without the lock) names the
    // segments of the object's rows.
    std::vector<std::string> prefixes;
    if (options_.segment_extractor && !bytes->empty()) {
      SLATEDB_CO_ASSIGN_OR_RETURN(prefixes, WalSegments(*bytes));
    }
    MutexLock lock(&mu_);
    if (next_wal_id_ != id) continue;  // a newer manifest moved us past it meanwhile
    next_wal_id_ = id + 1;
    if (bytes->empty()) continue;  // a writer's fence
    for (const std::string& prefix : prefixes) segments_.Add(prefix);
    Result<std::unique_ptr<SstMemoryIterator>> it = SstMemoryIterator::Open(std::move(*bytes));
    if (!it.ok()) co_return it.status().WithContext(key);
    uint64_t max_seq = max_seq_;
    for ((*it)->SeekToFirst(); (*it)->Valid(); (*it)->Next()) {
      RowView row = (*it)->row();
      if (row.seq <= floor) continue;
      AddRowLocked(row);
      max_seq = std::max(max_seq, row.seq);
      if (row.create_ts != kNoTimestamp) last_tick_ = std::max(last_tick_, row.create_ts);
    }
    if (!(*it)->status().ok()) co_return (*it)->status().WithContext(key);
    // A WAL object holds whole batches: raising the cap only now keeps batches atomic.
    max_seq_ = max_seq;
  }
}

Task<Status> ReaderImpl::Open() {
  auto self = shared_from_this();
  std::optional<uint64_t> wal_last;
  if (options_.mode == ReaderMode::kCheckpoint) {
    SLATEDB_CO_ASSIGN_OR_RETURN(std::optional<Manifest> latest,
                                co_await manifest_store_.LoadLatest());
    if (!latest) co_return Status::Data(kNoDatabaseMessage);
    const Checkpoint* c = FindCheckpoint(*latest, *options_.checkpoint_id);
    if (c == nullptr) {
      co_return Status::Data("checkpoint missing. checkpoint_id=`" + *options_.checkpoint_id + "`");
    }
    SLATEDB_CO_ASSIGN_OR_RETURN(Manifest pinned, co_await manifest_store_.Load(c->manifest_id));
    wal_last = pinned.wal_id_last_seen;  // exactly the WAL objects the version records
    MutexLock lock(&mu_);
    checkpoint_id_ = options_.checkpoint_id;
    SLATEDB_CO_RETURN_IF_ERROR(AdoptCheckedLocked(std::move(pinned)));
  } else if (options_.mode == ReaderMode::kManagedCheckpoint) {
    SLATEDB_CO_ASSIGN_OR_RETURN(Manifest m, co_await MoveCheckpoint());
    MutexLock lock(&mu_);
    SLATEDB_CO_RETURN_IF_ERROR(AdoptCheckedLocked(std::move(m)));
  } else {
    SLATEDB_CO_ASSIGN_OR_RETURN(std::optional<Manifest> latest,
                                co_await manifest_store_.LoadLatest());
    if (!latest) co_return Status::Data(kNoDatabaseMessage);
    MutexLock lock(&mu_);
    SLATEDB_CO_RETURN_IF_ERROR(AdoptCheckedLocked(std::move(*latest)));
  }
  SLATEDB_CO_RETURN_IF_ERROR(co_await TailWal(wal_last));
  MutexLock lock(&mu_);
  SchedulePollLocked();
  co_return Status::Ok();
}

Task<Result<Manifest>> ReaderImpl::MoveCheckpoint() {
  // The checkpoint of the version we read is removed only by the move after the one that
  // replaced it: until we have adopted the new version, the old one must stay pinned. A
  // move whose answer failed may have landed, so its checkpoint is retired the same way.
  std::vector<std::string> retire;
  std::string new_id;
  int64_t now = options_.clock->NowMillis();
  {
    MutexLock lock(&mu_);
    retire = retired_checkpoints_;
    new_id = NewUuid(uuids_);
  }
  CheckpointOptions options;
  options.lifetime_ms = options_.checkpoint_lifetime_ms;
  // Unnamed, as upstream's readers leave theirs.
  ManifestEditFn move = [&](Manifest& m) -> Status {
    for (const std::string& id : retire) RemoveCheckpoint(m, id);
    return AddCheckpoint(m, new_id, options, now).status();
  };
  Result<Manifest> stored = co_await EditLatestManifest(&manifest_store_, move);
  MutexLock lock(&mu_);
  if (stored.ok()) {
    // What the edit removed is gone; what we read until now is retired next time.
    std::vector<std::string> still;
    for (const std::string& id : retired_checkpoints_) {
      if (std::find(retire.begin(), retire.end(), id) == retire.end()) still.push_back(id);
    }
    retired_checkpoints_ = std::move(still);
    if (checkpoint_id_) retired_checkpoints_.push_back(*checkpoint_id_);
    checkpoint_id_ = new_id;
    checkpoint_written_ms_ = now;
  } else {
    retired_checkpoints_.push_back(new_id);
  }
  co_return stored;
}

Task<Status> ReaderImpl::RemoveRetiredCheckpoints() {
  std::vector<std::string> retire;
  {
    MutexLock lock(&mu_);
    retire = retired_checkpoints_;
  }
  ManifestEditFn remove = [&](Manifest& m) {
    for (const std::string& id : retire) RemoveCheckpoint(m, id);
    return Status::Ok();
  };
  Result<Manifest> stored = co_await EditLatestManifest(&manifest_store_, remove);
  if (!stored.ok()) co_return stored.status();
  MutexLock lock(&mu_);
  std::vector<std::string> still;
  for (const std::string& id : retired_checkpoints_) {
    if (std::find(retire.begin(), retire.end(), id) == retire.end()) still.push_back(id);
  }
  retired_checkpoints_ = std::move(still);
  co_return Status::Ok();
}

Task<Status> ReaderImpl::Poll() {
  ReaderMode mode = options_.mode;
  if (mode == ReaderMode::kCheckpoint) co_return Status::Ok();
  SLATEDB_CO_ASSIGN_OR_RETURN(std::optional<Manifest> latest,
                              co_await manifest_store_.LoadLatest());
  if (!latest) co_return Status::Data("the database's manifests disappeared");
  bool changed;
  bool refresh_due;
  {
    MutexLock lock(&mu_);
    SLATEDB_CO_RETURN_IF_ERROR(closed_);
    changed = !SameSsts(*manifest_, *latest);
    refresh_due = options_.clock->NowMillis() - checkpoint_written_ms_ >=
                  static_cast<int64_t>(options_.checkpoint_lifetime_ms / 2);
  }
  bool retired = false;
  if (mode == ReaderMode::kManagedCheckpoint) {
    MutexLock lock(&mu_);
    retired = !retired_checkpoints_.empty();
  }
  if (mode == ReaderMode::kManagedCheckpoint && (changed || refresh_due)) {
    SLATEDB_CO_ASSIGN_OR_RETURN(Manifest moved, co_await MoveCheckpoint());
    MutexLock lock(&mu_);
    AdoptLocked(std::move(moved));
  } else if (retired) {
    // The checkpoint of the version we read before: no move due to take it along.
    SLATEDB_CO_RETURN_IF_ERROR(co_await RemoveRetiredCheckpoints());
  } else if (changed) {
    MutexLock lock(&mu_);
    AdoptLocked(std::move(*latest));
  }
  co_return co_await TailWal(std::nullopt);
}

Task<Status> ReaderImpl::Refresh() {
  auto self = shared_from_this();
  for (;;) {
    {
      MutexLock lock(&mu_);
      SLATEDB_CO_RETURN_IF_ERROR(closed_);
      if (!poll_running_) {
        poll_running_ = true;
        break;
      }
    }
    co_await SleepFor(*options_.executor, 5);  // the timer's poll is running: wait for it
  }
  Status s = co_await Poll();
  MutexLock lock(&mu_);
  poll_running_ = false;
  co_return s;
}

void ReaderImpl::SchedulePollLocked() {
  if (options_.mode == ReaderMode::kCheckpoint || !closed_.ok()) return;
  std::weak_ptr<ReaderImpl> weak = weak_from_this();
  // 0 polls continuously, as upstream accepts it, with a floor that keeps it from spinning.
  const uint64_t delay = std::max<uint64_t>(options_.manifest_poll_interval_ms, kMinPollDelayMs);
  options_.executor->PostAfter(delay, [weak]() {
    std::shared_ptr<ReaderImpl> self = weak.lock();
    if (!self || self->closed()) return;
    // A failed poll (store trouble) is retried at the next tick.
    Spawn(self->Refresh(), [weak](Status) {
      if (auto reader = weak.lock()) {
        MutexLock lock(&reader->mu_);
        reader->SchedulePollLocked();
      }
    });
  });
}

Task<Status> ReaderImpl::Close() {
  auto self = shared_from_this();
  {
    MutexLock lock(&mu_);
    if (!closed_.ok()) co_return Status::Ok();
    closed_ = Status::Closed(CloseReason::kClean, "reader is closed");
    closed_flag_.store(true, std::memory_order_release);
  }
  // A poll in progress may be replacing the checkpoint: delete the ones it leaves.
  std::vector<std::string> ours;
  for (;;) {
    {
      MutexLock lock(&mu_);
      if (!poll_running_) {
        if (options_.mode == ReaderMode::kManagedCheckpoint) {
          ours = retired_checkpoints_;
          if (checkpoint_id_) ours.push_back(*checkpoint_id_);
        }
        break;
      }
    }
    co_await SleepFor(*options_.executor, 5);
  }
  if (ours.empty()) co_return Status::Ok();
  ManifestEditFn remove = [&](Manifest& m) {
    for (const std::string& id : ours) RemoveCheckpoint(m, id);
    return Status::Ok();
  };
  co_return (co_await EditLatestManifest(&manifest_store_, remove)).status();
}

void ReaderImpl::Abandon() {
  MutexLock lock(&mu_);
  if (!closed_.ok()) return;
  closed_ = Status::Closed(CloseReason::kClean, "reader handle dropped without close");
  closed_flag_.store(true, std::memory_order_release);
}

}  // namespace slatedb
