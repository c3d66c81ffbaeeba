// SPDX-License-Identifier: Apache-2.0
//
// CompactionJob: executes one compaction. Reads its sources (L0 SSTs and sorted runs) as
// one merged stream in internal order, applies the retention rules (retention.h) to each
// key's versions, and writes the result as SSTs cut at a target size, never splitting a
// key's versions across two SSTs (a read looks for a key in exactly one SST per run).
// Independent of the database state: the caller publishes the outputs in the manifest.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "compaction/retention.h"
#include "format/sst_builder.h"
#include "manifest/manifest.h"
#include "slatedb/task.h"
#include "sst/table_store.h"

namespace slatedb {

struct CompactionJobOptions {
  // Each source is one L0 SST or one sorted run (SSTs in key order), newest first.
  std::vector<std::vector<SstRef>> sources;
  RetentionOptions retention;
  SstBuilderOptions sst;
  uint64_t max_sst_bytes = 64ull << 20;
  // Bytes read from one input SST per read-ahead window (several reads in flight).
  uint64_t read_ahead_bytes = 2ull << 20;
  // Mints the id of each output SST (a ULID of the current time). Called from the job's
  // coroutine; the callee serializes as it needs.
  std::function<std::string()> next_id;
  // Asked between reads and before each upload; true stops the job with Closed (its
  // compactor is stopping). Optional.
  std::function<bool()> cancelled;
};

struct CompactionJobResult {
  std::vector<SstRef> outputs;  // in key order
  uint64_t bytes_read = 0;      // input objects
  uint64_t bytes_written = 0;   // output objects
  uint64_t rows_read = 0;
  uint64_t rows_written = 0;
};

// Runs the job. The outputs are uploaded (create-if-absent) and registered with `tables`.
// On error or cancellation, outputs already uploaded are left for garbage collection.
Task<Result<CompactionJobResult>> RunCompactionJob(TableStore* tables,
                                                   CompactionJobOptions options);

}  // namespace slatedb
