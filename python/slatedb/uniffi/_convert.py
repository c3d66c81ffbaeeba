# SPDX-License-Identifier: Apache-2.0
"""Argument checks and conversions of slatedb.uniffi (python-uniffi-api.md sections 1.3, 5).

Arguments are checked with upstream's exception types and texts: TypeError for a value of
the wrong type ("a bytes-like object is required, not 'str'", "Expected ObjectStore instance,
str found"), ValueError for an integer outside its declared range ("u64 requires 0 <= value <
18446744073709551616") or an enum argument that is not a member, and the AttributeError that
reading a missing field of a record argument raises. The results are the plain values the
native layer takes.
"""

from __future__ import annotations

import operator
import struct

from .. import slatedb as _native
from ._errors import Error
from ._values import DurabilityLevel, KeyRange, Ttl

_BOUNDS = {
    "u8": (0, 1 << 8), "u16": (0, 1 << 16), "u32": (0, 1 << 32), "u64": (0, 1 << 64),
    "i32": (-(1 << 31), 1 << 31), "i64": (-(1 << 63), 1 << 63),
}


def as_bytes(value) -> bytes:
    """bytes from any bytes-like object; TypeError otherwise."""
    if value.__class__ is bytes:
        return value
    try:
        return bytes(memoryview(value))
    except TypeError:
        raise TypeError(
            f"a bytes-like object is required, not '{type(value).__name__}'") from None


def key(value) -> bytes:
    """A key: bytes-like and not empty."""
    if value.__class__ is not bytes:
        value = as_bytes(value)
    if not value:
        raise Error.Invalid("key cannot be empty")
    return value


def integer(value, kind: str) -> int:
    """An int within the range of the Rust integer type `kind` ("u64", "i64", ...)."""
    value = operator.index(value)
    low, high = _BOUNDS[kind]
    if not low <= value < high:
        raise ValueError(f"{kind} requires {low} <= value < {high}")
    return int(value)


def optional_integer(value, kind: str):
    return None if value is None else integer(value, kind)


def boolean(value) -> bool:
    """A bool field, accepting what upstream's lowering accepts (small ints)."""
    try:
        number = operator.index(value)
    except TypeError:
        raise struct.error("required argument is not an integer") from None
    if not -128 <= number <= 127:
        raise struct.error("byte format requires -128 <= number <= 127")
    return bool(number)


def string(value) -> str:
    if not isinstance(value, str):
        raise TypeError(f"argument must be str, not {type(value).__name__}")
    return value


def optional_string(value):
    return None if value is None else string(value)


def enum_value(value, enum_cls) -> int:
    """The integer value of a member of `enum_cls`; ValueError for anything else."""
    if value.__class__ is enum_cls:
        return value.value
    raise ValueError(str(value))


def instance(value, cls, name: str = None):
    """`value` if it is a `cls`; TypeError("Expected <cls> instance, <type> found")."""
    if not isinstance(value, cls):
        raise TypeError(f"Expected {name or cls.__name__} instance, {type(value).__name__} found")
    return value


def read_options(options):
    """(durability, dirty) of a ReadOptions or ScanOptions record."""
    durability = enum_value(options.durability_filter, DurabilityLevel)
    dirty = boolean(options.dirty)
    boolean(options.cache_blocks)
    check_filter_context(options.filter_context)
    if options.tracing_options is not None:
        string(options.tracing_options.trace_id)
    return durability, dirty


def check_filter_context(context) -> None:
    if context is not None:
        if not context.is_BYTES():
            raise ValueError(str(context))
        as_bytes(context.payload)


# Ttl variants -> (kind, ms) as the native layer takes them (write_ops.h TtlSpec).
def ttl(value):
    if value.is_DEFAULT():
        return 0, 0
    if value.is_NO_EXPIRY():
        return 1, 0
    if value.is_EXPIRE_AFTER_MILLIS():
        return 2, min(integer(value[0], "u64"), (1 << 63) - 1)
    if value.is_EXPIRE_AT_MILLIS():
        return 3, integer(value[0], "i64")
    raise ValueError(str(value))


def write_options(options) -> int:
    """The seqnum of a WriteOptions record: the caller's sequence number for the write, or
    0 for one the database assigns."""
    return integer(options.seqnum, "u64")


# --------------------------------------------------------------------------------- ranges

_MIN_KEY = b"\x00"  # keys are never empty, so every key is >= this


def _successor(prefix: bytes) -> bytes:
    """The smallest key greater than every key starting with `prefix`; b"" if none (the
    core's rule, slatedb/key_range.h)."""
    return _native._prefix_successor(prefix)


def key_range(range_, prefix: bytes = b""):
    """[lo, hi) for a KeyRange whose bounds are appended to `prefix` (hi == b"" meaning
    unbounded), or None if the range holds no key. Raises upstream's range errors.

    An empty bound is the empty key: "> b''" and ">= b''" are unbounded below, while
    "< b''" and "<= b''" hold nothing. A missing end under a prefix stops at the prefix's end.
    """
    start = range_.start
    start_inclusive = boolean(range_.start_inclusive)
    end = range_.end
    end_inclusive = boolean(range_.end_inclusive)
    if start is not None:
        start = as_bytes(start)
    if end is not None:
        end = as_bytes(end)
    if start is not None and end is not None:
        if start > end:
            raise Error.Invalid("range start must not be greater than range end")
        if start == end and not (start_inclusive and end_inclusive):
            raise Error.Invalid("range must be non-empty")
    if start is None:
        lo = prefix
    else:
        lo = prefix + start if start_inclusive else prefix + start + b"\x00"
    if not lo:
        lo = _MIN_KEY
    if end is None:
        hi = _successor(prefix)
    else:
        bound = prefix + end
        if not bound:
            return None
        hi = bound + b"\x00" if end_inclusive else bound
    if hi and hi <= lo:
        return None
    return lo, hi
