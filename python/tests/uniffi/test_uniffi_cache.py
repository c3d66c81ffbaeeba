# SPDX-License-Identifier: Apache-2.0
"""Per-SST cache control (python-uniffi-api.md, Db and DbReader "Cache control"): warm_sst,
evict_cached_sst and flush_cache_to_disk, proven by what reads cost afterwards: data-block
misses of the block cache (slatedb.db_cache.access_count, both builds) and, on ours, the
range reads sent to the object store."""

import pytest

from conftest import everything, flush_memtable, key_range, open_db, open_reader, ours_only
from slatedb.uniffi import (AdminBuilder, CacheTarget, CloseReason, DefaultMetricsRecorder, Error,
                            MetricLabel, SsTableId)

pytestmark = pytest.mark.asyncio

KEYS = [b"k%03d" % i for i in range(100)]
UNKNOWN = SsTableId(value="01ARZ3NDEKTSV4RRFFQ69G5FAV")
WHOLE = [CacheTarget.FILTERS(), CacheTarget.INDEX(), CacheTarget.STATS(),
         CacheTarget.DATA(range=everything())]


def value_of(key):
    return key * 250  # 1000 bytes: the SST has many data blocks


async def one_sst(store, db):
    """Writes KEYS into one L0 SST; its id, as the manifest names it."""
    for key in KEYS:
        await db.put(key, value_of(key))
    await flush_memtable(db)
    manifest = await AdminBuilder("test-db", store).build().read_manifest(None)
    assert len(manifest.l0) == 1
    return manifest.l0[0].sst.id


def block_cache(recorder, result):
    metric = recorder.metric_by_name_and_labels(
        "slatedb.db_cache.access_count",
        [MetricLabel(key="entry_kind", value="data_block"), MetricLabel(key="result", value=result)])
    return 0 if metric is None else metric.value[0]


async def read(handle, keys):
    for key in keys:
        assert await handle.get(key) == value_of(key)


async def test_warm_serves_reads_from_the_cache_and_evict_undoes_it(store):
    recorder = DefaultMetricsRecorder()
    db = await open_db(store, configure=lambda b: b.with_metrics_recorder(recorder))
    sst = await one_sst(store, db)
    await db.evict_cached_sst(sst)
    await db.warm_sst(sst, WHOLE)
    misses, hits = block_cache(recorder, "miss"), block_cache(recorder, "hit")
    await read(db, KEYS)
    assert block_cache(recorder, "miss") == misses
    assert block_cache(recorder, "hit") >= hits + len(KEYS)

    await db.evict_cached_sst(sst)
    await read(db, KEYS)
    assert block_cache(recorder, "miss") > misses
    await db.shutdown()


async def test_warm_data_range_loads_only_that_range(store):
    recorder = DefaultMetricsRecorder()
    db = await open_db(store, configure=lambda b: b.with_metrics_recorder(recorder))
    sst = await one_sst(store, db)
    await db.evict_cached_sst(sst)
    await db.warm_sst(sst, [CacheTarget.DATA(range=key_range(b"k050", b"k060"))])
    misses = block_cache(recorder, "miss")
    await read(db, KEYS[50:60])
    assert block_cache(recorder, "miss") == misses
    await read(db, KEYS[:1])
    assert block_cache(recorder, "miss") > misses  # not warmed
    await db.shutdown()


async def test_ranges_that_hold_nothing_and_unknown_ssts_are_no_error(store):
    db = await open_db(store)
    sst = await one_sst(store, db)
    empty = [key_range(b"z", b"a"), key_range(b"a", b"a", start_inclusive=False)]
    await db.warm_sst(sst, [CacheTarget.DATA(range=r) for r in empty])
    await db.warm_sst(sst, [])
    await db.warm_sst(UNKNOWN, WHOLE)
    await db.evict_cached_sst(UNKNOWN)
    await db.warm_sst(SsTableId(value=sst.value.lower()), [CacheTarget.INDEX()])
    assert await db.flush_cache_to_disk() is None
    await db.shutdown()


async def test_after_shutdown(store):
    db = await open_db(store)
    sst = await one_sst(store, db)
    await db.shutdown()
    calls = (lambda: db.warm_sst(sst, []), db.flush_cache_to_disk, lambda: db.evict_cached_sst(sst))
    for call in calls:
        with pytest.raises(Error.Closed) as info:
            await call()
        assert info.value.reason is CloseReason.CLEAN
        assert info.value.message == "Closed error: db is closed"
    # Observed upstream: evicting an SST the database does not list is no error.
    assert await db.evict_cached_sst(UNKNOWN) is None
    with pytest.raises(Error.Invalid) as info:
        await db.evict_cached_sst(SsTableId(value="nope"))
    assert info.value.message == "invalid SST ULID: invalid length"


async def test_reader_warms_and_evicts_its_own_cache(store):
    db = await open_db(store)
    sst = await one_sst(store, db)
    recorder = DefaultMetricsRecorder()
    reader = await open_reader(store, configure=lambda b: b.with_metrics_recorder(recorder))
    await reader.warm_sst(sst, WHOLE)
    misses = block_cache(recorder, "miss")
    await read(reader, KEYS)
    assert block_cache(recorder, "miss") == misses
    await reader.evict_cached_sst(sst)
    await read(reader, KEYS[:10])
    assert block_cache(recorder, "miss") > misses
    with pytest.raises(Error.Invalid) as info:
        await reader.warm_sst(SsTableId(value="nope"), [])
    assert info.value.message == "invalid SST ULID: invalid length"
    assert await reader.flush_cache_to_disk() is None
    await reader.shutdown()
    with pytest.raises(Error.Closed):
        await reader.warm_sst(sst, [CacheTarget.INDEX()])
    with pytest.raises(Error.Closed):
        await reader.evict_cached_sst(sst)
    assert await reader.evict_cached_sst(UNKNOWN) is None
    await db.shutdown()


@ours_only
async def test_warmed_sst_reads_send_no_range_request(store):
    """On ours an SST is read with range requests only (manifests and WAL objects whole), so
    object_store/get_range counts exactly what reads of the SST cost."""
    from slatedb.uniffi import _db

    db = await open_db(store)
    sst = await one_sst(store, db)

    def range_reads():
        return _db._u.db_metrics(db._h)["object_store/get_range"]

    await db.evict_cached_sst(sst)
    before = range_reads()
    await read(db, KEYS)
    cold = range_reads() - before
    assert cold > len(KEYS) // 10  # the filter and index, then each block

    await db.evict_cached_sst(sst)
    await db.warm_sst(sst, WHOLE)
    warm_cost = range_reads() - before - cold
    before = range_reads()
    await read(db, KEYS)
    assert range_reads() == before
    assert warm_cost <= 3  # filter and index, then every block in one range read

    await db.evict_cached_sst(sst)
    await read(db, KEYS)
    assert range_reads() - before == cold
    await db.shutdown()
