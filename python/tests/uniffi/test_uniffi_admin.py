# SPDX-License-Identifier: Apache-2.0
"""AdminBuilder, Admin and CloneBuilder: the seventeen behaviours of python-uniffi-api.md
section 6.3, then the rest of sections 3.14 and 3.15."""

import time
import uuid

import pytest

from conftest import (UPSTREAM, everything, eventually, flush_memtable, flush_wal, keys_of,
                      open_db, open_reader, ours_only)
from slatedb.uniffi import (AdminBuilder, CheckpointOptions, CloneSourceSpec, CompactionSpec,
                            CompactionStatus, Error, GarbageCollectorDirectoryOptions,
                            GarbageCollectorOptions, GarbageCollectorScheduleOptions,
                            KeyRange, ObjectStore, Settings, SlateDbWalReader, SourceId,
                            VersionedManifest)

pytestmark = pytest.mark.asyncio

NO_OPTIONS = CheckpointOptions(lifetime_ms=None, source=None, name=None)
ULID = "01ARZ3NDEKTSV4RRFFQ69G5FAV"


def admin_for(store, path="test-db"):
    return AdminBuilder(path, store).build()


async def two_flushes(store):
    db = await open_db(store)
    await db.put(b"a", b"1")
    await flush_memtable(db)
    second = await db.put(b"b", b"2")
    await flush_memtable(db)
    return db, second


# ---------------------------------------------------------------------- section 6.3 (17)

async def test_builder_with_seed_and_wal_store(store):
    wal_store = ObjectStore.resolve("memory:///")
    db = await open_db(store, configure=lambda b: b.with_wal_object_store(wal_store))
    await db.shutdown()
    builder = AdminBuilder("test-db", store)
    builder.with_seed(7)
    builder.with_wal_object_store(wal_store)
    admin = builder.build()
    assert (await admin.read_manifest(None)).id > 0
    with pytest.raises(Error.Invalid, match="builder has already been consumed"):
        builder.with_seed(1)


async def test_builder_is_single_use(store):
    db = await open_db(store)
    await db.shutdown()
    builder = AdminBuilder("test-db", store)
    admin = builder.build()
    assert (await admin.read_manifest(None)).id > 0
    for call in (lambda: builder.build(), lambda: builder.with_seed(1)):
        with pytest.raises(Error.Invalid, match="builder has already been consumed"):
            call()


async def test_manifests(store):
    db, second = await two_flushes(store)
    admin = admin_for(store)
    latest = await admin.read_manifest(None)
    assert isinstance(latest, VersionedManifest)
    assert latest.id >= 3 and latest.last_l0_seq >= second.seqnum()
    assert (await admin.read_manifest(1)).last_l0_seq == 0
    assert await admin.read_manifest(2 ** 63) is None
    listed = await admin.list_manifests(None, None)
    assert len(listed) >= 3 and listed[0].id == 1 and listed[-1].id == latest.id
    assert [m.id for m in await admin.list_manifests(2, 3)] == [2]
    assert await admin.list_manifests(3, 2) == []
    view = await admin.read_compactor_state_view()
    assert view.manifest.id == latest.id
    await db.shutdown()


async def test_compaction_queries_on_empty_store(store):
    admin = admin_for(store, "empty")
    assert await admin.read_compactions(None) is None
    assert await admin.read_compactions(1) is None
    assert await admin.read_compaction(ULID, None) is None
    assert await admin.list_compactions(None, None) == []
    assert await admin.list_compactions(2, 2) == []
    with pytest.raises(Error.Invalid, match="invalid compaction_id ULID"):
        await admin.read_compaction("not-a-ulid", None)


async def test_run_gc_once(store):
    db, _ = await two_flushes(store)
    admin = admin_for(store)
    await admin.run_gc_once(None)
    directory = GarbageCollectorDirectoryOptions(min_age_ms=1, dry_run=True)
    await admin.run_gc_once(GarbageCollectorOptions(
        manifest_options=directory, wal_options=directory, compacted_options=directory,
        compactions_options=directory,
        detach_options=GarbageCollectorScheduleOptions(interval_ms=1000)))
    assert await db.get(b"a") == b"1"
    await db.shutdown()


async def reader_with_checkpoint(store):
    db = await open_db(store)
    await db.put(b"k", b"v")
    await flush_memtable(db)
    await db.shutdown()
    return await open_reader(store), admin_for(store)


async def test_reader_checkpoint_listed(store):
    reader, admin = await reader_with_checkpoint(store)
    checkpoints = await admin.list_checkpoints(None)
    assert len(checkpoints) == 1
    only = checkpoints[0]
    assert only.id and only.manifest_id > 0 and only.create_time_secs > 0
    assert await admin.list_checkpoints("non-existent") == []
    await reader.shutdown()

    async def gone():
        return await admin.list_checkpoints(None) == []

    await eventually(gone)


async def test_reader_checkpoint_unnamed(store):
    reader, admin = await reader_with_checkpoint(store)
    try:
        [only] = await admin.list_checkpoints(None)
        assert only.name is None
        assert [c.id for c in await admin.list_checkpoints("")] == [only.id]
    finally:
        await reader.shutdown()


async def test_timestamp_lookups(store):
    db = await open_db(store)
    first = await db.put(b"k", b"v")
    await first.await_durable()
    await flush_memtable(db)
    await db.shutdown()
    admin = admin_for(store)
    assert await admin.get_timestamp_for_sequence(first.seqnum(), True) is not None
    assert await admin.get_timestamp_for_sequence(2 ** 64 - 1, True) is None
    assert await admin.get_sequence_for_timestamp(1, False) is None
    later = await admin.get_sequence_for_timestamp(int(time.time()) + 86400, False)
    assert later is not None and later > 0
    with pytest.raises(Error.Invalid, match="invalid timestamp seconds"):
        await admin.get_sequence_for_timestamp(2 ** 63 - 1, False)


async def open_without_wal(store, name):
    # Sources of a union or projection may not have WAL files beyond their SSTs (upstream's
    # rule). Upstream needs wal_enabled=false for that; this engine always writes a WAL (it
    # refuses the setting, test_uniffi_config.py), and a memtable flush leaves none behind.
    settings = Settings.default()
    if UPSTREAM:
        settings.set("wal_enabled", "false")
    return await open_db(store, name, lambda b: b.with_settings(settings))


async def test_clone_three_sources(store):
    for name in ("src1", "src2", "src3"):
        db = await open_without_wal(store, name)
        await db.put(name.encode(), b"v")
        await flush_memtable(db)
        await db.shutdown()
    admin = admin_for(store, "clone")
    builder = admin.create_clone_builder_from_source(
        CloneSourceSpec(path="src1", checkpoint=None, projection_range=None))
    for name in ("src2", "src3"):
        builder.with_source(CloneSourceSpec(path=name, checkpoint=None, projection_range=None))
    await builder.build()
    clone = await open_db(store, "clone")
    for name in ("src1", "src2", "src3"):
        assert await clone.get(name.encode()) == b"v"
    await clone.shutdown()


async def test_detached_checkpoint_without_options(store):
    db, _ = await two_flushes(store)
    admin = admin_for(store)
    created = await admin.create_detached_checkpoint(NO_OPTIONS)
    assert str(uuid.UUID(created.id)) == created.id
    listed = await admin.list_checkpoints(None)
    assert [(c.id, c.manifest_id, c.name, c.expire_time_secs) for c in listed] == [
        (created.id, created.manifest_id, None, None)]
    await db.shutdown()


async def test_detached_checkpoint_lifetime(store):
    db, _ = await two_flushes(store)
    admin = admin_for(store)
    created = await admin.create_detached_checkpoint(
        CheckpointOptions(lifetime_ms=60_000, source=None, name=None))
    [listed] = [c for c in await admin.list_checkpoints(None) if c.id == created.id]
    assert listed.expire_time_secs > listed.create_time_secs
    assert abs(listed.expire_time_secs - (listed.create_time_secs + 60)) <= 2
    await db.shutdown()


async def test_detached_checkpoint_name(store):
    db, _ = await two_flushes(store)
    admin = admin_for(store)
    created = await admin.create_detached_checkpoint(
        CheckpointOptions(lifetime_ms=None, source=None, name="nightly"))
    assert [c.name for c in await admin.list_checkpoints(None)] == ["nightly"]
    assert [c.id for c in await admin.list_checkpoints("nightly")] == [created.id]
    assert await admin.list_checkpoints("other") == []
    await db.shutdown()


async def test_detached_checkpoint_from_source(store):
    db, _ = await two_flushes(store)
    admin = admin_for(store)
    first = await admin.create_detached_checkpoint(NO_OPTIONS)
    await db.put(b"c", b"3")
    await flush_memtable(db)
    second = await admin.create_detached_checkpoint(
        CheckpointOptions(lifetime_ms=None, source=first.id, name=None))
    assert second.manifest_id == first.manifest_id
    assert len(await admin.list_checkpoints(None)) == 2
    await db.shutdown()


async def test_refresh_checkpoint(store):
    db, _ = await two_flushes(store)
    admin = admin_for(store)
    created = await admin.create_detached_checkpoint(
        CheckpointOptions(lifetime_ms=10_000, source=None, name=None))
    [before] = await admin.list_checkpoints(None)
    time.sleep(1.1)
    await admin.refresh_checkpoint(created.id, 20_000)
    [after] = await admin.list_checkpoints(None)
    assert after.expire_time_secs > before.expire_time_secs
    await admin.refresh_checkpoint(created.id, None)
    assert [c.id for c in await admin.list_checkpoints(None)] == [created.id]
    with pytest.raises(Error.Invalid, match="invalid checkpoint_id"):
        await admin.refresh_checkpoint("abc", None)
    await db.shutdown()


async def test_delete_checkpoint(store):
    db, _ = await two_flushes(store)
    admin = admin_for(store)
    created = await admin.create_detached_checkpoint(NO_OPTIONS)
    await admin.delete_checkpoint(created.id)

    async def empty():
        return await admin.list_checkpoints(None) == []

    await eventually(empty)
    with pytest.raises(Error.Invalid, match="invalid checkpoint_id"):
        await admin.delete_checkpoint("abc")
    await db.shutdown()


async def test_delete_named_checkpoints(store):
    db, _ = await two_flushes(store)
    admin = admin_for(store)
    ids = {}
    for name in ("one", "two", "three"):
        ids[name] = (await admin.create_detached_checkpoint(
            CheckpointOptions(lifetime_ms=None, source=None, name=name))).id
    await admin.delete_checkpoint(ids["two"])
    assert sorted(c.name for c in await admin.list_checkpoints(None)) == ["one", "three"]
    await admin.delete_checkpoint(ids["one"])
    await admin.delete_checkpoint(ids["three"])

    async def empty():
        return await admin.list_checkpoints(None) == []

    await eventually(empty)
    await db.shutdown()


async def test_checkpoint_id_validation(store):
    db, _ = await two_flushes(store)
    admin = admin_for(store)
    with pytest.raises(Error.Invalid) as info:
        await admin.create_detached_checkpoint(
            CheckpointOptions(lifetime_ms=None, source="abc", name=None))
    assert info.value.message == ("invalid checkpoint_id UUID: invalid length: expected "
                                  "length 32 for simple format, found 3")
    await admin.delete_checkpoint(str(uuid.uuid4()))  # unknown: fine
    with pytest.raises(Error.Data):
        await admin.refresh_checkpoint(str(uuid.uuid4()), None)
    with pytest.raises(Error.Data):
        await admin.create_detached_checkpoint(
            CheckpointOptions(lifetime_ms=None, source=str(uuid.uuid4()), name=None))
    await db.shutdown()


# --------------------------------------------------------------- more of sections 3.14, 3.15

async def test_admin_on_missing_database(store):
    admin = admin_for(store, "missing")
    assert await admin.read_manifest(None) is None
    assert await admin.list_manifests(None, None) == []
    assert await admin.get_timestamp_for_sequence(1, False) is None
    await admin.run_gc_once(None)
    for call in (lambda: admin.read_compactor_state_view(),
                 lambda: admin.create_detached_checkpoint(NO_OPTIONS)):
        with pytest.raises(Error.Data) as info:
            await call()
        assert info.value.message.startswith("Data error: ")


async def test_submit_compaction(store):
    db, _ = await two_flushes(store)
    await db.shutdown()
    admin = admin_for(store)
    manifest = await admin.read_manifest(None)
    sources = [SourceId.SST_VIEW(view.sst.id.value) for view in manifest.l0]
    submitted = await admin.submit_compaction(
        CompactionSpec.TIERED(segment=b"", sources=sources, destination=0))
    assert submitted.status is CompactionStatus.SUBMITTED and submitted.active
    assert (await admin.read_compaction(submitted.id, None)).id == submitted.id
    state = await admin.read_compactions(None)
    assert [c.id for c in state.recent_compactions] == [submitted.id]
    assert len(await admin.list_compactions(None, None)) >= 1
    with pytest.raises(Error.Invalid) as info:
        await admin.submit_compaction(CompactionSpec.TIERED(
            segment=b"", sources=[SourceId.SST_VIEW("bad")], destination=0))
    assert info.value.message == "invalid SST ULID: invalid length"


async def test_clone_one_source(store):
    db = await open_db(store, "parent")
    await db.put(b"a", b"1")
    await db.put(b"z", b"2")
    await db.shutdown()
    admin = admin_for(store, "child")
    builder = admin.create_clone_builder_from_source(
        CloneSourceSpec(path="parent", checkpoint=None, projection_range=None))
    await builder.build()
    with pytest.raises(Error.Invalid, match="builder has already been consumed"):
        await builder.build()
    child = await open_db(store, "child")
    assert await child.get(b"a") == b"1" and await child.get(b"z") == b"2"
    await child.shutdown()


async def test_clone_source_checkpoint_checked_at_once(store):
    admin = admin_for(store, "child")
    with pytest.raises(Error.Invalid, match="invalid checkpoint_id UUID"):
        admin.create_clone_builder_from_source(
            CloneSourceSpec(path="parent", checkpoint="nope", projection_range=None))


async def test_clone_projection(store):
    db = await open_without_wal(store, "parent")
    await db.put(b"a", b"1")
    await db.put(b"z", b"2")
    await flush_memtable(db)
    await db.shutdown()
    admin = admin_for(store, "child")
    builder = admin.create_clone_builder_from_source(CloneSourceSpec(
        path="parent", checkpoint=None,
        projection_range=KeyRange(start=b"a", start_inclusive=True, end=b"m",
                                  end_inclusive=False)))
    await builder.build()
    child = await open_db(store, "child")
    assert await child.get(b"z") is None
    await child.shutdown()


async def source_with(store, name, keys):
    db = await open_without_wal(store, name)
    for key in keys:
        await db.put(key, b"v")
    await flush_memtable(db)
    await db.shutdown()


def spec(path, start=None, end=None):
    projection = None
    if start is not None or end is not None:
        projection = KeyRange(start=start, start_inclusive=True, end=end, end_inclusive=False)
    return CloneSourceSpec(path=path, checkpoint=None, projection_range=projection)


async def test_clone_sources_must_not_overlap(store):
    await source_with(store, "n1", [b"a1", b"x"])
    await source_with(store, "n2", [b"b1", b"c"])
    admin = admin_for(store, "clone")
    builder = admin.create_clone_builder_from_source(spec("n1"))
    builder.with_source(spec("n2"))
    with pytest.raises(Error.Invalid, match="overlapping key ranges"):
        await builder.build()
    builder = admin.create_clone_builder_from_source(spec("n1"))
    builder.with_source(spec("n1", b"a", b"b"))
    with pytest.raises(Error.Invalid, match="clone source paths must be unique"):
        await builder.build()
    assert await admin.read_manifest(None) is None
    # Projections that keep them apart are fine, and so is a source projected to nothing.
    await source_with(store, "n3", [b"a5"])
    builder = admin.create_clone_builder_from_source(spec("n1", b"a", b"b"))
    builder.with_source(spec("n2", b"b", b"c"))
    builder.with_source(spec("n3", b"x", b"z"))
    await builder.build()
    manifest = await admin.read_manifest(None)
    assert [e.path for e in manifest.external_dbs] == ["n1", "n2"]
    clone = await open_db(store, "clone")
    assert [k for k in await keys_of(await clone.scan(everything()))] == [b"a1", b"b1"]
    await clone.shutdown()


async def test_clone_projection_ranges_checked_at_once(store):
    admin = admin_for(store, "child")
    with pytest.raises(Error.Invalid, match="range must be non-empty"):
        admin.create_clone_builder_from_source(spec("parent", b"b", b"b"))


async def test_clone_builder_projection_narrows_every_source(store):
    await source_with(store, "p1", [b"a1", b"a9", b"x"])
    admin = admin_for(store, "child")
    builder = admin.create_clone_builder_from_source(spec("p1", b"a", b"b"))
    builder.with_projection_range(KeyRange(start=b"a5", start_inclusive=True, end=None,
                                           end_inclusive=False))
    await builder.build()
    child = await open_db(store, "child")
    assert [k for k in await keys_of(await child.scan(everything()))] == [b"a9"]
    await child.shutdown()


async def test_clone_with_seed_makes_the_same_ids(store):
    await source_with(store, "p", [b"a"])
    ids = []
    for name in ("c1", "c2"):
        builder = admin_for(store, name).create_clone_builder_from_source(spec("p"))
        builder.with_seed(7)
        await builder.build()
        manifest = await admin_for(store, name).read_manifest(None)
        ids.append([(e.final_checkpoint_id, e.source_checkpoint_id)
                    for e in manifest.external_dbs])
    assert ids[0] == ids[1]
    clone = await open_db(store, "c2")
    assert await clone.get(b"a") == b"v"
    await clone.shutdown()


async def test_delete_db(store):
    db = await open_db(store, "doomed")
    await db.put(b"k", b"v")
    await db.shutdown()
    admin = admin_for(store, "doomed")
    would = await admin.delete_db(False)
    assert would
    await admin.delete_db(True)
    assert await admin.read_manifest(None) is None


async def test_delete_db_lists_every_object_and_its_marker(store):
    fresh = admin_for(store, "fresh")
    assert await fresh.delete_db(False) == []
    assert await fresh.delete_db(True) == ["fresh/.deleting"]
    db = await open_db(store, "doomed")
    await db.put(b"k", b"v")
    await flush_memtable(db)
    await db.shutdown()
    admin = admin_for(store, "doomed")
    # A live checkpoint does not stop it (nor does it stop the dry run).
    await admin.create_detached_checkpoint(CheckpointOptions(lifetime_ms=None, source=None,
                                                             name=None))
    listed = await admin.delete_db(False)
    assert all(p.startswith("doomed/") for p in listed)
    for folder in ("manifest", "wal", "compacted"):
        assert any(p.startswith(f"doomed/{folder}/") for p in listed)
    assert await admin.delete_db(False) == listed  # the dry run deleted nothing
    deleted = await admin.delete_db(True)
    assert deleted[-1] == "doomed/.deleting"
    assert sorted(deleted[:-1]) == sorted(listed)
    assert await admin.delete_db(False) == []
    assert await admin.read_manifest(None) is None


async def test_separate_wal_store_holds_the_wal(store):
    wal = ObjectStore.resolve("memory:///")
    db = await open_db(store, configure=lambda b: b.with_wal_object_store(wal))
    await db.put(b"in-wal", b"1")
    await flush_wal(db)
    await db.shutdown()
    tail = await SlateDbWalReader.with_wal_object_store("test-db", store, wal).last_wal_file_id(0)
    assert tail >= 2
    # A writer reopened with the WAL store replays it; so does a reader given it.
    db = await open_db(store, configure=lambda b: b.with_wal_object_store(wal))
    assert await db.get(b"in-wal") == b"1"
    await db.put(b"second", b"2")
    await flush_wal(db)
    reader = await open_reader(store, configure=lambda b: b.with_wal_object_store(wal))
    assert await reader.get(b"in-wal") == b"1" and await reader.get(b"second") == b"2"
    await reader.shutdown()
    await db.shutdown()


async def test_clone_into_another_object_store(store):
    """with_object_store names the store of the whole clone: its sources are read there and
    the clone is made there (referencing their SSTs by path); nothing lands in the Admin's.
    The WAL objects a source's checkpoint names are copied in the Admin's WAL store (else in
    the Admin's own store, where they are not: upstream then fails, depending on whether its
    writer's last manifest names any), so this Admin gets the other store as its WAL store."""
    other = ObjectStore.resolve("memory:///")
    db = await open_db(other, "parent")
    await db.put(b"a", b"1")
    await db.shutdown()
    admin_builder = AdminBuilder("child", store)
    admin_builder.with_wal_object_store(other)
    builder = admin_builder.build().create_clone_builder_from_source(
        CloneSourceSpec(path="parent", checkpoint=None, projection_range=None))
    builder.with_object_store(other)
    await builder.build()
    child = await open_db(other, "child")
    assert await child.get(b"a") == b"1"
    await child.shutdown()
    assert await admin_for(store, "child").read_manifest(None) is None
    # A source that is only in the Admin's store is not found in the clone's.
    db = await open_db(store, "parent2")
    await db.put(b"b", b"2")
    await db.shutdown()
    builder = admin_for(store, "child2").create_clone_builder_from_source(
        CloneSourceSpec(path="parent2", checkpoint=None, projection_range=None))
    builder.with_object_store(other)
    with pytest.raises(Error.Data):
        await builder.build()


async def test_clone_with_wal_stores(store):
    """A clone by an Admin built with a WAL store copies its source's WAL objects inside that
    store; CloneBuilder.with_wal_object_store is accepted (upstream 0.17 keeps it unused)."""
    wal = ObjectStore.resolve("memory:///")
    db = await open_db(store, "parent", configure=lambda b: b.with_wal_object_store(wal))
    await db.put(b"a", b"1")
    await flush_memtable(db)
    await db.put(b"b", b"2")
    await db.shutdown()
    builder = AdminBuilder("child", store)
    builder.with_wal_object_store(wal)
    clone = builder.build().create_clone_builder_from_source(
        CloneSourceSpec(path="parent", checkpoint=None, projection_range=None))
    clone.with_wal_object_store(ObjectStore.resolve("memory:///"))
    await clone.build()
    with pytest.raises(Error.Invalid, match="builder has already been consumed"):
        clone.with_wal_object_store(wal)
    child = await open_db(store, "child", configure=lambda b: b.with_wal_object_store(wal))
    assert await child.get(b"a") == b"1" and await child.get(b"b") == b"2"
    await child.shutdown()


@ours_only
async def test_clone_copies_the_wal_in_the_admins_wal_store(store):
    """Rows durable only in the source's WAL (in its WAL store) reach the clone: this build's
    source checkpoint covers the WAL objects stored by then (upstream's covers those its
    latest manifest records)."""
    wal = ObjectStore.resolve("memory:///")
    db = await open_db(store, "parent", configure=lambda b: b.with_wal_object_store(wal))
    await db.put(b"w", b"in-wal")
    await flush_wal(db)
    builder = AdminBuilder("child", store)
    builder.with_wal_object_store(wal)
    await builder.build().create_clone_builder_from_source(
        CloneSourceSpec(path="parent", checkpoint=None, projection_range=None)).build()
    await db.shutdown()
    child = await open_db(store, "child", configure=lambda b: b.with_wal_object_store(wal))
    assert await child.get(b"w") == b"in-wal"
    await child.shutdown()


async def test_submit_drain_segment(store):
    """DRAIN_SEGMENT: submitted unchecked; the compactor drops the listed L0 SSTs and runs of
    the segment (its rows are gone, nothing is written) and leaves other segments alone."""
    from test_uniffi_db import ThreeBytes
    db = await open_db(store, configure=lambda b: b.with_segment_extractor(ThreeBytes()))
    try:
        for key in (b"aaa1", b"bbb1", b"aaa2"):
            await db.put(key, b"v")
        await flush_memtable(db)
        await db.put(b"aaa3", b"v")
        await flush_memtable(db)
        admin = admin_for(store)
        manifest = await admin.read_manifest(None)
        aaa = next(s for s in manifest.segments if s.prefix == b"aaa")
        sources = ([SourceId.SST_VIEW(v.sst.id.value) for v in aaa.l0]
                   + [SourceId.SORTED_RUN(r.id) for r in aaa.compacted])
        assert len(sources) == 2
        spec = CompactionSpec.DRAIN_SEGMENT(segment=b"aaa", sources=sources)
        submitted = await admin.submit_compaction(spec)
        assert submitted.status is CompactionStatus.SUBMITTED and submitted.active
        assert submitted.spec == spec and submitted.output_ssts == []

        async def drained():
            c = await admin.read_compaction(submitted.id, None)
            return c is not None and c.status is CompactionStatus.COMPLETED
        await eventually(drained, timeout=30)
        assert await db.get(b"aaa1") is None and await db.get(b"aaa3") is None
        assert await db.get(b"bbb1") == b"v"
        manifest = await admin.read_manifest(None)
        segments = {s.prefix: (len(s.l0), len(s.compacted)) for s in manifest.segments}
        assert segments[b"aaa"] == (0, 0) and segments[b"bbb"] == (1, 0)
        done = await admin.read_compaction(submitted.id, None)
        assert done.spec == spec and done.output_ssts == [] and not done.active
    finally:
        await db.shutdown()
