# SPDX-License-Identifier: Apache-2.0
"""AdminBuilder, Admin and CloneBuilder (python-uniffi-api.md sections 3.14, 3.15)."""

from __future__ import annotations

import asyncio
import json

from .. import slatedb as _native
from . import _convert as cv
from . import _manifest
from ._db import _finish, wal_handle
from ._errors import Error
from ._ids import parse_ulid, parse_uuid
from ._protocols import AdminBuilderProtocol, AdminProtocol, CloneBuilderProtocol
from ._store import ObjectStore
from ._values import (CheckpointCreateResult, CloneSourceSpec, CompactionSpec,
                      CompactorStateView, KeyRange)

_u = _native._uniffi
_NO_DB = ("Data error: failed to find latest transactional object (e.g. manifest) version")

# run_gc_once(None): upstream's default schedule, every directory older than 5 minutes.
_DEFAULT_MIN_AGE_MS = 300_000
_GC_DIRS = (("manifest_options", "manifest"), ("wal_options", "wal"),
            ("compacted_options", "compacted"), ("compactions_options", "compactions"))


def _no_constructor(self, *args, **kwargs):
    raise ValueError("This class has no default constructor")


class AdminBuilder(AdminBuilderProtocol):
    """Builds an Admin for the database at `path` (which need not exist yet); single use."""

    def __init__(self, path: str, object_store: ObjectStore):
        self._path = cv.string(path)
        self._store = cv.instance(object_store, ObjectStore)
        self._wal_store = None
        self._seed = None
        self._consumed = False

    def _use(self):
        if self._consumed:
            raise Error.Invalid("builder has already been consumed")

    def with_seed(self, seed: int) -> None:
        self._use()
        self._seed = cv.integer(seed, "u64")

    def with_wal_object_store(self, wal_object_store: ObjectStore) -> None:
        self._use()
        self._wal_store = cv.instance(wal_object_store, ObjectStore)

    def build(self) -> "Admin":
        self._use()
        self._consumed = True
        return Admin._make(self._store, self._path, self._wal_store, self._seed)


class Admin(AdminProtocol):
    """Administration of one database without a writer: manifests, compactions, checkpoints,
    garbage collection, the sequence <-> time mapping and clones."""

    __init__ = _no_constructor

    @classmethod
    def _make(cls, store: ObjectStore, path: str, wal_store=None, seed=None) -> "Admin":
        admin = object.__new__(cls)
        admin._store = store
        admin._wal_store = wal_store
        admin._path = path
        handle, native_path = store._bind(path)
        admin._h = _u.admin_new(handle, native_path, wal_handle(wal_store, path), seed)
        return admin

    # --- manifests
    async def read_manifest(self, id):
        mid = cv.optional_integer(id, "u64")
        text = await _finish(_u.admin_read_manifest(self._h, mid))
        return None if text is None else _manifest.manifest(text)

    async def list_manifests(self, _from, to):
        lo = cv.optional_integer(_from, "u64")
        hi = cv.optional_integer(to, "u64")
        listed = json.loads(await _finish(_u.admin_list_manifests(self._h, lo, hi)))
        out = []
        for entry in listed:
            text = await _finish(_u.admin_read_manifest(self._h, entry["id"]))
            if text is not None:  # collected meanwhile
                out.append(_manifest.manifest(text))
        return out

    async def read_compactor_state_view(self) -> CompactorStateView:
        manifest_text = await _finish(_u.admin_read_manifest(self._h, None))
        if manifest_text is None:
            raise Error.Data(_NO_DB)
        compactions = await self._compactions(None, manifest_text)
        return CompactorStateView(compactions=compactions,
                                  manifest=_manifest.manifest(manifest_text))

    # --- compactions
    async def _sst_index(self):
        return _manifest.sst_index(await _finish(_u.admin_read_manifest(self._h, None)))

    async def _compactions(self, id, manifest_text=None):
        text = await _finish(_u.admin_read_compactions(self._h, id))
        if text is None:
            return None
        if manifest_text is None:
            ssts = await self._sst_index()
        else:
            ssts = _manifest.sst_index(manifest_text)
        return _manifest.compactions(text, ssts)

    async def read_compactions(self, id):
        return await self._compactions(cv.optional_integer(id, "u64"))

    async def list_compactions(self, _from, to):
        lo = cv.optional_integer(_from, "u64")
        hi = cv.optional_integer(to, "u64")
        listed = json.loads(await _finish(_u.admin_list_compactions(self._h, lo, hi)))
        out = []
        for entry in listed:
            state = await self._compactions(entry["id"])
            if state is not None:
                out.append(state)
        return out

    async def read_compaction(self, compaction_id: str, compactions_id):
        ulid = parse_ulid(cv.string(compaction_id), "invalid compaction_id ULID")
        cid = cv.optional_integer(compactions_id, "u64")
        text = await _finish(_u.admin_read_compaction(self._h, ulid, cid))
        if text is None:
            return None
        return _manifest.compaction(json.loads(text), await self._sst_index())

    async def submit_compaction(self, spec: CompactionSpec):
        """Records a TIERED merge or a DRAIN_SEGMENT (the segment's listed L0 SSTs and sorted
        runs leave the manifest, nothing is written) for the compactor. As upstream's, a
        drain is not checked against the manifest here: the compactor fails one that names
        the root tree, a missing segment or missing sources."""
        drain = spec.is_DRAIN_SEGMENT()
        if not drain and not spec.is_TIERED():
            raise ValueError(str(spec))
        segment = cv.as_bytes(spec.segment)
        sources = []
        for source in spec.sources:
            if source.is_SORTED_RUN():
                sources.append((0, cv.integer(source[0], "u32")))
            elif source.is_SST_VIEW():
                sources.append((1, parse_ulid(cv.string(source[0]), "invalid SST ULID")))
            else:
                raise ValueError(str(source))
        destination = 0 if drain else cv.integer(spec.destination, "u32")
        text = await _finish(_u.admin_submit_compaction(self._h, sources, destination, segment,
                                                        drain))
        return _manifest.compaction(json.loads(text), {})

    # --- checkpoints
    async def create_detached_checkpoint(self, options) -> CheckpointCreateResult:
        lifetime = cv.optional_integer(options.lifetime_ms, "u64")
        source = options.source
        if source is not None:
            source = parse_uuid(cv.string(source), "invalid checkpoint_id UUID")
        name = cv.optional_string(options.name)
        created = await _finish(_u.admin_create_checkpoint(self._h, lifetime, source, name))
        return CheckpointCreateResult(id=created[0], manifest_id=created[1])

    async def list_checkpoints(self, name_filter):
        name = cv.optional_string(name_filter)
        rows = await _finish(_u.admin_list_checkpoints(self._h, name))
        return [_manifest.checkpoint({"id": r[0], "manifest_id": r[1], "create_time_ms": r[2],
                                      "expire_time_ms": r[3], "name": r[4]}) for r in rows]

    async def refresh_checkpoint(self, id: str, lifetime_ms) -> None:
        cid = parse_uuid(cv.string(id), "invalid checkpoint_id UUID")
        lifetime = cv.optional_integer(lifetime_ms, "u64")
        await _finish(_u.admin_refresh_checkpoint(self._h, cid, lifetime))

    async def delete_checkpoint(self, id: str) -> None:
        cid = parse_uuid(cv.string(id), "invalid checkpoint_id UUID")
        await _finish(_u.admin_delete_checkpoint(self._h, cid))

    # --- sequence <-> time
    async def get_timestamp_for_sequence(self, seq: int, round_up: bool):
        s = cv.integer(seq, "u64")
        up = cv.boolean(round_up)
        if not await self._exists():
            return None
        ms = await _finish(_u.admin_timestamp_for_sequence(self._h, s, up))
        return None if ms is None else ms // 1000

    async def get_sequence_for_timestamp(self, timestamp_secs: int, round_up: bool):
        secs = cv.integer(timestamp_secs, "i64")
        up = cv.boolean(round_up)
        ms = secs * 1000
        if not -(1 << 63) <= ms < (1 << 63):
            raise Error.Invalid(f"invalid timestamp seconds: {secs}")
        if not await self._exists():
            return None
        return await _finish(_u.admin_sequence_for_timestamp(self._h, ms, up))

    async def _exists(self) -> bool:
        """Whether a database exists here (lookups on an empty path answer None)."""
        return await _finish(_u.admin_read_manifest(self._h, None)) is not None

    # --- garbage collection, deletion
    async def run_gc_once(self, options) -> None:
        await self._gc_once(options)

    async def _gc_once(self, options) -> None:
        dirs = {}
        boundary_files = True
        if options is None:
            for _, name in _GC_DIRS:
                dirs[name] = (None, _DEFAULT_MIN_AGE_MS)
        else:
            for field, name in _GC_DIRS:
                d = getattr(options, field)
                if d is None:
                    continue
                cv.optional_integer(d.interval_ms, "u64")
                min_age = cv.integer(d.min_age_ms, "u64")
                if not cv.boolean(d.dry_run):  # a dry run deletes nothing
                    dirs[name] = (None, min_age)
            # This build's stores hold no WAL fence or detach objects, so those options have
            # nothing to act on.
            if options.wal_fence_options is not None:
                cv.integer(options.wal_fence_options.min_age_ms, "u64")
            if options.detach_options is not None:
                cv.optional_integer(options.detach_options.interval_ms, "u64")
            # True deletes old manifest/compactions versions without raising gc/*.boundary.
            boundary_files = not cv.boolean(options.disable_boundary_files)
            cv.optional_integer(options.object_store_max_retries, "u32")
        if not await self._exists():
            return None  # no database here: nothing to collect
        await _finish(_u.admin_gc_once(self._h, dirs, boundary_files))

    async def delete_db(self, confirm: bool):
        """Deletes every object under the database's path (with `confirm`; without, deletes
        nothing) and returns their paths from the store's root, as upstream: a live writer or
        live checkpoints do not stop it; a deletion also lists its "<path>/.deleting"
        marker, written first and removed last."""
        dry_run = not cv.boolean(confirm)
        keys = await _finish(_u.admin_delete_db(self._h, dry_run))
        # The engine's keys are relative to the native store; upstream's to the store's root.
        _, native_path = self._store._bind(self._path)
        root_path = self._path.strip("/")
        return [root_path + k[len(native_path):] if k.startswith(native_path) else k
                for k in keys]

    # --- clones
    def create_clone_builder_from_source(self, source: CloneSourceSpec) -> "CloneBuilder":
        return CloneBuilder._make(self, _clone_source(source))


def _clone_source(source):
    path = cv.string(source.path)
    checkpoint = source.checkpoint
    if checkpoint is not None:
        checkpoint = parse_uuid(cv.string(checkpoint), "invalid checkpoint_id UUID")
    projection = source.projection_range
    if projection is not None:
        cv.key_range(cv.instance(projection, KeyRange))  # upstream's range errors, at once
        projection = _bounds(projection)
    return path, checkpoint, projection


def _bounds(range_):
    """(start | None, start_inclusive, end | None, end_inclusive) of a checked KeyRange."""
    start = None if range_.start is None else cv.as_bytes(range_.start)
    end = None if range_.end is None else cv.as_bytes(range_.end)
    return start, bool(range_.start_inclusive), end, bool(range_.end_inclusive)


def _intersect(a, b):
    """The intersection of two _bounds() tuples (either may be None: everything)."""
    if a is None or b is None:
        return a if b is None else b
    (s1, si1, e1, ei1), (s2, si2, e2, ei2) = a, b
    if s1 is None or (s2 is not None and (s2 > s1 or (s2 == s1 and not si2))):
        s1, si1 = s2, si2
    if e1 is None or (e2 is not None and (e2 < e1 or (e2 == e1 and not ei2))):
        e1, ei1 = e2, ei2
    return s1, si1, e1, ei1


class CloneBuilder(CloneBuilderProtocol):
    """Creates a new database from checkpoints of existing ones; single use."""

    __init__ = _no_constructor

    @classmethod
    def _make(cls, admin: Admin, first_source) -> "CloneBuilder":
        builder = object.__new__(cls)
        builder._admin = admin
        builder._sources = [first_source]
        builder._path = admin._path
        builder._store = admin._store
        builder._wal_store = None
        builder._projection = None
        builder._seed = None
        builder._consumed = False
        return builder

    def _use(self):
        if self._consumed:
            raise Error.Invalid("builder has already been consumed")

    def with_source(self, source: CloneSourceSpec) -> None:
        self._use()
        self._sources.append(_clone_source(source))

    def with_clone_path(self, clone_path: str) -> None:
        self._use()
        self._path = cv.string(clone_path)

    def with_object_store(self, object_store: ObjectStore) -> None:
        self._use()
        self._store = cv.instance(object_store, ObjectStore)

    def with_wal_object_store(self, wal_object_store: ObjectStore) -> None:
        """Accepted and kept, as upstream 0.17's, which does not use it: the clone's WAL
        objects are copied (from its source's wal/ to its own) inside the Admin's WAL store
        (AdminBuilder.with_wal_object_store), else the Admin's object store."""
        self._use()
        self._wal_store = cv.instance(wal_object_store, ObjectStore)

    def with_projection_range(self, projection_range) -> None:
        self._use()
        if projection_range is not None:
            cv.key_range(cv.instance(projection_range, KeyRange))
            projection_range = _bounds(projection_range)
        self._projection = projection_range

    def with_seed(self, seed: int) -> None:
        """Seeds the ids the clone makes (its pins' checkpoint ids, a source's new
        checkpoint), so the same seed makes the same ids (as upstream's)."""
        self._use()
        self._seed = cv.integer(seed, "u64")

    async def build(self) -> None:
        self._use()
        self._consumed = True
        # As upstream: with_object_store names the store of the whole clone, its sources
        # included (a clone references its sources' SSTs by path in its own store, so they
        # must be there); the WAL objects are copied in the Admin's WAL store, else in the
        # Admin's own object store, even when the clone is made in another.
        for path, _, _ in self._sources:
            if not self._store._same_root(self._path, path):
                raise Error.Invalid("on a local store a clone must be in the same directory as "
                                    "its sources")
        other_store = self._store is not self._admin._store
        if self._path == self._admin._path and self._seed is None and not other_store:
            admin = self._admin
        else:
            wal_store = self._admin._wal_store
            if wal_store is None and other_store:
                wal_store = self._admin._store
            admin = Admin._make(self._store, self._path, wal_store, self._seed)
        # A builder-wide projection narrows every source's (as upstream).
        sources = [(self._store._bind(path)[1], checkpoint,
                    _intersect(projection, self._projection))
                   for path, checkpoint, projection in self._sources]
        await _finish(_u.admin_clone_sources(admin._h, sources))
