// SPDX-License-Identifier: Apache-2.0
//
// Admin-submitted compaction requests (Admin::SubmitCompaction) checked against the manifest
// and turned into the compactor's CompactionSpec (spec/engine.md §10.2, "validation of any
// spec"), and the plan of a "Full" request. Pure logic, no I/O.
//
// The rules: the request names one tree (the root tree, or a segment that exists); every
// source must exist in that tree now (an L0 SST by its ULID, a sorted run by its id); the
// sources must be a consecutive window of the tree in logical order (L0 newest to oldest,
// then sorted runs from the highest id down), and L0 sources must include the oldest L0 SST
// (the compacted-L0 watermark only moves forward over an oldest suffix). The destination is
// the lowest sorted-run id among the sources, or, for L0 sources alone, an id above every run
// of every tree (run ids are unique across trees).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "compaction/compaction_picker.h"
#include "manifest/manifest.h"
#include "slatedb/admin.h"
#include "slatedb/result.h"

namespace slatedb {

// A drain request (CompactionRequestSpec::drain) names an existing segment (never the root
// tree); its sources must be in that segment's tree, its L0 sources the oldest L0 SSTs there
// (the watermark moves over them); it drops them and writes nothing (upstream's
// DrainSegment). It waits while a running compaction uses one of its runs or the segment's L0.
// The spec to run for `request`; nullopt while a running compaction uses one of its sources
// or its destination (or, for L0 sources, while another L0 compaction of the same tree
// runs): try again later. Invalid (the message says which rule) if the request can never
// run as it stands.
Result<std::optional<CompactionSpec>> ResolveRequestedCompaction(
    const Manifest& manifest, const CompactionRequestSpec& request,
    const std::vector<CompactionSpec>& running);

// Upstream's "Full" request (its size-tiered scheduler's plan, which the CLI submits): per
// tree, every sorted run merged into the tree's lowest-id run. L0 is left out so that flushes
// and the regular compactions of L0 go on meanwhile. `segment` nullopt: every tree, skipping
// those without sorted runs (the plan may be empty); otherwise that tree alone ("FullSegment";
// "" is the root tree), Invalid if it does not exist or has no sorted runs.
Result<std::vector<CompactionRequestSpec>> PlanFullCompaction(
    const Manifest& manifest, const std::optional<std::string>& segment);

}  // namespace slatedb
