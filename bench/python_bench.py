# SPDX-License-Identifier: Apache-2.0
"""Python workloads side by side: this package vs the upstream `slatedb` wheel.

    python bench/python_bench.py [--ours PYTHON] [--upstream PYTHON] [--keys N]

Each interpreter runs the same workloads (this file with --worker) on an in-memory store
(url="memory:///") and prints JSON; the driver prints one table with both figures and their
ratio. --ours defaults to .venv/bin/python; --upstream to a venv it creates in
build/upstream-venv with `pip install "slatedb>=0.11,<0.12"` from PyPI.
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


def ensure_upstream(python: str | None) -> str:
    if python:
        return python
    venv = os.path.join(ROOT, "build", "upstream-venv")
    exe = os.path.join(venv, "bin", "python")
    if not os.path.exists(exe):
        subprocess.run([sys.executable, "-m", "venv", venv], check=True)
        subprocess.run([exe, "-m", "pip", "install", "-q", "slatedb>=0.11,<0.12"], check=True)
    return exe


def run(python: str, keys: int) -> dict:
    out = subprocess.run([python, os.path.abspath(__file__), "--worker", "--keys", str(keys)],
                         check=True, capture_output=True, text=True, cwd="/tmp")
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--worker", action="store_true")
    parser.add_argument("--keys", type=int, default=100_000)
    parser.add_argument("--ours", default=os.path.join(ROOT, ".venv", "bin", "python"))
    parser.add_argument("--upstream")
    args = parser.parse_args()
    if args.worker:
        print(json.dumps(worker(args.keys)))
        return
    ours = run(args.ours, args.keys)
    upstream = run(ensure_upstream(args.upstream), args.keys)
    print(f"{'workload':36} {'this package':>14} {'upstream 0.11':>14} {'ratio':>8}")
    for name in ours:
        a, b = ours[name], upstream.get(name)
        unit = "" if "requests" in name else "/s"
        ratio = f"{a / b:7.1f}x" if b and "requests" not in name else "    n/a"
        b_text = f"{b:12,.0f}{unit}" if b is not None else f"{'n/a':>14}"
        print(f"{name:36} {a:12,.0f}{unit} {b_text} {ratio}")


if __name__ == "__main__":
    main()
