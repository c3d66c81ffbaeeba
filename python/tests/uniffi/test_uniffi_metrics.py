# SPDX-License-Identifier: Apache-2.0
"""DefaultMetricsRecorder and custom MetricsRecorders: the three behaviours of
python-uniffi-api.md section 6.5, then the rest of sections 3.17 and 4.3."""

import threading

import pytest

from conftest import everything, open_db, open_reader, flush_memtable
from slatedb.uniffi import (Counter, DefaultMetricsRecorder, Gauge, Histogram, MetricLabel,
                            MetricsRecorder, MetricValue, UpDownCounter)

pytestmark = pytest.mark.asyncio


class Count(Counter):
    def __init__(self):
        self.total = 0
        self.lock = threading.Lock()

    def increment(self, value):
        with self.lock:
            self.total += value


class Level(Gauge):
    def set(self, value):
        self.value = value


class UpDown(UpDownCounter):
    def increment(self, value):
        pass


class Hist(Histogram):
    def record(self, value):
        pass


class Recorder(MetricsRecorder):
    def __init__(self):
        self.counters = {}

    def register_counter(self, name, description, labels):
        key = (name, tuple(sorted((l.key, l.value) for l in labels)))
        return self.counters.setdefault(key, Count())

    def register_gauge(self, name, description, labels):
        return Level()

    def register_up_down_counter(self, name, description, labels):
        return UpDown()

    def register_histogram(self, name, description, labels, boundaries):
        return Hist()


# ----------------------------------------------------------------------- section 6.5 (3)

async def test_default_recorder():
    recorder = DefaultMetricsRecorder()
    recorder.register_counter("c", "a counter", []).increment(3)
    [metric] = recorder.metrics_by_name("c")
    assert isinstance(metric.value, MetricValue.COUNTER) and metric.value[0] == 3
    histogram = recorder.register_histogram("h", None, [], [1.0, 2.0])
    histogram.record(1.5)
    histogram.record(3.0)
    [h] = recorder.metrics_by_name("h")
    assert isinstance(h.value, MetricValue.HISTOGRAM)
    value = h.value[0]
    assert (value.count, value.sum, value.boundaries, value.bucket_counts) == (
        2, 4.5, [1.0, 2.0], [0, 1, 1])
    recorder.register_gauge("g", None, []).set(-7)
    updown = recorder.register_up_down_counter("u", None, [])
    updown.increment(5)
    updown.increment(-2)
    assert len(recorder.snapshot()) >= 4
    assert recorder.metrics_by_name("g")[0].value[0] == -7
    assert recorder.metrics_by_name("u")[0].value[0] == 3


async def test_custom_recorder_sees_write_ops(store):
    recorder = Recorder()
    db = await open_db(store, configure=lambda b: b.with_metrics_recorder(recorder))
    await db.put(b"a", b"1")
    await db.put(b"b", b"2")
    await db.shutdown()
    assert recorder.counters[("slatedb.db.write_ops", ())].total == 2


async def test_reader_request_count(store):
    db = await open_db(store)
    await db.put(b"k", b"v")
    await flush_memtable(db)
    recorder = DefaultMetricsRecorder()
    reader = await open_reader(store, configure=lambda b: b.with_metrics_recorder(recorder))
    await reader.get(b"k")
    metric = recorder.metric_by_name_and_labels("slatedb.db.request_count",
                                                [MetricLabel(key="op", value="get")])
    assert isinstance(metric.value, MetricValue.COUNTER) and metric.value[0] == 1
    await reader.shutdown()
    await db.shutdown()


async def test_reader_reports_its_reads_under_its_own_component(store):
    db = await open_db(store)
    await db.put(b"k", b"v")
    await flush_memtable(db)
    recorder = DefaultMetricsRecorder()
    reader = await open_reader(store, configure=lambda b: b.with_metrics_recorder(recorder))
    await reader.scan(everything())
    scans = recorder.metric_by_name_and_labels("slatedb.db.request_count",
                                               [MetricLabel(key="op", value="scan")])
    assert scans.value[0] == 1
    requests = recorder.metrics_by_name("slatedb.object_store.request_count")
    assert {l.value for m in requests for l in m.labels if l.key == "component"} == {"reader"}
    assert sum(m.value[0] for m in requests) > 0
    # The writer's own counters stay at zero for a reader.
    assert all(m.value[0] == 0 for m in recorder.metrics_by_name("slatedb.db.write_ops"))
    await reader.shutdown()
    await db.shutdown()


# ---------------------------------------------------------------------------------- more

async def test_db_request_count_through_default_recorder(store):
    recorder = DefaultMetricsRecorder()
    db = await open_db(store, configure=lambda b: b.with_metrics_recorder(recorder))
    await db.put(b"k", b"v")
    await db.get(b"k")
    metric = recorder.metric_by_name_and_labels("slatedb.db.request_count",
                                                [MetricLabel(key="op", value="get")])
    assert metric.value[0] == 1
    assert recorder.metrics_by_name("slatedb.db.write_ops")[0].value[0] == 1
    await db.shutdown()


async def test_recorder_rules():
    recorder = DefaultMetricsRecorder()
    labels = [MetricLabel(key="a", value="1"), MetricLabel(key="b", value="2")]
    first = recorder.register_counter("c", "desc", labels)
    second = recorder.register_counter("c", "other", list(reversed(labels)))
    first.increment(3)
    second.increment(2)
    [metric] = recorder.metrics_by_name("c")
    assert metric.value[0] == 5 and metric.description == "desc"
    assert recorder.metric_by_name_and_labels("c", list(reversed(labels))).value[0] == 5
    assert recorder.metric_by_name_and_labels("c", labels[:1]) is None
    assert recorder.register_gauge("none", None, []) is not None
    assert recorder.metrics_by_name("none")[0].description == ""
    with pytest.raises(ValueError, match="u64 requires"):
        first.increment(-1)
    with pytest.raises(ValueError, match="i64 requires"):
        recorder.register_gauge("g", None, []).set(2 ** 63)
    histogram = recorder.register_histogram("h", None, [], [1.0, 2.0])
    for value in (0.5, 1.0, 2.0):
        histogram.record(value)
    value = recorder.metrics_by_name("h")[0].value[0]
    assert value.bucket_counts == [1, 1, 1] and (value.min, value.max) == (0.5, 2.0)
    empty = recorder.register_histogram("e", None, [], [1.0])
    assert recorder.metrics_by_name("e")[0].value[0].count == 0
    assert [m.name for m in recorder.snapshot()] == ["c", "none", "g", "h", "e"]
