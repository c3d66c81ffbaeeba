# SPDX-License-Identifier: Apache-2.0
"""What the two agents share (imported by upstream_agent.py and ours_agent.py, each running in
its own venv; plain Python, no dependencies).

An agent is a process that holds one database handle (a writer or a reader) and obeys JSON
commands, one per line on stdin, answering one JSON line each on stdout:

    {"cmd": "open_writer", "store": STORE, "path": "db", "settings": {...}}
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
    {"cmd": "close"}

STORE is {"kind": "local", "root": "/abs/dir"} (the database is <root>/<path>) or
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
