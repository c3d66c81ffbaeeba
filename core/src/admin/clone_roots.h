// SPDX-License-Identifier: Apache-2.0
//
// What a clone's manifest says about whose SSTs it shows, shared by the one-source clone
// (clone.cc) and the union clone (clone_union.cc): every SST is tagged with the database
// that owns it, and every ancestor whose SSTs the clone still shows gets an external_dbs
// entry (with a fresh pin) so that GC of that ancestor keeps them.
#pragma once

#include <functional>
#include <map>
#include <string>
#include <vector>

#include "manifest/manifest.h"

namespace slatedb {

using SstIdsByRoot = std::map<std::string, std::vector<std::string>>;

// Tags `version`'s SSTs that have no owner yet as `owner`'s, and returns every SST id
// grouped by owner.
inline SstIdsByRoot MarkRoots(Manifest& version, const std::string& owner) {
  SstIdsByRoot by_root;
  auto mark = [&](std::vector<SstRef>& refs) {
    for (SstRef& ref : refs) {
      if (ref.root.empty()) ref.root = owner;
      by_root[ref.root].push_back(ref.id);
    }
  };
  mark(version.l0);
  for (SortedRun& run : version.sorted_runs) mark(run.ssts);
  return by_root;
}

// Appends an entry for each of `ancestors` that still owns SSTs in `by_root`: pinned from
// the ancestor's own final pin, with a new final pin from `new_id`.
inline void AppendAncestors(const std::vector<ExternalDb>& ancestors, const SstIdsByRoot& by_root,
                            const std::function<std::string()>& new_id,
                            std::vector<ExternalDb>* out) {
  for (const ExternalDb& ancestor : ancestors) {
    auto it = by_root.find(ancestor.path);
    if (it == by_root.end()) continue;
    ExternalDb e;
    e.path = ancestor.path;
    e.source_checkpoint_id = ancestor.final_checkpoint_id;
    e.final_checkpoint_id = new_id();
    e.sst_ids = it->second;
    out->push_back(std::move(e));
  }
}

}  // namespace slatedb
