# SPDX-License-Identifier: Apache-2.0
"""Fencing both ways: the writer opened later wins, the earlier one gets Closed (fenced) on
its next durable write, and no acknowledged write is lost.

Writer A (one implementation) writes; writer B (the other) opens the same database, which
fences A; B must read everything A acknowledged, then writes; A's next write must fail
Closed(fenced) and leave no trace. Then writer C (A's implementation again) opens, fencing B,
and the same checks run the other way. Finally readers of both implementations read exactly
what was acknowledged.
"""
from __future__ import annotations

import pytest

from driver import Agent, StepFailed, check_read, writer_settings
from model import Model, diff


def batch(tag: str, n: int = 30) -> list:
    ops = [["put", f"fence/{tag}/{i:03d}".encode().hex(), f"{tag}{i}".encode().hex()]
           for i in range(n)]
    ops.append(["merge", b"fence/log".hex(), f"[{tag}]".encode().hex()])
    ops.append(["delete", b"fence/shared".hex()] if tag.endswith("2") else
               ["put", b"fence/shared".hex(), tag.encode().hex()])
    return ops


def expect_fenced(agent: Agent, model: Model, tag: str) -> None:
    ops = [["put", f"fence/{tag}/rejected".encode().hex(), b"must not appear".hex()]]
    answer = agent.call("write", ops=ops, durable=True)
    if answer["ok"]:
        raise StepFailed(f"{agent.label}: a durable write succeeded after a newer writer "
                         f"opened (it should have been fenced)")
    if answer["kind"] != "Closed" or answer.get("reason") != "fenced":
        raise StepFailed(f"{agent.label}: expected Closed (fenced), got {answer['kind']} "
                         f"({answer.get('reason')}): {answer['message']}")
    # The rejected key is read (as absent) by every later check.
    model.touched.add(ops[0][1])


def check_sees_model(agent: Agent, model: Model) -> None:
    keys = model.probe_keys()
    problem = diff(model, keys, agent.check("read", keys=keys), agent.label)
    if problem:
        raise StepFailed(problem)


def fence_both_ways(first: str, store: dict) -> None:
    second = "ours" if first == "upstream" else "upstream"
    model = Model()
    settings = writer_settings("none")
    with Agent(first, f"{first} writer A") as a, Agent(second, f"{second} writer B") as b, \
            Agent(first, f"{first} writer C") as c:
        a.check("open_writer", store=store, path="fence", settings=settings)
        a.write(model, batch("a1"))
        a.check("flush", kind="memtable")
        a.write(model, batch("a2"))          # in A's WAL only

        b.check("open_writer", store=store, path="fence", settings=settings)
        check_sees_model(b, model)
        b.write(model, batch("b1"))
        expect_fenced(a, model, "a3")
        b.write(model, batch("b2"))

        c.check("open_writer", store=store, path="fence", settings=settings)
        check_sees_model(c, model)
        c.write(model, batch("c1"))
        expect_fenced(b, model, "b3")
        c.write(model, batch("c2"))
        c.check("close")
        a.kill()
        b.kill()
    for reader in ("upstream-python", "ours-python"):
        check_read(reader, store, "fence", model)


@pytest.mark.parametrize("kind", ["local", "s3"])
@pytest.mark.parametrize("first", ["upstream", "ours"])
def test_each_writer_fences_the_other(stores, kind, first):
    fence_both_ways(first, stores.make(kind))
