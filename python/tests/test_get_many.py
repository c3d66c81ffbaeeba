# SPDX-License-Identifier: Apache-2.0
"""get_many / get_many_async: the same answers as a loop of get, on every reading class."""
import asyncio
import random

import pytest

from slatedb import ClosedError, InvalidError, SlateDB, SlateDBReader, WriteBatch


def concat(key, existing, value):
    return (existing or b"") + value


def fill(db, rng, n=300):
    """Puts, deletes and merges over n keys, in rounds flushed to L0 (the last stays in memory)."""
    for round_ in range(4):
        for _ in range(5):
            batch = WriteBatch()
            for _ in range(60):
                key = b"key%d" % rng.randrange(n)
                op = rng.randrange(4)
                if op < 2:
                    batch.put(key, b"v%d" % rng.randrange(1000))
                elif op == 2:
                    batch.delete(key)
                else:
                    batch.merge(key, b"+%d" % rng.randrange(10))
            db.write(batch)
        if round_ < 3:
            db.flush_with_options("memtable")
    db.flush()


def ask_for(rng, n=300, count=400):
    keys = []
    for _ in range(count):
        pick = rng.randrange(6)
        if pick == 0:
            keys.append(b"key%dx" % rng.randrange(n))  # missing
        elif pick == 1 and keys:
            keys.append(rng.choice(keys))  # duplicate
        else:
            keys.append(b"key%d" % rng.randrange(n))
    return keys


def test_get_many_matches_get(db_path):
    rng = random.Random(5)
    db = SlateDB(db_path, merge_operator=concat)
    try:
        fill(db, rng)
        keys = ask_for(rng)
        expected = [db.get(k) for k in keys]
        assert db.get_many(keys) == expected
        assert db.get_many(iter(keys)) == expected  # any iterable
        assert db.get_many(tuple(keys)) == expected
        assert db.get_many(keys + keys[:3]) == expected + expected[:3]  # duplicates
        assert db.get_many([]) == []
        assert db.get_many([bytearray(keys[0]), memoryview(keys[1])]) == expected[:2]
        assert asyncio.run(_many_async(db, keys)) == expected

        snap = db.snapshot()
        for k in keys[:50]:
            db.put(k, b"later")
        assert snap.get_many(keys) == expected
        assert asyncio.run(_many_async(snap, keys)) == expected
        snap.close()

        txn = db.begin("ssi")
        txn.put(keys[0], b"mine")
        txn.delete(keys[1])
        txn.merge(keys[2], b"+t")
        assert txn.get_many(keys) == [txn.get(k) for k in keys]
        assert asyncio.run(_many_async(txn, keys)) == [txn.get(k) for k in keys]
        txn.rollback()
    finally:
        db.close()


async def _many_async(reader, keys):
    return await reader.get_many_async(keys)


def test_get_many_on_a_reader(db_path, env_file):
    rng = random.Random(9)
    db = SlateDB(db_path, env_file=env_file)
    try:
        batch = WriteBatch()
        for i in range(500):
            batch.put(b"key%d" % i, b"v%d" % i)
        db.write(batch)
        db.flush_with_options("memtable")
        batch = WriteBatch()
        for i in range(0, 500, 3):
            batch.delete(b"key%d" % i)
        db.write(batch)
        db.flush()
        reader = SlateDBReader(db_path, env_file=env_file)
        try:
            keys = ask_for(rng, 500)
            assert reader.get_many(keys) == [reader.get(k) for k in keys]
            assert asyncio.run(_many_async(reader, keys)) == [reader.get(k) for k in keys]
        finally:
            reader.close()
    finally:
        db.close()


def test_get_many_bad_input(db):
    with pytest.raises(InvalidError, match="key cannot be empty"):
        db.get_many([b"a", b""])
    with pytest.raises(TypeError):
        db.get_many([b"a", "text"])
    with pytest.raises(TypeError):
        db.get_many(5)
    db.close()
    with pytest.raises(ClosedError):
        db.get_many([b"a"])
