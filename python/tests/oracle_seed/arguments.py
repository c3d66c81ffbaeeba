# SPDX-License-Identifier: Apache-2.0
"""Argument conversion of the seed API: integer ranges, wrong types, enum-like strings,
oversized keys, and which error wins on a closed handle."""

import tempfile

from _transcript import keys, run, show, finish

from slatedb import CompactionSpec, SlateDB, SlateDBAdmin, SlateDBReader, WriteBatch

INTS = (("-1", -1), ("2**32", 2 ** 32), ("2**63-1", 2 ** 63 - 1), ("2**64-1", 2 ** 64 - 1),
        ("2**64", 2 ** 64), ("float", 1.5), ("str", "1"), ("True", True), ("0", 0),
        ("None", None))


def concat(key, existing, operand):
    return (existing or b"") + operand


root = tempfile.mkdtemp()
url = "file://" + root
counter = [0]


def fresh(merge_operator=None):
    """A new database for a group of calls, so that a call that breaks upstream's handle
    (a panicking background task) cannot change the outcome of the next group."""
    counter[0] += 1
    db = SlateDB(f"db{counter[0]}", url=url, merge_operator=merge_operator)
    db.put(b"k", b"v")
    return db


def done(db):
    run(db.close)


# Upstream deadlocks when a durable write or a flush meets merge operands (its Python
# operator needs the GIL the blocked call holds), so merges are written without waiting
# for durability and their databases are never flushed.
for label, value in INTS:
    db = fresh(concat)
    show(f"put ttl {label}", lambda: db.put_with_options(b"t", b"v", ttl=value,
                                                          await_durable=False))
    show(f"put_async ttl {label}",
         lambda: db.put_with_options_async(b"t", b"v", ttl=value, await_durable=False))
    show(f"merge ttl {label}", lambda: db.merge_with_options(b"m", b"v", ttl=value,
                                                              await_durable=False))
    show(f"batch put ttl {label}", lambda: WriteBatch().put_with_options(b"t", b"v", ttl=value))
    show(f"batch merge ttl {label}",
         lambda: WriteBatch().merge_with_options(b"t", b"v", ttl=value))
    txn = db.begin()
    show(f"txn put ttl {label}", lambda: txn.put_with_options(b"t", b"v", ttl=value))
    show(f"txn merge ttl {label}", lambda: txn.merge_with_options(b"t", b"v", ttl=value))
    txn.rollback()
    for name in ("read_ahead_bytes", "max_fetch_tasks"):
        show(f"scan {name} {label}",
             lambda: keys(db.scan_with_options(b"k", **{name: value})))
        show(f"scan_prefix {name} {label}",
             lambda: keys(db.scan_prefix_with_options(b"k", **{name: value})))
    done(db)
    db = fresh()
    show(f"checkpoint lifetime {label}", lambda: sorted(db.create_checkpoint(lifetime=value)))
    done(db)

db = fresh()
for name in ("dirty", "cache_blocks"):
    for label, value in (("int", 1), ("str", "x"), ("None", None), ("True", True)):
        show(f"get {name} {label}", lambda: db.get_with_options(b"k", **{name: value}))
        show(f"scan {name} {label}", lambda: keys(db.scan_with_options(b"k", **{name: value})))
for label, value in (("int", 1), ("str", "x"), ("None", None), ("False", False)):
    show(f"put await_durable {label}",
         lambda: db.put_with_options(b"k", b"v", await_durable=value))
    show(f"write await_durable {label}",
         lambda: db.write_with_options(WriteBatch(), await_durable=value))

# Enum-like strings: wrong types and unknown values.
for label, value in (("int", 1), ("None", None), ("bytes", b"si"), ("bad", "bogus"),
                     ("upper", "SSI"), ("serializable", "serializable")):
    show(f"begin {label}", lambda: type(db.begin(value)).__name__)
    show(f"begin_async {label}", lambda: type(db.begin_async(value)).__name__)
for label, value in (("int", 5), ("None", None), ("bytes", b"wal"), ("bad", "bogus"),
                     ("upper", "WAL")):
    show(f"flush_with_options {label}", lambda: db.flush_with_options(value))
    show(f"flush_with_options_async {label}", lambda: db.flush_with_options_async(value))
for label, value in (("int", 5), ("bytes", b"memory"), ("bad", "bogus"), ("upper", "REMOTE")):
    show(f"durability_filter {label}",
         lambda: db.get_with_options(b"k", durability_filter=value))
    show(f"scan durability_filter {label}",
         lambda: keys(db.scan_with_options(b"k", durability_filter=value)))
for label, value in (("int", 5), ("None", None), ("bytes", b"all"), ("bad", "bogus"),
                     ("upper", "DURABLE")):
    show(f"create_checkpoint scope {label}", lambda: sorted(db.create_checkpoint(value)))
for label, value in (("int", 5), ("bad", "not-a-uuid")):
    show(f"create_checkpoint source {label}", lambda: db.create_checkpoint(source=value))
    show(f"create_checkpoint name {label}", lambda: sorted(db.create_checkpoint(name=value)))
done(db)

# Keys and values of every size and type.
db = fresh()
for label, key in (("65535", b"x" * 65535), ("65536", b"x" * 65536), ("str", "k"),
                   ("None", None), ("int", 5), ("bytearray", bytearray(b"k")),
                   ("list", [107]), ("empty", b"")):
    show(f"get key {label}", lambda: db.get(key))
    show(f"get_async key {label}", lambda: db.get_async(key))
    show(f"get_with_options key {label}", lambda: db.get_with_options(key))
    show(f"snapshot get key {label}", lambda: db.snapshot().get(key))
    txn = db.begin()
    show(f"txn get key {label}", lambda: txn.get(key))
    txn.rollback()
    show(f"scan start {label}", lambda: keys(db.scan(key)))
    show(f"scan_prefix {label}", lambda: keys(db.scan_prefix(key)))
    show(f"seek key {label}", lambda: db.scan_prefix(b"").seek(key))
for label, value in (("str", "v"), ("None", None), ("bytearray", bytearray(b"v"))):
    show(f"put value {label}", lambda: db.put_with_options(b"k", value, await_durable=False))
show("scan end str", lambda: db.scan(b"a", "z"))
done(db)

# On a closed handle: which error is raised first.
closed = fresh()
closed.close()
for label, call in (
        ("get empty", lambda: closed.get(b"")),
        ("get str", lambda: closed.get("k")),
        ("get huge", lambda: closed.get(b"x" * 65536)),
        ("put ttl -1", lambda: closed.put_with_options(b"k", b"v", ttl=-1)),
        ("begin int", lambda: closed.begin(1)),
        ("begin bad", lambda: closed.begin("bogus")),
        ("flush bad", lambda: closed.flush_with_options("bogus")),
        ("durability bad", lambda: closed.get_with_options(b"k", durability_filter="bogus")),
        ("checkpoint scope bad", lambda: closed.create_checkpoint("bogus")),
        ("checkpoint source bad", lambda: closed.create_checkpoint(source="nope")),
        ("scan rab -1", lambda: closed.scan_with_options(b"k", read_ahead_bytes=-1)),
        ("merge no operator", lambda: closed.merge(b"k", b"v")),
        ("write bad batch", lambda: closed.write(5)),
        ("close", lambda: closed.close()),
        ("close_async", lambda: closed.close_async()),
        ("metrics", lambda: "db/get_requests" in closed.metrics()),
):
    show(f"closed {label}", call)

# Reader and admin integers.
writer = fresh()
writer.close()
name = f"db{counter[0]}"
for label, value in INTS:
    for option in ("manifest_poll_interval", "checkpoint_lifetime", "max_memtable_bytes"):
        reader = run(lambda: SlateDBReader(name, url=url, **{option: value}))
        show(f"reader {option} {label}", lambda: type(reader).__name__)
        if not isinstance(reader, BaseException):
            reader.close()
admin = SlateDBAdmin(name, url=url)
for label, value in INTS + (("-2**63", -2 ** 63), ("2**62", 2 ** 62)):
    show(f"admin read_manifest {label}", lambda: type(admin.read_manifest(value)).__name__)
    show(f"admin list_manifests start {label}",
         lambda: type(admin.list_manifests(value)).__name__)
    show(f"admin ts for seq {label}",
         lambda: type(admin.get_timestamp_for_sequence(value)).__name__)
    show(f"admin seq for ts {label}",
         lambda: type(admin.get_sequence_for_timestamp(value)).__name__)
    show(f"admin seq for ts async {label}",
         lambda: type(admin.get_sequence_for_timestamp_async(value)).__name__)
    show(f"admin gc min_age {label}", lambda: admin.run_gc_once(manifest_min_age=value))
    show(f"admin read_compactions {label}",
         lambda: type(admin.read_compactions(value)).__name__)
    show(f"compaction spec destination {label}",
         lambda: type(CompactionSpec([{"SortedRun": 1}], value)).__name__)
    show(f"compaction spec sorted run {label}",
         lambda: type(CompactionSpec([{"SortedRun": value}], 1)).__name__)
for label, value in (("int", 5), ("None", None), ("bad", "nope")):
    show(f"admin refresh id {label}", lambda: admin.refresh_checkpoint(value))
    show(f"admin delete id {label}", lambda: admin.delete_checkpoint(value))
show("admin round_up int", lambda: admin.get_sequence_for_timestamp(0, round_up=1))

finish()
