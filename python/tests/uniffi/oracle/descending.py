# SPDX-License-Identifier: Apache-2.0
"""Descending scans: every KeyRange over keys spread over an L0 SST and the memtable (with
overwrites, deletes and merges), scan_prefix, snapshots and transactions in both orders, the
rows' metadata (sequence numbers relative to the first write, timestamps compared with the
write handles), and seek on a descending iterator."""

import asyncio
import itertools

from _transcript import ashow

from slatedb.uniffi import (DbBuilder, DurabilityLevel, Error, FlushOptions, FlushType,
                            IsolationLevel, IterationOrder, KeyRange, MergeOperator, ObjectStore,
                            PutOptions, ScanOptions, Ttl, WriteOptions)

KEYS = [b"a", b"b", b"c", b"p", b"p\x00", b"pa", b"pb", b"p\xff", b"q"]


def order(o):
    return ScanOptions(durability_filter=DurabilityLevel.MEMORY, dirty=False,
                       read_ahead_bytes=1, cache_blocks=True, max_fetch_tasks=1, order=o)


DOWN = order(IterationOrder.DESCENDING)
UP = order(IterationOrder.ASCENDING)


class Concat(MergeOperator):
    def merge(self, key, existing_value, operand):
        return (existing_value or b"") + operand


def stamp(row, handles):
    """How the row's create_ts relates to the writes: 0, that of the write with the row's seq
    ("own"), that of the key's latest write ("latest"), or something else."""
    if row.create_ts == 0:
        return "ts=0"
    own = [h for h in handles.values() if h.seqnum() == row.seq]
    if own and own[0].create_ts() == row.create_ts:
        return "ts=own"
    latest = handles.get(row.key)
    if latest is not None and latest.create_ts() == row.create_ts:
        return "ts=latest"
    return "ts=other"


def expiry(row, handles):
    if row.expire_ts is None:
        return None
    latest = handles.get(row.key)
    return "expires" if latest is None else f"expires +{row.expire_ts - latest.create_ts()}"


async def rows(iterator, first_seq, handles):
    out = []
    while (row := await iterator.next()) is not None:
        out.append((row.key, row.value, row.seq - first_seq if row.seq < 2 ** 63 else "max",
                    stamp(row, handles), expiry(row, handles)))
    return out


async def keys(iterator):
    out = []
    while (row := await iterator.next()) is not None:
        out.append(row.key)
    return out


async def main():
    builder = DbBuilder("descending", ObjectStore.resolve("memory:///"))
    builder.with_merge_operator(Concat())
    db = await builder.build()
    handles = {}  # key -> the handle of its latest write
    for key in KEYS:
        handles[key] = await db.put(key, b"1")
    first = handles[b"a"].seqnum()
    await db.flush_with_options(FlushOptions(flush_type=FlushType.MEM_TABLE))
    handles[b"b"] = await db.put(b"b", b"2")
    handles[b"c"] = await db.delete(b"c")
    handles[b"pa"] = await db.merge(b"pa", b"+m")
    handles[b"q"] = await db.put_with_options(
        b"q", b"ttl", PutOptions(ttl=Ttl.EXPIRE_AFTER_MILLIS(3_600_000)), WriteOptions())
    everything = KeyRange(start=None, start_inclusive=False, end=None, end_inclusive=False)
    await ashow("down rows", lambda: _rows(db.scan_with_options(everything, DOWN), first, handles))
    await ashow("up rows", lambda: _rows(db.scan_with_options(everything, UP), first, handles))
    values = [None, b"", b"b", b"c", b"p", b"pa"]
    for prefix in (None, b"p", b"z"):
        for s, si, e, ei in itertools.product(values, [True, False], values, [True, False]):
            if prefix and s is None and e == b"" and not ei:
                continue  # upstream panics ([prefix, prefix))
            r = KeyRange(start=s, start_inclusive=si, end=e, end_inclusive=ei)
            try:
                it = await (db.scan_with_options(r, DOWN) if prefix is None
                            else db.scan_prefix_with_options(prefix, r, DOWN))
                out = await keys(it)
            except Error as ex:
                out = f"{type(ex).__name__}: {ex.message}"
            print("down", prefix, s, si, e, ei, out)

    it = await db.scan_with_options(everything, DOWN)
    await ashow("seek before next", lambda: it.seek(b"p"))
    await ashow("next after refused seek", lambda: _key(it.next()))
    await ashow("seek after next", lambda: it.seek(b"a"))
    await ashow("seek outside", lambda: it.seek(b"zz"))
    await ashow("next again", lambda: _key(it.next()))

    snapshot = await db.snapshot()
    handles[b"a"] = await db.put(b"a", b"after snapshot")
    await ashow("snapshot down", lambda: _keys(snapshot.scan_with_options(everything, DOWN)))
    txn = await db.begin(IsolationLevel.SNAPSHOT)
    await txn.put(b"b", b"txn")
    await txn.delete(b"pb")
    await txn.merge(b"pa", b"+t")
    await txn.put(b"r", b"new")
    await txn.merge(b"q", b"+t")
    await ashow("txn get_key_value merged", lambda: _row(txn.get_key_value(b"pa"), first, handles))
    await ashow("txn get_key_value put", lambda: _row(txn.get_key_value(b"b"), first, handles))
    await ashow("txn get_key_value ttl", lambda: _row(txn.get_key_value(b"q"), first, handles))
    await ashow("txn down", lambda: _rows(txn.scan_with_options(everything, DOWN), first, handles))
    await ashow("txn up", lambda: _rows(txn.scan_with_options(everything, UP), first, handles))
    await txn.rollback()
    await db.shutdown()


async def _rows(scan, first, handles):
    return await rows(await scan, first, handles)


async def _row(call, first, handles):
    row = await call
    return (row.key, row.value, row.seq - first if row.seq < 2 ** 63 else "max",
            stamp(row, handles), expiry(row, handles))


async def _keys(scan):
    return await keys(await scan)


async def _key(next_row):
    row = await next_row
    return None if row is None else row.key


asyncio.run(main())
