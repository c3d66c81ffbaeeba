# SPDX-License-Identifier: Apache-2.0
"""TTL as upstream applies it: upstream never filters expired rows on read; it rewrites an
expired value as a tombstone when the memtable holding it is flushed to L0 (judged against that
memtable's last write tick) or when it is compacted (against the manifest's
`last_l0_clock_tick`). So a row whose TTL runs out after the database's last write stays
readable. Readers of both implementations must agree on such a database: here upstream's own
reader is the oracle, and each of our readers must return exactly what it returns.

Two databases: the expiring row is the last write and is flushed to L0; or it is the last
write and stays in the WAL.
"""
from __future__ import annotations

import time

import pytest

import driver
from driver import Agent, StepFailed, read

TTL_MS = 300


# Known difference (interop finding F1, /docs/format.md "Known differences"): our engine hides
# rows past their TTL on read by wall time, as upstream 0.11 (the seed Python API, whose tests
# python/tests/test_db.py::test_ttl_expiry checks) did; 0.17 never filters on read. Which
# API gets which rule is not decided yet. strict: the test fails once the two agree.
@pytest.mark.xfail(strict=True, reason="F1: our reads filter TTL by wall time (0.11's rule); "
                   "0.17 never filters on read")
@pytest.mark.parametrize("flushed", [True, False], ids=["in-l0", "in-wal"])
def test_our_readers_agree_with_upstream_on_rows_past_their_ttl(stores, flushed):
    store = stores.make("local")
    key_plain, key_ttl = b"plain".hex(), b"expires-after-last-write".hex()
    with Agent("upstream", "upstream writer") as writer:
        writer.check("open_writer", store=store, path="db", settings=driver.writer_settings("none"))
        writer.check("write", ops=[["put", key_plain, b"p".hex()]], durable=True)
        writer.check("write", ops=[["put", key_ttl, b"t".hex(), TTL_MS]], durable=True)
        if flushed:
            writer.check("flush", kind="memtable")
        writer.check("close")
    time.sleep(2 * TTL_MS / 1000)
    keys = [key_plain, key_ttl]
    oracle = read("upstream-python", store, "db", keys)
    if oracle["get"][0] != b"p".hex():
        raise StepFailed(f"upstream lost a plain row: {oracle}")
    failures = []
    for reader in ("ours-python", "ours-node", "ours-cpp"):
        got = read(reader, store, "db", keys)
        if (got["get"], got["scan"]) != (oracle["get"], oracle["scan"]):
            failures.append(f"{reader}: get {got['get']}, scan {got['scan']}")
    if failures:
        raise StepFailed(
            f"a row whose {TTL_MS} ms TTL ran out after the database's last write "
            f"({'flushed to L0' if flushed else 'in the WAL'}): upstream reads get "
            f"{oracle['get']}, scan {oracle['scan']} (null = absent), ours differ:\n  "
            + "\n  ".join(failures))
