# SPDX-License-Identifier: Apache-2.0
"""SlateDB's current Python API (upstream 0.12 onwards, as in 0.17): async-only, configured
with builders.

    import asyncio
    from slatedb.uniffi import DbBuilder, KeyRange, ObjectStore

    async def main():
        db = await DbBuilder("demo/db", ObjectStore.resolve("memory:///")).build()
        await db.put(b"k", b"v")
        print(await db.get(b"k"))
        await db.shutdown()

    asyncio.run(main())

The older API (``from slatedb import SlateDB``) lives in the top-level module and is
independent of this one; both run on the same engine and native bindings.
"""

from ._admin import Admin, AdminBuilder, CloneBuilder
from ._callbacks import (Counter, CounterImpl, Gauge, GaugeImpl, Histogram, HistogramImpl,
                         LogCallback, LogCallbackImpl, MergeOperator, MergeOperatorImpl,
                         MetricsRecorder, MetricsRecorderImpl, PrefixExtractor,
                         PrefixExtractorImpl, UpDownCounter, UpDownCounterImpl)
from ._config import DbCache, FilterPolicy, Settings
from ._db import (Db, DbBuilder, DbIterator, DbSnapshot, DbTransaction, WriteBatch,
                  WriteHandle)
from ._errors import Error, InternalError, MergeOperatorCallbackError
from ._logging import init_logging
from ._metrics import DefaultMetricsRecorder
from ._protocols import (AdminBuilderProtocol, AdminProtocol, CloneBuilderProtocol,
                         DbBuilderProtocol, DbCacheProtocol, DbIteratorProtocol, DbProtocol,
                         DbReaderBuilderProtocol, DbReaderProtocol, DbSnapshotProtocol,
                         DbTransactionProtocol, DefaultMetricsRecorderProtocol,
                         FilterPolicyProtocol, ObjectStoreBuilderProtocol, ObjectStoreProtocol,
                         SettingsProtocol, SlateDbWalIteratorProtocol, SlateDbWalReaderProtocol,
                         WriteBatchProtocol, WriteHandleProtocol)
from ._reader import DbReader, DbReaderBuilder
from ._store import ObjectStore, ObjectStoreBuilder
from ._values import *  # noqa: F401,F403 - enums, tagged unions and records
from ._wal import SlateDbWalIterator, SlateDbWalReader
from . import _native_errors  # noqa: F401 - routes engine errors to Error

__all__ = [
    "InternalError",
    "FlushType",
    "SourceId",
    "CompactionSpec",
    "CompactionStatus",
    "CompressionCodec",
    "SstType",
    "FilterFormat",
    "CloseReason",
    "LogLevel",
    "Ttl",
    "MetricValue",
    "DurabilityLevel",
    "FilterContext",
    "RowEntryKind",
    "IterationOrder",
    "CacheTarget",
    "Error",
    "IsolationLevel",
    "MergeOperatorCallbackError",
    "ObjectStoreType",
    "PrefixTarget",
    "ReaderMode",
    "SstBlockSize",
    "BloomFilterOptions",
    "Checkpoint",
    "CheckpointCreateResult",
    "CheckpointOptions",
    "KeyRange",
    "CloneSourceSpec",
    "CloseOptions",
    "SsTableId",
    "SsTableInfo",
    "SsTableHandle",
    "Compaction",
    "VersionedCompactions",
    "ExternalDb",
    "SsTableView",
    "SortedRun",
    "Segment",
    "VersionedManifest",
    "CompactorStateView",
    "SegmentPrefix",
    "DbStatus",
    "FlushOptions",
    "FoyerCacheOptions",
    "GarbageCollectorDirectoryOptions",
    "GarbageCollectorScheduleOptions",
    "GarbageCollectorOptions",
    "HistogramMetricValue",
    "ObjectMetadata",
    "IdentifiedObjectMetadata",
    "KeyValue",
    "LogRecord",
    "MergeOptions",
    "MetricLabel",
    "Metric",
    "MokaCacheOptions",
    "PutOptions",
    "TracingOptions",
    "ReadOptions",
    "ReaderOptions",
    "RowEntry",
    "ScanOptions",
    "SlateDbWalReaderOptions",
    "WalRows",
    "WriteOptions",
    "init_logging",
    "ObjectStore",
    "ObjectStoreProtocol",
    "CloneBuilder",
    "CloneBuilderProtocol",
    "Admin",
    "AdminProtocol",
    "AdminBuilder",
    "AdminBuilderProtocol",
    "CounterImpl",
    "Counter",
    "WriteHandle",
    "WriteHandleProtocol",
    "DbIterator",
    "DbIteratorProtocol",
    "DbTransaction",
    "DbTransactionProtocol",
    "DbSnapshot",
    "DbSnapshotProtocol",
    "WriteBatch",
    "WriteBatchProtocol",
    "Db",
    "DbProtocol",
    "DbCache",
    "DbCacheProtocol",
    "FilterPolicy",
    "FilterPolicyProtocol",
    "MergeOperatorImpl",
    "MergeOperator",
    "GaugeImpl",
    "Gauge",
    "UpDownCounterImpl",
    "UpDownCounter",
    "HistogramImpl",
    "Histogram",
    "MetricsRecorderImpl",
    "MetricsRecorder",
    "PrefixExtractorImpl",
    "PrefixExtractor",
    "Settings",
    "SettingsProtocol",
    "DbBuilder",
    "DbBuilderProtocol",
    "DbReader",
    "DbReaderProtocol",
    "DbReaderBuilder",
    "DbReaderBuilderProtocol",
    "DefaultMetricsRecorder",
    "DefaultMetricsRecorderProtocol",
    "LogCallbackImpl",
    "LogCallback",
    "ObjectStoreBuilder",
    "ObjectStoreBuilderProtocol",
    "SlateDbWalIterator",
    "SlateDbWalIteratorProtocol",
    "SlateDbWalReader",
    "SlateDbWalReaderProtocol",
]
