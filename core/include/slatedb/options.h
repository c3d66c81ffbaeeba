// SPDX-License-Identifier: Apache-2.0
//
// Settings (per database, fixed at open) and per-call options, with their defaults.
// Names carry their units. Bindings and configuration files reach each field through the
// settings table (settings.h), under upstream SlateDB's names; docs/settings.md lists both
// names and the reasons for the defaults.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "slatedb/clock.h"
#include "slatedb/db_cache.h"
#include "slatedb/executor.h"
#include "slatedb/filter_policy.h"
#include "slatedb/object_store.h"
#include "slatedb/prefix_extractor.h"
#include "slatedb/result.h"

namespace slatedb {

// The block codecs of SlateDB's SST format; the values are those the format stores.
enum class CompressionCodec : uint8_t { kNone = 0, kSnappy = 1, kZlib = 2, kLz4 = 3, kZstd = 4 };

// Limits on what a single write may contain.
inline constexpr size_t kMaxKeyBytes = 65535;
inline constexpr size_t kMaxValueBytes = (size_t{1} << 30);  // 1 GiB

struct Settings {
  // How often buffered writes are uploaded as one WAL object (group commit). A durable
  // write waits at most about this long plus one PUT. 0 disables the timer: WAL objects
  // are then written only by Flush(), a full buffer, or Close().
  uint64_t flush_interval_ms = 100;

  // A memtable is frozen and written as an L0 SST once its encoded size reaches this.
  // Also the size at which the WAL buffer is flushed early.
  uint64_t l0_sst_size_bytes = 64ull << 20;

  // Writers wait (they do not fail) while memtables and WAL buffers not yet in object
  // storage hold this many bytes. Must exceed l0_sst_size_bytes.
  uint64_t max_unflushed_bytes = 1ull << 30;

  // Memtable flushes wait while L0 holds this many SSTs (compaction drains it).
  uint32_t l0_max_ssts = 8;

  // Target size of an SST data block before compression. 1 KiB .. 64 KiB.
  uint32_t block_size_bytes = 4096;

  // Bloom filter bits per key in SSTs with at least min_filter_keys rows. 0 disables. The
  // filter policy of a database whose DbOptions::filter_policies is unset.
  uint32_t bloom_bits_per_key = 10;
  uint32_t min_filter_keys = 1000;

  // Codec for every block of new SSTs and WAL objects (as upstream SlateDB: none by
  // default). Existing SSTs keep theirs, so it can change between opens.
  CompressionCodec compression = CompressionCodec::kNone;

  // TTL applied to puts and merges that do not give their own. nullopt: never expire; 0:
  // such writes expire at once (they are never visible), as upstream.
  std::optional<uint64_t> default_ttl_ms;

  // Bytes of decoded SST blocks kept in memory by the database's own block cache (unused
  // with a shared DbOptions::db_cache).
  uint64_t block_cache_bytes = 64ull << 20;

  // A failing object-store call is retried this many times (jittered backoff from 100 ms,
  // doubling to 1 s) before the operation reports Unavailable; nullopt: no count limit,
  // only the deadline below. At most 100.
  std::optional<uint32_t> object_store_max_retries = 6;
  // Retries of one object-store call stop once this long has passed since its first
  // attempt (core/src/store/retrying_object_store.h). At least 1 ms.
  uint64_t object_store_retry_deadline_ms = 60'000;

  // --- Compaction (docs/compaction.md) ---
  // Run the size-tiered compactor inside this process. Off: another process compacts (a
  // standalone Compactor, slatedb/compactor.h); L0 is still bounded by l0_max_ssts, so
  // with no compactor running anywhere, memtable flushes and then writers wait.
  bool compactor_enabled = true;
  // A compaction starts once this many L0 SSTs (or similar-sized sorted runs) exist, and
  // merges at most compaction_max_sources of them. 2 <= min <= max; min <= l0_max_ssts.
  uint32_t compaction_min_sources = 4;
  uint32_t compaction_max_sources = 8;
  // Sorted runs are merged together while each is at most this many times the size of the
  // smallest one in the group (> 1.0).
  double compaction_include_size_threshold = 4.0;
  // Output SSTs of a compaction are cut at about this size (the spec's 256 MiB scaled down
  // so point reads and GC work on smaller objects). At least 64 KiB.
  uint64_t compaction_max_sst_bytes = 64ull << 20;
  // Compactions that may run at once (at most one consumes L0). At least 1.
  uint32_t compaction_max_concurrent = 2;
  // How often the compactor looks for compactions requested through Admin::SubmitCompaction
  // (one GET of the next compactions/ version when nothing changed); 0: requests are
  // recorded but never run by this process.
  uint64_t compaction_request_poll_ms = 5'000;
  // How often the manifest is read for another process's changes when compaction runs
  // elsewhere: a writer whose compactor is off (or was fenced by another compactor) picks up
  // compaction results and L0 room; a standalone compactor finds new L0 SSTs. Upstream's
  // manifest_poll_interval. > 0.
  uint64_t manifest_poll_interval_ms = 1'000;

  // --- Garbage collection (docs/gc.md) ---
  // One directory of the database (manifest/, wal/, compacted/) as the collector treats it.
  struct GcDirectory {
    // false: this process never deletes from it.
    bool enabled = true;
    // How often it is collected. The collector runs one pass for all directories at the
    // smallest interval among them; 0 disables periodic passes (RunGcOnce still works).
    uint64_t interval_ms = 600'000;
    // Unreferenced objects younger than this are kept: a writer may be about to reference
    // them (an uploaded L0 not yet in a manifest), or a reader may still use them.
    uint64_t min_age_ms = 300'000;
    // Plan only: nothing is deleted.
    bool dry_run = false;
  };
  // false: no in-process collector at all (RunGcOnce still works).
  bool gc_enabled = true;
  GcDirectory gc_manifest;
  GcDirectory gc_wal;
  GcDirectory gc_compacted;
  // Before deleting manifest or compaction-state versions, raise the store's GC boundary
  // (`gc/manifest.boundary`, `gc/compactions.boundary`) to the highest id deleted, so that
  // a writer stalled past the minimum age cannot re-create a collected version unseen.
  // Needs a store with conditional overwrites (If-Match); on one without, those versions
  // are left in place. false deletes them without a boundary (upstream's
  // boundary_files_enabled).
  bool gc_boundary_files = true;
  // Sets interval and minimum age of every directory at once.
  void SetGc(uint64_t interval_ms, uint64_t min_age_ms);
  // The periodic pass interval: the smallest interval of the directories it would delete
  // from; 0 if none (or gc_enabled is false).
  uint64_t GcPassIntervalMs() const;

  // Upstream settings this engine accepts without using them (settings.h, kNoEffect), by
  // table name, as JSON text; kept only so that they read back as written.
  std::map<std::string, std::string> inert;

  // Checks the values and their relations; Invalid names the offending field.
  Status Validate() const;
};

// The merge operator: folds `operand` onto the existing value (nullopt if the key has
// none, or was deleted). Must be associative: the engine regroups operands freely. An
// error result fails the read or write that needed the fold.
using MergeOperator = std::function<Result<std::string>(
    std::string_view key, std::optional<std::string_view> existing, std::string_view operand)>;

struct DbOptions {
  // Required. The host's storage, background-work scheduler and time source.
  std::shared_ptr<ObjectStore> object_store;
  std::shared_ptr<Executor> executor;
  std::shared_ptr<Clock> clock;

  // The database's prefix inside the store, e.g. "tenants/42/db" (no leading or trailing
  // '/'); empty means the store's root.
  std::string path;

  Settings settings;

  // Needed to write or read merge operands; reads that meet one without it fail Invalid.
  MergeOperator merge_operator;

  // Splits the database into segments by key prefix (prefix_extractor.h). Every written
  // key must then have a prefix (else the write fails Invalid), and no segment's prefix may
  // be a proper prefix of another's. Fixed at creation: its Name() is stored in the
  // manifest, and an open with another name, or with none where one was stored (and the
  // other way round), fails Invalid.
  std::shared_ptr<const PrefixExtractor> segment_extractor;

  // The filters written into new SSTs, one per policy (slatedb/filter_policy.h), and the
  // only ones reads consult; an empty list writes and reads none. nullopt: one whole-key
  // bloom filter of settings.bloom_bits_per_key bits (none if 0). The compactor of this
  // handle writes them too.
  std::optional<std::vector<FilterPolicy>> filter_policies;

  // Where the WAL objects (`<path>/wal/`) live, if not in `object_store` (say, a store with
  // lower write latency). Every process that opens the database (readers, admin, WAL
  // readers) must be given the same store. nullptr: in `object_store`.
  std::shared_ptr<ObjectStore> wal_object_store;

  // Seeds the random parts of the ids this handle makes (SST ULIDs, checkpoint UUIDs), for
  // runs that must repeat exactly (upstream's with_seed). nullopt: seeded from the clock.
  std::optional<uint64_t> seed;

  // Reads hide a row whose TTL has passed by this handle's clock (upstream 0.11's rule, which
  // the seed Python API keeps). Off, as in upstream 0.17: an expired row stays readable until
  // the memtable holding it is flushed to L0 or it is compacted, where it becomes a tombstone
  // (judged by the database's last write time, not the reader's clock), so every reader of a
  // database, ours or upstream's, sees the same rows.
  bool hide_expired_on_read = false;

  // A cache shared with other databases (db_cache.h); replaces the database's own block
  // cache (settings.block_cache_bytes is then unused). `db_cache_id` keys this database's
  // entries in it: same id, same entries (a reopen, a reader of the same database); another
  // id never sees them. nullopt: an id unique to this handle.
  std::shared_ptr<DbCache> db_cache;
  std::optional<uint64_t> db_cache_id;
};

// Which writes a read may see.
enum class DurabilityLevel : uint8_t {
  kMemory = 0,  // everything committed, durable or not (default)
  kRemote = 1,  // only writes already stored in the object store
};

struct ReadOptions {
  DurabilityLevel durability_filter = DurabilityLevel::kMemory;
  // Also see writes applied to the memtable but not yet committed (a narrow window).
  bool dirty = false;
};

// The order a scan yields keys in.
enum class IterationOrder : uint8_t { kAscending = 0, kDescending = 1 };

struct ScanOptions : ReadOptions {
  IterationOrder order = IterationOrder::kAscending;
  // Set by scan_prefix: every key of the scan's range starts with this prefix, so SSTs
  // whose prefix filters rule it out are skipped unread (FilterPolicy::prefix_extractor).
  // It does not narrow the range itself. nullopt: a plain range scan.
  std::optional<std::string> filter_prefix;
};

struct WriteOptions {
  // Return only once the write is stored in the object store (in a WAL object). If false,
  // the write is visible at once and becomes durable at the next WAL flush; a crash
  // before then loses it.
  bool await_durable = true;
  // The batch's sequence number, chosen by the caller (upstream's WriteOptions.seqnum). It
  // must exceed every sequence number the database has assigned, else Invalid; later
  // writes continue above it. nullopt or 0: the database assigns the next one.
  std::optional<uint64_t> seqnum;
};

// A TTL that never expires (overrides Settings::default_ttl_ms).
inline constexpr uint64_t kNoExpiry = UINT64_MAX;

// Per put/merge options.
struct PutOptions {
  // Time to live from the write, in milliseconds: the value is visible while now is before
  // write time + ttl. nullopt uses Settings::default_ttl_ms; 0 expires at once (the write
  // is never visible, as upstream); kNoExpiry (or any TTL past the clock's range) never
  // expires.
  std::optional<uint64_t> ttl_ms;
  // Absolute expiry, clock ms since the epoch (upstream's Ttl.EXPIRE_AT_MILLIS); overrides
  // ttl_ms and the default. A time not after the write's own reads as already expired.
  std::optional<int64_t> expire_at_ms;
};

enum class FlushType : uint8_t {
  kWal = 0,       // upload buffered writes as a WAL object
  kMemTable = 1,  // also write the memtable as an L0 SST and record it in the manifest
};

// Db::Close(CloseOptions).
struct CloseOptions {
  // The flush done before closing; nullopt: none (writes not yet durable are lost).
  std::optional<FlushType> flush = FlushType::kMemTable;
};

}  // namespace slatedb
