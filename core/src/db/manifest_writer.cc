// SPDX-License-Identifier: Apache-2.0
#include "db/manifest_writer.h"

#include <algorithm>
#include <set>

#include "db/snapshots.h"
#include "db/wal_writer.h"
#include "util/async.h"

namespace slatedb {

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

// The union of two L0 lists (by id), newest first. L0 SSTs are minted in flush order, and
// their ULIDs (time, then a counter) order them.
std::vector<SstRef> MergeL0(std::vector<SstRef> store, const std::vector<SstRef>& ours) {
  for (const SstRef& ref : ours) {
    auto same = [&](const SstRef& r) { return r.id == ref.id; };
    if (std::none_of(store.begin(), store.end(), same)) store.push_back(ref);
  }
  std::stable_sort(store.begin(), store.end(),
                   [](const SstRef& a, const SstRef& b) { return a.view_id > b.view_id; });
  return store;
}

// Calls fn for every SST of the tree (L0 and sorted runs).
template <typename Fn>
void ForEachSst(const Manifest& m, Fn&& fn) {
  for (const SstRef& ref : m.l0) fn(ref);
  for (const SortedRun& run : m.sorted_runs) {
    for (const SstRef& ref : run.ssts) fn(ref);
  }
}

}  // namespace

Task<Status> ManifestWriter::LoadOrCreate() {
  for (int attempt = 0; attempt < 10; ++attempt) {
    SLATEDB_CO_ASSIGN_OR_RETURN(std::optional<Manifest> latest,
                                co_await core_->manifest_store.LoadLatest());
    if (latest) {
      if (!latest->initialized) {
        co_return Status::Invalid("the database is an unfinished clone; finish or delete it");
      }
      DbLock lock(&core_->mu);
      manifest_ = std::make_shared<const Manifest>(std::move(*latest));
      co_return Status::Ok();
    }
    Manifest first;
    first.id = 1;
    // A database is segmented from its creation or never (segment_set.h).
    if (core_->options.segment_extractor) {
      first.segment_extractor_name = core_->options.segment_extractor->Name();
    }
    Status s = co_await core_->manifest_store.Create(first);
    if (s.ok()) {
      DbLock lock(&core_->mu);
      manifest_ = std::make_shared<const Manifest>(std::move(first));
      co_return Status::Ok();
    }
    if (!s.IsAlreadyExists()) co_return s;  // another opener created it: read theirs
  }
  co_return Status::Unavailable("could not create the first manifest");
}

Task<Status> ManifestWriter::ClaimWriterEpoch() {
  for (int attempt = 0; attempt < 100; ++attempt) {
    Manifest next;
    {
      DbLock lock(&core_->mu);
      next = *manifest_;
    }
    next.id += 1;
    next.writer_epoch += 1;
    Status s = co_await core_->manifest_store.Create(next);
    if (s.ok()) {
      writer_epoch_ = next.writer_epoch;
      DbLock lock(&core_->mu);
      core_->ReseedSstIdsLocked(writer_epoch_);
      manifest_ = std::make_shared<const Manifest>(std::move(next));
      co_return Status::Ok();
    }
    if (!s.IsAlreadyExists()) co_return s;
    SLATEDB_CO_ASSIGN_OR_RETURN(std::optional<Manifest> latest,
                                co_await core_->manifest_store.LoadLatest());
    if (!latest) co_return Status::Data("manifest disappeared while claiming the writer epoch");
    DbLock lock(&core_->mu);
    manifest_ = std::make_shared<const Manifest>(std::move(*latest));
  }
  co_return Status::Unavailable("gave up claiming the writer epoch: too many concurrent updates");
}

Task<Status> ManifestWriter::AcquireSlot() {
  for (;;) {
    {
      DbLock lock(&core_->mu);
      if (core_->FailedLocked()) co_return core_->closed_status();
      if (!busy_) {
        busy_ = true;
        co_return Status::Ok();
      }
    }
    SLATEDB_CO_RETURN_IF_ERROR(co_await core_->WaitFor(WaitKind::kManifestSlot, 0));
  }
}

void ManifestWriter::ReleaseSlot() {
  ReadyWaiters ready;
  {
    DbLock lock(&core_->mu);
    busy_ = false;
    core_->CollectReadyLocked(&ready);
  }
  DbCore::Resume(ready);
}

Task<Status> ManifestWriter::Update(const ManifestEdit& edit) {
  SLATEDB_CO_RETURN_IF_ERROR(co_await AcquireSlot());
  Status s = co_await UpdateSlotHeld(edit);
  ReleaseSlot();
  co_return s;
}

Task<Status> ManifestWriter::UpdateSlotHeld(const ManifestEdit& edit) {
  for (;;) {
    Manifest next;
    {
      DbLock lock(&core_->mu);
      if (core_->FailedLocked()) co_return core_->closed_status();
      next = *manifest_;
      next.wal_id_last_seen = std::max(next.wal_id_last_seen, wal_->last_durable_id());
      next.recent_snapshot_min_seq = snapshots_->OldestLocked().value_or(core_->last_seq);
    }
    SLATEDB_CO_RETURN_IF_ERROR(edit(next));
    next.id += 1;
    next.writer_epoch = writer_epoch_;
    Status s = co_await core_->manifest_store.Create(next);
    if (s.ok()) {
      DbLock lock(&core_->mu);
      manifest_ = std::make_shared<const Manifest>(std::move(next));
      co_return Status::Ok();
    }
    if (!s.IsAlreadyExists()) co_return s;
    // Another process wrote that version (ours are serialized): adopt the latest and
    // re-apply our edit, unless a newer writer claimed the database.
    Result<std::optional<Manifest>> latest = co_await core_->manifest_store.LoadLatest();
    if (!latest.ok()) co_return latest.status();
    if (!latest->has_value()) co_return Status::Data("manifest disappeared");
    DbLock lock(&core_->mu);
    SLATEDB_CO_RETURN_IF_ERROR(AdoptLocked(std::move(**latest)));
  }
}

Status ManifestWriter::AdoptLocked(Manifest theirs) {
  if (theirs.writer_epoch > writer_epoch_) {
    return Status::Closed(
        CloseReason::kFenced,
        "a newer writer (epoch " + std::to_string(theirs.writer_epoch) + ") claimed the database");
  }
  // Writer-owned fields are ours; sorted runs, the compactor's watermark and epoch, and
  // checkpoints come from the store. Our L0 list loses what their compactor consumed.
  // The store's L0 list is kept too: "theirs" may be our own earlier publish whose answer
  // was lost (reported Unavailable, yet it landed with its replay boundary); dropping its
  // L0 while keeping that boundary would lose the rows of the WAL objects it covers.
  Manifest merged = std::move(theirs);
  merged.l0 = MergeL0(merged.l0, CutAtWatermark(manifest_->l0, merged.last_compacted_l0_sst_id));
  merged.replay_after_wal_id = std::max(merged.replay_after_wal_id, manifest_->replay_after_wal_id);
  merged.wal_id_last_seen = std::max(merged.wal_id_last_seen, manifest_->wal_id_last_seen);
  merged.last_l0_seq = std::max(merged.last_l0_seq, manifest_->last_l0_seq);
  merged.last_l0_clock_tick = std::max(merged.last_l0_clock_tick, manifest_->last_l0_clock_tick);
  merged.sequence_tracker = manifest_->sequence_tracker;
  // Each segment's tree likewise: their runs and watermark, our L0 views above it. A
  // segment they lack is one their version predates (only writers remove segments).
  for (const Segment& ours : manifest_->segments) {
    auto it = std::lower_bound(merged.segments.begin(), merged.segments.end(), ours.prefix,
                               [](const Segment& s, const std::string& p) { return s.prefix < p; });
    if (it == merged.segments.end() || it->prefix != ours.prefix) {
      merged.segments.insert(it, ours);
    } else {
      it->l0 = MergeL0(it->l0, CutAtWatermark(ours.l0, it->last_compacted_l0_view_id));
    }
  }
  manifest_ = std::make_shared<const Manifest>(std::move(merged));
  return Status::Ok();
}

Task<Result<std::vector<std::string>>> ManifestWriter::Refresh(bool relist) {
  SLATEDB_CO_RETURN_IF_ERROR(co_await AcquireSlot());
  struct Release {
    ManifestWriter* writer;
    ~Release() { writer->ReleaseSlot(); }
  } release{this};
  uint64_t known;
  {
    DbLock lock(&core_->mu);
    if (core_->FailedLocked()) co_return core_->closed_status();
    known = manifest_->id;
  }
  SLATEDB_CO_ASSIGN_OR_RETURN(std::optional<Manifest> newer,
                              co_await core_->manifest_store.LoadNewer(known, relist));
  std::vector<std::string> dropped;
  if (!newer) co_return dropped;
  DbLock lock(&core_->mu);
  std::shared_ptr<const Manifest> before = manifest_;
  SLATEDB_CO_RETURN_IF_ERROR(AdoptLocked(std::move(*newer)));
  std::set<std::string> now;
  ForEachSst(*manifest_, [&](const SstRef& ref) { now.insert(ref.id); });
  ForEachSst(*before, [&](const SstRef& ref) {
    if (now.count(ref.id) == 0) dropped.push_back(ref.id);
  });
  co_return dropped;
}

}  // namespace slatedb
