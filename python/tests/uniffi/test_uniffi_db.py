# SPDX-License-Identifier: Apache-2.0
"""Db: the twelve behaviours of python-uniffi-api.md section 6.1, then the rest of section 3.6
(closed handles, TTLs, merges, write batches, flushes, cache calls)."""

import asyncio

import pytest

from conftest import (drain, eventually, everything, flush_memtable, key_range, keys_of,
                      needs_core, open_db, open_reader, ours_only, pairs_of)
from slatedb.uniffi import (AdminBuilder, CacheTarget, CloseOptions, CloseReason, DbStatus, Error,
                            FlushOptions, FlushType, KeyRange, MergeOperator, MergeOptions,
                            PrefixExtractor, PutOptions, ReadOptions, ScanOptions,
                            DurabilityLevel, IsolationLevel, SsTableId, Ttl, WriteBatch,
                            WriteHandle, WriteOptions)

pytestmark = pytest.mark.asyncio


class Concat(MergeOperator):
    def merge(self, key, existing_value, operand):
        return (existing_value or b"") + operand


class ThreeBytes(PrefixExtractor):
    def name(self):
        return "three"

    def prefix_len(self, target):
        data = target.key if target.is_point() else target.prefix
        return 3 if len(data) >= 3 else None


def scan_options(**overrides):
    values = dict(durability_filter=DurabilityLevel.MEMORY, dirty=False, read_ahead_bytes=1,
                  cache_blocks=True, max_fetch_tasks=1)
    values.update(overrides)
    return ScanOptions(**values)


READ = ReadOptions(durability_filter=DurabilityLevel.MEMORY, dirty=False, cache_blocks=True)


# --------------------------------------------------------------------- section 6.1 (12)

async def test_status_and_closed_handle(store):
    db = await open_db(store)
    assert db.status().close_reason is None
    await db.shutdown()
    assert db.status().close_reason is CloseReason.CLEAN
    with pytest.raises(Error.Closed) as info:
        await db.put(b"k", b"v")
    assert info.value.reason is CloseReason.CLEAN
    assert info.value.message == "Closed error: db is closed"


async def test_segments_empty_without_extractor(db):
    await db.put(b"abc", b"v")
    assert db.status().segments == []


async def test_segments_with_extractor(store):
    db = await open_db(store, configure=lambda b: b.with_segment_extractor(ThreeBytes()))
    try:
        assert db.status().segments == []
        await db.put(b"bbb1", b"v")
        await db.put(b"aaa1", b"v")
        assert [s.prefix for s in db.status().segments] == [b"aaa", b"bbb"]
        await db.put(b"aaa2", b"v")
        assert [s.prefix for s in db.status().segments] == [b"aaa", b"bbb"]
        await flush_memtable(db)
        assert [s.prefix for s in db.status().segments] == [b"aaa", b"bbb"]
        with pytest.raises(Error.Invalid):
            await db.put(b"xy", b"v")
    finally:
        await db.shutdown()


async def test_segments_across_reopen_reader_and_admin(store):
    """Segmented data reads back after a reopen (some of it replayed from the WAL), from a
    reader with the extractor, and in the manifest Admin reads; opens without the extractor
    are refused."""
    db = await open_db(store, configure=lambda b: b.with_segment_extractor(ThreeBytes()))
    for key in (b"bbb1", b"aaa1", b"aaa2", b"ccc1"):
        await db.put(key, key + b"-v")
    await flush_memtable(db)
    await db.delete(b"aaa2")
    await db.put(b"ddd1", b"wal-only")
    await db.shutdown_with_options(CloseOptions(flush_type=FlushType.WAL))
    expected = [(b"aaa1", b"aaa1-v"), (b"bbb1", b"bbb1-v"), (b"ccc1", b"ccc1-v"),
                (b"ddd1", b"wal-only")]
    db = await open_db(store, configure=lambda b: b.with_segment_extractor(ThreeBytes()))
    try:
        assert [s.prefix for s in db.status().segments] == [b"aaa", b"bbb", b"ccc", b"ddd"]
        assert await pairs_of(await db.scan(everything())) == expected
        assert await db.get(b"aaa2") is None and await db.get(b"ddd1") == b"wal-only"
        await flush_memtable(db)
        reader = await open_reader(store, configure=lambda b: b.with_segment_extractor(
            ThreeBytes()))
        try:
            assert await pairs_of(await reader.scan(everything())) == expected
            assert await reader.get(b"ccc1") == b"ccc1-v"
        finally:
            await reader.shutdown()
        manifest = await AdminBuilder("test-db", store).build().read_manifest(None)
        assert manifest.l0 == [] and manifest.compacted == []
        assert [s.prefix for s in manifest.segments] == [b"aaa", b"bbb", b"ccc", b"ddd"]
        assert all(len(s.l0) + len(s.compacted) > 0 for s in manifest.segments)
    finally:
        await db.shutdown()
    with pytest.raises(Error.Invalid) as info:
        await open_db(store)
    assert "segment extractor configuration mismatch" in info.value.message


async def test_put_get_delete(db):
    handle = await db.put(b"k1", b"v1")
    assert isinstance(handle, WriteHandle)
    assert handle.seqnum() > 0 and handle.create_ts() > 0
    await handle.await_durable()
    assert await db.get(b"k1") == b"v1"
    assert await db.get_with_options(b"k1", READ) == b"v1"
    row = await db.get_key_value(b"k1")
    assert (row.key, row.value, row.seq, row.create_ts) == (
        b"k1", b"v1", handle.seqnum(), handle.create_ts())
    second = await db.put_with_options(b"k2", b"v2", PutOptions(ttl=Ttl.DEFAULT()),
                                       WriteOptions())
    assert second.seqnum() > handle.seqnum()
    await db.put(b"empty", b"")
    assert await db.get(b"empty") == b""
    assert await db.get(b"missing") is None
    deleted = await db.delete(b"k1")
    assert deleted.seqnum() > second.seqnum()
    deleted2 = await db.delete_with_options(b"k2", WriteOptions())
    assert deleted2.seqnum() > deleted.seqnum()
    assert await db.get(b"k1") is None and await db.get(b"k2") is None


async def test_scans(db):
    for key in (b"item:01", b"item:02", b"item:03", b"other"):
        await db.put(key, key + b"-v")
    assert await keys_of(await db.scan(everything())) == [
        b"item:01", b"item:02", b"item:03", b"other"]
    assert await keys_of(await db.scan(key_range(b"item:02", b"item:03", True, True))) == [
        b"item:02", b"item:03"]
    it = await db.scan_with_options(key_range(b"item:01", b"item:03"), scan_options())
    assert await pairs_of(it) == [(b"item:01", b"item:01-v"), (b"item:02", b"item:02-v")]
    assert await keys_of(await db.scan_prefix(b"item:", everything())) == [
        b"item:01", b"item:02", b"item:03"]
    sub = KeyRange(start=b"02", start_inclusive=False, end=b"03", end_inclusive=True)
    assert await keys_of(await db.scan_prefix(b"item:", sub)) == [b"item:03"]
    it = await db.scan_prefix_with_options(b"item:", sub, scan_options())
    assert await keys_of(it) == [b"item:03"]


async def test_write_batch(db):
    await db.put(b"gone", b"x")
    batch = WriteBatch()
    batch.put(b"a", b"1")
    batch.delete(b"gone")
    handle = await db.write(batch)
    assert handle.seqnum() > 0
    assert await db.get(b"a") == b"1" and await db.get(b"gone") is None
    with pytest.raises(Error.Invalid) as info:
        await db.write(batch)
    assert info.value.message == "write batch has already been consumed"
    batch2 = WriteBatch()
    batch2.put_with_options(b"b", b"2", PutOptions(ttl=Ttl.NO_EXPIRY()))
    await db.write_with_options(batch2, WriteOptions())
    assert await db.get(b"b") == b"2"


async def test_flushes(db):
    await db.put(b"k", b"v")
    await db.flush()
    await db.flush_with_options(FlushOptions(flush_type=FlushType.WAL))
    await db.flush_with_options(FlushOptions(flush_type=FlushType.MEM_TABLE))
    assert await db.get(b"k") == b"v"


async def test_merge_operator(store):
    db = await open_db(store, configure=lambda b: b.with_merge_operator(Concat()))
    try:
        await db.put(b"m", b"base")
        await db.merge(b"m", b":one")
        assert await db.get(b"m") == b"base:one"
        handle = await db.merge_with_options(b"m", b":two", MergeOptions(ttl=Ttl.DEFAULT()),
                                             WriteOptions())
        await handle.await_durable()
        assert await db.get(b"m") == b"base:one:two"
    finally:
        await db.shutdown()


async def test_snapshot_isolation(db):
    await db.put(b"k", b"old")
    snapshot = await db.snapshot()
    await db.put(b"k", b"new")
    assert await snapshot.get(b"k") == b"old"
    assert await db.get(b"k") == b"new"


async def test_snapshot_transaction(db):
    from slatedb.uniffi import IsolationLevel
    txn = await db.begin(IsolationLevel.SNAPSHOT)
    assert txn.id()
    await txn.put(b"t", b"1")
    assert await txn.get(b"t") == b"1"
    assert await db.get(b"t") is None
    handle = await txn.commit()
    assert handle.seqnum() > 0
    assert await db.get(b"t") == b"1"
    other = await db.begin(IsolationLevel.SNAPSHOT)
    await other.put(b"r", b"1")
    await other.rollback()
    assert await db.get(b"r") is None


async def test_invalid_inputs(db):
    for call in (lambda: db.put(b"", b"v"), lambda: db.delete(b"")):
        with pytest.raises(Error.Invalid) as info:
            await call()
        assert info.value.message == "key cannot be empty"
    with pytest.raises(Error.Invalid) as info:
        await db.scan(key_range(b"b", b"a"))
    assert info.value.message == "range start must not be greater than range end"
    with pytest.raises(Error.Invalid) as info:
        await db.scan(key_range(b"a", b"a"))
    assert info.value.message == "range must be non-empty"
    await db.put(b"x", b"1")
    rows = await drain(await db.scan(KeyRange(start=b"", start_inclusive=True, end=None,
                                              end_inclusive=False)))
    assert [r.key for r in rows] == [b"x"]


async def test_fencing(store):
    first = await open_db(store)
    second = await open_db(store)
    try:
        await second.put(b"k", b"2")

        async def fenced():
            try:
                handle = await first.put(b"k", b"1")
                await handle.await_durable()
            except Error.Closed as e:
                return e
            return None

        error = await eventually(fenced)
        assert error.reason is CloseReason.FENCED
        assert "detected newer DB client" in error.message
        assert first.status().close_reason is CloseReason.FENCED
        assert await first.shutdown() is None  # a fenced writer has nothing left to close
    finally:
        await second.shutdown()


# ---------------------------------------------------------------------- more of section 3.6

async def test_second_shutdown_raises_closed(store):
    db = await open_db(store)
    await db.shutdown()
    with pytest.raises(Error.Closed) as info:
        await db.shutdown()
    assert info.value.reason is CloseReason.CLEAN


async def test_every_data_call_after_shutdown_is_closed(store):
    db = await open_db(store)
    snapshot = await db.snapshot()
    await db.shutdown()
    calls = [lambda: db.get(b"k"), lambda: db.scan(everything()), lambda: db.snapshot(),
             lambda: db.flush(), lambda: db.delete(b"k"), lambda: snapshot.get(b"k")]
    for call in calls:
        with pytest.raises(Error.Closed) as info:
            await call()
        assert info.value.message == "Closed error: db is closed"
    assert db.status().close_reason is CloseReason.CLEAN


async def test_shutdown_with_options(store):
    for flush_type in (FlushType.WAL, FlushType.MEM_TABLE):
        db = await open_db(store)
        await db.put(b"k", b"v")
        await db.shutdown_with_options(CloseOptions(flush_type=flush_type))
        assert db.status().close_reason is CloseReason.CLEAN
        reopened = await open_db(store)
        assert await reopened.get(b"k") == b"v"
        await reopened.shutdown()
    db = await open_db(store)
    await db.shutdown_with_options(CloseOptions(flush_type=None))  # no final flush
    assert db.status().close_reason is CloseReason.CLEAN


async def test_iterator_outlives_shutdown(store):
    db = await open_db(store)
    for key in (b"a", b"b"):
        await db.put(key, b"v")
    it = await db.scan(everything())
    await db.shutdown()
    assert await keys_of(it) == [b"a", b"b"]  # as upstream: it keeps its view


async def test_status_reports_durable_seq(db):
    handle = await db.put(b"k", b"v")
    await handle.await_durable()
    status = db.status()
    assert isinstance(status, DbStatus)
    assert status.durable_seq >= handle.seqnum()


async def test_await_durable_waits_for_the_periodic_flush(db):
    # Handles of many writes awaited together: the WAL flushes on its own schedule (one
    # object per 100 ms interval or so), not once per caller.
    before = db.status().durable_seq
    handles = [await db.put(b"k%d" % i, b"v") for i in range(20)]
    await asyncio.gather(*(h.await_durable() for h in handles))
    assert db.status().durable_seq >= handles[-1].seqnum() > before


async def test_merge_without_operator_fails(db):
    with pytest.raises(Error.Invalid) as info:
        await db.merge(b"m", b"x")
    assert info.value.message.startswith("Invalid error: ")


class Failing(MergeOperator):
    def merge(self, key, existing_value, operand):
        from slatedb.uniffi import MergeOperatorCallbackError
        if operand == b"bad":
            raise MergeOperatorCallbackError.Failed("nope")
        if operand == b"boom":
            raise RuntimeError("boom")
        return (existing_value or b"") + operand


async def check_merge_failure(store, operand, detail):
    db = await open_db(store, configure=lambda b: b.with_merge_operator(Failing()))
    try:
        await db.put(b"m", b"a")
        with pytest.raises(Error.Invalid) as info:
            await db.merge(b"m", operand)
            await db.get(b"m")
        assert info.value.message.startswith("Invalid error: merge operator")
        assert detail in info.value.message
        await db.put(b"n", b"still usable")
        assert await db.get(b"n") == b"still usable"
    finally:
        await db.shutdown()


async def test_merge_operator_failed(store):
    await check_merge_failure(store, b"bad", "nope")


async def test_merge_operator_failed_message(store):
    db = await open_db(store, configure=lambda b: b.with_merge_operator(Failing()))
    try:
        await db.put(b"m", b"a")
        with pytest.raises(Error.Invalid) as info:
            await db.merge(b"m", b"bad")
            await db.get(b"m")
        assert info.value.message == "Invalid error: merge operator error (nope)"
    finally:
        await db.shutdown()


@ours_only  # upstream's writer task panics (python-uniffi-api.md 4.1); this build reports it
async def test_merge_operator_other_exception(store):
    await check_merge_failure(store, b"boom", "RuntimeError('boom')")


async def test_batch_ops_apply_in_order(store):
    db = await open_db(store, configure=lambda b: b.with_merge_operator(Concat()))
    try:
        batch = WriteBatch()
        batch.put(b"k", b"1")
        batch.merge(b"k", b"2")
        batch.merge_with_options(b"k", b"3", MergeOptions(ttl=Ttl.DEFAULT()))
        await db.write(batch)
        assert await db.get(b"k") == b"123"
    finally:
        await db.shutdown()


async def test_batch_rules(db):
    batch = WriteBatch()
    with pytest.raises(Error.Invalid) as info:
        batch.put(b"", b"v")
    assert info.value.message == "key cannot be empty"
    with pytest.raises(Error.Invalid) as info:
        await db.write(WriteBatch())
    assert info.value.message == "Invalid error: empty write batch not allowed"
    batch.put(b"k", b"v")
    await db.write(batch)
    for call in (lambda: batch.put(b"k", b"v"), lambda: batch.delete(b"k"),
                 lambda: batch.merge(b"k", b"v")):
        with pytest.raises(Error.Invalid) as info:
            call()
        assert info.value.message == "write batch has already been consumed"
    with pytest.raises(TypeError, match="Expected WriteBatch instance, NoneType found"):
        await db.write(None)


async def test_ttl_expiry_times(db):
    handle = await db.put_with_options(b"k", b"v", PutOptions(ttl=Ttl.EXPIRE_AFTER_MILLIS(60_000)),
                                       WriteOptions())
    row = await db.get_key_value(b"k")
    assert row.expire_ts == handle.create_ts() + 60_000
    at = handle.create_ts() + 120_000
    await db.put_with_options(b"k2", b"v", PutOptions(ttl=Ttl.EXPIRE_AT_MILLIS(at)),
                              WriteOptions())
    row2 = await db.get_key_value(b"k2")
    assert abs(row2.expire_ts - at) <= 5
    await db.put_with_options(b"k3", b"v", PutOptions(ttl=Ttl.NO_EXPIRY()), WriteOptions())
    assert (await db.get_key_value(b"k3")).expire_ts is None


async def test_expired_rows_stay_readable_until_a_flush_rewrites_them(db):
    # Reads never hide a row past its TTL (upstream 0.17): the memtable flush to L0 turns
    # it into a tombstone, judged by the database's last write time.
    await db.put_with_options(b"past", b"v", PutOptions(ttl=Ttl.EXPIRE_AT_MILLIS(1)),
                              WriteOptions())
    await db.put_with_options(b"short", b"s", PutOptions(ttl=Ttl.EXPIRE_AFTER_MILLIS(50)),
                              WriteOptions())
    await asyncio.sleep(0.2)
    assert await db.get(b"past") == b"v" and await db.get(b"short") == b"s"
    assert (await db.get_key_value(b"past")).expire_ts == 1
    assert [kv.key for kv in await drain(await db.scan(everything()))] == [b"past", b"short"]
    await db.put(b"later", b"x")  # the flush judges expiry by the last write's time
    await flush_memtable(db)
    assert await db.get(b"past") is None and await db.get(b"short") is None
    assert [kv.key for kv in await drain(await db.scan(everything()))] == [b"later"]


async def test_write_options_seqnum(db):
    handle = await db.put_with_options(b"k", b"v", PutOptions(ttl=Ttl.DEFAULT()),
                                       WriteOptions(seqnum=1_000_000))
    assert handle.seqnum() == 1_000_000
    assert (await db.get_key_value(b"k")).seq == 1_000_000
    assert (await db.put(b"k", b"w")).seqnum() == 1_000_001  # the database goes on above it
    for seqnum in (1_000_001, 5):
        with pytest.raises(Error.Invalid) as info:
            await db.delete_with_options(b"k", WriteOptions(seqnum=seqnum))
        assert info.value.message == (
            "Invalid error: invalid sequence number, must be greater than the current max. "
            f"provided=`{seqnum}`, current=`1000001`")
    batch = WriteBatch()
    batch.put(b"b", b"1")
    assert (await db.write_with_options(batch, WriteOptions(seqnum=2_000_000))).seqnum() == 2_000_000
    txn = await db.begin(IsolationLevel.SNAPSHOT)
    await txn.put(b"t", b"1")
    assert (await txn.commit_with_options(WriteOptions(seqnum=2_000_010))).seqnum() == 2_000_010


async def test_durability_filter_remote(db):
    remote = ReadOptions(durability_filter=DurabilityLevel.REMOTE, dirty=False,
                         cache_blocks=True)
    handle = await db.put(b"k", b"v")
    await handle.await_durable()
    assert await db.get_with_options(b"k", remote) == b"v"


async def test_get_key_value_missing_and_options(db):
    assert await db.get_key_value(b"missing") is None
    await db.put(b"k", b"v")
    row = await db.get_key_value_with_options(b"k", READ)
    assert row.value == b"v" and row.expire_ts is None


async def test_scan_empty_results(db):
    await db.put(b"a", b"1")
    assert await drain(await db.scan(key_range(None, b"", True, False))) == []
    assert await drain(await db.scan_prefix(b"zz", everything())) == []
    assert await keys_of(await db.scan_prefix(b"", everything())) == [b"a"]


async def test_descending_scan(db):
    from slatedb.uniffi import IterationOrder
    for key in (b"s1", b"s2", b"s3", b"t"):
        await db.put(key, b"v")
    it = await db.scan_with_options(key_range(b"s1", b"s3", True, True),
                                    scan_options(order=IterationOrder.DESCENDING))
    assert await keys_of(it) == [b"s3", b"s2", b"s1"]
    it = await db.scan_prefix_with_options(b"s", everything(),
                                           scan_options(order=IterationOrder.DESCENDING))
    assert await keys_of(it) == [b"s3", b"s2", b"s1"]
    it = await db.scan_with_options(everything(), scan_options(order=IterationOrder.DESCENDING))
    with pytest.raises(Error.Invalid) as info:
        await it.seek(b"s2")
    assert info.value.message == "Invalid error: seek is not supported for descending scans"
    assert (await it.next()).key == b"t"  # still usable
    await flush_memtable(db)
    await db.delete(b"s2")
    it = await db.scan_with_options(everything(), scan_options(order=IterationOrder.DESCENDING))
    assert await keys_of(it) == [b"t", b"s3", b"s1"]


async def test_scanned_rows_have_metadata(db):
    handle = await db.put(b"k", b"v")
    ttl = await db.put_with_options(b"t", b"v", PutOptions(ttl=Ttl.EXPIRE_AFTER_MILLIS(60_000)),
                                    WriteOptions())
    rows = await drain(await db.scan(everything()))
    assert rows[0].seq == handle.seqnum() and rows[0].create_ts == handle.create_ts()
    assert rows[0].expire_ts is None
    assert rows[1].seq == ttl.seqnum() and rows[1].expire_ts == ttl.create_ts() + 60_000


async def test_cache_calls(db):
    with pytest.raises(Error.Invalid) as info:
        await db.warm_sst(SsTableId(value="nope"), [CacheTarget.INDEX()])
    assert info.value.message == "invalid SST ULID: invalid length"
    with pytest.raises(Error.Invalid) as info:
        await db.evict_cached_sst(SsTableId(value="nope"))
    assert info.value.message == "invalid SST ULID: invalid length"
    assert await db.flush_cache_to_disk() is None


async def test_warm_and_evict_an_sst_the_database_does_not_list(db):
    # Nothing to do, and no error (test_uniffi_cache.py has the effects on listed SSTs).
    ulid = "01ARZ3NDEKTSV4RRFFQ69G5FAV"
    assert await db.warm_sst(SsTableId(value=ulid), [CacheTarget.FILTERS()]) is None
    assert await db.evict_cached_sst(SsTableId(value=ulid)) is None


async def test_reopen_sees_durable_data(store):
    db = await open_db(store)
    handle = await db.put(b"k", b"v")
    await handle.await_durable()
    await db.shutdown()
    db2 = await open_db(store)
    assert await db2.get(b"k") == b"v"
    await db2.shutdown()
