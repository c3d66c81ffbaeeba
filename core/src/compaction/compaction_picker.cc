// SPDX-License-Identifier: Apache-2.0
#include "compaction/compaction_picker.h"

#include <algorithm>

#include "manifest/segment_set.h"

namespace slatedb {

uint64_t RunBytes(const SortedRun& run) {
  uint64_t total = 0;
  for (const SstRef& ref : run.ssts) total += ref.info.approx_object_size();
  return total;
}

bool WritesOldestRun(const Manifest& manifest, const CompactionSpec& spec) {
  for (const SortedRun& run : manifest.sorted_runs) {
    if (run.id < spec.destination) return false;
  }
  return true;
}

bool RunInUse(const std::vector<CompactionSpec>& running, uint32_t run_id) {
  for (const CompactionSpec& spec : running) {
    if (!spec.drain && spec.destination == run_id) return true;
    if (std::find(spec.run_ids.begin(), spec.run_ids.end(), run_id) != spec.run_ids.end()) {
      return true;
    }
  }
  return false;
}

namespace {

std::optional<CompactionSpec> PickL0(const Manifest& manifest,
                                     const std::vector<CompactionSpec>& running,
                                     const PickerOptions& options) {
  if (manifest.l0.size() < options.min_sources) return std::nullopt;
  for (const CompactionSpec& spec : running) {
    if (spec.consumes_l0()) return std::nullopt;  // one watermark: one L0 compaction
  }
  size_t take = std::min<size_t>(manifest.l0.size(), options.max_sources);
  CompactionSpec spec;
  for (size_t i = manifest.l0.size() - take; i < manifest.l0.size(); ++i) {
    spec.l0_ids.push_back(manifest.l0[i].id);
    spec.input_bytes += manifest.l0[i].info.approx_object_size();
  }
  // A fresh id above every run, including outputs of running compactions.
  uint32_t max_id = 0;
  for (const SortedRun& run : manifest.sorted_runs) max_id = std::max(max_id, run.id);
  for (const CompactionSpec& r : running) max_id = std::max(max_id, r.destination);
  spec.destination = max_id + 1;
  return spec;
}

std::optional<CompactionSpec> PickRuns(const Manifest& manifest,
                                       const std::vector<CompactionSpec>& running,
                                       const PickerOptions& options) {
  const std::vector<SortedRun>& runs = manifest.sorted_runs;  // newest first
  // Grow a window from each newest starting point over runs no compaction is using.
  for (size_t start = 0; start < runs.size(); ++start) {
    if (RunInUse(running, runs[start].id)) continue;
    uint64_t smallest = RunBytes(runs[start]);
    size_t end = start + 1;
    while (end < runs.size() && !RunInUse(running, runs[end].id)) {
      uint64_t bytes = RunBytes(runs[end]);
      uint64_t new_smallest = std::min(smallest, bytes);
      // Every member must stay within the threshold of the group's smallest member.
      bool fits = true;
      for (size_t i = start; i <= end && fits; ++i) {
        uint64_t b = i == end ? bytes : RunBytes(runs[i]);
        double limit = options.include_size_threshold *
                       static_cast<double>(std::max<uint64_t>(1, new_smallest));
        fits = static_cast<double>(b) <= limit;
      }
      if (!fits) break;
      smallest = new_smallest;
      ++end;
    }
    if (end - start < options.min_sources) continue;
    // Cap at max_sources, dropping the newest members (the oldest ones are the largest
    // debt: they hold the most shadowed data).
    if (end - start > options.max_sources) start = end - options.max_sources;
    CompactionSpec spec;
    for (size_t i = start; i < end; ++i) {
      spec.run_ids.push_back(runs[i].id);
      spec.input_bytes += RunBytes(runs[i]);
    }
    spec.destination = runs[end - 1].id;
    return spec;
  }
  return std::nullopt;
}

std::optional<CompactionSpec> PickInTree(const Manifest& tree,
                                         const std::vector<CompactionSpec>& running,
                                         const PickerOptions& options) {
  if (auto spec = PickL0(tree, running, options)) return spec;
  return PickRuns(tree, running, options);
}

}  // namespace

std::optional<CompactionSpec> PickCompaction(const Manifest& manifest,
                                             const std::vector<CompactionSpec>& running,
                                             const PickerOptions& options) {
  if (manifest.segments.empty()) return PickInTree(manifest, running, options);
  // Trees by L0 count, most first (the one nearest backpressure); the root tree first on
  // ties.
  std::vector<const Segment*> order;
  for (const Segment& s : manifest.segments) order.push_back(&s);
  std::stable_sort(order.begin(), order.end(),
                   [](const Segment* a, const Segment* b) { return a->l0.size() > b->l0.size(); });
  // A new run's id is above every run of every tree and every running compaction's output.
  uint32_t max_id = 0;
  for (const SortedRun& run : manifest.sorted_runs) max_id = std::max(max_id, run.id);
  for (const Segment& s : manifest.segments) {
    for (const SortedRun& run : s.sorted_runs) max_id = std::max(max_id, run.id);
  }
  for (const CompactionSpec& r : running) max_id = std::max(max_id, r.destination);
  auto pick = [&](std::string_view segment) -> std::optional<CompactionSpec> {
    std::vector<CompactionSpec> in_tree;
    for (const CompactionSpec& r : running) {
      if (r.segment == segment) in_tree.push_back(r);
    }
    // PickInTree reads only a tree's L0 and sorted runs: copy those alone.
    Manifest tree;
    if (segment.empty()) {
      tree.l0 = manifest.l0;
      tree.sorted_runs = manifest.sorted_runs;
    } else {
      const Segment* s = FindSegment(manifest, segment);
      if (s == nullptr) return std::nullopt;
      tree.l0 = s->l0;
      tree.sorted_runs = s->sorted_runs;
    }
    std::optional<CompactionSpec> spec = PickInTree(tree, in_tree, options);
    if (!spec) return std::nullopt;
    spec->segment = std::string(segment);
    if (spec->consumes_l0()) spec->destination = max_id + 1;
    return spec;
  };
  bool root_done = false;
  for (const Segment* s : order) {
    if (!root_done && manifest.l0.size() >= s->l0.size()) {
      root_done = true;
      if (auto spec = pick("")) return spec;
    }
    if (auto spec = pick(s->prefix)) return spec;
  }
  if (!root_done) return pick("");
  return std::nullopt;
}

}  // namespace slatedb
