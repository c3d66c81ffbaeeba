# SPDX-License-Identifier: Apache-2.0
"""SlateDBAdmin: manifests, checkpoints, time mapping, clones, GC and the error quirk."""
import json
import os
import time
import uuid

import pytest

from slatedb import InvalidError, SlateDB, SlateDBAdmin, UnavailableError


@pytest.fixture
def writer(db_path, env_file):
    db = SlateDB(db_path, env_file=env_file)
    db.put(b"k", b"v")
    yield db
    try:
        db.close()
    except Exception:
        pass


@pytest.fixture
def admin(db_path, env_file):
    return SlateDBAdmin(db_path, env_file=env_file)


def test_manifests_as_json(writer, admin):
    text = admin.read_manifest()
    assert isinstance(text, str)
    manifest_id, manifest = json.loads(text)
    assert manifest["id"] == manifest_id
    for key in ("external_dbs", "writer_epoch", "compactor_epoch"):
        assert key in manifest
    assert isinstance(admin.read_manifest(1), str)
    assert admin.read_manifest(10**9) is None
    listing = admin.list_manifests()
    assert isinstance(listing, str)
    entries = json.loads(listing)
    assert entries[0]["id"] == 1
    assert set(entries[0]) == {"id", "location", "last_modified", "size"}
    assert isinstance(admin.list_manifests(start=0, end=2**63 - 1), str)
    assert json.loads(admin.list_manifests(1, 2))[0]["id"] == 1


def test_admin_without_database(temp_dir, env_file):
    admin = SlateDBAdmin(os.path.join(temp_dir, "nothing"), env_file=env_file)  # no I/O
    assert admin.read_manifest() is None
    with pytest.raises(UnavailableError):
        admin.list_checkpoints()


def test_checkpoints(writer, admin):
    created = admin.create_checkpoint(lifetime=60_000)
    assert set(created) == {"id", "manifest_id"} and created["id"]
    positional = admin.create_checkpoint(None, created["id"], "named")
    assert positional["manifest_id"] == created["manifest_id"]
    listed = admin.list_checkpoints()
    assert isinstance(listed, list)
    entry = next(c for c in listed if c["id"] == created["id"])
    assert set(entry) == {"id", "manifest_id", "expire_time", "create_time", "name"}
    assert entry["expire_time"] == entry["create_time"] + 60_000
    assert [c["id"] for c in admin.list_checkpoints(name="named")] == [positional["id"]]
    assert admin.list_checkpoints(name="unknown") == []
    assert [c["id"] for c in admin.list_checkpoints(name="")] == [created["id"]]
    admin.refresh_checkpoint(created["id"], lifetime=1000)
    admin.delete_checkpoint(created["id"])
    assert created["id"] not in [c["id"] for c in admin.list_checkpoints()]
    with pytest.raises(InvalidError):
        admin.create_checkpoint(source="not-a-uuid")
    with pytest.raises(InvalidError):
        admin.refresh_checkpoint("not-a-uuid", lifetime=1000)
    with pytest.raises(InvalidError):
        admin.delete_checkpoint("not-a-uuid")


@pytest.mark.asyncio
async def test_checkpoints_async(writer, admin):
    created = await admin.create_checkpoint_async(lifetime=10_000)
    assert created["id"] in [c["id"] for c in await admin.list_checkpoints_async()]
    await admin.refresh_checkpoint_async(created["id"], lifetime=1000)
    await admin.delete_checkpoint_async(created["id"])
    with pytest.raises(InvalidError):
        admin.delete_checkpoint_async("bad")  # checked at call time


def test_sequence_and_timestamp(writer, admin):
    writer.flush_with_options("memtable")
    ts = admin.get_timestamp_for_sequence(0)
    assert ts is None or isinstance(ts, int)
    seq = admin.get_sequence_for_timestamp(int(time.time() * 1000))
    assert seq is None or isinstance(seq, int)
    # The writer sampled its first write; the sample is in the manifest after the L0 flush.
    assert isinstance(admin.get_timestamp_for_sequence(1, round_up=True), int)
    assert admin.get_sequence_for_timestamp(int(time.time() * 1000) + 60_000) == seq
    with pytest.raises(OverflowError):  # an i64 argument, as upstream
        admin.get_sequence_for_timestamp(2**70)


@pytest.mark.asyncio
async def test_sequence_and_timestamp_async(writer, admin):
    assert (await admin.get_timestamp_for_sequence_async(0)) is None or True
    seq = await admin.get_sequence_for_timestamp_async(int(time.time() * 1000), round_up=True)
    assert seq is None or isinstance(seq, int)


def test_clone_sync_and_async(tmp_path, env_file):
    import asyncio

    parent_path = str(tmp_path / "parent")
    parent = SlateDB(parent_path, env_file=env_file)
    parent.put(b"parent_key", b"parent_value")
    checkpoint = parent.create_checkpoint()

    child_path = str(tmp_path / "child")
    SlateDBAdmin(child_path, env_file=env_file).create_clone(parent_path)
    child = SlateDB(child_path, env_file=env_file)
    assert child.get(b"parent_key") == b"parent_value"
    child.put(b"child_only", b"c")
    parent.put(b"parent_only", b"p")
    assert parent.get(b"child_only") is None
    assert child.get(b"parent_only") is None
    child.close()

    async def clone_async():
        admin = SlateDBAdmin(str(tmp_path / "child2"), env_file=env_file)
        await admin.create_clone_async(parent_path, checkpoint["id"])

    asyncio.run(clone_async())
    child2 = SlateDB(str(tmp_path / "child2"), env_file=env_file)
    assert child2.get(b"parent_key") == b"parent_value"
    assert child2.get(b"parent_only") is None
    child2.close()
    parent.close()


def test_clone_errors_are_invalid(tmp_path, env_file):
    parent_path = str(tmp_path / "parent")
    SlateDB(parent_path, env_file=env_file).close()
    admin = SlateDBAdmin(str(tmp_path / "child"), env_file=env_file)
    with pytest.raises(InvalidError):
        admin.create_clone(parent_path, "not-a-uuid")
    with pytest.raises(InvalidError):
        admin.create_clone(parent_path, str(uuid.uuid4()))  # no such checkpoint
    with pytest.raises(InvalidError):
        admin.create_clone(str(tmp_path / "missing_parent"))


def test_gc(writer, admin):
    admin.run_gc_once(manifest_min_age=0, wal_min_age=0, compacted_min_age=0)
    with pytest.raises(InvalidError, match="'min_age' is required"):
        admin.run_gc_once(wal_interval=1000)
    admin.run_gc()  # nothing scheduled: returns at once
    with pytest.raises(InvalidError, match="'interval' is required"):
        admin.run_gc(manifest_min_age=1000)
    assert writer.get(b"k") == b"v"


@pytest.mark.asyncio
async def test_gc_async(writer, admin):
    await admin.run_gc_once_async(manifest_min_age=0, wal_min_age=0, compacted_min_age=0)
    await admin.run_gc_async()
