# SPDX-License-Identifier: Apache-2.0
"""The expected contents of a database, kept from what a writer acknowledged, and the
workloads the interop tests write.

The model is the judge of every read: it applies each op of a write command once the writer
agent has acknowledged the command, exactly as the engines must (put sets, delete removes,
merge concatenates onto what is visible, a batch applies in order). A put with a TTL short
enough to have passed by the time anyone reads (EXPIRED_TTL_MS) leaves the key absent; a long
one (LIVE_TTL_MS) leaves it visible. No expectation is written by hand.
"""
from __future__ import annotations

import copy
import json
import random
import time

EXPIRED_TTL_MS = 1           # expired long before any reader opens
LIVE_TTL_MS = 3_600_000      # outlives every test
MAX_DIFF_LINES = 12


def h(b: bytes) -> str:
    return b.hex()


def show(hex_or_none) -> str:
    """A short readable form of a hex key or value for diffs."""
    if hex_or_none is None:
        return "<absent>"
    raw = bytes.fromhex(hex_or_none)
    text = repr(raw if len(raw) <= 40 else raw[:40] + b"...")
    return f"{text} ({len(raw)} bytes)"


class Model:
    def __init__(self):
        self.rows: dict[str, str] = {}      # hex key -> hex value, visible rows only
        self.touched: set[str] = set()      # every key any op named
        self.expire_by = 0.0                # monotonic time after which short TTLs have passed

    def copy(self) -> "Model":
        return copy.deepcopy(self)

    def apply(self, op: list) -> None:
        kind = op[0]
        if kind == "batch":
            for sub in op[1]:
                self.apply(sub)
            return
        key = op[1]
        self.touched.add(key)
        if kind == "put":
            ttl = op[3] if len(op) > 3 else None
            if ttl is not None and ttl <= EXPIRED_TTL_MS:
                self.rows.pop(key, None)
                self.expire_by = max(self.expire_by, time.monotonic() + ttl / 1000 + 0.01)
            else:
                self.rows[key] = op[2]
        elif kind == "delete":
            self.rows.pop(key, None)
        elif kind == "merge":
            self.rows[key] = self.rows.get(key, "") + op[2]
        else:
            raise ValueError(f"unknown op {kind}")

    def apply_all(self, ops) -> None:
        for op in ops:
            self.apply(op)

    def settle(self) -> None:
        """Waits until every short TTL the model counts as expired has passed."""
        delay = self.expire_by - time.monotonic()
        if delay > 0:
            time.sleep(delay)

    def probe_keys(self) -> list[str]:
        """Keys to get: every key ever written except that only every 8th of the bulk keys
        (a/, b/, c/, which the scan covers in full), plus a few never written."""
        bulk = tuple(h(p) for p in (b"a/", b"b/", b"c/"))
        keys = sorted(self.touched)
        keys = [k for i, k in enumerate(keys) if not k.startswith(bulk) or i % 8 == 0]
        never = [h(b"never/written"), h(b"\x00"), h(b"\xff" * 8)]
        return keys + [k for k in never if k not in self.touched]

    def expected_scan(self) -> list[list[str]]:
        return [[k, self.rows[k]] for k in sorted(self.rows, key=bytes.fromhex)]


def diff(model: Model, keys: list[str], got: dict, who: str) -> str | None:
    """None if `got` ({"get": [...], "scan": [...]}) matches the model, else a readable diff
    naming the keys that differ (at most MAX_DIFF_LINES each for gets and the scan)."""
    lines = []
    bad_gets = [(k, model.rows.get(k), v) for k, v in zip(keys, got["get"])
                if model.rows.get(k) != v]
    if len(got["get"]) != len(keys):
        lines.append(f"  get: asked {len(keys)} keys, got {len(got['get'])} answers")
    if bad_gets:
        lines.append(f"  get: {len(bad_gets)} of {len(keys)} keys differ:")
        for k, want, have in bad_gets[:MAX_DIFF_LINES]:
            lines.append(f"    {show(k)}: expected {show(want)}, got {show(have)}")
    want_scan = model.expected_scan()
    if got["scan"] != want_scan:
        want = {k: v for k, v in want_scan}
        have = {k: v for k, v in got["scan"]}
        missing = [k for k in want if k not in have]
        extra = [k for k in have if k not in want]
        wrong = [k for k in want if k in have and want[k] != have[k]]
        order = [k for k, _ in got["scan"]] != sorted(have, key=bytes.fromhex)
        dup = len(have) != len(got["scan"])
        lines.append(f"  scan: {len(got['scan'])} rows, expected {len(want_scan)}: "
                     f"{len(missing)} missing, {len(extra)} unexpected, {len(wrong)} wrong values"
                     + (", not in key order" if order else "")
                     + (", duplicate keys" if dup else ""))
        for k in missing[:MAX_DIFF_LINES]:
            lines.append(f"    missing {show(k)} = {show(want[k])}")
        for k in extra[:MAX_DIFF_LINES]:
            lines.append(f"    unexpected {show(k)} = {show(have[k])}")
        for k in wrong[:MAX_DIFF_LINES]:
            lines.append(f"    {show(k)}: expected {show(want[k])}, got {show(have[k])}")
    if not lines:
        return None
    return f"{who} read differs from what the writer acknowledged:\n" + "\n".join(lines)


# --- workloads ---------------------------------------------------------------------------

def _value(rng: random.Random, tag: str, size: int) -> str:
    body = "".join(rng.choice("abcdefghijklmnopqrstuvwxyz0123456789") for _ in range(size))
    return h(f"{tag}:{body}".encode())


def bulk_puts(rng: random.Random, prefix: str, start: int, count: int) -> list:
    """`count` puts of keys <prefix>/<n>, values of 0 to 120 bytes (some empty)."""
    ops = []
    for i in range(start, start + count):
        key = h(f"{prefix}/{i:06d}".encode())
        ops.append(["put", key, "" if i % 97 == 0 else _value(rng, f"{prefix}{i}", i % 113)])
    return ops


def mixed_updates(rng: random.Random, prefix: str, count: int, tag: str) -> list:
    """Overwrites, deletes, merges (with and without a base, after a delete) and batches
    over the keys bulk_puts wrote under `prefix`, plus merge keys m/<tag>/<n>."""
    ops = []
    for i in range(0, count, 5):
        ops.append(["put", h(f"{prefix}/{i:06d}".encode()), _value(rng, f"over-{tag}", 20)])
    for i in range(3, count, 7):
        ops.append(["delete", h(f"{prefix}/{i:06d}".encode())])
    for i in range(24):
        key = h(f"m/{tag}/{i:03d}".encode())
        if i % 3 == 0:
            ops.append(["put", key, h(b"base|")])
        if i % 3 == 2:
            ops += [["put", key, h(b"gone")], ["delete", key]]
        for j in range(1 + i % 4):
            ops.append(["merge", key, h(f"{tag}{j}|".encode())])
    for b in range(8):
        sub = [["put", h(f"batch/{tag}/{b}/p".encode()), _value(rng, "batch", 10)],
               ["merge", h(f"batch/{tag}/{b}/m".encode()), h(f"<{b}>".encode())],
               ["delete", h(f"{prefix}/{(b * 11) % max(count, 1):06d}".encode())]]
        if b % 2:
            sub.append(["merge", h(f"batch/{tag}/{b}/m".encode()), h(b"<again>")])
        ops.append(["batch", sub])
    return ops


def ttl_rows(tag: str) -> list:
    """Rows whose TTL has passed by read time and rows that outlive the test, including a
    live row overwritten by an expiring one and the other way round."""
    ops = []
    for i in range(16):
        ops.append(["put", h(f"ttl/{tag}/live/{i:02d}".encode()), h(f"live{i}".encode()),
                    LIVE_TTL_MS])
        ops.append(["put", h(f"ttl/{tag}/dead/{i:02d}".encode()), h(f"dead{i}".encode()),
                    EXPIRED_TTL_MS])
    ops.append(["put", h(f"ttl/{tag}/live/00".encode()), h(b"now expiring"), EXPIRED_TTL_MS])
    ops.append(["put", h(f"ttl/{tag}/dead/00".encode()), h(b"now forever")])
    ops.append(["batch", [["put", h(f"ttl/{tag}/batch".encode()), h(b"b"), LIVE_TTL_MS],
                          ["put", h(f"ttl/{tag}/batch-dead".encode()), h(b"b"), EXPIRED_TTL_MS]]])
    return ops


def special_keys() -> list:
    return [["put", h("ключ/ü/€".encode()), h("значение ✓".encode())],
            ["put", h(b"\x00\x01binary"), h(b"\xff\x00\xfe")],
            ["put", h(b"\xff\xfe\xfflast"), h(b"end")],
            ["put", h(b"empty-value"), ""],
            ["put", h(b"k" * 300), h(b"long key")]]


def step_summary(steps) -> str:
    return json.dumps([s[0] for s in steps])
