// SPDX-License-Identifier: Apache-2.0
#include "compaction/requested_compaction.h"

#include <algorithm>
#include <string>

namespace slatedb {

namespace {

Status Reject(const std::string& why) { return Status::Invalid("compaction request: " + why); }

}  // namespace

Result<std::optional<CompactionSpec>> ResolveRequestedCompaction(
    const Manifest& manifest, const CompactionRequestSpec& request,
    const std::vector<CompactionSpec>& running) {
  if (request.sources.empty()) return Reject("no sources");
  // Position of every source in the tree's logical order: L0 (newest first), then runs
  // (the manifest keeps them highest id first).
  const size_t l0_count = manifest.l0.size();
  std::vector<size_t> positions;
  for (const CompactionSource& source : request.sources) {
    size_t pos = 0;
    if (source.kind == CompactionSource::Kind::kSstView) {
      auto it = std::find_if(manifest.l0.begin(), manifest.l0.end(),
                             [&](const SstRef& ref) { return ref.id == source.sst_ulid; });
      if (it == manifest.l0.end()) return Reject("L0 SST " + source.sst_ulid + " is not in L0");
      pos = static_cast<size_t>(it - manifest.l0.begin());
    } else {
      auto it = std::find_if(manifest.sorted_runs.begin(), manifest.sorted_runs.end(),
                             [&](const SortedRun& run) { return run.id == source.sorted_run; });
      if (it == manifest.sorted_runs.end()) {
        return Reject("sorted run " + std::to_string(source.sorted_run) + " does not exist");
      }
      pos = l0_count + static_cast<size_t>(it - manifest.sorted_runs.begin());
    }
    if (std::find(positions.begin(), positions.end(), pos) != positions.end()) {
      return Reject("a source is listed twice");
    }
    positions.push_back(pos);
  }
  std::sort(positions.begin(), positions.end());
  if (positions.back() - positions.front() + 1 != positions.size()) {
    return Reject("sources are not consecutive (L0 newest to oldest, then runs by falling id)");
  }

  CompactionSpec spec;
  for (size_t pos : positions) {
    if (pos < l0_count) {
      spec.l0_ids.push_back(manifest.l0[pos].id);
      spec.input_bytes += manifest.l0[pos].info.approx_object_size();
    } else {
      const SortedRun& run = manifest.sorted_runs[pos - l0_count];
      spec.run_ids.push_back(run.id);
      spec.input_bytes += RunBytes(run);
    }
  }
  if (spec.consumes_l0() && positions.back() < l0_count - 1) {
    return Reject("L0 sources must include the oldest L0 SST");
  }
  if (!spec.run_ids.empty()) {
    const uint32_t lowest = spec.run_ids.back();
    if (request.destination != lowest) {
      return Reject("destination must be " + std::to_string(lowest) +
                    ", the lowest sorted-run id among the sources");
    }
  } else {
    uint32_t max_id = 0;
    for (const SortedRun& run : manifest.sorted_runs) max_id = std::max(max_id, run.id);
    if (request.destination <= max_id) {
      return Reject("destination of an L0-only compaction must be a new run id above " +
                    std::to_string(max_id));
    }
  }
  spec.destination = request.destination;

  for (const CompactionSpec& other : running) {
    if (spec.consumes_l0() && other.consumes_l0()) return std::optional<CompactionSpec>();
    if (other.destination == spec.destination) return std::optional<CompactionSpec>();
  }
  for (uint32_t id : spec.run_ids) {
    if (RunInUse(running, id)) return std::optional<CompactionSpec>();
  }
  return std::optional<CompactionSpec>(std::move(spec));
}

}  // namespace slatedb
