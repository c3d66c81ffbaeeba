# SPDX-License-Identifier: Apache-2.0
"""Prints what a call returns or raises, one line per call, so the same script run against
this package and against upstream's wheel can be compared line by line. Lines hold no
addresses, timestamps or random ids."""

import asyncio


def outcome(value):
    if isinstance(value, BaseException):
        message = getattr(value, "message", None)
        text = message if isinstance(message, str) else str(value)
        return f"raise {type(value).__qualname__}: {text}"
    if isinstance(value, (list, tuple)):
        return repr([outcome_value(v) for v in value])
    return outcome_value(value)


def outcome_value(value):
    if isinstance(value, (bytes, str, int, float, bool, type(None))):
        return repr(value)
    text = str(value)
    if " object at 0x" in text:
        return f"<{type(value).__name__}>"
    return text


def show(label, call):
    """Runs `call` (sync, or returning a coroutine) and prints `label: <outcome>`."""
    try:
        value = call()
        if asyncio.iscoroutine(value):
            value = asyncio.get_event_loop().run_until_complete(value)
    except BaseException as e:  # noqa: BLE001 - the outcome is what is compared
        value = e
    print(f"{label}: {outcome(value)}", flush=True)


async def ashow(label, call):
    try:
        value = call()
        if asyncio.iscoroutine(value):
            value = await value
    except BaseException as e:  # noqa: BLE001
        value = e
    print(f"{label}: {outcome(value)}", flush=True)
    return value
