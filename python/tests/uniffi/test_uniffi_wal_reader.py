# SPDX-License-Identifier: Apache-2.0
"""SlateDbWalReader and SlateDbWalIterator: the four behaviours of python-uniffi-api.md
section 6.6, a missing database, a WAL kept in its own store, a cancelled wait, and the
constructors' argument checks."""

import asyncio

import pytest

from conftest import flush_wal, open_db
from slatedb.uniffi import (Error, MergeOperator, ObjectStore, RowEntryKind, SlateDbWalIterator,
                            SlateDbWalReader, SlateDbWalReaderOptions)

pytestmark = pytest.mark.asyncio


class Concat(MergeOperator):
    def merge(self, key, existing_value, operand):
        return (existing_value or b"") + operand


async def seed(store):
    db = await open_db(store, configure=lambda b: b.with_merge_operator(Concat()))
    await db.put(b"a", b"1")
    await db.put(b"b", b"2")
    await flush_wal(db)
    await db.delete(b"a")
    await flush_wal(db)
    await db.merge(b"m", b"x")
    await flush_wal(db)
    await db.shutdown()


async def append(store, key):
    db = await open_db(store)
    await db.put(key, b"new")
    await flush_wal(db)
    await db.shutdown()


async def test_last_wal_file_id(store):
    await seed(store)
    reader = SlateDbWalReader("test-db", store)
    tail = await reader.last_wal_file_id(0)
    assert tail > 0 and await reader.last_wal_file_id(tail) == tail


async def test_iterator_follows_new_files(store):
    await seed(store)
    reader = SlateDbWalReader("test-db", store)
    tail = await reader.last_wal_file_id(0)
    it = await reader.iterator(1)
    cursors, empty = [], 0
    while not cursors or cursors[-1] < tail:
        batch = await it.next()
        cursors.append(batch.last_consumed_wal_file_id)
        empty += not batch.rows
    assert cursors[-1] == tail and empty >= 1 and cursors == sorted(set(cursors))
    await append(store, b"fresh")
    new_tail = await reader.last_wal_file_id(tail)
    assert new_tail > tail
    keys = []
    while cursors[-1] < new_tail:
        batch = await it.next()
        cursors.append(batch.last_consumed_wal_file_id)
        keys += [row.key for row in batch.rows]
    assert keys == [b"fresh"]


async def test_row_decoding(store):
    await seed(store)
    reader = SlateDbWalReader("test-db", store)
    tail = await reader.last_wal_file_id(0)
    it = await reader.iterator(1)
    rows, cursor = [], 0
    while cursor < tail:
        batch = await it.next()
        cursor = batch.last_consumed_wal_file_id
        rows += batch.rows
    assert [(r.kind, r.key, r.value) for r in rows] == [
        (RowEntryKind.VALUE, b"a", b"1"), (RowEntryKind.VALUE, b"b", b"2"),
        (RowEntryKind.TOMBSTONE, b"a", None), (RowEntryKind.MERGE, b"m", b"x")]
    assert all(r.seq > 0 for r in rows)


async def test_iterator_from_beyond_the_tail(store):
    await seed(store)
    reader = SlateDbWalReader("test-db", store)
    tail = await reader.last_wal_file_id(0)
    it = await reader.iterator(tail + 1)
    pending = asyncio.ensure_future(it.next())
    await append(store, b"after")
    keys = []
    while not keys:
        batch = await asyncio.wait_for(pending, 30)
        keys = [row.key for row in batch.rows]
        pending = asyncio.ensure_future(it.next())
    pending.cancel()
    assert keys == [b"after"]


async def test_missing_database(store):
    reader = SlateDbWalReader("nothing-here", store)
    message = "WAL data error: failed to find latest transactional object (e.g. manifest) version"
    with pytest.raises(Error.Data) as info:
        await reader.last_wal_file_id(0)
    assert info.value.message == message
    it = await reader.iterator(1)  # no I/O yet
    with pytest.raises(Error.Data) as info:
        await it.next()
    assert info.value.message == message


async def test_cancelled_wait_leaves_the_iterator_usable(store):
    await seed(store)
    reader = SlateDbWalReader("test-db", store)
    tail = await reader.last_wal_file_id(0)
    it = await reader.iterator(tail + 1)
    with pytest.raises(asyncio.TimeoutError):
        await asyncio.wait_for(it.next(), 0.3)
    await append(store, b"after-cancel")
    batch = await asyncio.wait_for(it.next(), 30)
    while not batch.rows:
        batch = await asyncio.wait_for(it.next(), 30)
    assert [row.key for row in batch.rows] == [b"after-cancel"]
    assert batch.last_consumed_wal_file_id > tail


async def test_constructors_check_arguments(store):
    SlateDbWalReader("p", store)
    SlateDbWalReader.with_options("p", store, SlateDbWalReaderOptions())
    SlateDbWalReader.with_wal_object_store("p", store, ObjectStore.resolve("memory:///"))
    with pytest.raises(TypeError, match="Expected ObjectStore instance, str found"):
        SlateDbWalReader("p", "store")
    with pytest.raises(ValueError, match="u64 requires"):
        SlateDbWalReader.with_options("p", store, SlateDbWalReaderOptions(max_fetch_tasks=-1))
    with pytest.raises(ValueError, match="This class has no default constructor"):
        SlateDbWalIterator()
