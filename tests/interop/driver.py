# SPDX-License-Identifier: Apache-2.0
"""Runs the processes of the interop tests: the two agents (upstream_agent.py in the
slatedb 0.17.0 venv, ours_agent.py in the project venv), our one-shot readers (node_dump.mjs,
browser_dump.mjs, the C++ interop_dump), and the shared workloads, keeping the model of what
each writer acknowledged (model.py).

Locations come from the environment (scripts/test-interop.sh sets them):
  SLATEDB_ORACLE_PYTHON   Python with slatedb==0.17.0   (default build/oracle-0.17/bin/python)
  SLATEDB_PYTHON          Python with our package         (default .venv/bin/python)
  SLATEDB_INTEROP_DUMP    the C++ reader                  (default build/tests/interop_dump)
  SLATEDB_S3_TEST_ENDPOINT  moto (scripts/s3-test-server.sh); needed by the S3 cases
"""
from __future__ import annotations

import json
import os
import queue
import random
import subprocess
import tempfile
import threading
import sys
import time
import xml.etree.ElementTree as ET
from dataclasses import dataclass

from model import Model, bulk_puts, diff, mixed_updates, special_keys, ttl_rows

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.abspath(os.path.join(HERE, "..", ".."))
# The package tests' stand-alone SigV4 signer: the S3 test server refuses unsigned requests.
sys.path.insert(0, os.path.join(ROOT, "python", "tests"))
import s3_signing  # noqa: E402
ORACLE_PYTHON = os.environ.get("SLATEDB_ORACLE_PYTHON",
                               os.path.join(ROOT, "build", "oracle-0.17", "bin", "python"))
OUR_PYTHON = os.environ.get("SLATEDB_PYTHON", os.path.join(ROOT, ".venv", "bin", "python"))
CPP_DUMP = os.environ.get("SLATEDB_INTEROP_DUMP",
                          os.path.join(ROOT, "build", "tests", "interop_dump"))
S3_ENDPOINT = os.environ.get("SLATEDB_S3_TEST_ENDPOINT")
S3_ENV = {"AWS_ENDPOINT_URL": S3_ENDPOINT or "", "AWS_ALLOW_HTTP": "true",
          "AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing",
          "AWS_REGION": "us-east-1"}
COMMAND_TIMEOUT_S = 90  # per command or reader process; a hang fails, it never stalls CI
CHUNK = 400  # ops per write command
BULK_A, BULK_B = 800, 1600  # write_standard's bulk puts at scale 1 (a/ and b/ keys)

SIDES = ("upstream", "ours")


class StepFailed(AssertionError):
    """A command or reader failed; the message says which process, what and why."""


def child_env() -> dict:
    env = dict(os.environ)
    if S3_ENDPOINT:
        env.update(S3_ENV)
    return env


class Agent:
    """One agent process ("upstream" or "ours") and its JSON-lines conversation."""

    def __init__(self, side: str, label: str | None = None):
        python = ORACLE_PYTHON if side == "upstream" else OUR_PYTHON
        script = os.path.join(HERE, f"{side}_agent.py")
        self.side = side
        self.label = label or f"{side} agent"
        self.stderr = tempfile.TemporaryFile(mode="w+")
        self.proc = subprocess.Popen([python, script], stdin=subprocess.PIPE,
                                     stdout=subprocess.PIPE, stderr=self.stderr, text=True,
                                     env=child_env(), cwd=HERE)
        self.lines: queue.Queue = queue.Queue()
        threading.Thread(target=self._pump, daemon=True).start()

    def _pump(self):
        for line in self.proc.stdout:
            self.lines.put(line)
        self.lines.put(None)

    def stderr_tail(self, n: int = 25) -> str:
        self.stderr.seek(0)
        lines = self.stderr.read().splitlines()
        return "\n".join(lines[-n:])

    def call(self, cmd: str, timeout: float = COMMAND_TIMEOUT_S, **args) -> dict:
        """Sends a command; returns the answer, ok or not. Fails the test on a dead or hung
        agent."""
        try:
            self.proc.stdin.write(json.dumps({"cmd": cmd, **args}) + "\n")
            self.proc.stdin.flush()
        except BrokenPipeError:
            raise StepFailed(f"{self.label} died before '{cmd}':\n{self.stderr_tail()}") from None
        try:
            line = self.lines.get(timeout=timeout)
        except queue.Empty:
            self.kill()
            raise StepFailed(f"{self.label}: '{cmd}' took more than {timeout} s "
                             f"(killed):\n{self.stderr_tail()}") from None
        if line is None:
            raise StepFailed(f"{self.label} exited during '{cmd}' "
                             f"(code {self.proc.wait()}):\n{self.stderr_tail()}")
        return json.loads(line)

    def check(self, cmd: str, **args) -> dict:
        """call() that fails the test unless the answer is ok."""
        answer = self.call(cmd, **args)
        if not answer["ok"]:
            tail = self.stderr_tail(12)
            raise StepFailed(f"{self.label}: '{cmd}' failed: {answer['kind']}: "
                             f"{answer['message']}" + (f" (op {answer['at']})" if "at" in answer
                                                       else "")
                             + (f"\n{self.label}'s stderr (last lines):\n{tail}" if tail else ""))
        return answer

    def write(self, model: Model, ops: list, durable: bool = True) -> None:
        """Writes `ops` in chunks (the last op of each chunk durable) and applies each chunk
        to the model once the agent has acknowledged it."""
        for i in range(0, len(ops), CHUNK):
            chunk = ops[i:i + CHUNK]
            self.check("write", ops=chunk, durable=durable)
            model.apply_all(chunk)

    def close(self) -> dict | None:
        if self.proc.poll() is not None:
            return None
        try:
            answer = self.call("close", timeout=60)
        finally:
            self.kill()
        return answer

    def kill(self) -> None:
        if self.proc.poll() is None:
            self.proc.kill()
        self.proc.wait()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.kill()
        return False


# --- stores ------------------------------------------------------------------------------

def db_prefix(store: dict, path: str) -> str:
    return path if store["kind"] == "local" else f"{store['prefix']}/{path}"


def list_objects(store: dict, path: str) -> dict[str, int]:
    """Every object of the database at `path` -> its size."""
    out = {}
    if store["kind"] == "local":
        base = os.path.join(store["root"], path)
        for dirpath, _, files in os.walk(base):
            for f in files:
                full = os.path.join(dirpath, f)
                out[os.path.relpath(full, base)] = os.path.getsize(full)
        return out
    prefix = db_prefix(store, path) + "/"
    token = None
    ns = "{http://s3.amazonaws.com/doc/2006-03-01/}"
    while True:
        query = {"list-type": "2", "prefix": prefix}
        if token:
            query["continuation-token"] = token
        doc = ET.fromstring(s3_signing.signed_get(S3_ENDPOINT, f"/{store['bucket']}", query))
        for item in doc.iter(f"{ns}Contents"):
            out[item.find(f"{ns}Key").text[len(prefix):]] = int(item.find(f"{ns}Size").text)
        token_el = doc.find(f"{ns}NextContinuationToken")
        if token_el is None:
            return out
        token = token_el.text


def create_bucket(name: str) -> None:
    s3_signing.create_bucket(S3_ENDPOINT, name)


# --- readers -----------------------------------------------------------------------------

READERS = ("upstream-python", "ours-python", "ours-node", "ours-cpp", "ours-chromium")


def read(reader: str, store: dict, path: str, keys: list[str],
         checkpoint: str | None = None) -> dict:
    """Opens a read-only reader of kind `reader` (READERS), gets `keys` and scans everything.
    Returns {"get", "scan"}; raises StepFailed with the reader's error."""
    label = f"{reader} reader" + (f" at checkpoint {checkpoint}" if checkpoint else "")
    if reader.endswith("-python"):
        with Agent(reader.split("-")[0], label) as agent:
            agent.check("open_reader", store=store, path=path, checkpoint=checkpoint)
            got = agent.check("read", keys=keys)
            agent.close()
            return got
    request = {"store": store, "path": path, "keys": keys, "checkpoint": checkpoint}
    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as f:
        json.dump(request, f)
    try:
        argv = {"ours-node": ["node", os.path.join(HERE, "node_dump.mjs"), f.name],
                "ours-chromium": ["node", os.path.join(HERE, "browser_dump.mjs"), f.name],
                "ours-cpp": [CPP_DUMP, f.name]}[reader]
        try:
            proc = subprocess.run(argv, capture_output=True, text=True, env=child_env(),
                                  timeout=COMMAND_TIMEOUT_S, cwd=HERE)
        except subprocess.TimeoutExpired:
            raise StepFailed(f"{label}: no answer within {COMMAND_TIMEOUT_S} s") from None
    finally:
        os.unlink(f.name)
    lines = proc.stdout.strip().splitlines()
    try:
        got = json.loads(lines[-1])
    except (IndexError, json.JSONDecodeError):
        raise StepFailed(f"{label}: exit code {proc.returncode}, no answer:\n"
                         f"{proc.stdout[-2000:]}\n{proc.stderr[-3000:]}") from None
    if not got.get("ok"):
        raise StepFailed(f"{label} failed: {got['kind']}: {got['message']}")
    if got.get("page_errors"):
        raise StepFailed(f"{label}: errors in the page: {got['page_errors']}")
    return got


def check_read(reader: str, store: dict, path: str, model: Model,
               checkpoint: str | None = None) -> None:
    """Reads with `reader` and fails the test with a diff unless it matches `model`."""
    model.settle()
    keys = model.probe_keys()
    got = read(reader, store, path, keys, checkpoint)
    problem = diff(model, keys, got, f"{reader}" + (f" (checkpoint {checkpoint})"
                                                     if checkpoint else ""))
    if problem:
        raise StepFailed(problem)


# --- workloads ---------------------------------------------------------------------------

def writer_settings(codec: str) -> dict:
    """Small sizes, so a few thousand rows make several L0 SSTs and compactions."""
    return {"codec": codec, "l0_sst_size_bytes": 16 << 10, "l0_max_ssts": 4,
            "flush_interval_ms": 20, "compaction_max_sst_bytes": 64 << 10}


def write_standard(agent: Agent, model: Model, tag: str, scale: float = 1) -> dict:
    """The full workload on an open writer: bulk puts, special keys, an L0 flush,
    overwrites, deletes, merges and batches, TTL rows, another flush and a named
    checkpoint (the model is copied there), more updates, enough data for compactions into
    sorted runs (waited for), and a tail left in the WAL. Returns {"checkpoint":
    {"id", "model"}, "manifest"}."""
    rng = random.Random(tag)
    n1, n2 = int(BULK_A * scale), int(BULK_B * scale)
    agent.write(model, special_keys() + bulk_puts(rng, "a", 0, n1))
    agent.check("flush", kind="memtable")
    agent.write(model, mixed_updates(rng, "a", n1, tag))
    agent.write(model, ttl_rows(tag))
    # Upstream judges expiry at a checkpoint by the clock tick of its last write, not by
    # wall time: writes after the short TTLs have passed make both agree they expired.
    time.sleep(0.05)
    agent.write(model, [["put", f"clock/{tag}".encode().hex(), "00"]])
    agent.check("flush", kind="memtable")
    cp = agent.check("checkpoint", name=f"interop-{tag}")
    cp_model = model.copy()
    agent.write(model, mixed_updates(rng, "a", n1, tag + "-after"))
    agent.write(model, bulk_puts(rng, "b", 0, n2))
    agent.check("flush", kind="memtable")
    manifest = agent.check("wait_sorted_runs", timeout_s=60)["manifest"]
    tail = [["put", "7461696c2f31", "6f6e65"], ["delete", bulk_puts(rng, "b", 5, 1)[0][1]],
            ["merge", "6d2f" + tag.encode().hex() + "2f303030", "7c7461696c"]]
    agent.write(model, tail)
    return {"checkpoint": {"id": cp["id"], "model": cp_model}, "manifest": manifest}


@dataclass
class Written:
    """A database one side wrote with write_standard, and what it holds."""
    store: dict
    path: str
    codec: str
    model: Model
    checkpoint_id: str
    checkpoint_model: Model
    manifest: dict


def write_database(stores, side: str, kind: str, codec: str, scale: float = 1) -> Written:
    """A fresh store of `kind` ("local" or "s3") with the standard workload written into
    "db" by `side` ("ours" or "upstream") with the given codec, the writer closed."""
    store = stores.make(kind)
    model = Model()
    tag = {"ours": "our", "upstream": "up"}[side]
    with Agent(side, {"ours": "our writer", "upstream": "upstream writer"}[side]) as writer:
        writer.check("open_writer", store=store, path="db", settings=writer_settings(codec))
        info = write_standard(writer, model, tag=tag, scale=scale)
        writer.check("close")
    return Written(store, "db", codec, model, info["checkpoint"]["id"],
                   info["checkpoint"]["model"], info["manifest"])


def cross_merges(tag: str) -> list:
    """Merges onto the merge keys another writer's write_standard(tag) made."""
    return [["merge", f"m/{tag}/{i:03d}".encode().hex(), b"+x".hex()] for i in range(24)]


def write_continuation(agent: Agent, model: Model, first_tag: str, tag: str) -> None:
    """A second writer's workload over a database the first one wrote: updates of its keys,
    merges onto its merge keys, new data flushed to L0."""
    rng = random.Random(tag)
    agent.write(model, cross_merges(first_tag))
    agent.write(model, mixed_updates(rng, "a", BULK_A, tag))  # over write_standard's a/ keys
    agent.write(model, bulk_puts(rng, "c", 0, 1200))
    agent.check("flush", kind="memtable")


def wait_until(fn, timeout: float, what: str):
    deadline = time.monotonic() + timeout
    while True:
        result = fn()
        if result:
            return result
        if time.monotonic() > deadline:
            raise StepFailed(f"timed out after {timeout} s waiting for {what}")
        time.sleep(0.05)
