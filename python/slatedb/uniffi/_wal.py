# SPDX-License-Identifier: Apache-2.0
"""SlateDbWalReader and SlateDbWalIterator (python-uniffi-api.md section 3.16): change data
capture from a database's WAL files. The readers are built and checked here; reading needs
the engine's WAL reader, which this build does not have yet."""

from __future__ import annotations

from . import _convert as cv
from ._errors import unsupported
from ._protocols import SlateDbWalIteratorProtocol, SlateDbWalReaderProtocol
from ._store import ObjectStore
from ._values import SlateDbWalReaderOptions

_WAL_READER = "the WAL reader (SlateDbWalReader)"


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

    async def last_wal_file_id(self, replay_after_wal_id: int) -> int:
        cv.integer(replay_after_wal_id, "u64")
        raise unsupported(_WAL_READER)

    async def iterator(self, start_wal_file_id: int) -> "SlateDbWalIterator":
        cv.integer(start_wal_file_id, "u64")
        raise unsupported(_WAL_READER)


class SlateDbWalIterator(SlateDbWalIteratorProtocol):
    """Yields the rows of one WAL file per next() call, waiting for new files at the end."""

    __init__ = _no_constructor

    async def next(self):
        raise unsupported(_WAL_READER)
