# SPDX-License-Identifier: Apache-2.0
"""Enums, tagged unions and records of slatedb.uniffi (python-uniffi-api.md section 2)."""

from __future__ import annotations

import enum

from ._types import _REQUIRED as R
from ._types import record, tagged_union

_MODULE = "slatedb.uniffi"


def _enum(name: str, members: str, doc: str) -> type:
    cls = enum.Enum(name, [(m, i) for i, m in enumerate(members.split())], module=_MODULE)
    cls.__doc__ = doc
    return cls


# ---------------------------------------------------------------------------- plain enums

FlushType = _enum("FlushType", "MEM_TABLE WAL", "What a flush writes to the object store.")
CompactionStatus = _enum(
    "CompactionStatus", "SUBMITTED SCHEDULED RUNNING COMPLETED FAILED COMPACTED",
    "Where a compaction is in its life.")
CompressionCodec = _enum("CompressionCodec", "SNAPPY ZLIB LZ4 ZSTD", "SST block codecs.")
SstType = _enum("SstType", "COMPACTED WAL", "Whether an SST holds compacted data or a WAL.")
FilterFormat = _enum("FilterFormat", "LEGACY COMPOSITE", "How an SST stores its filters.")
CloseReason = _enum("CloseReason", "CLEAN FENCED PANIC UNKNOWN",
                    "Why a handle is closed: shutdown, a newer writer, a failed background task.")
LogLevel = _enum("LogLevel", "OFF ERROR WARN INFO DEBUG TRACE", "Log record severities.")
DurabilityLevel = _enum("DurabilityLevel", "REMOTE MEMORY",
                        "Which writes a read may see: only durable ones, or all committed ones.")
RowEntryKind = _enum("RowEntryKind", "VALUE TOMBSTONE MERGE", "The kind of a WAL row.")
IterationOrder = _enum("IterationOrder", "ASCENDING DESCENDING", "Scan direction.")
IsolationLevel = _enum("IsolationLevel", "SNAPSHOT SERIALIZABLE_SNAPSHOT",
                       "Transaction isolation: snapshot, or serializable snapshot.")
ObjectStoreType = _enum("ObjectStoreType", "S3 AZURE GCS LOCAL IN_MEMORY",
                        "Object store providers known to ObjectStoreBuilder.")
SstBlockSize = _enum(
    "SstBlockSize", "BLOCK1_KIB BLOCK2_KIB BLOCK4_KIB BLOCK8_KIB BLOCK16_KIB BLOCK32_KIB "
    "BLOCK64_KIB", "Target size of SST data blocks.")

# ----------------------------------------------------------------------------- tagged unions

SourceId = tagged_union("SourceId", [("SORTED_RUN", 1), ("SST_VIEW", 1)],
                        "One input of a compaction: a sorted run id or an SST view ULID.")
CompactionSpec = tagged_union(
    "CompactionSpec",
    [("TIERED", ("segment", "sources", "destination")), ("DRAIN_SEGMENT", ("segment", "sources"))],
    "What a submitted compaction does.")
Ttl = tagged_union(
    "Ttl", [("DEFAULT", 0), ("NO_EXPIRY", 0), ("EXPIRE_AFTER_MILLIS", 1), ("EXPIRE_AT_MILLIS", 1)],
    "The lifetime of a put or merge operand.")
MetricValue = tagged_union(
    "MetricValue", [("COUNTER", 1), ("GAUGE", 1), ("UP_DOWN_COUNTER", 1), ("HISTOGRAM", 1)],
    "The value of one metric; read it with value[0].")
FilterContext = tagged_union("FilterContext", [("BYTES", ("payload",))],
                             "Opaque data handed to filter policies on reads.")
CacheTarget = tagged_union(
    "CacheTarget", [("FILTERS", 0), ("INDEX", 0), ("STATS", 0), ("DATA", ("range",))],
    "Which parts of an SST to load into the cache.")
PrefixTarget = tagged_union("PrefixTarget", [("POINT", ("key",)), ("PREFIX", ("prefix",))],
                            "What a prefix extractor is asked about: a point key or a prefix.")
ReaderMode = tagged_union(
    "ReaderMode", [("MANAGED_CHECKPOINT", 0), ("CHECKPOINT", 1), ("FOLLOW_LATEST", 0)],
    "How a reader chooses the database version it reads.")

# ----------------------------------------------------------------------------------- records

BloomFilterOptions = record("BloomFilterOptions", [
    ("bits_per_key", R), ("whole_key_filtering", True)],
    "Bloom filter settings: bits per key, and whether whole keys are added.")
Checkpoint = record("Checkpoint", [
    ("id", R), ("manifest_id", R), ("expire_time_secs", R), ("create_time_secs", R),
    ("name", R)], "A checkpoint: a pin on one manifest version (times in seconds).")
CheckpointCreateResult = record("CheckpointCreateResult", [("id", R), ("manifest_id", R)],
                                "The id and manifest of a checkpoint just created.")
CheckpointOptions = record("CheckpointOptions", [("lifetime_ms", R), ("source", R), ("name", R)],
                           "Options of Admin.create_detached_checkpoint.")
KeyRange = record("KeyRange", [
    ("start", R), ("start_inclusive", R), ("end", R), ("end_inclusive", R)],
    "A key range; a bound of None (or an empty start) is unbounded.")
CloneSourceSpec = record("CloneSourceSpec", [("path", R), ("checkpoint", R),
                                             ("projection_range", R)],
                         "One database a clone is made from.")
CloseOptions = record("CloseOptions", [("flush_type", R)], "Options of Db.shutdown_with_options.")
SsTableId = record("SsTableId", [("value", R)], "An SST id (a ULID string).")
SsTableInfo = record("SsTableInfo", [
    ("first_entry", R), ("last_entry", R), ("index_offset", R), ("index_len", R),
    ("filter_offset", R), ("filter_len", R), ("compression_codec", R), ("sst_type", R),
    ("stats_offset", R), ("stats_len", R), ("filter_format", R)],
    "Where an SST keeps its index, filter and stats, and its key bounds.")
SsTableHandle = record("SsTableHandle", [("id", R), ("info", R), ("estimated_size_bytes", R)],
                       "An SST as the manifest records it.")
Compaction = record("Compaction", [
    ("id", R), ("spec", R), ("bytes_processed", R), ("status", R), ("output_ssts", R),
    ("active", R)], "A compaction request and its progress.")
VersionedCompactions = record("VersionedCompactions", [
    ("id", R), ("compactor_epoch", R), ("recent_compactions", R)],
    "One version of the compactions state object.")
ExternalDb = record("ExternalDb", [
    ("path", R), ("source_checkpoint_id", R), ("final_checkpoint_id", R), ("sst_ids", R)],
    "A database whose SSTs a clone reads.")
SsTableView = record("SsTableView", [
    ("id", R), ("sst", R), ("visible_range", R), ("estimated_size_bytes", R)],
    "An SST as seen through an optional visible key range.")
SortedRun = record("SortedRun", [("id", R), ("sst_views", R), ("estimated_size_bytes", R)],
                   "A sorted run of non-overlapping SSTs.")
Segment = record("Segment", [
    ("prefix", R), ("last_compacted_l0_sst_view_id", R), ("l0", R), ("compacted", R)],
    "The LSM tree of one key segment.")
VersionedManifest = record("VersionedManifest", [
    ("id", R), ("writer_epoch", R), ("compactor_epoch", R), ("external_dbs", R),
    ("initialized", R), ("last_compacted_l0_sst_view_id", R), ("last_compacted_l0_sst_id", R),
    ("l0", R), ("compacted", R), ("segments", R), ("next_wal_sst_id", R),
    ("replay_after_wal_id", R), ("last_l0_clock_tick", R), ("last_l0_seq", R),
    ("recent_snapshot_min_seq", R), ("checkpoints", R), ("wal_object_store_uri", R)],
    "One version of the manifest: the database's complete description.")
CompactorStateView = record("CompactorStateView", [("compactions", R), ("manifest", R)],
                            "The latest manifest and compactions state together.")
SegmentPrefix = record("SegmentPrefix", [("prefix", R)], "A live segment's key prefix.")
DbStatus = record("DbStatus", [("durable_seq", R), ("close_reason", R), ("segments", R)],
                  "A handle's state: durable sequence number, close reason, live segments.")
FlushOptions = record("FlushOptions", [("flush_type", R)], "Options of Db.flush_with_options.")
FoyerCacheOptions = record("FoyerCacheOptions", [("max_capacity", R), ("shards", R)],
                           "A sharded in-memory cache: capacity in bytes and shard count.")
GarbageCollectorDirectoryOptions = record("GarbageCollectorDirectoryOptions", [
    ("interval_ms", None), ("min_age_ms", R), ("dry_run", R)],
    "Garbage collection of one directory.")
GarbageCollectorScheduleOptions = record("GarbageCollectorScheduleOptions", [
    ("interval_ms", None)], "A scheduled garbage collection task.")
GarbageCollectorOptions = record("GarbageCollectorOptions", [
    ("manifest_options", None), ("wal_options", None), ("wal_fence_options", None),
    ("compacted_options", None), ("compactions_options", None), ("detach_options", None),
    ("disable_boundary_files", False), ("object_store_max_retries", None)],
    "Options of Admin.run_gc_once.")
HistogramMetricValue = record("HistogramMetricValue", [
    ("count", R), ("sum", R), ("min", R), ("max", R), ("boundaries", R), ("bucket_counts", R)],
    "A histogram: count, sum, extremes and one count per bucket.")
ObjectMetadata = record("ObjectMetadata", [
    ("last_modified_seconds", R), ("last_modified_nanos", R), ("size", R), ("location", R),
    ("e_tag", R), ("version", R)], "An object's metadata in the store.")
IdentifiedObjectMetadata = record("IdentifiedObjectMetadata", [("id", R), ("metadata", R)],
                                  "The metadata of a numbered object (manifest, compactions).")
KeyValue = record("KeyValue", [
    ("key", R), ("value", R), ("seq", R), ("create_ts", R), ("expire_ts", R)],
    "A key, its value and the version that produced it (timestamps in ms).")

LogRecord = record("LogRecord", [
    ("level", R), ("target", R), ("message", R), ("module_path", R), ("file", R), ("line", R)],
    "One log record.")
MergeOptions = record("MergeOptions", [("ttl", R)], "Options of a merge.")
MetricLabel = record("MetricLabel", [("key", R), ("value", R)], "One label of a metric.")
Metric = record("Metric", [("name", R), ("labels", R), ("description", R), ("value", R)],
                "One metric: name, labels, description and value.")
MokaCacheOptions = record("MokaCacheOptions", [
    ("max_capacity", R), ("time_to_live", R), ("time_to_idle", R)],
    "An in-memory cache: capacity in bytes, optional entry lifetimes.")
PutOptions = record("PutOptions", [("ttl", R)], "Options of a put.")
TracingOptions = record("TracingOptions", [("trace_id", R)], "Tracing context of a read.")
ReadOptions = record("ReadOptions", [
    ("durability_filter", R), ("dirty", R), ("cache_blocks", R), ("filter_context", None),
    ("tracing_options", None)], "Options of a point read.")
ReaderOptions = record("ReaderOptions", [
    ("manifest_poll_interval_ms", R), ("checkpoint_lifetime_ms", R), ("max_memtable_bytes", R),
    ("skip_wal_replay", R), ("object_store_max_retries", None)], "Options of a DbReader.")
RowEntry = record("RowEntry", [
    ("kind", R), ("key", R), ("value", R), ("seq", R), ("create_ts", R), ("expire_ts", R)],
    "One row of a WAL file.")
ScanOptions = record("ScanOptions", [
    ("durability_filter", R), ("dirty", R), ("read_ahead_bytes", R), ("cache_blocks", R),
    ("max_fetch_tasks", R), ("order", None), ("filter_context", None), ("tracing_options", None)],
    "Options of a scan; order None is ascending.")
SlateDbWalReaderOptions = record("SlateDbWalReaderOptions", [
    ("max_buffered_bytes", 134217728), ("max_fetch_tasks", 128), ("read_ahead_bytes", 4194304)],
    "Options of a WAL reader.")
WalRows = record("WalRows", [("rows", R), ("last_consumed_wal_file_id", R)],
                 "The rows of one WAL file and its id.")
WriteOptions = record("WriteOptions", [("seqnum", 0)],
                      "Options of a write; seqnum 0 lets the database assign it.")

__all__ = [name for name, value in list(globals().items())
           if isinstance(value, type) and not name.startswith("_")]
