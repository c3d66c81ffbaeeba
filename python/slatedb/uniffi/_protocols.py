# SPDX-License-Identifier: Apache-2.0
"""The <Name>Protocol classes of slatedb.uniffi: typing.Protocol descriptions of the native
objects, listing their methods. Each concrete class (Db, Admin, ...) inherits from its
Protocol, so either can be used in annotations.
"""

from __future__ import annotations

from typing import List, Optional, Protocol



class AdminBuilderProtocol(Protocol):
    def build(self) -> Admin:
        ...

    def with_seed(self, seed: int) -> None:
        ...

    def with_wal_object_store(self, wal_object_store: ObjectStore) -> None:
        ...


class AdminProtocol(Protocol):
    def create_clone_builder_from_source(self, source: CloneSourceSpec) -> CloneBuilder:
        ...

    async def create_detached_checkpoint(self,
                                         options: CheckpointOptions) -> CheckpointCreateResult:
        ...

    async def delete_checkpoint(self, id: str) -> None:
        ...

    async def delete_db(self, confirm: bool) -> List[str]:
        ...

    async def get_sequence_for_timestamp(self, timestamp_secs: int,
                                         round_up: bool) -> Optional[int]:
        ...

    async def get_timestamp_for_sequence(self, seq: int, round_up: bool) -> Optional[int]:
        ...

    async def list_checkpoints(self, name_filter: Optional[str]) -> List[Checkpoint]:
        ...

    async def list_compactions(self, _from: Optional[int],
                               to: Optional[int]) -> List[VersionedCompactions]:
        ...

    async def list_manifests(self, _from: Optional[int],
                             to: Optional[int]) -> List[VersionedManifest]:
        ...

    async def read_compaction(self, compaction_id: str,
                              compactions_id: Optional[int]) -> Optional[Compaction]:
        ...

    async def read_compactions(self, id: Optional[int]) -> Optional[VersionedCompactions]:
        ...

    async def read_compactor_state_view(self) -> CompactorStateView:
        ...

    async def read_manifest(self, id: Optional[int]) -> Optional[VersionedManifest]:
        ...

    async def refresh_checkpoint(self, id: str, lifetime_ms: Optional[int]) -> None:
        ...

    async def run_gc_once(self, options: Optional[GarbageCollectorOptions]) -> None:
        ...

    async def submit_compaction(self, spec: CompactionSpec) -> Compaction:
        ...


class CloneBuilderProtocol(Protocol):
    async def build(self) -> None:
        ...

    def with_clone_path(self, clone_path: str) -> None:
        ...

    def with_object_store(self, object_store: ObjectStore) -> None:
        ...

    def with_projection_range(self, projection_range: Optional[KeyRange]) -> None:
        ...

    def with_seed(self, seed: int) -> None:
        ...

    def with_source(self, source: CloneSourceSpec) -> None:
        ...

    def with_wal_object_store(self, wal_object_store: ObjectStore) -> None:
        ...


class DbBuilderProtocol(Protocol):
    async def build(self) -> Db:
        ...

    def with_db_cache(self, db_cache: DbCache, db_cache_id: int) -> None:
        ...

    def with_db_cache_disabled(self) -> None:
        ...

    def with_filter_policies(self, policies: List[FilterPolicy]) -> None:
        ...

    def with_merge_operator(self, merge_operator: MergeOperator) -> None:
        ...

    def with_metrics_recorder(self, metrics_recorder: MetricsRecorder) -> None:
        ...

    def with_seed(self, seed: int) -> None:
        ...

    def with_segment_extractor(self, extractor: PrefixExtractor) -> None:
        ...

    def with_settings(self, settings: Settings) -> None:
        ...

    def with_sst_block_size(self, sst_block_size: SstBlockSize) -> None:
        ...

    def with_wal_object_store(self, wal_object_store: ObjectStore) -> None:
        ...


class DbCacheProtocol(Protocol):
    pass


class DbIteratorProtocol(Protocol):
    async def next(self) -> Optional[KeyValue]:
        ...

    async def next_batch(self, max: int) -> List[KeyValue]:
        ...

    async def seek(self, key: bytes) -> None:
        ...


class DbProtocol(Protocol):
    async def begin(self, isolation_level: IsolationLevel) -> DbTransaction:
        ...

    async def delete(self, key: bytes) -> WriteHandle:
        ...

    async def delete_with_options(self, key: bytes, options: WriteOptions) -> WriteHandle:
        ...

    async def evict_cached_sst(self, sst_id: SsTableId) -> None:
        ...

    async def flush(self) -> None:
        ...

    async def flush_cache_to_disk(self) -> None:
        ...

    async def flush_with_options(self, options: FlushOptions) -> None:
        ...

    async def get(self, key: bytes) -> Optional[bytes]:
        ...

    async def get_key_value(self, key: bytes) -> Optional[KeyValue]:
        ...

    async def get_key_value_with_options(self, key: bytes,
                                         options: ReadOptions) -> Optional[KeyValue]:
        ...

    async def get_with_options(self, key: bytes, options: ReadOptions) -> Optional[bytes]:
        ...

    async def merge(self, key: bytes, operand: bytes) -> WriteHandle:
        ...

    async def merge_with_options(self, key: bytes, operand: bytes, merge_options: MergeOptions,
                                 write_options: WriteOptions) -> WriteHandle:
        ...

    async def put(self, key: bytes, value: bytes) -> WriteHandle:
        ...

    async def put_with_options(self, key: bytes, value: bytes, put_options: PutOptions,
                               write_options: WriteOptions) -> WriteHandle:
        ...

    async def scan(self, range: KeyRange) -> DbIterator:
        ...

    async def scan_prefix(self, prefix: bytes, subrange: KeyRange) -> DbIterator:
        ...

    async def scan_prefix_with_options(self, prefix: bytes, subrange: KeyRange,
                                       options: ScanOptions) -> DbIterator:
        ...

    async def scan_with_options(self, range: KeyRange, options: ScanOptions) -> DbIterator:
        ...

    async def shutdown(self) -> None:
        ...

    async def shutdown_with_options(self, options: CloseOptions) -> None:
        ...

    async def snapshot(self) -> DbSnapshot:
        ...

    def status(self) -> DbStatus:
        ...

    async def warm_sst(self, sst_id: SsTableId, targets: List[CacheTarget]) -> None:
        ...

    async def write(self, batch: WriteBatch) -> WriteHandle:
        ...

    async def write_with_options(self, batch: WriteBatch, options: WriteOptions) -> WriteHandle:
        ...


class DbReaderBuilderProtocol(Protocol):
    async def build(self) -> DbReader:
        ...

    def with_db_cache(self, db_cache: DbCache, db_cache_id: int) -> None:
        ...

    def with_db_cache_disabled(self) -> None:
        ...

    def with_filter_policies(self, policies: List[FilterPolicy]) -> None:
        ...

    def with_merge_operator(self, merge_operator: MergeOperator) -> None:
        ...

    def with_metrics_recorder(self, metrics_recorder: MetricsRecorder) -> None:
        ...

    def with_options(self, options: ReaderOptions) -> None:
        ...

    def with_reader_mode(self, mode: ReaderMode) -> None:
        ...

    def with_segment_extractor(self, extractor: PrefixExtractor) -> None:
        ...

    def with_wal_object_store(self, wal_object_store: ObjectStore) -> None:
        ...


class DbReaderProtocol(Protocol):
    async def evict_cached_sst(self, sst_id: SsTableId) -> None:
        ...

    async def flush_cache_to_disk(self) -> None:
        ...

    async def get(self, key: bytes) -> Optional[bytes]:
        ...

    async def get_key_value(self, key: bytes) -> Optional[KeyValue]:
        ...

    async def get_key_value_with_options(self, key: bytes,
                                         options: ReadOptions) -> Optional[KeyValue]:
        ...

    async def get_with_options(self, key: bytes, options: ReadOptions) -> Optional[bytes]:
        ...

    async def scan(self, range: KeyRange) -> DbIterator:
        ...

    async def scan_prefix(self, prefix: bytes, subrange: KeyRange) -> DbIterator:
        ...

    async def scan_prefix_with_options(self, prefix: bytes, subrange: KeyRange,
                                       options: ScanOptions) -> DbIterator:
        ...

    async def scan_with_options(self, range: KeyRange, options: ScanOptions) -> DbIterator:
        ...

    async def shutdown(self) -> None:
        ...

    def status(self) -> DbStatus:
        ...

    async def warm_sst(self, sst_id: SsTableId, targets: List[CacheTarget]) -> None:
        ...


class DbSnapshotProtocol(Protocol):
    async def get(self, key: bytes) -> Optional[bytes]:
        ...

    async def get_key_value(self, key: bytes) -> Optional[KeyValue]:
        ...

    async def get_key_value_with_options(self, key: bytes,
                                         options: ReadOptions) -> Optional[KeyValue]:
        ...

    async def get_with_options(self, key: bytes, options: ReadOptions) -> Optional[bytes]:
        ...

    async def scan(self, range: KeyRange) -> DbIterator:
        ...

    async def scan_prefix(self, prefix: bytes, subrange: KeyRange) -> DbIterator:
        ...

    async def scan_prefix_with_options(self, prefix: bytes, subrange: KeyRange,
                                       options: ScanOptions) -> DbIterator:
        ...

    async def scan_with_options(self, range: KeyRange, options: ScanOptions) -> DbIterator:
        ...


class DbTransactionProtocol(Protocol):
    async def commit(self) -> Optional[WriteHandle]:
        ...

    async def commit_with_options(self, options: WriteOptions) -> Optional[WriteHandle]:
        ...

    async def delete(self, key: bytes) -> None:
        ...

    async def get(self, key: bytes) -> Optional[bytes]:
        ...

    async def get_key_value(self, key: bytes) -> Optional[KeyValue]:
        ...

    async def get_key_value_with_options(self, key: bytes,
                                         options: ReadOptions) -> Optional[KeyValue]:
        ...

    async def get_with_options(self, key: bytes, options: ReadOptions) -> Optional[bytes]:
        ...

    def id(self) -> str:
        ...

    async def mark_read(self, keys: List[bytes]) -> None:
        ...

    async def merge(self, key: bytes, operand: bytes) -> None:
        ...

    async def merge_with_options(self, key: bytes, operand: bytes, options: MergeOptions) -> None:
        ...

    async def put(self, key: bytes, value: bytes) -> None:
        ...

    async def put_with_options(self, key: bytes, value: bytes, options: PutOptions) -> None:
        ...

    async def rollback(self) -> None:
        ...

    async def scan(self, range: KeyRange) -> DbIterator:
        ...

    async def scan_prefix(self, prefix: bytes, subrange: KeyRange) -> DbIterator:
        ...

    async def scan_prefix_with_options(self, prefix: bytes, subrange: KeyRange,
                                       options: ScanOptions) -> DbIterator:
        ...

    async def scan_with_options(self, range: KeyRange, options: ScanOptions) -> DbIterator:
        ...

    def seqnum(self) -> int:
        ...

    async def unmark_write(self, keys: List[bytes]) -> None:
        ...


class DefaultMetricsRecorderProtocol(Protocol):
    def metric_by_name_and_labels(self, name: str, labels: List[MetricLabel]) -> Optional[Metric]:
        ...

    def metrics_by_name(self, name: str) -> List[Metric]:
        ...

    def register_counter(self, name: str, description: Optional[str],
                         labels: List[MetricLabel]) -> Counter:
        ...

    def register_gauge(self, name: str, description: Optional[str],
                       labels: List[MetricLabel]) -> Gauge:
        ...

    def register_histogram(self, name: str, description: Optional[str],
                           labels: List[MetricLabel], boundaries: List[float]) -> Histogram:
        ...

    def register_up_down_counter(self, name: str, description: Optional[str],
                                 labels: List[MetricLabel]) -> UpDownCounter:
        ...

    def snapshot(self) -> List[Metric]:
        ...


class FilterPolicyProtocol(Protocol):
    def name(self) -> str:
        ...


class ObjectStoreBuilderProtocol(Protocol):
    def build(self) -> ObjectStore:
        ...

    def with_config(self, key: str, value: str) -> None:
        ...

    def with_url(self, url: str) -> None:
        ...


class ObjectStoreProtocol(Protocol):
    pass


class SettingsProtocol(Protocol):
    def set(self, key: str, value_json: str) -> None:
        ...

    def to_json_string(self) -> str:
        ...


class SlateDbWalIteratorProtocol(Protocol):
    async def next(self) -> Optional[WalRows]:
        ...


class SlateDbWalReaderProtocol(Protocol):
    async def iterator(self, start_wal_file_id: int) -> SlateDbWalIterator:
        ...

    async def last_wal_file_id(self, replay_after_wal_id: int) -> int:
        ...


class WriteBatchProtocol(Protocol):
    def delete(self, key: bytes) -> None:
        ...

    def merge(self, key: bytes, operand: bytes) -> None:
        ...

    def merge_with_options(self, key: bytes, operand: bytes, options: MergeOptions) -> None:
        ...

    def put(self, key: bytes, value: bytes) -> None:
        ...

    def put_with_options(self, key: bytes, value: bytes, options: PutOptions) -> None:
        ...


class WriteHandleProtocol(Protocol):
    async def await_durable(self) -> None:
        ...

    def create_ts(self) -> int:
        ...

    def seqnum(self) -> int:
        ...
