// SPDX-License-Identifier: Apache-2.0
//
// DbReader: a read-only handle on a database (docs/checkpoints.md, "Readers"). Any number
// of readers, in any processes, may read one database while its writer runs: a reader never
// fences the writer and writes nothing but checkpoints to the manifest.
//
// Modes:
//  - kManagedCheckpoint (default): the reader creates its own checkpoint (lifetime
//    checkpoint_lifetime_ms) so GC keeps what it reads, follows the writer by polling the
//    manifest and tailing new WAL objects every manifest_poll_interval_ms, moves its
//    checkpoint forward when the writer publishes new SSTs (and at least every half
//    lifetime), and deletes it on Close.
//  - kCheckpoint: pinned to an existing checkpoint; reads exactly what it holds (its SSTs
//    and the WAL objects its version records), never polls.
//  - kFollowLatest: follows like the managed mode but creates no checkpoint, so GC may
//    delete what it is reading (reads may then fail with Data).
// A reader sees only durable data. Polls run on the Executor; no threads are started.
//
// Errors: Invalid for bad options (checked before any I/O); Data if no database exists at
// the path or the checkpoint does not exist; Unavailable when the store keeps failing;
// Closed after Close().
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "slatedb/db.h"
#include "slatedb/iterator.h"
#include "slatedb/options.h"
#include "slatedb/result.h"
#include "slatedb/sst_cache.h"
#include "slatedb/task.h"

namespace slatedb {

class ReaderImpl;

enum class ReaderMode : uint8_t { kManagedCheckpoint = 0, kCheckpoint = 1, kFollowLatest = 2 };

struct ReaderOptions {
  // Required, as for DbOptions.
  std::shared_ptr<ObjectStore> object_store;
  std::shared_ptr<Executor> executor;
  std::shared_ptr<Clock> clock;
  std::string path;

  ReaderMode mode = ReaderMode::kManagedCheckpoint;
  // kCheckpoint: the UUID of the checkpoint to read. Setting it with the default mode
  // selects kCheckpoint.
  std::optional<std::string> checkpoint_id;

  // How often the manifest is polled and new WAL objects read (not kCheckpoint). 0 (which
  // upstream accepts) polls continuously, every 10 ms.
  uint64_t manifest_poll_interval_ms = 10'000;
  // Lifetime of the managed checkpoint: >= 1000 and >= 2 * manifest_poll_interval_ms.
  uint64_t checkpoint_lifetime_ms = 600'000;
  // WAL rows replayed into memory are held in memtables of about this size. > 0.
  uint64_t max_memtable_bytes = 64ull << 20;
  // Read only SSTs: skip the WAL objects not yet in L0 (sees less, starts faster).
  bool skip_wal_replay = false;

  // The reader's own block cache (unused with a shared `db_cache`).
  uint64_t block_cache_bytes = 64ull << 20;
  // As DbOptions::db_cache and db_cache_id.
  std::shared_ptr<DbCache> db_cache;
  std::optional<uint64_t> db_cache_id;
  // As Settings::object_store_max_retries.
  std::optional<uint32_t> object_store_max_retries = 6;
  // Needed to read merge operands, as for Db.
  MergeOperator merge_operator;
  // As DbOptions::segment_extractor: must match the one the database was created with
  // (upstream 0.17 checks readers as it checks writers). Reads route by the manifest's
  // segments; the extractor names the segments of WAL rows replayed into memory.
  std::shared_ptr<const PrefixExtractor> segment_extractor;
  // The SST filters reads consult (those of other names are skipped); empty: none.
  // nullopt: the whole-key bloom filter ("_bf") of any size.
  std::optional<std::vector<FilterPolicy>> filter_policies;
  // As DbOptions::wal_object_store.
  std::shared_ptr<ObjectStore> wal_object_store;
  // As DbOptions::hide_expired_on_read.
  bool hide_expired_on_read = false;

  // Invalid with a message naming the offending option.
  Status Validate() const;
};

class DbReader {
 public:
  // Opens the reader: resolves its manifest (creating the managed checkpoint), replays the
  // WAL objects after it, and starts polling (managed / follow modes).
  static Task<Result<std::shared_ptr<DbReader>>> Open(ReaderOptions options);

  ~DbReader();  // stops polling; the managed checkpoint then expires on its own
  DbReader(const DbReader&) = delete;
  DbReader& operator=(const DbReader&) = delete;

  // As Db::Get / Db::GetKeyValue / Db::Scan (either order), over what the reader has
  // loaded so far.
  Task<Result<std::optional<std::string>>> Get(std::string_view key,
                                               const ReadOptions& options = {});
  bool TryGet(std::string_view key, const ReadOptions& options,
              Result<std::optional<std::string>>* out);
  Task<Result<std::optional<KeyValueRow>>> GetKeyValue(std::string_view key,
                                                       const ReadOptions& options = {});
  Task<Result<std::vector<std::optional<std::string>>>> MultiGet(std::vector<std::string> keys,
                                                                 const ReadOptions& options = {});
  Task<Result<std::unique_ptr<DbIterator>>> Scan(std::string_view start, std::string_view end,
                                                 const ScanOptions& options = {});

  // As Db::WarmSst / Db::EvictCachedSst / Db::FlushCacheToDisk, over the manifest the
  // reader has loaded and its own block cache.
  Task<Status> WarmSst(std::string_view sst_id, std::vector<CacheTarget> targets);
  Task<Status> EvictCachedSst(std::string_view sst_id);
  Task<Status> FlushCacheToDisk();

  // Polls now (what the timer does): loads a newer manifest and new WAL objects.
  // OK without effect in kCheckpoint mode.
  Task<Status> Refresh();

  // Stops polling and deletes the managed checkpoint. Later calls fail Closed. Idempotent.
  Task<Status> Close();

  // The checkpoint the reader currently reads through (managed or pinned), if any. The
  // managed checkpoint has no name, as upstream's.
  std::optional<std::string> checkpoint_id() const;
  // OK while open; Closed(clean) after Close.
  Status status() const;
  // The segment prefixes the reader knows, sorted: the manifest's, and (with an extractor)
  // those of WAL rows it holds in memory.
  std::vector<std::string> Segments() const;
  // The newest sequence number the reader has loaded (what its reads can see).
  uint64_t durable_seq() const;
  // The reader's metrics (docs/metrics.md), named as Db::Metrics() names them: its own
  // gets and scans (db/get_requests, db/scan_requests), object_store/* and block_cache/*.
  // The writer's metrics (writes, flushes, L0 and sorted-run gauges) are not reported.
  // No I/O; works after Close.
  std::map<std::string, uint64_t> Metrics() const;
  // The same as one JSON object.
  std::string MetricsJson() const;

 private:
  explicit DbReader(std::shared_ptr<ReaderImpl> impl);
  std::shared_ptr<ReaderImpl> impl_;
};

}  // namespace slatedb
