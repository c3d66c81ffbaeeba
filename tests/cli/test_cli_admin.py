# SPDX-License-Identifier: Apache-2.0
"""slatedb checkpoint / gc / compaction / compactor / db delete, on a local directory and on
S3 (moto), against databases the Python package writes."""
import json
import os
import signal
import subprocess
import time

import pytest

from slatedb import SlateDB, SlateDBReader

from cli_helpers import cli_path


def fill(target, db="db", rows=20, flushes=1):
    handle = SlateDB(db, **target.open_kwargs())
    for f in range(flushes):
        for i in range(rows):  # made durable by the memtable flush, not one WAL flush each
            handle.put_with_options(b"k%02d-%03d" % (f, i), b"v%d" % f, await_durable=False)
        handle.flush_with_options("memtable")
    return handle


def wait_finished(target, cid, timeout=60):
    """The compaction `cid` once it is Completed or Failed (or as it is after `timeout` s)."""
    deadline = time.time() + timeout
    while True:
        shown = target.ok("compaction", "show", cid).json["compaction"]
        if shown["status"] in ("Completed", "Failed") or time.time() > deadline:
            return shown
        time.sleep(0.5)


def test_checkpoint_lifecycle(target):
    db = fill(target)
    created = target.ok("checkpoint", "create", "--name", "nightly", "--lifetime", "1h").json
    cid = created["id"]
    assert created["checkpoint"]["name"] == "nightly"
    expires = created["checkpoint"]["expire_time_ms"] - created["checkpoint"]["create_time_ms"]
    assert abs(expires - 3_600_000) < 5_000
    listed = target.ok("checkpoint", "list").json["checkpoints"]
    assert [c["id"] for c in listed] == [cid]
    assert target.ok("checkpoint", "list", "--name", "other").json["checkpoints"] == []

    # A checkpoint reads the database as it was.
    db.put(b"k00-000", b"changed")
    db.flush_with_options("memtable")
    assert target.ok("get", "k00-000").json["value"] == "changed"
    assert target.ok("get", "k00-000", "--checkpoint", cid).json["value"] == "v0"
    with SlateDBReader("db", checkpoint_id=cid, **target.open_kwargs()) as reader:
        assert reader.get(b"k00-000") == b"v0"

    # A second checkpoint of the same version, then refresh, delete.
    copy = target.ok("checkpoint", "create", "--source", cid).json
    assert copy["manifest_id"] == created["manifest_id"]
    refreshed = target.ok("checkpoint", "refresh", cid).json
    assert refreshed["checkpoint"]["expire_time_ms"] is None
    again = target.ok("checkpoint", "refresh", "--id", cid, "--lifetime", "10m").json
    assert again["checkpoint"]["expire_time_ms"] is not None
    assert target.ok("checkpoint", "delete", cid).json == {"id": cid, "deleted": True, "existed": True}
    assert target.ok("checkpoint", "delete", cid).json["existed"] is False
    remaining = [c["id"] for c in target.ok("checkpoint", "list").json["checkpoints"]]
    assert remaining == [copy["id"]]
    text = target.ok("checkpoint", "list", json_mode=False).stdout
    assert copy["id"] in text and "1 checkpoint(s)" in text

    bad = target.run("checkpoint", "delete", "not-a-uuid")
    assert bad.code == 1 and bad.json["error"]["kind"] == "invalid"
    unknown = target.run("checkpoint", "refresh", "01234567-89ab-4cde-8f01-23456789abcd")
    assert unknown.code == 1 and unknown.json["error"]["kind"] == "data"
    assert target.run("checkpoint", "create", "--lifetime", "soon").code == 2
    assert target.run("checkpoint", "refresh").code == 2
    db.close()


def test_gc_run_dry_run_then_real(target):
    db = fill(target, flushes=3)
    db.close()
    manifests = target.ok("manifest", "list").json["manifests"]
    latest = manifests[-1]["location"]
    dry = target.ok("gc", "run", "--min-age", "0s", "--dry-run").json
    assert dry["dry_run"] is True
    planned = dry["objects"]["manifest"]
    assert planned and latest not in planned
    assert set(planned) <= {m["location"] for m in manifests}
    # A dry run deletes nothing.
    assert target.ok("manifest", "list").json["manifests"] == manifests
    done = target.ok("gc", "run", "--min-age", "0s", "--resource", "manifest").json
    assert done["dry_run"] is False and sorted(done["objects"]["manifest"]) == sorted(planned)
    assert done["objects"]["compacted"] == [] and done["counts"]["manifest"] == len(planned)
    left = [m["location"] for m in target.ok("manifest", "list").json["manifests"]]
    assert latest in left and not set(planned) & set(left)
    # The data is intact.
    assert target.ok("get", "k02-019").json["value"] == "v2"
    text = target.ok("gc", "run", "--dry-run", json_mode=False).stdout
    assert text.startswith("would delete")
    assert target.run("gc", "run", "--resource", "everything").code == 2


def test_gc_schedule_passes_and_stops(target):
    fill(target).close()
    r = target.ok("gc", "schedule", "--interval", "1s", "--min-age", "0s", "--passes", "2")
    passes = r.json_lines
    assert [p["pass"] for p in passes] == [1, 2]
    assert all("report" in p and p["report"]["dry_run"] is False for p in passes)
    per_dir = target.ok("gc", "schedule", "--manifest", "min_age=0s,period=1s", "--passes", "1",
                        json_mode=False)
    assert "pass 1:" in per_dir.stdout
    assert target.run("gc", "schedule", "--manifest", "min_age=1s").code == 2
    assert target.run("gc", "schedule", "--manifest", "min_age=1s,period=1s",
                      "--interval", "1s").code == 2


def test_gc_schedule_stops_on_sigint(local_target):
    fill(local_target).close()
    argv = [cli_path(), "--url", local_target.url, "--path", "db", "gc", "schedule",
            "--interval", "1h", "--min-age", "0s"]
    proc = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            env=local_target.env, cwd=local_target.tmp_path)
    try:
        assert "until interrupted" in proc.stdout.readline()
        assert "pass 1:" in proc.stdout.readline()
        proc.send_signal(signal.SIGINT)
        assert proc.wait(timeout=10) == 0
    finally:
        if proc.poll() is None:
            proc.kill()


def test_compaction_submit_runs_in_the_writer(target):
    db = fill(target, flushes=2)  # the writer (compactor on) stays open
    l0 = target.ok("state").json["l0"]["ssts"]
    assert len(l0) == 2
    # L0 sources alone go to a new sorted run, above every existing id (and above 0).
    submitted = target.ok("compaction", "submit", "--sst", l0[0]["id"], "--sst", l0[1]["id"],
                          "--destination", "1").json["compaction"]
    cid = submitted["id"]
    assert submitted["status"] == "Submitted"
    listed = target.ok("compaction", "list").json
    assert cid in [c["id"] for c in listed["compactions"]]
    objects = target.ok("compaction", "list", "--objects").json["objects"]
    # The running writer's compactor may store newer versions between the two commands.
    assert listed["id"] in [o["id"] for o in objects] and objects[-1]["id"] >= listed["id"]
    # The writer's compactor polls for requests (every 5 s by default) and runs it.
    shown = wait_finished(target, cid)
    assert shown["status"] == "Completed", shown
    state = target.ok("state").json
    assert state["l0"]["ssts"] == [] and [r["id"] for r in state["sorted_runs"]["runs"]] == [1]
    assert state["sorted_runs"]["totals"]["rows"] is None  # the format records no row counts
    # Upstream's JSON form; a bad one; an unknown id; a malformed id.
    upstream = target.ok("compaction", "submit", "--request",
                         '{"Spec":{"sources":[{"SortedRun":1}],"destination":1}}').json
    assert upstream["compaction"]["spec"]["destination"] == 1
    assert target.run("compaction", "submit", "--request", "[1]").code == 2
    # "Full": one request per tree with sorted runs, all its runs into the lowest; the writer's
    # compactor runs it. FullSegment of the root tree plans the same; of an unknown one, fails.
    full = target.ok("compaction", "submit", "--request", '"Full"').json["compactions"]
    assert [c["spec"] for c in full] == [{"sources": [{"SortedRun": 1}], "destination": 1}]
    assert wait_finished(target, full[0]["id"])["status"] == "Completed"
    root = target.ok("compaction", "submit", "--request", '{"FullSegment":{"segment":[]}}').json
    assert root["compactions"][0]["spec"]["destination"] == 1
    assert target.run("compaction", "submit", "--request",
                      '{"FullSegment":{"segment":[1,2]}}').code == 1
    assert target.run("compaction", "submit", "--request",
                      '{"FullSegment":{"segment":[300]}}').code == 2
    assert target.run("compaction", "submit", "--sst", "x", "--destination", "1").code == 1
    assert target.run("compaction", "show", "01ARZ3NDEKTSV4RRFFQ69G5FAV").code == 3
    assert target.run("compaction", "show", "nope").code == 2
    # Upstream 0.17's spec enum: Tiered as the plain form; a DrainSegment is recorded as a
    # drain and, this database having no segments, fails in the compactor.
    tiered = target.ok("compaction", "submit", "--request",
                       '{"Spec":{"Tiered":{"segment":[],"sources":[{"SortedRun":1}],'
                       '"destination":1}}}').json
    assert tiered["compaction"]["spec"] == {"sources": [{"SortedRun": 1}], "destination": 1}
    drain = target.ok("compaction", "submit", "--request",
                      '{"Spec":{"DrainSegment":{"segment":[97],"sources":[{"SortedRun":1}]}}}'
                      ).json["compaction"]
    assert drain["spec"]["drain"] is True and drain["spec"]["segment"] == "61"
    assert wait_finished(target, drain["id"])["status"] == "Failed"
    assert target.run("compaction", "submit", "--request",
                      '{"Spec":{"DrainSegment":{"sources":[]}}}').code == 2
    db.close()


def test_compactor_run_claims_the_epoch_and_stops_on_sigint(local_target):
    fill(local_target, flushes=3).close()
    argv = [cli_path(), "--url", local_target.url, "--path", "db", "compactor", "run",
            "--poll-interval", "100ms"]
    proc = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            env=local_target.env, cwd=local_target.tmp_path)
    try:
        assert "as compactor epoch 1 until interrupted" in proc.stdout.readline()
        proc.send_signal(signal.SIGINT)
        assert proc.wait(timeout=30) == 0
    finally:
        if proc.poll() is None:
            proc.kill()
    assert local_target.ok("state").json["compactor_epoch"] >= 1


def start_compactor(local_target):
    argv = [cli_path(), "--url", local_target.url, "--path", "db", "--json", "compactor", "run",
            "--poll-interval", "100ms", "--report-interval", "200ms"]
    proc = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            env=local_target.env, cwd=local_target.tmp_path)
    started = json.loads(proc.stdout.readline())
    assert started["event"] == "started", started
    return proc, started["epoch"]


def test_compactor_run_compacts_a_writer_with_compaction_off(local_target):
    """The issue's scale-out setup: the writer (Python, compaction off) and `slatedb compactor
    run` as two processes. The compactor drains L0 into sorted runs, the writer adopts them
    and reads everything; a second compactor fences the first (exit 1, closed)."""
    settings = local_target.tmp_path / "writer.json"
    settings.write_text(json.dumps({"compactor_options": None, "l0_max_ssts": 4,
                                    "manifest_poll_interval": "100ms"}))
    db = SlateDB("db", settings=str(settings), **local_target.open_kwargs())
    first, epoch = start_compactor(local_target)
    second = None
    try:
        expected = {}
        for f in range(8):  # 8 L0 SSTs: twice l0_max_ssts, which this writer does not enforce
            for i in range(50):
                key, value = b"s%02d-%03d" % (f, i), b"v%d" % f
                db.put_with_options(key, value, await_durable=False)
                expected[key] = value
            db.flush_with_options("memtable")
        deadline = time.time() + 60
        while True:
            state = local_target.ok("state").json
            # Below min_compaction_sources (4 by default) nothing is left to compact.
            if (len(state["l0"]["ssts"]) < 4 and state["sorted_runs"]["runs"]) or time.time() > deadline:
                break
            time.sleep(0.2)
        assert len(state["l0"]["ssts"]) < 4 and state["sorted_runs"]["runs"], state
        assert state["compactor_epoch"] == epoch
        for key, value in expected.items():
            assert db.get(key) == value
        # A second compactor claims the next epoch; the first stops, fenced.
        second, second_epoch = start_compactor(local_target)
        assert second_epoch == epoch + 1
        assert first.wait(timeout=30) == 1
        err = first.stderr.read()
        assert "closed" in err.lower() and "another compactor" in err, err
        # The writer goes on with the second one.
        for i in range(50):
            db.put_with_options(b"t%03d" % i, b"w", await_durable=False)
        db.flush_with_options("memtable")
        assert db.get(b"t049") == b"w" and db.get(b"s07-049") == b"v7"
        second.send_signal(signal.SIGINT)
        assert second.wait(timeout=30) == 0
    finally:
        for proc in (first, second):
            if proc is not None and proc.poll() is None:
                proc.kill()
        db.close()


def test_db_delete(target):
    fill(target, db="doomed").close()
    fill(target, db="neighbour").close()
    refused = target.run("db", "delete", db="doomed")
    assert refused.code == 4 and refused.json["error"]["kind"] == "refused"
    cid = target.ok("checkpoint", "create", db="doomed").json["id"]
    pinned = target.run("db", "delete", "--yes", db="doomed")
    assert pinned.code == 1 and pinned.json["error"]["kind"] == "invalid"
    assert cid in pinned.json["error"]["message"]
    target.ok("checkpoint", "delete", cid, db="doomed")
    deleted = target.ok("db", "delete", "--yes", db="doomed").json
    assert deleted["deleted"] and deleted["objects_deleted"] >= 3
    assert target.run("manifest", "show", db="doomed").code == 3
    assert target.run("db", "delete", "--yes", db="doomed").code == 1  # nothing left
    # The neighbour is untouched.
    assert target.ok("get", "k00-001", db="neighbour").json["value"] == "v0"
    if target.kind == "local":
        leftover = [f for _, _, files in os.walk(target.url[len("file://"):] + "/doomed") for f in files]
        assert leftover == []
