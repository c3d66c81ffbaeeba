# SPDX-License-Identifier: Apache-2.0
"""Prints what a call of the seed API (`from slatedb import ...`, upstream 0.8-0.11) returns
or raises, one line per call, so the same script run against this package and against
upstream's slatedb 0.11.1 wheel can be compared line by line.

A raised error prints its class and its whole message (repr, so the "\\nBacktrace:" tail
upstream appends to engine errors is compared too). Lines hold no addresses, timestamps or
random ids: objects print as their class name.
"""

import asyncio


def outcome(value):
    if isinstance(value, BaseException):
        return f"raise {type(value).__name__}: {str(value)!r}"
    return outcome_value(value)


def outcome_value(value):
    if isinstance(value, (bytes, str, int, float, bool, type(None))):
        return repr(value)
    if isinstance(value, tuple):
        return "(" + ", ".join(outcome_value(v) for v in value) + ")"
    if isinstance(value, list):
        return "[" + ", ".join(outcome_value(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{k!r}: {outcome_value(v)}" for k, v in value.items()) + "}"
    return f"<{type(value).__name__}>"


_loop = asyncio.new_event_loop()
asyncio.set_event_loop(_loop)


def run(call):
    """The value `call()` returns (awaited if it is awaitable), or the exception it raises.
    The call runs inside a running event loop, so `*_async` methods can make their futures."""

    async def inside_loop():
        value = call()
        if asyncio.isfuture(value) or asyncio.iscoroutine(value):
            value = await value
        return value

    try:
        return _loop.run_until_complete(inside_loop())
    except (KeyboardInterrupt, SystemExit):
        raise
    except BaseException as e:  # noqa: BLE001 - the outcome is what is compared
        return e


def show(label, call):
    """Runs `call` and prints `label: <outcome>`; returns the value (or exception)."""
    value = run(call)
    print(f"{label}: {outcome(value)}", flush=True)
    return value


def keys(iterator):
    return [k for k, _ in iterator]
