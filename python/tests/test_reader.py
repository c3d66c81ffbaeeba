# SPDX-License-Identifier: Apache-2.0
"""SlateDBReader: reads of a live writer's database, pinned checkpoints, options, errors."""
import pytest

from slatedb import InvalidError, SlateDB, SlateDBReader


@pytest.fixture
def populated_db(db_path, env_file):
    db = SlateDB(db_path, env_file=env_file)
    for i in range(1, 4):
        db.put(f"key{i}".encode(), f"value{i}".encode())
    db.put(b"prefix_a", b"data_a")
    db.put(b"prefix_b", b"data_b")
    yield db
    try:
        db.close()
    except Exception:
        pass


def test_reader_sees_durable_writes_of_an_open_writer(populated_db, db_path, env_file):
    reader = SlateDBReader(db_path, env_file=env_file)
    try:
        assert reader.get(b"key1") == b"value1"
        assert reader.get(b"missing") is None
        assert reader.get_with_options(b"key2", durability_filter="memory", dirty=False) == b"value2"
        assert list(reader.scan(b"key1", b"key3")) == [(b"key1", b"value1"), (b"key2", b"value2")]
        assert [k for k, _ in reader.scan(b"prefix")] == [b"prefix_a", b"prefix_b"]
        assert len(list(reader.scan_prefix(b""))) == 5
        assert [k for k, _ in reader.scan_with_options(
            b"key", durability_filter="memory", dirty=False, read_ahead_bytes=1,
            cache_blocks=True, max_fetch_tasks=1)] == [b"key1", b"key2", b"key3"]
    finally:
        reader.close()


def test_reader_opened_before_a_write_does_not_see_it(populated_db, db_path, env_file):
    reader = SlateDBReader(db_path, env_file=env_file, manifest_poll_interval=60_000)
    try:
        populated_db.put(b"late", b"x")
        assert reader.get(b"late") is None
    finally:
        reader.close()
    again = SlateDBReader(db_path, env_file=env_file)
    try:
        assert again.get(b"late") == b"x"
    finally:
        again.close()


def test_reader_follows_the_writer_by_polling(populated_db, db_path, env_file):
    import time
    reader = SlateDBReader(db_path, env_file=env_file, manifest_poll_interval=50,
                           checkpoint_lifetime=1000)
    try:
        populated_db.put(b"followed", b"yes")
        populated_db.flush_with_options("memtable")
        populated_db.put(b"followed2", b"yes")
        deadline = time.time() + 10
        while time.time() < deadline and reader.get(b"followed2") is None:
            time.sleep(0.02)
        assert reader.get(b"followed") == b"yes"
        assert reader.get(b"followed2") == b"yes"
    finally:
        reader.close()


def test_reader_pinned_to_a_checkpoint(populated_db, db_path, env_file):
    cp = populated_db.create_checkpoint()
    populated_db.put(b"after", b"x")
    populated_db.put(b"key1", b"changed")
    reader = SlateDBReader(db_path, env_file=env_file, checkpoint_id=cp["id"])
    try:
        assert reader.get(b"after") is None
        assert reader.get(b"key1") == b"value1"
    finally:
        reader.close()


def test_empty_keys_are_rejected(populated_db, db_path, env_file):
    reader = SlateDBReader(db_path, env_file=env_file)
    try:
        with pytest.raises(InvalidError, match="key cannot be empty"):
            reader.get(b"")
        with pytest.raises(InvalidError, match="start cannot be empty"):
            list(reader.scan(b"", b"key3"))
    finally:
        reader.close()


@pytest.mark.asyncio
async def test_reader_async(populated_db, db_path, env_file):
    reader = await SlateDBReader.open_async(db_path, env_file=env_file)
    try:
        assert await reader.get_async(b"key3") == b"value3"
        assert await reader.get_with_options_async(b"key1") == b"value1"
        it = await reader.scan_async(b"key1", b"key3")
        assert [k async for k, _ in it] == [b"key1", b"key2"]
        with pytest.raises(InvalidError, match="key cannot be empty"):
            await reader.get_async(b"")
    finally:
        await reader.close_async()


def test_reader_option_validation(populated_db, db_path, env_file):
    with pytest.raises(InvalidError):
        SlateDBReader(db_path, env_file=env_file, checkpoint_id="not-a-uuid")
    with pytest.raises(InvalidError):
        SlateDBReader(db_path, env_file=env_file, checkpoint_lifetime=500)
    with pytest.raises(InvalidError):
        SlateDBReader(db_path, env_file=env_file, manifest_poll_interval=700,
                      checkpoint_lifetime=1000)
    reader = SlateDBReader(db_path, env_file=env_file, manifest_poll_interval=200,
                           checkpoint_lifetime=2000, max_memtable_bytes=1024 * 1024)
    try:
        assert reader.get(b"key1") == b"value1"
    finally:
        reader.close()
    # Lifetime exactly twice the poll interval is allowed.
    SlateDBReader(db_path, env_file=env_file, manifest_poll_interval=500,
                  checkpoint_lifetime=1000).close()


def test_reader_without_database_fails(temp_dir, env_file):
    import os
    with pytest.raises(Exception):
        SlateDBReader(os.path.join(temp_dir, "nothing_here"), env_file=env_file)


def test_reader_with_merge_operator(db_path, env_file):
    def concat(key, existing, value):
        return (existing or b"") + value

    db = SlateDB(db_path, env_file=env_file, merge_operator=concat)
    try:
        db.merge(b"m", b"a")
        db.merge(b"m", b"b")
        reader = SlateDBReader(db_path, env_file=env_file, merge_operator=concat)
        try:
            assert reader.get(b"m") == b"ab"
        finally:
            reader.close()
    finally:
        db.close()
