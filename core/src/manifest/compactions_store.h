// SPDX-License-Identifier: Apache-2.0
//
// The compaction-state objects of a database (spec/engine.md §9.5):
// `<path>/compactions/<20-digit id>.compactions`, sequenced and updated by compare-and-swap
// exactly like manifests (ManifestStore): version N+1 is written create-if-absent, so of
// several writers racing from version N one wins and the others re-read and re-apply.
//
// Stored as JSON {format_version, id, compactor_epoch, recent_compactions[]}; each entry is
// what Admin returns for one compaction: {id (ULID), spec {sources, destination},
// bytes_processed, status, output_ssts}.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "slatedb/admin.h"
#include "slatedb/task.h"
#include "store/paths.h"
#include "store/store_client.h"

namespace slatedb {

// Where a requested compaction stands (the stored JobState names). This writer moves a
// request Submitted -> Running -> Completed or Failed (or back to Submitted after a
// transient failure); Compacted and Scheduled are states other compactors may store.
enum class CompactionStatus { kSubmitted, kRunning, kCompleted, kFailed, kCompacted, kScheduled };
// The stored name ("Submitted", ...).
std::string_view CompactionStatusName(CompactionStatus status);
std::optional<CompactionStatus> ParseCompactionStatus(std::string_view name);

struct CompactionRecord {
  std::string id;  // ULID
  CompactionRequestSpec spec;
  uint64_t bytes_processed = 0;
  CompactionStatus status = CompactionStatus::kSubmitted;
  std::vector<std::string> output_ssts;
  // Why a "Failed" request failed; stored only when set (not part of upstream's shape).
  std::string error;
};

struct CompactionsState {
  static constexpr uint32_t kFormatVersion = 1;
  uint64_t id = 0;  // 0: nothing stored yet
  uint64_t compactor_epoch = 0;
  std::vector<CompactionRecord> recent_compactions;
};

// JSON text of one compaction record (the Admin API's shape).
std::string EncodeCompactionRecord(const CompactionRecord& record);
std::string EncodeCompactionsState(const CompactionsState& state);
// Data if the text is not a compaction-state object of a known format version.
Result<CompactionsState> DecodeCompactionsState(std::string_view text);

// Invalid unless `spec` has at least one source, no source twice, and well-formed SST ULIDs.
Status ValidateCompactionSpec(const CompactionRequestSpec& spec);

class CompactionsStore {
 public:
  CompactionsStore(StoreClient* client, DbPaths paths)
      : client_(client), paths_(std::move(paths)) {}

  // Ids of every stored compaction-state object, ascending.
  Task<Result<std::vector<uint64_t>>> ListIds();
  // The object `id`, or nullopt if it does not exist; Data if it cannot be decoded.
  Task<Result<std::optional<CompactionsState>>> Load(uint64_t id);
  // The newest object, or nullopt if there is none yet.
  Task<Result<std::optional<CompactionsState>>> LoadLatest();
  // Load(*id) when given, else LoadLatest().
  Task<Result<std::optional<CompactionsState>>> LoadVersionOrLatest(std::optional<uint64_t> id);
  // Stores `state` as object state.id if it does not exist yet; AlreadyExists otherwise.
  // Unavailable if a newer version exists after the create (manifest_store.h explains).
  Task<Status> Create(const CompactionsState& state);

  // Applies `edit` to the latest state (an empty one with id 0 if there is none) and stores
  // the result as the next id, re-reading and re-applying after a lost race. Returns the
  // stored state. Unavailable after too many lost races in a row.
  // Deletes every object but the one with the highest id whose last_modified is at or before
  // `cutoff_ms`; returns their keys. The newest holds the whole state, so readers lose
  // nothing but old versions (ReadCompactions(old id) then answers nullopt). With
  // dry_run, deletes nothing and returns the keys it would delete.
  Task<Result<std::vector<std::string>>> CollectOld(int64_t cutoff_ms, bool dry_run = false);

  using EditFn = std::function<Status(CompactionsState&)>;
  Task<Result<CompactionsState>> EditLatest(EditFn edit);

 private:
  StoreClient* client_;
  DbPaths paths_;
};

}  // namespace slatedb
