# SPDX-License-Identifier: Apache-2.0
"""slatedb manifest / state / get / scan / seq-to-ts / ts-to-seq on a database the Python
package writes, on a local directory and on S3 (moto)."""
import time

import pytest

from slatedb import SlateDB

ROWS = {b"key%03d" % i: b"value%03d" % i for i in range(100)}
BINARY_KEY = b"\x00\xffbin\n"
BINARY_VALUE = b"\x01\x02\\tab\t"


def escaped(data: bytes) -> str:
    """The CLI's escaped encoding, written out independently of it."""
    out = []
    for b in data:
        if b == 0x5C:
            out.append("\\\\")
        elif 0x20 <= b < 0x7F:
            out.append(chr(b))
        else:
            out.append("\\x%02x" % b)
    return "".join(out)


@pytest.fixture
def written(target):
    """A database with 101 rows in one L0 SST and one more write only in the WAL; the
    writer stays open (a running writer is the normal case for an operator)."""
    started_ms = int(time.time() * 1000)
    db = SlateDB("db", **target.open_kwargs())
    # Not awaiting each write's durability: a durable put waits for the next WAL flush
    # (100 ms), and the memtable flush below persists all of them anyway.
    for key, value in ROWS.items():
        db.put_with_options(key, value, await_durable=False)
    db.put_with_options(BINARY_KEY, BINARY_VALUE, await_durable=False)
    db.flush_with_options("memtable")
    db.put(b"wal-only", b"in the WAL")
    yield target, db, started_ms
    db.close()


def test_manifest_show_and_list(written):
    target, _, _ = written
    listed = target.ok("manifest", "list").json["manifests"]
    ids = [m["id"] for m in listed]
    assert ids == sorted(ids) and len(ids) >= 2
    assert all(m["size"] > 0 and m["location"].endswith(".manifest") for m in listed)
    latest = target.ok("manifest", "show").json
    assert latest["found"] is True and latest["id"] == ids[-1]
    assert isinstance(latest["manifest"], dict) and latest["manifest"]
    first = target.ok("manifest", "show", "--id", ids[0]).json
    assert first["id"] == ids[0]
    window = target.ok("manifest", "list", "--start", ids[1], "--end", ids[-1]).json["manifests"]
    assert [m["id"] for m in window] == ids[1:-1]
    missing = target.run("manifest", "show", "--id", ids[-1] + 1000)
    assert missing.code == 3 and missing.json == {"found": False, "id": ids[-1] + 1000}
    text = target.ok("manifest", "list", json_mode=False)
    assert f"{len(ids)} manifest(s)" in text.stdout


def test_state_describes_the_tree(written):
    target, _, _ = written
    state = target.ok("state").json
    assert state["found"] and state["initialized"]
    assert state["writer_epoch"] >= 1
    l0 = state["l0"]
    assert l0["totals"]["ssts"] == len(l0["ssts"]) >= 1
    assert l0["totals"]["rows"] is None  # the format records no row counts
    assert l0["totals"]["bytes"] == sum(s["size_bytes"] for s in l0["ssts"]) > 0
    sst = l0["ssts"][0]
    assert len(sst["id"]) == 26
    assert sst["first_key"] == escaped(BINARY_KEY)      # the smallest key
    assert sst["last_key"] == escaped(max(ROWS))
    hex_state = target.ok("state", "--encoding", "hex").json
    assert hex_state["l0"]["ssts"][0]["first_key"] == BINARY_KEY.hex()
    assert state["totals"]["ssts"] == l0["totals"]["ssts"] + state["sorted_runs"]["totals"]["ssts"]
    assert state["wal"]["replay_after_wal_id"] <= state["wal"]["wal_id_last_seen"]
    manifest_id = target.ok("manifest", "show").json["id"]
    assert state["manifest_id"] == manifest_id
    text = target.ok("state", json_mode=False).stdout
    assert "L0:" in text and f"manifest     {manifest_id}" in text


def test_get_reads_sst_and_wal_data(written):
    target, _, _ = written
    got = target.ok("get", "key042").json
    assert got == {"found": True, "encoding": "escaped", "key": "key042", "value": "value042"}
    assert target.ok("get", "wal-only").json["value"] == "in the WAL"
    assert target.ok("get", "key007", json_mode=False).stdout == "value007\n"
    # Binary keys in both encodings.
    assert target.ok("get", escaped(BINARY_KEY)).json["value"] == escaped(BINARY_VALUE)
    hexed = target.ok("get", "--encoding", "hex", BINARY_KEY.hex()).json
    assert bytes.fromhex(hexed["value"]) == BINARY_VALUE
    missing = target.run("get", "nope")
    assert missing.code == 3 and missing.json["found"] is False
    assert "key not found" in missing.stderr


def decode(entries, encoding):
    if encoding == "hex":
        return [(bytes.fromhex(e["key"]), bytes.fromhex(e["value"])) for e in entries]
    return [(e["key"], e["value"]) for e in entries]


def test_scan_matches_python(written):
    target, db, _ = written
    everything = list(db.scan_prefix(b""))  # every key (upstream's scan(start) is not)
    result = target.ok("scan", "--encoding", "hex").json
    assert result["complete"] and result["count"] == len(everything)
    assert decode(result["entries"], "hex") == everything
    prefixed = target.ok("scan", "--prefix", "key01").json
    assert [e["key"] for e in prefixed["entries"]] == ["key%03d" % i for i in range(10, 20)]
    ranged = target.ok("scan", "--start", "key010", "--end", "key013").json
    assert decode(ranged["entries"], "escaped") == [("key010", "value010"), ("key011", "value011"),
                                                    ("key012", "value012")]
    limited = target.ok("scan", "--prefix", "key", "--limit", "5", "--keys-only").json
    assert limited["count"] == 5 and all("value" not in e for e in limited["entries"])
    text = target.ok("scan", "--prefix", "key09", json_mode=False).stdout.splitlines()
    assert text == ["key%03d\tvalue%03d" % (i, i) for i in range(90, 100)]
    backward = target.ok("scan", "--reverse", "--encoding", "hex").json
    assert decode(backward["entries"], "hex") == list(reversed(everything))
    backward_range = target.ok("scan", "--reverse", "--start", "key010", "--end", "key013").json
    assert [e["key"] for e in backward_range["entries"]] == ["key012", "key011", "key010"]
    last_five = target.ok("scan", "--reverse", "--prefix", "key", "--limit", "5").json
    assert [e["key"] for e in last_five["entries"]] == ["key%03d" % i for i in range(99, 94, -1)]


def test_scan_bad_arguments(written):
    target, _, _ = written
    both = target.run("scan", "--prefix", "a", "--start", "b")
    assert both.code == 2 and both.json["error"]["kind"] == "usage"
    bad_hex = target.run("scan", "--encoding", "hex", "--start", "zz")
    assert bad_hex.code == 2 and "not hex" in bad_hex.stderr
    backwards = target.run("scan", "--start", "b", "--end", "a")
    assert backwards.code == 2


def test_sequence_time_mapping(written):
    target, db, started_ms = written
    now_ms = int(time.time() * 1000)
    # The writer's first sample is its first write, recorded with the L0 flush.
    first = target.ok("seq-to-ts", "1", "--round", "up").json
    assert first["found"] and started_ms - 1000 <= first["timestamp_ms"] <= now_ms + 1000
    seq = target.ok("ts-to-seq", f"{now_ms}ms").json
    assert seq["found"] and seq["seq"] >= 1
    back = target.ok("seq-to-ts", seq["seq"]).json
    assert back["timestamp_ms"] <= now_ms + 1000
    iso = target.ok("ts-to-seq", back["timestamp"]).json
    assert iso["seq"] == seq["seq"]
    before = target.run("ts-to-seq", "1000000000")  # 2001: before any sample
    assert before.code == 3 and before.json["found"] is False
    assert target.run("ts-to-seq", "yesterday").code == 2
    assert target.run("seq-to-ts", "1", "--round", "sideways").code == 2
