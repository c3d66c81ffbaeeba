# SPDX-License-Identifier: Apache-2.0
"""Prints what a call of the seed API (`from slatedb import ...`, upstream 0.8-0.11) returns
or raises, one line per call, so the same script run against this package and against
upstream's slatedb 0.11.1 wheel can be compared line by line.

A raised error prints its class and its message. The binding's own messages ("key cannot be
empty", TypeError and OverflowError texts) are compared whole. An engine error's message is
"<Kind> error: <engine text>\\nBacktrace:\\n<backtrace>" (spec 3.2): it prints as its class,
its "<Kind> error" title and whether the Backtrace tail is there; the engine text is the
engine's own words (they differ between engines, docs/uniffi-core-needs.md 17, and the spec
says callers never match on them). Lines hold no addresses, timestamps or random ids: objects
print as their class name.
"""

import asyncio


def outcome(value):
    if isinstance(value, BaseException):
        return f"raise {type(value).__name__}: {error_text(str(value))}"
    return outcome_value(value)


ENGINE_TITLES = tuple(f"{kind} error: " for kind in
                      ("Transaction", "Closed", "Unavailable", "Invalid", "Data", "Internal"))


def error_text(message):
    text, tail, _ = message.partition("\nBacktrace:\n")
    if tail and text.startswith(ENGINE_TITLES):
        return text.split(": ", 1)[0] + ": <engine text> (with backtrace)"
    return repr(message)


def outcome_value(value):
    if isinstance(value, (bytes, str, int, float, bool, type(None))):
        return repr(value)
    if isinstance(value, tuple):
        return "(" + ", ".join(outcome_value(v) for v in value) + ")"
    if isinstance(value, list):
        return "[" + ", ".join(outcome_value(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{k!r}: {outcome_value(v)}" for k, v in value.items()) + "}"
    if type(value).__name__ == "WriteHandle":
        # The sequence number is compared; create_ts is a clock reading.
        return f"<WriteHandle seq={value.seq} create_ts:{type(value.create_ts).__name__}>"
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


def after(call, post):
    """A call for `show` and `run`: `call()`, awaited if it is awaitable, then `post` of it
    (so an async method's result can be reduced to what is compared)."""

    async def go():
        value = call()
        if asyncio.isfuture(value) or asyncio.iscoroutine(value):
            value = await value
        return post(value)

    return go


END = "end of transcript"


def finish():
    """The last line of every script: the test accepts upstream's run only if it got here
    (its wheel sometimes aborts while the interpreter exits, after all its output)."""
    print(END, flush=True)
