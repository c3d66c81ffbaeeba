# SPDX-License-Identifier: Apache-2.0
"""What the two agents share (imported by upstream_agent.py and ours_agent.py, each running in
its own venv; plain Python, no dependencies).

An agent is a process that holds one database handle (a writer or a reader) and obeys JSON
commands, one per line on stdin, answering one JSON line each on stdout:

    {"cmd": "open_writer", "store": STORE, "path": "db", "settings": {...}}
        settings: codec, l0_sst_size_bytes, l0_max_ssts, flush_interval_ms, ...;
        "compactor": false opens the writer without its own compactor
    {"cmd": "open_reader", "store": STORE, "path": "db", "checkpoint": ID|null, "poll_ms": 100}
    {"cmd": "attach", "store": STORE, "path": "db"}     (for the admin commands only)
    {"cmd": "write", "ops": [OP, ...], "durable": true}
    {"cmd": "flush", "kind": "wal"|"memtable"}
    {"cmd": "read", "keys": [HEX, ...]}       -> {"get": [HEX|null, ...], "scan": [[HEX, HEX], ...]}
    {"cmd": "checkpoint", "name": "cp"}       -> {"id": UUID}
    {"cmd": "manifest"}                       -> {"manifest": SUMMARY}
    {"cmd": "wait_sorted_runs", "timeout_s": 30}   -> {"manifest": SUMMARY}
    {"cmd": "compact_all", "timeout_s": 30}   -> {"manifest": SUMMARY}  (upstream only)
    {"cmd": "gc"}                             (every directory, minimum age 0)
    {"cmd": "wal", "store": STORE, "path": "db"}   -> {"files": [[ID, [ROW, ...]], ...]}
        every WAL file from id 1 to the newest, through slatedb.uniffi's SlateDbWalReader;
        ROW is [KIND ("VALUE"|"TOMBSTONE"|"MERGE"), HEX key, HEX value|null, seq,
        has create_ts, has expire_ts]
    {"cmd": "clone", "store": STORE, "path": "c", "sources": [SOURCE, ...]}
        creates database "c" as a clone of the sources through slatedb.uniffi's CloneBuilder
        (create_clone_builder_from_source + with_source); SOURCE is {"path": P} or
        {"path": P, "start": HEX, "end": HEX} (projection_range [start, end)); with
        "into": STORE the Admin is on "store" and CloneBuilder.with_object_store(into) makes
        the clone in "into", where its sources are (upstream's meaning of that call)
    {"cmd": "read_once", "store": STORE, "path": "c", "keys": [HEX, ...]}  -> as "read"
        through a slatedb.uniffi DbReader opened for this read and shut down after
    {"cmd": "close"}

STORE is {"kind": "local", "root": "/abs/dir"} (the database is <root>/<path>; with
"rooted": true the slatedb.uniffi store is rooted at the directory (ObjectStore.from_env with
LOCAL_PATH) and paths are relative to it, as a clone records its sources' paths) or
{"kind": "s3", "bucket": "b", "prefix": "p"} (the database is s3://b/p/<path>; the endpoint
and credentials come from the AWS_* variables). Keys and values travel as hex.

OP is ["put", K, V], ["put", K, V, TTL_MS], ["delete", K], ["merge", K, V] or
["batch", [OP, ...]] (applied atomically). Every op is written without waiting for
durability except the last, which waits when "durable" is true; WAL order makes everything
before it durable too.

Every answer has "ok". A failure is {"ok": false, "kind": K, "message": M, "at": I}: K is one
of Transaction, Closed, Unavailable, Invalid, Data, Internal (the error kinds both APIs
share) or Python for an exception outside them; for Closed, "reason" is "fenced", "clean",
... when the API tells; "at" is the index of the op that failed in a write.

SUMMARY describes the latest manifest: {"id", "writer_epoch", "l0": [SST], "sorted_runs":
[{"id", "ssts": [SST]}], "checkpoints": [{"id", "name", "manifest_id"}]} where SST is
{"id": ULID, "codec": "none"|"snappy"|"zlib"|"lz4"|"zstd"|null}; null means the manifest
does not say.
"""
from __future__ import annotations

import json
import os
import sys
import traceback


def unhex(s: str) -> bytes:
    return bytes.fromhex(s)


def concat_merge(existing: bytes | None, operand: bytes) -> bytes:
    """The merge operator every side of the interop tests installs: concatenation."""
    return (existing or b"") + operand


class CommandError(Exception):
    """A failure to report as {"ok": false, ...}."""

    def __init__(self, kind: str, message: str, reason: str | None = None):
        super().__init__(message)
        self.kind = kind
        self.message = message
        self.reason = reason
        self.at: int | None = None


async def read_wal_files(reader) -> list:
    """Every WAL file a slatedb.uniffi SlateDbWalReader (either implementation's) has, from
    id 1 to the newest, as the "wal" command answers them."""
    tail = await reader.last_wal_file_id(0)
    iterator = await reader.iterator(1)
    files, cursor = [], 0
    while cursor < tail:
        batch = await iterator.next()
        cursor = batch.last_consumed_wal_file_id
        files.append([cursor, [[r.kind.name, r.key.hex(), None if r.value is None else r.value.hex(),
                                r.seq, r.create_ts is not None, r.expire_ts is not None]
                               for r in batch.rows]])
    return files


def uniffi_location(uniffi, store: dict, path: str):
    """(slatedb.uniffi ObjectStore, database path inside it) for a STORE of the protocol."""
    if store["kind"] == "local" and store.get("rooted"):
        os.environ.update(CLOUD_PROVIDER="local", LOCAL_PATH=store["root"])
        return uniffi.ObjectStore.from_env(None), path
    if store["kind"] == "local":
        return uniffi.ObjectStore.resolve("file:///"), os.path.join(store["root"], path)
    if store["kind"] == "s3":
        prefix = store.get("prefix", "").strip("/")
        return (uniffi.ObjectStore.resolve(f"s3://{store['bucket']}"),
                f"{prefix}/{path}" if prefix else path)
    raise CommandError("Invalid", f"unknown store kind {store['kind']!r}")


async def make_clone(uniffi, store: dict, path: str, sources: list, into: dict | None = None
                     ) -> None:
    """The "clone" command, with either implementation's slatedb.uniffi module."""
    objects, clone_path = uniffi_location(uniffi, store, path)
    target = None
    if into is not None:
        target, _ = uniffi_location(uniffi, into, path)
    specs = []
    for source in sources:
        projection = None
        if "start" in source:
            projection = uniffi.KeyRange(start=unhex(source["start"]), start_inclusive=True,
                                         end=unhex(source["end"]), end_inclusive=False)
        located = uniffi_location(uniffi, into or store, source["path"])[1]
        specs.append(uniffi.CloneSourceSpec(path=located,
                                            checkpoint=None, projection_range=projection))
    admin = uniffi.AdminBuilder(clone_path, objects).build()
    builder = admin.create_clone_builder_from_source(specs[0])
    for spec in specs[1:]:
        builder.with_source(spec)
    if target is not None:
        builder.with_object_store(target)
    await builder.build()


async def read_once(uniffi, store: dict, path: str, keys: list) -> dict:
    """The "read_once" command, with either implementation's slatedb.uniffi module."""
    objects, db_path = uniffi_location(uniffi, store, path)
    reader = await uniffi.DbReaderBuilder(db_path, objects).build()
    try:
        gets = []
        for k in keys:
            v = await reader.get(unhex(k))
            gets.append(None if v is None else v.hex())
        iterator = await reader.scan(uniffi.KeyRange(start=None, start_inclusive=False, end=None,
                                                     end_inclusive=False))
        rows = []
        while (row := await iterator.next()) is not None:
            rows.append([row.key.hex(), row.value.hex()])
        return {"get": gets, "scan": rows}
    finally:
        await reader.shutdown()


def serve(handle) -> None:
    """Reads commands from stdin until EOF or "close"; `handle(cmd) -> dict` runs one.

    `handle` raises CommandError for failures it classifies; anything else is reported
    with kind "Python" and its traceback on stderr.
    """
    for line in sys.stdin:
        line = line.strip()
        if not line:
            continue
        cmd = json.loads(line)
        try:
            answer = {"ok": True, **(handle(cmd) or {})}
        except CommandError as e:
            answer = {"ok": False, "kind": e.kind, "message": e.message}
            if e.reason is not None:
                answer["reason"] = e.reason
            if e.at is not None:
                answer["at"] = e.at
        except Exception as e:  # noqa: BLE001 - reported to the driver, which fails the test
            traceback.print_exc(file=sys.stderr)
            answer = {"ok": False, "kind": "Python", "message": f"{type(e).__name__}: {e}"}
        sys.stdout.write(json.dumps(answer) + "\n")
        sys.stdout.flush()
        if cmd.get("cmd") == "close":
            break
