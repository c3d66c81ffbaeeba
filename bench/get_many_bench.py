# SPDX-License-Identifier: Apache-2.0
"""get_many against a loop of get, on flushed keys, in this package's seed API.

    .venv/bin/python bench/get_many_bench.py [--keys 100000] [--rounds 3] [--dir DIR]
        [--layout l0|run|both] [--cold]

Writes --keys keys of 100-byte values to a local-directory database, in two layouts:
  l0:  one memtable flush, so every key is in one L0 SST;
  run: four flushes of a quarter each, merged by the compactor into one sorted run of many
       SSTs (output SSTs cut at 1 MiB), so lookups cross SST boundaries within the run.
Then, for each round, it reopens the database and reads every key in random order three ways:
a loop of get, one get_many, and asyncio.gather of get_async. "warm" runs each once untimed
first (every SST open, every block in the block cache); --cold also times a fresh reopen
(nothing open or cached). Prints keys per second and get_many's speed-up over the loop.
Run by hand: the figures depend on the machine and its load (compare in one sitting).
"""
from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import shutil
import tempfile
import time

from slatedb import SlateDB, WriteBatch

VALUE = b"v" * 100


def write(db: SlateDB, keys: list[bytes]) -> None:
    for i in range(0, len(keys), 1000):
        batch = WriteBatch()
        for k in keys[i:i + 1000]:
            batch.put(k, VALUE)
        db.write(batch)


def load(root: str, layout: str, keys: list[bytes]) -> tuple[str, dict]:
    """Writes `keys` in `layout`; returns the database's url and its open keyword arguments."""
    url = "file://" + os.path.abspath(os.path.join(root, layout))
    os.makedirs(os.path.join(root, layout))
    kwargs: dict = {}
    if layout == "run":
        settings = os.path.join(root, "run_settings.json")
        with open(settings, "w") as f:
            json.dump({"compactor_options": {"worker": {"max_sst_size": 1 << 20}}}, f)
        kwargs["settings"] = settings
    db = SlateDB("db", url=url, **kwargs)
    if layout == "l0":
        write(db, keys)
        db.flush_with_options("memtable")
    else:
        quarter = (len(keys) + 3) // 4
        for i in range(0, len(keys), quarter):
            write(db, keys[i:i + quarter])
            db.flush_with_options("memtable")
        deadline = time.monotonic() + 120
        while db.metrics().get("db/l0_sst_count", 0) != 0:
            if time.monotonic() > deadline:
                raise SystemExit("the compactor did not drain L0 in 120 s")
            time.sleep(0.1)
    db.close()
    return url, kwargs


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--keys", type=int, default=100_000)
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--dir", default=None)
    ap.add_argument("--layout", choices=("l0", "run", "both"), default="both")
    ap.add_argument("--cold", action="store_true")
    args = ap.parse_args()
    root = args.dir or tempfile.mkdtemp(prefix="get_many_bench_")
    keys = [b"key%013d" % i for i in range(args.keys)]
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

    states = ("cold", "warm") if args.cold else ("warm",)
    layouts = ("l0", "run") if args.layout == "both" else (args.layout,)
    for layout in layouts:
        url, kwargs = load(root, layout, keys)
        best: dict[str, float] = {}
        for _ in range(args.rounds):
            for name, fn in (("loop of get", loop), ("get_many", many),
                             ("gather get_async", gathered)):
                for state in states:
                    db = SlateDB("db", url=url, **kwargs)
                    if state == "warm":
                        fn(db)
                    start = time.perf_counter()
                    out = fn(db)
                    elapsed = time.perf_counter() - start
                    assert all(v == VALUE for v in out)
                    label = f"{name} ({state})"
                    best[label] = min(best.get(label, float("inf")), elapsed)
                    db.close()
        print(f"{layout}: {args.keys} keys, best of {args.rounds} rounds")
        for label, elapsed in best.items():
            print(f"  {label:28s} {args.keys / elapsed:12,.0f} keys/s  {elapsed * 1000:9.1f} ms")
        for state in states:
            ratio = best[f"loop of get ({state})"] / best[f"get_many ({state})"]
            print(f"  get_many speed-up over the loop ({state}): {ratio:.2f}x")
    if not args.dir:
        shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    main()
