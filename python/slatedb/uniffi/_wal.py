# SPDX-License-Identifier: Apache-2.0
"""SlateDbWalReader and SlateDbWalIterator (python-uniffi-api.md section 3.16): change data
capture from a database's WAL files, over the core's WalReader (slatedb/wal_reader.h). The
core answers "nothing newer yet" at once; the wait at the tail is here, on the event loop,
so cancelling a pending next() leaves nothing running in the engine."""

from __future__ import annotations

import asyncio

from .. import slatedb as _native
from . import _convert as cv
from ._db import _finish
from ._protocols import SlateDbWalIteratorProtocol, SlateDbWalReaderProtocol
from ._store import ObjectStore
from ._values import RowEntry, RowEntryKind, SlateDbWalReaderOptions, WalRows

_u = _native._uniffi

# How often a next() at the tail looks for a new WAL file (one read and one listing each).
_TAIL_POLL_SECONDS = 0.1
_KINDS = (RowEntryKind.VALUE, RowEntryKind.TOMBSTONE, RowEntryKind.MERGE)


def _no_constructor(self, *args, **kwargs):
    raise ValueError("This class has no default constructor")


def _check_options(options) -> None:
    cv.integer(options.max_buffered_bytes, "u64")
    cv.integer(options.max_fetch_tasks, "u64")
    cv.integer(options.read_ahead_bytes, "u64")


class SlateDbWalReader(SlateDbWalReaderProtocol):
    """Reads the WAL files of the database at `path`, in order, following new ones."""

    def __init__(self, path: str, object_store: ObjectStore):
        self._path = cv.string(path)
        self._store = cv.instance(object_store, ObjectStore)
        self._wal_store = None
        self._options = SlateDbWalReaderOptions()

    @classmethod
    def with_options(cls, path: str, object_store: ObjectStore,
                     options: SlateDbWalReaderOptions) -> "SlateDbWalReader":
        reader = cls(path, object_store)
        _check_options(options)
        reader._options = options
        return reader

    @classmethod
    def with_wal_object_store(cls, path: str, object_store: ObjectStore,
                              wal_object_store: ObjectStore) -> "SlateDbWalReader":
        reader = cls(path, object_store)
        reader._wal_store = cv.instance(wal_object_store, ObjectStore)
        return reader

    @classmethod
    def with_wal_object_store_and_options(cls, path: str, object_store: ObjectStore,
                                          wal_object_store: ObjectStore,
                                          options: SlateDbWalReaderOptions) -> "SlateDbWalReader":
        reader = cls.with_wal_object_store(path, object_store, wal_object_store)
        _check_options(options)
        reader._options = options
        return reader

    def _native(self):
        native = getattr(self, "_h", None)
        if native is None:
            handle, path = self._store._bind(self._path)
            wal = self._wal_store._bind(self._path)[0] if self._wal_store is not None else None
            native = self._h = _u.wal_reader_create(handle, path, wal)
        return native

    async def last_wal_file_id(self, replay_after_wal_id: int) -> int:
        cv.integer(replay_after_wal_id, "u64")
        return await _finish(_u.wal_reader_last_id(self._native(), replay_after_wal_id))

    async def iterator(self, start_wal_file_id: int) -> "SlateDbWalIterator":
        cv.integer(start_wal_file_id, "u64")
        return SlateDbWalIterator._make(_u.wal_reader_iterator(self._native(), start_wal_file_id))


class SlateDbWalIterator(SlateDbWalIteratorProtocol):
    """Yields the rows of one WAL file per next() call, waiting for new files at the end."""

    __init__ = _no_constructor

    @classmethod
    def _make(cls, native):
        it = object.__new__(cls)
        it._h = native
        it._lock = asyncio.Lock()
        return it

    async def next(self):
        """The rows of the next WAL file; at the tail, waits until the writer adds one."""
        async with self._lock:  # the core iterator takes one call at a time
            while True:
                got = await _finish(_u.wal_iterator_try_next(self._h))
                if got is not None:
                    file_id, rows = got
                    return WalRows(rows=[RowEntry(kind=_KINDS[k], key=key, value=value, seq=seq,
                                                  create_ts=create, expire_ts=expire)
                                         for k, key, value, seq, create, expire in rows],
                                   last_consumed_wal_file_id=file_id)
                await asyncio.sleep(_TAIL_POLL_SECONDS)
