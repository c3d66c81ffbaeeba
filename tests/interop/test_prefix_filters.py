# SPDX-License-Identifier: Apache-2.0
"""Filter policies across implementations (slatedb.uniffi's with_filter_policies with prefix
bloom filters and several policies per SST): each side writes the same rows into the same L0
SSTs; the composite filter sections of the two databases are byte for byte the same (so
either side's readers use the other's filters exactly as their own), and each side's reader
and writer, with the same policies, with another extractor's policy or with none, read the
other's database exactly as a model says (gets and prefix scans).

Each step runs filters_agent.py under one implementation's Python, or, for the JavaScript
package, filters_agent.mjs under Node (the same steps through SlateDB.open's filterPolicies
with a prefix extractor written in JavaScript).
"""
from __future__ import annotations

import glob
import json
import os
import struct
import subprocess
import sys

import pytest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import driver  # noqa: E402

AGENT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "filters_agent.py")
NODE_AGENT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "filters_agent.mjs")
GROUPS = [b"bbb", b"ccc", b"ddd", b"eee"]
PER_GROUP = 25


def run(side: str, action: str, root: str, args: dict) -> dict:
    """One agent step: side "upstream" (0.17's wheel), "ours" (our Python) or "node" (our
    wasm package)."""
    if side == "node":
        cmd = ["node", NODE_AGENT, action, root, "db", json.dumps(args)]
    else:
        python = driver.ORACLE_PYTHON if side == "upstream" else driver.OUR_PYTHON
        cmd = [python, AGENT, action, root, "db", json.dumps(args)]
    done = subprocess.run(cmd, capture_output=True, text=True, timeout=300)
    if done.returncode != 0:
        pytest.fail(f"{side} {action} failed:\n{done.stderr[-3000:]}", pytrace=False)
    return json.loads(done.stdout.strip().splitlines()[-1])


def filter_section(sst: bytes) -> tuple[list[str], bytes]:
    """The entry names and the bytes of an uncompressed SST's composite filter section,
    found by its header: u16 BE count, then the first entry's u16 BE name length and name
    (every name starts "_bf"; no key or value here contains it)."""
    at = sst.find(b"_bf")
    assert at >= 4, "no filter section"
    start = at - 4
    (count,) = struct.unpack_from(">H", sst, start)
    pos = start + 2
    names = []
    for _ in range(count):
        (name_len,) = struct.unpack_from(">H", sst, pos)
        names.append(sst[pos + 2:pos + 2 + name_len].decode())
        (data_len,) = struct.unpack_from(">Q", sst, pos + 2 + name_len)
        pos += 2 + name_len + 8 + data_len
    return names, sst[start:pos]


def sections(root: str) -> list:
    out = []
    for path in glob.glob(os.path.join(root, "db", "compacted", "*.sst")):
        with open(path, "rb") as f:
            out.append(filter_section(f.read()))
    return sorted(out, key=lambda s: s[1])


# Policy lists by agent name, and the filter entries each writes into every SST.
POLICY_CASES = [
    ("two", ["_bf:p=pe3:wh=0", "_bf"]),
    ("prefix", ["_bf:p=pe3"]),
]


def model_of() -> dict:
    model = {}
    for g, group in enumerate(GROUPS):
        model[b"aaa%d" % g] = b"edge"
        model[b"zzz%d" % g] = b"edge"
        for i in range(PER_GROUP):
            model[group + b"%04d" % i] = b"v%d-%d" % (g, i)
    return model


def expected_view(model: dict, keys: list, prefixes: list) -> dict:
    return {
        "get": [model[k].hex() if k in model else None for k in keys],
        "scan_prefix": [sorted([k.hex(), v.hex()] for k, v in model.items() if k.startswith(p))
                        for p in prefixes],
    }


@pytest.mark.parametrize("policies,names", POLICY_CASES)
def test_filter_sections_match_and_each_side_reads_the_other(tmp_path, policies, names):
    check_against_upstream(tmp_path, "ours", policies, names)


@pytest.mark.parametrize("policies,names", POLICY_CASES)
def test_node_filter_sections_match_and_each_side_reads_the_other(tmp_path, policies, names):
    check_against_upstream(tmp_path, "node", policies, names)


def check_against_upstream(tmp_path, ours: str, policies: str, names: list):
    """Upstream and `ours` ("ours" or "node") write the same rows with `policies`: the SSTs'
    filter sections (entries `names`) are the same bytes, and each side's reader and writer
    reads the other's database exactly, with the same policies, another extractor's or none."""
    roots = {side: str(tmp_path / side) for side in ("upstream", ours)}
    write_args = {"policies": policies, "groups": [g.hex() for g in GROUPS],
                  "per_group": PER_GROUP}
    for side, root in roots.items():
        os.makedirs(root)
        run(side, "write", root, write_args)

    # One filter section per SST (one SST per group), the same bytes on both sides.
    mine, theirs = sections(roots[ours]), sections(roots["upstream"])
    assert len(theirs) == len(GROUPS)
    assert [n for n, _ in theirs] == [names] * len(GROUPS)
    assert [s.hex() for _, s in mine] == [s.hex() for _, s in theirs]

    model = model_of()
    keys = sorted(model)[::3] + [b"qqq0001", b"bbb9999", b"b", b"zzz9", b"ccc"]
    prefixes = GROUPS + [b"qqq", b"aa", b"", b"ccc001", b"zzz"]
    read_args = {"keys": [k.hex() for k in keys], "prefixes": [p.hex() for p in prefixes]}
    want = expected_view(model, keys, prefixes)
    for reader_side, writer_side in ((ours, "upstream"), ("upstream", ours)):
        for reader_policies in (policies, "other", "none"):
            got = run(reader_side, "read", roots[writer_side],
                      dict(read_args, policies=reader_policies))
            for handle in ("reader", "writer"):
                assert got[handle] == want, (reader_side, writer_side, reader_policies, handle)
