# SPDX-License-Identifier: Apache-2.0
"""SlateDB.create_checkpoint(+_async): scopes, options, result shape, bad input."""
import uuid

import pytest

from slatedb import InvalidError, SlateDB, SlateDBAdmin, SlateDBReader


@pytest.fixture
def writer(db_path, env_file):
    db = SlateDB(db_path, env_file=env_file)
    yield db
    try:
        db.close()
    except Exception:
        pass


def test_create_checkpoint_all_returns_id_and_manifest(writer):
    writer.put(b"k", b"v")
    result = writer.create_checkpoint()
    assert set(result) == {"id", "manifest_id"}
    assert isinstance(result["id"], str) and str(uuid.UUID(result["id"])) == result["id"]
    assert isinstance(result["manifest_id"], int)


@pytest.mark.asyncio
async def test_create_checkpoint_async_durable(writer):
    await writer.put_async(b"k", b"v")
    result = await writer.create_checkpoint_async("durable")
    assert isinstance(result["id"], str) and isinstance(result["manifest_id"], int)


def test_scope_is_case_insensitive_and_validated_at_call_time(writer):
    assert writer.create_checkpoint("ALL")["id"]
    assert writer.create_checkpoint("Durable")["id"]
    with pytest.raises(InvalidError, match="invalid scope"):
        writer.create_checkpoint("everything")


@pytest.mark.asyncio
async def test_async_bad_scope_raises_at_call_time(writer):
    with pytest.raises(InvalidError, match="invalid scope"):
        writer.create_checkpoint_async("nope")


def test_bad_and_missing_source(writer):
    with pytest.raises(InvalidError):
        writer.create_checkpoint(source="not-a-uuid")
    with pytest.raises(Exception):
        writer.create_checkpoint(source=str(uuid.uuid4()))


def test_lifetime_name_and_source_are_recorded(writer, db_path, env_file):
    first = writer.create_checkpoint(lifetime=60_000, name="nightly")
    second = writer.create_checkpoint("durable", source=first["id"])
    assert second["manifest_id"] == first["manifest_id"]
    admin = SlateDBAdmin(db_path, env_file=env_file)
    listed = {c["id"]: c for c in admin.list_checkpoints()}
    assert listed[first["id"]]["name"] == "nightly"
    assert listed[first["id"]]["expire_time"] == listed[first["id"]]["create_time"] + 60_000
    assert listed[second["id"]]["expire_time"] is None


def test_scope_all_holds_every_earlier_write(writer, db_path, env_file):
    writer.put_with_options(b"lazy", b"1", await_durable=False)
    cp = writer.create_checkpoint("all")
    writer.put(b"later", b"2")
    reader = SlateDBReader(db_path, env_file=env_file, checkpoint_id=cp["id"])
    try:
        assert reader.get(b"lazy") == b"1"
        assert reader.get(b"later") is None
    finally:
        reader.close()
