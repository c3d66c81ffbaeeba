# SPDX-License-Identifier: Apache-2.0
"""Choosing a database's object store and loading settings files, as upstream does.

Store rule (a superset of upstream 0.8.2 and 0.11): an explicit ``url`` wins; otherwise, if an
``env_file`` is given or ``CLOUD_PROVIDER`` is set (after loading ``./.env`` if present), the
store comes from the environment; otherwise the handle gets a private in-memory store. What a
URL or CLOUD_PROVIDER selects is decided natively (slatedb/platform/store_selection.h), by the
same code the ``slatedb`` command line uses.
"""

from __future__ import annotations

import json
import os
import re
from typing import Any

from . import slatedb as _native

_SCHEME = re.compile(r"^([A-Za-z][A-Za-z0-9+.-]*)://(.*)$")


def _load_dotenv(path: str) -> None:
    """Exports KEY=VALUE lines of `path` without overriding existing variables."""
    try:
        with open(path, encoding="utf-8") as f:
            lines = f.read().splitlines()
    except FileNotFoundError:
        return
    for line in lines:
        line = line.strip()
        if not line or line.startswith("#") or "=" not in line:
            continue
        if line.startswith("export "):
            line = line[len("export "):]
        key, value = line.split("=", 1)
        key = key.strip()
        value = value.strip()
        if len(value) >= 2 and value[0] == value[-1] and value[0] in "\"'":
            value = value[1:-1]
        os.environ.setdefault(key, value)


def _join(root: str, path: str) -> str:
    return os.path.join(root, path.lstrip("/")) if path else root


def _local_split(full: str):
    """(store root, database path) for a database directory on the local filesystem: its
    parent directory and name (the shared rule, slatedb/platform/store_selection.h)."""
    return _native._split_local_dir(full)


def _from_url(url: str, path: str):
    return _native._open_store_url(url, path)


def _from_env(path: str):
    return _native._open_store_env(path)


def check_str(value: Any, name: str, optional: bool = True) -> None:
    """TypeError unless `value` is a str (or None, if `optional`), worded as upstream's
    binding words it."""
    if isinstance(value, str) or (optional and value is None):
        return
    raise TypeError(f"argument '{name}': '{type(value).__qualname__}' object cannot be "
                    f"converted to 'PyString'")


def select_store(path: Any, url: str | None, env_file: str | None):
    """Returns (native store, database path inside it)."""
    check_str(path, "path", optional=False)
    check_str(url, "url")
    check_str(env_file, "env_file")
    if url is not None:
        return _from_url(url, path)
    if env_file is not None:
        _load_dotenv(env_file)
        return _from_env(path)
    _load_dotenv(".env")
    if "CLOUD_PROVIDER" in os.environ:
        return _from_env(path)
    return _native._memory_store(), path.strip("/")


def _full_local_path(url: str | None, path: str) -> str | None:
    """The filesystem directory of `path` if the store chosen for it is local, else None.
    REQUIRES: select_store(path, url, ...) succeeded (the environment is loaded)."""
    if url is not None:
        match = _SCHEME.match(url)
        if match and match.group(1).lower() == "file":
            return _join(match.group(2) or "/", path)
        return None
    provider = os.environ.get("CLOUD_PROVIDER", "").lower()
    if provider == "local":
        return _join(os.environ.get("LOCAL_PATH", "/"), path)
    return None


def path_in_same_store(url: str | None, path: str, other: str) -> str:
    """Where database `other` lives inside the store chosen for `path` (for clones)."""
    if not isinstance(other, str):
        raise TypeError("parent_path must be a str")
    mine = _full_local_path(url, path)
    if mine is None:
        return other.strip("/")
    theirs = _full_local_path(url, other)
    my_root, _ = _local_split(mine)
    their_root, their_path = _local_split(theirs)
    if my_root != their_root or not their_path:
        raise _native.InvalidError(
            f"on a local store a clone must be in the same directory as its parent: "
            f"{other!r} is not next to {path!r}")
    return their_path


_DURATION = re.compile(r"(\d+)\s*(ms|s|m|h|d)?")
_UNIT_MS = {"ms": 1, "s": 1000, "m": 60_000, "h": 3_600_000, "d": 86_400_000, None: 1}


def _duration_ms(value: Any, key: str) -> int:
    """'100ms', '1s+500ms', '5s' or a number of milliseconds."""
    if isinstance(value, bool):
        raise _native.InvalidError(f"invalid configuration format: {key}")
    if isinstance(value, int):
        return value
    if not isinstance(value, str):
        raise _native.InvalidError(f"invalid configuration format: {key}")
    total = 0
    for part in value.replace(" ", "").split("+"):
        match = _DURATION.fullmatch(part)
        if match is None:
            raise _native.InvalidError(f"invalid configuration format: {key} = {value!r}")
        total += int(match.group(1)) * _UNIT_MS[match.group(2)]
    return total


# Upstream setting name -> (our name, converter). Upstream keys we accept but do not use
# (their components do not exist here, or are always on) map to None.
def _int(value: Any, key: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise _native.InvalidError(f"invalid configuration format: {key}")
    return value


_SETTINGS = {
    "flush_interval": ("flush_interval_ms", _duration_ms),
    "l0_sst_size_bytes": ("l0_sst_size_bytes", _int),
    "max_unflushed_bytes": ("max_unflushed_bytes", _int),
    "l0_max_ssts": ("l0_max_ssts", _int),
    "min_filter_keys": ("min_filter_keys", _int),
    "filter_bits_per_key": ("bloom_bits_per_key", _int),
    "default_ttl": ("default_ttl_ms", _int),
    "compression_codec": ("compression", None),
    "object_store_max_retries": ("object_store_max_retries", _int),
}
_ACCEPTED_UNUSED = {
    "wal_enabled", "manifest_poll_interval", "manifest_update_timeout", "compactor_options",
    "garbage_collector_options", "l0_max_ssts_per_key",
    "l0_flush_parallelism", "max_wal_flushes_before_l0_flush", "block_format", "metric_level",
}


def load_settings(kwargs: dict) -> dict:
    """Reads the `settings` keyword (a .json or .toml path) into the native settings dict."""
    path = kwargs.get("settings")
    if path is None:
        return {}
    if not isinstance(path, str):
        raise _native.InvalidError(f"TypeError: '{type(path).__qualname__}' object cannot be "
                                   f"converted to 'PyString'")
    lower = path.lower()
    try:
        if lower.endswith(".json"):
            with open(path, encoding="utf-8") as f:
                raw = json.load(f)
        elif lower.endswith(".toml"):
            try:
                import tomllib as toml  # Python 3.11+
            except ModuleNotFoundError:  # pragma: no cover - Python 3.10
                import tomli as toml
            with open(path, "rb") as f:
                raw = toml.load(f)
        else:
            raise _native.InvalidError(f"unknown configuration file format: {path}")
    except FileNotFoundError:
        raw = {}
    except (ValueError, OSError) as e:
        raise _native.InvalidError(f"invalid configuration format: {e}") from None
    if not isinstance(raw, dict):
        raise _native.InvalidError("invalid configuration format: expected a table/object")
    out = {}
    for key, value in raw.items():
        if key in _ACCEPTED_UNUSED:
            continue
        if key == "object_store_cache_options":
            cache = _cache_options(value)
            if cache is not None:
                out[_CACHE_KEY] = cache
            continue
        if key not in _SETTINGS:
            raise _native.InvalidError(f"invalid configuration format: unknown key {key!r}")
        name, convert = _SETTINGS[key]
        if value is None:
            continue
        if key == "compression_codec":
            codec = str(value).lower()
            if codec not in ("none", "snappy", "zlib", "lz4", "zstd"):
                raise _native.InvalidError(f"unsupported compression_codec: {value}")
            out[name] = codec
        else:
            out[name] = convert(value, key)
    return out


# object_store_cache_options (upstream 0.17's names, and 0.11.1's `cache_puts`): the persistent
# on-disk cache of SSTs (docs/caches.md). Only `root_folder` switches it on; the other upstream
# keys are accepted. 0.11.1 has one switch, `cache_puts`, for caching what is written; it sets
# both of 0.17's (cache_on_flush, cache_on_compaction).
_CACHE_KEY = "_object_store_cache"
_CACHE_DEFAULTS = {"max_cache_size_bytes": 16 << 30, "part_size_bytes": 4 << 20,
                   "cache_on_flush": False, "cache_on_compaction": False}
_CACHE_ACCEPTED_UNUSED = {"preload_disk_cache_on_startup", "scan_interval",
                          "max_open_file_handles"}


def _cache_options(value: Any):
    if value is None:
        return None
    if not isinstance(value, dict):
        raise _native.InvalidError("invalid configuration format: object_store_cache_options")
    out = dict(_CACHE_DEFAULTS)
    root = None
    for key, item in value.items():
        name = f"object_store_cache_options.{key}"
        if key == "root_folder":
            if item is not None and not isinstance(item, str):
                raise _native.InvalidError(f"invalid configuration format: {name}")
            root = item
        elif key in ("max_cache_size_bytes", "part_size_bytes"):
            if item is not None:
                out[key] = _int(item, name)
        elif key in ("cache_on_flush", "cache_on_compaction"):
            if not isinstance(item, bool):
                raise _native.InvalidError(f"invalid configuration format: {name}")
            out[key] = item
        elif key == "cache_puts":
            if not isinstance(item, bool):
                raise _native.InvalidError(f"invalid configuration format: {name}")
            out["cache_on_flush"] = out["cache_on_compaction"] = item
        elif key not in _CACHE_ACCEPTED_UNUSED:
            raise _native.InvalidError(f"invalid configuration format: unknown key {name!r}")
    if not root:
        return None
    out["root_folder"] = root
    return out


def apply_store_cache(store, settings: dict):
    """Wraps `store` in the persistent cache if the settings configure one (and removes that
    entry from `settings`, which then holds only engine settings)."""
    cache = settings.pop(_CACHE_KEY, None)
    if cache is None:
        return store
    return _native._cached_store(store, cache["root_folder"], cache["max_cache_size_bytes"],
                                 cache["part_size_bytes"], cache["cache_on_flush"],
                                 cache["cache_on_compaction"])
