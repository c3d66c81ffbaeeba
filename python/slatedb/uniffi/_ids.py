# SPDX-License-Identifier: Apache-2.0
"""Checkpoint ids (UUIDs) and SST / compaction ids (ULIDs) given as strings, checked with
the detail texts upstream reports ("invalid character: found `x` at 1", ...)."""

from __future__ import annotations

import uuid

from ._errors import Error

_HEX = set("0123456789abcdefABCDEF")
_GROUPS = (8, 4, 4, 4, 12)


def _uuid_problem(text: str):
    """None if `text` is a UUID (simple, hyphenated, braced or urn form), else the reason."""
    body = text
    if body.startswith("urn:uuid:"):
        body = body[len("urn:uuid:"):]
    elif len(body) == 38 and body.startswith("{") and body.endswith("}"):
        body = body[1:-1]
    offset = len(text) - len(body) - (1 if text.startswith("{") else 0)
    for i, c in enumerate(body):
        if c not in _HEX and c != "-":
            return f"invalid character: found `{c}` at {offset + i + 1}"
    if "-" not in body:
        if len(body.encode()) == 32:
            return None
        return f"invalid length: expected length 32 for simple format, found {len(body.encode())}"
    groups = body.split("-")
    if len(groups) != 5:
        return f"invalid group count: expected 5, found {len(groups)}"
    for i, (group, expected) in enumerate(zip(groups, _GROUPS)):
        if len(group) != expected:
            return f"invalid group length in group {i}: expected {expected}, found {len(group)}"
    return None


def parse_uuid(text: str, what: str) -> str:
    """The canonical (lower-case, hyphenated) form of UUID `text`; Error.Invalid
    "<what>: <reason>" if it is not one."""
    problem = _uuid_problem(text)
    if problem is not None:
        raise Error.Invalid(f"{what}: {problem}")
    return str(uuid.UUID(text))


_CROCKFORD = set("0123456789ABCDEFGHJKMNPQRSTVWXYZabcdefghjkmnpqrstvwxyz")


def parse_ulid(text: str, what: str) -> str:
    """`text` upper-cased if it is a ULID; Error.Invalid "<what>: <reason>" otherwise."""
    if len(text) != 26:
        raise Error.Invalid(f"{what}: invalid length")
    for c in text:
        if c not in _CROCKFORD:
            raise Error.Invalid(f"{what}: invalid character")
    return text.upper()
