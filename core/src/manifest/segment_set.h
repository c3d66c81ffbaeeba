// SPDX-License-Identifier: Apache-2.0
//
// Segments (upstream 0.17's segment extractor): with a PrefixExtractor configured, every key
// belongs to the segment named by its prefix, and each segment is its own LSM tree in the
// manifest (Manifest::segments; the root tree then stays empty). Segment prefixes form an
// antichain (none is a proper prefix of another), so each owns the key interval
// [prefix, successor(prefix)) and the segment of a stored key is found structurally: it is
// the greatest live prefix <= the key. Reads therefore need no extractor; writes, WAL replay
// and the open-time checks do.
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "manifest/manifest.h"
#include "slatedb/prefix_extractor.h"
#include "slatedb/result.h"

namespace slatedb {

// `bytes` as upstream's error texts print them (Rust's Debug of Bytes): b"..." with \n, \r,
// \t, \0, \\, \" and \xNN escapes.
std::string DebugBytes(std::string_view bytes);

// The open-time check of a writer or a reader (upstream's rules and texts, Invalid): the
// configured extractor's name must equal the one the manifest stores (both absent counts as
// equal), and the extractor must still give each stored segment's prefix its full length.
Status CheckSegmentExtractor(const Manifest& manifest, const PrefixExtractor* extractor);

// The segment of `manifest` whose prefix starts `key`, or nullptr (segments are sorted by
// prefix, an antichain).
const Segment* FindSegment(const Manifest& manifest, std::string_view key);

// The trees a read of [start, end) may need: the root tree's (l0, runs) and those of every
// segment whose interval meets the range (end empty: unbounded).
template <typename Fn>
void ForEachTreeInRange(const Manifest& m, std::string_view start, std::string_view end, Fn&& fn) {
  fn(m.l0, m.sorted_runs);
  for (const Segment& s : m.segments) {
    if (!end.empty() && std::string_view(s.prefix) >= end) break;
    // The segment ends before `start` if its prefix is below start and does not start it.
    if (std::string_view(s.prefix) < start && !start.starts_with(s.prefix)) continue;
    fn(s.l0, s.sorted_runs);
  }
}

// The tree of `segment` ("" for the root tree) as a manifest of its own: `manifest` with the
// segment's L0, sorted runs and watermark in the root tree's place and no segments, for code
// that works on one tree (the compaction picker and jobs). The segment must exist.
Manifest TreeView(const Manifest& manifest, std::string_view segment);
// Runs `edit` on `manifest` with the tree of `segment` in the root tree's place, then puts
// it back. Internal if the segment is gone.
Status EditTree(Manifest& manifest, std::string_view segment,
                const std::function<Status(Manifest&)>& edit);

// The live segment prefixes of a writer or reader: those of the manifest plus those of rows
// written (or replayed) into memory. Not thread-safe: the owner locks.
class SegmentSet {
 public:
  explicit SegmentSet(std::shared_ptr<const PrefixExtractor> extractor)
      : extractor_(std::move(extractor)) {}

  bool enabled() const { return extractor_ != nullptr; }
  const PrefixExtractor* extractor() const { return extractor_.get(); }

  // The prefix the extractor gives `key`: Invalid if none or empty (upstream's text), or if
  // longer than the key; the extractor's own error if it fails. Calls the extractor only
  // (no state), so callers run it without their lock.
  Result<std::string> PrefixOf(std::string_view key) const;

  // Checks that adding `prefixes` keeps the set an antichain (Invalid, upstream's text).
  Status CheckNew(const std::vector<std::string>& prefixes) const;
  // Adds prefixes (already checked, or from durable data: the manifest, the WAL).
  void Add(const std::string& prefix) { prefixes_.insert(prefix); }
  void AddFrom(const Manifest& manifest);

  // The segment a stored key belongs to: the greatest prefix <= key, if it starts the key.
  std::optional<std::string> Owner(std::string_view key) const;
  // Sorted, without duplicates.
  std::vector<std::string> List() const { return {prefixes_.begin(), prefixes_.end()}; }

 private:
  std::shared_ptr<const PrefixExtractor> extractor_;
  std::set<std::string, std::less<>> prefixes_;
};

}  // namespace slatedb
