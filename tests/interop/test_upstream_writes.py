# SPDX-License-Identifier: Apache-2.0
"""Upstream SlateDB 0.17.0 writes a database (every kind of write, L0 flushes, compactions
into sorted runs, a checkpoint); our Python, Node and C++ readers read all of it the same,
by get and by scan, at the latest state and at the checkpoint; then our writer opens it,
keeps writing (its compactor and GC run over upstream's SSTs), and upstream reads that back.

The full cases run on a local directory and on the S3 test server (where a page in headless
Chromium reads it as well), one codec each (conftest.FULL_CODEC); every other codec gets a
smaller database read by each of our readers.
"""
from __future__ import annotations

import pytest

import driver
from conftest import CODEC_SCALE, FULL_CODEC, OTHER_CODECS
from driver import Agent, StepFailed, check_read, write_database

OUR_READERS = ["ours-python", "ours-node", "ours-cpp"]


class UpstreamWritesCore:
    """What every database gets; subclasses provide the `db` fixture."""

    def test_upstream_reads_back_its_own_database(self, db):
        check_read("upstream-python", db.store, db.path, db.model)

    def test_upstream_made_l0_sorted_runs_and_codec(self, db):
        m = db.manifest
        assert m["sorted_runs"], f"upstream compacted nothing into sorted runs: {m}"
        ssts = m["l0"] + [s for run in m["sorted_runs"] for s in run["ssts"]]
        assert {s["codec"] for s in ssts} == {db.codec}, ssts
        assert any(c["id"] == db.checkpoint_id for c in m["checkpoints"]), m["checkpoints"]

    @pytest.mark.parametrize("reader", OUR_READERS)
    def test_ours_reads_latest(self, db, reader):
        check_read(reader, db.store, db.path, db.model)


class UpstreamWritesFull(UpstreamWritesCore):
    def test_upstream_reads_back_its_checkpoint(self, db):
        check_read("upstream-python", db.store, db.path, db.checkpoint_model, db.checkpoint_id)

    @pytest.mark.parametrize("reader", OUR_READERS)
    def test_ours_reads_checkpoint(self, db, reader):
        check_read(reader, db.store, db.path, db.checkpoint_model, db.checkpoint_id)

    def test_ours_writes_into_it_and_upstream_reads_back(self, db):
        """Our writer (upstream closed) replays upstream's WAL, writes over upstream's keys
        and merge keys, flushes and compacts with upstream's SSTs in its tree, runs GC;
        upstream then reads everything, also its checkpoint."""
        with Agent("ours", "our writer") as writer:
            writer.check("open_writer", store=db.store, path=db.path,
                         settings=driver.writer_settings(db.codec))
            keys = db.model.probe_keys()
            problem = driver.diff(db.model, keys, writer.check("read", keys=keys),
                                  "our writer (just opened on upstream's database)")
            if problem:
                raise StepFailed(problem)
            driver.write_continuation(writer, db.model, "up", "ours-cont")
            writer.check("gc")
            writer.check("close")
        check_read("upstream-python", db.store, db.path, db.model)
        check_read("upstream-python", db.store, db.path, db.checkpoint_model, db.checkpoint_id)


class TestUpstreamWritesLocal(UpstreamWritesFull):
    @pytest.fixture(scope="class", params=[FULL_CODEC["local"]])
    @classmethod
    def db(cls, request, stores):
        return write_database(stores, "upstream", "local", request.param)


class TestUpstreamWritesS3(UpstreamWritesFull):
    @pytest.fixture(scope="class", params=[FULL_CODEC["s3"]])
    @classmethod
    def db(cls, request, stores):
        return write_database(stores, "upstream", "s3", request.param)

    def test_chromium_reads_latest(self, db):
        check_read("ours-chromium", db.store, db.path, db.model)

    # Redefined here so that it runs after the browser read (it changes the database).
    def test_ours_writes_into_it_and_upstream_reads_back(self, db):
        super().test_ours_writes_into_it_and_upstream_reads_back(db)


class TestUpstreamWritesEachCodec(UpstreamWritesCore):
    @pytest.fixture(scope="class", params=OTHER_CODECS)
    @classmethod
    def db(cls, request, stores):
        return write_database(stores, "upstream", "local", request.param, scale=CODEC_SCALE)
