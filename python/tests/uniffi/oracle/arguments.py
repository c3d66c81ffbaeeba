# SPDX-License-Identifier: Apache-2.0
"""Argument checks of the async and sync methods (types, ranges, enums, records)."""

import asyncio

from _transcript import ashow

from slatedb.uniffi import (DbBuilder, DbCache, DbReaderBuilder, DurabilityLevel, FlushOptions,
                            IsolationLevel, KeyRange, MokaCacheOptions, ObjectStore, PutOptions,
                            ReadOptions, ReaderMode, ScanOptions, Ttl, WriteBatch, WriteOptions,
                            init_logging, MergeOperator)

EVERYTHING = KeyRange(start=None, start_inclusive=True, end=None, end_inclusive=False)
PUT = PutOptions(ttl=Ttl.DEFAULT())


def scan_options(**kw):
    values = dict(durability_filter=DurabilityLevel.MEMORY, dirty=False, read_ahead_bytes=1,
                  cache_blocks=True, max_fetch_tasks=1)
    values.update(kw)
    return ScanOptions(**values)


def read_options(**kw):
    values = dict(durability_filter=DurabilityLevel.MEMORY, dirty=False, cache_blocks=True)
    values.update(kw)
    return ReadOptions(**values)


async def main():
    store = ObjectStore.resolve("memory:///")
    db = await DbBuilder("p", store).build()
    c = db.put("k", b"v")
    print("put returns", type(c).__name__)
    c.close()
    await ashow("put str key", lambda: db.put("k", b"v"))
    await ashow("put None key", lambda: db.put(None, b"v"))
    await ashow("put int key", lambda: db.put(5, b"v"))
    await ashow("put list key", lambda: db.put([1, 2], b"v"))
    await ashow("put bytearray", lambda: db.put(bytearray(b"k"), memoryview(b"v")))
    await ashow("get memoryview", lambda: db.get(memoryview(b"k")))
    await ashow("put empty", lambda: db.put(b"", b"v"))
    await ashow("get str", lambda: db.get("k"))
    await ashow("get empty", lambda: db.get(b""))
    await ashow("put bad value", lambda: db.put(b"k", "v"))
    for label, value in (("-1", -1), ("2**64", 2 ** 64), ("float", 1.5), ("str", "1"),
                         ("None", None)):
        await ashow(f"seqnum {label}", lambda: db.put_with_options(
            b"k", b"v", PUT, WriteOptions(seqnum=value)))
    await ashow("wo wrong", lambda: db.put_with_options(b"k", b"v", PUT, None))
    await ashow("po wrong", lambda: db.put_with_options(b"k", b"v", WriteOptions(), WriteOptions()))
    await ashow("ttl wrong", lambda: db.put_with_options(b"k", b"v", PutOptions(ttl=5), WriteOptions()))
    await ashow("ttl neg", lambda: db.put_with_options(
        b"k", b"v", PutOptions(ttl=Ttl.EXPIRE_AFTER_MILLIS(-1)), WriteOptions()))
    await ashow("ttl str", lambda: db.put_with_options(
        b"k", b"v", PutOptions(ttl=Ttl.EXPIRE_AFTER_MILLIS("x")), WriteOptions()))
    await ashow("ro wrong enum", lambda: db.get_with_options(b"k", read_options(durability_filter=1)))
    await ashow("ro wrong enum2", lambda: db.get_with_options(
        b"k", read_options(durability_filter=IsolationLevel.SNAPSHOT)))
    await ashow("ro dirty int", lambda: db.get_with_options(b"k", read_options(dirty=1)))
    await ashow("ro dirty None", lambda: db.get_with_options(b"k", read_options(dirty=None)))
    await ashow("ro fc wrong", lambda: db.get_with_options(b"k", read_options(filter_context=b"x")))
    await ashow("scan None", lambda: db.scan(None))
    await ashow("scan start str", lambda: db.scan(KeyRange(start="a", start_inclusive=True, end=None, end_inclusive=False)))
    await ashow("scan incl None", lambda: db.scan(KeyRange(start=b"a", start_inclusive=None, end=None, end_inclusive=False)))
    await ashow("so read_ahead neg", lambda: db.scan_with_options(EVERYTHING, scan_options(read_ahead_bytes=-1)))
    await ashow("so fetch neg", lambda: db.scan_with_options(EVERYTHING, scan_options(max_fetch_tasks=-1)))
    await ashow("so order wrong", lambda: db.scan_with_options(EVERYTHING, scan_options(order=1)))
    await ashow("begin int", lambda: db.begin(0))
    await ashow("begin str", lambda: db.begin("si"))
    await ashow("flush wrong", lambda: db.flush_with_options(FlushOptions(flush_type="wal")))
    await ashow("write None", lambda: db.write(None))
    await ashow("write empty", lambda: db.write(WriteBatch()))
    batch = WriteBatch()
    await ashow("wb put str", lambda: batch.put("k", b"v"))
    await ashow("wb put empty", lambda: batch.put(b"", b"v"))
    await ashow("wb pwo None", lambda: batch.put_with_options(b"k", b"v", None))
    await ashow("merge without operator", lambda: db.merge(b"m", b"x"))
    it = await db.scan(EVERYTHING)
    await ashow("next_batch -1", lambda: it.next_batch(-1))
    await ashow("next_batch 2**32", lambda: it.next_batch(2 ** 32))
    await ashow("next_batch str", lambda: it.next_batch("1"))
    await ashow("seek str", lambda: it.seek("a"))
    await ashow("seek empty", lambda: it.seek(b""))
    await ashow("builder store str", lambda: DbBuilder("p", "store"))
    await ashow("builder path int", lambda: DbBuilder(5, store))
    await ashow("builder path None", lambda: DbBuilder(None, store))
    builder = DbBuilder("q", store)
    await ashow("with_seed -1", lambda: builder.with_seed(-1))
    await ashow("with_merge_operator lambda", lambda: builder.with_merge_operator(lambda a, b, c: b))

    class Plain:
        def merge(self, key, existing, operand):
            return operand

    await ashow("with_merge_operator duck", lambda: builder.with_merge_operator(Plain()))
    await ashow("with_filter_policies None", lambda: builder.with_filter_policies(None))
    await ashow("with_filter_policies [1]", lambda: builder.with_filter_policies([1]))
    cache = DbCache.new_moka_cache(MokaCacheOptions(max_capacity=1, time_to_live=None, time_to_idle=None))
    await ashow("with_db_cache -1", lambda: builder.with_db_cache(cache, -1))
    await ashow("with_sst_block_size 1", lambda: builder.with_sst_block_size(1))
    await ashow("init_logging 3", lambda: init_logging(3, None))
    await ashow("checkpoint mode int", lambda: DbReaderBuilder("p", store).with_reader_mode(ReaderMode.CHECKPOINT(5)))
    txn = await db.begin(IsolationLevel.SNAPSHOT)
    await ashow("tx mark_read mixed", lambda: txn.mark_read([b"a", "b"]))
    await ashow("tx mark_read bytes", lambda: txn.mark_read(b"a"))
    await ashow("tx mark_read tuple", lambda: txn.mark_read((b"a",)))
    await ashow("tx mark_read empty", lambda: txn.mark_read([b""]))
    await ashow("tx unmark_write empty", lambda: txn.unmark_write([b""]))
    await ashow("tx put empty", lambda: txn.put(b"", b"v"))
    await db.shutdown()


asyncio.run(main())
