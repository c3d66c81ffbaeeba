# SPDX-License-Identifier: Apache-2.0
"""slatedb put / delete (the writer's commands) and bench."""
import pytest

from slatedb import ClosedError, SlateDB, SlateDBReader


def test_put_and_delete_fence_the_running_writer(target):
    db = SlateDB("db", **target.open_kwargs())
    db.put(b"a", b"1")
    refused = target.run("put", "a", "2")
    assert refused.code == 4 and "--i-am-the-writer" in refused.json["error"]["message"]
    assert db.get(b"a") == b"1"            # refusing did not fence
    db.put(b"b", b"still the writer")

    put = target.ok("put", "a", "2", "--i-am-the-writer").json
    assert put["durable"] and put["seq"] >= 1
    with pytest.raises(ClosedError):       # the CLI's writer fenced the Python one
        db.put(b"c", b"3")
    assert target.ok("get", "a").json["value"] == "2"
    assert target.ok("get", "b").json["value"] == "still the writer"

    binary = target.ok("put", "--encoding", "hex", "00ff", "c0ffee", "--i-am-the-writer").json
    assert binary["key"] == "00ff"
    target.ok("delete", "b", "--i-am-the-writer")
    assert target.run("get", "b").code == 3
    (target.tmp_path / "value.bin").write_bytes(b"\x00raw\xff")
    target.ok("put", "file", "--value-file", str(target.tmp_path / "value.bin"), "--i-am-the-writer")
    target.ok("put", "stdin", "--value-file", "-", "--i-am-the-writer", stdin="from stdin")
    with SlateDBReader("db", **target.open_kwargs()) as reader:
        assert reader.get(b"a") == b"2"
        assert reader.get(b"\x00\xff") == bytes.fromhex("c0ffee")
        assert reader.get(b"file") == b"\x00raw\xff"
        assert reader.get(b"stdin") == b"from stdin"
        assert reader.get(b"b") is None
    db.close()   # a fenced writer closes quietly, as upstream 0.11's does
    with pytest.raises(ClosedError):
        db.get(b"a")


def test_put_refuses_to_create_a_database_by_accident(target):
    r = target.run("put", "k", "v", "--i-am-the-writer", db="typo")
    assert r.code == 4 and "--create" in r.json["error"]["message"]
    assert target.run("manifest", "show", db="typo").code == 3
    target.ok("put", "k", "v", "--i-am-the-writer", "--create", db="typo")
    assert target.ok("get", "k", db="typo").json["value"] == "v"
    assert target.run("put", "k", "--i-am-the-writer", db="typo").code == 2  # no value
    assert target.run("put", "k", "v", "--value-file", "x", "--i-am-the-writer",
                      db="typo").code == 2


def test_bench_checks_and_counts_requests(target):
    r = target.ok("bench", "--keys", "200", "--value-bytes", "64", "--concurrency", "16",
                  db="scratch", timeout=300).json
    assert r["check"] == "ok" and r["keys"] == 200
    phases = {p["name"]: p for p in r["phases"]}
    assert set(phases) == {"put", "flush+close", "get", "scan"}
    put = phases["put"]
    # Group commit: far fewer WAL uploads than puts.
    assert 0 < put["requests"]["put"] < 200 and put["requests_per_op"] < 1
    assert phases["get"]["requests"]["total"] > 0 and phases["scan"]["ops"] == 1
    for p in phases.values():
        assert p["requests"]["total"] == sum(v for k, v in p["requests"].items() if k != "total")
    # The scratch database was deleted.
    assert target.run("manifest", "show", db="scratch").code == 3
    # An existing database is never used as scratch.
    SlateDB("real", **target.open_kwargs()).close()
    refused = target.run("bench", db="real")
    assert refused.code == 4
    kept = target.ok("bench", "--keys", "10", "--keep", db="kept", json_mode=False)
    assert "kept the scratch database" in kept.stdout
    assert target.ok("get", "bench-0000000003", db="kept").json["found"]


def test_every_byte_round_trips_in_both_encodings(local_target):
    from test_cli_read import escaped
    target = local_target
    key = bytes(range(1, 256)) + b"\x00"
    value = bytes(range(256))[::-1]
    target.ok("put", "--encoding", "hex", key.hex(), value.hex(), "--i-am-the-writer", "--create")
    # Read back with the key written in the escaped form, as `scan` prints it.
    got = target.ok("get", escaped(key)).json
    assert got["key"] == escaped(key) and got["value"] == escaped(value)
    scanned = target.ok("scan", "--encoding", "hex").json["entries"]
    assert [(bytes.fromhex(e["key"]), bytes.fromhex(e["value"])) for e in scanned] == [(key, value)]
    # The escapes people type are understood too.
    target.ok("put", "tab\\there\\n", "x\\0y", "--i-am-the-writer")
    with SlateDBReader("db", **target.open_kwargs()) as reader:
        assert reader.get(b"tab\there\n") == b"x\x00y"
        assert reader.get(key) == value
