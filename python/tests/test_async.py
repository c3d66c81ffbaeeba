# SPDX-License-Identifier: Apache-2.0
"""The asyncio twins: futures on the running loop, many in flight, both iterator protocols."""
import asyncio

import pytest

from slatedb import InvalidError, SlateDB, WriteBatch


@pytest.mark.asyncio
async def test_gather_puts_then_gets(db):
    await asyncio.gather(*[db.put_async(b"k%d" % i, b"v%d" % i) for i in range(10)])
    values = await asyncio.gather(*[db.get_async(b"k%d" % i) for i in range(10)])
    assert values == [b"v%d" % i for i in range(10)]


@pytest.mark.asyncio
async def test_async_writes_and_options(db):
    await db.put_with_options_async(b"a", b"1", await_durable=False)
    batch = WriteBatch()
    batch.put(b"b", b"2")
    await db.write_async(batch)
    await db.write_with_options_async(batch, await_durable=False)
    assert await db.get_with_options_async(b"a", durability_filter="memory", dirty=False) == b"1"
    await db.delete_async(b"a")
    assert await db.get_async(b"a") is None
    await db.flush_async()
    await db.flush_with_options_async("memtable")
    assert await db.get_async(b"b") == b"2"


@pytest.mark.asyncio
async def test_async_validation_raises_at_call_time(db):
    with pytest.raises(InvalidError, match="key cannot be empty"):
        await db.get_async(b"")


@pytest.mark.asyncio
async def test_iterators_both_protocols(db):
    for k in [b"k1", b"k2", b"k3"]:
        await db.put_async(k, b"v")
    it = await db.scan_async(b"k")
    await it.seek_async(b"k2")
    assert [k async for k, _ in it] == [b"k2", b"k3"]
    sync_made = db.scan(b"k")
    assert [k async for k, _ in sync_made] == [b"k1", b"k2", b"k3"]
    async_made = await db.scan_prefix_async(b"k")
    assert [k for k, _ in async_made] == [b"k1", b"k2", b"k3"]


@pytest.mark.asyncio
async def test_open_async_and_close_async(db_path, env_file):
    db = await SlateDB.open_async(db_path, env_file=env_file)
    await db.put_async(b"k", b"v")
    snap = await db.snapshot_async()
    assert await snap.get_async(b"k") == b"v"
    await snap.close_async()
    await db.close_async()


def test_async_without_loop_is_runtime_error(db):
    with pytest.raises(RuntimeError):
        db.get_async(b"k")
