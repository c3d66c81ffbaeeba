# SPDX-License-Identifier: Apache-2.0
"""DbReaderBuilder and DbReader (python-uniffi-api.md section 3.13)."""

from __future__ import annotations

import asyncio

from .. import slatedb as _native
from . import _convert as cv
from . import _logging
from ._callbacks import MergeOperator, MetricsRecorder, PrefixExtractor, check_callback
from ._config import DbCache, FilterPolicy, cache_choice, cache_open_args, filter_specs
from ._db import DbIterator, _finish, _scan, _scan_options, cache_call, merge_adapter
from ._db import segment_adapter, wal_handle
from ._metrics import MetricsBridge
from ._errors import Error, unsupported
from ._ids import parse_uuid
from ._protocols import DbReaderBuilderProtocol, DbReaderProtocol
from ._store import ObjectStore
from ._values import CloseReason, DbStatus, ReaderMode, ReaderOptions, SegmentPrefix

_u = _native._uniffi
_Future = asyncio.Future
_MEMORY = 1


def _no_constructor(self, *args, **kwargs):
    raise ValueError("This class has no default constructor")


class DbReaderBuilder(DbReaderBuilderProtocol):
    """Opens a read-only view of the database at `path`; single use."""

    def __init__(self, path: str, object_store: ObjectStore):
        self._path = cv.string(path)
        self._store = cv.instance(object_store, ObjectStore)
        self._options = None
        self._mode = 0
        self._checkpoint = None
        self._merge = None
        self._segments = None
        self._cache = None
        self._filters = None
        self._wal_store = None
        self._recorder = None
        self._consumed = False

    def _use(self):
        if self._consumed:
            raise Error.Invalid("builder has already been consumed")

    def with_options(self, options: ReaderOptions) -> None:
        self._use()
        values = (cv.integer(options.manifest_poll_interval_ms, "u64"),
                  cv.integer(options.checkpoint_lifetime_ms, "u64"),
                  cv.integer(options.max_memtable_bytes, "u64"),
                  cv.boolean(options.skip_wal_replay),
                  cv.optional_integer(options.object_store_max_retries, "u32"))
        self._options = values

    def with_reader_mode(self, mode: ReaderMode) -> None:
        self._use()
        if mode.is_CHECKPOINT():
            self._checkpoint = parse_uuid(cv.string(mode[0]), "invalid checkpoint_id UUID")
            self._mode = 1
        elif mode.is_FOLLOW_LATEST():
            self._checkpoint, self._mode = None, 2
        elif mode.is_MANAGED_CHECKPOINT():
            self._checkpoint, self._mode = None, 0
        else:
            raise ValueError(str(mode))

    def with_merge_operator(self, merge_operator: MergeOperator) -> None:
        self._use()
        self._merge = check_callback(merge_operator, MergeOperator)

    def with_metrics_recorder(self, metrics_recorder: MetricsRecorder) -> None:
        self._use()
        self._recorder = check_callback(metrics_recorder, MetricsRecorder)

    def with_segment_extractor(self, extractor: PrefixExtractor) -> None:
        self._use()
        self._segments = check_callback(extractor, PrefixExtractor)

    def with_filter_policies(self, policies) -> None:
        self._use()
        self._filters = [cv.instance(p, FilterPolicy) for p in policies]

    def with_db_cache(self, db_cache: DbCache, db_cache_id: int) -> None:
        self._use()
        self._cache = cache_choice(db_cache, db_cache_id)

    def with_db_cache_disabled(self) -> None:
        self._use()
        self._cache = False

    def with_wal_object_store(self, wal_object_store: ObjectStore) -> None:
        self._use()
        self._wal_store = cv.instance(wal_object_store, ObjectStore)

    async def build(self) -> "DbReader":
        self._use()
        self._consumed = True
        handle, path = self._store._bind(self._path)
        poll = lifetime = max_bytes = retries = None
        skip_wal = False
        if self._options is not None:
            poll, lifetime, max_bytes, skip_wal, retries = self._options
        merge = merge_adapter(self._merge) if self._merge is not None else None
        segments = segment_adapter(self._segments) if self._segments is not None else None
        filters = (filter_specs(self._filters, segment_adapter)
                   if self._filters is not None else None)
        own_bytes, shared, cache_id = cache_open_args(self._cache)
        r = _u.reader_open(handle, path, self._mode, self._checkpoint, poll, lifetime, max_bytes,
                           skip_wal, retries, merge, own_bytes,
                           wal_handle(self._wal_store, self._path), segments, filters, shared,
                           cache_id)
        if r.__class__ is _Future:
            r = await r
        _logging.info("slatedb::db_reader", f"opened SlateDB reader [path={self._path}]")
        return DbReader._make(r, self._recorder)


class DbReader(DbReaderProtocol):
    """A read-only handle on a database; never fences the writer."""

    __init__ = _no_constructor

    @classmethod
    def _make(cls, native, recorder=None):
        reader = object.__new__(cls)
        reader._h = native
        reader._metrics = MetricsBridge.attach(recorder, native, _u.reader_metrics, "reader")
        return reader

    async def get(self, key: bytes):
        k = cv.key(key)
        return await _finish(_u.reader_get(self._h, k, _MEMORY, False))

    async def get_with_options(self, key: bytes, options):
        k = cv.key(key)
        durability, dirty = cv.read_options(options)
        return await _finish(_u.reader_get(self._h, k, durability, dirty))

    async def get_key_value(self, key: bytes):
        k = cv.key(key)
        return await _finish(_u.reader_get_key_value(self._h, k, _MEMORY, False))

    async def get_key_value_with_options(self, key: bytes, options):
        k = cv.key(key)
        durability, dirty = cv.read_options(options)
        return await _finish(_u.reader_get_key_value(self._h, k, durability, dirty))

    async def scan(self, range) -> DbIterator:
        return await _scan(_u.reader_scan, self._h, range, None, _MEMORY, False)

    async def scan_with_options(self, range, options) -> DbIterator:
        durability, dirty, order = _scan_options(options)
        return await _scan(_u.reader_scan, self._h, range, None, durability, dirty, order)

    async def scan_prefix(self, prefix: bytes, subrange) -> DbIterator:
        p = cv.as_bytes(prefix)
        return await _scan(_u.reader_scan, self._h, subrange, p, _MEMORY, False)

    async def scan_prefix_with_options(self, prefix: bytes, subrange, options) -> DbIterator:
        p = cv.as_bytes(prefix)
        durability, dirty, order = _scan_options(options)
        return await _scan(_u.reader_scan, self._h, subrange, p, durability, dirty, order)

    def status(self) -> DbStatus:
        closed = _u.reader_closed_error(self._h)
        return DbStatus(durable_seq=_u.reader_durable_seq(self._h),
                        close_reason=None if closed is None else closed.reason,
                        segments=[SegmentPrefix(prefix=p) for p in _u.reader_segments(self._h)])

    async def shutdown(self) -> None:
        # A second shutdown is a no-op for readers (unlike Db).
        if _u.reader_closed_error(self._h) is not None:
            return None
        self._metrics.close()  # a last push while the reader still answers
        await _finish(_u.reader_close(self._h))

    async def warm_sst(self, sst_id, targets) -> None:
        sst, wanted = cache_call(sst_id, targets)
        await _finish(_u.reader_warm_sst(self._h, sst, wanted))

    async def evict_cached_sst(self, sst_id) -> None:
        sst, _ = cache_call(sst_id)
        await _finish(_u.reader_evict_cached_sst(self._h, sst))

    async def flush_cache_to_disk(self) -> None:
        await _finish(_u.reader_flush_cache_to_disk(self._h))
