# SPDX-License-Identifier: Apache-2.0
"""Shared DbCache objects (python-uniffi-api.md 3.4, 3.5 with_db_cache(db_cache, db_cache_id)):
databases and readers given one cache share it; db_cache_id keeps their entries apart (and
lets instances with the same id reuse them); moka lifetimes expire entries; split caches
work. Proven by each handle's data-block hits and misses (slatedb.db_cache.access_count)."""

import asyncio

import pytest

from conftest import flush_memtable, open_db, open_reader, ours_only
from slatedb.uniffi import (DbCache, DefaultMetricsRecorder, FoyerCacheOptions, MetricLabel,
                            MokaCacheOptions)

KEYS = [b"k%03d" % i for i in range(100)]


def value_of(key):
    return key * 250  # 1000 bytes: many data blocks


def moka(capacity, ttl=None, tti=None):
    return DbCache.new_moka_cache(MokaCacheOptions(max_capacity=capacity, time_to_live=ttl,
                                                   time_to_idle=tti))


def misses(recorder):
    metric = recorder.metric_by_name_and_labels(
        "slatedb.db_cache.access_count",
        [MetricLabel(key="entry_kind", value="data_block"), MetricLabel(key="result", value="miss")])
    return 0 if metric is None else metric.value[0]


async def read_misses(handle, recorder):
    """The data-block misses that reading every key costs `handle`."""
    before = misses(recorder)
    for key in KEYS:
        assert await handle.get(key) == value_of(key)
    return misses(recorder) - before


async def write_one_sst(db):
    for key in KEYS:
        await db.put(key, value_of(key))
    await flush_memtable(db)


def with_cache(cache, cache_id, recorder):
    def configure(builder):
        builder.with_db_cache(cache, cache_id)
        builder.with_metrics_recorder(recorder)
    return configure


@pytest.mark.asyncio
async def test_the_cache_id_isolates_entries_of_one_cache(store):
    cache = moka(64 << 20)
    rec = DefaultMetricsRecorder()
    db = await open_db(store, configure=with_cache(cache, 1, rec))
    await write_one_sst(db)
    await read_misses(db, rec)
    assert await read_misses(db, rec) == 0  # all cached

    # A reader with another id on the same database sees none of db's blocks.
    other_rec = DefaultMetricsRecorder()
    other = await open_reader(store, configure=with_cache(cache, 2, other_rec))
    assert await read_misses(other, other_rec) > len(KEYS) // 8
    assert await read_misses(other, other_rec) == 0  # now its own are cached
    await other.shutdown()
    await db.shutdown()


@pytest.mark.asyncio
async def test_one_cache_serves_several_databases(store):
    cache = moka(64 << 20)
    recs = [DefaultMetricsRecorder() for _ in range(3)]
    dbs = [await open_db(store, f"db-{i}", configure=with_cache(cache, 10 + i, recs[i]))
           for i in range(3)]
    for db in dbs:
        await write_one_sst(db)
    for db, rec in zip(dbs, recs):
        await read_misses(db, rec)
    for db, rec in zip(dbs, recs):
        assert await read_misses(db, rec) == 0
    for db in dbs:
        await db.shutdown()


@pytest.mark.asyncio
async def test_databases_sharing_a_cache_share_its_capacity(store):
    # Room for about one database's blocks (100 of ~1 KiB), not two.
    cache = DbCache.new_foyer_cache(FoyerCacheOptions(max_capacity=160 * 1024, shards=1))
    rec_a, rec_b = DefaultMetricsRecorder(), DefaultMetricsRecorder()
    a = await open_db(store, "a", configure=with_cache(cache, 1, rec_a))
    b = await open_db(store, "b", configure=with_cache(cache, 2, rec_b))
    await write_one_sst(a)
    await write_one_sst(b)
    await read_misses(a, rec_a)
    assert await read_misses(a, rec_a) == 0
    await read_misses(b, rec_b)
    await read_misses(b, rec_b)  # (how many of b's first blocks stay is the policy's choice)
    assert await read_misses(a, rec_a) > len(KEYS) // 8  # b's blocks pushed a's out
    await a.shutdown()
    await b.shutdown()


@pytest.mark.asyncio
async def test_the_same_id_reuses_entries_across_instances(store):
    cache = moka(64 << 20)
    rec = DefaultMetricsRecorder()
    db = await open_db(store, configure=with_cache(cache, 7, rec))
    await write_one_sst(db)
    await read_misses(db, rec)
    reader_rec = DefaultMetricsRecorder()
    reader = await open_reader(store, configure=with_cache(cache, 7, reader_rec))
    assert await read_misses(reader, reader_rec) == 0
    await reader.shutdown()
    await db.shutdown()


@pytest.mark.asyncio
async def test_time_to_live_expires_cached_blocks(store):
    rec = DefaultMetricsRecorder()
    db = await open_db(store, configure=with_cache(moka(64 << 20, ttl=300), 1, rec))
    await write_one_sst(db)
    await read_misses(db, rec)
    assert await read_misses(db, rec) == 0
    await asyncio.sleep(0.6)
    assert await read_misses(db, rec) > len(KEYS) // 8
    await db.shutdown()


@pytest.mark.asyncio
async def test_time_to_idle_expires_blocks_not_read(store):
    rec = DefaultMetricsRecorder()
    db = await open_db(store, configure=with_cache(moka(64 << 20, tti=1500), 1, rec))
    await write_one_sst(db)
    await read_misses(db, rec)
    assert await read_misses(db, rec) == 0
    await asyncio.sleep(3.0)
    assert await read_misses(db, rec) > len(KEYS) // 8
    await db.shutdown()


@pytest.mark.asyncio
async def test_split_cache_serves_reads(store):
    blocks, meta = moka(64 << 20), moka(8 << 20)
    split = DbCache.new_split_cache(blocks, meta)
    assert isinstance(split, DbCache)
    rec = DefaultMetricsRecorder()
    db = await open_db(store, configure=with_cache(split, 1, rec))
    await write_one_sst(db)
    await read_misses(db, rec)
    assert await read_misses(db, rec) == 0
    reader_rec = DefaultMetricsRecorder()
    reader = await open_reader(store, configure=with_cache(split, 2, reader_rec))
    assert await read_misses(reader, reader_rec) > len(KEYS) // 8
    await reader.shutdown()
    await db.shutdown()


@ours_only
@pytest.mark.asyncio
async def test_split_cache_puts_blocks_and_metadata_in_their_own_caches(store):
    blocks, meta = moka(64 << 20), moka(8 << 20)
    db = await open_db(store, configure=lambda b: b.with_db_cache(
        DbCache.new_split_cache(blocks, meta), 1))
    await write_one_sst(db)
    for key in KEYS:
        await db.get(key)
    assert meta._native.entry_count() == 1  # the SST's index and filter
    assert blocks._native.entry_count() >= len(KEYS) // 8
    await db.shutdown()


@pytest.mark.asyncio
async def test_a_disabled_cache_still_reads(store):
    rec = DefaultMetricsRecorder()

    def configure(builder):
        builder.with_db_cache(moka(64 << 20), 1)
        builder.with_db_cache_disabled()  # the last choice wins
        builder.with_metrics_recorder(rec)

    db = await open_db(store, configure=configure)
    await write_one_sst(db)
    await read_misses(db, rec)
    for key in KEYS:
        assert await db.get(key) == value_of(key)
    await db.shutdown()


def test_cache_factories_check_their_arguments():
    cache = moka(1 << 20)
    with pytest.raises(TypeError, match="Expected DbCache instance, int found"):
        DbCache.new_split_cache(cache, 1)
    with pytest.raises(TypeError, match="Expected DbCache instance, NoneType found"):
        DbCache.new_split_cache(None, cache)
    with pytest.raises(ValueError, match="u64 requires"):
        moka(1, ttl=-1)
    # Zero lifetimes, a zero capacity and a split of a split are accepted.
    assert isinstance(moka(1, ttl=0, tti=0), DbCache)
    assert isinstance(DbCache.new_foyer_cache(FoyerCacheOptions(max_capacity=0, shards=1)),
                      DbCache)
    assert isinstance(DbCache.new_split_cache(DbCache.new_split_cache(cache, cache), cache),
                      DbCache)
