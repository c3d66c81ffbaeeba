# SPDX-License-Identifier: Apache-2.0
"""Choosing a database's object store, as upstream does.

Store rule (a superset of upstream 0.8.2 and 0.11): an explicit ``url`` wins; otherwise, if an
``env_file`` is given or ``CLOUD_PROVIDER`` is set (after loading ``./.env`` if present), the
store comes from the environment; otherwise the handle gets a private in-memory store.
"""

from __future__ import annotations

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
    """(store root, database path) for a database directory on the local filesystem.

    The store is rooted at the database's parent directory, so databases that are siblings
    share one key namespace (a clone names its parent's SSTs by the parent's path). A
    database directly under / is its own root (no store temp files at the filesystem root).
    """
    full = os.path.normpath(full)
    parent, name = os.path.split(full)
    if not name or parent in ("", "/"):
        return full, ""
    os.makedirs(parent, exist_ok=True)
    return parent, name


def _local(full: str):
    root, path = _local_split(full)
    return _native._local_store(root), path


def _from_url(url: str, path: str):
    match = _SCHEME.match(url)
    if match is None:
        raise _native.InvalidError(f"invalid object store url: {url!r}")
    scheme, rest = match.group(1).lower(), match.group(2)
    if scheme == "memory":
        return _native._memory_store(), path.strip("/")
    if scheme == "file":
        if rest and not rest.startswith("/"):
            raise _native.InvalidError(f"file url must have an absolute path: {url!r}")
        return _local(_join(rest or "/", path))
    if scheme in ("s3", "s3a"):
        return _native._s3_store(url), path.strip("/")
    raise _native.UnavailableError(f"unsupported object store scheme: {scheme}")


def _from_env(path: str):
    provider = os.environ.get("CLOUD_PROVIDER")
    if provider is None:
        raise _native.InvalidError("undefined environment variable CLOUD_PROVIDER")
    provider = provider.lower()
    if provider == "local":
        root = os.environ.get("LOCAL_PATH")
        if not root:
            raise _native.InvalidError("undefined environment variable LOCAL_PATH")
        return _local(_join(root, path))
    if provider == "memory":
        return _native._memory_store(), path.strip("/")
    if provider == "aws":
        return _native._s3_store_from_env(), path.strip("/")
    raise _native.InvalidError(f"unsupported CLOUD_PROVIDER: {provider}")


def select_store(path: Any, url: str | None, env_file: str | None):
    """Returns (native store, database path inside it)."""
    if not isinstance(path, str):
        raise TypeError("path must be a str")
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
