// SPDX-License-Identifier: Apache-2.0
//
// Clone creation (spec/engine.md §9.4), resumable at every step:
//  1. resolve the parent's checkpoint (given, or a new 5-minute one of its latest version);
//  2. write the clone's manifest 1 with initialized=false: the pinned version's SSTs, each
//     marked with the root that owns it, and one external_dbs entry per such root naming a
//     fresh final_checkpoint_id;
//  3. in every external root, create checkpoint final_checkpoint_id with no expiry on the
//     same version (the GC pin: that root's GC now keeps every SST the clone reads);
//  4. copy the WAL objects the pinned version records into the clone's wal/ (with a separate
//     WAL store, from the parent's WAL objects there to the clone's, as upstream);
//  5. write manifest 2 with initialized=true. Writers refuse an uninitialized database.
// A re-run finds manifest 1, checks it is the same clone and continues from step 3.
#include <algorithm>
#include <map>

#include "admin/admin_impl.h"
#include "admin/clone_roots.h"
#include "manifest/checkpoint_edit.h"

namespace slatedb {

namespace {

constexpr uint64_t kCloneSourceCheckpointLifetimeMs = 5 * 60 * 1000;

}  // namespace

Task<Status> AdminImpl::CreateClone(std::string parent_path,
                                    std::optional<std::string> checkpoint) {
  auto self = shared_from_this();
  if (parent_path == options_.path) {
    co_return Status::Invalid("a clone needs a path other than its parent's: " + parent_path);
  }
  if (!parent_path.empty() && (parent_path.front() == '/' || parent_path.back() == '/')) {
    co_return Status::Invalid("parent path must not start or end with '/': " + parent_path);
  }
  if (checkpoint)
    SLATEDB_CO_RETURN_IF_ERROR(ValidateCheckpointId(*checkpoint, "parent checkpoint"));
  DbPaths parent_paths(parent_path);
  ManifestStore parent_store(&client_, parent_paths);

  // An earlier run may have got part of the way.
  SLATEDB_CO_ASSIGN_OR_RETURN(std::optional<Manifest> existing,
                              co_await manifest_store_.LoadLatest());
  if (existing) {
    bool same_parent =
        !existing->external_dbs.empty() && existing->external_dbs[0].path == parent_path &&
        (!checkpoint || existing->external_dbs[0].source_checkpoint_id == *checkpoint);
    if (!same_parent) {
      co_return Status::Invalid("a database already exists at '" + options_.path + "'");
    }
    if (existing->initialized) co_return Status::Ok();
    checkpoint = existing->external_dbs[0].source_checkpoint_id;
  }

  // 1. The parent's checkpoint and the version it pins.
  SLATEDB_CO_ASSIGN_OR_RETURN(std::optional<Manifest> parent_latest,
                              co_await parent_store.LoadLatest());
  if (!parent_latest) co_return Status::Data("no database at parent path '" + parent_path + "'");
  uint64_t source_manifest_id = 0;
  if (checkpoint) {
    const Checkpoint* c = FindCheckpoint(*parent_latest, *checkpoint);
    if (c == nullptr) {
      co_return Status::Data("checkpoint " + *checkpoint + " does not exist in '" + parent_path +
                             "'");
    }
    source_manifest_id = c->manifest_id;
  } else {
    CheckpointOptions temp;
    temp.lifetime_ms = kCloneSourceCheckpointLifetimeMs;
    temp.name = "clone source";
    SLATEDB_CO_ASSIGN_OR_RETURN(CheckpointCreateResult created,
                                co_await CreateDetachedCheckpoint(parent_paths, temp));
    checkpoint = created.id;
    source_manifest_id = created.manifest_id;
  }
  SLATEDB_CO_ASSIGN_OR_RETURN(Manifest source, co_await parent_store.Load(source_manifest_id));

  // 2. The clone's first manifest.
  Manifest clone;
  if (existing) {
    clone = std::move(*existing);
  } else {
    clone = source;
    clone.id = 1;
    clone.writer_epoch = 0;
    clone.compactor_epoch = 0;
    clone.initialized = false;
    clone.checkpoints.clear();
    SstIdsByRoot by_root = MarkRoots(clone, parent_path);
    clone.external_dbs.clear();
    // The parent first (it also holds the WAL range), then older ancestors whose SSTs the
    // pinned version still names: their pin reuses the parent's pin there (same version).
    ExternalDb parent;
    parent.path = parent_path;
    parent.source_checkpoint_id = *checkpoint;
    parent.final_checkpoint_id = NewId();
    parent.sst_ids = by_root[parent_path];
    clone.external_dbs.push_back(std::move(parent));
    AppendAncestors(
        source.external_dbs, by_root, [this] { return NewId(); }, &clone.external_dbs);
    Status created = co_await manifest_store_.Create(clone);
    if (created.IsAlreadyExists()) {
      co_return Status::Unavailable("another process is creating a database at '" + options_.path +
                                    "'; retry");
    }
    SLATEDB_CO_RETURN_IF_ERROR(created);
  }

  // 3. Pin the shared SSTs in every external root.
  SLATEDB_CO_RETURN_IF_ERROR(co_await PinCloneExternals(clone));

  // 4. The WAL objects the pinned version records (rows not yet in its SSTs).
  ObjectPutOptions create;
  create.mode = PutMode::kCreateIfAbsent;
  for (uint64_t id = clone.replay_after_wal_id + 1; id <= clone.wal_id_last_seen; ++id) {
    Result<std::string> bytes = co_await WalClientFor(parent_paths).Get(parent_paths.Wal(id));
    if (!bytes.ok()) {
      if (bytes.status().IsNotFound()) {
        co_return Status::Data("WAL object " + parent_paths.Wal(id) +
                               " of the cloned version is missing");
      }
      co_return bytes.status();
    }
    Result<ObjectMeta> put = co_await client_.Put(paths_.Wal(id), std::move(*bytes), create);
    if (!put.ok() && !put.status().IsAlreadyExists()) co_return put.status();  // re-run: there
  }

  // 5. Done: the clone may now be opened.
  co_return co_await FinishClone(clone);
}

Task<Status> AdminImpl::PinCloneExternals(const Manifest& clone) {
  auto self = shared_from_this();
  for (const ExternalDb& e : clone.external_dbs) {
    ManifestStore external(&client_, DbPaths(e.path));
    int64_t now = options_.clock->NowMillis();
    CheckpointOptions pin;
    pin.source = e.source_checkpoint_id;
    pin.name = "clone pin: " + options_.path;
    ManifestEditFn add = [&](Manifest& m) -> Status {
      if (FindCheckpoint(m, e.final_checkpoint_id) != nullptr) return Status::Ok();  // re-run
      return AddCheckpoint(m, e.final_checkpoint_id, pin, now).status();
    };
    Result<Manifest> pinned = co_await EditLatestManifest(&external, add);
    if (!pinned.ok()) co_return pinned.status().WithContext("pinning SSTs in '" + e.path + "'");
  }
  co_return Status::Ok();
}

Task<Status> AdminImpl::FinishClone(const Manifest& clone) {
  auto self = shared_from_this();
  Manifest ready = clone;
  ready.id = clone.id + 1;
  ready.initialized = true;
  Status s = co_await manifest_store_.Create(ready);
  if (s.IsAlreadyExists()) {
    SLATEDB_CO_ASSIGN_OR_RETURN(std::optional<Manifest> latest,
                                co_await manifest_store_.LoadLatest());
    if (latest && latest->initialized) co_return Status::Ok();  // a concurrent run finished it
    co_return Status::Unavailable("clone manifest changed concurrently; retry");
  }
  co_return s;
}

}  // namespace slatedb
