# SPDX-License-Identifier: Apache-2.0
"""One step of the segments interop test (test_segments.py), run by either implementation's
Python: both expose the same `slatedb.uniffi` API, so the same code drives upstream's wheel and
our package.

    python segments_agent.py write ROOT PATH JSON   JSON: {"rounds": [[[K, V|null], ...], ...],
                                                          "wal_only_last": bool}
        opens the writer with the 3-byte segment extractor, writes each round (null deletes)
        and flushes it to L0 (the last round only to the WAL when wal_only_last), closes
        -> {"segments": [HEX, ...]} (status().segments before closing)
    python segments_agent.py read ROOT PATH JSON    JSON: {"keys": [K, ...]}
        a reader with the extractor, then the writer (which replays the WAL): gets of the
        keys and a full scan from each -> {"reader": VIEW, "writer": VIEW} where VIEW is
        {"get": [HEX|null, ...], "scan": [[K, V], ...], "segments": [HEX, ...]}
    python segments_agent.py refused ROOT PATH      -> {"none": MSG, "other": MSG, "reader": MSG}
        the error texts of opening without an extractor and with one of another name
    python segments_agent.py manifest ROOT PATH     (upstream only: its Admin decodes it)
        -> {"root_l0": N, "root_runs": N, "extractor": NAME,
            "segments": [[HEX, L0 count, [run id, ...]], ...]}

Keys and values are hex. The database is ROOT/PATH on the local file system.
"""
from __future__ import annotations

import asyncio
import json
import os
import sys

from slatedb.uniffi import (AdminBuilder, CloseOptions, DbBuilder, DbReaderBuilder, Error,
                            FlushOptions, FlushType, ObjectStore, Settings)

from uniffi_common import EVERYTHING, ThreeBytes


def settings() -> Settings:
    s = Settings.default()
    # Small L0 triggers and prompt compactor polls, so segments get sorted runs quickly.
    s.set("l0_max_ssts", "8")
    s.set("compactor_options.scheduler_options",
          json.dumps({"min_compaction_sources": "2", "max_compaction_sources": "8",
                      "include_size_threshold": "4.0"}))
    for key in ("compactor_options.poll_interval",
                "compactor_options.worker.compactions_poll_interval",
                "compactor_options.commit_compacted_interval"):
        s.set(key, '"100ms"')
    return s


def hx(b: bytes) -> str:
    return b.hex()


async def open_writer(path, extractor=None):
    builder = DbBuilder(path, ObjectStore.resolve("file:///"))
    builder.with_settings(settings())
    if extractor is not None:
        builder.with_segment_extractor(extractor)
    return await builder.build()


async def open_reader(path, extractor=None):
    builder = DbReaderBuilder(path, ObjectStore.resolve("file:///"))
    if extractor is not None:
        builder.with_segment_extractor(extractor)
    return await builder.build()


async def view(handle, keys):
    gets = []
    for k in keys:
        v = await handle.get(bytes.fromhex(k))
        gets.append(None if v is None else hx(v))
    it = await handle.scan(EVERYTHING)
    rows = []
    while (row := await it.next()) is not None:
        rows.append([hx(row.key), hx(row.value)])
    return {"get": gets, "scan": rows,
            "segments": [hx(s.prefix) for s in handle.status().segments]}


async def write(path, args):
    db = await open_writer(path, ThreeBytes("three-bytes"))
    rounds = args["rounds"]
    for i, ops in enumerate(rounds):
        for k, v in ops:
            if v is None:
                await db.delete(bytes.fromhex(k))
            else:
                await db.put(bytes.fromhex(k), bytes.fromhex(v))
        last = i == len(rounds) - 1
        kind = FlushType.WAL if last and args.get("wal_only_last") else FlushType.MEM_TABLE
        await db.flush_with_options(FlushOptions(flush_type=kind))
    segments = [hx(s.prefix) for s in db.status().segments]
    if args.get("wal_only_last"):
        await db.shutdown_with_options(CloseOptions(flush_type=FlushType.WAL))
    else:
        await db.shutdown()
    return {"segments": segments}


async def read(path, args):
    reader = await open_reader(path, ThreeBytes("three-bytes"))
    out = {"reader": await view(reader, args["keys"])}
    await reader.shutdown()
    db = await open_writer(path, ThreeBytes("three-bytes"))
    out["writer"] = await view(db, args["keys"])
    await db.shutdown()
    return out


async def refused(path, _args):
    out = {}
    for name, attempt in (("none", lambda: open_writer(path)),
                          ("other", lambda: open_writer(path, ThreeBytes("other"))),
                          ("reader", lambda: open_reader(path, ThreeBytes("other")))):
        try:
            handle = await attempt()
        except Error.Invalid as e:
            out[name] = e.message
            continue
        await handle.shutdown()
        out[name] = None
    return out


async def manifest(path, _args):
    admin = AdminBuilder(path, ObjectStore.resolve("file:///")).build()
    m = await admin.read_manifest(None)
    return {"root_l0": len(m.l0), "root_runs": len(m.compacted),
            "segments": [[hx(s.prefix), len(s.l0), [sr.id for sr in s.compacted]]
                         for s in m.segments]}


def main():
    action, root, path = sys.argv[1:4]
    args = json.loads(sys.argv[4]) if len(sys.argv) > 4 else {}
    fn = {"write": write, "read": read, "refused": refused, "manifest": manifest}[action]
    print(json.dumps(asyncio.run(fn(os.path.join(root, path), args))))


if __name__ == "__main__":
    main()
