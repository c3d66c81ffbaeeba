# SPDX-License-Identifier: Apache-2.0
"""The SlateDB handle: reads, writes, batches, scans, options, errors, durability."""
import asyncio
import os

import pytest

from slatedb import (ClosedError, InvalidError, KeyValue, SlateDB, UnavailableError,
                     WriteBatch, WriteHandle)


def test_put_get_delete(db):
    handle = db.put(b"k", b"v")
    assert isinstance(handle, WriteHandle) and handle.seq >= 1 and handle.create_ts >= 0
    assert db.get(b"k") == b"v"
    db.put(b"k", b"v2")
    assert db.get(b"k") == b"v2"
    db.delete(b"k")
    assert db.get(b"k") is None
    db.delete(b"never")
    assert db.get(b"missing") is None
    db.put(b"empty", b"")
    assert db.get(b"empty") == b""


def test_get_key_value(db):
    handle = db.put(b"k", b"v")
    kv = db.get_key_value(b"k")
    assert isinstance(kv, KeyValue)
    assert (kv.key, kv.value, kv.seq, kv.create_ts) == (b"k", b"v", handle.seq, handle.create_ts)
    assert kv.expire_ts is None
    assert db.get_key_value(b"missing") is None
    timed = db.put_with_options(b"t", b"v", ttl=60_000)
    kv = db.get_key_value_with_options(b"t", durability_filter="memory", dirty=False)
    assert kv.expire_ts == timed.create_ts + 60_000
    db.delete(b"k")
    assert db.get_key_value(b"k") is None
    with pytest.raises(InvalidError, match="key cannot be empty"):
        db.get_key_value(b"")
    with pytest.raises(TypeError):
        KeyValue()


def test_bytes_like_arguments(db):
    db.put(bytearray(b"ba"), memoryview(b"mv"))
    assert db.get(b"ba") == b"mv"
    with pytest.raises(TypeError):
        db.put("text", b"v")
    with pytest.raises(TypeError):
        db.get("text")


@pytest.mark.parametrize("call", [
    lambda db: db.get(b""), lambda db: db.put(b"", b"v"), lambda db: db.delete(b""),
    lambda db: db.merge(b"", b"v"), lambda db: db.get_with_options(b""),
    lambda db: db.put_with_options(b"", b"v", ttl=1),
])
def test_empty_key_is_invalid(db, call):
    with pytest.raises(InvalidError, match="key cannot be empty"):
        call(db)


def test_empty_start_is_invalid(db):
    with pytest.raises(InvalidError, match="start cannot be empty"):
        db.scan(b"")
    with pytest.raises(InvalidError, match="start cannot be empty"):
        db.scan_with_options(b"", b"z")


def test_bad_option_strings(db):
    with pytest.raises(InvalidError, match="invalid durability_filter"):
        db.get_with_options(b"k", durability_filter="disk")
    with pytest.raises(InvalidError, match="invalid flush_type"):
        db.flush_with_options("disk")


def test_write_batch(db):
    batch = WriteBatch()
    batch.put(b"b1", b"x")
    batch.put(b"b2", b"y")
    batch.delete(b"b2")
    before = db.metrics()
    db.write(batch)
    after = db.metrics()
    assert db.get(b"b1") == b"x" and db.get(b"b2") is None
    assert after["db/write_batch_count"] == before["db/write_batch_count"] + 1
    assert after["db/write_ops"] - before["db/write_ops"] >= 2
    db.write_with_options(batch, await_durable=False)  # the batch can be written again
    with pytest.raises(InvalidError, match="key cannot be empty"):
        batch.put(b"", b"v")


def test_scan_ranges(db):
    for k in [b"key1", b"key2", b"key3", b"prefix_a", b"prefix_b"]:
        db.put(k, b"v-" + k)
    assert [k for k, _ in db.scan(b"key1", b"key3")] == [b"key1", b"key2"]
    assert [k for k, _ in db.scan(b"prefix")] == [b"prefix_a", b"prefix_b"]
    assert [k for k, _ in db.scan_prefix(b"key")] == [b"key1", b"key2", b"key3"]
    assert len(list(db.scan_prefix(b""))) == 5
    with pytest.raises(InvalidError):
        db.scan(b"b", b"a")


def test_seek(db):
    for k in [b"k1", b"k2", b"k3"]:
        db.put(k, b"v")
    it = db.scan(b"k")
    assert next(it) == (b"k1", b"v")
    it.seek(b"k3")
    assert next(it) == (b"k3", b"v")
    with pytest.raises(InvalidError):
        it.seek(b"k2")
    with pytest.raises(StopIteration):
        next(it)
    with pytest.raises(InvalidError, match="key cannot be empty"):
        it.seek(b"")


def test_merge_operator_three_and_two_arguments(db_path):
    def concat(key, existing, value):
        return (existing or b"") + value
    db = SlateDB(db_path, merge_operator=concat)
    for part in [b"a", b"b", b"c"]:
        db.merge(b"k", part)
    assert db.get(b"k") == b"abc"
    db.close()
    two = SlateDB(db_path + "2", merge_operator=lambda existing, value: (existing or b"") + value)
    two.merge(b"k", b"x")
    two.merge(b"k", b"y")
    assert two.get(b"k") == b"xy"
    two.close()


def test_merge_operator_that_raises_uses_the_operand(db_path):
    def broken(key, existing, value):
        raise RuntimeError("boom")
    db = SlateDB(db_path, merge_operator=broken)
    db.merge(b"k", b"a")
    db.merge(b"k", b"b")
    assert db.get(b"k") == b"b"
    db.close()


def test_non_callable_merge_operator(db_path):
    with pytest.raises(InvalidError, match="merge_operator must be a callable"):
        SlateDB(db_path, merge_operator=42)


def test_ttl_expiry(db):
    db.put_with_options(b"long", b"v", ttl=60_000)
    db.put_with_options(b"short", b"v", ttl=200, await_durable=False)
    assert db.get(b"short") == b"v"
    import time
    time.sleep(0.25)
    assert db.get(b"short") is None
    assert db.get(b"long") == b"v"


def test_ttl_zero_is_invisible_at_once(db):
    db.put(b"k", b"old")
    db.put_with_options(b"k", b"new", ttl=0)
    assert db.get(b"k") is None  # expired when written: hides the older value too
    batch = WriteBatch()
    batch.put(b"b", b"old")
    batch.put_with_options(b"c", b"v", ttl=0)
    db.write(batch)
    assert db.get(b"b") == b"old" and db.get(b"c") is None
    with pytest.raises(OverflowError):
        db.put_with_options(b"k", b"v", ttl=-1)


def test_closed_errors(db_path):
    db = SlateDB(db_path)
    db.close()
    with pytest.raises(ClosedError):
        db.close()
    with pytest.raises(ClosedError):
        db.put(b"k", b"v")
    with pytest.raises(ClosedError):
        db.get(b"k")


def test_url_errors(db_path):
    with pytest.raises(InvalidError):
        SlateDB(db_path, url=":invalid:")
    with pytest.raises(UnavailableError):
        SlateDB(db_path, url="unknown:///")


def test_local_store_persists_and_fences(db_path, env_file):
    first = SlateDB(db_path, env_file=env_file)
    first.put(b"k", b"v")
    second = SlateDB(db_path, env_file=env_file)
    assert second.get(b"k") == b"v"
    with pytest.raises(ClosedError):
        first.put(b"k2", b"v")
    # As slatedb 0.11 does: close() on a fenced handle returns quietly (twice too), so
    # `with` blocks and finally clauses do not raise over the real error.
    assert first.close() is None
    assert first.close() is None
    second.close()
    again = SlateDB(db_path, env_file=env_file)
    assert again.get(b"k") == b"v"
    again.close()
    assert os.path.isdir(db_path)


def test_file_url(temp_dir):
    db = SlateDB("db", url="file://" + temp_dir)
    db.put(b"k", b"v")
    db.close()
    db = SlateDB("db", url="file://" + temp_dir)
    assert db.get(b"k") == b"v"
    db.close()


def test_flush_and_metrics(db):
    assert "db/get_requests" in db.metrics()
    db.put(b"k", b"v")
    before = db.metrics()
    db.flush()
    db.flush_with_options("memtable")
    after = db.metrics()
    assert after["db/immutable_memtable_flushes"] >= before["db/immutable_memtable_flushes"] + 1
    assert db.get(b"k") == b"v"
    db.get(b"k")
    list(db.scan(b"k"))
    final = db.metrics()
    assert final["db/get_requests"] > after["db/get_requests"]
    assert final["db/scan_requests"] > after["db/scan_requests"]


def test_snapshot(db):
    db.put(b"key1", b"original")
    snap = db.snapshot()
    db.put(b"key1", b"modified")
    db.put(b"key2", b"new")
    assert snap.get(b"key1") == b"original"
    assert snap.get(b"key2") is None
    assert [k for k, _ in snap.scan_prefix(b"")] == [b"key1"]
    snap.close()
    with pytest.raises(ClosedError, match="snapshot is closed"):
        snap.get(b"key1")


def test_context_manager(db_path):
    with SlateDB(db_path) as db:
        db.put(b"k", b"v")
    with pytest.raises(ClosedError):
        db.get(b"k")


def test_threads_mixing_operations(db_path):
    import threading
    db = SlateDB(db_path, merge_operator=lambda k, e, v: (e or b"") + v)
    errors = []

    def work(n):
        try:
            for i in range(200):
                key = b"t%d-%d" % (n, i % 20)
                db.put_with_options(key, b"v", await_durable=False)
                db.merge(b"m%d" % n, b"x")
                db.get(key)
                list(db.scan_prefix(b"t%d" % n))
        except Exception as e:  # pragma: no cover - reported below
            errors.append(e)

    threads = [threading.Thread(target=work, args=(n,)) for n in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert not errors
    assert all(not t.is_alive() for t in threads)
    assert db.get(b"m0") == b"x" * 200
    db.close()


def test_default_store_is_private_memory(db_path):
    first = SlateDB(db_path)
    first.put(b"k", b"v")
    second = SlateDB(db_path)  # a separate in-memory store: no data, and no fencing
    assert second.get(b"k") is None
    assert first.get(b"k") == b"v"
    first.close()
    second.close()
    assert not os.path.exists(db_path)


def test_env_file_then_plain_path_uses_the_environment(db_path, env_file):
    with SlateDB(db_path, env_file=env_file) as db:
        db.put(b"k", b"v")
    # The env file's variables are now in the process environment (upstream behaviour).
    with SlateDB(db_path) as db:
        assert db.get(b"k") == b"v"
