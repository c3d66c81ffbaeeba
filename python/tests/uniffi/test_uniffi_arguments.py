# SPDX-License-Identifier: Apache-2.0
"""Argument conversion and async-ness (python-uniffi-api.md sections 1.2, 1.3): the exception
types and texts of wrong arguments, and that async methods check only when awaited."""

import asyncio
import struct

import pytest

from conftest import everything, key_range
from slatedb.uniffi import (DbBuilder, DbCache, DbReaderBuilder, DurabilityLevel, Error,
                            FlushOptions, IsolationLevel, KeyRange, MokaCacheOptions, PutOptions,
                            ReadOptions, ReaderMode, ScanOptions, Ttl, WriteBatch, WriteOptions,
                            init_logging)

pytestmark = pytest.mark.asyncio

DEFAULT_PUT = PutOptions(ttl=Ttl.DEFAULT())


async def test_bytes_arguments(db):
    for bad, name in (("k", "str"), (None, "NoneType"), (5, "int"), ([1], "list")):
        with pytest.raises(TypeError) as info:
            await db.put(bad, b"v")
        assert str(info.value) == f"a bytes-like object is required, not '{name}'"
    with pytest.raises(TypeError, match="not 'str'"):
        await db.put(b"k", "v")
    with pytest.raises(TypeError, match="not 'str'"):
        await db.get("k")
    await db.put(bytearray(b"k"), memoryview(b"v"))
    assert await db.get(memoryview(b"k")) == b"v"
    assert type(await db.get(b"k")) is bytes


async def test_integer_ranges(db):
    for bad in (-1, 2 ** 64):
        with pytest.raises(ValueError) as info:
            await db.put_with_options(b"k", b"v", DEFAULT_PUT, WriteOptions(seqnum=bad))
        assert str(info.value) == "u64 requires 0 <= value < 18446744073709551616"
    with pytest.raises(TypeError, match="'float' object cannot be interpreted as an integer"):
        await db.put_with_options(b"k", b"v", DEFAULT_PUT, WriteOptions(seqnum=1.5))
    with pytest.raises(ValueError, match="u64 requires"):
        await db.put_with_options(b"k", b"v", PutOptions(ttl=Ttl.EXPIRE_AFTER_MILLIS(-1)),
                                  WriteOptions())
    it = await db.scan(everything())
    with pytest.raises(ValueError) as info:
        await it.next_batch(-1)
    assert str(info.value) == "u32 requires 0 <= value < 4294967296"
    with pytest.raises(ValueError, match="u64 requires"):
        await db.scan_with_options(everything(), ScanOptions(
            durability_filter=DurabilityLevel.MEMORY, dirty=False, read_ahead_bytes=-1,
            cache_blocks=True, max_fetch_tasks=1))


async def test_enum_and_record_arguments(db):
    with pytest.raises(ValueError) as info:
        await db.begin(0)
    assert str(info.value) == "0"
    with pytest.raises(ValueError, match="^wal$"):
        await db.flush_with_options(FlushOptions(flush_type="wal"))
    with pytest.raises(ValueError, match="IsolationLevel.SNAPSHOT"):
        await db.get_with_options(b"k", ReadOptions(durability_filter=IsolationLevel.SNAPSHOT,
                                                    dirty=False, cache_blocks=True))
    with pytest.raises(AttributeError, match="has no attribute 'seqnum'"):
        await db.put_with_options(b"k", b"v", DEFAULT_PUT, None)
    with pytest.raises(AttributeError, match="has no attribute 'start'"):
        await db.scan(None)
    with pytest.raises(struct.error):
        await db.get_with_options(b"k", ReadOptions(durability_filter=DurabilityLevel.MEMORY,
                                                    dirty=None, cache_blocks=True))
    assert await db.get_with_options(b"k", ReadOptions(
        durability_filter=DurabilityLevel.MEMORY, dirty=1, cache_blocks=True)) is None


async def test_object_arguments(store):
    with pytest.raises(TypeError, match="Expected ObjectStore instance, str found"):
        DbBuilder("p", "store")
    with pytest.raises(TypeError, match="argument must be str, not int"):
        DbBuilder(5, store)
    builder = DbBuilder("p", store)
    with pytest.raises(TypeError, match="Expected MergeOperator subclass, function found"):
        builder.with_merge_operator(lambda k, e, o: o)
    with pytest.raises(TypeError, match="Expected FilterPolicy instance, int found"):
        builder.with_filter_policies([1])
    with pytest.raises(TypeError, match="not iterable"):
        builder.with_filter_policies(None)
    with pytest.raises(ValueError, match="u64 requires"):
        builder.with_seed(-1)
    with pytest.raises(ValueError, match="u64 requires"):
        builder.with_db_cache(DbCache.new_moka_cache(MokaCacheOptions(
            max_capacity=1, time_to_live=None, time_to_idle=None)), -1)
    with pytest.raises(ValueError, match="^1$"):
        builder.with_sst_block_size(1)
    with pytest.raises(TypeError, match="argument must be str, not int"):
        DbReaderBuilder("p", store).with_reader_mode(ReaderMode.CHECKPOINT(5))

    class NotLC:
        def log(self, record):
            pass

    with pytest.raises(TypeError, match="Expected LogCallback subclass, NotLC found"):
        init_logging(__import__("slatedb.uniffi").uniffi.LogLevel.INFO, NotLC())


async def test_validation_happens_when_awaited(db):
    coroutine = db.put("not bytes", b"v")  # no error yet
    assert asyncio.iscoroutine(coroutine)
    with pytest.raises(TypeError):
        await coroutine
    pending = db.scan(key_range(b"b", b"a"))
    with pytest.raises(Error.Invalid):
        await pending


async def test_sync_methods_raise_immediately(store):
    with pytest.raises(Error.Invalid):
        WriteBatch().put(b"", b"v")
    with pytest.raises(TypeError):
        KeyRange(start=None)


async def test_transaction_key_lists(db):
    txn = await db.begin(IsolationLevel.SERIALIZABLE_SNAPSHOT)
    with pytest.raises(TypeError, match="not 'str'"):
        await txn.mark_read([b"a", "b"])
    with pytest.raises(TypeError, match="not 'int'"):
        await txn.mark_read(b"a")  # iterating bytes yields ints
    await txn.mark_read((b"a",))
    await txn.mark_read([b""])
    await txn.unmark_write([b""])
    await txn.rollback()
