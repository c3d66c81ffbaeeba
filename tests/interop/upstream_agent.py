# SPDX-License-Identifier: Apache-2.0
"""The upstream side of the interop tests: slatedb 0.17.0's `slatedb.uniffi` API, run by the
oracle venv's Python (scripts/oracle-venv.sh: build/oracle-0.17/bin/python). Obeys the
command protocol described in agent_common.py.
"""
from __future__ import annotations

import asyncio
import os
import sys
import time
import traceback

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from agent_common import (CommandError, concat_merge, make_clone, read_once,  # noqa: E402
                          read_wal_files, serve, unhex)
from slatedb.uniffi import (  # noqa: E402
    AdminBuilder, CheckpointOptions, CloseReason, CompactionSpec, CompactionStatus,
    CompressionCodec, DbBuilder, DbReaderBuilder, Error, FlushOptions, FlushType,
    GarbageCollectorDirectoryOptions, GarbageCollectorOptions, KeyRange, LogLevel, MergeOperator,
    ObjectStore, PutOptions, ReaderMode, ReaderOptions, Settings, SlateDbWalReader, SourceId, Ttl,
    WriteBatch,
    WriteOptions, init_logging,
)

CODEC_NAMES = {None: "none", CompressionCodec.SNAPPY: "snappy", CompressionCodec.ZLIB: "zlib",
               CompressionCodec.LZ4: "lz4", CompressionCodec.ZSTD: "zstd"}
CODEC_SETTING = {"none": "null", "snappy": '"Snappy"', "zlib": '"Zlib"', "lz4": '"Lz4"',
                 "zstd": '"Zstd"'}
EVERYTHING = KeyRange(start=None, start_inclusive=False, end=None, end_inclusive=False)


class Concat(MergeOperator):
    def merge(self, key, existing_value, operand):
        return concat_merge(existing_value, operand)


def store_and_path(store: dict, path: str):
    """(ObjectStore, database path inside it) for a STORE of the protocol."""
    if store["kind"] == "local":
        return ObjectStore.resolve("file:///"), os.path.join(store["root"], path)
    if store["kind"] == "s3":
        prefix = store.get("prefix", "").strip("/")
        return (ObjectStore.resolve(f"s3://{store['bucket']}"),
                f"{prefix}/{path}" if prefix else path)
    raise CommandError("Invalid", f"unknown store kind {store['kind']!r}")


def make_settings(options: dict) -> Settings:
    settings = Settings.default()
    settings.set("compression_codec", CODEC_SETTING[options.get("codec", "none")])
    for key in ("l0_sst_size_bytes", "l0_max_ssts"):
        if key in options:
            settings.set(key, str(int(options[key])))
    if "flush_interval_ms" in options:
        settings.set("flush_interval", f'"{int(options["flush_interval_ms"])}ms"')
    if options.get("wal_enabled") is False:  # clone sources (union, projection) need it
        settings.set("wal_enabled", "false")
    if "compaction_max_sst_bytes" in options:
        settings.set("compactor_options.worker.max_sst_size",
                     str(int(options["compaction_max_sst_bytes"])))
    # Compactions start, run and commit promptly, so tests wait tenths of seconds, not seconds.
    for key in ("compactor_options.poll_interval",
                "compactor_options.worker.compactions_poll_interval",
                "compactor_options.commit_compacted_interval"):
        settings.set(key, '"100ms"')
    if options.get("compactor") is False:  # a standalone compactor compacts this database
        settings.set("compactor_options", "null")
    return settings


def classify(e: Exception) -> CommandError:
    if isinstance(e, Error):
        kind = type(e).__name__
        reason = None
        if isinstance(e, Error.Closed):
            reason = {CloseReason.FENCED: "fenced", CloseReason.CLEAN: "clean",
                      CloseReason.PANIC: "panic"}.get(e.reason, "unknown")
        return CommandError(kind, getattr(e, "message", str(e)), reason)
    raise e


class Agent:
    def __init__(self):
        self.loop = asyncio.new_event_loop()
        self.db = None        # a Db (writer) or a DbReader
        self.writer = False
        self.store = None
        self.path = None

    # --- commands ----------------------------------------------------------------------
    async def open_writer(self, cmd):
        self.store, self.path = store_and_path(cmd["store"], cmd["path"])
        builder = DbBuilder(self.path, self.store)
        builder.with_settings(make_settings(cmd.get("settings", {})))
        builder.with_merge_operator(Concat())
        self.db = await builder.build()
        self.writer = True

    async def attach(self, cmd):
        """Names the database for the admin commands without opening a handle."""
        self.store, self.path = store_and_path(cmd["store"], cmd["path"])

    async def open_reader(self, cmd):
        self.store, self.path = store_and_path(cmd["store"], cmd["path"])
        builder = DbReaderBuilder(self.path, self.store)
        builder.with_merge_operator(Concat())
        poll = int(cmd.get("poll_ms", 100))
        builder.with_options(ReaderOptions(manifest_poll_interval_ms=poll,
                                           checkpoint_lifetime_ms=max(60_000, 4 * poll),
                                           max_memtable_bytes=64 << 20, skip_wal_replay=False))
        if cmd.get("checkpoint"):
            builder.with_reader_mode(ReaderMode.CHECKPOINT(cmd["checkpoint"]))
        self.db = await builder.build()
        self.writer = False

    async def write(self, cmd):
        ops = cmd["ops"]
        handle = None
        for i, op in enumerate(ops):
            try:
                handle = await self._apply(op)
            except Error as e:
                err = classify(e)
                err.at = i
                raise err from None
        if cmd.get("durable", True) and handle is not None:
            try:
                await handle.await_durable()
            except Error as e:
                err = classify(e)
                err.at = len(ops) - 1
                raise err from None
        return {"count": len(ops)}

    async def _apply(self, op):
        kind = op[0]
        if kind == "put":
            if len(op) > 3 and op[3] is not None:
                return await self.db.put_with_options(
                    unhex(op[1]), unhex(op[2]), PutOptions(ttl=Ttl.EXPIRE_AFTER_MILLIS(op[3])),
                    WriteOptions(seqnum=0))
            return await self.db.put(unhex(op[1]), unhex(op[2]))
        if kind == "delete":
            return await self.db.delete(unhex(op[1]))
        if kind == "merge":
            return await self.db.merge(unhex(op[1]), unhex(op[2]))
        if kind == "batch":
            batch = WriteBatch()
            for sub in op[1]:
                if sub[0] == "put" and len(sub) > 3 and sub[3] is not None:
                    batch.put_with_options(unhex(sub[1]), unhex(sub[2]),
                                           PutOptions(ttl=Ttl.EXPIRE_AFTER_MILLIS(sub[3])))
                elif sub[0] == "put":
                    batch.put(unhex(sub[1]), unhex(sub[2]))
                elif sub[0] == "delete":
                    batch.delete(unhex(sub[1]))
                elif sub[0] == "merge":
                    batch.merge(unhex(sub[1]), unhex(sub[2]))
                else:
                    raise CommandError("Invalid", f"unknown batch op {sub[0]!r}")
            return await self.db.write(batch)
        raise CommandError("Invalid", f"unknown op {kind!r}")

    async def flush(self, cmd):
        kind = FlushType.WAL if cmd.get("kind") == "wal" else FlushType.MEM_TABLE
        await self.db.flush_with_options(FlushOptions(flush_type=kind))

    async def read(self, cmd):
        keys = [unhex(k) for k in cmd.get("keys", [])]
        gets = []
        for i in range(0, len(keys), 64):  # concurrent gets: each await costs a runtime hop
            values = await asyncio.gather(*(self.db.get(k) for k in keys[i:i + 64]))
            gets.extend(None if v is None else v.hex() for v in values)
        it = await self.db.scan(EVERYTHING)
        rows = []
        while True:
            batch = await it.next_batch(1000)
            rows.extend([kv.key.hex(), kv.value.hex()] for kv in batch)
            if len(batch) < 1000:
                break
        return {"get": gets, "scan": rows}

    def _admin(self):
        return AdminBuilder(self.path, self.store).build()

    async def checkpoint(self, cmd):
        result = await self._admin().create_detached_checkpoint(
            CheckpointOptions(lifetime_ms=None, source=None, name=cmd.get("name")))
        return {"id": result.id, "manifest_id": result.manifest_id}

    async def manifest(self, cmd=None):
        m = await self._admin().read_manifest(None)
        if m is None:
            raise CommandError("Data", "no manifest")

        def sst(view):
            return {"id": view.sst.id.value, "view": view.id,
                    "codec": CODEC_NAMES.get(view.sst.info.compression_codec, "?")}

        return {"manifest": {
            "id": m.id, "writer_epoch": m.writer_epoch,
            "l0": [sst(v) for v in m.l0],
            "sorted_runs": [{"id": sr.id, "ssts": [sst(v) for v in sr.sst_views]}
                            for sr in m.compacted],
            "checkpoints": [{"id": c.id, "name": c.name, "manifest_id": c.manifest_id}
                            for c in m.checkpoints],
        }}

    async def wait_sorted_runs(self, cmd):
        deadline = time.monotonic() + float(cmd.get("timeout_s", 30))
        while True:
            summary = await self.manifest()
            if summary["manifest"]["sorted_runs"]:
                return summary
            if time.monotonic() > deadline:
                raise CommandError("Timeout", f"no sorted run appeared: {summary['manifest']}")
            await asyncio.sleep(0.1)

    async def compact_all(self, cmd):
        """Submits one compaction of every L0 SST and sorted run into the lowest sorted run
        (0 when there is none) and waits until it completes.

        It first waits until the in-process compactor is idle. Submitting while it schedules
        its own compactions races with it: the request is refused as invalid (its sources
        changed or are in use), or the submit fails with InvalidClockTick (the admin's
        compaction id is older than one the compactor added meanwhile). Either way it reads
        the tree again and resubmits, a few times."""
        admin = self._admin()
        deadline = time.monotonic() + float(cmd.get("timeout_s", 30))
        attempts = []
        while True:
            m = await self._wait_idle(admin, deadline)
            sources = ([SourceId.SST_VIEW(v.id) for v in m.l0] +
                       [SourceId.SORTED_RUN(sr.id) for sr in m.compacted])
            if not sources:
                raise CommandError("Invalid", "nothing to compact")
            destination = min((sr.id for sr in m.compacted), default=0)
            tree = f"l0 {[v.id for v in m.l0]} runs {[sr.id for sr in m.compacted]}"
            try:
                compaction = await admin.submit_compaction(
                    CompactionSpec.TIERED(segment=b"", sources=sources, destination=destination))
            except Error.Invalid as e:
                if "invalid clock tick" not in e.message:
                    raise
                attempts.append(f"{tree} -> submit refused ({e.message})")
                state = None
            else:
                state = await self._wait_compaction(admin, compaction.id, deadline)
                attempts.append(f"{tree} -> {state.status.name if state else None}")
            if state is not None and state.status == CompactionStatus.COMPLETED:
                break
            if len(attempts) >= 5 or time.monotonic() > deadline:
                raise CommandError("Internal", "full compaction did not complete: "
                                   + "; ".join(attempts))
            await asyncio.sleep(0.3)
        summary = await self.manifest()
        summary["compacted_sources"] = {"l0": [v.id for v in m.l0],
                                        "sorted_runs": [sr.id for sr in m.compacted]}
        summary["attempts"] = attempts
        return summary

    async def _wait_idle(self, admin, deadline):
        """The latest manifest once no compaction is active and the tree stayed the same
        over two looks 200 ms apart (or at the deadline)."""
        previous = None
        while True:
            m = await admin.read_manifest(None)
            state = await admin.read_compactions(None)
            busy = state is not None and any(c.active for c in state.recent_compactions)
            shape = ([v.id for v in m.l0], [(sr.id, [v.id for v in sr.sst_views])
                                            for sr in m.compacted])
            if (not busy and shape == previous) or time.monotonic() > deadline:
                return m
            previous = None if busy else shape
            await asyncio.sleep(0.2)

    async def _wait_compaction(self, admin, compaction_id, deadline):
        while True:
            state = await admin.read_compaction(compaction_id, None)
            if state is not None and state.status in (CompactionStatus.COMPLETED,
                                                      CompactionStatus.FAILED):
                return state
            if time.monotonic() > deadline:
                return state
            await asyncio.sleep(0.1)

    async def gc(self, cmd):
        now = GarbageCollectorDirectoryOptions(min_age_ms=0, dry_run=False)
        await self._admin().run_gc_once(GarbageCollectorOptions(
            manifest_options=now, wal_options=now, compacted_options=now,
            compactions_options=now))

    async def wal(self, cmd):
        store, path = store_and_path(cmd["store"], cmd["path"])
        return {"files": await read_wal_files(SlateDbWalReader(path, store))}

    async def clone(self, cmd):
        import slatedb.uniffi
        await make_clone(slatedb.uniffi, cmd["store"], cmd["path"], cmd["sources"],
                         cmd.get("into"))

    async def read_once(self, cmd):
        import slatedb.uniffi
        return await read_once(slatedb.uniffi, cmd["store"], cmd["path"], cmd["keys"])

    async def close(self, cmd):
        if self.db is not None:
            db, self.db = self.db, None
            await db.shutdown()

    # --- dispatch ----------------------------------------------------------------------
    def handle(self, cmd):
        name = cmd["cmd"]
        method = getattr(self, name, None)
        if method is None or name.startswith("_") or name == "handle":
            raise CommandError("Invalid", f"unknown command {name!r}")
        try:
            return self.loop.run_until_complete(method(cmd))
        except Error as e:
            traceback.print_exc(file=sys.stderr)  # which call failed, for the driver's report
            raise classify(e) from None


if __name__ == "__main__":
    # Upstream's warnings and errors go to stderr, which the driver shows when a command fails.
    # SLATEDB_INTEROP_LOG=INFO (or DEBUG, ...) shows more when investigating by hand.
    init_logging(getattr(LogLevel, os.environ.get("SLATEDB_INTEROP_LOG", "WARN")), None)
    serve(Agent().handle)
