# SPDX-License-Identifier: Apache-2.0
"""Writes a database with the native build (the Python package) for the cross-runtime test.

    python native_writer.py s3://bucket/prefix db-path
    python native_writer.py s3://bucket/prefix db-path --get KEY   # prints the value, hex

Uses the AWS_* variables for the endpoint and credentials. Writes a mix of text, UTF-8 and
binary keys and values, overwrites and deletes, flushes part of it into an L0 SST and
leaves the rest to close(); then prints, as JSON, every [key, value] (hex) of a full scan
as the native build reads it back after reopening.
"""
import json
import sys

from slatedb import SlateDB, WriteBatch


def main() -> None:
    url, path = sys.argv[1], sys.argv[2]
    if len(sys.argv) == 5 and sys.argv[3] == "--get":
        with SlateDB(path, url=url) as db:
            value = db.get(sys.argv[4].encode())
        print(json.dumps(None if value is None else value.hex()))
        return
    db = SlateDB(path, url=url)
    for i in range(300):
        # Not awaiting durability per put keeps this fast; flushes below make them durable.
        db.put_with_options(f"user/{i:04d}".encode(), bytes((i * 7 + j) % 256 for j in range(i % 50 + 1)),
                            await_durable=False)
    db.put("ключ/ü/€".encode(), "значение ✓".encode())
    db.put(b"\x00\x01binary", b"\xff\x00\xfe")
    db.put(b"\xff\xfflast", b"end")
    db.flush_with_options("memtable")  # these rows land in an L0 SST
    for i in range(0, 300, 5):
        db.put_with_options(f"user/{i:04d}".encode(), f"overwritten {i}".encode(), await_durable=False)
    for i in range(0, 300, 7):
        db.delete_with_options(f"user/{i:04d}".encode(), await_durable=False)
    batch = WriteBatch()
    batch.put(b"batch/a", b"1")
    batch.put(b"batch/b", b"2")
    batch.delete(b"user/0001")
    db.write(batch)
    db.put(b"unflushed", b"in the WAL until close")
    db.close()

    db = SlateDB(path, url=url)
    rows = [[k.hex(), v.hex()] for k, v in db.scan_prefix(b"")]  # the whole keyspace
    db.close()
    print(json.dumps(rows))


if __name__ == "__main__":
    main()
