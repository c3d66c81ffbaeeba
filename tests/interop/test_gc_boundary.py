# SPDX-License-Identifier: Apache-2.0
"""GC boundary files and a standalone compactor across implementations.

* Boundary files (`gc/manifest.boundary`, `gc/compactions.boundary`, docs/format.md 4.1):
  our collector writes them, upstream 0.17's writer carries on above them and its collector
  raises them further (If-Match on our object); our writer and collector then carry on above
  upstream's value. Every acknowledged write reads back from both sides at the end.
* Our standalone compactor (`slatedb compactor run`) compacts the L0 SSTs of an upstream 0.17
  writer opened without its own compactor, while that writer keeps writing. (The reverse,
  upstream's compactor beside our writer, cannot be run: the 0.17 wheel has no standalone
  compactor; `slatedb.uniffi` offers no CompactorBuilder, and its Admin only records
  compaction requests for a writer's in-process compactor to run.)
"""
from __future__ import annotations

import os
import random
import signal
import subprocess
import tempfile

import pytest

import driver
from driver import Agent, StepFailed, check_read, wait_until, writer_settings
from model import Model, bulk_puts


def object_body(store: dict, path: str, key: str) -> bytes | None:
    """The bytes of `<path>/<key>`, or None if there is no such object."""
    if store["kind"] == "local":
        full = os.path.join(store["root"], path, key)
        if not os.path.exists(full):
            return None
        with open(full, "rb") as f:
            return f.read()
    status, body = driver.s3_signing.signed_fetch(
        driver.S3_ENDPOINT, "GET", f"/{store['bucket']}/{driver.db_prefix(store, path)}/{key}")
    if status == 404:
        return None
    if status != 200:
        raise StepFailed(f"GET {key}: HTTP {status}: {body[:200]!r}")
    return body


def boundary(store: dict, path: str, kind: str) -> int | None:
    """The value of gc/<kind>.boundary, checked to be decimal text without a newline."""
    body = object_body(store, path, f"gc/{kind}.boundary")
    if body is None:
        return None
    if not body.isdigit():
        raise StepFailed(f"gc/{kind}.boundary holds {body!r}, not the decimal text of a u64")
    return int(body)


def ids(store: dict, path: str, directory: str) -> list[int]:
    """The ids of manifest/ or compactions/ objects, ascending."""
    return sorted(int(name.split("/")[1].split(".")[0])
                  for name in driver.list_objects(store, path) if name.startswith(directory + "/"))


def write_rounds(agent: Agent, model: Model, tag: str, rounds: int, n: int = 150) -> None:
    """`rounds` batches of puts, each flushed to L0 (one manifest version or more each)."""
    rng = random.Random(tag)
    for r in range(rounds):
        agent.write(model, bulk_puts(rng, f"{tag}{r}", 0, n))
        agent.check("flush", kind="memtable")


def collect(side: str, store: dict, path: str) -> None:
    with Agent(side, f"{side} collector") as gc:
        gc.check("attach", store=store, path=path)
        gc.check("gc")
        gc.close()


@pytest.mark.parametrize("kind", ["s3", "local"])
def test_boundary_files_across_implementations(stores, kind):
    store = stores.make(kind)
    model = Model()
    settings = writer_settings("none")
    with Agent("ours", "our writer") as w:
        w.check("open_writer", store=store, path="gcb", settings=settings)
        write_rounds(w, model, "o", 5)
        w.check("close")
    before = ids(store, "gcb", "manifest")
    assert len(before) >= 5, before
    collect("ours", store, "gcb")
    ours = boundary(store, "gcb", "manifest")
    after = ids(store, "gcb", "manifest")
    assert ours is not None, f"our collector wrote no gc/manifest.boundary: {after}"
    assert after and after[0] > ours, (ours, after)  # nothing at or below it is left
    assert after[-1] == before[-1]
    if len(ids(store, "gcb", "compactions")) > 1:
        raise StepFailed("our collector left old compactions versions")
    compactions_boundary = boundary(store, "gcb", "compactions")

    # Upstream's writer reads our boundary on every version it creates, and carries on.
    with Agent("upstream", "upstream writer") as w:
        w.check("open_writer", store=store, path="gcb", settings=settings)
        write_rounds(w, model, "u", 4)
        w.check("close")
    before_up = ids(store, "gcb", "manifest")
    assert before_up[-1] > after[-1]
    collect("upstream", store, "gcb")
    theirs = boundary(store, "gcb", "manifest")
    after_up = ids(store, "gcb", "manifest")
    if kind == "s3":
        # Upstream raised our object with If-Match and deleted versions under it (a version
        # a checkpoint pins may stay below it).
        assert theirs is not None and theirs > ours, (ours, theirs)
        assert len(after_up) < len(before_up) and after_up[-1] == before_up[-1], \
            (before_up, after_up, theirs)
        assert theirs not in after_up, (theirs, after_up)
    else:
        # Upstream's local file system has no conditional overwrite: its manifest pass fails
        # and deletes nothing, and our boundary stays as it was.
        assert theirs == ours, (ours, theirs)
    if compactions_boundary is not None:
        assert boundary(store, "gcb", "compactions") >= compactions_boundary

    # Ours again, above whatever upstream left; our collector raises upstream's value.
    with Agent("ours", "our writer again") as w:
        w.check("open_writer", store=store, path="gcb", settings=settings)
        write_rounds(w, model, "p", 3)
        w.check("close")
    before_ours = ids(store, "gcb", "manifest")
    collect("ours", store, "gcb")
    final = boundary(store, "gcb", "manifest")
    assert final is not None and final > theirs, (theirs, final)
    left = ids(store, "gcb", "manifest")
    assert final not in left and left[-1] == before_ours[-1], (final, before_ours, left)
    for reader in ("upstream-python", "ours-python"):
        check_read(reader, store, "gcb", model)


def our_cli() -> str:
    """Our `slatedb` program: the one the package installs beside its Python."""
    cli = os.path.join(os.path.dirname(driver.OUR_PYTHON), "slatedb")
    if not os.path.exists(cli):
        pytest.fail(f"{cli} missing (our package installs it)", pytrace=False)
    return cli


def store_url(store: dict) -> str:
    if store["kind"] == "local":
        return "file://" + store["root"]
    return f"s3://{store['bucket']}/{store['prefix']}"


@pytest.mark.parametrize("kind", ["s3"])
def test_our_standalone_compactor_beside_an_upstream_writer(stores, kind):
    store = stores.make(kind)
    model = Model()
    settings = dict(writer_settings("none"), compactor=False)
    log = tempfile.TemporaryFile(mode="w+")
    with Agent("upstream", "upstream writer (no compactor)") as w, \
            Agent("upstream", "upstream admin") as admin:
        w.check("open_writer", store=store, path="cc", settings=settings)
        admin.check("attach", store=store, path="cc")
        write_rounds(w, model, "a", 2)
        compactor = subprocess.Popen(
            [our_cli(), "--url", store_url(store), "--path", "cc", "compactor", "run",
             "--poll-interval", "100ms", "--report-interval", "1s"],
            stdout=log, stderr=subprocess.STDOUT, env=driver.child_env(), text=True)
        try:
            # The writer keeps writing and flushing while our compactor merges its L0s.
            write_rounds(w, model, "b", 8)

            def compacted():
                m = admin.check("manifest")["manifest"]
                return m if m["sorted_runs"] else None
            try:
                m = wait_until(compacted, 60, "our compactor's first sorted run")
            except StepFailed:
                log.seek(0)
                raise StepFailed(f"no sorted run; our compactor said:\n{log.read()[-3000:]}")
            assert m["sorted_runs"], m
            write_rounds(w, model, "c", 4)
            # The writer adopted the compactor's results: its reads see everything.
            keys = model.probe_keys()
            problem = driver.diff(model, keys, w.check("read", keys=keys), "upstream writer")
            if problem:
                raise StepFailed(problem)
            w.check("close")
        finally:
            if compactor.poll() is None:
                compactor.send_signal(signal.SIGTERM)
            try:
                code = compactor.wait(timeout=30)
            except subprocess.TimeoutExpired:
                compactor.kill()
                code = compactor.wait()
        log.seek(0)
        output = log.read()
        assert code == 0, f"our compactor exited {code}:\n{output[-3000:]}"
        # Both collectors run over the result; the boundaries only grow.
        collect("upstream", store, "cc")
        up = boundary(store, "cc", "manifest")
        collect("ours", store, "cc")
        ours = boundary(store, "cc", "manifest")
        assert up is not None and ours is not None and ours >= up, (up, ours)
    for reader in ("upstream-python", "ours-python"):
        check_read(reader, store, "cc", model)
