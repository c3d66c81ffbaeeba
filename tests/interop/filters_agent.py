# SPDX-License-Identifier: Apache-2.0
"""One step of the filter-policy interop test (test_prefix_filters.py), run by either
implementation's Python: both expose the same `slatedb.uniffi` API.

    python filters_agent.py write ROOT PATH JSON   JSON: {"policies": NAME, "groups": [HEX, ...],
                                                          "per_group": N}
        opens the writer with the named filter policies (min_filter_keys 10, no compactor),
        and writes one L0 SST per group: keys <group><i:04d> -> "v<g>-<i>", plus the edge
        keys aaa<g> and zzz<g> so every SST spans the whole key range -> {}
    python filters_agent.py read ROOT PATH JSON    JSON: {"policies": NAME, "keys": [HEX, ...],
                                                          "prefixes": [HEX, ...]}
        a reader, then a writer, both with the named policies: gets of the keys and a
        scan_prefix of each prefix -> {"reader": VIEW, "writer": VIEW}, VIEW being
        {"get": [HEX|null, ...], "scan_prefix": [[[K, V], ...], ...]}

Policy lists by NAME: "two" = [prefix-only bloom over 3-byte prefixes (10 bits), whole-key
bloom (7 bits)], "prefix" = [whole-key and prefix bloom (10 bits)], "other" = [prefix-only
bloom under another extractor name], "none" = []. The database is ROOT/PATH on the local
file system.
"""
from __future__ import annotations

import asyncio
import json
import os
import sys

from slatedb.uniffi import (BloomFilterOptions, DbBuilder, DbReaderBuilder, FilterPolicy,
                            FlushOptions, FlushType, ObjectStore, Settings)

from uniffi_common import EVERYTHING, ThreeBytes


def policies(name: str) -> list:
    prefix_only = BloomFilterOptions(bits_per_key=10, whole_key_filtering=False)
    return {
        "two": lambda: [FilterPolicy.bloom_with_options(prefix_only, ThreeBytes("pe3")),
                        FilterPolicy.bloom(7)],
        "prefix": lambda: [FilterPolicy.bloom_with_options(BloomFilterOptions(bits_per_key=10),
                                                           ThreeBytes("pe3"))],
        "other": lambda: [FilterPolicy.bloom_with_options(prefix_only, ThreeBytes("other"))],
        "none": lambda: [],
    }[name]()


def settings() -> Settings:
    s = Settings.default()
    s.set("min_filter_keys", "10")
    s.set("l0_max_ssts", "64")
    s.set("compactor_options", "null")
    return s


async def open_writer(path, name):
    builder = DbBuilder(path, ObjectStore.resolve("file:///"))
    builder.with_settings(settings())
    builder.with_filter_policies(policies(name))
    return await builder.build()


async def write(path, args):
    db = await open_writer(path, args["policies"])
    for g, group in enumerate(bytes.fromhex(h) for h in args["groups"]):
        await db.put(b"aaa%d" % g, b"edge")
        for i in range(args["per_group"]):
            await db.put(group + b"%04d" % i, b"v%d-%d" % (g, i))
        await db.put(b"zzz%d" % g, b"edge")
        await db.flush_with_options(FlushOptions(flush_type=FlushType.MEM_TABLE))
    await db.shutdown()
    return {}


async def view(handle, args):
    out = {"get": [], "scan_prefix": []}
    for k in args["keys"]:
        v = await handle.get(bytes.fromhex(k))
        out["get"].append(v.hex() if v is not None else None)
    for p in args["prefixes"]:
        it = await handle.scan_prefix(bytes.fromhex(p), EVERYTHING)
        rows = []
        while (row := await it.next()) is not None:
            rows.append([row.key.hex(), row.value.hex()])
        out["scan_prefix"].append(rows)
    return out


async def read(path, args):
    builder = DbReaderBuilder(path, ObjectStore.resolve("file:///"))
    builder.with_filter_policies(policies(args["policies"]))
    reader = await builder.build()
    got_reader = await view(reader, args)
    await reader.shutdown()
    db = await open_writer(path, args["policies"])
    got_writer = await view(db, args)
    await db.shutdown()
    return {"reader": got_reader, "writer": got_writer}


def main() -> None:
    action, root, path = sys.argv[1], sys.argv[2], sys.argv[3]
    args = json.loads(sys.argv[4]) if len(sys.argv) > 4 else {}
    fn = {"write": write, "read": read}[action]
    result = asyncio.run(fn(os.path.join(root, path), args))
    print(json.dumps(result))


if __name__ == "__main__":
    main()
