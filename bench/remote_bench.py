#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""Random gets at object-store latency: our Python package and upstream slatedb side by side.

A database of N keys (100-byte values) is loaded into an S3 bucket behind the fault proxy of
scripts/s3-test-server.sh, once by each implementation (each in its own format). Then the proxy
adds a fixed latency to every request (20 ms by default, as S3's first byte), and for each
configuration and each concurrency (1, 8, 64 readers):

  cold      a fresh process, empty caches: random gets of keys not read before
  warm      the same keys again in the same process (in-memory caches)
  restart   a new process on the same keys (the persistent cache, if configured, is kept)

Each row reports ops/s, p50 and p99 latency of one get, store requests per get (all requests
the proxy saw during the phase, background ones included, divided by the gets), KiB answered
per get, and the test server's own time per request (moto's, the added latency excluded).

Configurations:
  ours            our package, default settings (in-memory block cache)
  ours+disk       our package with object_store_cache_options.root_folder (docs/caches.md)
  upstream        slatedb==0.17.0's wheel, default settings
  upstream+disk   the same with Settings object_store_cache_options.root_folder

Run it through bench/run_remote_bench.sh, which starts the S3 test server and finds both Python
environments. This file is both the coordinator (`run`) and the worker each phase runs in
(`worker`, started with the implementation's own interpreter).
"""

from __future__ import annotations

import argparse
import asyncio
import hashlib
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.request

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
ACCESS_KEY = os.environ.get("SLATEDB_S3_TEST_ACCESS_KEY_ID", "testing")
SECRET_KEY = os.environ.get("SLATEDB_S3_TEST_SECRET_ACCESS_KEY", "testing")
REGION = "us-east-1"


def key_of(i: int) -> bytes:
    return b"key%09d" % i


def value_of(key: bytes, size: int) -> bytes:
    digest = hashlib.blake2b(key, digest_size=64).digest()
    return (digest * (size // 64 + 1))[:size]


def proxy_counts(endpoint: str, query: str = "") -> dict:
    with urllib.request.urlopen(f"{endpoint}/__faults__?{query}", timeout=30) as resp:
        text = resp.read().decode()
    return {k: int(v) for k, v in (item.split("=") for item in text.split())}


def percentile(sorted_values, q):
    if not sorted_values:
        return 0.0
    i = min(len(sorted_values) - 1, max(0, int(round(q * (len(sorted_values) - 1)))))
    return sorted_values[i]


# ---------------------------------------------------------------------------------------------
# Worker: runs in the implementation's interpreter.

class Ours:
    """Our package (`import slatedb`, the upstream 0.8-0.11 API)."""

    def __init__(self, args):
        os.environ.update({"AWS_ENDPOINT_URL": args.endpoint, "AWS_ALLOW_HTTP": "true",
                           "AWS_ACCESS_KEY_ID": ACCESS_KEY, "AWS_SECRET_ACCESS_KEY": SECRET_KEY,
                           "AWS_REGION": REGION})
        import slatedb
        self.slatedb = slatedb
        kwargs = {}
        if args.cache_dir:
            settings = os.path.join(args.scratch, "ours-settings.json")
            with open(settings, "w", encoding="utf-8") as f:
                json.dump({"object_store_cache_options": {"root_folder": args.cache_dir}}, f)
            kwargs["settings"] = settings
        self.db = slatedb.SlateDB(args.db, url=f"s3://{args.bucket}", **kwargs)

    async def get(self, key):
        return await self.db.get_async(key)

    async def load(self, keys, size):
        batch = self.slatedb.WriteBatch()
        for i, key in enumerate(keys, 1):
            batch.put(key, value_of(key, size))
            if i % 1000 == 0 or i == len(keys):
                self.db.write_with_options(batch, await_durable=False)
                batch = self.slatedb.WriteBatch()
        self.db.flush_with_options("memtable")

    async def close(self):
        self.db.close()

    def extra(self):
        return self.db.cache_stats()


class Upstream:
    """slatedb==0.17.0 (`from slatedb.uniffi import ...`)."""

    def __init__(self, args):
        from slatedb import uniffi as u
        self.u = u
        self.args = args

    async def open(self):
        u, args = self.u, self.args
        builder = u.ObjectStoreBuilder(u.ObjectStoreType.S3)
        for k, v in (("endpoint", args.endpoint), ("allow_http", "true"), ("bucket", args.bucket),
                     ("region", REGION), ("access_key_id", ACCESS_KEY),
                     ("secret_access_key", SECRET_KEY)):
            builder.with_config(k, v)
        store = builder.build()
        db_builder = u.DbBuilder(args.db, store)
        if args.cache_dir:
            settings = u.Settings.default()
            settings.set("object_store_cache_options.root_folder", json.dumps(args.cache_dir))
            db_builder.with_settings(settings)
        self.db = await db_builder.build()

    async def get(self, key):
        return await self.db.get(key)

    async def load(self, keys, size):
        u = self.u
        batch = u.WriteBatch()
        for i, key in enumerate(keys, 1):
            batch.put(key, value_of(key, size))
            if i % 1000 == 0 or i == len(keys):
                await self.db.write(batch)  # returns a WriteHandle; durability not awaited
                batch = u.WriteBatch()
        await self.db.flush_with_options(u.FlushOptions(flush_type=u.FlushType.MEM_TABLE))

    async def close(self):
        await self.db.shutdown()

    def extra(self):
        return {}


async def run_gets(impl, keys, concurrency, size):
    """Gets `keys` with `concurrency` readers; returns (seconds, sorted latencies, wrong)."""
    latencies = []
    wrong = 0
    queue = list(reversed(keys))

    async def reader():
        nonlocal wrong
        while queue:
            key = queue.pop()
            started = time.perf_counter()
            value = await impl.get(key)
            latencies.append(time.perf_counter() - started)
            if value != value_of(key, size):
                wrong += 1

    started = time.perf_counter()
    await asyncio.gather(*(reader() for _ in range(concurrency)))
    return time.perf_counter() - started, sorted(latencies), wrong


async def worker(args):
    impl = Ours(args) if args.impl == "ours" else Upstream(args)
    if args.impl == "upstream":
        await impl.open()
    out = {"phases": []}
    if args.action == "load":
        keys = [key_of(i) for i in range(args.keys)]
        started = time.perf_counter()
        await impl.load(keys, args.value_size)
        out["load_seconds"] = time.perf_counter() - started
    else:
        with open(args.keys_file, encoding="utf-8") as f:
            keys = [bytes.fromhex(line.strip()) for line in f if line.strip()]
        for phase in args.phases.split(","):
            before = proxy_counts(args.endpoint)
            seconds, lat, wrong = await run_gets(impl, keys, args.concurrency, args.value_size)
            after = proxy_counts(args.endpoint)
            delta = {k: after[k] - before.get(k, 0) for k in after}
            out["phases"].append({
                "phase": phase, "gets": len(keys), "seconds": seconds,
                "ops_per_s": len(keys) / seconds if seconds > 0 else 0.0,
                "p50_ms": percentile(lat, 0.50) * 1000, "p99_ms": percentile(lat, 0.99) * 1000,
                "requests": delta.get("requests", 0), "by_kind": delta, "wrong": wrong,
                "cache": impl.extra(),
            })
    await impl.close()
    print("RESULT " + json.dumps(out), flush=True)
    # Leave without interpreter finalization: our package's worker has been seen to abort
    # there ("terminate called without an active exception") after a clean close; the
    # result is out, and the coordinator reports the abort if it happens anyway.
    sys.stderr.flush()
    os._exit(0)


# ---------------------------------------------------------------------------------------------
# Coordinator.

def run_worker(python, args, **options):
    cmd = [python, os.path.abspath(__file__), "worker", "--endpoint", args.endpoint,
           "--bucket", args.bucket, "--keys", str(args.keys), "--value-size", str(args.value_size),
           "--scratch", args.scratch]
    for name, value in options.items():
        cmd += [f"--{name.replace('_', '-')}", str(value)]
    started = time.perf_counter()
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=args.timeout)
    result = None
    for line in proc.stdout.splitlines():
        if line.startswith("RESULT "):
            result = json.loads(line[len("RESULT "):])
            result["process_seconds"] = time.perf_counter() - started
    if result is None or proc.returncode != 0:
        sys.stderr.write(proc.stdout + proc.stderr)
        if result is None:
            raise SystemExit(f"worker failed ({proc.returncode}): {' '.join(cmd)}")
        print(f"[bench] note: the worker exited with {proc.returncode} after its result",
              file=sys.stderr, flush=True)
    return result


def create_bucket(endpoint, bucket):
    sys.path.insert(0, os.path.join(ROOT, "python", "tests"))
    from s3_signing import create_bucket as create  # a stdlib SigV4 signer for test setup
    create(endpoint, bucket)


def coordinator(args):
    configs = []
    for name in args.configs.split(","):
        impl, _, cache = name.partition("+")
        python = args.ours_python if impl == "ours" else args.upstream_python
        if not python:
            print(f"[bench] skipping {name}: no interpreter given", file=sys.stderr)
            continue
        configs.append((name, impl, cache == "disk", python))
    args.scratch = tempfile.mkdtemp(prefix="slatedb-remote-bench-")
    if args.no_load and not args.bucket:
        raise SystemExit("--no-load needs --bucket (a bucket an earlier run loaded)")
    args.bucket = args.bucket or f"bench-{int(time.time())}"
    if not args.no_load:
        create_bucket(args.endpoint, args.bucket)
    proxy_counts(args.endpoint, "reset=1&latency_ms=0")
    rng = random.Random(args.seed)
    levels = [int(x) for x in args.concurrency.split(",")]
    results = {"keys": args.keys, "value_size": args.value_size, "latency_ms": args.latency_ms,
               "rows": [], "loads": {}}
    loaded = {}
    for name, impl, _, python in configs:
        if impl in loaded:
            continue
        db = f"{impl}-db"
        loaded[impl] = db
        if args.no_load:
            continue
        print(f"[bench] loading {args.keys} keys with {impl} ...", file=sys.stderr, flush=True)
        res = run_worker(python, args, impl=impl, db=db, action="load")
        results["loads"][impl] = res["load_seconds"]
        print(f"[bench]   {res['load_seconds']:.1f} s", file=sys.stderr, flush=True)
    # One key sample per concurrency level, shared by every configuration.
    samples = {}
    for n in levels:
        count = args.gets_per_reader * n if args.gets_per_reader else args.gets
        count = min(max(count, args.min_gets), args.max_gets)
        keys = [key_of(rng.randrange(args.keys)) for _ in range(count)]
        path = os.path.join(args.scratch, f"keys-{n}.txt")
        with open(path, "w", encoding="utf-8") as f:
            f.writelines(k.hex() + "\n" for k in keys)
        samples[n] = path
    proxy_counts(args.endpoint, f"reset=1&latency_ms={args.latency_ms}")
    for name, impl, disk, python in configs:
        for n in levels:
            cache_dir = os.path.join(args.scratch, f"cache-{name}-{n}") if disk else ""
            if cache_dir:
                shutil.rmtree(cache_dir, ignore_errors=True)
            common = dict(impl=impl, db=loaded[impl], action="read", keys_file=samples[n],
                          concurrency=n)
            if cache_dir:
                common["cache_dir"] = cache_dir
            first = run_worker(python, args, phases="cold,warm", **common)
            second = run_worker(python, args, phases="restart", **common)
            for phase in first["phases"] + second["phases"]:
                row = {"config": name, "readers": n, **phase}
                results["rows"].append(row)
                print(format_row(row), file=sys.stderr, flush=True)
                if phase["wrong"]:
                    raise SystemExit(f"{name}: {phase['wrong']} gets returned a wrong value")
    proxy_counts(args.endpoint, "reset=1")
    shutil.rmtree(args.scratch, ignore_errors=True)
    print(table(results))
    if args.json:
        with open(args.json, "w", encoding="utf-8") as f:
            json.dump(results, f, indent=1)


def format_row(row):
    per_get = row["requests"] / row["gets"] if row["gets"] else 0
    kinds = row.get("by_kind", {})
    kib_per_get = kinds.get("bytes_out", 0) / 1024 / row["gets"] if row["gets"] else 0
    # The test server's own time per request (the proxy's added latency excluded): real S3
    # has no such cost, so a row where it is large measures the test server, not the reader.
    server_ms = kinds.get("server_ms", 0) / row["requests"] if row["requests"] else 0
    return (f"| {row['config']:<13} | {row['readers']:>3} | {row['phase']:<7} | {row['gets']:>5} "
            f"| {row['ops_per_s']:>9.1f} | {row['p50_ms']:>8.2f} | {row['p99_ms']:>8.2f} "
            f"| {per_get:>8.3f} | {kib_per_get:>8.1f} | {server_ms:>9.1f} |")


def table(results):
    lines = [f"{results['keys']} keys x {results['value_size']} B, "
             f"{results['latency_ms']} ms added to every store request",
             "| config        | rdr | phase   |  gets |     ops/s |  p50 ms |  p99 ms | req/get "
             "| KiB/get | server ms/req |",
             "|---------------|-----|---------|-------|-----------|---------|---------|---------"
             "|---------|---------------|"]
    order = {"cold": 0, "warm": 1, "restart": 2}
    rows = sorted(results["rows"], key=lambda r: (r["readers"], order[r["phase"]], r["config"]))
    lines += [format_row(r) for r in rows]
    return "\n".join(lines)


def main():
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", required=True)
    run = sub.add_parser("run")
    run.add_argument("--endpoint", default=os.environ.get("SLATEDB_S3_TEST_PROXY"),
                     help="the fault proxy (default $SLATEDB_S3_TEST_PROXY)")
    run.add_argument("--bucket", default="")
    run.add_argument("--no-load", action="store_true",
                     help="read the databases an earlier run loaded into --bucket")
    run.add_argument("--keys", type=int, default=1_000_000)
    run.add_argument("--value-size", type=int, default=100)
    run.add_argument("--latency-ms", type=int, default=20)
    run.add_argument("--concurrency", default="1,8,64")
    run.add_argument("--gets", type=int, default=300, help="gets per row (without --gets-per-reader)")
    run.add_argument("--gets-per-reader", type=int, default=100)
    run.add_argument("--min-gets", type=int, default=300)
    run.add_argument("--max-gets", type=int, default=2000)
    run.add_argument("--configs", default="ours,ours+disk,upstream,upstream+disk")
    run.add_argument("--ours-python", default=os.environ.get("SLATEDB_OURS_PYTHON", ""))
    run.add_argument("--upstream-python", default=os.environ.get("SLATEDB_UPSTREAM_PYTHON", ""))
    run.add_argument("--seed", type=int, default=1)
    run.add_argument("--timeout", type=int, default=3600, help="seconds per worker process")
    run.add_argument("--json", default="", help="also write the results here")
    w = sub.add_parser("worker")
    for name in ("endpoint", "bucket", "db", "action", "impl", "scratch"):
        w.add_argument(f"--{name}", required=True)
    w.add_argument("--keys", type=int, required=True)
    w.add_argument("--value-size", type=int, required=True)
    w.add_argument("--keys-file", default="")
    w.add_argument("--concurrency", type=int, default=1)
    w.add_argument("--phases", default="cold")
    w.add_argument("--cache-dir", default="")
    args = parser.parse_args()
    if args.command == "worker":
        asyncio.run(worker(args))
    else:
        if not args.endpoint:
            parser.error("no --endpoint and no SLATEDB_S3_TEST_PROXY (run under scripts/s3-test-server.sh)")
        coordinator(args)


if __name__ == "__main__":
    main()
