// SPDX-License-Identifier: Apache-2.0
//
// Admin::DeleteDatabase: the hard delete of SlateDB's checkpoint design (upstream RFC
// 0004, "Deleting a Database"), in an order that a re-run can always finish:
//  1. refuse while live checkpoints exist (a clone's pin, a reader's, a user's);
//  2. delete every object of the database's directories but the latest manifest;
//  3. release the pins this database (a clone) holds in its parents;
//  4. delete the latest manifest.
// A forced delete (upstream's Admin.delete_db) takes every object under the path, with a
// marker object written before step 2 and deleted after step 4.
// Until step 4 the latest manifest is there, so a re-run sees the same database and the
// same pins to release.
#include <algorithm>

#include "admin/admin_impl.h"
#include "gc/gc_planner.h"
#include "manifest/checkpoint_edit.h"
#include "util/async.h"

namespace slatedb {

namespace {

// Deletes issued together.
constexpr size_t kParallelDeletes = 8;

std::string DescribeCheckpoint(const Checkpoint& c, int64_t now_ms) {
  std::string out = c.id;
  if (!c.name.empty()) out += " ('" + c.name + "')";
  const int64_t expire_ms = int64_t{c.expire_time_s} * 1000;  // the format stores seconds
  out += c.expire_time_s == 0
             ? ", never expires"
             : ", expires in " + std::to_string((expire_ms - now_ms + 999) / 1000) + " s";
  return out;
}

}  // namespace

Task<Result<DeleteDatabaseReport>> Admin::DeleteDatabase(DeleteDatabaseOptions options) {
  auto impl = impl_;
  const std::string& path = impl->options_.path;
  SLATEDB_CO_ASSIGN_OR_RETURN(std::optional<Manifest> latest,
                              co_await impl->manifest_store_.LoadLatest());
  if (!latest && !options.force) co_return Status::Data("no database at '" + path + "'");

  // 1. Live checkpoints mean someone still reads this database.
  const int64_t now = impl->options_.clock->NowMillis();
  std::vector<Checkpoint> live = latest ? LiveCheckpoints(*latest, now) : std::vector<Checkpoint>{};
  if (!live.empty() && !options.force) {
    std::string list;
    for (const Checkpoint& c : live)
      list += (list.empty() ? "" : "; ") + DescribeCheckpoint(c, now);
    co_return Status::Invalid("database '" + path + "' has " + std::to_string(live.size()) +
                              " live checkpoint(s), which a clone or reader may still use: " +
                              list + ". Delete them (or let them expire) first");
  }

  // 2. Everything but the latest manifest (and the marker), which go last.
  const std::string latest_key = latest ? impl->paths_.Manifest(latest->id) : std::string();
  const std::string marker = impl->paths_.DeletingMarker();
  std::vector<std::string> keys;
  const std::vector<std::string> dirs =
      options.force
          ? std::vector<std::string>{impl->paths_.Prefix()}
          : std::vector<std::string>{impl->paths_.WalDir(), impl->paths_.CompactedDir(),
                                     impl->paths_.CompactionsDir(), impl->paths_.ManifestDir(),
                                     // A boundary left behind would refuse the versions
                                     // of a database created here later.
                                     impl->paths_.GcDir()};
  for (const std::string& dir : dirs) {
    SLATEDB_CO_ASSIGN_OR_RETURN(std::vector<ObjectMeta> objects,
                                co_await impl->client_.List(dir, ""));
    for (const ObjectMeta& meta : objects) {
      if (meta.key != latest_key && meta.key != marker) keys.push_back(meta.key);
    }
  }
  DeleteDatabaseReport report;
  if (options.dry_run) {
    report.keys = std::move(keys);
    if (latest) report.keys.push_back(latest_key);
    co_return report;
  }
  if (options.force) {
    ObjectPutOptions overwrite;  // named: GCC's coroutines double-free a temporary argument
    Result<ObjectMeta> put = co_await impl->client_.Put(marker, std::string(), overwrite);
    SLATEDB_CO_RETURN_IF_ERROR(put.status());
  }
  for (size_t i = 0; i < keys.size(); i += kParallelDeletes) {
    std::vector<Task<Status>> deletes;
    for (size_t j = i; j < std::min(keys.size(), i + kParallelDeletes); ++j) {
      deletes.push_back(impl->client_.Delete(keys[j]));
    }
    std::vector<Status> results = co_await WhenAll(std::move(deletes));
    for (const Status& s : results) SLATEDB_CO_RETURN_IF_ERROR(s);
    report.objects_deleted += std::min(keys.size(), i + kParallelDeletes) - i;
  }
  report.keys = std::move(keys);

  // 3. The pins in parent databases. A parent that is already gone holds no pin.
  // A named copy: GCC's coroutines mishandle a temporary range that lives across co_await.
  const std::vector<ExternalDb> parents = latest ? latest->external_dbs : std::vector<ExternalDb>{};
  for (const ExternalDb& parent : parents) {
    if (parent.final_checkpoint_id.empty()) continue;
    ManifestStore parent_store(&impl->client_, DbPaths(parent.path));
    const std::string id = parent.final_checkpoint_id;
    bool held = false;
    ManifestEditFn release = [&](Manifest& m) {
      held = FindCheckpoint(m, id) != nullptr;
      RemoveCheckpoint(m, id);
      return Status::Ok();
    };
    SLATEDB_CO_ASSIGN_OR_RETURN(std::optional<Manifest> parent_latest,
                                co_await parent_store.LoadLatest());
    if (!parent_latest || FindCheckpoint(*parent_latest, id) == nullptr) continue;
    SLATEDB_CO_RETURN_IF_ERROR((co_await EditLatestManifest(&parent_store, release)).status());
    if (held) report.released_pins.push_back(parent.path + ": " + id);
  }

  // 4. The database is gone once its last manifest is (then the marker).
  if (latest) {
    SLATEDB_CO_RETURN_IF_ERROR(co_await impl->client_.Delete(latest_key));
    report.objects_deleted += 1;
    report.keys.push_back(latest_key);
  }
  if (options.force) {
    SLATEDB_CO_RETURN_IF_ERROR(co_await impl->client_.Delete(marker));
    report.objects_deleted += 1;
    report.keys.push_back(marker);
  }
  co_return report;
}

}  // namespace slatedb
