// SPDX-License-Identifier: Apache-2.0
//
// The compaction-state objects of a database (spec/engine.md §9.5):
// `<path>/compactions/<20-digit id>.compactions`, sequenced and updated by compare-and-swap
// exactly like manifests (ManifestStore): version N+1 is written create-if-absent, so of
// several writers racing from version N one wins and the others re-read and re-apply.
//
// Stored as SlateDB's compactions file: u16 BE version (2 written; 1 and 2 read), then the
// CompactionLog FlatBuffer (core/schemas/compactions.fbs, docs/format.md) holding the
// compactor epoch and the jobs. A request maps onto a job: its sources become the tiered
// spec's sorted runs and L0 view ids, its status the job state, its outputs the job's
// output SSTs. Fields of jobs other writers stored (worker, segment, subcompactions) are
// kept as read.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "gc/gc_boundary.h"
#include "manifest/manifest.h"
#include "slatedb/admin.h"
#include "slatedb/task.h"
#include "store/paths.h"
#include "store/store_client.h"

namespace slatedb {

// The worker that claimed a job (remote compactors).
struct CompactionWorker {
  std::string id;
  uint64_t last_heartbeat_ms = 0;
};

// A key range of a job, run and resumed on its own (the format's subcompaction).
struct CompactionPart {
  VisibleRange range;
  std::vector<SstRef> outputs;
  uint8_t state = 0;  // slatedb 0.18's InProgress (0) / Completed (1); kept as read
};

// Where a requested compaction stands (the stored JobState names, in the order of their
// stored values). This writer moves a
// request Submitted -> Running -> Completed or Failed (or back to Submitted after a
// transient failure); Compacted and Scheduled are states other compactors may store.
enum class CompactionStatus { kSubmitted, kRunning, kCompleted, kFailed, kCompacted, kScheduled };
// The stored name ("Submitted", ...).
std::string_view CompactionStatusName(CompactionStatus status);
std::optional<CompactionStatus> ParseCompactionStatus(std::string_view name);

struct CompactionRecord {
  std::string id;  // ULID
  // Sorted runs and L0 views merged into spec.destination, or with spec.drain (upstream's
  // segment retention) the views and runs to drop.
  CompactionRequestSpec spec;  // spec.segment: the tree the job works on
  CompactionStatus status = CompactionStatus::kSubmitted;  // stored as the job state
  std::vector<SstRef> outputs;                             // the SSTs the job wrote
  std::optional<CompactionWorker> worker;
  std::optional<std::vector<CompactionPart>> parts;  // upstream's compaction context
  uint64_t retention_min_seq = 0;
  // Not stored (the format has no place for it): why a "Failed" request failed, shown by
  // the Admin JSON of the process that holds the record.
  std::string error;
};

struct CompactionsState {
  uint64_t id = 0;  // 0: nothing stored yet; otherwise from the object's name
  uint64_t compactor_epoch = 0;
  std::vector<CompactionRecord> recent_compactions;
};

// JSON text of one compaction record (the Admin API's shape): {id, spec {sources,
// destination[, segment (hex; absent for the root tree)]}, bytes_processed (the outputs'
// size), status, output_ssts[, error]}.
std::string EncodeCompactionRecord(const CompactionRecord& record);
// The compactions object: u16 BE version 2, then the CompactionLog FlatBuffer.
std::string EncodeCompactionsState(const CompactionsState& state);
// Decodes version 1 (destinations inferred as the lowest input run, else 0) or 2. The id is
// left 0 (the object's name holds it). Data if the object is empty, of another version, or
// malformed.
Result<CompactionsState> DecodeCompactionsState(std::string_view bytes);

// Invalid unless `spec` has at least one source, no source twice, and well-formed SST ULIDs.
Status ValidateCompactionSpec(const CompactionRequestSpec& spec);

class CompactionsStore {
 public:
  CompactionsStore(StoreClient* client, DbPaths paths)
      : client_(client),
        paths_(std::move(paths)),
        boundary_(client, paths_.GcBoundary("compactions")) {}

  // Ids of every stored compaction-state object, ascending.
  Task<Result<std::vector<uint64_t>>> ListIds();
  // The object `id`, or nullopt if it does not exist; Data if it cannot be decoded.
  Task<Result<std::optional<CompactionsState>>> Load(uint64_t id);
  // The newest object, or nullopt if there is none yet.
  Task<Result<std::optional<CompactionsState>>> LoadLatest();
  // Load(*id) when given, else LoadLatest().
  Task<Result<std::optional<CompactionsState>>> LoadVersionOrLatest(std::optional<uint64_t> id);
  // Stores `state` as object state.id if it does not exist yet; AlreadyExists otherwise,
  // or if the id is at or below the GC boundary (`gc/compactions.boundary`; the object just
  // created is removed again). Unavailable if a newer version exists after the create
  // (manifest_store.h explains).
  Task<Status> Create(const CompactionsState& state);

  // Applies `edit` to the latest state (an empty one with id 0 if there is none) and stores
  // the result as the next id, re-reading and re-applying after a lost race. Returns the
  // stored state. Unavailable after too many lost races in a row.
  // Deletes every object but the one with the highest id whose last_modified is at or before
  // `cutoff_ms`; returns their keys. The newest holds the whole state, so readers lose
  // nothing but old versions (ReadCompactions(old id) then answers nullopt). With
  // dry_run, deletes nothing and returns the keys it would delete. With `boundary_files`
  // the GC boundary is first raised to the highest id deleted; a store that cannot keep
  // it (GcBoundary::Advance) leaves every object in place: `*skipped` is set then.
  Task<Result<std::vector<std::string>>> CollectOld(int64_t cutoff_ms, bool dry_run = false,
                                                    bool boundary_files = true,
                                                    bool* skipped = nullptr);

  using EditFn = std::function<Status(CompactionsState&)>;
  Task<Result<CompactionsState>> EditLatest(EditFn edit);

 private:
  StoreClient* client_;
  DbPaths paths_;
  GcBoundary boundary_;
};

}  // namespace slatedb
