// SPDX-License-Identifier: Apache-2.0
//
// Admin-submitted compaction requests (Admin::SubmitCompaction) checked against the manifest
// and turned into the compactor's CompactionSpec (spec/engine.md §10.2, "validation of any
// spec"). Pure logic, no I/O.
//
// The rules: every source must exist now (an L0 SST by its ULID, a sorted run by its id);
// the sources must be a consecutive window of the tree in logical order (L0 newest to oldest,
// then sorted runs from the highest id down), and L0 sources must include the oldest L0 SST
// (the compacted-L0 watermark only moves forward over an oldest suffix). The destination is
// the lowest sorted-run id among the sources, or, for L0 sources alone, an id above every run
// that exists or is being written (a new run).
#pragma once

#include <optional>
#include <vector>

#include "compaction/compaction_picker.h"
#include "manifest/manifest.h"
#include "slatedb/admin.h"
#include "slatedb/result.h"

namespace slatedb {

// The spec to run for `request`; nullopt while a running compaction uses one of its sources
// or its destination (or, for L0 sources, while another L0 compaction runs): try again later.
// Invalid (the message says which rule) if the request can never run as it stands.
Result<std::optional<CompactionSpec>> ResolveRequestedCompaction(
    const Manifest& manifest, const CompactionRequestSpec& request,
    const std::vector<CompactionSpec>& running);

}  // namespace slatedb
