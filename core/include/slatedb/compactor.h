// SPDX-License-Identifier: Apache-2.0
//
// Compactor: a database's compactor running outside its writer, in another process or on
// another machine (docs/compaction.md, "A compactor of its own"). Open the writer with
// Settings::compactor_enabled = false and run a Compactor on the same store and path: it
// reads the manifest every manifest_poll_interval_ms for the writer's new L0 SSTs, merges
// them into sorted runs (the same size-tiered scheduler and compaction code as the writer's
// own compactor), runs compactions requested through Admin::SubmitCompaction, and publishes
// its results by compare-and-swap on the manifest; the writer picks them up by polling.
//
// Fencing: Open claims compactor_epoch + 1 in the manifest and in compactions/. Any earlier
// compactor, standalone or inside a writer, can then never publish again: its next commit
// fails and it stops (a standalone one's Run returns Closed(fenced)). So of two compactors
// the later claim wins; a writer with compactor_enabled = true claims when its first
// compaction is due, which fences a running standalone compactor.
//
// Failures: the writer never waits on a compactor. A writer with compaction off does not
// hold L0 to l0_max_ssts (only its own compactor would drain it): when the compactor dies,
// the writer goes on flushing and L0 grows (reads touch more SSTs); a compactor that starts
// again drains L0. Compactions a dead
// compactor left "Running" in compactions/ are taken over by the next one (run again after
// checking them against the manifest, or marked Failed if they had committed); what they
// uploaded is left for garbage collection, which keeps it while they are recorded as
// running.
//
// Threads: Run and Stop may be called from any thread; the work runs on the Executor.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <string>

#include "slatedb/options.h"
#include "slatedb/result.h"
#include "slatedb/task.h"

namespace slatedb {

class CompactorProcess;

struct CompactorOptions {
  // Required, as for DbOptions: the database's store, background-work scheduler, time.
  std::shared_ptr<ObjectStore> object_store;
  std::shared_ptr<Executor> executor;
  std::shared_ptr<Clock> clock;
  std::string path;

  // What the compactor uses of Settings: compaction_* (sources, size threshold, output SST
  // size, concurrency, request polling), manifest_poll_interval_ms, block_size_bytes,
  // compression, bloom_bits_per_key (without filter_policies) and min_filter_keys (of the SSTs it
  // writes), block_cache_bytes and object_store_max_retries. The writer's l0_max_ssts must be at
  // least this compaction_min_sources, or a full L0 is never compacted.
  Settings settings;

  // Needed to compact merge operands (as the writer's).
  MergeOperator merge_operator;

  // The filters of the SSTs it writes, as DbOptions::filter_policies (nullopt: from
  // settings.bloom_bits_per_key).
  std::optional<std::vector<FilterPolicy>> filter_policies;
};

class Compactor {
 public:
  // Claims the compactor epoch. Invalid: missing store / executor / clock, bad settings or
  // path, or an unfinished clone. Data: no database at the path. Unavailable: the store
  // keeps failing. Closed(fenced): another compactor claimed the epoch during the open.
  static Task<Result<std::shared_ptr<Compactor>>> Open(CompactorOptions options);

  ~Compactor();  // stops the compactor (as Stop)
  Compactor(const Compactor&) = delete;
  Compactor& operator=(const Compactor&) = delete;

  // Compacts until Stop() or until fenced. OK after Stop; Closed(fenced) when another
  // compactor claimed the database; otherwise the error that stopped it (Closed with the
  // failure). Failures the store may recover from (Unavailable) are retried, not returned.
  // Call once.
  Task<Status> Run();

  // Stops: no compaction starts or commits any more, and running ones are abandoned at
  // their next read or upload (their records stay "Running" for the next compactor). Run
  // returns OK. Thread-safe, idempotent.
  void Stop();

  // The compactor epoch this compactor claimed.
  uint64_t epoch() const;

  // compaction/* (completed, failed, running, bytes_read, bytes_written, epoch),
  // compactor/* (manifest_polls, l0_sst_count and sorted_run_count of the manifest it last
  // read, manifest_id) and object_store/* counters, as Db::Metrics names them.
  std::map<std::string, uint64_t> Metrics() const;

 private:
  explicit Compactor(std::shared_ptr<CompactorProcess> impl);
  std::shared_ptr<CompactorProcess> impl_;
};

}  // namespace slatedb
