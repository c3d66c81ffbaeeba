# SPDX-License-Identifier: Apache-2.0
"""Segments across implementations (slatedb.uniffi's with_segment_extractor, a 3-byte prefix
extractor named the same on both sides): a database one side writes in segments (several
memtable flushes, so each segment gets L0 SSTs and, by the writer's compactor, sorted runs;
the last round only in the WAL) is read by the other side's reader and writer, which list the
same segments; the other side writes on, and the first side reads everything back. Opens with
no extractor or another name are refused by both with upstream's texts, and upstream's Admin
decodes the manifest our writer leaves (segments with L0 SSTs and sorted runs, an empty root
tree).

Each step runs segments_agent.py under one implementation's Python (the same script: both
have the same API); expectations come from a model of what was written.
"""
from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import driver  # noqa: E402

AGENT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "segments_agent.py")
SEGMENTS = ["aaa", "bbb", "ccc", "ddd"]


def run(side: str, action: str, root: str, args: dict | None = None) -> dict:
    python = driver.ORACLE_PYTHON if side == "upstream" else driver.OUR_PYTHON
    cmd = [python, AGENT, action, root, "db"]
    if args is not None:
        cmd.append(json.dumps(args))
    done = subprocess.run(cmd, capture_output=True, text=True, timeout=300)
    if done.returncode != 0:
        pytest.fail(f"{side} {action} failed:\n{done.stderr[-3000:]}", pytrace=False)
    return json.loads(done.stdout.strip().splitlines()[-1])


def rounds_for(tag: str, segments: list[str], count: int) -> list:
    """`count` rounds of puts over `segments` (keys repeat across rounds, so later rounds
    overwrite), with a delete in the middle round."""
    rounds = []
    for r in range(count):
        ops = []
        for i in range(12):
            seg = segments[(i + r) % len(segments)]
            ops.append([f"{seg}-{i % 5:02d}".encode().hex(), f"{tag}{r}-{i}".encode().hex()])
        if r == count // 2:
            ops.append([f"{segments[1]}-01".encode().hex(), None])
        rounds.append(ops)
    return rounds


def apply(model: dict, rounds: list) -> None:
    for ops in rounds:
        for k, v in ops:
            if v is None:
                model.pop(k, None)
            else:
                model[k] = v


def check_view(who: str, got: dict, model: dict, keys: list, segments: list) -> None:
    want_get = [model.get(k) for k in keys]
    assert got["get"] == want_get, f"{who}: gets differ"
    assert got["scan"] == sorted([k, v] for k, v in model.items()), f"{who}: scan differs"
    assert got["segments"] == [s.encode().hex() for s in segments], f"{who}: segments"


def check_refusals(side: str, root: str) -> None:
    refused = run(side, "refused", root)
    assert refused["none"] == (
        "Invalid error: segment extractor configuration mismatch "
        "(persisted: Some(\"three-bytes\"), configured: None)"), (side, refused)
    assert refused["other"] == (
        "Invalid error: segment extractor configuration mismatch "
        "(persisted: Some(\"three-bytes\"), configured: Some(\"other\"))"), (side, refused)
    assert refused["reader"] == refused["other"], (side, refused)


@pytest.mark.parametrize("first", ["upstream", "ours"])
def test_segmented_database_both_ways(tmp_path, first):
    second = "ours" if first == "upstream" else "upstream"
    root = str(tmp_path)
    model: dict = {}
    # The first side writes three segments; its last round stays in the WAL.
    rounds = rounds_for("a", SEGMENTS[:3], 6)
    written = run(first, "write", root, {"rounds": rounds, "wal_only_last": True})
    apply(model, rounds)
    assert written["segments"] == [s.encode().hex() for s in SEGMENTS[:3]]
    keys = sorted(model) + ["aaa-99".encode().hex(), "zzz".encode().hex()]
    # The other side reads it (reader, then writer after WAL replay).
    seen = run(second, "read", root, {"keys": keys})
    check_view(f"{second} reader", seen["reader"], model, keys, SEGMENTS[:3])
    check_view(f"{second} writer", seen["writer"], model, keys, SEGMENTS[:3])
    check_refusals(second, root)
    # The other side writes on (a new segment too) and compacts; the first reads it all.
    rounds = rounds_for("b", SEGMENTS[1:], 5)
    written = run(second, "write", root, {"rounds": rounds})
    apply(model, rounds)
    assert written["segments"] == [s.encode().hex() for s in SEGMENTS]
    seen = run(first, "read", root, {"keys": keys})
    check_view(f"{first} reader", seen["reader"], model, keys, SEGMENTS)
    check_view(f"{first} writer", seen["writer"], model, keys, SEGMENTS)
    check_refusals(first, root)
    # Upstream's Admin decodes the latest manifest: everything lives in the segments.
    m = run("upstream", "manifest", root)
    assert m["root_l0"] == 0 and m["root_runs"] == 0, m
    assert [s[0] for s in m["segments"]] == [s.encode().hex() for s in SEGMENTS], m
    run_ids = [i for s in m["segments"] for i in s[2]]
    assert len(run_ids) == len(set(run_ids)), f"sorted run ids repeat across segments: {m}"
