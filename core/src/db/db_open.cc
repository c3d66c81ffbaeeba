// SPDX-License-Identifier: Apache-2.0
//
// Opening a database as its writer (spec/engine.md §4):
//  1. load the latest manifest, or create version 1; check the segment extractor against it;
//  2. claim writer_epoch + 1 with a manifest CAS (older writers' manifest writes now fail);
//  3. plant an empty "fence" object at the first unused WAL id (older writers' next WAL
//     upload to that id now fails with AlreadyExists);
//  4. replay the WAL objects between the manifest's replay_after_wal_id and the fence;
//  5. start the components' background work.
#include <algorithm>

#include "db/db_impl.h"
#include "format/sst_iterator.h"
#include "util/async.h"

namespace slatedb {

Task<Result<uint64_t>> DbImpl::PlantWalFence(uint64_t candidate) {
  ObjectPutOptions create;
  create.mode = PutMode::kCreateIfAbsent;
  for (;; ++candidate) {
    Result<ObjectMeta> put =
        co_await core_.client.Put(core_.paths.Wal(candidate), std::string(), create);
    if (put.ok()) co_return candidate;
    if (!put.status().IsAlreadyExists()) co_return put.status();
    // An older writer just wrote this id, or a newer writer fenced it: which one?
    SLATEDB_CO_ASSIGN_OR_RETURN(std::optional<Manifest> latest,
                                co_await core_.manifest_store.LoadLatest());
    if (latest && latest->writer_epoch > manifest_.writer_epoch()) {
      co_return Status::Closed(CloseReason::kFenced, "a newer writer opened the database");
    }
  }
}

namespace {

// The WAL objects a replay reads at once: up to this many, and up to this many bytes by
// their listed sizes (at least one object, whatever its size).
constexpr size_t kReplayWaveObjects = 16;
constexpr uint64_t kReplayWaveBytes = 64ull << 20;

Task<Status> ReadInto(StoreClient& client, std::string key, Result<std::string>* slot) {
  *slot = co_await client.Get(key);
  co_return Status::Ok();
}

}  // namespace

// WAL objects are immutable once written, so the listing's sizes are theirs: an empty one
// is a fence planted by an earlier open and needs no read. The others are read a wave at a
// time and applied in id order. On a remote store a reader's open used to pay one round
// trip per object, fences included, and every read-only open of a database adds a fence.
Task<Status> DbImpl::ReplayWal(uint64_t first_id, uint64_t fence_id,
                               std::map<uint64_t, uint64_t> listed_sizes) {
  uint64_t skip_through;
  {
    DbLock lock(&core_.mu);
    skip_through = manifest_.manifest()->last_l0_seq;
  }
  uint64_t next = first_id;
  while (next < fence_id) {
    std::vector<uint64_t> wave;
    uint64_t wave_bytes = 0;
    for (; next < fence_id && wave.size() < kReplayWaveObjects; ++next) {
      auto listed = listed_sizes.find(next);
      if (listed != listed_sizes.end() && listed->second == 0) continue;  // a fence
      const uint64_t size = listed != listed_sizes.end() ? listed->second : 0;
      if (!wave.empty() && wave_bytes + size > kReplayWaveBytes) break;
      wave.push_back(next);
      wave_bytes += size;
    }
    std::vector<Result<std::string>> bodies(wave.size(), Status::Internal("not read"));
    std::vector<Task<Status>> reads;
    reads.reserve(wave.size());
    for (size_t i = 0; i < wave.size(); ++i) {
      reads.push_back(ReadInto(core_.client, core_.paths.Wal(wave[i]), &bodies[i]));
    }
    co_await WhenAll(std::move(reads));
    for (size_t i = 0; i < wave.size(); ++i) {
      const uint64_t id = wave[i];
      std::string key = core_.paths.Wal(id);
      Result<std::string>& bytes = bodies[i];
      if (!bytes.ok()) {
        if (!bytes.status().IsNotFound()) co_return bytes.status();
        SLATEDB_CO_ASSIGN_OR_RETURN(std::optional<Manifest> latest,
                                    co_await core_.manifest_store.LoadLatest());
        if (latest && latest->writer_epoch > manifest_.writer_epoch()) {
          co_return Status::Closed(CloseReason::kFenced, "a newer writer opened the database");
        }
        co_return Status::Data("WAL object missing during replay: " + key);
      }
      if (bytes->empty()) continue;  // a fence the listing did not show
      Result<std::unique_ptr<SstMemoryIterator>> it = SstMemoryIterator::Open(std::move(*bytes));
      if (!it.ok()) co_return it.status().WithContext(key);
      DbLock lock(&core_.mu);
      for ((*it)->SeekToFirst(); (*it)->Valid(); (*it)->Next()) {
        RowView row = (*it)->row();
        if (row.seq <= skip_through) continue;
        if (core_.segments.enabled()) {
          // Replayed rows were checked when written; their segments are live again.
          Result<std::string> prefix = core_.segments.PrefixOf(row.key);
          if (!prefix.ok()) co_return prefix.status().WithContext(key);
          core_.segments.Add(*prefix);
        }
        flusher_.ReplayAddLocked(row);
        core_.last_seq = std::max(core_.last_seq, row.seq);
        if (row.create_ts != kNoTimestamp) core_.RaiseTickLocked(row.create_ts);
      }
      if (!(*it)->status().ok()) co_return (*it)->status().WithContext(key);
      flusher_.ReplayEndWalLocked(id);
    }
  }
  co_return Status::Ok();
}

Task<Status> DbImpl::Open() {
  auto self = shared_from_this();
  core_.set_owner(weak_from_this());
  SLATEDB_CO_RETURN_IF_ERROR(co_await manifest_.LoadOrCreate());
  {
    DbLock lock(&core_.mu);
    const Manifest& manifest = *manifest_.manifest();
    Status checked = CheckSegmentExtractor(manifest, core_.segments.extractor());
    if (!checked.ok()) co_return checked;
    core_.segments.AddFrom(manifest);
  }
  SLATEDB_CO_RETURN_IF_ERROR(co_await manifest_.ClaimWriterEpoch());

  // WAL ids above the replay boundary are contiguous, so the first unused one follows the
  // highest listed.
  uint64_t replay_after;
  {
    DbLock lock(&core_.mu);
    const Manifest& manifest = *manifest_.manifest();
    replay_after = manifest.replay_after_wal_id;
    core_.last_seq = manifest.last_l0_seq;
    core_.RaiseTickLocked(manifest.last_l0_clock_tick);
  }
  std::string wal_dir = core_.paths.WalDir();
  SLATEDB_CO_ASSIGN_OR_RETURN(std::vector<ObjectMeta> wal_objects,
                              co_await core_.client.List(wal_dir, core_.paths.Wal(replay_after)));
  uint64_t highest = replay_after;
  std::map<uint64_t, uint64_t> listed_sizes;
  for (const ObjectMeta& meta : wal_objects) {
    std::optional<uint64_t> id = DbPaths::ParseId(meta.key, wal_dir, ".sst");
    if (!id) continue;
    highest = std::max(highest, *id);
    listed_sizes[*id] = meta.size_bytes;
  }
  SLATEDB_CO_ASSIGN_OR_RETURN(uint64_t fence_id, co_await PlantWalFence(highest + 1));
  SLATEDB_CO_RETURN_IF_ERROR(
      co_await ReplayWal(replay_after + 1, fence_id, std::move(listed_sizes)));

  DbLock lock(&core_.mu);
  wal_.RecoveredLocked(fence_id, core_.last_seq);  // everything replayed came from the store
  flusher_.ScheduleLocked();
  compactor_.ScheduleLocked();
  gc_.ScheduleLocked();
  compactor_.ScheduleRequestPollLocked();
  core_.SchedulePeriodicLocked(core_.settings().manifest_poll_interval_ms,
                               [this]() { return PollManifest(); });
  co_return Status::Ok();
}

}  // namespace slatedb
