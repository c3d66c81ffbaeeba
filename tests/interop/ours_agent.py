# SPDX-License-Identifier: Apache-2.0
"""Our side of the interop tests: this repository's Python package (`from slatedb import
SlateDB, SlateDBReader, SlateDBAdmin`, the seed API), run by the project venv's Python
(scripts/test-python.sh builds it into .venv). Obeys the command protocol described in
agent_common.py.
"""
from __future__ import annotations

import asyncio
import json
import os
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from agent_common import (CommandError, concat_merge, make_clone, read_once,  # noqa: E402
                          read_wal_files, serve, unhex)
import slatedb  # noqa: E402
from slatedb import SlateDB, SlateDBAdmin, SlateDBReader, WriteBatch  # noqa: E402

ERRORS = (slatedb.TransactionError, slatedb.ClosedError, slatedb.UnavailableError,
          slatedb.InvalidError, slatedb.DataError, slatedb.InternalError)


def merge(key, existing, operand):
    return concat_merge(existing, operand)


def url_and_path(store: dict, path: str):
    """(url, path) for our API: the database is <url>/<path>."""
    if store["kind"] == "local":
        return "file://" + store["root"], path
    if store["kind"] == "s3":
        prefix = store.get("prefix", "").strip("/")
        return f"s3://{store['bucket']}" + (f"/{prefix}" if prefix else ""), path
    raise CommandError("Invalid", f"unknown store kind {store['kind']!r}")


def classify(e: Exception) -> CommandError:
    kind = type(e).__name__.removesuffix("Error")
    message = str(e)
    reason = None
    if isinstance(e, slatedb.ClosedError):
        # Our engine errors are worded as upstream 0.11's (python/src/error_texts.cc):
        # "Closed error: db is closed" after a clean close, "Closed error: detected newer DB
        # client" when fenced, another "Closed error: ..." after a background failure; a
        # handle's own "transaction is closed" / "snapshot is closed" is a clean close.
        text = message.split("\nBacktrace:", 1)[0]
        reason = {"Closed error: db is closed": "clean",
                  "Closed error: detected newer DB client": "fenced"}.get(text)
        if reason is None:
            reason = "panic" if text.startswith("Closed error: ") else "clean"
    return CommandError(kind, message, reason)


def settings_file(options: dict) -> str:
    """Our API takes settings as a file in upstream's format (JSON here)."""
    doc = {"compression_codec": options.get("codec", "none")}
    for key in ("l0_sst_size_bytes", "l0_max_ssts"):
        if key in options:
            doc[key] = int(options[key])
    if "flush_interval_ms" in options:
        doc["flush_interval"] = f"{int(options['flush_interval_ms'])}ms"
    if options.get("compactor") is False:  # a standalone compactor compacts this database
        doc["compactor_options"] = None
    fd, path = tempfile.mkstemp(suffix=".json", prefix="interop-settings-")
    with os.fdopen(fd, "w") as f:
        json.dump(doc, f)
    return path


def _codec_of(info: dict):
    for key in ("compression_codec", "compression_format", "compression", "codec"):
        if key in info:
            value = info[key]
            return "none" if value in (None, "", "None", "none", 0) else str(value).lower()
    return None


def summarize(doc: dict) -> dict:
    """SUMMARY (agent_common.py) of our admin's JSON rendering of a manifest (the document,
    or [id, document] as read_manifest returns it)."""
    if isinstance(doc, list) and len(doc) == 2 and isinstance(doc[1], dict):
        doc = {"id": doc[0], **doc[1]}
    def sst(entry):
        if isinstance(entry, str):
            return {"id": entry, "codec": None}
        ident = entry.get("id") or entry.get("sst_id")
        if isinstance(ident, dict):
            ident = ident.get("value") or json.dumps(ident)
        info = entry.get("info") or entry.get("sst", {}).get("info") or {}
        return {"id": ident, "codec": _codec_of(info)}

    runs = doc.get("sorted_runs", doc.get("compacted", []))
    return {
        "id": doc.get("id"), "writer_epoch": doc.get("writer_epoch"),
        "l0": [sst(e) for e in doc.get("l0", [])],
        "sorted_runs": [{"id": r.get("id"), "ssts": [sst(e) for e in
                                                    r.get("ssts", r.get("sst_views", []))]}
                        for r in runs],
        "checkpoints": [{"id": c.get("id"), "name": c.get("name") or None,
                         "manifest_id": c.get("manifest_id")}
                        for c in doc.get("checkpoints", [])],
    }


class Agent:
    def __init__(self):
        self.db = None
        self.writer = False
        self.url = None
        self.path = None

    def open_writer(self, cmd):
        self.url, self.path = url_and_path(cmd["store"], cmd["path"])
        settings = settings_file(cmd.get("settings", {}))
        try:
            self.db = SlateDB(self.path, url=self.url, merge_operator=merge, settings=settings)
        finally:
            os.unlink(settings)
        self.writer = True

    def attach(self, cmd):
        """Names the database for the admin commands without opening a handle."""
        self.url, self.path = url_and_path(cmd["store"], cmd["path"])

    def open_reader(self, cmd):
        self.url, self.path = url_and_path(cmd["store"], cmd["path"])
        poll = int(cmd.get("poll_ms", 100))
        self.db = SlateDBReader(self.path, url=self.url, checkpoint_id=cmd.get("checkpoint"),
                                merge_operator=merge, manifest_poll_interval=poll,
                                checkpoint_lifetime=max(60_000, 4 * poll))
        self.writer = False

    def write(self, cmd):
        ops = cmd["ops"]
        durable = cmd.get("durable", True)
        for i, op in enumerate(ops):
            last = i == len(ops) - 1
            try:
                self._apply(op, durable and last)
            except ERRORS as e:
                err = classify(e)
                err.at = i
                raise err from None
        return {"count": len(ops)}

    def _apply(self, op, await_durable):
        kind = op[0]
        if kind == "put":
            ttl = op[3] if len(op) > 3 else None
            self.db.put_with_options(unhex(op[1]), unhex(op[2]), ttl=ttl,
                                     await_durable=await_durable)
        elif kind == "delete":
            self.db.delete_with_options(unhex(op[1]), await_durable=await_durable)
        elif kind == "merge":
            self.db.merge_with_options(unhex(op[1]), unhex(op[2]), await_durable=await_durable)
        elif kind == "batch":
            batch = WriteBatch()
            for sub in op[1]:
                if sub[0] == "put":
                    batch.put_with_options(unhex(sub[1]), unhex(sub[2]),
                                           ttl=sub[3] if len(sub) > 3 else None)
                elif sub[0] == "delete":
                    batch.delete(unhex(sub[1]))
                elif sub[0] == "merge":
                    batch.merge(unhex(sub[1]), unhex(sub[2]))
                else:
                    raise CommandError("Invalid", f"unknown batch op {sub[0]!r}")
            self.db.write_with_options(batch, await_durable=await_durable)
        else:
            raise CommandError("Invalid", f"unknown op {kind!r}")

    def flush(self, cmd):
        self.db.flush_with_options("wal" if cmd.get("kind") == "wal" else "memtable")

    def read(self, cmd):
        gets = []
        for k in cmd.get("keys", []):
            v = self.db.get(unhex(k))
            gets.append(None if v is None else v.hex())
        rows = [[k.hex(), v.hex()] for k, v in self.db.scan_prefix(b"")]
        return {"get": gets, "scan": rows}

    def _admin(self):
        return SlateDBAdmin(self.path, url=self.url)

    def checkpoint(self, cmd):
        if self.writer:
            result = self.db.create_checkpoint("all", name=cmd.get("name"))
        else:
            result = self._admin().create_checkpoint(name=cmd.get("name"))
        return {"id": result["id"], "manifest_id": result["manifest_id"]}

    def manifest(self, cmd=None):
        text = self._admin().read_manifest()
        if text is None:
            raise CommandError("Data", "no manifest")
        return {"manifest": summarize(json.loads(text))}

    def wait_sorted_runs(self, cmd):
        deadline = time.monotonic() + float(cmd.get("timeout_s", 30))
        while True:
            summary = self.manifest()
            if summary["manifest"]["sorted_runs"]:
                return summary
            if time.monotonic() > deadline:
                raise CommandError("Timeout", f"no sorted run appeared: {summary['manifest']}")
            time.sleep(0.1)

    def gc(self, cmd):
        self._admin().run_gc_once(manifest_min_age=0, wal_min_age=0, compacted_min_age=0,
                                  compactions_min_age=0)

    def wal(self, cmd):
        # The WAL reader is slatedb.uniffi's (the seed API has none); the store is named as
        # upstream's agent names it.
        from slatedb.uniffi import ObjectStore, SlateDbWalReader
        store = cmd["store"]
        if store["kind"] == "local":
            objects, path = ObjectStore.resolve("file:///"), os.path.join(store["root"], cmd["path"])
        else:
            prefix = store.get("prefix", "").strip("/")
            objects = ObjectStore.resolve(f"s3://{store['bucket']}")
            path = f"{prefix}/{cmd['path']}" if prefix else cmd["path"]
        try:
            return {"files": asyncio.run(read_wal_files(SlateDbWalReader(path, objects)))}
        except slatedb.uniffi.Error as e:
            raise CommandError(type(e).__name__, getattr(e, "message", str(e))) from None

    def clone(self, cmd):
        import slatedb.uniffi  # the clone builder is slatedb.uniffi's (the seed API has none)
        try:
            asyncio.run(make_clone(slatedb.uniffi, cmd["store"], cmd["path"], cmd["sources"],
                                   cmd.get("into")))
        except slatedb.uniffi.Error as e:
            raise CommandError(type(e).__name__, getattr(e, "message", str(e))) from None

    def read_once(self, cmd):
        import slatedb.uniffi
        try:
            return asyncio.run(read_once(slatedb.uniffi, cmd["store"], cmd["path"], cmd["keys"]))
        except slatedb.uniffi.Error as e:
            raise CommandError(type(e).__name__, getattr(e, "message", str(e))) from None

    def close(self, cmd):
        if self.db is not None:
            db, self.db = self.db, None
            db.close()

    def handle(self, cmd):
        name = cmd["cmd"]
        method = getattr(self, name, None)
        if method is None or name.startswith("_") or name == "handle":
            raise CommandError("Invalid", f"unknown command {name!r}")
        try:
            return method(cmd)
        except ERRORS as e:
            raise classify(e) from None


if __name__ == "__main__":
    serve(Agent().handle)
