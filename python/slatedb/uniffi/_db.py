# SPDX-License-Identifier: Apache-2.0
"""DbBuilder, Db, WriteHandle, WriteBatch, DbIterator, DbSnapshot and DbTransaction
(python-uniffi-api.md sections 3.5-3.12).

Every method that upstream declares ``async`` is an ``async def`` here too, so its arguments
are checked when the coroutine runs. The native calls (slatedb.slatedb._uniffi) return either
their result or an asyncio Future when they have to wait for I/O; only the second is awaited,
so a call answered from memory costs no trip through the event loop.
"""

from __future__ import annotations

import asyncio
import uuid

from .. import slatedb as _native
from . import _convert as cv
from . import _logging
from ._callbacks import MergeOperator, MetricsRecorder, PrefixExtractor, check_callback
from ._config import (DbCache, FilterPolicy, Settings, block_size_bytes, cache_choice,
                      cache_open_args, filter_specs)
from ._errors import Error, MergeOperatorCallbackError
from ._ids import parse_ulid
from ._metrics import MetricsBridge
from ._protocols import (DbBuilderProtocol, DbIteratorProtocol, DbProtocol, DbSnapshotProtocol,
                         DbTransactionProtocol, WriteBatchProtocol, WriteHandleProtocol)
from ._store import ObjectStore
from ._values import (CloseReason, DbStatus, FlushType, IsolationLevel, IterationOrder,
                      PrefixTarget, SegmentPrefix, SstBlockSize)

_u = _native._uniffi
_Future = asyncio.Future

# Hot-path native calls, looked up once.
_db_put = _u.db_put
_db_get = _u.db_get
_db_write_one = _u.db_write_one
_iter_next = _u.iter_next

_MEMORY = 1  # DurabilityLevel.MEMORY
_PUT, _DELETE, _MERGE = 0, 1, 2


def _no_constructor(self, *args, **kwargs):
    raise ValueError("This class has no default constructor")


class _MergeFailure(Exception):
    """A merge operator failure on its way to the engine (its str is the message)."""


def merge_adapter(operator: MergeOperator):
    """The callable the engine calls for `operator`: MergeOperatorCallbackError.Failed(m)
    fails the merge with message m; any other exception, or a result that is not bytes,
    fails it with the exception's repr (upstream would abort its writer task instead)."""
    merge = operator.merge

    def adapter(key, existing, operand):
        try:
            out = merge(key, existing, operand)
        except MergeOperatorCallbackError.Failed as e:
            raise _MergeFailure(e.message) from None
        except Exception as e:  # noqa: BLE001 - reported to the caller as Error.Invalid
            raise _MergeFailure(repr(e)) from None
        if out.__class__ is not bytes:
            try:
                out = bytes(memoryview(out))
            except TypeError:
                raise _MergeFailure(
                    f"merge returned {type(out).__name__}, expected bytes") from None
        return out

    return adapter


def segment_adapter(extractor: PrefixExtractor):
    """(name, prefix_len) for the engine: `name` is the extractor's name(), asked once at
    build; prefix_len(data, is_point) asks the extractor about PrefixTarget.POINT(key=data)
    or PrefixTarget.PREFIX(prefix=data) and returns its int or None (the engine checks it)."""
    name = extractor.name()
    if not isinstance(name, str):
        raise TypeError(f"PrefixExtractor.name() returned {type(name).__name__}, expected str")
    ask = extractor.prefix_len

    def prefix_len(data, is_point):
        target = PrefixTarget.POINT(key=data) if is_point else PrefixTarget.PREFIX(prefix=data)
        return ask(target)

    return (name, prefix_len)


_ASCENDING = IterationOrder.ASCENDING.value


def _scan_options(options):
    """(durability, dirty, order) of ScanOptions (order: the IterationOrder value)."""
    durability, dirty = cv.read_options(options)
    cv.integer(options.read_ahead_bytes, "u64")
    cv.integer(options.max_fetch_tasks, "u64")
    order = options.order
    order = _ASCENDING if order is None else cv.enum_value(order, IterationOrder)
    return durability, dirty, order


def wal_handle(wal_store, path: str):
    """The native store of a builder's separate WAL store for the database at `path`, or None.
    Both stores hold the database under the same path."""
    return wal_store._bind(path)[0] if wal_store is not None else None


async def _finish(result):
    """Awaits a native call's result if it is a Future."""
    if result.__class__ is _Future:
        return await result
    return result


async def _scan(call, handle, range_, prefix, durability, dirty, order=_ASCENDING):
    """Opens a scan of KeyRange `range_` under `prefix` (None: a plain scan) through native
    `call`. A prefix scan also hands its prefix to the engine, which skips the SSTs whose
    prefix filters rule it out."""
    bounds = cv.key_range(range_, b"" if prefix is None else prefix)
    if bounds is None:
        return DbIterator._make(_u.empty_iterator())
    r = call(handle, bounds[0], bounds[1], durability, dirty, order, prefix)
    if r.__class__ is _Future:
        r = await r
    return DbIterator._make(r)


# ---------------------------------------------------------------------------------- builder

class DbBuilder(DbBuilderProtocol):
    """Opens or creates the database at `path` inside `object_store`; single use."""

    def __init__(self, path: str, object_store: ObjectStore):
        self._path = cv.string(path)
        self._store = cv.instance(object_store, ObjectStore)
        self._settings = None
        self._merge = None
        self._recorder = None
        self._filters = None
        self._cache = None
        self._block_size = None
        self._wal_store = None
        self._seed = None
        self._segments = None
        self._consumed = False

    def _use(self):
        if self._consumed:
            raise Error.Invalid("builder has already been consumed")

    def with_settings(self, settings: Settings) -> None:
        self._use()
        self._settings = cv.instance(settings, Settings)._native()

    def with_wal_object_store(self, wal_object_store: ObjectStore) -> None:
        self._use()
        self._wal_store = cv.instance(wal_object_store, ObjectStore)

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

    def with_sst_block_size(self, sst_block_size: SstBlockSize) -> None:
        self._use()
        cv.enum_value(sst_block_size, SstBlockSize)
        self._block_size = sst_block_size

    def with_seed(self, seed: int) -> None:
        self._use()
        self._seed = cv.integer(seed, "u64")

    def _native_settings(self):
        """The core's settings: those given (or the defaults), then the builder's options by
        the settings table's names."""
        settings = self._settings.copy() if self._settings is not None else _native._Settings()
        overrides = {}
        own_bytes = cache_open_args(self._cache)[0]
        if own_bytes is not None:
            overrides["block_cache_size_bytes"] = own_bytes
        if self._block_size is not None:
            overrides["sst_block_size_bytes"] = block_size_bytes(self._block_size)
        for name, value in overrides.items():
            settings.set(name, str(value))
        return settings

    async def build(self) -> "Db":
        self._use()
        self._consumed = True
        handle, path = self._store._bind(self._path)
        settings = self._native_settings()
        merge = merge_adapter(self._merge) if self._merge is not None else None
        _logging.info("slatedb::db::builder", f"opening SlateDB database [path={self._path}]")
        wal = wal_handle(self._wal_store, self._path)
        segments = segment_adapter(self._segments) if self._segments is not None else None
        filters = (filter_specs(self._filters, segment_adapter)
                   if self._filters is not None else None)
        _, shared, cache_id = cache_open_args(self._cache)
        r = _u.db_open(handle, path, settings, merge, wal, self._seed, segments, filters, shared,
                       cache_id)
        if r.__class__ is _Future:
            r = await r
        db = Db._make(r, self._recorder)
        return db


# ---------------------------------------------------------------------------- write handle

class WriteHandle(WriteHandleProtocol):
    """The result of a write: its sequence number and creation time; await_durable() waits
    until it is stored in the object store."""

    __slots__ = ("_db", "_seq", "_ts")
    __init__ = _no_constructor

    def seqnum(self) -> int:
        return self._seq

    def create_ts(self) -> int:
        return self._ts

    async def await_durable(self) -> None:
        # The engine groups waiters and completes them at the next WAL flush (periodic or
        # size-triggered), without forcing one.
        await _finish(_u.db_await_durable(self._db, self._seq))


def _handle(db_handle, pair):
    h = object.__new__(WriteHandle)
    h._db = db_handle
    h._seq = pair[0]
    h._ts = pair[1]
    return h


# ------------------------------------------------------------------------------- write batch

class WriteBatch(WriteBatchProtocol):
    """Puts, deletes and merges applied atomically by Db.write; consumed by the write."""

    def __init__(self):
        self._b = _u.batch_new()
        self._consumed = False

    def _use(self):
        if self._consumed:
            raise Error.Invalid("write batch has already been consumed")

    def put(self, key: bytes, value: bytes) -> None:
        self._use()
        _u.batch_add(self._b, _PUT, cv.key(key), cv.as_bytes(value), 0, 0)

    def put_with_options(self, key: bytes, value: bytes, options) -> None:
        self._use()
        k, v = cv.key(key), cv.as_bytes(value)
        kind, ms = cv.ttl(options.ttl)
        _u.batch_add(self._b, _PUT, k, v, kind, ms)

    def delete(self, key: bytes) -> None:
        self._use()
        _u.batch_add(self._b, _DELETE, cv.key(key), b"", 0, 0)

    def merge(self, key: bytes, operand: bytes) -> None:
        self._use()
        _u.batch_add(self._b, _MERGE, cv.key(key), cv.as_bytes(operand), 0, 0)

    def merge_with_options(self, key: bytes, operand: bytes, options) -> None:
        self._use()
        k, v = cv.key(key), cv.as_bytes(operand)
        kind, ms = cv.ttl(options.ttl)
        _u.batch_add(self._b, _MERGE, k, v, kind, ms)

    def _take(self):
        """The native batch, marking this one consumed."""
        self._use()
        if _u.batch_size(self._b) == 0:
            raise Error.Invalid("Invalid error: empty write batch not allowed")
        self._consumed = True
        return self._b


# ---------------------------------------------------------------------------------- iterator

class DbIterator(DbIteratorProtocol):
    """Rows of a scan, in key order: await next() until it returns None, or next_batch(n)."""

    __init__ = _no_constructor

    @classmethod
    def _make(cls, native):
        it = object.__new__(cls)
        it._h = native
        it._pending = None
        return it

    async def _serialized(self, call, *args):
        # One native call at a time per iterator: later callers wait for the one in flight.
        while self._pending is not None:
            await asyncio.wait([self._pending])
        r = call(self._h, *args)
        if r.__class__ is _Future:
            self._pending = r
            try:
                r = await r
            finally:
                self._pending = None
        return r

    async def next(self):
        if self._pending is None:
            r = _iter_next(self._h)
            if r.__class__ is _Future:
                self._pending = r
                try:
                    r = await r
                finally:
                    self._pending = None
        else:
            r = await self._serialized(_iter_next)
        return r  # a KeyValue made by the native layer, or None at the end

    async def next_batch(self, max: int):
        n = cv.integer(max, "u32")
        return await self._serialized(_u.iter_next_batch, n)

    async def seek(self, key: bytes) -> None:
        k = cv.key(key)
        await self._serialized(_u.iter_seek, k)


# ---------------------------------------------------------------------------------------- db

class Db(DbProtocol):
    """A read-write handle on one database. Built by DbBuilder.build()."""

    __init__ = _no_constructor

    @classmethod
    def _make(cls, native, recorder):
        db = object.__new__(cls)
        db._h = native
        db._metrics = MetricsBridge.attach(recorder, native, _u.db_metrics)
        return db

    # --- reads
    async def get(self, key: bytes):
        if key.__class__ is not bytes or not key:
            key = cv.key(key)
        r = _db_get(self._h, key, _MEMORY, False)
        if r.__class__ is _Future:
            r = await r
        return r

    async def get_with_options(self, key: bytes, options):
        k = cv.key(key)
        durability, dirty = cv.read_options(options)
        return await _finish(_db_get(self._h, k, durability, dirty))

    async def get_key_value(self, key: bytes):
        k = cv.key(key)
        return await _finish(_u.db_get_key_value(self._h, k, _MEMORY, False))

    async def get_key_value_with_options(self, key: bytes, options):
        k = cv.key(key)
        durability, dirty = cv.read_options(options)
        return await _finish(_u.db_get_key_value(self._h, k, durability, dirty))

    async def scan(self, range):
        return await _scan(_u.db_scan, self._h, range, None, _MEMORY, False)

    async def scan_with_options(self, range, options):
        durability, dirty, order = _scan_options(options)
        return await _scan(_u.db_scan, self._h, range, None, durability, dirty, order)

    async def scan_prefix(self, prefix: bytes, subrange):
        return await _scan(_u.db_scan, self._h, subrange, cv.as_bytes(prefix), _MEMORY, False)

    async def scan_prefix_with_options(self, prefix: bytes, subrange, options):
        p = cv.as_bytes(prefix)
        durability, dirty, order = _scan_options(options)
        return await _scan(_u.db_scan, self._h, subrange, p, durability, dirty, order)

    # --- writes
    async def put(self, key: bytes, value: bytes) -> WriteHandle:
        if key.__class__ is not bytes or not key:
            key = cv.key(key)
        if value.__class__ is not bytes:
            value = cv.as_bytes(value)
        r = _db_put(self._h, key, value)
        if r.__class__ is _Future:
            r = await r
        return _handle(self._h, r)

    async def put_with_options(self, key: bytes, value: bytes, put_options, write_options):
        k, v = cv.key(key), cv.as_bytes(value)
        kind, ms = cv.ttl(put_options.ttl)
        seqnum = cv.write_options(write_options)
        return _handle(self._h,
                       await _finish(_db_write_one(self._h, _PUT, k, v, kind, ms, seqnum)))

    async def delete(self, key: bytes) -> WriteHandle:
        k = cv.key(key)
        return _handle(self._h, await _finish(_db_write_one(self._h, _DELETE, k, b"", 0, 0, 0)))

    async def delete_with_options(self, key: bytes, options) -> WriteHandle:
        k = cv.key(key)
        seqnum = cv.write_options(options)
        return _handle(self._h,
                       await _finish(_db_write_one(self._h, _DELETE, k, b"", 0, 0, seqnum)))

    async def merge(self, key: bytes, operand: bytes) -> WriteHandle:
        k, v = cv.key(key), cv.as_bytes(operand)
        return _handle(self._h, await _finish(_db_write_one(self._h, _MERGE, k, v, 0, 0, 0)))

    async def merge_with_options(self, key: bytes, operand: bytes, merge_options, write_options):
        k, v = cv.key(key), cv.as_bytes(operand)
        kind, ms = cv.ttl(merge_options.ttl)
        seqnum = cv.write_options(write_options)
        return _handle(self._h,
                       await _finish(_db_write_one(self._h, _MERGE, k, v, kind, ms, seqnum)))

    async def write(self, batch: WriteBatch) -> WriteHandle:
        native = cv.instance(batch, WriteBatch)._take()
        return _handle(self._h, await _finish(_u.db_write(self._h, native, 0)))

    async def write_with_options(self, batch: WriteBatch, options) -> WriteHandle:
        cv.instance(batch, WriteBatch)
        seqnum = cv.write_options(options)
        native = batch._take()
        return _handle(self._h, await _finish(_u.db_write(self._h, native, seqnum)))

    # --- views
    async def snapshot(self) -> "DbSnapshot":
        return DbSnapshot._make(_u.db_snapshot(self._h))

    async def begin(self, isolation_level: IsolationLevel) -> "DbTransaction":
        level = cv.enum_value(isolation_level, IsolationLevel)
        return DbTransaction._make(_u.db_begin(self._h, level), self._h)

    # --- flush, status, shutdown
    async def flush(self) -> None:
        await _finish(_u.db_flush(self._h, FlushType.WAL.value))

    async def flush_with_options(self, options) -> None:
        flush_type = cv.enum_value(options.flush_type, FlushType)
        await _finish(_u.db_flush(self._h, flush_type))

    def status(self) -> DbStatus:
        closed = _u.db_closed_error(self._h)
        return DbStatus(durable_seq=_u.db_durable_seq(self._h),
                        close_reason=None if closed is None else closed.reason,
                        segments=[SegmentPrefix(prefix=p) for p in _u.db_segments(self._h)])

    async def shutdown(self) -> None:
        await self._shutdown(FlushType.MEM_TABLE.value)

    async def shutdown_with_options(self, options) -> None:
        flush_type = options.flush_type
        # None: no final flush (writes not yet durable are lost, as upstream).
        flush = -1 if flush_type is None else cv.enum_value(flush_type, FlushType)
        await self._shutdown(flush)

    async def _shutdown(self, flush: int) -> None:
        closed = _u.db_closed_error(self._h)
        if closed is not None:
            if closed.reason is CloseReason.CLEAN:
                raise closed
            return None  # fenced or failed: nothing left to close, as upstream
        try:
            await _finish(_u.db_close(self._h, flush))
        except Error.Closed as e:
            if e.reason is CloseReason.CLEAN:
                raise
        finally:
            self._metrics.close()
            _logging.info("slatedb::db", "closed SlateDB database")

    # --- cache control (slatedb/sst_cache.h)
    async def warm_sst(self, sst_id, targets) -> None:
        sst, wanted = cache_call(sst_id, targets)
        await _finish(_u.db_warm_sst(self._h, sst, wanted))

    async def evict_cached_sst(self, sst_id) -> None:
        sst, _ = cache_call(sst_id)
        await _finish(_u.db_evict_cached_sst(self._h, sst))

    async def flush_cache_to_disk(self) -> None:
        # The persistent cache writes parts as it fetches them: nothing is left to write.
        await _finish(_u.db_flush_cache_to_disk(self._h))


def cache_call(sst_id, targets=()):
    """The native arguments of warm_sst / evict_cached_sst: the SST id (checked here, as
    upstream's binding does, so the error reads "invalid SST ULID: ..." without the engine's
    "Invalid error: " prefix) and one tuple per target,
    (kind, start, start_inclusive, end, end_inclusive) as CacheTarget::Kind numbers them.
    A DATA range is taken as it is: one that holds no key warms nothing, as upstream."""
    sst = parse_ulid(cv.string(sst_id.value), "invalid SST ULID")
    out = []
    for target in targets:
        if target.is_FILTERS():
            out.append((0, None, True, None, False))
        elif target.is_INDEX():
            out.append((1, None, True, None, False))
        elif target.is_STATS():
            out.append((2, None, True, None, False))
        elif target.is_DATA():
            r = target.range
            start = None if r.start is None else cv.as_bytes(r.start)
            end = None if r.end is None else cv.as_bytes(r.end)
            out.append((3, start, cv.boolean(r.start_inclusive), end, cv.boolean(r.end_inclusive)))
        else:
            raise ValueError(str(target))
    return sst, out


# ---------------------------------------------------------------------------------- snapshot

class DbSnapshot(DbSnapshotProtocol):
    """A consistent read-only view of the database as of Db.snapshot()."""

    __init__ = _no_constructor

    @classmethod
    def _make(cls, native):
        s = object.__new__(cls)
        s._h = native
        return s

    async def get(self, key: bytes):
        k = cv.key(key)
        return await _finish(_u.snapshot_get(self._h, k, _MEMORY, False))

    async def get_with_options(self, key: bytes, options):
        k = cv.key(key)
        durability, dirty = cv.read_options(options)
        return await _finish(_u.snapshot_get(self._h, k, durability, dirty))

    async def get_key_value(self, key: bytes):
        k = cv.key(key)
        return await _finish(_u.snapshot_get_key_value(self._h, k, _MEMORY, False))

    async def get_key_value_with_options(self, key: bytes, options):
        k = cv.key(key)
        durability, dirty = cv.read_options(options)
        return await _finish(_u.snapshot_get_key_value(self._h, k, durability, dirty))

    async def scan(self, range):
        return await _scan(_u.snapshot_scan, self._h, range, None, _MEMORY, False)

    async def scan_with_options(self, range, options):
        durability, dirty, order = _scan_options(options)
        return await _scan(_u.snapshot_scan, self._h, range, None, durability, dirty, order)

    async def scan_prefix(self, prefix: bytes, subrange):
        p = cv.as_bytes(prefix)
        return await _scan(_u.snapshot_scan, self._h, subrange, p, _MEMORY, False)

    async def scan_prefix_with_options(self, prefix: bytes, subrange, options):
        p = cv.as_bytes(prefix)
        durability, dirty, order = _scan_options(options)
        return await _scan(_u.snapshot_scan, self._h, subrange, p, durability, dirty, order)


# ------------------------------------------------------------------------------- transaction

class DbTransaction(DbTransactionProtocol):
    """An optimistic transaction: reads see its own writes; commit() applies them atomically
    or raises Error.Transaction on a conflict. Completed by commit or rollback."""

    __init__ = _no_constructor

    @classmethod
    def _make(cls, native, db_handle):
        t = object.__new__(cls)
        t._h = native
        t._db = db_handle
        t._id = str(uuid.uuid4())
        t._seq = _u.txn_seq(native)
        return t

    # Both stay readable after the transaction completes.
    def id(self) -> str:
        return self._id

    def seqnum(self) -> int:
        return self._seq

    async def get(self, key: bytes):
        k = cv.key(key)
        return await _finish(_u.txn_get(self._h, k, _MEMORY, False))

    async def get_with_options(self, key: bytes, options):
        k = cv.key(key)
        durability, dirty = cv.read_options(options)
        return await _finish(_u.txn_get(self._h, k, durability, dirty))

    async def get_key_value(self, key: bytes):
        k = cv.key(key)
        return await _finish(_u.txn_get_key_value(self._h, k, _MEMORY, False))

    async def get_key_value_with_options(self, key: bytes, options):
        k = cv.key(key)
        durability, dirty = cv.read_options(options)
        return await _finish(_u.txn_get_key_value(self._h, k, durability, dirty))

    async def scan(self, range):
        return await _scan(_u.txn_scan, self._h, range, None, _MEMORY, False)

    async def scan_with_options(self, range, options):
        durability, dirty, order = _scan_options(options)
        return await _scan(_u.txn_scan, self._h, range, None, durability, dirty, order)

    async def scan_prefix(self, prefix: bytes, subrange):
        p = cv.as_bytes(prefix)
        return await _scan(_u.txn_scan, self._h, subrange, p, _MEMORY, False)

    async def scan_prefix_with_options(self, prefix: bytes, subrange, options):
        p = cv.as_bytes(prefix)
        durability, dirty, order = _scan_options(options)
        return await _scan(_u.txn_scan, self._h, subrange, p, durability, dirty, order)

    async def put(self, key: bytes, value: bytes) -> None:
        _u.txn_write(self._h, _PUT, cv.key(key), cv.as_bytes(value), 0, 0)

    async def put_with_options(self, key: bytes, value: bytes, options) -> None:
        k, v = cv.key(key), cv.as_bytes(value)
        kind, ms = cv.ttl(options.ttl)
        _u.txn_write(self._h, _PUT, k, v, kind, ms)

    async def delete(self, key: bytes) -> None:
        _u.txn_write(self._h, _DELETE, cv.key(key), b"", 0, 0)

    async def merge(self, key: bytes, operand: bytes) -> None:
        _u.txn_write(self._h, _MERGE, cv.key(key), cv.as_bytes(operand), 0, 0)

    async def merge_with_options(self, key: bytes, operand: bytes, options) -> None:
        k, v = cv.key(key), cv.as_bytes(operand)
        kind, ms = cv.ttl(options.ttl)
        _u.txn_write(self._h, _MERGE, k, v, kind, ms)

    # An empty key is never stored, so marking it is a no-op (as upstream).
    async def mark_read(self, keys) -> None:
        _u.txn_mark_read(self._h, [k for k in map(cv.as_bytes, keys) if k])

    async def unmark_write(self, keys) -> None:
        _u.txn_unmark_write(self._h, [k for k in map(cv.as_bytes, keys) if k])

    async def commit(self):
        r = await _finish(_u.txn_commit(self._h, 0))
        return None if r is None else _handle(self._db, r)

    async def commit_with_options(self, options):
        seqnum = cv.write_options(options)
        r = await _finish(_u.txn_commit(self._h, seqnum))
        return None if r is None else _handle(self._db, r)

    async def rollback(self) -> None:
        _u.txn_rollback(self._h)
