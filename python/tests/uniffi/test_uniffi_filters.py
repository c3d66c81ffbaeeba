# SPDX-License-Identifier: Apache-2.0
"""Filter policies (python-uniffi-api.md sections 3.4, 4.2): prefix bloom filters and several
policies per SST. A database written with them (several L0 SSTs, each over the whole key
range, so only filters can rule an SST out) answers gets, multi-key reads and prefix scans
exactly as a model says, through the writer, a snapshot, a transaction and readers whose
policies match all, some or none of the SSTs' filters. Runs against upstream's wheel too."""

import pytest

from conftest import drain, flush_memtable, key_range, open_db, open_reader
from slatedb.uniffi import (BloomFilterOptions, FilterPolicy, KeyRange, PrefixExtractor,
                            Settings)

GROUPS = [b"bbb", b"ccc", b"ddd", b"eee"]
PER_GROUP = 30


class Pe3(PrefixExtractor):
    """The first 3 bytes of keys and prefixes that have them."""

    def __init__(self, name="pe3"):
        self._name = name

    def name(self):
        return self._name

    def prefix_len(self, target):
        data = target.key if target.is_point() else target.prefix
        return 3 if len(data) >= 3 else None


def prefix_only(name="pe3"):
    return FilterPolicy.bloom_with_options(
        BloomFilterOptions(bits_per_key=10, whole_key_filtering=False), Pe3(name))


def prefix_and_whole(name="pe3"):
    return FilterPolicy.bloom_with_options(BloomFilterOptions(bits_per_key=10), Pe3(name))


def small_filters():
    settings = Settings.default()
    settings.set("min_filter_keys", "10")  # every L0 SST here gets its filters
    settings.set("l0_max_ssts", "64")
    settings.set("compactor_options", "null")  # the SSTs stay in L0, overlapping
    return settings


async def write_groups(store, policies):
    """One L0 SST per group, each also holding the edge keys aaaN and zzzN; the model."""
    def configure(builder):
        builder.with_settings(small_filters())
        builder.with_filter_policies(policies)

    db = await open_db(store, configure=configure)
    model = {}
    for n, group in enumerate(GROUPS):
        rows = {b"aaa%d" % n: b"edge", b"zzz%d" % n: b"edge"}
        for i in range(PER_GROUP):
            rows[group + b"%04d" % i] = b"v%d-%d" % (n, i)
        for key, value in rows.items():
            await db.put(key, value)
        if n == 1:
            await db.delete(GROUPS[0] + b"0003")  # a tombstone in a later SST
            rows[GROUPS[0] + b"0003"] = None
        await flush_memtable(db)
        model.update(rows)
    return db, {k: v for k, v in model.items() if v is not None}


async def check_reads(handle, model, can_multi_get=True):
    for key, value in sorted(model.items()):
        assert await handle.get(key) == value, key
    for key in [b"qqq0001", b"bbb9999", b"b", b"zzz9", GROUPS[0] + b"0003"]:
        assert await handle.get(key) is None, key
    everything = KeyRange(start=None, start_inclusive=False, end=None, end_inclusive=False)
    for prefix in GROUPS + [b"qqq", b"aa", b"", b"ccc001"]:
        rows = await drain(await handle.scan_prefix(prefix, everything))
        want = sorted((k, v) for k, v in model.items() if k.startswith(prefix))
        assert [(r.key, r.value) for r in rows] == want, prefix
    rows = await drain(await handle.scan_prefix(b"ddd", key_range(b"0010", b"0013")))
    assert [r.key for r in rows] == [b"ddd0010", b"ddd0011", b"ddd0012"]


@pytest.mark.asyncio
@pytest.mark.parametrize("policies", [
    [prefix_only()],
    [prefix_and_whole()],
    [prefix_only(), FilterPolicy.bloom(7)],
])
async def test_prefix_filters_read_back_exactly(store, policies):
    db, model = await write_groups(store, policies)
    await check_reads(db, model)
    snapshot = await db.snapshot()
    await check_reads(snapshot, model)
    await db.shutdown()

    def same(builder):
        builder.with_filter_policies(policies)

    reader = await open_reader(store, configure=same)
    await check_reads(reader, model)
    await reader.shutdown()


@pytest.mark.asyncio
async def test_readers_without_the_sst_filters_read_correctly(store):
    db, model = await write_groups(store, [prefix_only(), FilterPolicy.bloom(7)])
    await db.shutdown()
    # Another extractor's name, no policy at all, and only one of the two policies.
    for policies in ([prefix_only("other")], [], [FilterPolicy.bloom(10)], [prefix_only()]):
        reader = await open_reader(store, configure=lambda b, p=policies: b.with_filter_policies(p))
        await check_reads(reader, model)
        await reader.shutdown()
        writer = await open_db(store, configure=lambda b, p=policies: (
            b.with_settings(small_filters()), b.with_filter_policies(p)))
        await check_reads(writer, model)
        await writer.shutdown()
