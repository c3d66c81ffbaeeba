// SPDX-License-Identifier: Apache-2.0
//
// Admin: operations on a database that need no writer (docs/checkpoints.md, "Admin";
// compaction requests in docs/compaction.md): inspecting manifests, checkpoints without a
// flush ("detached": they pin the latest manifest as stored), garbage collection, the
// sequence <-> time mapping, and creating clones.
// Creating an Admin does no I/O, so one can be made for a path that holds no database yet
// (the destination of a clone).
//
// Every manifest change is a compare-and-swap on the latest version that touches only
// checkpoints (or, for a clone, the new database), so it is safe while a writer, its
// compactor and readers run.
//
// Errors: Invalid for bad arguments (malformed ids, option combinations); Data when there
// is no database at the path, a checkpoint does not exist, or stored data is corrupt;
// Unavailable when the store keeps failing.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "slatedb/checkpoint.h"
#include "slatedb/clock.h"
#include "slatedb/executor.h"
#include "slatedb/object_store.h"
#include "slatedb/result.h"
#include "slatedb/task.h"

namespace slatedb {

class AdminImpl;

struct AdminOptions {
  std::shared_ptr<ObjectStore> object_store;
  std::shared_ptr<Executor> executor;
  std::shared_ptr<Clock> clock;
  std::string path;
  // As Settings::object_store_max_retries.
  std::optional<uint32_t> object_store_max_retries = 6;
  // As DbOptions::wal_object_store.
  std::shared_ptr<ObjectStore> wal_object_store;
  // As DbOptions::seed (checkpoint UUIDs, compaction ULIDs).
  std::optional<uint64_t> seed;
};

// One input of a requested compaction: a sorted run by id, or an SST by ULID (recorded as an
// SST *view* of that SST, "SstView" in JSON).
struct CompactionSource {
  enum class Kind { kSortedRun, kSstView };
  Kind kind = Kind::kSortedRun;
  uint32_t sorted_run = 0;  // kSortedRun
  std::string sst_ulid;     // kSstView
  static CompactionSource SortedRun(uint32_t id) { return {Kind::kSortedRun, id, {}}; }
  static CompactionSource Sst(std::string ulid) { return {Kind::kSstView, 0, std::move(ulid)}; }
};

// Whether `text` is a well-formed ULID (26 Crockford base32 characters), the form of
// compaction and SST ids.
bool IsUlidText(std::string_view text);

// A requested compaction: merge `sources` into sorted run `destination`, within the tree of
// `segment` (a segment's prefix, raw bytes; empty: the root tree, the only tree of a database
// without a segment extractor). Sources and destination must belong to that tree.
struct CompactionRequestSpec {
  std::vector<CompactionSource> sources;
  uint32_t destination = 0;
  std::string segment;
  // Upstream's DrainSegment (segment retention): the compactor drops `sources` (L0 SSTs and
  // sorted runs of the named segment's tree) from the manifest and writes nothing;
  // `destination` is unused. Otherwise a tiered merge of `sources` into `destination`.
  bool drain = false;
};

// Garbage collection of one directory (manifest/, wal/, compacted/ or compactions/).
struct GcDirectoryOptions {
  // Periodic collection (Admin::RunGc): time between passes.
  std::optional<uint64_t> interval_ms;
  // Objects younger than this are kept. Admin::RunGcOnce collects a directory iff this is
  // set; RunGc defaults it to 300 s for a directory with an interval.
  std::optional<uint64_t> min_age_ms;
};

struct AdminGcOptions {
  GcDirectoryOptions manifest;
  GcDirectoryOptions wal;
  GcDirectoryOptions compacted;
  // Compaction-state objects: every version but the newest (which holds every request).
  GcDirectoryOptions compactions;
  // Raise the GC boundaries before deleting manifest and compaction-state versions
  // (Settings::gc_boundary_files); false: delete without them (upstream's
  // disable_boundary_files).
  bool boundary_files = true;
};

// One SST as a manifest lists it (Admin::ReadManifestView).
struct SstSummary {
  std::string id;  // ULID
  // The SST object's size, approximately: where its last section ends, as the manifest
  // entry records it, plus a fixed allowance for the info record and footer.
  uint64_t size_bytes = 0;
  std::optional<uint64_t> rows;  // row count, when the manifest records one
  std::string first_key;         // raw key bytes
  std::string last_key;
  // The database path whose compacted/ holds the SST; empty for this database's own
  // (a clone reads its parent's SSTs in place).
  std::string root;
};

struct SortedRunSummary {
  uint32_t id = 0;
  std::vector<SstSummary> ssts;  // non-overlapping, in key order
};

// A database whose SSTs this one (a clone) reads, pinned there by final_checkpoint_id.
struct ExternalDbSummary {
  std::string path;
  std::string source_checkpoint_id;
  std::string final_checkpoint_id;
  uint64_t sst_count = 0;  // SSTs of that database this one still references
};

// The facts of one manifest version that describe the database, independent of how the
// manifest is encoded: epochs, the WAL range still to replay, the LSM tree, checkpoints.
// For tools (the `slatedb` command line's `state`); the struct may gain fields.
struct ManifestView {
  uint64_t id = 0;
  bool initialized = true;  // false while a clone is being created
  uint64_t writer_epoch = 0;
  uint64_t compactor_epoch = 0;
  // WAL objects with ids <= replay_after_wal_id are in L0 or sorted runs; a writer or
  // reader opening this version replays the ones after it, up to the newest stored.
  uint64_t replay_after_wal_id = 0;
  uint64_t wal_id_last_seen = 0;  // the newest WAL id the last writer of this version knew
  uint64_t last_l0_seq = 0;       // the highest sequence number in L0 and sorted runs
  std::vector<SstSummary> l0;     // newest first
  std::vector<SortedRunSummary> sorted_runs;  // highest id (newest) first
  std::vector<CheckpointInfo> checkpoints;
  std::vector<ExternalDbSummary> external_dbs;
};

// What one garbage-collection pass deleted (Admin::CollectGarbage), or with dry_run would
// delete. Object keys, relative to the store.
struct GcReport {
  bool dry_run = false;
  std::vector<std::string> expired_checkpoints;  // ids of checkpoints dropped as expired
  std::vector<std::string> manifests;
  std::vector<std::string> wals;
  std::vector<std::string> ssts;
  std::vector<std::string> compactions;  // compaction-state objects
  // SSTs minted at or after this time (Unix ms) were kept whatever else holds: a
  // compaction recorded in compactions/ as not finished began then, and its outputs may be
  // about to enter a manifest. nullopt: no compaction was unfinished.
  std::optional<int64_t> compactions_floor_ms;
  // Manifest / compaction-state versions were due but kept: the store cannot keep the GC
  // boundary (no conditional overwrites), so none of them may be deleted.
  bool manifests_skipped = false;
  bool compactions_skipped = false;
};

// One source of a clone (Admin::CreateClone with several sources or a projection).
struct CloneSource {
  std::string path;
  // The checkpoint to clone as of (a UUID); nullopt: a new 5-minute one of its latest version.
  std::optional<std::string> checkpoint;
  // Only keys in this range are visible in the clone (nullopt: all). An absent bound is open.
  struct Range {
    std::optional<std::string> start;
    bool start_inclusive = true;
    std::optional<std::string> end;
    bool end_inclusive = false;
  };
  std::optional<Range> projection;
};

// How Admin::DeleteDatabase goes about it.
struct DeleteDatabaseOptions {
  // Deletes nothing: the report lists the keys a deletion would remove now.
  bool dry_run = false;
  // Upstream's Admin.delete_db (slatedb 0.17): every object under "<path>/" goes, not only
  // the database's own directories; live checkpoints are not a reason to refuse; no
  // database at the path is no error (nothing to delete). A deletion writes the marker
  // "<path>/.deleting" first and deletes it last, so an interrupted one is recognisable.
  bool force = false;
};

// What Admin::DeleteDatabase removed (or, on a dry run, would remove).
struct DeleteDatabaseReport {
  uint64_t objects_deleted = 0;
  // "<path>: <checkpoint id>" of every pin this database (a clone) held in another
  // database and released (none on a dry run).
  std::vector<std::string> released_pins;
  // The keys deleted, in order (the latest manifest, then the marker, last).
  std::vector<std::string> keys;
};

class Admin {
 public:
  // Invalid: missing store / executor / clock, malformed path. No I/O.
  static Result<std::shared_ptr<Admin>> Create(AdminOptions options);
  ~Admin();
  Admin(const Admin&) = delete;
  Admin& operator=(const Admin&) = delete;

  // The manifest with `id` (latest if nullopt) as JSON `[id, {...manifest...}]`, or
  // nullopt if there is none.
  Task<Result<std::optional<std::string>>> ReadManifest(std::optional<uint64_t> id);
  // The manifest with `id` (latest if nullopt) as a ManifestView, or nullopt if there is
  // none.
  Task<Result<std::optional<ManifestView>>> ReadManifestView(std::optional<uint64_t> id);
  // Manifests with start <= id < end as a JSON array of {id, location, last_modified (ms
  // since the epoch), size}.
  Task<Result<std::string>> ListManifests(std::optional<uint64_t> start,
                                          std::optional<uint64_t> end);

  // Compaction requests (docs/compaction.md "Compaction requests (Admin)"). They live in the
  // sequenced compaction-state objects <path>/compactions/<20-digit id>.compactions (SlateDB's
  // compactions file: the compactor epoch and the jobs; docs/format.md), each change a
  // create-if-absent of the next id, retried on a lost race, so concurrent submitters never
  // lose a request. The open writer's compactor runs them
  // (Settings::compaction_request_poll_ms): "Submitted" -> "Running" -> "Completed" (with
  // output_ssts) or "Failed". The format stores no failure reason.
  //
  // Records `spec` as a new compaction with a fresh ULID id and status "Submitted"; returns
  // it as JSON {id, spec: {sources, destination[, segment (hex)]}, bytes_processed, status,
  // output_ssts}. Needs no database or writer at the path. Invalid: no sources, a duplicate
  // source, a malformed SST ULID.
  Task<Result<std::string>> SubmitCompaction(CompactionRequestSpec spec);
  // The specs of upstream's "Full" request, planned on the latest manifest, for the caller to
  // submit (as upstream's CLI does): per tree, every sorted run merged into the tree's
  // lowest-id run; L0 is left to the regular compactions. `segment` nullopt: every tree with
  // sorted runs (possibly none); otherwise that tree alone ("" is the root tree; upstream's
  // "FullSegment"), Invalid if it does not exist or has no sorted runs. Data if no database
  // exists at the path.
  Task<Result<std::vector<CompactionRequestSpec>>> PlanFullCompaction(
      std::optional<std::string> segment);
  // The compaction-state object `id` (latest if nullopt) as JSON
  // `[id, {compactor_epoch, core: {recent_compactions: [...]}}]`, or nullopt if none.
  Task<Result<std::optional<std::string>>> ReadCompactions(std::optional<uint64_t> id);
  // Compaction-state objects with start <= id < end as a JSON array of {id, location,
  // last_modified (ms since the epoch), size}.
  Task<Result<std::string>> ListCompactions(std::optional<uint64_t> start,
                                            std::optional<uint64_t> end);
  // The compaction `ulid` as recorded in compaction-state object `compactions_id` (latest
  // if nullopt), as JSON (the shape SubmitCompaction returns), or nullopt if it is not
  // there. Invalid: `ulid` is not a ULID.
  Task<Result<std::optional<std::string>>> ReadCompaction(std::string ulid,
                                                          std::optional<uint64_t> compactions_id);

  // A checkpoint of the latest manifest (options.scope is ignored: no writer to flush).
  Task<Result<CheckpointCreateResult>> CreateCheckpoint(const CheckpointOptions& options);
  Task<Status> RefreshCheckpoint(std::string id, std::optional<uint64_t> lifetime_ms);
  Task<Status> DeleteCheckpoint(std::string id);
  // All checkpoints, or those named `name` (an empty name matches unnamed ones).
  Task<Result<std::vector<CheckpointInfo>>> ListCheckpoints(std::optional<std::string> name);

  // One pass over the directories whose min_age_ms is set, after dropping expired
  // checkpoints. Invalid if a directory has an interval without a minimum age. Without the
  // writer's knowledge of uploads in flight it never deletes SSTs minted at or after the
  // newest L0 of the latest manifest; minimum ages should exceed the longest upload.
  Task<Status> RunGcOnce(const AdminGcOptions& options);
  // RunGcOnce, reporting what the pass deleted. With dry_run it deletes nothing (expired
  // checkpoints stay too) and reports what a pass now would delete.
  Task<Result<GcReport>> CollectGarbage(const AdminGcOptions& options, bool dry_run = false);
  // Passes every interval (the smallest one given) until StopGc(). Returns at once, OK,
  // when no directory has an interval. Invalid if a directory has a minimum age but no
  // interval.
  Task<Status> RunGc(const AdminGcOptions& options);
  void StopGc();

  // The sequence <-> time mapping sampled by the writer (about once a minute), from the
  // latest manifest. Without round_up: the newest sample at or before; with: the oldest at
  // or after. nullopt if there is no such sample.
  Task<Result<std::optional<int64_t>>> GetTimestampForSequence(uint64_t seq, bool round_up);
  Task<Result<std::optional<uint64_t>>> GetSequenceForTimestamp(int64_t time_ms, bool round_up);

  // Creates a database at this Admin's path as a clone of the one at `parent_path` (same
  // store), as of checkpoint `parent_checkpoint` there (nullopt: a new 5-minute checkpoint
  // of its latest version). The clone shares the parent's SSTs without copying them and
  // pins them with a never-expiring checkpoint in the parent; it is an ordinary writable
  // database from then on, diverging independently. Idempotent: re-running after a crash
  // finishes the same clone. Invalid: same path, malformed id, another database already at
  // the path. Data: no parent database or no such checkpoint.
  Task<Status> CreateClone(std::string parent_path, std::optional<std::string> parent_checkpoint);

  // A clone of several databases (a union) and/or of key ranges of them (projections), as
  // upstream 0.17 makes them: the clone's tree holds every source's SSTs (as of its
  // checkpoint), each view narrowed to the source's projection; views with nothing left go,
  // and so does a source left without any. Each source is pinned as CreateClone pins its
  // parent. One source without a projection is CreateClone. Invalid: no source, a duplicate
  // path or the clone's own path, a malformed checkpoint id, an empty projection, a source
  // with WAL objects not yet in its SSTs (rows only a WAL holds cannot be narrowed), sources
  // whose key ranges overlap (after projection), another database at the path. Data: a
  // missing source or checkpoint. Idempotent like CreateClone.
  Task<Status> CreateClone(std::vector<CloneSource> sources);

  // Deletes the database at this Admin's path: every object in its manifest/, wal/,
  // compacted/ and compactions/ directories, the latest manifest last, after releasing the
  // pins a clone holds in its parents (their GC may then reclaim what only it used).
  // Objects of other databases, including parents' SSTs a clone reads, are left alone.
  // Re-running after a failure finishes the job. No writer may run meanwhile: the caller
  // must stop it first (a running writer would go on writing objects).
  // Data: no database at the path. Invalid: the database has live checkpoints (a clone's
  // pin, a reader's, or a user's); the message lists them. Unavailable: the store failed.
  // `options.force` drops both refusals (DeleteDatabaseOptions).
  Task<Result<DeleteDatabaseReport>> DeleteDatabase(DeleteDatabaseOptions options = {});

 private:
  explicit Admin(std::shared_ptr<AdminImpl> impl);
  std::shared_ptr<AdminImpl> impl_;
};

}  // namespace slatedb
