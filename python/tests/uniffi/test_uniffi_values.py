# SPDX-License-Identifier: Apache-2.0
"""The module surface and plain values of slatedb.uniffi (python-uniffi-api.md sections 1,
2, 4 and 5): names, enums, tagged unions, records, errors, callback bases, protocols."""

import enum
import inspect
import typing

import pytest

import slatedb
import slatedb.uniffi as u
from conftest import ours_only
from slatedb.uniffi import (CacheTarget, CloseReason, CompactionSpec, CounterImpl, Db,
                            DbProtocol, DefaultMetricsRecorder, Error, FlushType,
                            HistogramMetricValue, InternalError, KeyRange, KeyValue,
                            MergeOperator, MergeOperatorCallbackError, MetricsRecorder,
                            MetricValue, PrefixTarget, ReaderMode, SourceId, Ttl, WriteOptions)

ENUMS = {
    "FlushType": ["MEM_TABLE", "WAL"],
    "CompactionStatus": ["SUBMITTED", "SCHEDULED", "RUNNING", "COMPLETED", "FAILED",
                         "COMPACTED"],
    "CompressionCodec": ["SNAPPY", "ZLIB", "LZ4", "ZSTD"],
    "SstType": ["COMPACTED", "WAL"],
    "FilterFormat": ["LEGACY", "COMPOSITE"],
    "CloseReason": ["CLEAN", "FENCED", "PANIC", "UNKNOWN"],
    "LogLevel": ["OFF", "ERROR", "WARN", "INFO", "DEBUG", "TRACE"],
    "DurabilityLevel": ["REMOTE", "MEMORY"],
    "RowEntryKind": ["VALUE", "TOMBSTONE", "MERGE"],
    "IterationOrder": ["ASCENDING", "DESCENDING"],
    "IsolationLevel": ["SNAPSHOT", "SERIALIZABLE_SNAPSHOT"],
    "ObjectStoreType": ["S3", "AZURE", "GCS", "LOCAL", "IN_MEMORY"],
    "SstBlockSize": ["BLOCK1_KIB", "BLOCK2_KIB", "BLOCK4_KIB", "BLOCK8_KIB", "BLOCK16_KIB",
                     "BLOCK32_KIB", "BLOCK64_KIB"],
}
NATIVE_OBJECTS = ["ObjectStore", "ObjectStoreBuilder", "Settings", "DbCache", "FilterPolicy",
                  "DbBuilder", "Db", "WriteHandle", "WriteBatch", "DbIterator", "DbSnapshot",
                  "DbTransaction", "DbReaderBuilder", "DbReader", "AdminBuilder", "Admin",
                  "CloneBuilder", "DefaultMetricsRecorder", "SlateDbWalReader",
                  "SlateDbWalIterator"]
CALLBACKS = ["MergeOperator", "PrefixExtractor", "MetricsRecorder", "Counter", "Gauge",
             "UpDownCounter", "Histogram", "LogCallback"]
NO_CONSTRUCTOR = ["Db", "DbReader", "Admin", "WriteHandle", "DbIterator", "DbSnapshot",
                  "DbTransaction", "CloneBuilder", "SlateDbWalIterator", "ObjectStore",
                  "Settings", "DbCache", "FilterPolicy"]


def test_all_has_124_resolvable_names():
    assert len(u.__all__) == 124 and len(set(u.__all__)) == 124
    for name in u.__all__:
        assert getattr(u, name) is not None


@ours_only
def test_top_level_api_is_separate():
    assert not hasattr(slatedb, "DbBuilder")
    assert slatedb.WriteBatch is not u.WriteBatch
    assert slatedb.DbIterator is not u.DbIterator
    assert slatedb.KeyValue is not u.KeyValue
    assert slatedb.InternalError is not u.InternalError
    assert not issubclass(u.Error, slatedb.InvalidError)


@pytest.mark.parametrize("name", sorted(ENUMS))
def test_enums(name):
    cls = getattr(u, name)
    assert issubclass(cls, enum.Enum) and not issubclass(cls, int)
    assert [m.name for m in cls] == ENUMS[name]
    assert [m.value for m in cls] == list(range(len(ENUMS[name])))
    first = next(iter(cls))
    assert str(first) == f"{name}.{first.name}"


def test_tagged_union_shape():
    with pytest.raises(RuntimeError, match="Ttl cannot be instantiated directly"):
        Ttl()
    assert isinstance(Ttl.DEFAULT(), Ttl)
    assert Ttl.DEFAULT().is_DEFAULT() and Ttl.DEFAULT().is_default()
    assert not Ttl.DEFAULT().is_no_expiry()
    value = Ttl.EXPIRE_AFTER_MILLIS(5)
    assert value[0] == 5
    assert str(value) == "Ttl.EXPIRE_AFTER_MILLIS(5,)"
    assert repr(value) == "Ttl.EXPIRE_AFTER_MILLIS()"
    with pytest.raises(TypeError, match="Expected 1 arguments, found 0"):
        Ttl.EXPIRE_AFTER_MILLIS()
    with pytest.raises(TypeError, match="Expected 1 arguments, found 2"):
        Ttl.EXPIRE_AFTER_MILLIS(1, 2)
    assert Ttl.EXPIRE_AFTER_MILLIS(5) == Ttl.EXPIRE_AFTER_MILLIS(5)
    assert Ttl.EXPIRE_AFTER_MILLIS(5) != Ttl.EXPIRE_AT_MILLIS(5)
    assert Ttl.DEFAULT() != 5
    with pytest.raises(TypeError, match="unhashable"):
        hash(Ttl.DEFAULT())
    assert str(Ttl.DEFAULT()) == "Ttl.DEFAULT()"


def test_named_variants():
    target = PrefixTarget.POINT(key=b"abc")
    assert target.key == b"abc" and PrefixTarget.POINT(b"abc") == target
    assert str(target) == "PrefixTarget.POINT(key=b'abc')"
    assert target.is_point() and not target.is_PREFIX()
    with pytest.raises(TypeError, match="missing 1 required positional argument: 'key'"):
        PrefixTarget.POINT()
    everything = KeyRange(start=None, start_inclusive=False, end=None, end_inclusive=False)
    assert str(CacheTarget.DATA(range=everything)) == (
        "CacheTarget.DATA(range=KeyRange(start=None, start_inclusive=False, end=None, "
        "end_inclusive=False))")
    spec = CompactionSpec.TIERED(segment=b"", sources=[SourceId.SORTED_RUN(1)], destination=2)
    assert str(spec) == ("CompactionSpec.TIERED(segment=b'', sources=[SourceId.SORTED_RUN()], "
                         "destination=2)")
    assert str(ReaderMode.CHECKPOINT("x")) == "ReaderMode.CHECKPOINT('x',)"
    hist = HistogramMetricValue(count=1, sum=1.0, min=1.0, max=1.0, boundaries=[],
                                bucket_counts=[1])
    assert isinstance(MetricValue.HISTOGRAM(hist), MetricValue.HISTOGRAM)
    assert MetricValue.HISTOGRAM(hist)[0].count == 1


def test_records():
    kv = KeyValue(key=b"k", value=b"v", seq=1, create_ts=2, expire_ts=None)
    assert str(kv) == "KeyValue(key=b'k', value=b'v', seq=1, create_ts=2, expire_ts=None)"
    assert repr(kv) == "KeyValue()"
    assert kv == KeyValue(key=b"k", value=b"v", seq=1, create_ts=2, expire_ts=None)
    assert kv != KeyValue(key=b"k", value=b"w", seq=1, create_ts=2, expire_ts=None)
    with pytest.raises(TypeError, match="unhashable"):
        hash(kv)
    with pytest.raises(TypeError, match="missing 4 required keyword-only arguments"):
        KeyValue(key=b"k")
    with pytest.raises(TypeError, match="takes 1 positional argument"):
        KeyValue(b"k", b"v", 1, 2, None)
    kv.seq = 7
    assert kv.seq == 7
    assert str(WriteOptions()) == "WriteOptions(seqnum=0)"
    assert WriteOptions() == WriteOptions(seqnum=0)


def test_record_defaults_match_upstream():
    options = u.SlateDbWalReaderOptions()
    assert (options.max_buffered_bytes, options.max_fetch_tasks, options.read_ahead_bytes) == (
        134217728, 128, 4194304)
    gc = u.GarbageCollectorOptions()
    assert gc.disable_boundary_files is False and gc.manifest_options is None
    assert u.BloomFilterOptions(bits_per_key=10).whole_key_filtering is True
    read = u.ReadOptions(durability_filter=u.DurabilityLevel.MEMORY, dirty=False,
                         cache_blocks=True)
    assert read.filter_context is None and read.tracing_options is None
    assert u.GarbageCollectorDirectoryOptions(min_age_ms=1, dry_run=False).interval_ms is None


def test_errors():
    e = Error.Invalid("boom")
    assert isinstance(e, Error) and isinstance(e, Exception)
    assert e.message == "boom"
    assert str(e) == "message='boom'" and e.args == ("message='boom'",)
    assert repr(e) == "Error.Invalid(message='boom')"
    assert (type(e).__name__, type(e).__qualname__) == ("Invalid", "Error.Invalid")
    closed = Error.Closed(CloseReason.CLEAN, "x")
    assert closed.reason is CloseReason.CLEAN
    assert str(closed) == "reason=<CloseReason.CLEAN: 0>, message='x'"
    assert Error.Closed(reason=CloseReason.FENCED, message="y").reason is CloseReason.FENCED
    for name in ("Transaction", "Unavailable", "Data", "Internal"):
        assert issubclass(getattr(Error, name), Error)
    with pytest.raises(TypeError, match="missing 1 required positional argument: 'message'"):
        Error.Invalid()
    failed = MergeOperatorCallbackError.Failed("m")
    assert failed.message == "m" and isinstance(failed, MergeOperatorCallbackError)
    assert not issubclass(InternalError, Error)


@pytest.mark.parametrize("name", NATIVE_OBJECTS)
def test_native_objects_inherit_their_protocols(name):
    cls = getattr(u, name)
    protocol = getattr(u, name + "Protocol")
    assert protocol in cls.__mro__
    assert typing.Protocol in protocol.__mro__
    for method, member in vars(protocol).items():
        if method.startswith("_") or not callable(member):
            continue
        impl = getattr(cls, method)
        assert inspect.iscoroutinefunction(impl) == inspect.iscoroutinefunction(member), method


@pytest.mark.parametrize("name", NO_CONSTRUCTOR)
def test_factory_only_objects(name):
    with pytest.raises(ValueError, match="This class has no default constructor"):
        getattr(u, name)()


def test_protocols_cannot_be_instantiated():
    with pytest.raises(TypeError):
        DbProtocol()


@pytest.mark.parametrize("name", CALLBACKS)
def test_callback_bases_and_impls(name):
    base = getattr(u, name)
    impl = getattr(u, name + "Impl")
    assert issubclass(impl, base)
    base()  # instantiable, no abstract enforcement
    with pytest.raises(ValueError, match="This class has no default constructor"):
        impl()


def test_callback_defaults_raise_not_implemented():
    with pytest.raises(NotImplementedError):
        MergeOperator().merge(b"k", None, b"o")
    with pytest.raises(NotImplementedError):
        u.LogCallback().log(None)


def test_default_metrics_recorder_mro():
    assert issubclass(DefaultMetricsRecorder, MetricsRecorder)
    assert u.DefaultMetricsRecorderProtocol in DefaultMetricsRecorder.__mro__
    handle = DefaultMetricsRecorder().register_counter("c", None, [])
    assert isinstance(handle, CounterImpl)


def test_async_methods_are_coroutine_functions():
    assert inspect.iscoroutinefunction(Db.put)
    assert not inspect.iscoroutinefunction(Db.status)
    assert inspect.iscoroutinefunction(u.DbBuilder.build)
    assert not inspect.iscoroutinefunction(u.AdminBuilder.build)
    assert not inspect.iscoroutinefunction(u.Admin.create_clone_builder_from_source)
    assert FlushType.WAL.value == 1
