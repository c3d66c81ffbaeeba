# SPDX-License-Identifier: Apache-2.0
"""Change data capture across implementations: the WAL files one side's writer wrote, read by
both sides' SlateDbWalReader (slatedb.uniffi), must be the same files with the same rows (kind,
key, value, sequence number, which timestamps are present), in the same order.

The writer logs puts, a TTL put, a delete, merges and an atomic batch over several WAL
flushes, then a second writer session appends more (so the WAL holds two fences too).
"""
from __future__ import annotations

import pytest

from driver import Agent, StepFailed, writer_settings


def h(s: str) -> str:
    return s.encode().hex()


SESSIONS = [
    [[["put", h("a"), h("1")], ["put", h("b"), h("2")]],
     [["delete", h("a")], ["put", h("ttl"), h("t"), 3_600_000]],
     [["merge", h("m"), h("x")], ["merge", h("m"), h("y")]],
     [["batch", [["put", h("c"), h("3")], ["delete", h("b")], ["merge", h("m"), h("z")]]]]],
    [[["put", h("second"), h("session")]]],
]


def write(side: str, store: dict) -> None:
    for session in SESSIONS:
        with Agent(side, f"{side} writer") as writer:
            writer.check("open_writer", store=store, path="db",
                         settings=writer_settings("none"))
            for ops in session:
                writer.check("write", ops=ops, durable=True)
                writer.check("flush", kind="wal")
            writer.check("close")


def read_wal(side: str, store: dict) -> list:
    with Agent(side, f"{side} WAL reader") as reader:
        return reader.check("wal", store=store, path="db")["files"]


@pytest.mark.parametrize("writer", ["upstream", "ours"])
@pytest.mark.parametrize("kind", ["local", "s3"])
def test_both_wal_readers_see_the_same_files(stores, writer, kind):
    store = stores.make(kind)
    write(writer, store)
    theirs = read_wal("upstream", store)
    ours = read_wal("ours", store)
    rows = [row for _, file_rows in theirs for row in file_rows]
    keys = [bytes.fromhex(row[1]) for row in rows]
    # The oracle read what was written (so the comparison below is not between two empties).
    if b"second" not in keys or not any(row[0] == "MERGE" for row in rows):
        raise StepFailed(f"upstream's WAL reader missed rows the {writer} writer logged: {rows}")
    if ours != theirs:
        raise StepFailed(f"WAL files written by {writer}, read on {kind}:\n"
                         f"  upstream: {theirs}\n  ours:     {ours}")
