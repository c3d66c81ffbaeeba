# SPDX-License-Identifier: Apache-2.0
"""get_many against a loop of get, on flushed keys, in this package's seed API.

    .venv/bin/python bench/get_many_bench.py [--keys 100000] [--rounds 3] [--dir DIR]

Writes --keys keys of 100-byte values to a local-directory database, flushes them to L0,
then for each round reopens the database (cold: no SST open, nothing cached) and reads every
key in random order three ways: a loop of get, one get_many, and asyncio.gather of
get_async; then the same warm (after one untimed pass, so every block is cached). Prints
keys per second for each.
"""
from __future__ import annotations

import argparse
import asyncio
import os
import random
import shutil
import tempfile
import time

from slatedb import SlateDB, WriteBatch


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--keys", type=int, default=100_000)
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--dir", default=None)
    args = ap.parse_args()
    root = args.dir or tempfile.mkdtemp(prefix="get_many_bench_")
    path = "db"
    url = "file://" + os.path.abspath(root)
    keys = [b"key%013d" % i for i in range(args.keys)]
    db = SlateDB(path, url=url)
    value = b"v" * 100
    for i in range(0, len(keys), 1000):
        batch = WriteBatch()
        for k in keys[i:i + 1000]:
            batch.put(k, value)
        db.write(batch)
    db.flush_with_options("memtable")
    db.close()
    order = keys[:]
    random.Random(1).shuffle(order)

    def loop(db):
        return [db.get(k) for k in order]

    def many(db):
        return db.get_many(order)

    def gathered(db):
        async def run():
            return await asyncio.gather(*(db.get_async(k) for k in order))
        return asyncio.run(run())

    best: dict[str, float] = {}
    for _ in range(args.rounds):
        for name, fn in (("loop of get", loop), ("get_many", many), ("gather get_async", gathered)):
            for state in ("cold", "warm"):
                db = SlateDB(path, url=url)
                if state == "warm":
                    fn(db)
                start = time.perf_counter()
                out = fn(db)
                elapsed = time.perf_counter() - start
                assert all(v == value for v in out)
                label = f"{name} ({state})"
                best[label] = min(best.get(label, float("inf")), elapsed)
                db.close()
    print(f"{args.keys} keys, best of {args.rounds} rounds")
    for label, elapsed in best.items():
        print(f"  {label:28s} {args.keys / elapsed:12,.0f} keys/s  {elapsed * 1000:9.1f} ms")
    if not args.dir:
        shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    main()
