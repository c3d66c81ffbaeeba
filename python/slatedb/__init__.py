# SPDX-License-Identifier: Apache-2.0
"""SlateDB: an embedded key-value store on object storage (C++ core, upstream Python API)."""

from __future__ import annotations

import asyncio
import inspect

from . import slatedb as _native
from ._open import load_settings, select_store
from .slatedb import (  # noqa: F401  (re-exported)
    ClosedError,
    DataError,
    DbIterator,
    InternalError,
    InvalidError,
    SlateDBSnapshot,
    SlateDBTransaction,
    TransactionError,
    UnavailableError,
    WriteBatch,
    WriteHandle,
)

__version__ = "0.1.0"


def _check_merge_operator(merge_operator):
    if merge_operator is not None and not callable(merge_operator):
        raise InvalidError(
            f"merge_operator must be a callable (key, existing, value) -> bytes, "
            f"got {type(merge_operator).__name__}")


class SlateDB(_native._DbCore):
    """A read-write handle on one database.

    SlateDB(path, url=None, env_file=None, *, merge_operator=None, settings=None)

    `path` is the database's location inside the object store. The store is `url` if given
    ("memory:///", "file:///abs/dir"); else the environment (`env_file`, or ./.env, with
    CLOUD_PROVIDER=local|memory); else a private in-memory store.
    """

    def __init__(self, path, url=None, env_file=None, *, merge_operator=None, **kwargs):
        _check_merge_operator(merge_operator)
        settings = load_settings(kwargs)
        store, db_path = select_store(path, url, env_file)
        super().__init__(store, db_path, settings, merge_operator)
        self._path = path

    @classmethod
    def open_async(cls, path, url=None, env_file=None, *, merge_operator=None, **kwargs):
        """Opens on a worker thread; returns an awaitable resolving to the handle."""
        _check_merge_operator(merge_operator)
        load_settings(kwargs)  # validate now, as upstream does
        loop = asyncio.get_running_loop()
        return loop.run_in_executor(
            None, lambda: cls(path, url, env_file, merge_operator=merge_operator, **kwargs))

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()
        return False

    def __repr__(self):
        return f"SlateDB(path={self._path!r})"


__all__ = [
    "SlateDB",
    "SlateDBSnapshot",
    "SlateDBTransaction",
    "DbIterator",
    "WriteBatch",
    "WriteHandle",
    "TransactionError",
    "ClosedError",
    "UnavailableError",
    "InvalidError",
    "DataError",
    "InternalError",
]

del inspect
