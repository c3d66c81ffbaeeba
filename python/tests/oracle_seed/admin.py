# SPDX-License-Identifier: Apache-2.0
"""SlateDBAdmin: manifest and compaction id ranges, checkpoints, sequence <-> time, GC
options, clones, compaction requests."""

import json
import tempfile

from _transcript import after, run, show, finish

from slatedb import CompactionSpec, SlateDB, SlateDBAdmin

root = tempfile.mkdtemp()
url = "file://" + root


def ids(text):
    return [m["id"] for m in json.loads(text)]


def manifest_id(text):
    return None if text is None else json.loads(text)[0]


def manifest_id_relative(text):
    return None if text is None else json.loads(text)[0] - latest


db = SlateDB("db", url=url)
db.put(b"k", b"v")
db.flush_with_options("memtable")
db.put(b"k2", b"v")
db.flush_with_options("memtable")
db.close()
admin = SlateDBAdmin("db", url=url)
# How many manifest versions an open, two flushes and a close write is the engine's business;
# ids past the third print relative to the latest.
every = ids(admin.list_manifests())
latest = every[-1]
show("manifest ids are 1..latest", lambda: every == list(range(1, latest + 1)))
show("at least 3 manifests", lambda: len(every) >= 3)


def position(i):
    if i >= latest - 1:
        return f"latest{i - latest:+d}"
    return i if i <= 2 else "between"


def positions(text):
    listed = ids(text)
    if listed == every:
        return "every"
    if listed == every[:-1]:
        return "every but the latest"
    return [position(i) for i in listed]


def manifest_position(text):
    return None if text is None else position(json.loads(text)[0])


for label, start, end in (("all", None, None), ("1..", 1, None), ("..2", None, 2),
                          ("2..3", 2, 3), ("3..3", 3, 3), ("3..2", 3, 2),
                          ("0..2**63-1", 0, 2**63 - 1), ("2**64-1..", 2**64 - 1, None),
                          ("..2**64-1", None, 2**64 - 1), ("latest..", latest, None),
                          ("..latest", None, latest), ("latest-1..latest+5", latest - 1,
                                                       latest + 5)):
    show(f"list_manifests {label}", lambda: positions(admin.list_manifests(start, end)))
    show(f"list_manifests_async {label}",
         after(lambda: admin.list_manifests_async(start, end), positions))
for label, value in (("None", None), ("1", 1), ("latest", latest), ("latest-1", latest - 1),
                     ("latest+1", latest + 1), ("0", 0), ("2**64-1", 2**64 - 1)):
    show(f"read_manifest {label}", lambda: manifest_position(admin.read_manifest(value)))
show("read_manifest_async", after(admin.read_manifest_async, manifest_position))
show("read_manifest shape", lambda: sorted(json.loads(admin.read_manifest())[1]))

# Checkpoints.
created = admin.create_checkpoint()
show("create_checkpoint keys", lambda: sorted(created))
show("create_checkpoint positional", lambda: sorted(admin.create_checkpoint(60000, None)))
named = admin.create_checkpoint(name="nightly")
show("create_checkpoint_async", after(lambda: admin.create_checkpoint_async(lifetime=1000),
                                     sorted))
show("create_checkpoint source", lambda: sorted(admin.create_checkpoint(source=created["id"])))
show("create_checkpoint missing source",
     lambda: admin.create_checkpoint(source="00000000-0000-0000-0000-000000000000"))
show("create_checkpoint bad source", lambda: admin.create_checkpoint(source="nope"))
show("list_checkpoints None count", lambda: len(admin.list_checkpoints(None)))
show("list_checkpoints keys", lambda: sorted(admin.list_checkpoints(None)[0]))
show("list_checkpoints name", lambda: [c["name"] for c in admin.list_checkpoints("nightly")])
show("list_checkpoints unknown", lambda: admin.list_checkpoints("other"))
show("list_checkpoints empty name", lambda: len(admin.list_checkpoints("")))
show("list_checkpoints no arg", lambda: len(admin.list_checkpoints()))
show("list_checkpoints_async", after(lambda: admin.list_checkpoints_async(None), len))
show("refresh_checkpoint", lambda: admin.refresh_checkpoint(created["id"], 1000))
show("refresh_checkpoint no lifetime", lambda: admin.refresh_checkpoint(created["id"]))
show("refresh_checkpoint missing",
     lambda: admin.refresh_checkpoint("00000000-0000-0000-0000-000000000000", 1000))
show("refresh_checkpoint upper",
     lambda: admin.refresh_checkpoint(created["id"].upper(), 1000))
show("delete_checkpoint", lambda: admin.delete_checkpoint(named["id"]))
show("delete_checkpoint again", lambda: admin.delete_checkpoint(named["id"]))
show("delete_checkpoint_async", lambda: admin.delete_checkpoint_async(created["id"]))
show("list_checkpoints after deletes", lambda: len(admin.list_checkpoints(None)))

# Sequence <-> time.
for label, value in (("0", 0), ("1", 1), ("2", 2), ("1000", 1000)):
    show(f"ts for seq {label} type",
         lambda: type(admin.get_timestamp_for_sequence(value)).__name__)
    show(f"ts for seq {label} round_up type",
         lambda: type(admin.get_timestamp_for_sequence(value, round_up=True)).__name__)
for label, value in (("0", 0), ("2**62", 2**62), ("-1", -1)):
    show(f"seq for ts {label}", lambda: admin.get_sequence_for_timestamp(value))
    show(f"seq for ts {label} round_up",
         lambda: admin.get_sequence_for_timestamp(value, round_up=True))
show("seq for ts async", lambda: admin.get_sequence_for_timestamp_async(0))
show("ts for seq async", after(lambda: admin.get_timestamp_for_sequence_async(1),
                               lambda ts: type(ts).__name__))

# GC options.
for label, kwargs in (("none", {}), ("min ages", dict(manifest_min_age=0, wal_min_age=0,
                                                      compacted_min_age=0)),
                      ("compactions min age", dict(compactions_min_age=0)),
                      ("interval only", dict(manifest_interval=1000)),
                      ("wal interval only", dict(wal_interval=1000)),
                      ("compactions interval only", dict(compactions_interval=1000)),
                      ("both", dict(manifest_interval=1000, manifest_min_age=1000))):
    show(f"run_gc_once {label}", lambda: admin.run_gc_once(**kwargs))
    show(f"run_gc_once_async {label}", lambda: admin.run_gc_once_async(**kwargs))
show("run_gc none", lambda: admin.run_gc())
show("run_gc min age only", lambda: admin.run_gc(manifest_min_age=1000))
show("run_gc_async none", lambda: admin.run_gc_async())

# Compaction requests and their id ranges.
show("list_compactions at start", lambda: len(ids(admin.list_compactions())))
show("read_compactions at start", lambda: (lambda t: None if t is None else json.loads(t)[1])(
    admin.read_compactions()))
submitted = run(lambda: json.loads(admin.submit_compaction(CompactionSpec([{"SortedRun": 3}], 3))))
show("submit keys", lambda: sorted(submitted))
# JSON key order is not compared (this engine writes its keys sorted).
show("submit fields", lambda: (sorted(submitted["spec"].items()), submitted["status"],
                               submitted["bytes_processed"], submitted["output_ssts"]))
show("read_compaction", lambda: json.loads(admin.read_compaction(submitted["id"]))["status"])
show("read_compaction lower", lambda: json.loads(
    admin.read_compaction(submitted["id"].lower()))["status"])
show("read_compaction unknown", lambda: admin.read_compaction("01ARZ3NDEKTSV4RRFFQ69G5FAV"))
show("read_compaction bad", lambda: admin.read_compaction("nope"))
sst_spec = CompactionSpec([{"Sst": "01ARZ3NDEKTSV4RRFFQ69G5FAV"}, {"SortedRun": 0}], 0)
show("submit sst", lambda: sorted(json.loads(admin.submit_compaction(sst_spec))["spec"].items()))
show("submit_compaction_async", after(lambda: admin.submit_compaction_async(
    CompactionSpec([{"SortedRun": 1}], 1)), lambda t: json.loads(t)["status"]))
files = ids(admin.list_compactions())
first, last = files[0], files[-1]
show("compaction file ids are consecutive", lambda: files == list(range(first, last + 1)))


def compaction_files(text):
    listed = ids(text)
    if listed == files:
        return "every"
    if listed == files[:-1]:
        return "every but the last"
    return [i - first if i - first < 2 else f"last{i - last:+d}" for i in listed]


for label, start, end in (("all", None, None), ("first..", first, None),
                          ("..first", None, first), ("first..first+1", first, first + 1),
                          ("last..", last, None), ("..last", None, last),
                          ("2**64-1..", 2**64 - 1, None)):
    show(f"list_compactions {label}", lambda: compaction_files(admin.list_compactions(start, end)))
for label, value in (("None", None), ("first", first), ("last", last), ("last+1", last + 1),
                     ("0", 0), ("2**64-1", 2**64 - 1)):
    show(f"read_compactions {label}",
         lambda: (lambda t: None if t is None else (
             "last" if json.loads(t)[0] == last else json.loads(t)[0] - first,
             sorted(json.loads(t)[1])))(admin.read_compactions(value)))
for label, sources in (("not a list", 5), ("not a dict", [5]), ("two keys",
                       [{"SortedRun": 1, "Sst": "x"}]), ("empty dict", [{}]),
                       ("int key", [{1: 1}]), ("bad kind", [{"Other": 1}]),
                       ("run str", [{"SortedRun": "1"}]), ("sst int", [{"Sst": 1}]),
                       ("sst bad", [{"Sst": "nope"}]), ("empty", [])):
    show(f"CompactionSpec {label}", lambda: type(CompactionSpec(sources, 1)).__name__)

# Clones.
child = SlateDBAdmin("child", url=url)
show("create_clone", lambda: child.create_clone("db"))
clone = SlateDB("child", url=url)
show("clone get", lambda: clone.get(b"k"))
clone.close()
show("create_clone again", lambda: child.create_clone("db"))
show("create_clone missing parent", lambda: SlateDBAdmin("c2", url=url).create_clone("none"))
show("create_clone bad checkpoint",
     lambda: SlateDBAdmin("c3", url=url).create_clone("db", "nope"))
show("create_clone unknown checkpoint", lambda: SlateDBAdmin("c4", url=url).create_clone(
    "db", "00000000-0000-0000-0000-000000000000"))
cp = admin.create_checkpoint()
show("create_clone_async at checkpoint",
     lambda: SlateDBAdmin("c5", url=url).create_clone_async("db", cp["id"]))
clone = SlateDB("c5", url=url)
show("clone at checkpoint get", lambda: clone.get(b"k2"))
clone.close()

# An admin for a path with no database.
empty = SlateDBAdmin("nothing", url=url)
show("empty read_manifest", empty.read_manifest)
show("empty list_manifests", empty.list_manifests)
show("empty list_checkpoints", lambda: empty.list_checkpoints(None))
show("empty create_checkpoint", empty.create_checkpoint)
show("empty ts for seq", lambda: empty.get_timestamp_for_sequence(1))
show("empty seq for ts", lambda: empty.get_sequence_for_timestamp(0))
show("empty run_gc_once", lambda: empty.run_gc_once(manifest_min_age=0))
show("empty read_compactions", empty.read_compactions)
show("empty list_compactions", empty.list_compactions)
show("empty list_manifests_async", empty.list_manifests_async)

finish()
