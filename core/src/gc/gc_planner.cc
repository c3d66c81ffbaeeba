// SPDX-License-Identifier: Apache-2.0
#include "gc/gc_planner.h"

#include <algorithm>
#include <set>

#include "util/ulid.h"

namespace slatedb {

std::vector<Checkpoint> LiveCheckpoints(const Manifest& manifest, int64_t now_ms) {
  std::vector<Checkpoint> out;
  for (const Checkpoint& c : manifest.checkpoints) {
    if (c.expire_time_s == 0 || int64_t{c.expire_time_s} * 1000 > now_ms) out.push_back(c);
  }
  return out;
}

GcPlan PlanGc(const DbPaths& paths, const GcInputs& in) {
  GcPlan plan;
  const Manifest& latest = *in.latest;
  const int64_t age_cutoff = in.now_ms - static_cast<int64_t>(in.min_age_ms);
  auto old_enough = [&](const ObjectMeta& meta) { return meta.last_modified_ms <= age_cutoff; };

  // Manifests.
  std::set<uint64_t> pinned_manifests{latest.id};
  for (const Checkpoint& c : latest.checkpoints) pinned_manifests.insert(c.manifest_id);
  uint64_t newest_listed = 0;
  for (const ObjectMeta& meta : in.manifests) {
    if (auto id = DbPaths::ParseId(meta.key, paths.ManifestDir(), ".manifest")) {
      newest_listed = std::max(newest_listed, *id);
    }
  }
  for (const ObjectMeta& meta : in.manifests) {
    auto id = DbPaths::ParseId(meta.key, paths.ManifestDir(), ".manifest");
    if (!id || *id >= latest.id || *id >= newest_listed) continue;
    if (pinned_manifests.count(*id) || !old_enough(meta)) continue;
    plan.manifests.push_back(meta.key);
  }

  // WAL objects.
  auto wal_needed = [&](uint64_t id) {
    if (id >= latest.replay_after_wal_id) return true;
    for (const Manifest* m : in.checkpointed) {
      // A checkpoint's reader replays after its boundary, up to the fence after the WAL
      // ids it had seen.
      if (id > m->replay_after_wal_id && id <= m->wal_id_last_seen + 1) return true;
    }
    return false;
  };
  for (const ObjectMeta& meta : in.wals) {
    auto id = DbPaths::ParseId(meta.key, paths.WalDir(), ".sst");
    if (!id || wal_needed(*id) || meta.size_bytes == 0 || !old_enough(meta)) continue;
    plan.wals.push_back(meta.key);
  }

  // SSTs.
  std::set<std::string> referenced;
  auto add_refs = [&](const Manifest& m) {
    ForEachSstRef(m, [&](const SstRef& ref) { referenced.insert(ref.id); });
  };
  add_refs(latest);
  for (const Manifest* m : in.checkpointed) add_refs(*m);
  const std::string dir = paths.CompactedDir();
  for (const ObjectMeta& meta : in.ssts) {
    std::string_view key = meta.key;
    if (key.size() < dir.size() + 4 || key.substr(0, dir.size()) != dir ||
        key.substr(key.size() - 4) != ".sst") {
      continue;  // not ours
    }
    std::string id(key.substr(dir.size(), key.size() - dir.size() - 4));
    if (referenced.count(id)) continue;
    // An SST's id says when it was minted; GC never trusts a listing alone.
    std::optional<int64_t> minted = UlidTimestampMs(id);
    int64_t when = minted ? *minted : meta.last_modified_ms;
    // Minted before every upload still in flight began, and strictly before this pass
    // began (an upload starting during the pass mints ids at or after its start).
    if (when < in.inflight_floor_ms && when < age_cutoff) plan.ssts.push_back(meta.key);
  }
  return plan;
}

}  // namespace slatedb
