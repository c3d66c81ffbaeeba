# SPDX-License-Identifier: Apache-2.0
"""Manifest and compaction-state documents from the engine's Admin (JSON, see
core/include/slatedb/admin.h) as slatedb.uniffi records.

Each SST is shown as its own view (same id, no visible range). Segments (a database with a
segment extractor) are listed with their own L0 views and sorted runs.
"""

from __future__ import annotations

import base64
import json

from ._values import (Checkpoint, Compaction, CompactionSpec, CompactionStatus,
                      CompressionCodec, ExternalDb, FilterFormat, Segment, SortedRun, SourceId,
                      SsTableHandle, SsTableId, SsTableInfo, SsTableView, SstType,
                      VersionedCompactions, VersionedManifest)

_CODECS = {"zstd": CompressionCodec.ZSTD, "snappy": CompressionCodec.SNAPPY,
           "zlib": CompressionCodec.ZLIB, "lz4": CompressionCodec.LZ4}
_STATUS = {"submitted": CompactionStatus.SUBMITTED, "scheduled": CompactionStatus.SCHEDULED,
           "running": CompactionStatus.RUNNING, "completed": CompactionStatus.COMPLETED,
           "failed": CompactionStatus.FAILED, "compacted": CompactionStatus.COMPACTED}
_ACTIVE = (CompactionStatus.SUBMITTED, CompactionStatus.SCHEDULED, CompactionStatus.RUNNING)


def _b64(text):
    return base64.b64decode(text) if text else None


def _secs(ms):
    return None if ms is None else ms // 1000


def sst_handle(ref: dict) -> SsTableHandle:
    info = ref.get("info", {})
    size = info.get("object_size", 0)
    return SsTableHandle(
        id=SsTableId(value=ref["id"]),
        info=SsTableInfo(
            first_entry=_b64(info.get("first_key")), last_entry=_b64(info.get("last_key")),
            index_offset=info.get("index_offset", 0), index_len=info.get("index_length", 0),
            filter_offset=info.get("filter_offset", 0), filter_len=info.get("filter_length", 0),
            compression_codec=_CODECS.get(info.get("compression")),
            sst_type=SstType.WAL if info.get("type") == "wal" else SstType.COMPACTED,
            stats_offset=info.get("stats_offset", 0), stats_len=info.get("stats_length", 0),
            filter_format=FilterFormat.LEGACY),
        estimated_size_bytes=size)


def sst_view(ref: dict) -> SsTableView:
    handle = sst_handle(ref)
    return SsTableView(id=ref["id"], sst=handle, visible_range=None,
                       estimated_size_bytes=handle.estimated_size_bytes)


def checkpoint(c: dict) -> Checkpoint:
    expire = c.get("expire_time_ms") or None
    return Checkpoint(id=c["id"], manifest_id=c["manifest_id"], expire_time_secs=_secs(expire),
                      create_time_secs=_secs(c.get("create_time_ms", 0)),
                      name=c.get("name") or None)


def manifest(text: str) -> VersionedManifest:
    """A VersionedManifest from the engine's `[id, {...}]` JSON."""
    manifest_id, body = json.loads(text)
    def sorted_runs(tree: dict) -> list:
        out = []
        for run in tree.get("sorted_runs", []):
            views = [sst_view(r) for r in run.get("ssts", [])]
            out.append(SortedRun(id=run["id"], sst_views=views,
                                 estimated_size_bytes=sum(v.estimated_size_bytes for v in views)))
        return out

    runs = sorted_runs(body)
    segments = [Segment(prefix=bytes.fromhex(s["prefix"]),
                        last_compacted_l0_sst_view_id=s.get("last_compacted_l0_view_id") or None,
                        l0=[sst_view(r) for r in s.get("l0", [])], compacted=sorted_runs(s))
                for s in body.get("segments", [])]
    externals = [ExternalDb(path=e["path"], source_checkpoint_id=e["source_checkpoint_id"],
                            final_checkpoint_id=e.get("final_checkpoint_id") or None,
                            sst_ids=[SsTableId(value=s) for s in e.get("sst_ids", [])])
                 for e in body.get("external_dbs", [])]
    last_compacted = body.get("last_compacted_l0_sst_id") or None
    return VersionedManifest(
        id=manifest_id, writer_epoch=body.get("writer_epoch", 0),
        compactor_epoch=body.get("compactor_epoch", 0), external_dbs=externals,
        initialized=body.get("initialized", True),
        last_compacted_l0_sst_view_id=last_compacted, last_compacted_l0_sst_id=last_compacted,
        l0=[sst_view(r) for r in body.get("l0", [])], compacted=runs, segments=segments,
        next_wal_sst_id=body.get("wal_id_last_seen", 0) + 1,
        replay_after_wal_id=body.get("replay_after_wal_id", 0),
        last_l0_clock_tick=body.get("last_l0_clock_tick", 0),
        last_l0_seq=body.get("last_l0_seq", 0),
        recent_snapshot_min_seq=body.get("recent_snapshot_min_seq", 0),
        checkpoints=[checkpoint(c) for c in body.get("checkpoints", [])],
        wal_object_store_uri=None)


def _source(s: dict) -> SourceId:
    if "SortedRun" in s:
        return SourceId.SORTED_RUN(s["SortedRun"])
    return SourceId.SST_VIEW(s.get("SstView") or s.get("Sst"))


def compaction(c: dict, ssts: dict) -> Compaction:
    """A Compaction record; `ssts` maps SST ids to manifest entries for its outputs (outputs
    no longer in the latest manifest are left out)."""
    spec = c.get("spec", {})
    status = _STATUS.get(str(c.get("status", "")).lower(), CompactionStatus.SUBMITTED)
    outputs = [sst_handle(ssts[i]) for i in c.get("output_ssts", []) if i in ssts]
    segment = bytes.fromhex(spec.get("segment", ""))
    sources = [_source(s) for s in spec.get("sources", [])]
    if spec.get("drain"):
        kind = CompactionSpec.DRAIN_SEGMENT(segment=segment, sources=sources)
    else:
        kind = CompactionSpec.TIERED(segment=segment, sources=sources,
                                     destination=spec.get("destination", 0))
    return Compaction(
        id=c["id"],
        spec=kind,
        bytes_processed=c.get("bytes_processed", 0), status=status, output_ssts=outputs,
        active=status in _ACTIVE)


def compactions(text: str, ssts: dict) -> VersionedCompactions:
    """VersionedCompactions from the engine's `[id, {compactor_epoch, core: {...}}]` JSON."""
    state_id, body = json.loads(text)
    recent = body.get("core", {}).get("recent_compactions", [])
    return VersionedCompactions(id=state_id, compactor_epoch=body.get("compactor_epoch", 0),
                                recent_compactions=[compaction(c, ssts) for c in recent])


def sst_index(manifest_text) -> dict:
    """SST id -> manifest entry for every SST of a manifest's JSON (or {} for None)."""
    if manifest_text is None:
        return {}
    _, body = json.loads(manifest_text)
    out = {r["id"]: r for r in body.get("l0", [])}
    for run in body.get("sorted_runs", []):
        for r in run.get("ssts", []):
            out[r["id"]] = r
    return out
