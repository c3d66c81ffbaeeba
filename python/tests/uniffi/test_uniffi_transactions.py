# SPDX-License-Identifier: Apache-2.0
"""DbTransaction and DbSnapshot (python-uniffi-api.md sections 3.11, 3.12)."""

import uuid

import pytest

from conftest import everything, keys_of, needs_core, open_db
from slatedb.uniffi import (DurabilityLevel, Error, IsolationLevel, MergeOperator, MergeOptions,
                            PutOptions, ReadOptions, Ttl, WriteOptions)

pytestmark = pytest.mark.asyncio

READ = ReadOptions(durability_filter=DurabilityLevel.MEMORY, dirty=False, cache_blocks=True)


class Concat(MergeOperator):
    def merge(self, key, existing_value, operand):
        return (existing_value or b"") + operand


async def test_id_and_seqnum(db):
    await db.put(b"a", b"1")
    txn = await db.begin(IsolationLevel.SNAPSHOT)
    assert str(uuid.UUID(txn.id())) == txn.id()
    assert txn.seqnum() >= 1
    await txn.rollback()


async def test_reads_see_own_writes(db):
    await db.put(b"a", b"db")
    txn = await db.begin(IsolationLevel.SNAPSHOT)
    await txn.put(b"b", b"txn")
    await txn.delete(b"a")
    assert await txn.get(b"b") == b"txn"
    assert await txn.get_with_options(b"a", READ) is None
    assert await keys_of(await txn.scan(everything())) == [b"b"]
    assert await db.get(b"a") == b"db"
    await txn.commit_with_options(WriteOptions())
    assert await db.get(b"a") is None and await db.get(b"b") == b"txn"


async def test_commit_without_writes_returns_none(db):
    txn = await db.begin(IsolationLevel.SNAPSHOT)
    assert await txn.commit() is None


async def test_completed_transaction_rejects_everything(db):
    txn = await db.begin(IsolationLevel.SNAPSHOT)
    await txn.put(b"k", b"v")
    handle = await txn.commit()
    await handle.await_durable()
    calls = [lambda: txn.get(b"k"), lambda: txn.put(b"k", b"v"), lambda: txn.commit(),
             lambda: txn.rollback(), lambda: txn.scan(everything()),
             lambda: txn.mark_read([b"k"])]
    for call in calls:
        with pytest.raises(Error.Invalid) as info:
            await call()
        assert info.value.message == "transaction has already been completed"
    assert txn.seqnum() >= 0 and txn.id()  # the sync accessors keep working


async def test_write_write_conflict(db):
    first = await db.begin(IsolationLevel.SNAPSHOT)
    second = await db.begin(IsolationLevel.SNAPSHOT)
    await first.put(b"k", b"1")
    await second.put(b"k", b"2")
    await first.commit()
    with pytest.raises(Error.Transaction) as info:
        await second.commit()
    assert info.value.message.startswith("Transaction error: ")
    with pytest.raises(Error.Invalid, match="transaction has already been completed"):
        await second.put(b"k", b"3")


async def test_conflict_with_plain_put(db):
    txn = await db.begin(IsolationLevel.SNAPSHOT)
    await txn.put(b"k", b"txn")
    await db.put(b"k", b"plain")
    with pytest.raises(Error.Transaction):
        await txn.commit()


async def test_serializable_read_conflicts(db):
    for level, conflicts in ((IsolationLevel.SNAPSHOT, False),
                             (IsolationLevel.SERIALIZABLE_SNAPSHOT, True)):
        txn = await db.begin(level)
        await txn.get(b"read")
        await txn.mark_read([b"marked"])
        await txn.put(b"out", b"x")
        await db.put(b"read", b"changed")
        if conflicts:
            with pytest.raises(Error.Transaction):
                await txn.commit()
        else:
            assert (await txn.commit()).seqnum() > 0


async def test_unmark_write_avoids_conflict(db):
    txn = await db.begin(IsolationLevel.SNAPSHOT)
    await txn.put(b"k", b"txn")
    await txn.unmark_write([b"k"])
    await db.put(b"k", b"plain")
    await txn.commit()
    assert await db.get(b"k") == b"txn"


async def test_options_and_merges(store):
    db = await open_db(store, configure=lambda b: b.with_merge_operator(Concat()))
    try:
        txn = await db.begin(IsolationLevel.SNAPSHOT)
        await txn.put_with_options(b"k", b"a", PutOptions(ttl=Ttl.NO_EXPIRY()))
        await txn.merge(b"k", b"b")
        await txn.merge_with_options(b"k", b"c", MergeOptions(ttl=Ttl.DEFAULT()))
        assert await txn.get(b"k") == b"abc"
        await txn.commit()
        assert await db.get(b"k") == b"abc"
    finally:
        await db.shutdown()


async def test_empty_key_rejected(db):
    txn = await db.begin(IsolationLevel.SNAPSHOT)
    for call in (lambda: txn.put(b"", b"v"), lambda: txn.get(b""), lambda: txn.delete(b"")):
        with pytest.raises(Error.Invalid, match="key cannot be empty"):
            await call()


async def test_get_key_value_in_transaction(db):
    await db.put(b"a", b"1")
    txn = await db.begin(IsolationLevel.SNAPSHOT)
    await txn.put(b"b", b"2")
    committed = await txn.get_key_value(b"a")
    assert committed.value == b"1" and committed.seq > 0
    pending = await txn.get_key_value_with_options(b"b", READ)
    assert (pending.seq, pending.create_ts) == (2 ** 64 - 1, 0)


async def test_closed_db_fails_transaction_commit(store):
    db = await open_db(store)
    txn = await db.begin(IsolationLevel.SNAPSHOT)
    await txn.put(b"k", b"v")  # buffered: succeeds
    await db.shutdown()
    with pytest.raises(Error.Closed) as info:
        await txn.commit()
    assert info.value.message == "Closed error: db is closed"


async def test_snapshot_reads(db):
    await db.put(b"a", b"1")
    await db.put(b"b", b"2")
    snapshot = await db.snapshot()
    await db.delete(b"a")
    assert await snapshot.get_with_options(b"a", READ) == b"1"
    assert await keys_of(await snapshot.scan(everything())) == [b"a", b"b"]
    assert await keys_of(await snapshot.scan_prefix(b"b", everything())) == [b"b"]


async def test_snapshot_get_key_value(db):
    handle = await db.put(b"a", b"1")
    snapshot = await db.snapshot()
    row = await snapshot.get_key_value(b"a")
    assert row.seq == handle.seqnum()


async def test_transaction_scans_both_orders_with_metadata(db):
    from slatedb.uniffi import DurabilityLevel, IterationOrder, ScanOptions
    committed = await db.put(b"a", b"1")
    await db.put(b"c", b"3")
    txn = await db.begin(IsolationLevel.SNAPSHOT)
    await txn.put(b"b", b"2")
    await txn.delete(b"c")
    descending = ScanOptions(durability_filter=DurabilityLevel.MEMORY, dirty=False,
                             read_ahead_bytes=1, cache_blocks=True, max_fetch_tasks=1,
                             order=IterationOrder.DESCENDING)
    it = await txn.scan_with_options(everything(), descending)
    rows = []
    while (row := await it.next()) is not None:
        rows.append(row)
    assert [r.key for r in rows] == [b"b", b"a"]
    assert (rows[0].seq, rows[0].create_ts) == (2 ** 64 - 1, 0)  # the transaction's own write
    assert (rows[1].seq, rows[1].create_ts) == (committed.seqnum(), committed.create_ts())
    assert await keys_of(await txn.scan(everything())) == [b"a", b"b"]
    await txn.rollback()
