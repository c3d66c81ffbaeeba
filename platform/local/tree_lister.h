// SPDX-License-Identifier: Apache-2.0
//
// ListTree: the List operation of LocalObjectStore. Walks the directory tree below the
// root without following symlinks and turns regular files into ObjectMeta, skipping the
// store's own temp directory and lock file. Internal to platform/.
#pragma once

#include <string>
#include <vector>

#include "slatedb/object_store.h"
#include "slatedb/result.h"

namespace slatedb::local {

// Every object below `root_fd` whose key starts with `prefix` and sorts after
// `start_after`, in ascending byte order. Only the subtree the prefix's complete
// directory segments name is walked. A prefix no valid key can start with (such as "../")
// yields an empty list. Objects deleted while the walk runs are silently skipped.
Result<std::vector<ObjectMeta>> ListTree(int root_fd, const std::string& prefix,
                                         const std::string& start_after);

}  // namespace slatedb::local
