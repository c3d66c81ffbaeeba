# SPDX-License-Identifier: Apache-2.0
"""DbReaderBuilder and DbReader: the ten behaviours of python-uniffi-api.md section 6.2, then
the rest of section 3.13."""

import uuid

import pytest

from conftest import (drain, eventually, everything, flush_memtable, flush_wal, key_range,
                      keys_of, needs_core, open_db, open_reader)
from slatedb.uniffi import (CloseReason, DbReaderBuilder, DurabilityLevel, Error, KeyRange,
                            MergeOperator, ReaderMode, ReaderOptions, ReadOptions, ScanOptions)

pytestmark = pytest.mark.asyncio

READ = ReadOptions(durability_filter=DurabilityLevel.MEMORY, dirty=False, cache_blocks=True)


class Concat(MergeOperator):
    def merge(self, key, existing_value, operand):
        return (existing_value or b"") + operand


def fast(builder, skip_wal=False):
    builder.with_options(ReaderOptions(manifest_poll_interval_ms=100,
                                       checkpoint_lifetime_ms=1000, max_memtable_bytes=1 << 20,
                                       skip_wal_replay=skip_wal))


# --------------------------------------------------------------------- section 6.2 (10)

async def test_reader_reads_and_closes(store):
    db = await open_db(store)
    await db.put(b"k", b"v")
    await flush_memtable(db)
    reader = await open_reader(store)
    assert await reader.get(b"k") == b"v"
    await reader.shutdown()
    with pytest.raises(Error.Closed) as info:
        await reader.get(b"k")
    assert info.value.reason is CloseReason.CLEAN
    assert info.value.message == "Closed error: db is closed"
    await db.shutdown()


async def test_reader_without_database(store):
    with pytest.raises(Error.Data) as info:
        await open_reader(store, "nothing-here")
    assert "failed to find latest transactional object" in info.value.message


async def test_reader_without_database_is_data_error(store):
    with pytest.raises(Error.Data) as info:
        await open_reader(store, "nothing-here")
    assert info.value.message.startswith("Data error: ")


async def test_reader_point_reads(store):
    db = await open_db(store)
    await db.put(b"k", b"v")
    await db.put(b"empty", b"")
    await flush_memtable(db)
    reader = await open_reader(store)
    assert await reader.get(b"k") == b"v"
    assert await reader.get_with_options(b"k", READ) == b"v"
    assert await reader.get(b"empty") == b""
    assert await reader.get(b"missing") is None
    await reader.shutdown()
    await db.shutdown()


async def test_reader_scans(store):
    db = await open_db(store)
    for key in (b"item:01", b"item:02", b"item:03", b"other"):
        await db.put(key, key)
    await flush_memtable(db)
    reader = await open_reader(store)
    options = ScanOptions(durability_filter=DurabilityLevel.MEMORY, dirty=False,
                          read_ahead_bytes=1, cache_blocks=True, max_fetch_tasks=1)
    assert len(await drain(await reader.scan(everything()))) == 4
    assert await keys_of(await reader.scan(key_range(b"item:02", b"item:03", True, True))) == [
        b"item:02", b"item:03"]
    assert await keys_of(await reader.scan_with_options(key_range(b"item:01", b"item:03"),
                                                        options)) == [b"item:01", b"item:02"]
    assert await keys_of(await reader.scan_prefix(b"item:", everything())) == [
        b"item:01", b"item:02", b"item:03"]
    sub = KeyRange(start=b"02", start_inclusive=False, end=b"03", end_inclusive=True)
    assert await keys_of(await reader.scan_prefix(b"item:", sub)) == [b"item:03"]
    assert await keys_of(await reader.scan_prefix_with_options(b"item:", sub, options)) == [
        b"item:03"]
    await reader.shutdown()
    await db.shutdown()


async def test_reader_sees_later_l0_flushes(store):
    db = await open_db(store)
    await db.put(b"first", b"1")
    await flush_memtable(db)
    reader = await open_reader(store, configure=fast)
    await db.put(b"later", b"2")
    await flush_memtable(db)
    assert await eventually(lambda: reader.get(b"later")) == b"2"
    await reader.shutdown()
    await db.shutdown()


async def test_reader_replays_wal(store):
    db = await open_db(store)
    await db.put(b"first", b"1")
    await flush_memtable(db)
    reader = await open_reader(store, configure=fast)
    await db.put(b"wal-only", b"2")
    await flush_wal(db)
    assert await eventually(lambda: reader.get(b"wal-only")) == b"2"
    await reader.shutdown()
    await db.shutdown()


async def test_reader_skip_wal_replay(store):
    db = await open_db(store)
    await db.put(b"in-l0", b"1")
    await flush_memtable(db)
    await db.put(b"in-wal", b"2")
    await flush_wal(db)
    reader = await open_reader(store, configure=lambda b: fast(b, skip_wal=True))
    assert await reader.get(b"in-l0") == b"1"
    assert await reader.get(b"in-wal") is None
    await reader.shutdown()
    await flush_memtable(db)
    again = await open_reader(store, configure=lambda b: fast(b, skip_wal=True))
    assert await again.get(b"in-wal") == b"2"
    await again.shutdown()
    await db.shutdown()


async def test_reader_merge_operator(store):
    db = await open_db(store, configure=lambda b: b.with_merge_operator(Concat()))
    await db.put(b"m", b"base")
    await db.merge(b"m", b":reader")
    await flush_memtable(db)
    reader = await open_reader(store, configure=lambda b: b.with_merge_operator(Concat()))
    assert await reader.get(b"m") == b"base:reader"
    await reader.shutdown()
    await db.shutdown()


async def test_builder_validation(store):
    db = await open_db(store)
    await db.put(b"k", b"v")
    await flush_memtable(db)
    builder = DbReaderBuilder("test-db", store)
    with pytest.raises(Error.Invalid) as info:
        builder.with_reader_mode(ReaderMode.CHECKPOINT("not-a-uuid"))
    assert info.value.message.startswith("invalid checkpoint_id UUID:")
    assert info.value.message == ("invalid checkpoint_id UUID: invalid character: found `n` "
                                  "at 1")
    missing = str(uuid.UUID(int=2 ** 128 - 1))
    builder.with_reader_mode(ReaderMode.CHECKPOINT(missing))
    with pytest.raises(Error.Data) as info:
        await builder.build()
    assert info.value.message.startswith("Data error: ") and missing in info.value.message
    again = DbReaderBuilder("test-db", store)
    reader = await again.build()
    with pytest.raises(Error.Invalid) as info:
        await again.build()
    assert info.value.message == "builder has already been consumed"
    with pytest.raises(Error.Invalid, match="builder has already been consumed"):
        again.with_reader_mode(ReaderMode.FOLLOW_LATEST())
    await reader.shutdown()
    await db.shutdown()


async def test_missing_checkpoint_message(store):
    db = await open_db(store)
    await flush_memtable(db)
    missing = str(uuid.UUID(int=2 ** 128 - 1))
    builder = DbReaderBuilder("test-db", store)
    builder.with_reader_mode(ReaderMode.CHECKPOINT(missing))
    try:
        with pytest.raises(Error.Data) as info:
            await builder.build()
        assert "checkpoint missing" in info.value.message
    finally:
        await db.shutdown()


async def test_reader_invalid_ranges(store):
    db = await open_db(store)
    await db.put(b"k", b"v")
    await flush_memtable(db)
    reader = await open_reader(store)
    with pytest.raises(Error.Invalid) as info:
        await reader.scan(key_range(b"b", b"a"))
    assert info.value.message == "range start must not be greater than range end"
    with pytest.raises(Error.Invalid) as info:
        await reader.scan(key_range(b"a", b"a"))
    assert info.value.message == "range must be non-empty"
    rows = await drain(await reader.scan(KeyRange(start=b"", start_inclusive=True, end=None,
                                                  end_inclusive=False)))
    assert [r.key for r in rows] == [b"k"]
    await reader.shutdown()
    await db.shutdown()


# -------------------------------------------------------------------- more of section 3.13

async def test_second_reader_shutdown_is_fine(store):
    db = await open_db(store)
    await flush_memtable(db)
    reader = await open_reader(store)
    await reader.shutdown()
    assert await reader.shutdown() is None
    await db.shutdown()


async def test_reader_modes(store):
    from slatedb.uniffi import AdminBuilder, CheckpointOptions
    db = await open_db(store)
    await db.put(b"k", b"1")
    await flush_memtable(db)
    admin = AdminBuilder("test-db", store).build()
    checkpoint = await admin.create_detached_checkpoint(
        CheckpointOptions(lifetime_ms=None, source=None, name=None))
    await db.put(b"k", b"2")
    await flush_memtable(db)
    pinned = await open_reader(
        store, configure=lambda b: b.with_reader_mode(ReaderMode.CHECKPOINT(checkpoint.id)))
    assert await pinned.get(b"k") == b"1"
    follower = await open_reader(
        store, configure=lambda b: b.with_reader_mode(ReaderMode.FOLLOW_LATEST()))
    assert await follower.get(b"k") == b"2"
    for reader in (pinned, follower):
        await reader.shutdown()
    await db.shutdown()


async def test_reader_option_validation(store):
    db = await open_db(store)
    await flush_memtable(db)
    builder = DbReaderBuilder("test-db", store)
    builder.with_options(ReaderOptions(manifest_poll_interval_ms=1000, checkpoint_lifetime_ms=100,
                                       max_memtable_bytes=1 << 20, skip_wal_replay=False))
    with pytest.raises(Error.Invalid) as info:
        await builder.build()
    assert info.value.message.startswith("Invalid error: ")
    await db.shutdown()


async def test_reader_status(store):
    db = await open_db(store)
    await flush_memtable(db)
    reader = await open_reader(store)
    assert reader.status().close_reason is None
    await reader.shutdown()
    assert reader.status().close_reason is CloseReason.CLEAN
    await db.shutdown()


async def test_reader_get_key_value(store):
    db = await open_db(store)
    handle = await db.put(b"k", b"v")
    await flush_memtable(db)
    reader = await open_reader(store)
    assert (await reader.get_key_value(b"k")).seq == handle.seqnum()
    await reader.shutdown()
    await db.shutdown()
