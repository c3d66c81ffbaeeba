# SPDX-License-Identifier: Apache-2.0
"""Settings, DbCache, FilterPolicy and the DbBuilder options (python-uniffi-api.md sections
3.3-3.5)."""

import json

import pytest

from conftest import flush_memtable, open_db, ours_only
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
    # The extractor's part comes first (as upstream composes it).
    assert FilterPolicy.bloom_with_options(
        BloomFilterOptions(bits_per_key=10, whole_key_filtering=False),
        Pe3()).name() == "_bf:p=pe3:wh=0"


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


def test_settings_defaults():
    text = Settings.default().to_json_string()
    assert '"flush_interval":"100ms"' in text


def test_settings_set():
    settings = Settings.default()
    settings.set("flush_interval", '"250ms"')
    assert '"flush_interval":"250ms"' in settings.to_json_string()
    with pytest.raises(Error.Invalid, match="value_json is not valid JSON"):
        settings.set("flush_interval", "250ms")


def test_settings_from_json():
    with pytest.raises(Error.Invalid, match="missing field `flush_interval`"):
        Settings.from_json_string("{}")


def test_settings_set_leaves_unknown_names_and_refused_values_alone():
    settings = Settings.default()
    before = settings.to_json_string()
    settings.set("no_such_setting", "1")  # ignored, as upstream
    assert settings.to_json_string() == before
    with pytest.raises(Error.Invalid, match="settings update produced invalid settings"):
        settings.set("flush_interval", "250")  # a duration is a string
    assert settings.to_json_string() == before
    settings.set("compactor_options.poll_interval", '"7s"')
    assert json.loads(settings.to_json_string())["compactor_options"]["poll_interval"] == "7s"


def test_settings_documents_round_trip(tmp_path):
    text = Settings.default().to_json_string()
    assert Settings.from_json_string(text).to_json_string() == text
    partial = tmp_path / "partial.json"
    partial.write_text('{"flush_interval": "5s"}')
    loaded = json.loads(Settings.from_file(str(partial)).to_json_string())
    assert loaded["flush_interval"] == "5s"
    assert loaded["l0_sst_size_bytes"] == json.loads(text)["l0_sst_size_bytes"]
    missing = Settings.from_file(str(tmp_path / "absent.json")).to_json_string()
    assert missing == text
    with pytest.raises(Error.Invalid, match="unknown configuration file format"):
        Settings.from_file(str(tmp_path / "settings.txt"))


def test_settings_from_env(monkeypatch):
    monkeypatch.setenv("XQT_FLUSH_INTERVAL", "123ms")
    assert json.loads(Settings.from_env("XQT_").to_json_string())["flush_interval"] == "123ms"
    base = Settings.default()
    base.set("l0_sst_size_bytes", "2097152")
    merged = json.loads(Settings.from_env_with_default("XQT_", base).to_json_string())
    assert merged["flush_interval"] == "123ms" and merged["l0_sst_size_bytes"] == 2097152
    monkeypatch.setenv("XQT_L0_SST_SIZE_BYTES", "abc")
    with pytest.raises(Error.Invalid, match="L0_SST_SIZE_BYTES"):
        Settings.from_env("XQT_")


@pytest.mark.asyncio
async def test_with_settings_reaches_the_engine(store):
    # A default TTL of 0 makes every write that does not name its own TTL expire at once:
    # its row carries expire_ts == create_ts, and the memtable flush drops it (reads do not
    # hide expired rows, as upstream 0.17's do not).
    settings = Settings.default()
    settings.set("default_ttl_millis", "0")
    db = await open_db(store, "ttl0", lambda b: b.with_settings(settings))
    settings.set("default_ttl_millis", "null")  # the builder took its own copy
    handle = await db.put(b"k", b"v")
    row = await db.get_key_value(b"k")
    assert row.expire_ts == row.create_ts == handle.create_ts()
    await flush_memtable(db)
    assert await db.get(b"k") is None
    await db.shutdown()


@ours_only
def test_settings_refuse_what_this_engine_cannot_do():
    settings = Settings.default()
    with pytest.raises(Error.Invalid, match="settings update produced invalid settings"):
        settings.set("wal_enabled", "false")

