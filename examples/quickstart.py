# SPDX-License-Identifier: Apache-2.0
"""SlateDB from Python on a local directory: durable writes, reads, a scan, a batch, asyncio.

    python examples/quickstart.py [DIRECTORY]     (default: /tmp/slatedb-demo)

Run it twice: the second run finds what the first one wrote.
"""
import asyncio
import os
import sys

from slatedb import SlateDB, WriteBatch

directory = os.path.abspath(sys.argv[1] if len(sys.argv) > 1 else "/tmp/slatedb-demo")
os.makedirs(directory, exist_ok=True)

with SlateDB("quickstart", url=f"file://{directory}") as db:
    runs = int(db.get(b"run-count") or b"0") + 1
    print(f"run {runs} on {directory}")

    batch = WriteBatch()
    batch.put(b"run-count", str(runs).encode())
    batch.put(b"fruit/apple", b"red")
    batch.put(b"fruit/banana", b"yellow")
    batch.put(b"fruit/cherry", b"dark red")
    handle = db.write(batch)  # durable in the store when this returns
    print(f"wrote a batch as sequence number {handle.seq}")

    print("fruit/apple =", db.get(b"fruit/apple"))
    for key, value in db.scan_prefix(b"fruit/"):
        print(f"  {key.decode()} -> {value.decode()}")

    async def tally():
        await asyncio.gather(*[db.put_async(b"async/%d" % i, b"x") for i in range(10)])
        return len([k async for k, _ in await db.scan_prefix_async(b"async/")])

    print("async keys:", asyncio.run(tally()))
    # The seed API reports upstream 0.11's metric names (python/README.md).
    print("WAL buffer flushes so far:", db.metrics()["db/wal_buffer_flushes"])
print("closed cleanly")
