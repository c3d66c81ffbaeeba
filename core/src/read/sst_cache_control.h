// SPDX-License-Identifier: Apache-2.0
//
// The per-SST cache operations behind Db::WarmSst / Db::EvictCachedSst and the reader's
// (slatedb/sst_cache.h), shared by the writer and readers as the rest of read/ is. The
// owners check the id (ParseSstId); these look the SST up in the owner's current manifest,
// apply the closed-handle rules and decide what "warm" and "evict" mean for each cache:
//
//  - the in-memory side: the SST's handle (index and filter) in the TableStore and its data
//    blocks in the block cache;
//  - the persistent cache, when the store is or wraps one (StoreClient::persistent_cache):
//    the byte ranges of the requested parts, and the whole object on evict.
//
// With neither cache (block cache of capacity 0 and no persistent cache) warming does
// nothing, as upstream does without a cache.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "manifest/manifest.h"
#include "read/read_view.h"
#include "slatedb/sst_cache.h"
#include "slatedb/status.h"
#include "slatedb/task.h"

namespace slatedb {

// Loads `targets` of the SST `id` (canonical) as the owner's manifest lists it. The
// owner's status() once it is closed. An SST the manifest does not reference, or no
// targets, is nothing to do. Data ranges are narrowed to what the SST's views show;
// FILTERS, INDEX and DATA open the SST (one range read of its filter and index). Errors are
// the store's (Unavailable) or Data for an SST missing or corrupt in the store.
Task<Status> WarmSst(std::shared_ptr<ReadTarget> owner, std::string id,
                     std::vector<CacheTarget> targets);

// Drops what the caches hold of the SST `id` (canonical), whether or not the manifest
// still references it (the caller's policy, as upstream's). Once the owner is closed: its
// status() for an SST the manifest lists, OK for any other (upstream's observed answers).
Task<Status> EvictSst(std::shared_ptr<ReadTarget> owner, std::string id);

}  // namespace slatedb
