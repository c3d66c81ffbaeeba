# SPDX-License-Identifier: Apache-2.0
"""Completes asyncio futures on their own loop (called via loop.call_soon_threadsafe)."""


def complete_future(future, ok, value):
    if future.cancelled():
        return
    if ok:
        future.set_result(value)
    else:
        future.set_exception(value)
