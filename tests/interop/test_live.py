# SPDX-License-Identifier: Apache-2.0
"""Live: a reader of one implementation follows a writer of the other while it writes.

The writer commits rounds, each one atomic batch (puts of new keys, an overwrite, a delete of
an earlier round's key, a merge), durably; some rounds end with an L0 flush, so the reader
must move from WAL objects to SSTs. After each round the reader (polling every 100 ms) must
come to show exactly the model, and until then exactly the previous round's state: never a
half batch, a lost row or a value nobody wrote.
"""
from __future__ import annotations

import time

import pytest

from driver import Agent, StepFailed, writer_settings
from model import Model, diff

ROUNDS = 6
CATCH_UP_S = 20


def round_ops(r: int) -> list:
    sub = [["put", f"live/{r}/{i}".encode().hex(), f"round {r} row {i}".encode().hex()]
           for i in range(20)]
    sub.append(["put", b"live/counter".hex(), str(r).encode().hex()])
    sub.append(["merge", b"live/log".hex(), f"[{r}]".encode().hex()])
    if r > 0:
        sub.append(["delete", f"live/{r - 1}/0".encode().hex()])
    return [["batch", sub]]


def mixed_state(before: Model, after: Model, keys: list[str], got: dict) -> str | None:
    """None if the scan shows exactly one of the two states and every get shows its key as
    in one of them (a read command's gets and scan are separate reads, and the reader may
    load the round between them); else what is wrong."""
    if got["scan"] not in (before.expected_scan(), after.expected_scan()):
        return "the scan"
    for k, v in zip(keys, got["get"]):
        if v not in (before.rows.get(k), after.rows.get(k)):
            return f"get of {bytes.fromhex(k)!r}"
    return None


def follow(writer_side: str, reader_side: str, store: dict) -> None:
    model = Model()
    path = "live"
    with Agent(writer_side, f"{writer_side} writer") as writer, \
            Agent(reader_side, f"{reader_side} reader") as reader:
        writer.check("open_writer", store=store, path=path, settings=writer_settings("none"))
        writer.write(model, round_ops(0))
        reader.check("open_reader", store=store, path=path, poll_ms=100)
        for r in range(1, ROUNDS + 1):
            before = model.copy()
            writer.write(model, round_ops(r))
            if r % 3 == 0:
                writer.check("flush", kind="memtable")
            keys = model.probe_keys()
            deadline = time.monotonic() + CATCH_UP_S
            while True:
                got = reader.check("read", keys=keys)
                if diff(model, keys, got, "") is None:
                    break
                problem = mixed_state(before, model, keys, got)
                if problem:
                    raise StepFailed(f"round {r}: the {reader_side} reader shows a state that "
                                     f"is neither the one before the round nor after it: "
                                     f"{problem}\n" + diff(model, keys, got,
                                                           f"{reader_side} reader"))
                if time.monotonic() > deadline:
                    raise StepFailed(f"round {r}: the {reader_side} reader still shows the "
                                     f"previous round after {CATCH_UP_S} s\n"
                                     + diff(model, keys, got, f"{reader_side} reader"))
                time.sleep(0.05)
        reader.check("close")
        writer.check("close")


@pytest.mark.parametrize("kind", ["local", "s3"])
def test_upstream_reader_follows_our_writer(stores, kind):
    follow("ours", "upstream", stores.make(kind))


@pytest.mark.parametrize("kind", ["local", "s3"])
def test_our_reader_follows_upstream_writer(stores, kind):
    follow("upstream", "ours", stores.make(kind))
