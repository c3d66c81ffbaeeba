// SPDX-License-Identifier: Apache-2.0
//
// The size-tiered compaction scheduler (spec/engine.md §10.2): decides which L0 SSTs or
// sorted runs to merge next, given the manifest and the compactions already running.
// Pure logic, no I/O.
//
// L0 compactions take the oldest L0 SSTs (a consecutive oldest suffix, so the single
// watermark last_compacted_l0_sst_id can advance) and produce a new sorted run with a
// fresh id above every existing one. Sorted-run compactions merge a consecutive group of
// similar-sized runs into the lowest id among them.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "manifest/manifest.h"

namespace slatedb {

struct CompactionSpec {
  std::vector<std::string> l0_ids;  // newest first, as in the manifest; may be empty
  std::vector<uint32_t> run_ids;    // highest id first; may be empty
  uint32_t destination = 0;         // the output run's id
  uint64_t input_bytes = 0;
  // The tree it compacts: a segment's prefix, or empty for the root tree. Sources and the
  // destination belong to that tree; run ids are unique across all trees.
  std::string segment;
  // The id (a ULID minted when it was picked or requested) of the compaction's record in
  // compactions/: every compaction is recorded there before it writes anything, which is
  // how garbage collection knows its outputs are on their way (docs/gc.md). Empty until
  // the compactor assigns it.
  std::string record_id;
  // Whether an Admin request asked for it (else the scheduler picked it).
  bool requested = false;
  // A segment drain (CompactionRequestSpec::drain): the sources leave the manifest and
  // nothing is written; `destination` is unused.
  bool drain = false;

  bool consumes_l0() const { return !l0_ids.empty(); }
};

struct PickerOptions {
  uint32_t min_sources = 4;
  uint32_t max_sources = 8;
  double include_size_threshold = 4.0;
};

// The next compaction to run, or nullopt if none is due or every candidate overlaps one
// in `running`. Each tree (the root and each segment) is compacted on its own, the one
// with the most L0 SSTs first.
std::optional<CompactionSpec> PickCompaction(const Manifest& manifest,
                                             const std::vector<CompactionSpec>& running,
                                             const PickerOptions& options);

// Whether a compaction in `running` reads sorted run `run_id` or writes into it.
bool RunInUse(const std::vector<CompactionSpec>& running, uint32_t run_id);

// Bytes of a sorted run (sum of its SST objects).
uint64_t RunBytes(const SortedRun& run);

// Whether the destination run is the oldest the tree will hold after the compaction (so
// tombstones at the end of a key's history may be dropped).
bool WritesOldestRun(const Manifest& manifest, const CompactionSpec& spec);

}  // namespace slatedb
