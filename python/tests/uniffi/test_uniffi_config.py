# SPDX-License-Identifier: Apache-2.0
"""Settings, DbCache, FilterPolicy and the DbBuilder options (python-uniffi-api.md sections
3.3-3.5)."""

import pytest

from conftest import flush_memtable, needs_core, open_db
from slatedb.uniffi import (BloomFilterOptions, DbBuilder, DbCache, Error, FilterPolicy,
                            FoyerCacheOptions, InternalError, MokaCacheOptions, PrefixExtractor, Settings,
                            SstBlockSize)


class Pe3(PrefixExtractor):
    def name(self):
        return "pe3"

    def prefix_len(self, target):
        return 3


def moka(capacity):
    return DbCache.new_moka_cache(MokaCacheOptions(max_capacity=capacity, time_to_live=None,
                                                   time_to_idle=None))


def test_filter_policy_names():
    assert FilterPolicy.bloom(10).name() == "_bf"
    assert FilterPolicy.bloom_with_options(
        BloomFilterOptions(bits_per_key=10, whole_key_filtering=False), None).name() == "_bf:wh=0"
    assert FilterPolicy.bloom_with_options(BloomFilterOptions(bits_per_key=10),
                                           Pe3()).name() == "_bf:p=pe3"


def test_caches():
    assert isinstance(moka(1 << 20), DbCache)
    assert isinstance(DbCache.new_foyer_cache(FoyerCacheOptions(max_capacity=1 << 20, shards=4)),
                      DbCache)
    # Upstream panics inside the cache (InternalError); this build reports Error.Invalid.
    with pytest.raises((Error.Invalid, InternalError), match="shards must be greater than zero"):
        DbCache.new_foyer_cache(FoyerCacheOptions(max_capacity=1, shards=0))


@pytest.mark.asyncio
async def test_builder_options_open_a_working_db(store):
    def configure(builder):
        builder.with_filter_policies([FilterPolicy.bloom(5)])
        builder.with_db_cache(moka(1 << 20), 1)
        builder.with_sst_block_size(SstBlockSize.BLOCK1_KIB)

    db = await open_db(store, configure=configure)
    for i in range(2000):
        await db.put(b"k%05d" % i, b"v" * 50)
    await flush_memtable(db)
    assert await db.get(b"k01234") == b"v" * 50
    await db.shutdown()
    nothing = await open_db(store, configure=lambda b: (b.with_filter_policies([]),
                                                       b.with_db_cache_disabled()))
    assert await nothing.get(b"k00001") == b"v" * 50
    await nothing.shutdown()


@pytest.mark.asyncio
async def test_builder_is_single_use(store):
    builder = DbBuilder("single", store)
    db = await builder.build()
    with pytest.raises(Error.Invalid) as info:
        await builder.build()
    assert info.value.message == "builder has already been consumed"
    with pytest.raises(Error.Invalid, match="builder has already been consumed"):
        builder.with_db_cache_disabled()
    await db.shutdown()


@needs_core("the settings table (Settings)")
def test_settings_defaults():
    text = Settings.default().to_json_string()
    assert '"flush_interval":"100ms"' in text


@needs_core("the settings table (Settings)")
def test_settings_set():
    settings = Settings.default()
    settings.set("flush_interval", '"250ms"')
    assert '"flush_interval":"250ms"' in settings.to_json_string()
    with pytest.raises(Error.Invalid, match="value_json is not valid JSON"):
        settings.set("flush_interval", "250ms")


@needs_core("the settings table (Settings)")
def test_settings_from_json():
    with pytest.raises(Error.Invalid, match="missing field `flush_interval`"):
        Settings.from_json_string("{}")


@needs_core("prefix bloom filters")
def test_prefix_filters(store):
    policy = FilterPolicy.bloom_with_options(BloomFilterOptions(bits_per_key=10), Pe3())
    DbBuilder("p", store).with_filter_policies([policy])
