// SPDX-License-Identifier: Apache-2.0
//
// Manifest: the complete description of a database at one version: which SSTs hold its
// data, which WAL objects still need replay, the fencing epochs and the checkpoints. Every
// change writes a whole new manifest object with the next id (manifest_store.h). Encoded
// as JSON with a format version (docs/format.md).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "format/row.h"
#include "format/sst_info.h"
#include "manifest/sequence_tracker.h"
#include "slatedb/result.h"

namespace slatedb {

// One SST as the manifest records it: its ULID and its metadata, so readers can fetch its
// index and filter without reading its footer first.
struct SstRef {
  std::string id;
  SstInfo info;
  // The root (database path) whose compacted/ holds the SST; empty for this database's own.
  // Set for SSTs a clone shares with its parent (or an older ancestor).
  std::string root;
};

struct SortedRun {
  uint32_t id = 0;
  std::vector<SstRef> ssts;  // non-overlapping, in key order
};

struct Checkpoint {
  std::string id;              // UUID
  uint64_t manifest_id = 0;    // the pinned manifest version
  int64_t create_time_ms = 0;
  int64_t expire_time_ms = 0;  // 0: never expires
  std::string name;
};

// A database whose SSTs this one (a clone) reads. final_checkpoint_id names the checkpoint
// in that database which pins them (its GC keeps everything the pinned version references);
// it pins the same manifest version as source_checkpoint_id there.
struct ExternalDb {
  std::string path;
  std::string source_checkpoint_id;
  std::string final_checkpoint_id;
  std::vector<std::string> sst_ids;  // SSTs of that root this clone was created with
};

struct Manifest {
  static constexpr uint32_t kFormatVersion = 1;

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
  std::vector<SstRef> l0;  // newest first
  std::vector<SortedRun> sorted_runs;  // highest id (newest) first
  std::string last_compacted_l0_sst_id;
  std::vector<Checkpoint> checkpoints;
  std::vector<ExternalDb> external_dbs;
  SequenceTracker sequence_tracker;  // writer-owned (seq, time) samples
};

std::string EncodeManifest(const Manifest& manifest);
// Data: not JSON, missing or ill-typed fields, or a format version we do not know.
Result<Manifest> DecodeManifest(std::string_view bytes);

}  // namespace slatedb
