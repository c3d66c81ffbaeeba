# SPDX-License-Identifier: Apache-2.0
"""SlateDB.metrics(): the keys a fresh database registers, their values before any work,
and the counters the calls move."""

import tempfile

from _transcript import run, show, finish

from slatedb import SlateDB, WriteBatch

root = tempfile.mkdtemp()
db = SlateDB("db", url="file://" + root)
first = db.metrics()
show("keys", lambda: sorted(first))
show("key count", lambda: len(first))
show("value types", lambda: sorted({type(v).__name__ for v in first.values()}))
COUNTERS = ("db/get_requests", "db/scan_requests", "db/write_batch_count", "db/write_ops",
            "db/immutable_memtable_flushes", "db/flush_requests")
show("counters at open", lambda: {k: first.get(k) for k in COUNTERS})


def moved(label, call):
    before = db.metrics()
    run(call)
    after = db.metrics()
    show(f"{label} moves", lambda: {k: after[k] - before[k] for k in COUNTERS
                                    if k in after and after[k] != before[k]})


moved("put", lambda: db.put(b"k", b"v"))
moved("get", lambda: db.get(b"k"))
moved("get missing", lambda: db.get(b"missing"))
moved("get_async", lambda: db.get_async(b"k"))
moved("scan", lambda: list(db.scan(b"k")))
moved("scan_prefix", lambda: list(db.scan_prefix(b"")))
batch = WriteBatch()
batch.put(b"b1", b"1")
batch.put(b"b2", b"2")
batch.delete(b"b2")
moved("write batch", lambda: db.write(batch))
moved("delete", lambda: db.delete(b"k"))
moved("snapshot get", lambda: db.snapshot().get(b"k"))
moved("txn commit", lambda: (lambda t: (t.put(b"t", b"1"), t.commit()))(db.begin()))
moved("flush", db.flush)
moved("flush memtable", lambda: db.flush_with_options("memtable"))
show("same keys after work", lambda: sorted(db.metrics()) == sorted(first))
db.close()
show("metrics after close", lambda: sorted(db.metrics()) == sorted(first))

finish()
