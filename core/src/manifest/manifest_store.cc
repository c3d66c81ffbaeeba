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
  if (manifest->id != id) co_return Status::Data("manifest id does not match its name: " + key);
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
    if (manifest->id != ids.back()) {
      co_return Status::Data("manifest id does not match its name: " + key);
    }
    co_return std::optional<Manifest>(std::move(*manifest));
  }
  co_return Status::Unavailable("manifest list keeps changing under us");
}

Task<Status> ManifestStore::Create(Manifest manifest) {
  ObjectPutOptions options;
  options.mode = PutMode::kCreateIfAbsent;
  Result<ObjectMeta> r =
      co_await client_->Put(paths_.Manifest(manifest.id), EncodeManifest(manifest), options);
  co_return r.status();
}

}  // namespace slatedb
