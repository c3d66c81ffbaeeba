// SPDX-License-Identifier: Apache-2.0
#include "compaction/requested_compaction.h"

#include <algorithm>
#include <functional>
#include <string>

#include "manifest/segment_set.h"

namespace slatedb {

namespace {

Status Reject(const std::string& why) { return Status::Invalid("compaction request: " + why); }

// The segment whose prefix is exactly `prefix`, or nullptr.
const Segment* SegmentNamed(const Manifest& manifest, std::string_view prefix) {
  const Segment* s = FindSegment(manifest, prefix);
  return s != nullptr && s->prefix == prefix ? s : nullptr;
}

// A tree's L0 (newest first) and sorted runs (highest id first).
struct Tree {
  const std::vector<SstRef>* l0;
  const std::vector<SortedRun>* runs;
};

uint32_t MaxRunId(const Manifest& manifest) {
  uint32_t max_id = 0;
  for (const SortedRun& run : manifest.sorted_runs) max_id = std::max(max_id, run.id);
  for (const Segment& s : manifest.segments) {
    for (const SortedRun& run : s.sorted_runs) max_id = std::max(max_id, run.id);
  }
  return max_id;
}

std::optional<CompactionRequestSpec> FullTree(const std::string& segment,
                                              const std::vector<SortedRun>& runs) {
  if (runs.empty()) return std::nullopt;
  CompactionRequestSpec spec;
  spec.segment = segment;
  uint32_t lowest = runs.front().id;
  for (const SortedRun& run : runs) {
    spec.sources.push_back(CompactionSource::SortedRun(run.id));
    lowest = std::min(lowest, run.id);
  }
  spec.destination = lowest;
  return spec;
}

// A drain: every source in the named segment's tree, L0 sources an oldest suffix of its L0
// (the tree's compacted-L0 watermark moves over them), runs in any number.
Result<std::optional<CompactionSpec>> ResolveDrain(const Manifest& manifest,
                                                   const CompactionRequestSpec& request,
                                                   const std::vector<CompactionSpec>& running) {
  if (request.segment.empty()) return Reject("the root tree cannot be drained (name a segment)");
  const Segment* s = SegmentNamed(manifest, request.segment);
  if (s == nullptr) return Reject("segment " + DebugBytes(request.segment) + " does not exist");
  if (request.sources.empty()) return Reject("no sources");
  std::vector<size_t> l0_positions;
  CompactionSpec spec;
  spec.segment = request.segment;
  spec.drain = true;
  for (const CompactionSource& source : request.sources) {
    if (source.kind == CompactionSource::Kind::kSstView) {
      auto it = std::find_if(s->l0.begin(), s->l0.end(),
                             [&](const SstRef& ref) { return ref.id == source.sst_ulid; });
      if (it == s->l0.end()) return Reject("L0 SST " + source.sst_ulid + " is not in L0");
      l0_positions.push_back(static_cast<size_t>(it - s->l0.begin()));
    } else {
      auto it = std::find_if(s->sorted_runs.begin(), s->sorted_runs.end(),
                             [&](const SortedRun& run) { return run.id == source.sorted_run; });
      if (it == s->sorted_runs.end()) {
        return Reject("sorted run " + std::to_string(source.sorted_run) + " does not exist");
      }
      spec.run_ids.push_back(it->id);
    }
  }
  std::sort(l0_positions.begin(), l0_positions.end());
  if (!l0_positions.empty() &&
      (l0_positions.back() != s->l0.size() - 1 ||
       l0_positions.back() - l0_positions.front() + 1 != l0_positions.size())) {
    return Reject("a drain's L0 sources must be the oldest L0 SSTs of the segment");
  }
  for (size_t pos : l0_positions) spec.l0_ids.push_back(s->l0[pos].id);   // newest first
  std::sort(spec.run_ids.begin(), spec.run_ids.end(), std::greater<>());  // as the manifest
  for (const CompactionSpec& other : running) {
    if (spec.consumes_l0() && other.consumes_l0() && other.segment == spec.segment) {
      return std::optional<CompactionSpec>();
    }
  }
  for (uint32_t id : spec.run_ids) {
    if (RunInUse(running, id)) return std::optional<CompactionSpec>();
  }
  return std::optional<CompactionSpec>(std::move(spec));
}

}  // namespace

Result<std::optional<CompactionSpec>> ResolveRequestedCompaction(
    const Manifest& manifest, const CompactionRequestSpec& request,
    const std::vector<CompactionSpec>& running) {
  if (request.drain) return ResolveDrain(manifest, request, running);
  if (request.sources.empty()) return Reject("no sources");
  Tree tree{&manifest.l0, &manifest.sorted_runs};
  if (!request.segment.empty()) {
    const Segment* s = SegmentNamed(manifest, request.segment);
    if (s == nullptr) return Reject("segment " + DebugBytes(request.segment) + " does not exist");
    tree = Tree{&s->l0, &s->sorted_runs};
  }
  const std::vector<SstRef>& l0 = *tree.l0;
  const std::vector<SortedRun>& runs = *tree.runs;
  // Position of every source in the tree's logical order: L0 (newest first), then runs
  // (the manifest keeps them highest id first).
  const size_t l0_count = l0.size();
  std::vector<size_t> positions;
  for (const CompactionSource& source : request.sources) {
    size_t pos = 0;
    if (source.kind == CompactionSource::Kind::kSstView) {
      auto it = std::find_if(l0.begin(), l0.end(),
                             [&](const SstRef& ref) { return ref.id == source.sst_ulid; });
      if (it == l0.end()) return Reject("L0 SST " + source.sst_ulid + " is not in L0");
      pos = static_cast<size_t>(it - l0.begin());
    } else {
      auto it = std::find_if(runs.begin(), runs.end(),
                             [&](const SortedRun& run) { return run.id == source.sorted_run; });
      if (it == runs.end()) {
        return Reject("sorted run " + std::to_string(source.sorted_run) + " does not exist");
      }
      pos = l0_count + static_cast<size_t>(it - runs.begin());
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
  spec.segment = request.segment;
  for (size_t pos : positions) {
    if (pos < l0_count) {
      spec.l0_ids.push_back(l0[pos].id);
      spec.input_bytes += l0[pos].info.approx_object_size();
    } else {
      const SortedRun& run = runs[pos - l0_count];
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
    const uint32_t max_id = MaxRunId(manifest);
    if (request.destination <= max_id) {
      return Reject("destination of an L0-only compaction must be a new run id above " +
                    std::to_string(max_id));
    }
  }
  spec.destination = request.destination;

  for (const CompactionSpec& other : running) {
    if (spec.consumes_l0() && other.consumes_l0() && other.segment == spec.segment) {
      return std::optional<CompactionSpec>();
    }
    if (!other.drain && other.destination == spec.destination) {
      return std::optional<CompactionSpec>();
    }
  }
  for (uint32_t id : spec.run_ids) {
    if (RunInUse(running, id)) return std::optional<CompactionSpec>();
  }
  return std::optional<CompactionSpec>(std::move(spec));
}

Result<std::vector<CompactionRequestSpec>> PlanFullCompaction(
    const Manifest& manifest, const std::optional<std::string>& segment) {
  std::vector<CompactionRequestSpec> plan;
  if (segment) {
    const std::vector<SortedRun>* runs = &manifest.sorted_runs;
    if (!segment->empty()) {
      const Segment* s = SegmentNamed(manifest, *segment);
      if (s == nullptr) {
        return Status::Invalid("invalid compaction: segment " + DebugBytes(*segment) +
                               " does not exist");
      }
      runs = &s->sorted_runs;
    }
    std::optional<CompactionRequestSpec> spec = FullTree(*segment, *runs);
    if (!spec) {
      return Status::Invalid("invalid compaction: the tree of segment " + DebugBytes(*segment) +
                             " has no sorted runs (L0 SSTs are not inputs of a full compaction)");
    }
    plan.push_back(std::move(*spec));
    return plan;
  }
  if (auto spec = FullTree("", manifest.sorted_runs)) plan.push_back(std::move(*spec));
  for (const Segment& s : manifest.segments) {
    if (auto spec = FullTree(s.prefix, s.sorted_runs)) plan.push_back(std::move(*spec));
  }
  return plan;
}

}  // namespace slatedb
