# SPDX-License-Identifier: Apache-2.0
"""Every tagged union and record of slatedb.uniffi, the clone builder's options, and the
calls this build cannot serve yet (each must say so, never pretend)."""

import dataclasses
import inspect

import pytest

import slatedb.uniffi as u
from conftest import flush_memtable, open_db, ours_only
from slatedb.uniffi import (AdminBuilder, CloneSourceSpec, Error, KeyRange, ObjectStore,
                            ObjectStoreBuilder, ObjectStoreType)

# Sample arguments for each union variant.
VARIANTS = {
    "SourceId": {"SORTED_RUN": (1,), "SST_VIEW": ("01ARZ3NDEKTSV4RRFFQ69G5FAV",)},
    "CompactionSpec": {"TIERED": (b"", [], 0), "DRAIN_SEGMENT": (b"", [])},
    "Ttl": {"DEFAULT": (), "NO_EXPIRY": (), "EXPIRE_AFTER_MILLIS": (5,),
            "EXPIRE_AT_MILLIS": (5,)},
    "MetricValue": {"COUNTER": (1,), "GAUGE": (-1,), "UP_DOWN_COUNTER": (2,),
                    "HISTOGRAM": (None,)},
    "FilterContext": {"BYTES": (b"x",)},
    "CacheTarget": {"FILTERS": (), "INDEX": (), "STATS": (), "DATA": (None,)},
    "PrefixTarget": {"POINT": (b"k",), "PREFIX": (b"p",)},
    "ReaderMode": {"MANAGED_CHECKPOINT": (), "CHECKPOINT": ("id",), "FOLLOW_LATEST": ()},
}
RECORDS = [name for name in u.__all__ if dataclasses.is_dataclass(getattr(u, name))]


@pytest.mark.parametrize("union", sorted(VARIANTS))
def test_union_variants_and_predicates(union):
    base = getattr(u, union)
    with pytest.raises(RuntimeError, match=f"{union} cannot be instantiated directly"):
        base()
    for variant, args in VARIANTS[union].items():
        value = getattr(base, variant)(*args)
        assert isinstance(value, base)
        for other in VARIANTS[union]:
            expected = other == variant
            assert getattr(value, f"is_{other}")() is expected
            assert getattr(value, f"is_{other.lower()}")() is expected
        assert value == getattr(base, variant)(*args)
        assert str(value).startswith(f"{union}.{variant}(")
        assert repr(value) == f"{union}.{variant}()"


@pytest.mark.parametrize("name", RECORDS)
def test_records_are_keyword_only(name):
    cls = getattr(u, name)
    params = inspect.signature(cls).parameters
    assert all(p.kind is inspect.Parameter.KEYWORD_ONLY for p in params.values())
    required = [p for p, v in params.items() if v.default is inspect.Parameter.empty]
    if required:
        with pytest.raises(TypeError, match="missing"):
            cls()
    values = {p: None for p in params}
    record = cls(**values)
    assert record == cls(**values)
    assert repr(record) == f"{name}()"
    assert str(record).startswith(f"{name}(")
    with pytest.raises(TypeError, match="unhashable"):
        hash(record)


@pytest.mark.asyncio
async def test_clone_builder_options(store):
    db = await open_db(store, "source")
    await db.put(b"k", b"v")
    await flush_memtable(db)
    await db.shutdown()
    admin = AdminBuilder("unused", store).build()
    builder = admin.create_clone_builder_from_source(
        CloneSourceSpec(path="source", checkpoint=None, projection_range=None))
    builder.with_clone_path("elsewhere")
    builder.with_object_store(store)
    builder.with_projection_range(None)
    await builder.build()
    clone = await open_db(store, "elsewhere")
    assert await clone.get(b"k") == b"v"
    await clone.shutdown()
    with pytest.raises(Error.Invalid, match="builder has already been consumed"):
        builder.with_clone_path("again")


def test_object_store_builder_with_url(tmp_path):
    builder = ObjectStoreBuilder(ObjectStoreType.LOCAL)
    builder.with_url(f"file://{tmp_path}")
    with pytest.raises(Error.Invalid) as info:
        builder.build()  # upstream takes the whole URL as the directory
    assert info.value.message.startswith("object store creation failed: ")


def test_wal_reader_constructors(store):
    reader = u.SlateDbWalReader.with_wal_object_store_and_options(
        "p", store, ObjectStore.resolve("memory:///"), u.SlateDbWalReaderOptions())
    assert isinstance(reader, u.SlateDbWalReader)


def everything():
    return KeyRange(start=None, start_inclusive=False, end=None, end_inclusive=False)


def unsupported_calls(store, db):
    """(label, call) for each part of the 0.17 API the engine cannot serve yet."""
    return [
    ]


@ours_only
@pytest.mark.asyncio
async def test_unsupported_calls_say_so(db, store):
    for label, call in unsupported_calls(store, db):
        with pytest.raises(Error.Invalid) as info:
            result = call()
            if inspect.isawaitable(result):
                await result
        assert info.value.message.startswith("not supported by this build yet: "), label


@ours_only
def test_error_variants_are_the_core_table():
    # The native layer names the variant to raise from the core's error-kind table
    # (slatedb/error_kinds.h); every row must have its Error variant here.
    import json

    from slatedb import slatedb as native
    kinds = json.loads(native._error_tables_json())["kinds"]
    assert [k["uniffiVariant"] for k in kinds] == [
        "Transaction", "Closed", "Unavailable", "Invalid", "Data", "Internal"]
    for k in kinds:
        assert issubclass(getattr(Error, k["uniffiVariant"]), Error)
