// SPDX-License-Identifier: Apache-2.0
//
// Admin: manifests as JSON, detached checkpoints, standalone GC and the sequence <-> time
// mapping. Checkpoint changes go through EditLatestManifest (a checkpoints-only CAS).
#include "slatedb/admin.h"

#include <algorithm>
#include <nlohmann/json.hpp>

#include "admin/admin_impl.h"
#include "admin/manifest_json.h"
#include "gc/gc_pass.h"
#include "gc/gc_planner.h"
#include "manifest/checkpoint_edit.h"
#include "util/async.h"

namespace slatedb {

namespace {

constexpr uint64_t kDefaultGcMinAgeMs = 300'000;

Status ValidateOnce(const GcDirectoryOptions& dir) {
  if (dir.interval_ms && !dir.min_age_ms) {
    return Status::Invalid("gc opts: 'min_age' is required when specifying interval");
  }
  return Status::Ok();
}

Status ValidateScheduled(const GcDirectoryOptions& dir) {
  if (dir.min_age_ms && !dir.interval_ms) {
    return Status::Invalid("gc opts: 'interval' is required when scheduling background GC");
  }
  if (dir.interval_ms && *dir.interval_ms == 0) {
    return Status::Invalid("gc opts: 'interval' must be > 0");
  }
  return Status::Ok();
}

}  // namespace

std::string AdminImpl::NewUuidLocked() { return NewUuid(random_); }

Result<std::shared_ptr<Admin>> Admin::Create(AdminOptions options) {
  if (!options.object_store) return Status::Invalid("AdminOptions.object_store is required");
  if (!options.executor) return Status::Invalid("AdminOptions.executor is required");
  if (!options.clock) return Status::Invalid("AdminOptions.clock is required");
  const std::string& path = options.path;
  if (!path.empty() && (path.front() == '/' || path.back() == '/')) {
    return Status::Invalid("AdminOptions.path must not start or end with '/': " + path);
  }
  return std::shared_ptr<Admin>(new Admin(std::make_shared<AdminImpl>(std::move(options))));
}

Admin::Admin(std::shared_ptr<AdminImpl> impl) : impl_(std::move(impl)) {}

Admin::~Admin() { impl_->gc_stopped_.store(true); }

Task<Result<std::optional<std::string>>> Admin::ReadManifest(std::optional<uint64_t> id) {
  auto impl = impl_;
  std::optional<Manifest> m;
  if (id) {
    Result<Manifest> loaded = co_await impl->manifest_store_.Load(*id);
    if (!loaded.ok()) {
      // A missing version is an answer, not an error.
      Result<ObjectMeta> head = co_await impl->client_.Head(impl->paths_.Manifest(*id));
      if (!head.ok() && head.status().IsNotFound()) co_return std::optional<std::string>();
      co_return loaded.status();
    }
    m = std::move(*loaded);
  } else {
    SLATEDB_CO_ASSIGN_OR_RETURN(m, co_await impl->manifest_store_.LoadLatest());
    if (!m) co_return std::optional<std::string>();
  }
  nlohmann::json body = ManifestToJson(*m);
  nlohmann::json out = nlohmann::json::array({m->id, std::move(body)});
  co_return std::optional<std::string>(out.dump());
}

Task<Result<std::string>> Admin::ListManifests(std::optional<uint64_t> start,
                                               std::optional<uint64_t> end) {
  auto impl = impl_;  // alive until the listing completes
  co_return co_await impl->ListSequencedObjectsJson(impl->paths_.ManifestDir(), ".manifest", start,
                                                    end);
}

Task<Result<std::string>> AdminImpl::ListSequencedObjectsJson(std::string dir, std::string suffix,
                                                              std::optional<uint64_t> start,
                                                              std::optional<uint64_t> end) {
  SLATEDB_CO_ASSIGN_OR_RETURN(std::vector<ObjectMeta> objects, co_await client_.List(dir, ""));
  nlohmann::json out = nlohmann::json::array();
  for (const ObjectMeta& meta : objects) {
    std::optional<uint64_t> id = DbPaths::ParseId(meta.key, dir, suffix);
    if (!id || *id < start.value_or(0) || *id >= end.value_or(UINT64_MAX)) continue;
    out.push_back(nlohmann::json{{"id", *id},
                                 {"location", meta.key},
                                 {"last_modified", meta.last_modified_ms},
                                 {"size", meta.size_bytes}});
  }
  co_return out.dump();
}

Task<Result<CheckpointCreateResult>> AdminImpl::CreateDetachedCheckpoint(
    const DbPaths& paths, CheckpointOptions options) {
  auto self = shared_from_this();
  if (options.source) {
    SLATEDB_CO_RETURN_IF_ERROR(ValidateCheckpointId(*options.source, "source"));
  }
  ManifestStore store(&client_, paths);
  // WAL objects above every manifest's replay boundary are contiguous; the highest listed
  // one bounds what the checkpoint's readers and clones replay.
  uint64_t highest_wal = 0;
  if (!options.source) {
    const std::string dir = paths.WalDir();
    SLATEDB_CO_ASSIGN_OR_RETURN(std::vector<ObjectMeta> wals,
                                co_await WalClientFor(paths).List(dir, ""));
    for (const ObjectMeta& meta : wals) {
      if (auto id = DbPaths::ParseId(meta.key, dir, ".sst"))
        highest_wal = std::max(highest_wal, *id);
    }
  }
  std::string id = NewId();
  int64_t now = options_.clock->NowMillis();
  CheckpointCreateResult created;
  ManifestEditFn add = [&](Manifest& m) -> Status {
    // Informational for the writer (it merges by max), so raising it is safe.
    m.wal_id_last_seen = std::max(m.wal_id_last_seen, highest_wal);
    SLATEDB_ASSIGN_OR_RETURN(created, AddCheckpoint(m, id, options, now));
    return Status::Ok();
  };
  SLATEDB_CO_RETURN_IF_ERROR((co_await EditLatestManifest(&store, add)).status());
  co_return created;
}

Task<Result<CheckpointCreateResult>> Admin::CreateCheckpoint(const CheckpointOptions& options) {
  return impl_->CreateDetachedCheckpoint(impl_->paths_, options);
}

Task<Status> Admin::RefreshCheckpoint(std::string id, std::optional<uint64_t> lifetime_ms) {
  auto impl = impl_;
  SLATEDB_CO_RETURN_IF_ERROR(ValidateCheckpointId(id));
  int64_t now = impl->options_.clock->NowMillis();
  ManifestEditFn refresh = [&](Manifest& m) {
    return slatedb::RefreshCheckpoint(m, id, lifetime_ms, now);
  };
  co_return (co_await EditLatestManifest(&impl->manifest_store_, refresh)).status();
}

Task<Status> Admin::DeleteCheckpoint(std::string id) {
  auto impl = impl_;
  SLATEDB_CO_RETURN_IF_ERROR(ValidateCheckpointId(id));
  ManifestEditFn remove = [&](Manifest& m) {
    RemoveCheckpoint(m, id);
    return Status::Ok();
  };
  co_return (co_await EditLatestManifest(&impl->manifest_store_, remove)).status();
}

Task<Result<std::vector<CheckpointInfo>>> Admin::ListCheckpoints(std::optional<std::string> name) {
  auto impl = impl_;
  SLATEDB_CO_ASSIGN_OR_RETURN(std::optional<Manifest> latest,
                              co_await impl->manifest_store_.LoadLatest());
  if (!latest) co_return Status::Data("no database at '" + impl->options_.path + "'");
  std::vector<CheckpointInfo> out;
  for (const Checkpoint& c : latest->checkpoints) {
    if (name && c.name != *name) continue;
    out.push_back(ToCheckpointInfo(c));
  }
  co_return out;
}

namespace {

// Coroutines over the shared state only (not the Admin handle, which may go while a
// periodic GC runs), taking their options by value (the caller's may be gone after the
// first suspension).
Task<Result<GcReport>> GcOnce(std::shared_ptr<AdminImpl> impl, AdminGcOptions options,
                              bool dry_run) {
  SLATEDB_CO_RETURN_IF_ERROR(ValidateOnce(options.manifest));
  SLATEDB_CO_RETURN_IF_ERROR(ValidateOnce(options.wal));
  SLATEDB_CO_RETURN_IF_ERROR(ValidateOnce(options.compacted));
  SLATEDB_CO_RETURN_IF_ERROR(ValidateOnce(options.compactions));
  const int64_t now = impl->options_.clock->NowMillis();
  GcReport report;
  report.dry_run = dry_run;
  // Expired checkpoints first, so what they pinned can go in this pass. (The plan below
  // counts only live checkpoints either way, so a dry run plans the same deletions.)
  SLATEDB_CO_ASSIGN_OR_RETURN(std::optional<Manifest> latest,
                              co_await impl->manifest_store_.LoadLatest());
  if (!latest) co_return Status::Data("no database at '" + impl->options_.path + "'");
  const std::vector<Checkpoint> live = LiveCheckpoints(*latest, now);  // the one expiry rule
  for (const Checkpoint& c : latest->checkpoints) {
    auto same = [&](const Checkpoint& l) { return l.id == c.id; };
    if (std::none_of(live.begin(), live.end(), same)) report.expired_checkpoints.push_back(c.id);
  }
  if (!dry_run && !report.expired_checkpoints.empty()) {
    ManifestEditFn drop = [now](Manifest& m) {
      m.checkpoints = LiveCheckpoints(m, now);
      return Status::Ok();
    };
    SLATEDB_CO_RETURN_IF_ERROR(
        (co_await EditLatestManifest(&impl->manifest_store_, drop)).status());
  }
  GcPassOptions pass;
  pass.now_ms = now;
  pass.manifest_min_age_ms = options.manifest.min_age_ms;
  pass.wal_min_age_ms = options.wal.min_age_ms;
  pass.sst_min_age_ms = options.compacted.min_age_ms;
  pass.floor_at_newest_l0 = true;
  pass.dry_run = dry_run;
  pass.boundary_files = options.boundary_files;
  SLATEDB_CO_ASSIGN_OR_RETURN(GcPassResult result,
                              co_await RunGcPass(&impl->client_, &impl->manifest_store_,
                                                 &impl->compactions_store_, impl->paths_, pass));
  report.compactions_floor_ms = result.compactions_floor_ms;
  report.manifests = std::move(result.deleted_manifests);
  report.manifests_skipped = result.manifests_skipped;
  report.wals = std::move(result.deleted_wals);
  for (const std::string& id : result.deleted_sst_ids) {
    report.ssts.push_back(impl->paths_.Compacted(id));
  }
  if (options.compactions.min_age_ms) {
    const int64_t cutoff = now - static_cast<int64_t>(*options.compactions.min_age_ms);
    SLATEDB_CO_ASSIGN_OR_RETURN(report.compactions, co_await impl->compactions_store_.CollectOld(
                                                        cutoff, dry_run, options.boundary_files,
                                                        &report.compactions_skipped));
  }
  co_return report;
}

Task<Status> GcOnceStatus(std::shared_ptr<AdminImpl> impl, AdminGcOptions options) {
  co_return (co_await GcOnce(std::move(impl), std::move(options), false)).status();
}

Task<Status> GcLoop(std::shared_ptr<AdminImpl> impl, AdminGcOptions options) {
  SLATEDB_CO_RETURN_IF_ERROR(ValidateScheduled(options.manifest));
  SLATEDB_CO_RETURN_IF_ERROR(ValidateScheduled(options.wal));
  SLATEDB_CO_RETURN_IF_ERROR(ValidateScheduled(options.compacted));
  SLATEDB_CO_RETURN_IF_ERROR(ValidateScheduled(options.compactions));
  AdminGcOptions once;
  uint64_t interval = UINT64_MAX;
  auto take = [&](const GcDirectoryOptions& in, GcDirectoryOptions* out) {
    if (!in.interval_ms) return;
    interval = std::min(interval, *in.interval_ms);
    out->min_age_ms = in.min_age_ms.value_or(kDefaultGcMinAgeMs);
  };
  take(options.manifest, &once.manifest);
  take(options.wal, &once.wal);
  take(options.compacted, &once.compacted);
  take(options.compactions, &once.compactions);
  once.boundary_files = options.boundary_files;
  if (interval == UINT64_MAX) co_return Status::Ok();  // nothing scheduled
  impl->gc_stopped_.store(false);
  while (!impl->gc_stopped_.load()) {
    // A failed pass is retried at the next tick.
    (void)co_await GcOnce(impl, once, false);
    co_await SleepFor(*impl->options_.executor, interval);
  }
  co_return Status::Ok();
}

}  // namespace

Task<Status> Admin::RunGcOnce(const AdminGcOptions& options) {
  return GcOnceStatus(impl_, options);
}

Task<Result<GcReport>> Admin::CollectGarbage(const AdminGcOptions& options, bool dry_run) {
  return GcOnce(impl_, options, dry_run);
}

Task<Status> Admin::RunGc(const AdminGcOptions& options) { return GcLoop(impl_, options); }

void Admin::StopGc() { impl_->gc_stopped_.store(true); }

Task<Result<std::optional<int64_t>>> Admin::GetTimestampForSequence(uint64_t seq, bool round_up) {
  auto impl = impl_;
  SLATEDB_CO_ASSIGN_OR_RETURN(std::optional<Manifest> latest,
                              co_await impl->manifest_store_.LoadLatest());
  if (!latest) co_return Status::Data("no database at '" + impl->options_.path + "'");
  co_return latest->sequence_tracker.TimeForSequence(seq, round_up);
}

Task<Result<std::optional<uint64_t>>> Admin::GetSequenceForTimestamp(int64_t time_ms,
                                                                     bool round_up) {
  auto impl = impl_;
  SLATEDB_CO_ASSIGN_OR_RETURN(std::optional<Manifest> latest,
                              co_await impl->manifest_store_.LoadLatest());
  if (!latest) co_return Status::Data("no database at '" + impl->options_.path + "'");
  co_return latest->sequence_tracker.SequenceForTime(time_ms, round_up);
}

Task<Status> Admin::CreateClone(std::string parent_path,
                                std::optional<std::string> parent_checkpoint) {
  return impl_->CreateClone(std::move(parent_path), std::move(parent_checkpoint));
}

Task<Status> Admin::CreateClone(std::vector<CloneSource> sources) {
  if (sources.size() == 1 && !sources[0].projection) {
    return impl_->CreateClone(std::move(sources[0].path), std::move(sources[0].checkpoint));
  }
  return impl_->CreateUnionClone(std::move(sources));
}

}  // namespace slatedb
