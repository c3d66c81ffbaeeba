// SPDX-License-Identifier: Apache-2.0
//
// ManifestEdit: a change to the latest manifest, applied by whoever stores the next
// version (the writer's ManifestWriter, a standalone compactor's CompactorManifest) and
// re-applied to the newer version after a lost compare-and-swap. An edit returning an error
// stores nothing. (A named std::function, not a lambda temporary, at call sites: see
// table_store.cc on temporaries inside co_await.)
#pragma once

#include <functional>

#include "manifest/manifest.h"
#include "slatedb/status.h"

namespace slatedb {

using ManifestEdit = std::function<Status(Manifest&)>;

}  // namespace slatedb
