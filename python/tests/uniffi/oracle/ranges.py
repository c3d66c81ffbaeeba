# SPDX-License-Identifier: Apache-2.0
"""Every KeyRange over a few keys, for scan and scan_prefix."""

import asyncio
import itertools

from slatedb.uniffi import DbBuilder, Error, KeyRange, ObjectStore

KEYS = [b"a", b"b", b"c", b"p", b"p\x00", b"pa", b"pb", b"p\xff", b"q"]


async def keys(iterator):
    out = []
    while (row := await iterator.next()) is not None:
        out.append(row.key)
    return out


async def main():
    db = await DbBuilder("ranges", ObjectStore.resolve("memory:///")).build()
    for key in KEYS:
        await db.put(key, b"1")
    values = [None, b"", b"b", b"c", b"p", b"pa"]
    for prefix in (None, b"", b"p", b"z", b"\xff"):
        for s, si, e, ei in itertools.product(values, [True, False], values, [True, False]):
            if prefix and s is None and e == b"" and not ei:
                continue  # upstream panics ([prefix, prefix)); see test_uniffi_iterator.py
            r = KeyRange(start=s, start_inclusive=si, end=e, end_inclusive=ei)
            try:
                it = await (db.scan(r) if prefix is None else db.scan_prefix(prefix, r))
                out = await keys(it)
            except Error as ex:
                out = f"{type(ex).__name__}: {ex.message}"
            print(prefix, s, si, e, ei, out)
    await db.shutdown()


asyncio.run(main())
