// SPDX-License-Identifier: Apache-2.0
//
// Db: a read-write handle on one database (one prefix of one object store).
//
// Exactly one writer per database: opening a Db fences any earlier writer, whose next
// WAL or manifest write then fails and which from then on reports Closed(fenced).
//
// Every method is thread-safe and returns a Task (task.h) that does nothing until awaited
// or spawned. Arguments are validated and copied when the method is called, so the
// caller's buffers may be released at once. Calls that need no I/O (a non-durable write,
// a read answered from memory or the block cache) complete without suspending.
//
// Errors (status.h kinds): Invalid for bad arguments; Closed after Close() (reason
// clean), after being fenced (reason fenced) or after a background failure that cannot be
// retried (reason background error); Unavailable when the object store keeps failing after
// the configured retries (the database stays usable); Data when stored data is corrupt or
// missing. A missing key is not an error.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "slatedb/checkpoint.h"
#include "slatedb/iterator.h"
#include "slatedb/options.h"
#include "slatedb/result.h"
#include "slatedb/sst_cache.h"
#include "slatedb/task.h"
#include "slatedb/write_batch.h"

namespace slatedb {

class DbImpl;
class Snapshot;
class Transaction;
enum class IsolationLevel : uint8_t;  // transaction.h

// Identifies an applied write.
struct WriteHandle {
  uint64_t seq = 0;       // the batch's sequence number (increasing, not dense)
  int64_t create_ts = 0;  // ms since epoch, as stamped on the rows
};

// A visible value and the version it came from (Db::GetKeyValue).
struct KeyValueRow {
  std::string key;
  std::string value;
  uint64_t seq = 0;                  // sequence number of the newest contributing version
  int64_t create_ts = 0;             // clock ms when that version was written
  std::optional<int64_t> expire_ts;  // clock ms from which it is invisible; none = never
};

class Db {
 public:
  // Opens the database at options.path, creating it if the store holds none there.
  // Claims the writer epoch (fencing earlier writers) and replays WAL objects not yet
  // covered by an L0 SST, so every write that was durable is visible again.
  // Invalid: missing store/executor/clock, bad settings. Data: an unreadable manifest or
  // WAL object. Unavailable: the store keeps failing. Closed(fenced): another writer
  // claimed the database during the open.
  static Task<Result<std::shared_ptr<Db>>> Open(DbOptions options);

  ~Db();  // does not flush; call Close() to keep non-durable writes
  Db(const Db&) = delete;
  Db& operator=(const Db&) = delete;

  // Writes `value` under `key`. Invalid: empty key, key over kMaxKeyBytes, value over
  // kMaxValueBytes. With await_durable (the default) returns once the write is in a WAL
  // object in the store.
  Task<Result<WriteHandle>> Put(std::string_view key, std::string_view value,
                                const PutOptions& put_options = {},
                                const WriteOptions& write_options = {});

  // Deletes `key` (a tombstone hides every older version). Deleting a missing key is OK.
  Task<Result<WriteHandle>> Delete(std::string_view key, const WriteOptions& options = {});

  // Appends a merge operand for `key`. Invalid without a merge operator.
  Task<Result<WriteHandle>> Merge(std::string_view key, std::string_view operand,
                                  const PutOptions& put_options = {},
                                  const WriteOptions& write_options = {});

  // Applies every operation in `batch` atomically under one sequence number.
  // Invalid: empty batch, or one whose status() is not OK.
  Task<Result<WriteHandle>> Write(WriteBatch batch, const WriteOptions& options = {});

  // The newest visible value of `key`, or nullopt if absent, deleted or expired.
  Task<Result<std::optional<std::string>>> Get(std::string_view key,
                                               const ReadOptions& options = {});

  // The values of `keys` in the order given (nullopt where absent, deleted or expired; a
  // key given twice is answered twice): the same answers as Get of each key, read from one
  // view of the database, with the work shared (each SST's filter consulted once per key,
  // each SST opened and each block read once, the reads issued together). Invalid if any
  // key is; the first read error fails the whole call.
  Task<Result<std::vector<std::optional<std::string>>>> MultiGet(std::vector<std::string> keys,
                                                                 const ReadOptions& options = {});

  // Get with where the value came from: the newest version that contributes to it (for a
  // merged value, the newest operand). nullopt if absent, deleted or expired.
  Task<Result<std::optional<KeyValueRow>>> GetKeyValue(std::string_view key,
                                                       const ReadOptions& options = {});

  // Get without a Task, for hosts that want to stay on the calling thread: returns true and
  // fills *out (value, nullopt, or an error as Get would report it) when the answer was in
  // memory (memtables, block cache); returns false, doing nothing, when Get must do I/O.
  bool TryGet(std::string_view key, const ReadOptions& options,
              Result<std::optional<std::string>>* out);

  // Iterates keys in [start, end); an empty `end` means "to the last key". In ascending
  // key order, or descending with options.order (then Seek fails Invalid, as upstream).
  // Invalid: empty start, or non-empty end <= start.
  Task<Result<std::unique_ptr<DbIterator>>> Scan(std::string_view start, std::string_view end,
                                                 const ScanOptions& options = {});

  // A consistent read-only view of the database as of now. Reads through it never see
  // later writes. Cheap (no I/O); released when the last reference goes.
  Result<std::shared_ptr<Snapshot>> GetSnapshot();

  // Starts a transaction reading the database as of now (transaction.h). Begin() is
  // snapshot isolation. Invalid: an isolation level that is not one of the enum's values.
  Result<std::unique_ptr<Transaction>> Begin(IsolationLevel isolation);
  Result<std::unique_ptr<Transaction>> Begin();

  // kWal: uploads buffered writes now and returns when they are durable.
  // kMemTable: additionally writes the memtable as an L0 SST and records it in the manifest.
  Task<Status> Flush(FlushType type = FlushType::kWal);

  // Flushes the WAL and the memtable, then closes. Later calls fail Closed(clean).
  // Closing twice is OK. If the database was fenced or failed, returns that error.
  Task<Status> Close();
  // Closes after the final flush options.flush names; with nullopt there is none, so writes
  // not yet durable are lost (upstream's shutdown_with_options). Iterators opened before
  // keep reading their view.
  Task<Status> Close(const CloseOptions& options);

  // Completes once every write with a sequence number <= `seq` is in a WAL object in the
  // store: at the next periodic, size-triggered or requested WAL flush, without forcing one
  // (waiters are grouped, as durable writes are). Closed if the database closes first;
  // Invalid if `seq` was never assigned.
  Task<Status> AwaitDurable(uint64_t seq);

  // The newest sequence number known durable (in a WAL object or an SST in the store).
  uint64_t durable_seq() const;

  // The reason every call now fails, or OK while open.
  Status status() const;

  // The live segment prefixes (DbOptions::segment_extractor), sorted, without duplicates:
  // the manifest's and those of rows still in memory. Empty without an extractor.
  std::vector<std::string> Segments() const;

  // A snapshot of the database's counters and gauges, name -> value. Counters start at
  // zero when the database is opened. docs/metrics.md lists every name; among them
  // db/get_requests, db/scan_requests, db/write_batch_count, db/write_ops,
  // db/immutable_memtable_flushes, compaction/bytes_read, compaction/bytes_written,
  // object_store/<get|get_range|head|put|list|delete>, object_store/bytes_read,
  // block_cache/hits, block_cache/misses, db/l0_sst_count, db/sorted_run_count.
  std::map<std::string, uint64_t> Metrics() const;
  // The same snapshot as one JSON object.
  std::string MetricsJson() const;

  // A read-only picture of the LSM tree as one JSON object, for tools and demos: the
  // latest manifest this writer knows (id, epochs, WAL ids, L0 SSTs newest first and
  // sorted runs, each SST with id, approximate bytes and first/last key in hex), the active
  // memtable's estimated bytes and flush threshold, immutable memtables, and the WAL
  // buffer. No I/O; the shape may grow but existing fields keep their meaning.
  std::string StateJson() const;

  // Runs one garbage-collection pass now (docs/gc.md): each directory with its configured
  // minimum age (directories disabled or in dry run are left alone), or every directory
  // with `min_age_ms` if given. Deletes manifests, WAL objects and SSTs that neither the
  // latest manifest nor any checkpointed manifest references. Unavailable if the store
  // fails; the next pass retries.
  Task<Status> RunGcOnce(std::optional<uint64_t> min_age_ms = std::nullopt);

  // Checkpoints (checkpoint.h, docs/checkpoints.md).
  // Creates a checkpoint pinning the version that holds the writes the scope names.
  // Invalid: malformed source id. Data: the source checkpoint does not exist.
  Task<Result<CheckpointCreateResult>> CreateCheckpoint(const CheckpointOptions& options = {});
  // Sets the checkpoint's expiry to now + lifetime (nullopt: never). Invalid: malformed id.
  // Data: no such checkpoint.
  Task<Status> RefreshCheckpoint(std::string_view id, std::optional<uint64_t> lifetime_ms);
  // Deletes the checkpoint; deleting a missing one is OK. Invalid: malformed id.
  Task<Status> DeleteCheckpoint(std::string_view id);
  // The checkpoints of the latest manifest in the store.
  Task<Result<std::vector<CheckpointInfo>>> ListCheckpoints();

  // Per-SST cache control (sst_cache.h, docs/caches.md), upstream 0.17's warm_sst,
  // evict_cached_sst and flush_cache_to_disk. `sst_id` is a compacted SST's ULID (either
  // case); a malformed one is Invalid("invalid SST ULID: ...") even after Close.
  //
  // WarmSst loads `targets` of the SST as the current manifest lists it: FILTERS and
  // INDEX open it (filter and index in memory), DATA(range) also loads the data blocks
  // holding keys of the range that the SST's views show into the block cache, STATS loads
  // nothing into memory. With a persistent cache (ObjectStore::cache()) the requested byte
  // ranges are brought into it too. Afterwards reads of the warmed parts make no request
  // (until the caches evict them under pressure). Does nothing with no targets, with
  // neither a block cache nor a persistent cache, or for an SST the manifest does not
  // reference. Closed after Close(); Unavailable / Data as for reads.
  Task<Status> WarmSst(std::string_view sst_id, std::vector<CacheTarget> targets);
  // Drops the SST's data blocks from the block cache, its index and filter from memory and
  // its parts from the persistent cache, so its next read fetches them again; whether or
  // not the manifest still lists it. After Close(): Closed for an SST the manifest lists,
  // OK for any other (as upstream answers).
  Task<Status> EvictCachedSst(std::string_view sst_id);
  // Upstream writes its hybrid cache's memory tier to disk. The persistent cache here
  // writes each part as it fetches it, so there is nothing to write: OK, or Closed after
  // Close().
  Task<Status> FlushCacheToDisk();

  // The settings the database was opened with (settings.h prints them by name).
  const Settings& settings() const;

 private:
  friend class DbImpl;
  explicit Db(std::shared_ptr<DbImpl> impl);
  std::shared_ptr<DbImpl> impl_;
};

// A fixed read view (Db::GetSnapshot). Thread-safe. Closed once its database closes.
class Snapshot {
 public:
  ~Snapshot();
  Task<Result<std::optional<std::string>>> Get(std::string_view key,
                                               const ReadOptions& options = {});
  // As Db::GetKeyValue, at the snapshot.
  Task<Result<std::optional<KeyValueRow>>> GetKeyValue(std::string_view key,
                                                       const ReadOptions& options = {});
  // As Db::MultiGet, as of the snapshot.
  Task<Result<std::vector<std::optional<std::string>>>> MultiGet(std::vector<std::string> keys,
                                                                 const ReadOptions& options = {});
  Task<Result<std::unique_ptr<DbIterator>>> Scan(std::string_view start, std::string_view end,
                                                 const ScanOptions& options = {});
  uint64_t seq() const { return seq_; }

 private:
  friend class Db;
  Snapshot(std::shared_ptr<DbImpl> db, uint64_t seq) : db_(std::move(db)), seq_(seq) {}
  std::shared_ptr<DbImpl> db_;
  uint64_t seq_;
};

}  // namespace slatedb
