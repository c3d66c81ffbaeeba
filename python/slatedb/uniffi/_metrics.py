# SPDX-License-Identifier: Apache-2.0
"""DefaultMetricsRecorder and the bridge from the engine's metrics to a MetricsRecorder
(python-uniffi-api.md sections 3.17, 4.3).

The engine keeps its own counters and gauges (docs/metrics.md). A database built with a
recorder registers upstream's name and labels for each of them with it, then pushes the
changes: every second from a background thread, whenever a DefaultMetricsRecorder it feeds is
queried, and a last time at shutdown. Metrics upstream has and the engine does not keep are
not registered.
"""

from __future__ import annotations

import bisect
import math
import threading
import weakref

from . import _convert as cv
from ._callbacks import (Counter, CounterImpl, Gauge, GaugeImpl, Histogram, HistogramImpl,
                         MetricsRecorder, UpDownCounter, UpDownCounterImpl, check_callback,
                         wrap_impl)
from ._protocols import DefaultMetricsRecorderProtocol
from ._values import HistogramMetricValue, Metric, MetricLabel, MetricValue

# ------------------------------------------------------------------ DefaultMetricsRecorder


class _Cell:
    """One metric's storage inside a DefaultMetricsRecorder."""

    def __init__(self, lock, kind, name, description, labels, boundaries=None):
        self.lock = lock
        self.kind = kind  # "counter" | "gauge" | "up_down_counter" | "histogram"
        self.name = name
        self.description = description
        self.labels = labels
        self.value = 0
        if boundaries is not None:
            self.boundaries = boundaries
            self.buckets = [0] * (len(boundaries) + 1)
            self.sum = 0.0
            self.min = math.inf
            self.max = -math.inf

    # Handle methods (called through CounterImpl etc.).
    def increment(self, value):
        value = cv.integer(value, "u64" if self.kind == "counter" else "i64")
        with self.lock:
            self.value += value

    def set(self, value):
        value = cv.integer(value, "i64")
        with self.lock:
            self.value = value

    def record(self, value):
        value = float(value)
        with self.lock:
            self.value += 1
            self.sum += value
            self.min = min(self.min, value)
            self.max = max(self.max, value)
            self.buckets[bisect.bisect_right(self.boundaries, value)] += 1

    def metric(self) -> Metric:
        with self.lock:
            if self.kind == "histogram":
                value = MetricValue.HISTOGRAM(HistogramMetricValue(
                    count=self.value, sum=self.sum, min=self.min, max=self.max,
                    boundaries=list(self.boundaries), bucket_counts=list(self.buckets)))
            elif self.kind == "counter":
                value = MetricValue.COUNTER(self.value)
            elif self.kind == "gauge":
                value = MetricValue.GAUGE(self.value)
            else:
                value = MetricValue.UP_DOWN_COUNTER(self.value)
        labels = [MetricLabel(key=k, value=v) for k, v in self.labels]
        return Metric(name=self.name, labels=labels, description=self.description, value=value)


def _label_key(labels) -> tuple:
    return tuple(sorted((cv.string(l.key), cv.string(l.value)) for l in labels))


class DefaultMetricsRecorder(DefaultMetricsRecorderProtocol, MetricsRecorder):
    """A thread-safe recorder that keeps every metric in memory for querying."""

    def __init__(self):
        self._lock = threading.Lock()
        self._cells = {}  # (name, kind, label key) -> _Cell, in registration order
        self._sources = weakref.WeakSet()  # bridges feeding this recorder

    def _register(self, kind, name, description, labels, boundaries=None):
        cv.string(name)
        if description is not None:
            cv.string(description)
        label_list = [(cv.string(l.key), cv.string(l.value)) for l in labels]
        key = (name, kind, tuple(sorted(label_list)))
        with self._lock:
            cell = self._cells.get(key)
            if cell is None:
                cell = _Cell(threading.Lock(), kind, name, description or "", label_list,
                             boundaries)
                self._cells[key] = cell
        return cell

    def register_counter(self, name, description, labels):
        return wrap_impl(CounterImpl, self._register("counter", name, description, labels))

    def register_gauge(self, name, description, labels):
        return wrap_impl(GaugeImpl, self._register("gauge", name, description, labels))

    def register_up_down_counter(self, name, description, labels):
        return wrap_impl(UpDownCounterImpl,
                         self._register("up_down_counter", name, description, labels))

    def register_histogram(self, name, description, labels, boundaries):
        bounds = [float(b) for b in boundaries]
        return wrap_impl(HistogramImpl,
                         self._register("histogram", name, description, labels, bounds))

    def _current(self):
        for source in list(self._sources):
            source.sync()
        with self._lock:
            return list(self._cells.values())

    def snapshot(self):
        return [cell.metric() for cell in self._current()]

    def metrics_by_name(self, name):
        cv.string(name)
        return [cell.metric() for cell in self._current() if cell.name == name]

    def metric_by_name_and_labels(self, name, labels):
        cv.string(name)
        wanted = _label_key(labels)
        for cell in self._current():
            if cell.name == name and tuple(sorted(cell.labels)) == wanted:
                return cell.metric()
        return None


# -------------------------------------------------------------------------------- bridge

_OS = "slatedb.object_store.request_count"
_OS_DESC = "Object store API requests"


def _os_labels(api, op):
    # The component label ("db" or "reader") is added by the bridge.
    return (("api", api), ("op", op), ("store_type", "main"))


# Engine metric -> (kind, upstream name, labels, description).
_MAP = {
    "db/get_requests": ("counter", "slatedb.db.request_count", (("op", "get"),), None),
    "db/scan_requests": ("counter", "slatedb.db.request_count", (("op", "scan"),), None),
    "db/write_batch_count": ("counter", "slatedb.db.write_batch_count", (), None),
    "db/write_ops": ("counter", "slatedb.db.write_ops", (), None),
    "db/wal_flushes": ("counter", "slatedb.wal.wal_buffer_flushes", (), None),
    "db/immutable_memtable_flushes": ("counter", "slatedb.db.immutable_memtable_flushes", (),
                                      None),
    "db/l0_flush_stalls": ("counter", "slatedb.db.l0_stall_count", (("type", "num_ssts"),),
                           None),
    "db/write_stalls": ("counter", "slatedb.db.backpressure_count", (), None),
    "db/l0_sst_count": ("gauge", "slatedb.db.l0_sst_count", (), None),
    "db/sorted_run_count": ("gauge", "slatedb.db.sorted_run_count", (), None),
    "db/unflushed_bytes": ("gauge", "slatedb.db.total_mem_size_bytes", (), None),
    "gc/runs": ("counter", "slatedb.gc.count", (), None),
    "gc/deleted_manifests": ("counter", "slatedb.gc.deleted_count",
                             (("resource", "manifest"),), None),
    "gc/deleted_wal_objects": ("counter", "slatedb.gc.deleted_count", (("resource", "wal"),),
                               None),
    "gc/deleted_ssts": ("counter", "slatedb.gc.deleted_count", (("resource", "compacted"),),
                        None),
    "block_cache/hits": ("counter", "slatedb.db_cache.access_count",
                         (("entry_kind", "data_block"), ("result", "hit")), None),
    "block_cache/misses": ("counter", "slatedb.db_cache.access_count",
                           (("entry_kind", "data_block"), ("result", "miss")), None),
    "object_store/get": ("counter", _OS, _os_labels("get", "get"), _OS_DESC),
    "object_store/get_range": ("counter", _OS, _os_labels("get_range", "get"), _OS_DESC),
    "object_store/head": ("counter", _OS, _os_labels("head", "get"), _OS_DESC),
    "object_store/list": ("counter", _OS, _os_labels("list", "get"), _OS_DESC),
    "object_store/put": ("counter", _OS, _os_labels("put", "put"), _OS_DESC),
    "object_store/delete": ("counter", _OS, _os_labels("delete", "delete"), _OS_DESC),
}

_HANDLE_TYPES = {"counter": Counter, "gauge": Gauge}
_SYNC_INTERVAL_S = 1.0


class _NoBridge:
    def sync(self):
        pass

    def close(self):
        pass


class MetricsBridge:
    """Pushes one database's engine metrics into a MetricsRecorder."""

    @staticmethod
    def attach(recorder, native, fetch, component="db"):
        """A bridge from `fetch(native)` (the engine's name -> value snapshot of a native
        handle) to `recorder`, or a no-op one without a recorder. Registers the metrics now.
        Holds `native` weakly: an abandoned handle is not kept alive by its metrics.
        `component` labels the object-store metrics, as upstream's: "db" for a Db, "reader"
        for a DbReader."""
        if recorder is None:
            return _NoBridge()
        check_callback(recorder, MetricsRecorder)
        ref = weakref.ref(native)

        def read():
            handle = ref()
            if handle is None:
                raise LookupError(f"the {component} is gone")
            return fetch(handle)

        return MetricsBridge(recorder, read, component)

    def __init__(self, recorder, read, component="db"):
        self._read = read
        self._lock = threading.Lock()
        self._last = {}
        self._handles = {}
        for engine_name, (kind, name, labels, description) in _MAP.items():
            if name == _OS:
                labels = tuple(sorted(labels + (("component", component),)))
            label_list = [MetricLabel(key=k, value=v) for k, v in labels]
            if kind == "counter":
                handle = recorder.register_counter(name, description, label_list)
            else:
                handle = recorder.register_gauge(name, description, label_list)
            check_callback(handle, _HANDLE_TYPES[kind])
            self._handles[engine_name] = (kind, handle)
        if isinstance(recorder, DefaultMetricsRecorder):
            recorder._sources.add(self)
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="slatedb-metrics", daemon=True)
        self._thread.start()

    def _run(self):
        while not self._stop.wait(_SYNC_INTERVAL_S):
            self.sync()

    def sync(self):
        """Pushes what changed since the last sync."""
        with self._lock:
            if self._read is None:
                return
            try:
                values = self._read()
            except Exception:  # noqa: BLE001 - the database is gone: nothing more to push
                self._read = None
                self._stop.set()
                return
            for engine_name, (kind, handle) in self._handles.items():
                value = values.get(engine_name)
                if value is None:
                    continue
                try:
                    if kind == "counter":
                        delta = value - self._last.get(engine_name, 0)
                        if delta > 0:
                            handle.increment(delta)
                    elif self._last.get(engine_name) != value:
                        handle.set(value)
                except Exception as e:  # noqa: BLE001 - a faulty recorder must not break us
                    import sys
                    print(f"slatedb: metrics recorder raised {e!r}", file=sys.stderr)
                self._last[engine_name] = value

    def close(self):
        """A last sync, then stops pushing."""
        self._stop.set()
        self.sync()
        with self._lock:
            self._read = None
