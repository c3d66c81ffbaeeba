// SPDX-License-Identifier: Apache-2.0
//
// Manifest: the complete description of a database at one version: which SSTs hold its
// data, which WAL objects still need replay, the fencing epochs and the checkpoints. Every
// change writes a whole new manifest object with the next id (manifest_store.h). Stored as
// SlateDB's manifest: a u16 BE version (2 written; 1 and 2 read) and a FlatBuffer
// (manifest_codec.cc, docs/format.md). Every field the format holds has a place here, so a
// manifest another writer stored is written back without losing anything.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "format/row.h"
#include "format/sst_info.h"
#include "manifest/sequence_tracker.h"
#include "slatedb/result.h"

namespace slatedb {

// One end of a key range.
struct RangeBound {
  enum class Kind : uint8_t { kUnbounded, kIncluded, kExcluded };
  Kind kind = Kind::kUnbounded;
  std::string key;  // empty when unbounded
  friend bool operator==(const RangeBound&, const RangeBound&) = default;
};

struct VisibleRange {
  RangeBound start;
  RangeBound end;
  // Whether `key` lies within the range.
  bool Contains(std::string_view key) const;
  friend bool operator==(const VisibleRange&, const VisibleRange&) = default;
};

// One SST as the manifest lists it: a view of the SST (in L0, a sorted run or a segment)
// with the SST's metadata, so readers can fetch its index and filter without reading its
// tail first. A view may restrict the SST to a visible key range (clone projections).
struct SstRef {
  std::string id;       // the SST's ULID: <root>/compacted/<id>.sst
  std::string view_id;  // the view's ULID; equals `id` for fresh L0s and compaction outputs
  SstInfo info;         // info.format_version is the block format the manifest records
  std::optional<VisibleRange> visible_range;
  // The root (database path) whose compacted/ holds the SST; empty for this database's own.
  // Not stored: derived from the manifest's external_dbs (clones read their parents' SSTs).
  std::string root;

  // A fresh view of a new SST (view id = SST id, the whole SST visible).
  static SstRef Whole(std::string id, SstInfo info) {
    SstRef ref;
    ref.view_id = id;
    ref.id = std::move(id);
    ref.info = std::move(info);
    return ref;
  }

  // Key-range tests over what the view shows: the SST's first and last keys, narrowed by
  // the visible range. For compacted SSTs.
  bool MayHoldKey(std::string_view key) const;
  // Every visible key is < `key`.
  bool EndsBefore(std::string_view key) const;
  // Every visible key is >= `key` (a scan ending before `key` can skip the view).
  bool StartsAtOrAfter(std::string_view key) const;
  // The smallest key a scan of the view starts at, given the scan's own start.
  std::string ClampStart(std::string_view start) const;
  // `key` lies beyond the visible range's end (so does every later key of the SST).
  bool PastVisibleEnd(std::string_view key) const;
};

struct SortedRun {
  uint32_t id = 0;
  std::vector<SstRef> ssts;  // non-overlapping, in key order
};

// A key-prefix segment of the tree (upstream's segment extractor). This engine keeps
// segments it reads (and their SSTs alive) but does not write into them.
struct Segment {
  std::string prefix;
  std::string last_compacted_l0_view_id;
  std::vector<SstRef> l0;
  std::vector<SortedRun> sorted_runs;
};

struct Checkpoint {
  std::string id;              // UUID
  uint64_t manifest_id = 0;    // the pinned manifest version
  uint32_t create_time_s = 0;  // Unix seconds
  uint32_t expire_time_s = 0;  // Unix seconds; 0: never expires
  std::string name;            // empty: none
  // The writer epoch a writer-created checkpoint records (the format's metadata union).
  std::optional<uint64_t> writer_epoch;
};

// A database whose SSTs this one (a clone) reads. final_checkpoint_id names the checkpoint
// in that database which pins them (its GC keeps everything the pinned version references);
// it pins the same manifest version as source_checkpoint_id there.
struct ExternalDb {
  std::string path;
  std::string source_checkpoint_id;
  std::string final_checkpoint_id;   // empty: none
  std::vector<std::string> sst_ids;  // SSTs of that root this clone was created with
};

struct Manifest {
  uint64_t id = 0;  // equals the object's id; set by the store on read and write
  uint64_t writer_epoch = 0;
  uint64_t compactor_epoch = 0;
  bool initialized = true;
  // Every row in WAL ids <= this is in L0 or sorted runs; replay starts after it.
  uint64_t replay_after_wal_id = 0;
  // The highest WAL id the writer knew of when it wrote this manifest.
  uint64_t wal_id_last_seen = 0;
  uint64_t last_l0_seq = 0;  // highest seq in L0 / sorted runs
  int64_t last_l0_clock_tick = kNoTimestamp;
  uint64_t recent_snapshot_min_seq = 0;
  std::vector<SstRef> l0;              // newest first
  std::vector<SortedRun> sorted_runs;  // highest id (newest) first
  // The newest L0 view a compaction consumed (this engine's views have view id = SST id).
  std::string last_compacted_l0_sst_id;
  std::vector<Checkpoint> checkpoints;
  std::vector<ExternalDb> external_dbs;
  SequenceTracker sequence_tracker;  // writer-owned (seq, time) samples
  std::vector<Segment> segments;     // kept as read; empty for this engine's databases
  std::optional<std::string> segment_extractor_name;
};

// Calls fn(const SstRef&) for every view of every SST the manifest references: L0, sorted
// runs and segments.
template <typename Fn>
void ForEachSstRef(const Manifest& m, Fn&& fn) {
  auto tree = [&](const std::vector<SstRef>& l0, const std::vector<SortedRun>& runs) {
    for (const SstRef& ref : l0) fn(ref);
    for (const SortedRun& run : runs) {
      for (const SstRef& ref : run.ssts) fn(ref);
    }
  };
  tree(m.l0, m.sorted_runs);
  for (const Segment& s : m.segments) tree(s.l0, s.sorted_runs);
}

// The manifest object: u16 BE version 2, then the ManifestV2 FlatBuffer.
std::string EncodeManifest(const Manifest& manifest);
// Decodes version 1 or 2 (the FlatBuffer verified first). Data if the object is empty, of
// another version ("unsupported manifest version N"), or malformed. The id is left 0 for
// the caller (the object's name holds it).
Result<Manifest> DecodeManifest(std::string_view bytes);

}  // namespace slatedb
