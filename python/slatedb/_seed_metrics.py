# SPDX-License-Identifier: Apache-2.0
"""The names SlateDB.metrics() answers with: upstream 0.11's stat registry, read from this
engine's counters.

Upstream registers these 31 stats when a database opens (the `db/` stats of the writer,
its block cache, compactor and garbage collector). Each is read from the engine counter that
measures the same thing; a stat this engine does not keep (its caches have no filter or index
blocks, it samples no throughput) reads 0, as upstream's does until it moves.
"""

from __future__ import annotations

# upstream name -> this engine's metric (Db::Metrics), or None for 0.
UPSTREAM_STATS: dict[str, str | None] = {
    "compactor/bytes_compacted": "compaction/bytes_written",
    "compactor/last_compaction_timestamp_sec": None,
    "compactor/running_compactions": "compaction/running",
    "compactor/total_bytes_being_compacted": None,
    "compactor/total_throughput_bytes_per_sec": None,
    "db/backpressure_count": "db/write_stalls",
    "db/flush_requests": "db/flush_requests",
    "db/get_requests": "db/get_requests",
    "db/immutable_memtable_flushes": "db/immutable_memtable_flushes",
    "db/l0_sst_count": "db/l0_sst_count",
    "db/scan_requests": "db/scan_requests",
    "db/sst_filter_false_positives": None,
    "db/sst_filter_negatives": None,
    "db/sst_filter_positives": None,
    "db/total_mem_size_bytes": "db/unflushed_bytes",
    "db/wal_buffer_estimated_bytes": None,
    "db/wal_buffer_flushes": "db/wal_flushes",
    "db/write_batch_count": "db/write_batch_count",
    "db/write_ops": "db/write_ops",
    "dbcache/data_block_hit": "block_cache/hits",
    "dbcache/data_block_miss": "block_cache/misses",
    "dbcache/filter_hit": None,
    "dbcache/filter_miss": None,
    "dbcache/get_error": None,
    "dbcache/index_hit": None,
    "dbcache/index_miss": None,
    "gc/compacted_count": "gc/deleted_ssts",
    "gc/compactions_count": None,
    "gc/count": "gc/runs",
    "gc/manifest_count": "gc/deleted_manifests",
    "gc/wal_count": "gc/deleted_wal_objects",
}


def seed_metrics(engine: dict[str, int]) -> dict[str, int]:
    """Upstream's stats (name -> int) from this engine's metrics."""
    return {name: (engine.get(ours, 0) if ours else 0)
            for name, ours in UPSTREAM_STATS.items()}
