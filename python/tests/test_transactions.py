# SPDX-License-Identifier: Apache-2.0
"""SlateDBTransaction: isolation strings, read-your-writes, conflicts, commit, rollback."""
import asyncio
import threading

import pytest

from slatedb import slatedb as _native

from slatedb import (ClosedError, InvalidError, SlateDB, SlateDBTransaction, TransactionError,
                     WriteHandle)


def concat(key, existing, value):
    return (existing or b"") + value


@pytest.mark.parametrize("isolation", [None, "si", "SI", "snapshot", "ssi", "SSI",
                                       "serializable", "Serializable_Snapshot"])
def test_begin_accepts_every_isolation_name(db, isolation):
    txn = db.begin(isolation) if isolation is not None else db.begin()
    assert isinstance(txn, SlateDBTransaction)
    txn.put(b"k", b"v")
    assert isinstance(txn.commit(), WriteHandle)


def test_begin_rejects_unknown_isolation(db):
    with pytest.raises(InvalidError) as err:
        db.begin("Bogus")
    assert str(err.value) == "invalid isolation level: bogus (expected 'si' or 'ssi')"


@pytest.mark.asyncio
async def test_begin_async(db):
    with pytest.raises(InvalidError, match="invalid isolation level: rc"):
        db.begin_async("RC")  # raised at call time, before any await
    txn = await db.begin_async("ssi")
    txn.put(b"bk1", b"bv1")
    handle = await txn.commit_async()
    assert handle.seq >= 1 and handle.create_ts >= 0
    assert db.get(b"bk1") == b"bv1"


def test_transaction_cannot_be_constructed_directly():
    with pytest.raises(TypeError):
        SlateDBTransaction()


def test_read_your_writes_in_get_and_scan(db):
    db.put(b"tp0", b"db0")
    db.put(b"gone", b"x")
    txn = db.begin("si")
    assert txn.get(b"tp0") == b"db0"
    txn.put(b"tp1", b"t1")
    txn.put(b"tp2", b"t2")
    txn.put(b"other", b"o")
    txn.delete(b"gone")
    assert txn.get(b"tp1") == b"t1"
    assert txn.get(b"gone") is None
    assert txn.get(b"missing") is None
    assert [k for k, _ in txn.scan_prefix(b"tp")] == [b"tp0", b"tp1", b"tp2"]
    assert [k for k, _ in txn.scan_prefix(b"")] == [b"other", b"tp0", b"tp1", b"tp2"]
    assert list(txn.scan(b"tp", b"tp2")) == [(b"tp0", b"db0"), (b"tp1", b"t1")]
    # Nobody else sees them before commit.
    assert db.get(b"tp1") is None
    assert db.get(b"gone") == b"x"
    txn.commit()
    assert db.get(b"tp1") == b"t1"
    assert db.get(b"gone") is None


def test_iterator_is_fixed_when_created(db):
    db.put(b"k0", b"v0")
    txn = db.begin()
    txn.put(b"k1", b"v1")
    it = txn.scan(b"k")
    txn.put(b"k2", b"v2")
    assert [k for k, _ in it] == [b"k0", b"k1"]
    assert [k for k, _ in txn.scan(b"k")] == [b"k0", b"k1", b"k2"]
    txn.rollback()


def test_scan_seek_over_buffered_and_committed_keys(db):
    for k in (b"k1", b"k3", b"k5"):
        db.put(k, b"db")
    txn = db.begin("ssi")
    txn.put(b"k2", b"txn")
    txn.delete(b"k3")
    it = txn.scan(b"k")
    assert next(it) == (b"k1", b"db")
    it.seek(b"k3")
    assert next(it) == (b"k5", b"db")
    with pytest.raises(InvalidError):
        it.seek(b"k2")
    with pytest.raises(StopIteration):
        next(it)
    txn.rollback()


def test_snapshot_is_stable_while_others_commit(db):
    db.put(b"k", b"v1")
    txn = db.begin("si")
    db.put(b"k", b"v2")
    db.put(b"new", b"n")
    db.flush_with_options("memtable")
    assert txn.get(b"k") == b"v1"
    assert txn.get(b"new") is None
    assert list(txn.scan_prefix(b"")) == [(b"k", b"v1")]
    txn.rollback()


def test_merges_and_ttl_inside_a_transaction(db_path):
    db = SlateDB(db_path, merge_operator=concat)
    try:
        db.put(b"base", b"a")
        txn = db.begin("si")
        txn.merge(b"base", b"b")
        txn.merge(b"mk", b"x")
        txn.merge_with_options(b"mk", b"y")
        txn.merge(b"mk", b"z")
        txn.put_with_options(b"ttl", b"t", ttl=60_000)
        assert txn.get(b"base") == b"ab"
        assert txn.get(b"mk") == b"xyz"
        assert dict(txn.scan_prefix(b"")) == {b"base": b"ab", b"mk": b"xyz", b"ttl": b"t"}
        txn.commit()
        assert db.get(b"base") == b"ab"
        assert db.get(b"mk") == b"xyz"
        assert db.get(b"ttl") == b"t"
    finally:
        db.close()


def test_commit_results(db):
    txn = db.begin()
    assert txn.commit() is None  # nothing written
    txn = db.begin()
    txn.put(b"k", b"v")
    handle = txn.commit()
    assert isinstance(handle, WriteHandle)
    assert handle.seq >= 1 and handle.create_ts >= 0


@pytest.mark.asyncio
async def test_commit_async_results(db):
    txn = await db.begin_async()
    assert await txn.commit_async() is None
    txn = db.begin()
    txn.delete(b"k")
    handle = await txn.commit_async()
    assert handle.seq >= 1


def test_rollback_discards_and_is_idempotent(db):
    txn = db.begin("si")
    txn.put(b"k9", b"v9")
    txn.rollback()
    txn.rollback()
    assert db.get(b"k9") is None


def _assert_closed(txn):
    calls = [
        lambda: txn.get(b"k"),
        lambda: txn.get_with_options(b"k"),
        lambda: txn.scan(b"k"),
        lambda: txn.scan_with_options(b"k"),
        lambda: txn.scan_prefix(b""),
        lambda: txn.put(b"k", b"v"),
        lambda: txn.put_with_options(b"k", b"v", ttl=5),
        lambda: txn.delete(b"k"),
        lambda: txn.merge(b"k", b"v"),
        lambda: txn.merge_with_options(b"k", b"v"),
        lambda: txn.commit(),
    ]
    for call in calls:
        with pytest.raises(ClosedError, match="transaction is closed"):
            call()
    txn.rollback()  # never raises


def test_every_method_is_closed_after_the_end(db):
    committed = db.begin()
    committed.put(b"a", b"1")
    committed.commit()
    _assert_closed(committed)

    rolled_back = db.begin()
    rolled_back.rollback()
    _assert_closed(rolled_back)

    failed = db.begin()
    failed.put(b"a", b"2")
    db.put(b"a", b"3")
    with pytest.raises(TransactionError):
        failed.commit()
    _assert_closed(failed)


@pytest.mark.asyncio
async def test_async_methods_after_the_end(db):
    txn = db.begin()
    txn.rollback()
    with pytest.raises(ClosedError, match="transaction is closed"):
        txn.commit_async()  # at call time
    with pytest.raises(ClosedError):
        await txn.get_async(b"k")
    with pytest.raises(ClosedError):
        await txn.scan_async(b"k")


def test_empty_keys_and_bad_options(db):
    txn = db.begin()
    for call in (lambda: txn.get(b""), lambda: txn.get_with_options(b""),
                 lambda: txn.put(b"", b"v"), lambda: txn.put_with_options(b"", b"v"),
                 lambda: txn.delete(b""), lambda: txn.merge(b"", b"v"),
                 lambda: txn.merge_with_options(b"", b"v")):
        with pytest.raises(InvalidError, match="key cannot be empty"):
            call()
    with pytest.raises(InvalidError, match="start cannot be empty"):
        txn.scan(b"")
    with pytest.raises(InvalidError, match="invalid durability_filter"):
        txn.get_with_options(b"k", durability_filter="disk")
    with pytest.raises(TypeError):
        txn.put("str-key", b"v")
    txn.put(b"k", b"v")  # still open
    txn.commit()


@pytest.mark.asyncio
async def test_async_reads(db):
    db.put(b"ag1", b"v1")
    db.put(b"ag2", b"v2")
    txn = db.begin("si")
    assert await txn.get_async(b"ag1") == b"v1"
    assert await txn.get_async(b"missing") is None
    assert await txn.get_with_options_async(b"ag1", durability_filter="memory",
                                            dirty=False) == b"v1"
    txn.put(b"ag3", b"v3")
    assert await txn.get_async(b"ag3") == b"v3"
    it = await txn.scan_async(b"ag")
    txn.put(b"ag4", b"v4")
    assert [k for k, _ in it] == [b"ag1", b"ag2", b"ag3"]
    it = await txn.scan_with_options_async(b"ag", durability_filter="memory", dirty=False,
                                           read_ahead_bytes=1024, cache_blocks=True,
                                           max_fetch_tasks=2)
    assert [k async for k, _ in it] == [b"ag1", b"ag2", b"ag3", b"ag4"]
    assert len(list(await txn.scan_prefix_async(b"ag"))) == 4
    assert len(list(await txn.scan_prefix_with_options_async(b"ag", dirty=False))) == 4
    with pytest.raises(InvalidError, match="key cannot be empty"):
        txn.get_async(b"")
    txn.rollback()


def test_si_write_write_conflicts(db):
    db.put(b"k1", b"v1")
    txn1 = db.begin("si")
    txn2 = db.begin("si")
    txn1.put(b"k1", b"v2")
    txn2.put(b"k1", b"v3")
    txn1.commit()
    with pytest.raises(TransactionError):
        txn2.commit()
    assert db.get(b"k1") == b"v2"

    txn = db.begin("si")
    txn.put(b"k1", b"mine")
    db.put(b"k1", b"outside")  # a plain write counts too
    with pytest.raises(TransactionError):
        txn.commit()
    assert db.get(b"k1") == b"outside"


def test_si_ignores_reads_but_ssi_does_not(db):
    for isolation, conflicts in (("si", False), ("ssi", True)):
        db.put(b"k2", b"v2.1")
        txn1 = db.begin(isolation)
        txn2 = db.begin(isolation)
        assert txn2.get(b"k2") == b"v2.1"
        txn2.put(b"k3", b"v3")
        txn1.put(b"k2", b"v2.2")
        txn1.commit()
        if conflicts:
            with pytest.raises(TransactionError):
                txn2.commit()
        else:
            txn2.commit()


def test_ssi_range_conflict_and_disjoint_range(db):
    for k, v in ((b"k1", b"v1"), (b"k2", b"v2.1"), (b"k3", b"v3")):
        db.put(k, v)
    txn1 = db.begin("ssi")
    txn2 = db.begin("ssi")
    assert len(list(txn2.scan(b"k2", b"k3\xff"))) == 2
    txn1.put(b"k25", b"phantom")  # a new key inside the scanned range
    txn1.commit()
    txn2.put(b"k4", b"v4")
    with pytest.raises(TransactionError):
        txn2.commit()

    txn3 = db.begin("ssi")
    list(txn3.scan(b"k2", b"k3\xff"))
    db.put(b"z", b"outside the range")
    txn3.put(b"k4", b"v4")
    txn3.commit()


def test_concurrent_transactions_with_a_python_merge_operator(db_path):
    """Threads commit SSI increments (retrying conflicts) while merges call back into
    Python: the GIL must be released around every engine call, or this deadlocks."""
    db = SlateDB(db_path, merge_operator=concat)
    try:
        db.put(b"n", b"0")
        per_thread = 20
        errors = []

        def worker():
            try:
                done = 0
                while done < per_thread:
                    txn = db.begin("ssi")
                    n = int(txn.get(b"n"))
                    txn.put(b"n", str(n + 1).encode())
                    txn.merge(b"log", b".")
                    try:
                        txn.commit()
                        done += 1
                    except TransactionError:
                        pass
            except Exception as e:  # surfaced below
                errors.append(e)

        threads = [threading.Thread(target=worker) for _ in range(4)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout=60)
        assert not any(t.is_alive() for t in threads)
        assert errors == []
        assert db.get(b"n") == str(4 * per_thread).encode()
        assert db.get(b"log") == b"." * (4 * per_thread)
    finally:
        db.close()


def test_transaction_dropped_without_commit_is_rolled_back(db):
    txn = db.begin()
    txn.put(b"dropped", b"v")
    del txn
    assert db.get(b"dropped") is None
    # The engine's own counters (metrics() answers with upstream's names, which have none
    # for transactions).
    assert _native._DbCore.metrics(db)["txn/active"] == 0


def test_closed_database(db_path):
    db = SlateDB(db_path)
    txn = db.begin()
    txn.put(b"k", b"v")
    db.close()
    with pytest.raises(ClosedError):
        txn.commit()
    with pytest.raises(ClosedError):
        db.begin()
