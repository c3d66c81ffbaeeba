# SPDX-License-Identifier: Apache-2.0
"""SlateDB: an embedded key-value store on object storage (C++ core, upstream Python API)."""

from __future__ import annotations

import asyncio
import inspect

from . import slatedb as _native
from ._open import apply_store_cache, check_str, path_in_same_store, select_store
from ._seed_metrics import seed_metrics
from ._settings import load_settings
from .slatedb import (  # noqa: F401  (re-exported)
    ClosedError,
    CompactionSpec,
    DataError,
    DbIterator,
    InternalError,
    InvalidError,
    KeyValue,
    SlateDBCompactionRequest,
    SlateDBSnapshot,
    SlateDBTransaction,
    TransactionError,
    UnavailableError,
    WriteBatch,
    WriteHandle,
)

# The release version (the repository's VERSION file, compiled into the native module).
__version__: str = _native.__version__


def _check_merge_operator(merge_operator):
    if merge_operator is not None and not callable(merge_operator):
        raise InvalidError("merge_operator must be a callable (merge(key: bytes, existing: "
                           "Optional[bytes], value: bytes) -> bytes)")


class _ClosesOnExit:
    """`with handle:` closes the handle on the way out."""

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()
        return False


class SlateDB(_ClosesOnExit, _native._DbCore):
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
        store = apply_store_cache(store, settings)
        super().__init__(store, db_path, settings, merge_operator)
        self._store = store
        self._path = path

    def cache_stats(self):
        """Counters of the persistent object-store cache (object_store_cache_options), or {}
        without one: reads_hit, reads_missed, parts_fetched, bytes_served, used_bytes, ..."""
        return _native._cache_stats(self._store)

    @classmethod
    def open_async(cls, path, url=None, env_file=None, *, merge_operator=None, **kwargs):
        """Opens on a worker thread; returns an awaitable resolving to the handle."""
        _check_merge_operator(merge_operator)
        load_settings(kwargs)  # validate now, as upstream does
        loop = asyncio.get_running_loop()
        return loop.run_in_executor(
            None, lambda: cls(path, url, env_file, merge_operator=merge_operator, **kwargs))

    def metrics(self):
        """Upstream's stats, name -> current value (_seed_metrics.py)."""
        return seed_metrics(super().metrics())

    def __repr__(self):
        return f"SlateDB(path={self._path!r})"


class SlateDBReader(_ClosesOnExit, _native._ReaderCore):
    """A read-only handle on a database; never fences the writer.

    SlateDBReader(path, url=None, env_file=None, checkpoint_id=None, *, merge_operator=None,
                  manifest_poll_interval=None, checkpoint_lifetime=None, max_memtable_bytes=None)

    Without `checkpoint_id` the reader keeps its own checkpoint and follows the writer,
    polling every `manifest_poll_interval` ms (default 10 s); with one it reads exactly that
    checkpoint. Store selection as for SlateDB.
    """

    def __init__(self, path, url=None, env_file=None, checkpoint_id=None, *,
                 merge_operator=None, manifest_poll_interval=None, checkpoint_lifetime=None,
                 max_memtable_bytes=None):
        _check_merge_operator(merge_operator)
        check_str(checkpoint_id, "checkpoint_id")
        store, db_path = select_store(path, url, env_file)
        super().__init__(store, db_path, checkpoint_id, merge_operator, manifest_poll_interval,
                         checkpoint_lifetime, max_memtable_bytes)
        self._path = path

    @classmethod
    def open_async(cls, path, url=None, env_file=None, checkpoint_id=None, *,
                   merge_operator=None, manifest_poll_interval=None, checkpoint_lifetime=None,
                   max_memtable_bytes=None):
        """Opens on a worker thread; returns an awaitable resolving to the reader."""
        _check_merge_operator(merge_operator)
        store, db_path = select_store(path, url, env_file)  # resolved now, as upstream
        loop = asyncio.get_running_loop()

        def open_reader():
            reader = cls.__new__(cls)
            _native._ReaderCore.__init__(reader, store, db_path, checkpoint_id, merge_operator,
                                         manifest_poll_interval, checkpoint_lifetime,
                                         max_memtable_bytes)
            reader._path = path
            return reader

        return loop.run_in_executor(None, open_reader)

    def __repr__(self):
        return f"SlateDBReader(path={self._path!r})"


class SlateDBAdmin(_native._AdminCore):
    """Administration without a writer: manifests, checkpoints, GC, time mapping, clones,
    compaction requests.

    SlateDBAdmin(path, url=None, env_file=None, *, wal_url=None). Does no I/O when created.
    """

    def __init__(self, path, url=None, env_file=None, *, wal_url=None):
        check_str(wal_url, "wal_url")
        if wal_url is not None:
            raise InvalidError("wal_url is not supported: this build has no separate WAL store")
        store, db_path = select_store(path, url, env_file)
        super().__init__(store, db_path)
        self._path = path
        self._url = url

    def create_clone(self, parent_path, parent_checkpoint=None):
        """Creates a database at this admin's path as a clone of `parent_path` (same store)."""
        check_str(parent_path, "parent_path", optional=False)
        check_str(parent_checkpoint, "parent_checkpoint")
        parent = path_in_same_store(self._url, self._path, parent_path)
        return self._create_clone(parent, parent_checkpoint)

    def create_clone_async(self, parent_path, parent_checkpoint=None):
        check_str(parent_path, "parent_path", optional=False)
        check_str(parent_checkpoint, "parent_checkpoint")
        parent = path_in_same_store(self._url, self._path, parent_path)
        return self._create_clone_async(parent, parent_checkpoint)

    def __repr__(self):
        return f"SlateDBAdmin(path={self._path!r})"


__all__ = [
    "SlateDB",
    "SlateDBReader",
    "SlateDBAdmin",
    "SlateDBSnapshot",
    "SlateDBTransaction",
    "DbIterator",
    "WriteBatch",
    "WriteHandle",
    "KeyValue",
    "CompactionSpec",
    "SlateDBCompactionRequest",
    "TransactionError",
    "ClosedError",
    "UnavailableError",
    "InvalidError",
    "DataError",
    "InternalError",
]

del inspect
