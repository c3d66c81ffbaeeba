# SPDX-License-Identifier: Apache-2.0
"""What the seed API does with data: writes and their sequence numbers, reads, batches,
ranges and prefixes, iterator seeks, snapshots, transactions and their conflicts, TTL,
merges, closing."""

import tempfile

from _transcript import keys, run, show, finish

from slatedb import SlateDB, WriteBatch

root = tempfile.mkdtemp()
url = "file://" + root
counter = [0]


def concat(key, existing, operand):
    return (existing or b"") + operand


def fresh(merge_operator=None):
    """A new database per group of calls: a call that panics in upstream's engine can leave
    its handle broken, which must not change the next group's outcome."""
    counter[0] += 1
    return SlateDB(f"db{counter[0]}", url=url, merge_operator=merge_operator)


def items(iterator):
    return list(iterator)


# Writes and reads; every write answers with its sequence number.
db = fresh()
show("put a", lambda: db.put(b"a", b"1"))
show("put b", lambda: db.put_async(b"b", b"2"))
show("put empty value", lambda: db.put(b"e", b""))
show("get a", lambda: db.get(b"a"))
show("get missing", lambda: db.get(b"zz"))
show("get empty value", lambda: db.get(b"e"))
show("get_async b", lambda: db.get_async(b"b"))
show("get_with_options memory", lambda: db.get_with_options(b"a", durability_filter="memory"))
show("get_with_options remote", lambda: db.get_with_options(b"a", durability_filter="remote",
                                                             dirty=False))
show("delete a", lambda: db.delete(b"a"))
show("delete missing", lambda: db.delete(b"nope"))
show("get deleted", lambda: db.get(b"a"))
show("delete_with_options", lambda: db.delete_with_options(b"b", await_durable=False))
show("put_with_options", lambda: db.put_with_options(b"p", b"v", await_durable=False))
show("get after non-durable put", lambda: db.get(b"p"))
show("flush", db.flush)
show("flush wal", lambda: db.flush_with_options("wal"))
show("flush memtable", lambda: db.flush_with_options("memtable"))
show("get after flushes", lambda: db.get(b"p"))
run(db.close)

# Batches: the last put or delete of a key wins; a batch can be written twice.
db = fresh()
batch = WriteBatch()
batch.put(b"b1", b"1")
batch.put(b"b2", b"2")
batch.delete(b"b2")
batch.put(b"b3", b"3")
show("write batch", lambda: db.write(batch))
show("batch rows", lambda: items(db.scan(b"b")))
show("write batch again", lambda: db.write_with_options(batch, await_durable=False))
show("write empty batch", lambda: db.write(WriteBatch()))
show("write_async batch", lambda: db.write_async(batch))
show("batch put after write", lambda: batch.put(b"b4", b"4"))
show("write grown batch", lambda: db.write(batch))
show("batch rows after", lambda: items(db.scan(b"b")))
run(db.close)

# Ranges: end exclusive, end None means every key with the start as prefix... as upstream.
db = fresh()
for k in (b"a", b"ab", b"abc", b"b", b"b\xff", b"b\xff\xff", b"c", b"\xff", b"\xff\xff"):
    db.put(k, b"v")
for label, start, end in (("a..", b"a", None), ("a..b", b"a", b"b"), ("ab..c", b"ab", b"c"),
                          ("b..", b"b", None), ("\\xff..", b"\xff", None),
                          ("a..\\xff", b"a", b"\xff"), ("0..z", b"0", b"z"),
                          ("a..a\\x00", b"a", b"a\x00")):
    show(f"scan {label}", lambda: keys(db.scan(start, end)))
    show(f"scan_async {label}", lambda: db.scan_async(start, end))
    show(f"scan_with_options {label}", lambda: keys(db.scan_with_options(start, end)))
for label, prefix in (("a", b"a"), ("b", b"b"), ("b\\xff", b"b\xff"), ("\\xff", b"\xff"),
                      ("empty", b""), ("x", b"x")):
    show(f"scan_prefix {label}", lambda: keys(db.scan_prefix(prefix)))
    show(f"scan_prefix_with_options {label}",
         lambda: keys(db.scan_prefix_with_options(prefix, durability_filter="memory")))
show("snapshot scan_prefix empty", lambda: keys(db.snapshot().scan_prefix(b"")))
run(db.close)

# Iterators: seeks forward, backward, out of range, before and after reading.
db = fresh()
for k in (b"k1", b"k2", b"k3", b"k4"):
    db.put(k, b"v" + k)
it = db.scan(b"k1", b"k9")
show("it next 1", lambda: next(it))
show("it seek k3", lambda: it.seek(b"k3"))
show("it next 2", lambda: next(it))
show("it seek back k2", lambda: it.seek(b"k2"))
show("it next after failed seek", lambda: next(it))
show("it seek same k4", lambda: it.seek(b"k4"))
show("it seek past end", lambda: it.seek(b"k5"))
show("it next at end", lambda: next(it))
show("it next again", lambda: next(it))
it = db.scan(b"k2", b"k4")
show("fresh it seek before start", lambda: it.seek(b"k1"))
show("fresh it seek at end bound", lambda: it.seek(b"k4"))
show("fresh it seek past end bound", lambda: it.seek(b"k5"))
show("fresh it seek_async k3", lambda: it.seek_async(b"k3"))
show("fresh it rest", lambda: items(it))
it = db.scan_prefix(b"k")
show("prefix it seek outside", lambda: it.seek(b"l"))
show("prefix it seek empty", lambda: it.seek(b""))
show("prefix it rest", lambda: items(it))
it = db.scan(b"k1", b"k9")
show("seek k3 then", lambda: it.seek(b"k3"))
show("seek back to k2 before reading", lambda: it.seek(b"k2"))
show("next after the ignored seek", lambda: next(it))
show("seek_async back to k1", lambda: it.seek_async(b"k1"))
it = db.scan(b"k1", b"k9")
show("seek k3 twice", lambda: (it.seek(b"k3"), it.seek(b"k3")))
show("seek k2 after two", lambda: it.seek(b"k2"))
show("seek before the range after a seek", lambda: it.seek(b"a"))
show("next after seeks", lambda: next(it))
it = db.scan(b"k1")
show("it next k1", lambda: next(it))
show("it seek k1 again", lambda: it.seek(b"k1"))
show("it after seek k1", lambda: next(it))
run(db.close)

# Snapshots.
db = fresh()
db.put(b"s1", b"old")
snap = db.snapshot()
db.put(b"s1", b"new")
db.put(b"s2", b"later")
show("snapshot get", lambda: snap.get(b"s1"))
show("snapshot get later key", lambda: snap.get(b"s2"))
show("snapshot get_async", lambda: snap.get_async(b"s1"))
show("snapshot scan", lambda: items(snap.scan(b"s")))
show("snapshot scan_with_options", lambda: items(snap.scan_with_options(b"s", b"s2")))
show("snapshot close", snap.close)
show("snapshot close again", snap.close)
show("snapshot get closed", lambda: snap.get(b"s1"))
show("snapshot scan closed", lambda: snap.scan(b"s"))
snap2 = run(db.snapshot_async)
show("snapshot_async get", lambda: snap2.get(b"s1"))
show("snapshot close_async", snap2.close_async)
show("snapshot get after close_async", lambda: snap2.get(b"s1"))
run(db.close)

# Transactions: own writes, commits, conflicts, what a failed commit consumes. Writes print
# how far their sequence number moved from the previous write's, so that one difference
# shows on one line only.
db = fresh(concat)
last_seq = [0]


def step(call):
    def go():
        handle = call()
        if handle is None:
            return None
        moved, last_seq[0] = handle.seq - last_seq[0], handle.seq
        return f"seq +{moved}"
    return go


show("seed put", step(lambda: db.put(b"t0", b"0")))
txn = db.begin()
show("txn put", lambda: txn.put(b"t1", b"1"))
show("txn put_with_options", lambda: txn.put_with_options(b"t2", b"2", ttl=100000))
show("txn delete", lambda: txn.delete(b"t0"))
show("txn merge", lambda: txn.merge(b"tm", b"x"))
show("txn merge_with_options", lambda: txn.merge_with_options(b"tm", b"y", ttl=None))
show("txn get own", lambda: txn.get(b"t1"))
show("txn get deleted", lambda: txn.get(b"t0"))
show("txn get merged", lambda: txn.get(b"tm"))
show("txn get_async", lambda: txn.get_async(b"t1"))
show("txn get_with_options", lambda: txn.get_with_options(b"t1", durability_filter="memory"))
show("txn scan", lambda: items(txn.scan(b"t")))
show("txn scan_prefix", lambda: keys(txn.scan_prefix(b"t")))
show("db get before commit", lambda: db.get(b"t1"))
show("txn commit", step(txn.commit))
show("txn commit again", txn.commit)
show("txn get after commit", lambda: txn.get(b"t1"))
show("txn rollback after commit", txn.rollback)
show("db rows after commit", lambda: items(db.scan(b"t")))
mixed = db.begin()
mixed.merge(b"tx", b"x")
mixed.merge_with_options(b"tx", b"y", ttl=100000)
show("txn merges with and without ttl get", lambda: mixed.get(b"tx"))
show("txn merges with and without ttl commit", lambda: mixed.commit() is not None)
show("txn merges with and without ttl after", lambda: db.get(b"tx"))
last_seq[0] = db.put(b"resync", b"1").seq
empty = db.begin()
show("empty txn commit", empty.commit)
empty = db.begin("ssi")
show("empty txn commit_async", empty.commit_async)
rolled = db.begin()
rolled.put(b"r", b"1")
show("rollback", rolled.rollback)
show("rollback again", rolled.rollback)
show("rolled back put", lambda: db.get(b"r"))
show("put after rollback", lambda: rolled.put(b"r", b"2"))
show("commit_async after rollback", rolled.commit_async)
# SI write-write conflict; then the next write's sequence number.
t1, t2 = db.begin(), db.begin("si")
t1.put(b"c", b"1")
t2.put(b"c", b"2")
show("si first commit", step(t1.commit))
show("si second commit", step(t2.commit))
show("si loser after commit", lambda: t2.get(b"c"))
show("write after failed commit", step(lambda: db.put(b"after", b"1")))
show("value after conflict", lambda: db.get(b"c"))
# SI: a plain write between begin and commit.
t3 = db.begin()
t3.put(b"c", b"3")
show("plain write", step(lambda: db.put(b"c", b"plain")))
show("si commit after plain write", step(t3.commit))
show("write after second failure", step(lambda: db.put(b"after", b"2")))
# SSI read conflict and range conflict.
t4, t5 = db.begin("ssi"), db.begin("serializable")
show("ssi read", lambda: t5.get(b"k2"))
t4.put(b"k2", b"1")
t5.put(b"k3", b"1")
show("ssi writer commit", step(t4.commit))
show("ssi reader commit", step(t5.commit))
t6, t7 = db.begin("SSI"), db.begin("serializable_snapshot")
show("ssi range scan", lambda: keys(t7.scan(b"k2", b"k3\xff")))
t6.put(b"k2", b"2")
t7.put(b"k4", b"1")
show("ssi range writer commit", step(t6.commit))
show("ssi range reader commit", step(t7.commit))
show("write after ssi failures", step(lambda: db.put(b"after", b"3")))
t8 = db.begin("snapshot")
show("si read then commit", step(lambda: (t8.get(b"k2"), db.put(b"k2", b"x"),
                                          t8.put(b"k9", b"1"), t8.commit())[3]))
run(db.close)

# TTL: 0 expires at once (and hides older values); merges with a TTL.
db = fresh(concat)
db.put(b"x", b"old")
show("put ttl 0", lambda: db.put_with_options(b"x", b"v", ttl=0))
show("get after ttl 0", lambda: db.get(b"x"))
show("put ttl 1", lambda: db.put_with_options(b"y", b"v", ttl=1))
show("put ttl big", lambda: db.put_with_options(b"z", b"v", ttl=10**9))
show("get ttl big", lambda: db.get(b"z"))
show("merge ttl 0", lambda: db.merge_with_options(b"m0", b"v", ttl=0, await_durable=False))
show("get merge ttl 0", lambda: db.get(b"m0"))
show("merge ttl big", lambda: db.merge_with_options(b"m1", b"a", ttl=10**9,
                                                    await_durable=False))
show("merge no ttl", lambda: db.merge_with_options(b"m1", b"b", await_durable=False))
show("get merges", lambda: db.get(b"m1"))
batch = WriteBatch()
batch.merge_with_options(b"m2", b"p", ttl=0)
batch.merge(b"m2", b"q")
batch.put_with_options(b"bt", b"v", ttl=0)
show("batch ttl write", lambda: db.write_with_options(batch, await_durable=False))
show("batch merge ttl 0 then merge", lambda: db.get(b"m2"))
show("batch put ttl 0", lambda: db.get(b"bt"))
show("merge async", lambda: db.merge_async(b"m3", b"1"))
show("merge_with_options_async", lambda: db.merge_with_options_async(b"m3", b"2", ttl=None,
                                                                     await_durable=False))
show("get m3", lambda: db.get(b"m3"))
show("scan merges", lambda: items(db.scan(b"m")))
run(db.close)

# Merges without an operator.
db = fresh()
show("merge without operator", lambda: db.merge_with_options(b"m", b"v", await_durable=False))
show("txn merge without operator", lambda: db.begin().merge(b"m", b"v"))
show("batch merge without operator", lambda: WriteBatch().merge(b"m", b"v"))

# Closing.
db = fresh()
db.put(b"k", b"v")
snap = db.snapshot()
txn = db.begin()
it = db.scan(b"k")
show("close", db.close)
show("close again", db.close)
show("close_async again", db.close_async)
show("get closed", lambda: db.get(b"k"))
show("put closed", lambda: db.put(b"k", b"v"))
show("scan closed", lambda: db.scan(b"k"))
show("snapshot closed", db.snapshot)
show("begin closed", db.begin)
show("flush closed", db.flush)
show("write closed", lambda: db.write(WriteBatch()))
show("snapshot of closed db get", lambda: snap.get(b"k"))
show("txn of closed db get", lambda: txn.get(b"k"))
show("txn of closed db commit", lambda: (txn.put(b"k", b"w"), txn.commit())[1])
show("iterator of closed db", lambda: items(it))
show("metrics closed", lambda: "db/get_requests" in db.metrics())

finish()
