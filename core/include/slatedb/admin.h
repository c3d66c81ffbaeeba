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

// A requested compaction: merge `sources` into sorted run `destination`.
struct CompactionRequestSpec {
  std::vector<CompactionSource> sources;
  uint32_t destination = 0;
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
  // Manifests with start <= id < end as a JSON array of {id, location, last_modified (ms
  // since the epoch), size}.
  Task<Result<std::string>> ListManifests(std::optional<uint64_t> start,
                                          std::optional<uint64_t> end);

  // Compaction requests (docs/compaction.md "Compaction requests (Admin)"). They live in the sequenced
  // compaction-state objects <path>/compactions/<20-digit id>.compactions (JSON
  // {id, compactor_epoch, recent_compactions[]}), each change a create-if-absent of the next
  // id, retried on a lost race, so concurrent submitters never lose a request. The open
  // writer's compactor runs them (Settings::compaction_request_poll_ms): "Submitted" ->
  // "Running" -> "Completed" (with output_ssts) or "Failed" (with an "error" field).
  //
  // Records `spec` as a new compaction with a fresh ULID id and status "Submitted"; returns
  // it as JSON {id, spec: {sources, destination}, bytes_processed, status, output_ssts}.
  // Needs no database or writer at the path. Invalid: no sources, a duplicate source, a
  // malformed SST ULID.
  Task<Result<std::string>> SubmitCompaction(CompactionRequestSpec spec);
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

 private:
  explicit Admin(std::shared_ptr<AdminImpl> impl);
  std::shared_ptr<AdminImpl> impl_;
};

}  // namespace slatedb
