// SPDX-License-Identifier: Apache-2.0
//
// Opening a database as its writer (spec/engine.md §4):
//  1. load the latest manifest, or create version 1;
//  2. claim writer_epoch + 1 with a manifest CAS (older writers' manifest writes now fail);
//  3. plant an empty "fence" object at the first unused WAL id (older writers' next WAL
//     upload to that id now fails with AlreadyExists);
//  4. replay the WAL objects between the manifest's replay_after_wal_id and the fence.
#include <algorithm>

#include "db/db_impl.h"
#include "format/sst_iterator.h"

namespace slatedb {

Task<Status> DbImpl::LoadOrCreateManifest() {
  for (int attempt = 0; attempt < 10; ++attempt) {
    SLATEDB_CO_ASSIGN_OR_RETURN(std::optional<Manifest> latest,
                                co_await manifest_store_.LoadLatest());
    if (latest) {
      if (!latest->initialized) {
        co_return Status::Invalid("the database is an unfinished clone; finish or delete it");
      }
      manifest_ = std::make_shared<const Manifest>(std::move(*latest));
      co_return Status::Ok();
    }
    Manifest first;
    first.id = 1;
    Status s = co_await manifest_store_.Create(first);
    if (s.ok()) {
      manifest_ = std::make_shared<const Manifest>(std::move(first));
      co_return Status::Ok();
    }
    if (!s.IsAlreadyExists()) co_return s;  // another opener created it: read theirs
  }
  co_return Status::Unavailable("could not create the first manifest");
}

Task<Status> DbImpl::ClaimWriterEpoch() {
  for (int attempt = 0; attempt < 100; ++attempt) {
    Manifest next = *manifest_;
    next.id += 1;
    next.writer_epoch += 1;
    Status s = co_await manifest_store_.Create(next);
    if (s.ok()) {
      writer_epoch_ = next.writer_epoch;
      // Distinct writers get distinct SST id sequences even within one millisecond.
      ulids_ = UlidGenerator(static_cast<uint64_t>(options_.clock->NowMillis()) ^
                             (writer_epoch_ * 0x9E3779B97F4A7C15ull) ^
                             reinterpret_cast<uintptr_t>(this));
      manifest_ = std::make_shared<const Manifest>(std::move(next));
      co_return Status::Ok();
    }
    if (!s.IsAlreadyExists()) co_return s;
    SLATEDB_CO_ASSIGN_OR_RETURN(std::optional<Manifest> latest,
                                co_await manifest_store_.LoadLatest());
    if (!latest) co_return Status::Data("manifest disappeared while claiming the writer epoch");
    manifest_ = std::make_shared<const Manifest>(std::move(*latest));
  }
  co_return Status::Unavailable("gave up claiming the writer epoch: too many concurrent updates");
}

Task<Result<uint64_t>> DbImpl::PlantWalFence(uint64_t candidate) {
  ObjectPutOptions create;
  create.mode = PutMode::kCreateIfAbsent;
  for (;; ++candidate) {
    Result<ObjectMeta> put = co_await client_.Put(paths_.Wal(candidate), std::string(), create);
    if (put.ok()) co_return candidate;
    if (!put.status().IsAlreadyExists()) co_return put.status();
    // An older writer just wrote this id, or a newer writer fenced it: which one?
    SLATEDB_CO_ASSIGN_OR_RETURN(std::optional<Manifest> latest,
                                co_await manifest_store_.LoadLatest());
    if (latest && latest->writer_epoch > writer_epoch_) {
      co_return Status::Closed(CloseReason::kFenced, "a newer writer opened the database");
    }
  }
}

Task<Status> DbImpl::ReplayWal(uint64_t first_id, uint64_t fence_id) {
  const uint64_t skip_through = manifest_->last_l0_seq;
  for (uint64_t id = first_id; id < fence_id; ++id) {
    std::string key = paths_.Wal(id);
    Result<std::string> bytes = co_await client_.Get(key);
    if (!bytes.ok()) {
      if (!bytes.status().IsNotFound()) co_return bytes.status();
      SLATEDB_CO_ASSIGN_OR_RETURN(std::optional<Manifest> latest,
                                  co_await manifest_store_.LoadLatest());
      if (latest && latest->writer_epoch > writer_epoch_) {
        co_return Status::Closed(CloseReason::kFenced, "a newer writer opened the database");
      }
      co_return Status::Data("WAL object missing during replay: " + key);
    }
    if (bytes->empty()) continue;  // a fence planted by an earlier open
    Result<std::unique_ptr<SstMemoryIterator>> it = SstMemoryIterator::Open(std::move(*bytes));
    if (!it.ok()) co_return it.status().WithContext(key);
    std::lock_guard<std::mutex> lock(mu_);
    for ((*it)->SeekToFirst(); (*it)->Valid(); (*it)->Next()) {
      RowView row = (*it)->row();
      if (row.seq <= skip_through) continue;
      memtable_->Add(row);
      last_seq_ = std::max(last_seq_, row.seq);
      if (row.create_ts != kNoTimestamp) last_tick_ = std::max(last_tick_, row.create_ts);
    }
    if (!(*it)->status().ok()) co_return (*it)->status().WithContext(key);
    // Freeze only at WAL object boundaries, which are batch boundaries, so the immutable
    // memtable covers exactly the WAL ids up to this one.
    if (memtable_->estimated_bytes() >= options_.settings.l0_sst_size_bytes) {
      auto imm = std::make_shared<ImmutableMemtable>();
      imm->memtable = std::move(memtable_);
      imm->last_seq = last_seq_;
      imm->wal_id = id;
      imm->last_tick = last_tick_;
      imms_.push_back(std::move(imm));
      memtable_ = std::make_shared<Memtable>();
      RefreshMemtableListLocked();
    }
  }
  co_return Status::Ok();
}

Task<Status> DbImpl::Open() {
  auto self = shared_from_this();
  SLATEDB_CO_RETURN_IF_ERROR(co_await LoadOrCreateManifest());
  SLATEDB_CO_RETURN_IF_ERROR(co_await ClaimWriterEpoch());

  // WAL ids above the replay boundary are contiguous, so the first unused one follows the
  // highest listed.
  const uint64_t replay_after = manifest_->replay_after_wal_id;
  std::string wal_dir = paths_.WalDir();
  SLATEDB_CO_ASSIGN_OR_RETURN(std::vector<ObjectMeta> wal_objects,
                              co_await client_.List(wal_dir, paths_.Wal(replay_after)));
  uint64_t highest = replay_after;
  for (const ObjectMeta& meta : wal_objects) {
    std::optional<uint64_t> id = DbPaths::ParseId(meta.key, wal_dir, ".sst");
    if (id) highest = std::max(highest, *id);
  }
  SLATEDB_CO_ASSIGN_OR_RETURN(uint64_t fence_id, co_await PlantWalFence(highest + 1));
  {
    std::lock_guard<std::mutex> lock(mu_);
    last_seq_ = manifest_->last_l0_seq;
    last_tick_ = manifest_->last_l0_clock_tick;
  }
  SLATEDB_CO_RETURN_IF_ERROR(co_await ReplayWal(replay_after + 1, fence_id));

  std::lock_guard<std::mutex> lock(mu_);
  durable_seq_ = last_seq_;  // everything replayed came from the store
  next_wal_id_ = fence_id + 1;
  last_durable_wal_id_ = fence_id;
  ScheduleL0FlushesLocked();
  ScheduleCompactionsLocked();
  ScheduleGcLocked();
  ScheduleRequestPollLocked();
  co_return Status::Ok();
}

}  // namespace slatedb
