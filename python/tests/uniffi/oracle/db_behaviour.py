# SPDX-License-Identifier: Apache-2.0
"""Db, WriteBatch, DbIterator, DbSnapshot and DbTransaction outcomes."""

import asyncio

from _transcript import ashow

from slatedb.uniffi import (CloseOptions, CloseReason, DbBuilder, Error, FlushOptions, FlushType,
                            IsolationLevel, KeyRange, MergeOperator, MergeOperatorCallbackError,
                            MergeOptions, ObjectStore, PutOptions, Ttl, WriteBatch, WriteOptions)

EVERYTHING = KeyRange(start=None, start_inclusive=True, end=None, end_inclusive=False)


class Concat(MergeOperator):
    def merge(self, key, existing_value, operand):
        if operand == b"fail":
            raise MergeOperatorCallbackError.Failed("asked to fail")
        return (existing_value or b"") + operand


async def pairs(iterator):
    out = []
    while (row := await iterator.next()) is not None:
        out.append((row.key, row.value))
    return out


async def main():
    store = ObjectStore.resolve("memory:///")
    db = await DbBuilder("behaviour", store).build()
    h1 = await db.put(b"k1", b"v1")
    h2 = await db.put(b"k2", b"v2")
    h3 = await db.delete(b"k2")
    print("seqs increase:", h1.seqnum() < h2.seqnum() < h3.seqnum(), h1.seqnum())
    await ashow("get k1", lambda: db.get(b"k1"))
    await ashow("get k2", lambda: db.get(b"k2"))
    row = await db.get_key_value(b"k1")
    print("kv matches handle:", (row.key, row.value, row.seq == h1.seqnum(),
                                 row.create_ts == h1.create_ts(), row.expire_ts))
    await ashow("get_key_value missing", lambda: db.get_key_value(b"nope"))
    await db.put(b"empty", b"")
    await ashow("get empty value", lambda: db.get(b"empty"))
    ttl = await db.put_with_options(b"ttl", b"v", PutOptions(ttl=Ttl.EXPIRE_AFTER_MILLIS(60000)),
                                    WriteOptions())
    row = await db.get_key_value(b"ttl")
    print("ttl expire:", row.expire_ts - ttl.create_ts())
    batch = WriteBatch()
    batch.put(b"b1", b"1")
    batch.delete(b"k1")
    await db.write(batch)
    await ashow("rewrite batch", lambda: db.write(batch))
    await ashow("batch put after write", lambda: batch.put(b"x", b"y"))
    await ashow("pairs", lambda: pairs_of(db))
    await ashow("flush", lambda: db.flush())
    await ashow("flush wal", lambda: db.flush_with_options(FlushOptions(flush_type=FlushType.WAL)))
    await ashow("flush memtable", lambda: db.flush_with_options(FlushOptions(flush_type=FlushType.MEM_TABLE)))
    await ashow("after flush", lambda: pairs_of(db))
    snapshot = await db.snapshot()
    await db.put(b"b1", b"changed")
    await ashow("snapshot get", lambda: snapshot.get(b"b1"))
    await ashow("db get", lambda: db.get(b"b1"))
    it = await db.scan(EVERYTHING)
    await ashow("seek", lambda: it.seek(b"empty"))
    await ashow("next", lambda: key_of(it.next()))
    await ashow("seek back", lambda: it.seek(b"b1"))
    await ashow("seek same", lambda: it.seek(b"empty"))
    await ashow("next_batch", lambda: keys_of(it.next_batch(10)))
    await ashow("next at end", lambda: it.next())

    txn = await db.begin(IsolationLevel.SNAPSHOT)
    await txn.put(b"t", b"1")
    await ashow("txn sees own", lambda: txn.get(b"t"))
    await ashow("db does not", lambda: db.get(b"t"))
    await ashow("commit seq > 0", lambda: seq_positive(txn.commit()))
    await ashow("after commit get", lambda: txn.get(b"t"))
    await ashow("after commit commit", lambda: txn.commit())
    await ashow("after commit rollback", lambda: txn.rollback())
    empty = await db.begin(IsolationLevel.SNAPSHOT)
    await ashow("empty commit", lambda: empty.commit())
    a = await db.begin(IsolationLevel.SNAPSHOT)
    b = await db.begin(IsolationLevel.SNAPSHOT)
    await a.put(b"c", b"a")
    await b.put(b"c", b"b")
    await a.commit()
    await ashow("conflict", lambda: b.commit())
    s = await db.begin(IsolationLevel.SERIALIZABLE_SNAPSHOT)
    await s.get(b"r")
    await s.put(b"w", b"1")
    await db.put(b"r", b"x")
    await ashow("ssi conflict", lambda: s.commit())
    si = await db.begin(IsolationLevel.SNAPSHOT)
    await si.get(b"r2")
    await si.put(b"w2", b"1")
    await db.put(b"r2", b"x")
    await ashow("si no conflict", lambda: seq_positive(si.commit()))
    u = await db.begin(IsolationLevel.SNAPSHOT)
    await u.put(b"u", b"txn")
    await u.unmark_write([b"u"])
    await db.put(b"u", b"plain")
    await ashow("unmark_write", lambda: seq_positive(u.commit()))
    await ashow("unmark_write value", lambda: db.get(b"u"))

    print("status open:", db.status().close_reason, db.status().segments)
    await ashow("shutdown", lambda: db.shutdown())
    print("status closed:", db.status().close_reason)
    for label, call in (("put", lambda: db.put(b"k", b"v")), ("get", lambda: db.get(b"k")),
                        ("scan", lambda: db.scan(EVERYTHING)), ("snapshot", lambda: db.snapshot()),
                        ("begin", lambda: db.begin(IsolationLevel.SNAPSHOT)),
                        ("flush", lambda: db.flush()), ("snapshot get", lambda: snapshot.get(b"b1")),
                        ("shutdown again", lambda: db.shutdown())):
        await ashow(f"closed {label}", call)

    merged = DbBuilder("merge", store)
    merged.with_merge_operator(Concat())
    mdb = await merged.build()
    await mdb.put(b"m", b"base")
    await mdb.merge(b"m", b":one")
    await mdb.merge_with_options(b"m", b":two", MergeOptions(ttl=Ttl.DEFAULT()), WriteOptions())
    await ashow("merged", lambda: mdb.get(b"m"))
    await ashow("merge fails", lambda: mdb.merge(b"m", b"fail"))
    await ashow("still usable", lambda: mdb.get(b"m"))
    mb = WriteBatch()
    mb.put(b"n", b"1")
    mb.merge(b"n", b"2")
    mb.merge(b"n", b"3")
    await mdb.write(mb)
    await ashow("batch merge order", lambda: mdb.get(b"n"))
    await ashow("shutdown with options", lambda: mdb.shutdown_with_options(CloseOptions(flush_type=None)))

    first = await DbBuilder("fence", store).build()
    second = await DbBuilder("fence", store).build()
    await second.put(b"k", b"2")
    try:
        h = await first.put(b"k", b"1")
        await h.await_durable()
        print("fenced: no error")
    except Error.Closed as e:
        print("fenced:", e.reason, "detected newer DB client" in e.message)
    print("fenced status:", first.status().close_reason)
    await ashow("fenced shutdown", lambda: first.shutdown())
    await second.shutdown()


async def pairs_of(db):
    return await pairs(await db.scan(EVERYTHING))


async def key_of(call):
    row = await call
    return None if row is None else row.key


async def keys_of(call):
    return [row.key for row in await call]


async def seq_positive(call):
    handle = await call
    return None if handle is None else handle.seqnum() > 0


asyncio.run(main())
