# SPDX-License-Identifier: Apache-2.0
"""Settings, DbCache and FilterPolicy (python-uniffi-api.md sections 3.3, 3.4).

A DbCache's capacity becomes the block cache size of each database or reader built with it;
this build's engine keeps one block cache per database, so two databases given the same
DbCache each get a cache of that size (they do not share one budget yet). A FilterPolicy is
one of the engine's filter policies (a bloom filter over whole keys and/or key prefixes).
Settings are the core's settings table (JSON/TOML/YAML files, the environment, dotted-path
updates), as the seed API reads them.
"""

from __future__ import annotations

import json as _json

from .. import _settings as _seed_settings
from .. import slatedb as _native
from . import _convert as cv
from ._callbacks import PrefixExtractor, check_callback
from ._errors import Error, unsupported
from ._protocols import DbCacheProtocol, FilterPolicyProtocol, SettingsProtocol
from ._values import BloomFilterOptions, FoyerCacheOptions, MokaCacheOptions, SstBlockSize


def _no_constructor(self, *args, **kwargs):
    raise ValueError("This class has no default constructor")


def _engine_invalid(error: Exception) -> Error:
    """A settings failure of the core as upstream's loaders word it ("Invalid error: ...")."""
    return Error.Invalid(f"Invalid error: {error}")


class Settings(SettingsProtocol):
    """The database settings document used by DbBuilder.with_settings.

    Holds the core's settings (the settings table, slatedb/settings.h, shared with the seed
    API, JavaScript and the command line): names, types, defaults and refusals are the
    core's; files are read as the seed API reads them (slatedb/_settings.py).
    """

    __init__ = _no_constructor

    @classmethod
    def _wrap(cls, native) -> "Settings":
        settings = object.__new__(cls)
        settings._settings = native
        return settings

    @classmethod
    def default(cls) -> "Settings":
        return cls._wrap(_native._Settings())

    @classmethod
    def from_file(cls, path: str) -> "Settings":
        path = cv.string(path)
        try:
            return cls._wrap(_seed_settings.from_file(path))
        except _native.InvalidError as e:
            raise _engine_invalid(e) from None

    @classmethod
    def from_json_string(cls, json: str) -> "Settings":
        text = cv.string(json)
        native = _native._Settings()
        try:
            native.merge_json(text, "", True)  # upstream requires every field
        except _native.InvalidError as e:
            raise Error.Invalid(str(e)) from None
        return cls._wrap(native)

    @classmethod
    def from_env(cls, prefix: str) -> "Settings":
        prefix = cv.string(prefix)
        try:
            return cls._wrap(_seed_settings.from_env(prefix))
        except _native.InvalidError as e:
            raise _engine_invalid(e) from None

    @classmethod
    def from_env_with_default(cls, prefix: str, default_settings: "Settings") -> "Settings":
        prefix = cv.string(prefix)
        base = cv.instance(default_settings, Settings)
        try:
            return cls._wrap(_seed_settings.from_env(prefix, base._settings))
        except _native.InvalidError as e:
            raise _engine_invalid(e) from None

    @classmethod
    def load(cls) -> "Settings":
        try:
            return cls._wrap(_seed_settings.load())
        except _native.InvalidError as e:
            raise _engine_invalid(e) from None

    def set(self, key: str, value_json: str) -> None:
        """Sets one setting by its dotted name; as upstream, a name that is no setting is
        ignored, and a refused value leaves the settings unchanged."""
        key = cv.string(key)
        value_json = cv.string(value_json)
        try:
            _json.loads(value_json)
        except ValueError as e:
            raise Error.Invalid(f"value_json is not valid JSON: {e}") from None
        if _native._setting_name(key) is None:
            return
        try:
            self._settings.set(key, value_json)
        except _native.InvalidError as e:
            raise Error.Invalid(f"settings update produced invalid settings: {e}") from None

    def to_json_string(self) -> str:
        return self._settings.to_json()

    def _native(self):
        """A copy of the core's settings (a DbBuilder keeps what it was given)."""
        return self._settings.copy()


# Shards of a cache made by new_moka_cache (moka has none; the core's cache locks per shard).
_MOKA_SHARDS = 16
# The core splits a cache's budget evenly among its shards, one table each: more than this
# many (foyer accepts any u64) would only make tiny shards.
_MAX_SHARDS = 1024


class DbCache(DbCacheProtocol):
    """A cache of SST blocks and metadata that several databases and readers may share
    (DbBuilder.with_db_cache / DbReaderBuilder.with_db_cache): they share its capacity, and
    their db_cache_id keeps their entries apart."""

    __init__ = _no_constructor

    @classmethod
    def _make(cls, native) -> "DbCache":
        cache = object.__new__(cls)
        cache._native = native  # the core's DbCache (slatedb/db_cache.h)
        return cache

    @classmethod
    def new_moka_cache(cls, options: MokaCacheOptions) -> "DbCache":
        capacity = cv.integer(options.max_capacity, "u64")
        ttl = cv.optional_integer(options.time_to_live, "u64")  # milliseconds, as upstream
        tti = cv.optional_integer(options.time_to_idle, "u64")
        return cls._make(_native._uniffi.cache_new(capacity, ttl, tti, _MOKA_SHARDS))

    @classmethod
    def new_foyer_cache(cls, options: FoyerCacheOptions) -> "DbCache":
        capacity = cv.integer(options.max_capacity, "u64")
        shards = cv.integer(options.shards, "u64")
        if shards == 0:
            raise Error.Invalid("shards must be greater than zero.")
        return cls._make(
            _native._uniffi.cache_new(capacity, None, None, min(shards, _MAX_SHARDS)))

    @classmethod
    def new_split_cache(cls, block_cache: "DbCache", meta_cache: "DbCache") -> "DbCache":
        blocks = cv.instance(block_cache, DbCache)
        meta = cv.instance(meta_cache, DbCache)
        return cls._make(_native._uniffi.cache_split(blocks._native, meta._native))


def cache_choice(db_cache, db_cache_id) -> tuple:
    """with_db_cache's arguments, checked, as a builder keeps them."""
    cache = cv.instance(db_cache, DbCache)
    return cache, cv.integer(db_cache_id, "u64")


def cache_open_args(choice) -> tuple:
    """What db_open / reader_open take for a builder's cache choice: (own block cache bytes
    or None for the default, shared native cache or None, cache id or None). `choice` is
    None (the default cache), False (with_db_cache_disabled) or cache_choice's pair."""
    if choice is None:
        return None, None, None
    if choice is False:
        return 0, None, None
    cache, cache_id = choice
    return None, cache._native, cache_id


class FilterPolicy(FilterPolicyProtocol):
    """A filter kept in every SST: a bloom filter over whole keys, key prefixes, or both."""

    __init__ = _no_constructor

    @classmethod
    def _make(cls, bits: int, whole_keys: bool, extractor) -> "FilterPolicy":
        policy = object.__new__(cls)
        policy._bits = bits
        policy._whole_keys = whole_keys
        policy._extractor = extractor
        return policy

    @classmethod
    def bloom(cls, bits_per_key: int) -> "FilterPolicy":
        return cls._make(cv.integer(bits_per_key, "u32"), True, None)

    @classmethod
    def bloom_with_options(cls, options: BloomFilterOptions, prefix_extractor) -> "FilterPolicy":
        bits = cv.integer(options.bits_per_key, "u32")
        whole_keys = cv.boolean(options.whole_key_filtering)
        if prefix_extractor is not None:
            check_callback(prefix_extractor, PrefixExtractor)
        return cls._make(bits, whole_keys, prefix_extractor)

    def name(self) -> str:
        # Upstream's order: the extractor's part, then the whole-key part ("_bf:p=x:wh=0").
        name = "_bf"
        if self._extractor is not None:
            name += f":p={self._extractor.name()}"
        if not self._whole_keys:
            name += ":wh=0"
        return name


def filter_specs(policies, extractor_adapter) -> list:
    """The engine's filter policies for a list of FilterPolicy (checked when configured):
    (bits_per_key, whole_key_filtering, extractor) each, the extractor as
    `extractor_adapter` makes it for the engine (None without one)."""
    return [(p._bits, p._whole_keys,
             extractor_adapter(p._extractor) if p._extractor is not None else None)
            for p in policies]


def block_size_bytes(size: SstBlockSize) -> int:
    """BLOCK1_KIB .. BLOCK64_KIB in bytes."""
    return 1024 << size.value
