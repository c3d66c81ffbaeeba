# SPDX-License-Identifier: Apache-2.0
"""Checkpoint and ULID argument texts."""

import asyncio

from _transcript import ashow, show

from slatedb.uniffi import (AdminBuilder, CheckpointOptions, CloneSourceSpec, DbBuilder,
                            DbReaderBuilder, ObjectStore, ReaderMode, SsTableId, CacheTarget)

store = ObjectStore.resolve("memory:///")
for text in ["not-a-uuid", "abc", "", "x", "xyz", "0123456789abcdef0123456789abcdeg",
             "0123456789abcdef0123456789abcdef", "01234567-89ab-cdef-0123-456789abcdef",
             "01234567-89ab-cdef-0123-456789abcdeg", "0123456-789ab-cdef-0123-456789abcdef",
             "01234567-89ab-cdef-0123456789abcdef", "{01234567-89ab-cdef-0123-456789abcdef}",
             "urn:uuid:01234567-89ab-cdef-0123-456789abcdef", "01234567-89AB-CDEF-0123-456789ABCDEF",
             "a-b-c-d-e", "01234567_89ab_cdef_0123_456789abcdef", "é", "0-0",
             "--------------------------------"]:
    show(f"uuid {text!r}", lambda: DbReaderBuilder("p", store).with_reader_mode(ReaderMode.CHECKPOINT(text)))


async def main():
    db = await DbBuilder("ids", store).build()
    await db.put(b"k", b"v")
    await db.shutdown()
    admin = AdminBuilder("ids", store).build()
    show("clone source uuid", lambda: admin.create_clone_builder_from_source(
        CloneSourceSpec(path="ids", checkpoint="nope", projection_range=None)))
    for text in ("abc", "not-a-uuid"):
        await ashow(f"refresh {text}", lambda: admin.refresh_checkpoint(text, None))
        await ashow(f"delete {text}", lambda: admin.delete_checkpoint(text))
        await ashow(f"source {text}", lambda: admin.create_detached_checkpoint(
            CheckpointOptions(lifetime_ms=None, source=text, name=None)))
    for text in ("nope", "01ARZ3NDEKTSV4RRFFQ69G5FA!", "81ARZ3NDEKTSV4RRFFQ69G5FAV"):
        await ashow(f"compaction ulid {text}", lambda: admin.read_compaction(text, None))
    await ashow("compaction ulid valid", lambda: admin.read_compaction("01ARZ3NDEKTSV4RRFFQ69G5FAV", None))
    await ashow("timestamp huge", lambda: admin.get_sequence_for_timestamp(2 ** 63 - 1, False))


asyncio.run(main())
