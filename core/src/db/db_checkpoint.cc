// SPDX-License-Identifier: Apache-2.0
//
// Checkpoints through the writer (spec/engine.md §9.2). A checkpoint is attached to the
// writer's next manifest update, so it pins the version that update stores: for scope kAll
// after the WAL and every memtable reached L0 (the version then holds every write issued
// before the call), for kDurable at once (the version's L0/sorted runs plus the WAL objects
// it records as seen, which is everything durable).
#include "db/db_impl.h"
#include "manifest/checkpoint_edit.h"

namespace slatedb {

Task<Result<CheckpointCreateResult>> DbImpl::CreateCheckpoint(CheckpointOptions options) {
  auto self = shared_from_this();
  if (options.source) SLATEDB_CO_RETURN_IF_ERROR(ValidateCheckpointId(*options.source, "source"));
  if (options.scope == CheckpointScope::kAll) {
    SLATEDB_CO_RETURN_IF_ERROR(co_await Flush(FlushType::kMemTable));
  }
  std::string id;
  int64_t now;
  {
    DbLock lock(&core_.mu);
    SLATEDB_CO_RETURN_IF_ERROR(core_.closed_status());
    id = core_.NewCheckpointIdLocked();
    now = core_.TickLocked();
  }
  CheckpointCreateResult created;
  ManifestEdit add = [&](Manifest& m) -> Status {
    SLATEDB_ASSIGN_OR_RETURN(created, AddCheckpoint(m, id, options, now));
    return Status::Ok();
  };
  SLATEDB_CO_RETURN_IF_ERROR(co_await manifest_.Update(add));
  co_return created;
}

Task<Status> DbImpl::RefreshCheckpoint(std::string id, std::optional<uint64_t> lifetime_ms) {
  auto self = shared_from_this();
  SLATEDB_CO_RETURN_IF_ERROR(ValidateCheckpointId(id));
  int64_t now;
  {
    DbLock lock(&core_.mu);
    SLATEDB_CO_RETURN_IF_ERROR(core_.closed_status());
    now = core_.TickLocked();
  }
  ManifestEdit refresh = [&](Manifest& m) {
    return slatedb::RefreshCheckpoint(m, id, lifetime_ms, now);
  };
  co_return co_await manifest_.Update(refresh);
}

Task<Status> DbImpl::DeleteCheckpoint(std::string id) {
  auto self = shared_from_this();
  SLATEDB_CO_RETURN_IF_ERROR(ValidateCheckpointId(id));
  SLATEDB_CO_RETURN_IF_ERROR(status());
  ManifestEdit remove = [&](Manifest& m) {
    RemoveCheckpoint(m, id);
    return Status::Ok();
  };
  co_return co_await manifest_.Update(remove);
}

Task<Result<std::vector<CheckpointInfo>>> DbImpl::ListCheckpoints() {
  auto self = shared_from_this();
  SLATEDB_CO_RETURN_IF_ERROR(status());
  // From the store, not our cached version: admins and readers add checkpoints too.
  SLATEDB_CO_ASSIGN_OR_RETURN(std::optional<Manifest> latest,
                              co_await core_.manifest_store.LoadLatest());
  std::vector<CheckpointInfo> out;
  if (latest) {
    for (const Checkpoint& c : latest->checkpoints) out.push_back(ToCheckpointInfo(c));
  }
  co_return out;
}

}  // namespace slatedb
