# SPDX-License-Identifier: Apache-2.0
"""Our writer (the Python package) writes a database with the same workload upstream does
in test_upstream_writes.py (one codec per case); upstream SlateDB 0.17.0 reads it all by get
and by scan, at the latest state and at our checkpoint, and its Admin sees our L0 SSTs and
sorted runs; then upstream opens it as the writer, keeps writing, compacts our SSTs into its
own and runs GC over our objects, and our package reopens it and reads what upstream wrote.
The full cases run on a local directory and on the S3 test server, one codec each
(conftest.FULL_CODEC); every other codec gets a smaller database that upstream reads.
"""
from __future__ import annotations

import pytest

import driver
from conftest import CODEC_SCALE, FULL_CODEC, OTHER_CODECS
from driver import Agent, StepFailed, check_read, write_database


def all_ssts(manifest: dict) -> list[dict]:
    return manifest["l0"] + [s for run in manifest["sorted_runs"] for s in run["ssts"]]


def runs_of(manifest: dict) -> list:
    return [(r["id"], [s["id"] for s in r["ssts"]]) for r in manifest["sorted_runs"]]


class OursWritesCore:
    """What every database gets; subclasses provide the `db` fixture."""

    def test_ours_reads_back_its_own_database(self, db):
        check_read("ours-python", db.store, db.path, db.model)

    def test_ours_made_sorted_runs(self, db):
        assert db.manifest["sorted_runs"], f"we compacted nothing into sorted runs: {db.manifest}"

    def test_upstream_admin_sees_our_l0_sorted_runs_codec_checkpoint(self, db):
        """Upstream's Admin decodes our latest manifest as our Admin does: the same SSTs,
        sorted runs, codec, checkpoint."""
        summaries = {}
        for side in ("ours", "upstream"):
            with Agent(side, f"{side} admin") as agent:
                agent.check("attach", store=db.store, path=db.path)
                summaries[side] = agent.check("manifest")["manifest"]
                agent.close()
        m = summaries["upstream"]
        ours = [(s["id"], s["codec"]) for s in all_ssts(summaries["ours"])]
        theirs = [(s["id"], s["codec"]) for s in all_ssts(m)]
        assert theirs == ours, f"(SST id, codec): ours {ours}, upstream decoded {theirs}"
        assert runs_of(m) == runs_of(summaries["ours"]), (runs_of(summaries["ours"]), runs_of(m))
        assert m["sorted_runs"], m
        assert {s["codec"] for s in all_ssts(m)} == {db.codec}, all_ssts(m)
        assert any(c["id"] == db.checkpoint_id for c in m["checkpoints"]), m["checkpoints"]

    def test_upstream_reads_latest(self, db):
        check_read("upstream-python", db.store, db.path, db.model)


class OursWritesFull(OursWritesCore):
    def test_ours_reads_back_its_checkpoint(self, db):
        check_read("ours-python", db.store, db.path, db.checkpoint_model, db.checkpoint_id)

    def test_upstream_reads_checkpoint(self, db):
        check_read("upstream-python", db.store, db.path, db.checkpoint_model, db.checkpoint_id)

    def test_upstream_continues_compacts_our_ssts_gcs_and_ours_reads_back(self, db):
        before = driver.list_objects(db.store, db.path)
        with Agent("upstream", "upstream writer") as writer:
            writer.check("open_writer", store=db.store, path=db.path,
                         settings=driver.writer_settings(db.codec))
            ours_manifest = writer.check("manifest")["manifest"]
            driver.write_continuation(writer, db.model, "our", "up-cont")
            compaction = writer.check("compact_all", timeout_s=60)
            listed = driver.list_objects(db.store, db.path)
            writer.check("gc")
            after = driver.list_objects(db.store, db.path)
            writer.check("close")
        # Every SST of ours was merged into upstream's own (by its compactor or the full
        # compaction): none is left in the tree.
        our_ssts = {s["id"] for s in all_ssts(ours_manifest)}
        left = {s["id"] for s in all_ssts(compaction["manifest"])}
        assert our_ssts and not (left & our_ssts), (
            f"after upstream's full compaction ({compaction['attempts']}) our SSTs "
            f"{sorted(left & our_ssts)} are still in its tree")
        deleted = sorted(set(listed) - set(after))
        ours_deleted = [k for k in deleted if k in before]
        assert ours_deleted, f"upstream's GC deleted none of our objects (deleted: {deleted})"
        # Our package reopens what upstream wrote: a reader, our checkpoint, then the writer.
        check_read("ours-python", db.store, db.path, db.model)
        check_read("ours-python", db.store, db.path, db.checkpoint_model, db.checkpoint_id)
        with Agent("ours", "our writer (reopened)") as writer:
            writer.check("open_writer", store=db.store, path=db.path,
                         settings=driver.writer_settings(db.codec))
            got = writer.check("read", keys=db.model.probe_keys())
            writer.check("close")
        problem = driver.diff(db.model, db.model.probe_keys(), got, "our writer (reopened)")
        if problem:
            raise StepFailed(problem)


class TestOursWritesLocal(OursWritesFull):
    @pytest.fixture(scope="class", params=[FULL_CODEC["local"]])
    @classmethod
    def db(cls, request, stores):
        return write_database(stores, "ours", "local", request.param)


class TestOursWritesS3(OursWritesFull):
    @pytest.fixture(scope="class", params=[FULL_CODEC["s3"]])
    @classmethod
    def db(cls, request, stores):
        return write_database(stores, "ours", "s3", request.param)


class TestOursWritesEachCodec(OursWritesCore):
    @pytest.fixture(scope="class", params=OTHER_CODECS)
    @classmethod
    def db(cls, request, stores):
        return write_database(stores, "ours", "local", request.param, scale=CODEC_SCALE)
