# SPDX-License-Identifier: Apache-2.0
"""Choosing a database's object store, as upstream does.

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
    """Exports the variables of dotenv file `path` without overriding existing ones; a
    missing file is ignored, and so is everything from a malformed line on (as upstream).
    The parser is the core's (slatedb/platform/dotenv.h), shared with the S3 opener."""
    try:
        with open(path, encoding="utf-8") as f:
            text = f.read()
    except FileNotFoundError:
        return
    for key, value in _native._parse_dotenv(text).items():
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


_CACHE = "object_store_cache_options."


def apply_store_cache(store, settings):
    """Wraps `store` in the persistent on-disk cache (docs/caches.md) if the settings'
    object_store_cache_options name a root_folder. The settings table has checked each
    value's type; CachedObjectStore::Open checks how they relate (InvalidError)."""
    def get(name):
        return json.loads(settings.get(_CACHE + name))
    root = get("root_folder")
    if not root:
        return store
    return _native._cached_store(store, root, get("max_cache_size_bytes"),
                                 get("part_size_bytes"), get("cache_on_flush"),
                                 get("cache_on_compaction"))
