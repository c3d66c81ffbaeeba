# SPDX-License-Identifier: Apache-2.0
"""Clones of several databases and of key ranges across implementations: sources written by
one side, a clone made by either side's CloneBuilder (a union of three sources, and a union
of two projected ones), read by both sides' readers, which must see exactly the rows the
sources hold in the clone's ranges.

Upstream clones only sources with no WAL beyond their SSTs, so its writers run with
`wal_enabled=false`; ours always writes a WAL, and a memtable flush before close leaves none
unflushed. Clones and readers go through slatedb.uniffi on both sides, on S3, where both
bind the store at the bucket: a clone records its sources' paths relative to the store's
root, and our Python package binds a local store at the database's parent directory
(docs/checkpoints.md), so local clones made by one side name paths the other cannot resolve,
unless both root their store at the directory (ObjectStore.from_env with LOCAL_PATH), as the
test of a clone made in another store than the Admin's does.
"""
from __future__ import annotations

import pytest

from driver import Agent, StepFailed


def h(s: str) -> str:
    return s.encode().hex()


SOURCES = {
    "s1": [f"a/{i:02d}" for i in range(12)],
    "s2": [f"b/{i:02d}" for i in range(12)],
    "s3": [f"c/{i:02d}" for i in range(12)],
}
# name -> (sources as the "clone" command takes them, the keys the clone shows)
CLONES = {
    "union": ([{"path": "s1"}, {"path": "s2"}, {"path": "s3"}],
              SOURCES["s1"] + SOURCES["s2"] + SOURCES["s3"]),
    "projected": ([{"path": "s3", "start": h("c/03"), "end": h("c/07")},
                   {"path": "s1", "start": h("a/"), "end": h("a/05")}],
                  SOURCES["s1"][:5] + SOURCES["s3"][3:7]),
}


def write_sources(side: str, store: dict) -> None:
    for name, keys in SOURCES.items():
        with Agent(side, f"{side} writer of {name}") as writer:
            writer.check("open_writer", store=store, path=name,
                         settings={"codec": "none", "wal_enabled": False})
            half = len(keys) // 2  # two L0 SSTs per source
            for part in (keys[:half], keys[half:]):
                writer.check("write", ops=[["put", h(k), h("v-" + k)] for k in part],
                             durable=False)
                writer.check("flush", kind="memtable")
            writer.check("close")


def read_clone(side: str, store: dict, path: str, probe: list) -> dict:
    with Agent(side, f"{side} reader of {path}") as reader:
        return reader.check("read_once", store=store, path=path, keys=[h(k) for k in probe])


@pytest.mark.parametrize("cloner", ["upstream", "ours"])
@pytest.mark.parametrize("writer", ["upstream", "ours"])
def test_union_and_projected_clones_read_the_same_on_both_sides(stores, writer, cloner):
    kind = "s3"
    store = stores.make(kind)
    write_sources(writer, store)
    every_key = [k for keys in SOURCES.values() for k in keys]
    with Agent(cloner, f"{cloner} cloner") as agent:
        for name, (sources, _) in CLONES.items():
            agent.check("clone", store=store, path=name, sources=sources)
    for name, (_, shown) in CLONES.items():
        expected = {"get": [h("v-" + k) if k in shown else None for k in every_key],
                    "scan": [[h(k), h("v-" + k)] for k in sorted(shown)]}
        for reader in ("upstream", "ours"):
            got = read_clone(reader, store, name, every_key)
            got = {"get": got["get"], "scan": got["scan"]}
            if got != expected:
                raise StepFailed(f"{reader} reading the {name} clone {cloner} made of "
                                 f"{writer}'s databases on {kind}:\n  expected {expected}\n"
                                 f"  got      {got}")


@pytest.mark.parametrize("cloner", ["upstream", "ours"])
@pytest.mark.parametrize("writer", ["upstream", "ours"])
def test_clone_into_another_object_store(stores, writer, cloner):
    """CloneBuilder.with_object_store(other) on an Admin of one local directory makes the
    clone in another, where its sources are (upstream reads the sources from that store and
    references their SSTs there by path, copying none): both sides' readers of that
    directory see the sources' rows."""
    admin_dir, other = stores.make("local"), stores.make("local")
    write_sources(writer, other)
    rooted = dict(other, rooted=True)
    with Agent(cloner, f"{cloner} cloner") as agent:
        agent.check("clone", store=dict(admin_dir, rooted=True), into=rooted, path="union",
                    sources=[{"path": "s1"}, {"path": "s2"}])
    shown = SOURCES["s1"] + SOURCES["s2"]
    every_key = [k for keys in SOURCES.values() for k in keys]
    expected = {"get": [h("v-" + k) if k in shown else None for k in every_key],
                "scan": [[h(k), h("v-" + k)] for k in sorted(shown)]}
    for reader in ("upstream", "ours"):
        got = read_clone(reader, rooted, "union", every_key)
        got = {"get": got["get"], "scan": got["scan"]}
        if got != expected:
            raise StepFailed(f"{reader} reading the clone {cloner} made in another store of "
                             f"{writer}'s databases:\n  expected {expected}\n  got      {got}")
