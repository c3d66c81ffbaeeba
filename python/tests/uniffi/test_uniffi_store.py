# SPDX-License-Identifier: Apache-2.0
"""ObjectStore and ObjectStoreBuilder (python-uniffi-api.md sections 3.1, 3.2)."""

import os

import pytest

from conftest import open_db
from slatedb.uniffi import Error, ObjectStore, ObjectStoreBuilder, ObjectStoreType


def test_resolve_accepts_store_roots():
    for url in ("memory:///", "memory://", "file:///", "s3://bucket", "s3a://bucket"):
        assert isinstance(ObjectStore.resolve(url), ObjectStore)


def test_resolve_rejects_paths_and_relative_urls():
    with pytest.raises(Error.Invalid) as info:
        ObjectStore.resolve("file:///tmp/x")
    assert info.value.message == ("Invalid error: invalid object store path. provide path to "
                                  "builder instead. path=`tmp/x`")
    for url in ("memory:///x", "s3://bucket/x"):
        with pytest.raises(Error.Invalid, match="provide path to builder instead"):
            ObjectStore.resolve(url)
    for url in ("", "relative/x"):
        with pytest.raises(Error.Invalid) as info:
            ObjectStore.resolve(url)
        assert info.value.message == (f"Invalid error: invalid object store URL. url=`{url}` "
                                      f"(relative URL without a base)")
    with pytest.raises(Error.Unavailable) as info:
        ObjectStore.resolve("bogus://x")
    assert info.value.message == ('Unavailable error: object store error (Generic URL error: '
                                  'Unable to recognise URL "bogus://x")')


@pytest.mark.asyncio
async def test_memory_stores_are_independent():
    first, second = ObjectStore.resolve("memory:///"), ObjectStore.resolve("memory:///")
    db = await open_db(first, "shared")
    await db.put(b"k", b"v")
    await db.shutdown()
    again = await open_db(first, "shared")
    assert await again.get(b"k") == b"v"
    await again.shutdown()
    other = await open_db(second, "shared")
    assert await other.get(b"k") is None
    await other.shutdown()


@pytest.mark.asyncio
async def test_file_store_uses_absolute_paths(tmp_path):
    store = ObjectStore.resolve("file:///")
    path = str(tmp_path / "data" / "mydb")
    db = await open_db(store, path)
    await db.put(b"k", b"v")
    await db.shutdown()
    assert {"manifest", "wal"} <= set(os.listdir(path))
    again = await open_db(ObjectStore.resolve("file:///"), path)
    assert await again.get(b"k") == b"v"
    await again.shutdown()


@pytest.mark.asyncio
async def test_from_env(tmp_path, monkeypatch):
    monkeypatch.delenv("CLOUD_PROVIDER", raising=False)
    with pytest.raises(Error.Invalid) as info:
        ObjectStore.from_env(None)
    assert info.value.message == ("Invalid error: invalid environment variable CLOUD_PROVIDER "
                                  "value `null`")
    env_file = tmp_path / ".env"
    env_file.write_text(f"CLOUD_PROVIDER=local\nLOCAL_PATH={tmp_path}\n")
    store = ObjectStore.from_env(str(env_file))
    db = await open_db(store, "envdb")
    await db.put(b"k", b"v")
    await db.shutdown()
    assert os.path.isdir(tmp_path / "envdb" / "manifest")
    monkeypatch.setenv("CLOUD_PROVIDER", "memory")
    assert isinstance(ObjectStore.from_env(str(tmp_path / "missing.env")), ObjectStore)
    monkeypatch.setenv("CLOUD_PROVIDER", "bogus")
    with pytest.raises(Error.Invalid, match="CLOUD_PROVIDER value `bogus`"):
        ObjectStore.from_env(None)


@pytest.mark.asyncio
async def test_builder(tmp_path):
    builder = ObjectStoreBuilder(ObjectStoreType.LOCAL)
    with pytest.raises(Error.Invalid) as info:
        builder.build()
    assert info.value.message == "missing required Local object store config key: local_path"
    builder = ObjectStoreBuilder(ObjectStoreType.LOCAL)
    builder.with_config("local_path", str(tmp_path))
    store = builder.build()
    with pytest.raises(Error.Invalid, match="builder has already been consumed"):
        builder.build()
    db = await open_db(store, "built")
    await db.shutdown()
    s3 = ObjectStoreBuilder(ObjectStoreType.S3)
    with pytest.raises(Error.Invalid) as info:
        s3.with_config("nonsense_key", "v")
    assert info.value.message == "invalid S3 object store config key: nonsense_key"
    with pytest.raises(Error.Invalid, match="builder has already been consumed"):
        s3.with_config("bucket", "b")
    with pytest.raises(Error.Invalid) as info:
        ObjectStoreBuilder(ObjectStoreType.S3).build()
    assert info.value.message == "object store creation failed: Generic S3 error: Missing bucket name"
    memory = ObjectStoreBuilder(ObjectStoreType.IN_MEMORY)
    memory.with_config("anything", "ignored")
    assert isinstance(memory.build(), ObjectStore)
    with pytest.raises(Error.Invalid) as info:
        ObjectStoreBuilder.from_url("bogus://x")
    assert info.value.message == 'object store creation failed: Unable to recognise URL "bogus://x"'
    assert isinstance(ObjectStoreBuilder.from_url("memory:///").build(), ObjectStore)
    s3 = ObjectStoreBuilder(ObjectStoreType.S3)
    for key in ("bucket", "aws_region", "access_key_id", "aws_secret_access_key", "endpoint"):
        s3.with_config(key, "x")
    assert isinstance(s3.build(), ObjectStore)  # connects on first use


def test_gcs_store():
    assert isinstance(ObjectStore.resolve("gs://bucket"), ObjectStore)
