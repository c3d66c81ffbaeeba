# SPDX-License-Identifier: Apache-2.0
"""Google Cloud Storage stores: configuration errors as upstream words them, and a database
on fake-gcs-server (scripts/gcs-test-server.sh exports SLATEDB_GCS_TEST_ENDPOINT).

The emulator is configured the way object_store's own tests do it: a service-account key
file whose "gcs_base_url" names the emulator and whose "disable_oauth" turns tokens off."""

import json
import os
import time
import urllib.request
import uuid

import pytest

from conftest import ours_only
from slatedb.uniffi import (DbBuilder, Error, FlushOptions, FlushType, ObjectStore,
                            ObjectStoreBuilder, ObjectStoreType)

ENDPOINT = os.environ.get("SLATEDB_GCS_TEST_ENDPOINT")
BUCKET = "slatedb-py-gcs"
needs_server = pytest.mark.skipif(
    not ENDPOINT, reason="no GCS test server; run scripts/gcs-test-server.sh")


def test_gcs_config_errors_match_upstream():
    builder = ObjectStoreBuilder(ObjectStoreType.GCS)
    with pytest.raises(Error.Invalid) as info:
        builder.with_config("google_foo", "x")
    assert info.value.message == "invalid GCS object store config key: google_foo"
    with pytest.raises(Error.Invalid) as info:
        ObjectStoreBuilder(ObjectStoreType.GCS).build()
    assert info.value.message == "object store creation failed: Generic GCS error: Missing bucket name"
    builder = ObjectStoreBuilder(ObjectStoreType.GCS)
    builder.with_config("bucket", "b")
    builder.with_config("service_account_key", "{")
    with pytest.raises(Error.Invalid) as info:
        builder.build()
    assert info.value.message.startswith("object store creation failed: Generic GCS error: ")
    for key in ("google_bucket", "google_bucket_name", "bucket", "bucket_name"):
        b = ObjectStoreBuilder(ObjectStoreType.GCS)
        b.with_config(key, "b")
        assert isinstance(b.build(), ObjectStore)
    b = ObjectStoreBuilder(ObjectStoreType.GCS)
    b.with_url("gs://b")
    assert isinstance(b.build(), ObjectStore)
    with pytest.raises(Error.Invalid, match="provide path to builder instead"):
        ObjectStore.resolve("gs://b/p")


def test_gcs_from_env(monkeypatch):
    monkeypatch.setenv("CLOUD_PROVIDER", "gcp")
    for name in ("GOOGLE_BUCKET", "GOOGLE_BUCKET_NAME"):
        monkeypatch.delenv(name, raising=False)
    with pytest.raises(Error.Unavailable) as info:
        ObjectStore.from_env(None)
    assert info.value.message == ("Unavailable error: object store error (Generic "
                                  "GoogleCloudStorage error: Generic GCS error: Missing bucket "
                                  "name)")
    monkeypatch.setenv("GOOGLE_BUCKET", "b")
    assert isinstance(ObjectStore.from_env(None), ObjectStore)


@ours_only
@pytest.mark.asyncio
async def test_gcs_without_credentials_fails_at_first_use(monkeypatch):
    # Upstream waits for the GCE metadata server here; this build says what is missing.
    for name in list(os.environ):
        if name.startswith("GOOGLE_") or name == "STORAGE_EMULATOR_HOST":
            monkeypatch.delenv(name)
    store = ObjectStore.resolve("gs://bucket")
    start = time.monotonic()
    with pytest.raises(Error.Unavailable, match="no credentials configured"):
        await DbBuilder("db", store).build()
    assert time.monotonic() - start < 10


def _emulator_key(tmp_path):
    path = tmp_path / "emulator-key.json"
    path.write_text(json.dumps({"gcs_base_url": ENDPOINT, "disable_oauth": True,
                                "client_email": "", "private_key": "", "private_key_id": ""}))
    return str(path)


def _ensure_bucket():
    request = urllib.request.Request(f"{ENDPOINT}/storage/v1/b?project=test",
                                     data=json.dumps({"name": BUCKET}).encode(),
                                     headers={"content-type": "application/json"})
    try:
        urllib.request.urlopen(request).read()
    except urllib.error.HTTPError as e:
        if e.code != 409:
            raise


def _store(key_path):
    builder = ObjectStoreBuilder(ObjectStoreType.GCS)
    builder.with_config("google_bucket", BUCKET)
    builder.with_config("google_service_account", key_path)
    return builder.build()


# Ours only: upstream lists through GCS's XML API (GET /<bucket>?list-type=2), which
# fake-gcs-server 1.56 answers with 404, and retries that without end.
@ours_only
@needs_server
@pytest.mark.asyncio
async def test_gcs_database_round_trip(tmp_path):
    _ensure_bucket()
    key = _emulator_key(tmp_path)
    path = f"db-{uuid.uuid4().hex}"
    db = await DbBuilder(path, _store(key)).build()
    for i in range(50):
        await db.put(f"k{i:03}".encode(), f"v{i}".encode())
    await db.flush_with_options(FlushOptions(flush_type=FlushType.MEM_TABLE))
    await db.shutdown()
    db = await DbBuilder(path, _store(key)).build()
    assert await db.get(b"k007") == b"v7"
    assert await db.get(b"k049") == b"v49"
    assert await db.get(b"nope") is None
    await db.shutdown()
