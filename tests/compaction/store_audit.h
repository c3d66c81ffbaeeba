// SPDX-License-Identifier: Apache-2.0
//
// StoreAudit: checks a database's objects against its manifests, for compaction and GC
// tests. "Referenced" means named by the latest manifest or by a manifest that one of its
// live checkpoints pins.
#pragma once

#include <catch2/catch.hpp>

#include <set>
#include <string>

#include "manifest/manifest.h"
#include "store/paths.h"
#include "testutil/sync_object_store.h"

namespace slatedb::testing {

struct StoreAudit {
  std::set<std::string> ssts;        // compacted/ object ids listed
  std::set<std::string> referenced;  // SST ids referenced
  std::set<uint64_t> manifests;      // manifest ids listed
  std::set<uint64_t> pinned;         // latest + checkpointed manifest ids
  std::set<uint64_t> wals;           // non-empty WAL ids listed
  Manifest latest;

  // Lists and loads everything; REQUIREs that nothing referenced is missing.
  static StoreAudit Take(SyncObjectStore& store, const std::string& path) {
    DbPaths paths(path);
    StoreAudit a;
    Result<std::vector<ObjectMeta>> manifests = store.List(paths.ManifestDir(), "");
    REQUIRE(manifests.ok());
    for (const ObjectMeta& m : *manifests) {
      if (auto id = DbPaths::ParseId(m.key, paths.ManifestDir(), ".manifest")) {
        a.manifests.insert(*id);
      }
    }
    REQUIRE(!a.manifests.empty());
    auto load = [&](uint64_t id) {
      Result<std::string> bytes = store.Get(paths.Manifest(id));
      INFO("manifest " << id);
      REQUIRE(bytes.ok());
      Result<Manifest> m = DecodeManifest(*bytes);
      REQUIRE(m.ok());
      m->id = id;  // the object's name holds the id
      return *m;
    };
    a.latest = load(*a.manifests.rbegin());
    std::vector<Manifest> pinning{a.latest};
    a.pinned.insert(a.latest.id);
    for (const Checkpoint& c : a.latest.checkpoints) {
      INFO("checkpointed manifest " << c.manifest_id << " must exist");
      REQUIRE(a.manifests.count(c.manifest_id) == 1);
      pinning.push_back(load(c.manifest_id));
      a.pinned.insert(c.manifest_id);
    }
    Result<std::vector<ObjectMeta>> ssts = store.List(paths.CompactedDir(), "");
    REQUIRE(ssts.ok());
    for (const ObjectMeta& m : *ssts) {
      std::string id = m.key.substr(paths.CompactedDir().size());
      a.ssts.insert(id.substr(0, id.size() - 4));
    }
    // SSTs a clone shares with its parent live under the parent's root: checked there.
    auto note = [&](const SstRef& r) {
      if (r.root.empty()) {
        a.referenced.insert(r.id);
        return;
      }
      INFO("SST " << r.id << " of external root " << r.root << " must exist");
      REQUIRE(store.Head(DbPaths(r.root).Compacted(r.id)).ok());
    };
    for (const Manifest& m : pinning) {
      for (const SstRef& r : m.l0) note(r);
      for (const SortedRun& run : m.sorted_runs) {
        for (const SstRef& r : run.ssts) note(r);
      }
    }
    for (const std::string& id : a.referenced) {
      INFO("referenced SST " << id << " must exist");
      REQUIRE(a.ssts.count(id) == 1);
    }
    Result<std::vector<ObjectMeta>> wals = store.List(paths.WalDir(), "");
    REQUIRE(wals.ok());
    std::set<uint64_t> all_wals;
    for (const ObjectMeta& m : *wals) {
      auto id = DbPaths::ParseId(m.key, paths.WalDir(), ".sst");
      REQUIRE(id.has_value());
      all_wals.insert(*id);
      if (m.size_bytes > 0) a.wals.insert(*id);
    }
    // Every WAL id after the replay boundary up to the newest is there (replay needs them).
    if (!all_wals.empty()) {
      for (uint64_t id = a.latest.replay_after_wal_id + 1; id <= *all_wals.rbegin(); ++id) {
        INFO("WAL " << id << " after the replay boundary must exist");
        REQUIRE(all_wals.count(id) == 1);
      }
    }
    return a;
  }

  // After compaction and GC settled: nothing unreferenced is left.
  void RequireNothingUnreferenced() const {
    CHECK(ssts == referenced);
    CHECK(manifests == pinned);
    for (uint64_t id : wals) {
      INFO("WAL " << id << " below the replay boundary " << latest.replay_after_wal_id);
      CHECK(id >= latest.replay_after_wal_id);
    }
  }
};

}  // namespace slatedb::testing
