// SPDX-License-Identifier: Apache-2.0
//
// Admin::DeleteDatabase: the hard delete of SlateDB's checkpoint design (upstream RFC
// 0004, "Deleting a Database"), in an order that a re-run can always finish:
//  1. refuse while live checkpoints exist (a clone's pin, a reader's, a user's);
//  2. delete every object of the database's directories but the latest manifest;
//  3. release the pins this database (a clone) holds in its parents;
//  4. delete the latest manifest.
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

Task<Result<DeleteDatabaseReport>> Admin::DeleteDatabase() {
  auto impl = impl_;
  const std::string& path = impl->options_.path;
  SLATEDB_CO_ASSIGN_OR_RETURN(std::optional<Manifest> latest,
                              co_await impl->manifest_store_.LoadLatest());
  if (!latest) co_return Status::Data("no database at '" + path + "'");

  // 1. Live checkpoints mean someone still reads this database.
  const int64_t now = impl->options_.clock->NowMillis();
  std::vector<Checkpoint> live = LiveCheckpoints(*latest, now);
  if (!live.empty()) {
    std::string list;
    for (const Checkpoint& c : live)
      list += (list.empty() ? "" : "; ") + DescribeCheckpoint(c, now);
    co_return Status::Invalid("database '" + path + "' has " + std::to_string(live.size()) +
                              " live checkpoint(s), which a clone or reader may still use: " +
                              list + ". Delete them (or let them expire) first");
  }

  // 2. Everything but the latest manifest.
  const std::string latest_key = impl->paths_.Manifest(latest->id);
  std::vector<std::string> keys;
  const std::vector<std::string> dirs = {impl->paths_.WalDir(), impl->paths_.CompactedDir(),
                                         impl->paths_.CompactionsDir(), impl->paths_.ManifestDir()};
  for (const std::string& dir : dirs) {
    SLATEDB_CO_ASSIGN_OR_RETURN(std::vector<ObjectMeta> objects,
                                co_await impl->client_.List(dir, ""));
    for (const ObjectMeta& meta : objects) {
      if (meta.key != latest_key) keys.push_back(meta.key);
    }
  }
  DeleteDatabaseReport report;
  for (size_t i = 0; i < keys.size(); i += kParallelDeletes) {
    std::vector<Task<Status>> deletes;
    for (size_t j = i; j < std::min(keys.size(), i + kParallelDeletes); ++j) {
      deletes.push_back(impl->client_.Delete(keys[j]));
    }
    std::vector<Status> results = co_await WhenAll(std::move(deletes));
    for (const Status& s : results) SLATEDB_CO_RETURN_IF_ERROR(s);
    report.objects_deleted += std::min(keys.size(), i + kParallelDeletes) - i;
  }

  // 3. The pins in parent databases. A parent that is already gone holds no pin.
  for (const ExternalDb& parent : latest->external_dbs) {
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

  // 4. The database is gone once its last manifest is.
  SLATEDB_CO_RETURN_IF_ERROR(co_await impl->client_.Delete(latest_key));
  report.objects_deleted += 1;
  co_return report;
}

}  // namespace slatedb
