# SPDX-License-Identifier: Apache-2.0
"""Python workloads side by side: this package vs the upstream `slatedb` wheels.

    python bench/python_bench.py [--api seed|uniffi|both] [--ours PYTHON]
                                 [--upstream PYTHON] [--upstream17 PYTHON] [--keys N]

Each interpreter runs the same workloads (this file with --worker) on an in-memory store and
prints JSON; the driver prints one table per API with both figures and their ratio.

- seed: the `slatedb.SlateDB` API against upstream 0.11 (--upstream, default a venv it creates
  in build/upstream-venv with `pip install "slatedb>=0.11,<0.12"`).
- uniffi: the `slatedb.uniffi` API (async put, get, scan, write batches, durable puts from 64
  asyncio tasks) against upstream 0.17.0 (--upstream17, default build/oracle-0.17 made by
  scripts/oracle-venv.sh).

--ours defaults to .venv/bin/python.
"""
from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def worker(keys: int) -> dict:
    import asyncio

    from slatedb import SlateDB, WriteBatch

    results = {}
    value = b"v" * 100
    key_list = [b"key%013d" % i for i in range(keys)]

    def timed(name, ops, fn):
        start = time.perf_counter()
        fn()
        results[name] = ops / (time.perf_counter() - start)

    db = SlateDB("bench", url="memory:///")
    timed("put (await_durable=False)", keys,
          lambda: [db.put_with_options(k, value, await_durable=False) for k in key_list])
    order = [key_list[(i * 7919) % keys] for i in range(keys)]
    timed("get (memtable)", keys, lambda: [db.get(k) for k in order])
    db.flush_with_options("memtable")
    [db.get(k) for k in order]  # warm the block cache
    timed("get (after flush)", keys, lambda: [db.get(k) for k in order])
    timed("scan (100,000 keys)", min(keys, 100_000),
          lambda: sum(1 for _ in db.scan(key_list[0], key_list[min(keys, 100_000) - 1] + b"\x00")))

    def batches():
        for b in range(200):
            batch = WriteBatch()
            for i in range(100):
                batch.put(b"batch%06d-%03d" % (b, i), value)
            db.write_with_options(batch, await_durable=False)

    timed("WriteBatch of 100 puts", 200, batches)
    # Only this package reports object-store requests; upstream's metrics have no such keys.
    requests = [v for k, v in db.metrics().items() if k.startswith("object_store/") and
                k.split("/")[1] in ("get", "get_range", "head", "put", "list", "delete")]
    if requests:
        results["object-store requests"] = sum(requests)
    db.close()

    async def durable_writers():
        adb = SlateDB("durable", url="memory:///")
        start = time.perf_counter()

        async def writer(n):
            for i in range(10):
                await adb.put_async(b"w%02d-%03d" % (n, i), value)

        await asyncio.gather(*[writer(n) for n in range(64)])
        rate = 640 / (time.perf_counter() - start)
        adb.close()
        return rate

    results["durable put (64 asyncio tasks)"] = asyncio.run(durable_writers())
    return results


def worker_uniffi(keys: int) -> dict:
    """The same workloads through slatedb.uniffi (upstream 0.17's API): every call awaited."""
    import asyncio

    from slatedb.uniffi import (DbBuilder, FlushOptions, FlushType, KeyRange, ObjectStore,
                                WriteBatch)

    results = {}
    value = b"v" * 100
    key_list = [b"key%013d" % i for i in range(keys)]
    order = [key_list[(i * 7919) % keys] for i in range(keys)]
    scan_keys = min(keys, 100_000)

    async def timed(name, ops, fn):
        start = time.perf_counter()
        await fn()
        results[name] = ops / (time.perf_counter() - start)

    async def main():
        db = await DbBuilder("bench", ObjectStore.resolve("memory:///")).build()

        async def puts():
            for k in key_list:
                await db.put(k, value)

        async def gets():
            for k in order:
                await db.get(k)

        async def scan():
            everything = KeyRange(start=key_list[0], start_inclusive=True,
                                  end=key_list[scan_keys - 1], end_inclusive=True)
            it = await db.scan(everything)
            n = 0
            while await it.next() is not None:
                n += 1
            assert n == scan_keys, n

        async def scan_batches():
            everything = KeyRange(start=key_list[0], start_inclusive=True,
                                  end=key_list[scan_keys - 1], end_inclusive=True)
            it = await db.scan(everything)
            n = 0
            while rows := await it.next_batch(1000):
                n += len(rows)
            assert n == scan_keys, n

        async def batches():
            for b in range(200):
                batch = WriteBatch()
                for i in range(100):
                    batch.put(b"batch%06d-%03d" % (b, i), value)
                await db.write(batch)

        await timed("put (awaited, not durable)", keys, puts)
        await timed("get (memtable)", keys, gets)
        await db.flush_with_options(FlushOptions(flush_type=FlushType.MEM_TABLE))
        await gets()  # warm the block cache
        await timed("get (after flush)", keys, gets)
        await timed(f"scan, next() ({scan_keys:,} keys)", scan_keys, scan)
        await timed(f"scan, next_batch(1000) ({scan_keys:,} keys)", scan_keys, scan_batches)
        await timed("WriteBatch of 100 puts", 200, batches)
        await db.shutdown()

        durable = await DbBuilder("durable", ObjectStore.resolve("memory:///")).build()

        async def writer(n):
            for i in range(10):
                handle = await durable.put(b"w%02d-%03d" % (n, i), value)
                await handle.await_durable()

        async def writers():
            await asyncio.gather(*[writer(n) for n in range(64)])

        await timed("durable put (64 asyncio tasks)", 640, writers)
        await durable.shutdown()

    asyncio.run(main())
    return results


def ensure_upstream(python: str | None) -> str:
    if python:
        return python
    venv = os.path.join(ROOT, "build", "upstream-venv")
    exe = os.path.join(venv, "bin", "python")
    if not os.path.exists(exe):
        subprocess.run([sys.executable, "-m", "venv", venv], check=True)
        subprocess.run([exe, "-m", "pip", "install", "-q", "slatedb>=0.11,<0.12"], check=True)
    return exe


def ensure_upstream17(python: str | None) -> str:
    if python:
        return python
    out = subprocess.run([os.path.join(ROOT, "scripts", "oracle-venv.sh"), "0.17"], check=True,
                         capture_output=True, text=True)
    return out.stdout.strip().splitlines()[-1]


def run(python: str, keys: int, api: str = "seed") -> dict:
    # Interpreters given relative to the caller's directory; the workers run in /tmp.
    python = python if os.path.isabs(python) or os.sep not in python else os.path.abspath(python)
    out = subprocess.run([python, os.path.abspath(__file__), "--worker", "--keys", str(keys),
                          "--api", api], check=True, capture_output=True, text=True, cwd="/tmp")
    return json.loads(out.stdout.strip().splitlines()[-1])


def table(title: str, ours: dict, upstream: dict) -> None:
    print(f"{'workload (' + title + ')':44} {'this package':>14} {'upstream':>14} {'ratio':>8}")
    for name in ours:
        a, b = ours[name], upstream.get(name)
        unit = "" if "requests" in name else "/s"
        ratio = f"{a / b:7.1f}x" if b and "requests" not in name else "    n/a"
        b_text = f"{b:12,.0f}{unit}" if b is not None else f"{'n/a':>14}"
        print(f"{name:44} {a:12,.0f}{unit} {b_text} {ratio}")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--worker", action="store_true")
    parser.add_argument("--keys", type=int, default=100_000)
    parser.add_argument("--ours", default=os.path.join(ROOT, ".venv", "bin", "python"))
    parser.add_argument("--upstream")
    parser.add_argument("--upstream17")
    parser.add_argument("--api", choices=("seed", "uniffi", "both"), default="both")
    args = parser.parse_args()
    if args.worker:
        work = worker_uniffi if args.api == "uniffi" else worker
        print(json.dumps(work(args.keys)))
        return
    if args.api in ("seed", "both"):
        table("slatedb, vs 0.11", run(args.ours, args.keys),
              run(ensure_upstream(args.upstream), args.keys))
    if args.api in ("uniffi", "both"):
        table("slatedb.uniffi, vs 0.17", run(args.ours, args.keys, "uniffi"),
              run(ensure_upstream17(args.upstream17), args.keys, "uniffi"))


if __name__ == "__main__":
    main()
