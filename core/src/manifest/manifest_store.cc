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
  // Accepted is not yet committed once GC deletes old versions (GcBoundary::JudgeCreated).
  co_return co_await boundary_.JudgeCreated(paths_.ManifestDir(), ".manifest", key, manifest.id,
                                            "manifest " + std::to_string(manifest.id));
}

}  // namespace slatedb
