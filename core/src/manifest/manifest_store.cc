// SPDX-License-Identifier: Apache-2.0
#include "manifest/manifest_store.h"

namespace slatedb {

Task<Result<std::vector<uint64_t>>> ManifestStore::ListIds() {
  std::string dir = paths_.ManifestDir();
  SLATEDB_CO_ASSIGN_OR_RETURN(std::vector<ObjectMeta> objects, co_await client_->List(dir, ""));
  std::vector<uint64_t> ids;
  for (const ObjectMeta& meta : objects) {
    std::optional<uint64_t> id = DbPaths::ParseId(meta.key, dir, ".manifest");
    if (id) ids.push_back(*id);
  }
  co_return ids;
}

Task<Result<Manifest>> ManifestStore::Load(uint64_t id) {
  std::string key = paths_.Manifest(id);
  Result<std::string> bytes = co_await client_->Get(key);
  if (!bytes.ok()) {
    if (bytes.status().IsNotFound()) co_return Status::Data("manifest missing: " + key);
    co_return bytes.status();
  }
  Result<Manifest> manifest = DecodeManifest(*bytes);
  if (!manifest.ok()) co_return manifest.status().WithContext(key);
  manifest->id = id;  // the object's name holds the id
  co_return manifest;
}

Task<Result<std::optional<Manifest>>> ManifestStore::LoadLatest() {
  // A listed manifest can vanish before it is read (garbage collection); list again then.
  for (int attempt = 0; attempt < 5; ++attempt) {
    SLATEDB_CO_ASSIGN_OR_RETURN(std::vector<uint64_t> ids, co_await ListIds());
    if (ids.empty()) co_return std::optional<Manifest>();
    std::string key = paths_.Manifest(ids.back());
    Result<std::string> bytes = co_await client_->Get(key);
    if (!bytes.ok() && bytes.status().IsNotFound()) continue;
    if (!bytes.ok()) co_return bytes.status();
    Result<Manifest> manifest = DecodeManifest(*bytes);
    if (!manifest.ok()) co_return manifest.status().WithContext(key);
    manifest->id = ids.back();  // the object's name holds the id
    co_return std::optional<Manifest>(std::move(*manifest));
  }
  co_return Status::Unavailable("manifest list keeps changing under us");
}

Task<Result<std::optional<Manifest>>> ManifestStore::LoadNewer(uint64_t known_id, bool relist) {
  if (!relist) {
    Result<std::string> next = co_await client_->Get(paths_.Manifest(known_id + 1));
    if (!next.ok() && next.status().IsNotFound()) co_return std::optional<Manifest>();
    if (!next.ok()) co_return next.status();
  }
  SLATEDB_CO_ASSIGN_OR_RETURN(std::optional<Manifest> latest, co_await LoadLatest());
  if (latest && latest->id <= known_id) co_return std::optional<Manifest>();
  co_return latest;
}

Task<Status> ManifestStore::Create(Manifest manifest) {
  ObjectPutOptions options;
  options.mode = PutMode::kCreateIfAbsent;
  const std::string key = paths_.Manifest(manifest.id);
  Result<ObjectMeta> r = co_await client_->Put(key, EncodeManifest(manifest), options);
  if (!r.ok()) co_return r.status();
  const std::string what = "manifest " + std::to_string(manifest.id);
  // Create-if-absent alone is not a compare-and-swap once GC deletes old versions: a
  // create of version N from a stale base (a process that has not seen N..M), or one that
  // landed late, succeeds if GC already collected the N another process wrote, though
  // M > N is the latest. Readers then never see it, and its sender would believe it
  // committed. Two checks catch it. The GC boundary (gc/gc_boundary.h): a collector that
  // deletes N first raises it to N or more, so N at or below it was taken. And a listing:
  // no newer version existing after our create means it is the latest (GC never deletes the
  // latest, so a collected N implies a newer one that stays); that also covers collectors
  // that keep no boundary.
  Status above = co_await boundary_.CheckCreated(manifest.id, what);
  if (!above.ok() && !above.IsAlreadyExists()) co_return above;
  SLATEDB_CO_ASSIGN_OR_RETURN(std::optional<GcBoundary::NextVersion> next,
                              co_await GcBoundary::FindNextVersion(client_, paths_.ManifestDir(),
                                                                   ".manifest", key, manifest.id));
  if (!next) {
    if (above.ok()) co_return Status::Ok();
    // The newest version, yet under the boundary: a boundary left from an earlier database
    // at this path, or one raised by hand. Never delete what may be the latest version.
    co_return Status::Unavailable(what + " is the newest version but " + above.message() +
                                  "; the boundary object does not belong to this database");
  }
  // A newer version exists. In the stale case N+1 was stored before our create (it was
  // built on the N that GC later collected). If the store wrote N+1 strictly after ours,
  // it was created while ours stood at N, so it was built on ours (another process's
  // update, e.g. a reader moving its checkpoint right after our flush): committed, even if
  // a collector has since put N under its boundary. (Only a process that read the
  // collected N and then stalled past GC's minimum manifest age could break this.)
  Result<ObjectMeta> ours = co_await client_->Head(key);
  if (ours.ok() && ours->last_modified_ms != 0 && next->written_ms > ours->last_modified_ms) {
    co_return Status::Ok();
  }
  // Only a next version stored strictly before ours proves ours filled a hole: with equal
  // times it may have been built on ours (the simulation's clock makes that common), and
  // deleting ours would delete a committed, possibly checkpoint-pinned version.
  if (above.IsAlreadyExists() && ours.ok() && ours->last_modified_ms != 0 &&
      next->written_ms < ours->last_modified_ms) {
    // Ours fills a hole the collector left below a newer version: a lost race, as if N
    // were there (upstream's answer too). The object is dead; it goes now rather than at
    // the next pass.
    (void)co_await client_->Delete(key);  // best effort
    co_return Status::AlreadyExists(what + ": " + above.message());
  }
  co_return Status::Unavailable(what + " was stored but version " + std::to_string(next->id) +
                                " exists too (a stale or late create after garbage "
                                "collection): the update's outcome is unknown");
}

}  // namespace slatedb
